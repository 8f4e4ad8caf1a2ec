package analysis

import (
	"context"

	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// DefaultGroupSample is the subsample each tensor or group of a checkpoint
// pair keeps for its resampling and diagnostics: with dozens of tensors
// these fixed costs, not the passes over the weights, set the run time.
const DefaultGroupSample = 20000

// LazyRegimeNote is the paper's expectation for trained networks, stated
// with every per-layer result.
const LazyRegimeNote = "The prediction of Pogodin et al. holds in the lazy regime of small changes; layers trained longer, or whose weights changed a lot, may drift from it."

// CheckpointTestOptions are the options of TestCheckpoints: those of
// `syngeom test` on two network checkpoints. DefaultCheckpointTestOptions
// are the command line's defaults.
type CheckpointTestOptions struct {
	// Test holds the geometry test's options; TestCheckpoints sets
	// ExactWeights (checkpoint weights are exact).
	Test testgeom.Options
	// GroupSample caps the subsample of each tensor or group
	// (stream.Config.GroupSampleMax); at least testgeom.MinPairs.
	GroupSample int
	// GroupBootstrap is the number of bootstrap resamples of each tensor or
	// group (stream.Config.GroupBootstrap; 0: none, the default); the
	// pooled test resamples Test.Bootstrap times.
	GroupBootstrap int
	// RoundingNoise adds λ̂ corrected for rounding to the stored dtype
	// (CheckpointReport.RoundingNoise), on a subsample drawn from
	// Test.Seed.
	RoundingNoise bool
	// RoundingPairs caps that subsample: between testgeom.MinPairs and
	// MaxRoundingPairs, checked even when RoundingNoise is off.
	RoundingPairs int
	// Noise gives the correction's method, replicates and bootstrap; it is
	// checked only with RoundingNoise.
	Noise TestNoise
}

// DefaultCheckpointTestOptions are `syngeom test`'s defaults on
// checkpoints: the test's defaults, DefaultGroupSample, no rounding-noise
// correction (DefaultRoundingPairs when asked for) and DefaultTestNoise.
func DefaultCheckpointTestOptions() CheckpointTestOptions {
	return CheckpointTestOptions{Test: testgeom.DefaultOptions(), GroupSample: DefaultGroupSample,
		RoundingPairs: DefaultRoundingPairs, Noise: DefaultTestNoise()}
}

// Validate checks the settings alone, as an OptionError.
func (o CheckpointTestOptions) Validate() error {
	if o.RoundingPairs < testgeom.MinPairs || o.RoundingPairs > MaxRoundingPairs {
		return optionErrorf("%s must be between %d and %d", setting("RoundingPairs"), testgeom.MinPairs, MaxRoundingPairs)
	}
	if o.RoundingNoise {
		if err := o.Noise.Validate(); err != nil {
			return err
		}
	}
	if err := validGroups(o.GroupSample, o.GroupBootstrap); err != nil {
		return err
	}
	if err := o.Test.Validate(); err != nil {
		return inputerr.Within("Test", err)
	}
	return nil
}

// CheckpointAnalysisOptions are the options of AnalyzeCheckpoints: those
// of `syngeom analyze` on two network checkpoints.
type CheckpointAnalysisOptions struct {
	// Analysis holds analyze's options; AnalyzeCheckpoints sets
	// Test.ExactWeights (checkpoint weights are exact).
	Analysis Options
	// GroupSample caps the subsample of each tensor or group
	// (stream.Config.GroupSampleMax); at least testgeom.MinPairs.
	GroupSample int
	// GroupBootstrap is the number of bootstrap resamples of each tensor or
	// group (0: none, the default), as in CheckpointTestOptions.
	GroupBootstrap int
}

// Validate checks the settings alone, as an OptionError.
func (o CheckpointAnalysisOptions) Validate() error {
	if err := o.Analysis.Validate(); err != nil {
		return inputerr.Within("Analysis", err)
	}
	return validGroups(o.GroupSample, o.GroupBootstrap)
}

func validGroups(sample, bootstrap int) error {
	if sample < testgeom.MinPairs {
		return optionErrorf("%s: %d pairs is too few (at least %d)", setting("GroupSample"), sample, testgeom.MinPairs)
	}
	if bootstrap < 0 {
		return optionErrorf("%s must be ≥ 0, not %d", setting("GroupBootstrap"), bootstrap)
	}
	return nil
}

// CheckpointTestDocument is the JSON document of `syngeom test` on two
// checkpoints: that of the test with one group per tensor (or layer kind
// or block), plus the per-tensor report.
type CheckpointTestDocument struct {
	*PairedTest
	Checkpoint *CheckpointReport `json:"checkpoint"` // the per-tensor and per-group report
	// Notes say how the tensors were paired and what the groups'
	// subsamples change; the text shows them, the JSON has them in
	// Input.Notes.
	Notes []string `json:"-"`
}

// CheckpointAnalysis is the JSON document of `syngeom analyze` on two
// checkpoints: the analysis with one group per tensor (or layer kind or
// block), the common-λ test across the groups and the per-tensor report.
type CheckpointAnalysis struct {
	*Result
	// GroupComparison is the test of one λ across the groups (nil with
	// fewer than two groups).
	GroupComparison *compare.GroupComparison `json:"group_comparison"`
	Checkpoint      *CheckpointReport        `json:"checkpoint"` // the per-tensor and per-group report
	// Notes say how the tensors were paired and what the groups'
	// subsamples change, as in CheckpointTestDocument.
	Notes []string `json:"-"`
}

// TestCheckpoints runs `syngeom test` on the two checkpoints of src in two
// passes, one group per tensor (or src.GroupBy), with the test of one λ
// across the groups, and with opts.RoundingNoise the correction for
// rounding (RoundingNoise). It checks opts first (Validate). It looks at
// ctx during the passes, the group comparison and the correction, and
// returns an error matching ctx.Err() once it is done.
func TestCheckpoints(ctx context.Context, src *checkpoint.Source, opts CheckpointTestOptions) (*CheckpointTestDocument, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	cfg := checkpointStreamConfig(src, opts.GroupSample, opts.GroupBootstrap, opts.Test)
	out, err := TestStream(ctx, cfg, TestNoise{CompareGroups: true}, nil)
	if err != nil {
		return nil, err
	}
	out.Input.Files = []string{src.Before.Path, src.After.Path}
	rep := newCheckpointReport(src, out.Groups)
	if opts.RoundingNoise {
		if rep.RoundingNoise, err = roundingNoiseOf(ctx, src, opts.RoundingPairs, opts.Noise, opts.Test.Seed); err != nil {
			return nil, err
		}
	} else if h := roundingHint(src.Stats, "--rounding-noise"); h != "" {
		rep.Warnings = append(rep.Warnings, h)
	}
	return &CheckpointTestDocument{PairedTest: out, Checkpoint: rep, Notes: checkpointNotes(src, cfg)}, nil
}

// AnalyzeCheckpoints runs `syngeom analyze` on the two checkpoints of src:
// the streamed analysis (RunStreamContext) with one group per tensor (or
// src.GroupBy), the test of one λ across the groups and the per-tensor
// report. It checks opts first (Validate); opts.Analysis.Progress is told
// how the passes go. It stops when ctx is done and then returns ctx.Err().
func AnalyzeCheckpoints(ctx context.Context, src *checkpoint.Source, opts CheckpointAnalysisOptions) (*CheckpointAnalysis, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	o := opts.Analysis
	o.Test.ExactWeights = true // RunStream runs the test with o.Test
	cfg := checkpointStreamConfig(src, opts.GroupSample, opts.GroupBootstrap, o.Test)
	res, err := RunStreamContext(ctx, cfg, o) // with the common-λ test across the groups
	if err != nil {
		return nil, err
	}
	res.Input.Files = []string{src.Before.Path, src.After.Path}
	var groups []testgeom.GroupResult
	for _, g := range res.Groups {
		groups = append(groups, testgeom.GroupResult{Group: g.Group, Geometry: g.Geometry.Paired})
	}
	rep := newCheckpointReport(src, groups)
	if h := roundingHint(src.Stats, "syngeom test BEFORE AFTER --rounding-noise"); h != "" {
		rep.Warnings = append(rep.Warnings, h)
	}
	return &CheckpointAnalysis{Result: res, GroupComparison: res.GroupComparison, Checkpoint: rep, Notes: checkpointNotes(src, cfg)}, nil
}

// checkpointStreamConfig is the two-pass configuration of a checkpoint
// pair with the test options o (the weights are exact).
func checkpointStreamConfig(src *checkpoint.Source, groupSample, groupBootstrap int, o testgeom.Options) stream.Config {
	o.ExactWeights = true
	return stream.Config{Files: []string{src.Before.Path}, Test: o, Source: src.Read, GroupSampleMax: groupSample,
		GroupBootstrap: &groupBootstrap}
}

// checkpointNotes are the source's notes and, when the groups' subsamples
// are smaller than the pooled one, what that changes, and whether the
// groups are resampled.
func checkpointNotes(src *checkpoint.Source, cfg stream.Config) []string {
	return append(src.Notes(), cfg.GroupNotes()...)
}

// CheckpointReport is the per-tensor and per-group part of the result on
// two checkpoints ("checkpoint" in the JSON).
type CheckpointReport struct {
	Before     string             `json:"before"`      // the before checkpoint's path
	After      string             `json:"after"`       // the after checkpoint's path
	Formats    [2]string          `json:"formats"`     // their formats
	GroupBy    string             `json:"group_by"`    // what a group is: tensor, kind or block
	Tensors    []TensorRow        `json:"tensors"`     // each paired tensor, in file order
	Groups     []GroupRow         `json:"groups"`      // each group, in the order of its first tensor
	Skipped    []checkpoint.Skip  `json:"skipped"`     // tensors not paired, and why
	OnlyBefore []string           `json:"only_before"` // tensors of the before checkpoint only
	OnlyAfter  []string           `json:"only_after"`  // tensors of the after checkpoint only
	Warnings   []string           `json:"warnings"`    // precision warnings, shown before any verdict
	Expect     string             `json:"expectation"` // the paper's expectation, LazyRegimeNote
	Stats      []checkpoint.Stats `json:"-"`           // the statistics of each tensor pair

	// RoundingNoise is the correction for rounding (test --rounding-noise).
	RoundingNoise *RoundingNoise `json:"rounding_noise,omitempty"`
}

// LayerGeometry is the geometry test of one group of tensors.
type LayerGeometry struct {
	LambdaHat   *float64    `json:"lambda_hat"`               // λ̂ (nil: none)
	LambdaCI    [2]*float64 `json:"lambda_ci"`                // its 95% interval (nil: unbounded)
	PEuclidean  *float64    `json:"lr_p_euclidean"`           // LR p of λ = 1
	PNegEntropy *float64    `json:"lr_p_negative_entropy"`    // LR p of λ = 0
	RejectsEuc  bool        `json:"rejects_euclidean"`        // LR p < 0.05
	RejectsNE   bool        `json:"rejects_negative_entropy"` // LR p < 0.05
	Best        string      `json:"best_by_likelihood"`       // the best candidate by likelihood
	Status      string      `json:"status"`                   // ok, or why there is no estimate
}

func newLayerGeometry(g *testgeom.Result) LayerGeometry {
	if g == nil {
		return LayerGeometry{Status: "no usable pairs"}
	}
	l := LayerGeometry{Status: g.Status, LambdaHat: g.LambdaHat, LambdaCI: g.LambdaCI, Best: g.BestByLikelihood}
	if g.LambdaHat == nil && g.Status == testgeom.StatusOK {
		l.Status = g.ProfileStatus
	}
	l.PEuclidean, l.PNegEntropy = g.LRTests.Euclidean.PValue, g.LRTests.NegativeEntropy.PValue
	l.RejectsEuc = l.PEuclidean != nil && *l.PEuclidean < 0.05
	l.RejectsNE = l.PNegEntropy != nil && *l.PNegEntropy < 0.05
	return l
}

// TensorRow is one tensor: its pairs, precision, group and (grouped by
// tensor) geometry.
type TensorRow struct {
	Position int    `json:"position"` // 0-based, in the order of the before file
	Group    string `json:"group"`    // the tensor's group
	checkpoint.Stats
	LayerGeometry
}

// GroupRow is one group: its tensors, pairs and geometry; Position orders
// the groups by their first tensor in the file (the layer's depth).
type GroupRow struct {
	Position int      `json:"position"` // 0-based, in the order of the group's first tensor
	Name     string   `json:"name"`     // the group's name
	Tensors  []string `json:"tensors"`  // its tensors, in file order
	Pairs    int64    `json:"pairs"`    // its finite pairs
	LayerGeometry
}

func newCheckpointReport(src *checkpoint.Source, groups []testgeom.GroupResult) *CheckpointReport {
	by := src.GroupBy
	if by == "" {
		by = checkpoint.GroupByTensor
	}
	r := &CheckpointReport{Before: src.Before.Path, After: src.After.Path, Formats: [2]string{src.Before.Format, src.After.Format},
		GroupBy: string(by), Skipped: src.Plan.Skipped, OnlyBefore: src.Plan.OnlyBefore, OnlyAfter: src.Plan.OnlyAfter,
		Warnings: []string{}, Expect: LazyRegimeNote, Stats: src.Stats}
	if r.Skipped == nil {
		r.Skipped = []checkpoint.Skip{}
	}
	byName := map[string]*testgeom.Result{}
	for _, g := range groups {
		byName[g.Group] = g.Geometry
	}
	groupOf, pairs := map[string]string{}, map[string]int64{}
	for _, g := range src.Groups() {
		for _, t := range g.Tensors {
			groupOf[t] = g.Name
		}
	}
	for i, st := range src.Stats {
		row := TensorRow{Position: i, Group: groupOf[st.Name], Stats: st, LayerGeometry: LayerGeometry{Status: "in group " + groupOf[st.Name]}}
		if by == checkpoint.GroupByTensor {
			row.LayerGeometry = newLayerGeometry(byName[st.Name])
		}
		if w := st.RoundingWarning(); w != "" {
			r.Warnings = append(r.Warnings, w)
		}
		pairs[row.Group] += st.Pairs - st.NonFinite
		r.Tensors = append(r.Tensors, row)
	}
	for i, g := range src.Groups() {
		r.Groups = append(r.Groups, GroupRow{Position: i, Name: g.Name, Tensors: g.Tensors, Pairs: pairs[g.Name],
			LayerGeometry: newLayerGeometry(byName[g.Name])})
	}
	return r
}
