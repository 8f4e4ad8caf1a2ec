package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/report"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// checkpointFlags choose the tensors of two network checkpoints.
type checkpointFlags struct {
	tensors string
}

func addCheckpointFlags(fs *pflag.FlagSet) *checkpointFlags {
	f := &checkpointFlags{}
	fs.StringVar(&f.tensors, "tensors", "", "network checkpoints: analyse the tensors whose names match this regular expression (default: every float tensor with two or more dimensions)")
	return f
}

// checkpointArgs reports whether the arguments are two network checkpoints
// (safetensors, torch.save archives, NumPy .npy/.npz; a directory or index
// file of a sharded safetensors checkpoint). One checkpoint with one table,
// or a number of checkpoints other than two, is a usage error.
func checkpointArgs(args []string) (bool, error) {
	var n int
	for _, a := range args {
		if checkpoint.Detect(a) != "" {
			n++
		}
	}
	switch {
	case n == 0:
		return false, nil
	case n == 2 && len(args) == 2:
		return true, nil
	}
	return false, usagef("network checkpoints are compared two at a time: BEFORE AFTER (got %d files, %d of them checkpoints)", len(args), n)
}

// openCheckpointPair opens and pairs two checkpoints.
func openCheckpointPair(args []string, f *checkpointFlags) (*checkpoint.Source, error) {
	var re *regexp.Regexp
	if f.tensors != "" {
		var err error
		if re, err = regexp.Compile(f.tensors); err != nil {
			return nil, usagef("--tensors: %v", err)
		}
	}
	return checkpoint.NewSource(args[0], args[1], re)
}

// checkpointStreamConfig is the two-pass configuration of a checkpoint pair.
func checkpointStreamConfig(src *checkpoint.Source, cands string, boot, nullReps int, seed uint64) stream.Config {
	return stream.Config{Files: []string{src.Before.Path}, Candidates: cands, Bootstrap: boot,
		NullReplicates: nullReps, Seed: seed, Source: src.Read}
}

// checkpointReport is the per-tensor part of the result on two checkpoints.
type checkpointReport struct {
	Before     string             `json:"before"`
	After      string             `json:"after"`
	Formats    [2]string          `json:"formats"`
	Tensors    []tensorRow        `json:"tensors"`
	Skipped    []checkpoint.Skip  `json:"skipped"`
	OnlyBefore []string           `json:"only_before"`
	OnlyAfter  []string           `json:"only_after"`
	Warnings   []string           `json:"warnings"`
	Expect     string             `json:"expectation"`
	Stats      []checkpoint.Stats `json:"-"`
}

// tensorRow is one tensor: its pairs, precision and geometry.
type tensorRow struct {
	Position int `json:"position"` // 0-based, in the order of the before file
	checkpoint.Stats
	LambdaHat   *float64    `json:"lambda_hat"`
	LambdaCI    [2]*float64 `json:"lambda_ci"`
	PEuclidean  *float64    `json:"lr_p_euclidean"`
	PNegEntropy *float64    `json:"lr_p_negative_entropy"`
	RejectsEuc  bool        `json:"rejects_euclidean"` // LR p < 0.05
	RejectsNE   bool        `json:"rejects_negative_entropy"`
	Best        string      `json:"best_by_likelihood"`
	Status      string      `json:"status"`
}

// lazyRegimeNote is the paper's expectation, stated with every result.
const lazyRegimeNote = "The prediction of Pogodin et al. holds in the lazy regime of small changes; layers trained longer, or whose weights changed a lot, may drift from it."

func newCheckpointReport(src *checkpoint.Source, groups []testgeom.GroupResult) *checkpointReport {
	r := &checkpointReport{Before: src.Before.Path, After: src.After.Path, Formats: [2]string{src.Before.Format, src.After.Format},
		Skipped: src.Plan.Skipped, OnlyBefore: src.Plan.OnlyBefore, OnlyAfter: src.Plan.OnlyAfter,
		Warnings: []string{}, Expect: lazyRegimeNote, Stats: src.Stats}
	if r.Skipped == nil {
		r.Skipped = []checkpoint.Skip{}
	}
	byName := map[string]*testgeom.Result{}
	for _, g := range groups {
		byName[g.Group] = g.Geometry
	}
	for i, st := range src.Stats {
		row := tensorRow{Position: i, Stats: st, Status: "no usable pairs"}
		if w := st.RoundingWarning(); w != "" {
			r.Warnings = append(r.Warnings, w)
		}
		if g := byName[st.Name]; g != nil {
			row.Status, row.LambdaHat, row.LambdaCI, row.Best = g.Status, g.LambdaHat, g.LambdaCI, g.BestByLikelihood
			if g.LambdaHat == nil && g.Status == testgeom.StatusOK {
				row.Status = g.ProfileStatus
			}
			row.PEuclidean, row.PNegEntropy = g.LRTests.Euclidean.PValue, g.LRTests.NegativeEntropy.PValue
			row.RejectsEuc = row.PEuclidean != nil && *row.PEuclidean < 0.05
			row.RejectsNE = row.PNegEntropy != nil && *row.PNegEntropy < 0.05
		}
		r.Tensors = append(r.Tensors, row)
	}
	return r
}

// printCheckpointHeader writes what was paired and the precision warnings,
// which come before any verdict.
func printCheckpointHeader(w io.Writer, r *checkpointReport, notes []string) {
	fmt.Fprintf(w, "checkpoints: %s (%s) → %s (%s)\n", r.Before, r.Formats[0], r.After, r.Formats[1])
	for _, n := range notes {
		fmt.Fprintf(w, "  %s\n", n)
	}
	for _, s := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
}

// printTensorTable writes the per-tensor table and which tensors reject
// each named geometry.
func printTensorTable(w io.Writer, r *checkpointReport) {
	fmt.Fprintln(w, "\nper tensor (λ = p − 1: 0 is negative entropy, 1 Euclidean; LR tests at α = 0.05):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\ttensor\tdtype\tshape\tpairs\tunchanged\tsign changes\tstep/change\tλ̂\t95% CI\tp(Euclid)\tp(NE)\tbest")
	var rejE, rejN []string
	for _, t := range r.Tensors {
		dt := string(t.DTypes[0])
		if t.DTypes[1] != t.DTypes[0] {
			dt += "→" + string(t.DTypes[1])
		}
		lam, best := t.Status, t.Best
		if t.LambdaHat != nil {
			lam = fmt.Sprintf("%.4f", *t.LambdaHat)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Position, t.Name, dt, shapeText(t.Shape),
			t.Pairs-t.NonFinite, t.Unchanged, t.SignChanges, testNum(t.RoundingRatio, "%.2g"), lam, testCI(t.LambdaCI),
			testNum(t.PEuclidean, "%.3g"), testNum(t.PNegEntropy, "%.3g"), best)
		if t.RejectsEuc {
			rejE = append(rejE, t.Name)
		}
		if t.RejectsNE {
			rejN = append(rejN, t.Name)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "reject Euclidean: %s\nreject negative entropy: %s\n", listOrNone(rejE), listOrNone(rejN))
	fmt.Fprintln(w, lazyRegimeNote)
}

func shapeText(s []int64) string {
	if len(s) == 0 {
		return "scalar"
	}
	p := make([]string, len(s))
	for i, d := range s {
		p[i] = fmt.Sprint(d)
	}
	return strings.Join(p, "×")
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// checkpointTestOutput is the JSON document of `syngeom test` on two
// checkpoints: that of the test with one group per tensor, plus the
// per-tensor report.
type checkpointTestOutput struct {
	*testOutput
	Checkpoint *checkpointReport `json:"checkpoint"`
}

// runCheckpointTest runs the paired test on two checkpoints in two passes,
// one group per tensor, with the common-λ test across tensors.
func runCheckpointTest(env *runEnv, args []string, f *checkpointFlags, cands string, boot, nullReps int, seed uint64, jsonPath string) error {
	src, err := openCheckpointPair(args, f)
	if err != nil {
		return err
	}
	defer src.Close()
	cfg := checkpointStreamConfig(src, cands, boot, nullReps, seed)
	first, second, err := stream.Passes(cfg)
	if err != nil {
		return err
	}
	res, err := stream.Result(cfg, first, second)
	if err != nil {
		return err
	}
	cmp, err := stream.CompareGroups(cfg, first, second)
	if err != nil {
		return err
	}
	res.Input.Files = []string{src.Before.Path, src.After.Path}
	out := &testOutput{Schema: res.Schema, Input: res.Input, Geometry: res.Geometry, Groups: res.Groups}
	if cmp != nil {
		out.NoiseAware = &noiseOutput{Groups: cmp}
	}
	rep := newCheckpointReport(src, res.Groups)
	doc := &checkpointTestOutput{testOutput: out, Checkpoint: rep}
	return emitResult(env, jsonPath, doc, func(w io.Writer) {
		printCheckpointHeader(w, rep, src.Notes())
		fmt.Fprintf(w, "\n=== all %d tensors pooled ===\n", len(rep.Tensors))
		if s := report.CountsList(out.Input.Excluded); s != "" {
			fmt.Fprintf(w, "excluded: %s\n", s)
		}
		printGeometry(w, out.Geometry)
		printTensorTable(w, rep)
		if cmp != nil {
			fmt.Fprintf(w, "\n%s\n", cmp.Verdict)
		}
		fmt.Fprintln(w, "(each tensor's full test: --json)")
	})
}

// checkpointAnalysis is the JSON document of `syngeom analyze` on two
// checkpoints: the analysis with one group per tensor, the common-λ test
// across tensors and the per-tensor report.
type checkpointAnalysis struct {
	*analysis.Result
	GroupComparison *testgeom.GroupComparison `json:"group_comparison"`
	Checkpoint      *checkpointReport         `json:"checkpoint"`
}

// runCheckpointAnalyze runs the streamed analysis on two checkpoints.
func runCheckpointAnalyze(env *runEnv, args []string, f *checkpointFlags, opts analysis.Options, cands string, jsonPath string, quiet bool) error {
	src, err := openCheckpointPair(args, f)
	if err != nil {
		return err
	}
	defer src.Close()
	cfg := checkpointStreamConfig(src, cands, opts.Bootstrap, opts.NullReplicates, opts.Seed)
	var cmp *testgeom.GroupComparison
	cfg.Merged = func(first *stream.Part1, second *stream.Part2) error {
		var err error
		cmp, err = stream.CompareGroups(cfg, first, second)
		return err
	}
	prog := newProgress(env.stderr, !quiet && jsonPath != "-")
	opts.Progress = prog.status
	res, err := analysis.RunStream(cfg, opts)
	prog.done()
	if err != nil {
		return err
	}
	res.Input.Files = []string{src.Before.Path, src.After.Path}
	var groups []testgeom.GroupResult
	for _, g := range res.Groups {
		groups = append(groups, testgeom.GroupResult{Group: g.Group, Geometry: g.Geometry.Paired})
	}
	rep := newCheckpointReport(src, groups)
	doc := &checkpointAnalysis{Result: res, GroupComparison: cmp, Checkpoint: rep}
	if jsonPath == "-" {
		return encodeJSON(env.stdout, doc)
	}
	if jsonPath != "" {
		if err := writeJSONFile(jsonPath, doc); err != nil {
			return err
		}
	}
	if quiet {
		return nil
	}
	w := env.stdout
	printCheckpointHeader(w, rep, src.Notes())
	fmt.Fprintln(w)
	if err := report.WriteAnalysisText(w, res); err != nil {
		return err
	}
	printTensorTable(w, rep)
	if cmp != nil {
		fmt.Fprintf(w, "\n%s\n", cmp.Verdict)
	}
	return nil
}
