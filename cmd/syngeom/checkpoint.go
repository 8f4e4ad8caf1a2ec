package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/report"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// checkpointFlags choose the tensors of two network checkpoints and how
// they form groups.
type checkpointFlags struct {
	tensors     string
	groupBy     string
	groupSample int
}

// defaultGroupSample is the subsample each tensor or group of a checkpoint
// pair keeps for its resampling and diagnostics: with dozens of tensors these
// fixed costs, not the passes over the weights, set the run time.
const defaultGroupSample = 20000

func addCheckpointFlags(fs *pflag.FlagSet) *checkpointFlags {
	f := &checkpointFlags{}
	fs.StringVar(&f.tensors, "tensors", "", "network checkpoints: analyse the tensors whose names match this regular expression (default: every float tensor with two or more dimensions)")
	return f
}

// addGroupByFlag adds --group-by, for the commands that test groups.
func addGroupByFlag(fs *pflag.FlagSet, f *checkpointFlags) {
	fs.StringVar(&f.groupBy, "group-by", "tensor", `network checkpoints: one group per "tensor", per layer "kind" (attention q/k/v/o, mlp, embedding, norm, bias, conv, other) or per "block" (the index in layers.3., h.3., …)`)
	fs.IntVar(&f.groupSample, "group-sample", defaultGroupSample, "network checkpoints: pairs of each group's subsample for its bootstrap, diagnostics, step models and effect sizes (the pooled test keeps 100000; ΔCDF, λ̂ and LR tests use every pair)")
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
	by, err := checkpoint.ParseGroupBy(f.groupBy)
	if err != nil {
		return nil, usagef("--group-by: %q is not a way of grouping tensors (tensor, kind or block)", f.groupBy)
	}
	if f.groupSample < testgeom.MinPairs {
		return nil, usagef("--group-sample: %d pairs is too few (at least %d)", f.groupSample, testgeom.MinPairs)
	}
	src, err := checkpoint.NewSource(args[0], args[1], re)
	if err != nil {
		return nil, err
	}
	src.GroupBy = by
	return src, nil
}

// checkpointStreamConfig is the two-pass configuration of a checkpoint
// pair with the test options o (the weights are exact).
func checkpointStreamConfig(src *checkpoint.Source, f *checkpointFlags, o testgeom.Options) stream.Config {
	o.ExactWeights = true
	return stream.Config{Files: []string{src.Before.Path}, Test: o, Source: src.Read, GroupSampleMax: f.groupSample}
}

// checkpointTestOptions are the test options of syngeom test's flags on
// checkpoints.
func checkpointTestOptions(cands string, boot, nullReps int, seed uint64) (testgeom.Options, error) {
	o := testgeom.Options{Bootstrap: boot, NullReplicates: nullReps, Seed: seed}
	if err := o.Validate(); err != nil {
		return o, usagef("--%v", err)
	}
	if cands != "" {
		c, err := geometry.ParseCandidates(cands)
		if err != nil {
			return o, usagef("--candidates: %v", err)
		}
		o.Candidates = c
	}
	return o, nil
}

// checkpointNotes are the source's notes and, when the groups' subsamples
// are smaller than the pooled one, what that changes.
func checkpointNotes(src *checkpoint.Source, cfg stream.Config) []string {
	notes := src.Notes()
	if m := cfg.GroupSampleMax; m > 0 && m != testgeom.DefaultSampleMax {
		notes = append(notes, stream.GroupSampleNote(m))
	}
	return notes
}

// checkpointReport is the per-tensor and per-group part of the result on
// two checkpoints.
type checkpointReport struct {
	Before     string             `json:"before"`
	After      string             `json:"after"`
	Formats    [2]string          `json:"formats"`
	GroupBy    string             `json:"group_by"`
	Tensors    []tensorRow        `json:"tensors"`
	Groups     []groupRow         `json:"groups"`
	Skipped    []checkpoint.Skip  `json:"skipped"`
	OnlyBefore []string           `json:"only_before"`
	OnlyAfter  []string           `json:"only_after"`
	Warnings   []string           `json:"warnings"`
	Expect     string             `json:"expectation"`
	Stats      []checkpoint.Stats `json:"-"`

	// RoundingNoise is the correction for rounding (test --rounding-noise).
	RoundingNoise *roundingNoise `json:"rounding_noise,omitempty"`
}

// layerGeometry is the geometry test of one group of tensors.
type layerGeometry struct {
	LambdaHat   *float64    `json:"lambda_hat"`
	LambdaCI    [2]*float64 `json:"lambda_ci"`
	PEuclidean  *float64    `json:"lr_p_euclidean"`
	PNegEntropy *float64    `json:"lr_p_negative_entropy"`
	RejectsEuc  bool        `json:"rejects_euclidean"` // LR p < 0.05
	RejectsNE   bool        `json:"rejects_negative_entropy"`
	Best        string      `json:"best_by_likelihood"`
	Status      string      `json:"status"`
}

func newLayerGeometry(g *testgeom.Result) layerGeometry {
	if g == nil {
		return layerGeometry{Status: "no usable pairs"}
	}
	l := layerGeometry{Status: g.Status, LambdaHat: g.LambdaHat, LambdaCI: g.LambdaCI, Best: g.BestByLikelihood}
	if g.LambdaHat == nil && g.Status == testgeom.StatusOK {
		l.Status = g.ProfileStatus
	}
	l.PEuclidean, l.PNegEntropy = g.LRTests.Euclidean.PValue, g.LRTests.NegativeEntropy.PValue
	l.RejectsEuc = l.PEuclidean != nil && *l.PEuclidean < 0.05
	l.RejectsNE = l.PNegEntropy != nil && *l.PNegEntropy < 0.05
	return l
}

// tensorRow is one tensor: its pairs, precision, group and (grouped by
// tensor) geometry.
type tensorRow struct {
	Position int    `json:"position"` // 0-based, in the order of the before file
	Group    string `json:"group"`
	checkpoint.Stats
	layerGeometry
}

// groupRow is one group: its tensors, pairs and geometry; Position orders
// the groups by their first tensor in the file (the layer's depth).
type groupRow struct {
	Position int      `json:"position"`
	Name     string   `json:"name"`
	Tensors  []string `json:"tensors"`
	Pairs    int64    `json:"pairs"`
	layerGeometry
}

// lazyRegimeNote is the paper's expectation, stated with every result.
const lazyRegimeNote = report.LazyRegimeNote

func newCheckpointReport(src *checkpoint.Source, groups []testgeom.GroupResult) *checkpointReport {
	by := src.GroupBy
	if by == "" {
		by = checkpoint.GroupByTensor
	}
	r := &checkpointReport{Before: src.Before.Path, After: src.After.Path, Formats: [2]string{src.Before.Format, src.After.Format},
		GroupBy: string(by), Skipped: src.Plan.Skipped, OnlyBefore: src.Plan.OnlyBefore, OnlyAfter: src.Plan.OnlyAfter,
		Warnings: []string{}, Expect: lazyRegimeNote, Stats: src.Stats}
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
		row := tensorRow{Position: i, Group: groupOf[st.Name], Stats: st, layerGeometry: layerGeometry{Status: "in group " + groupOf[st.Name]}}
		if by == checkpoint.GroupByTensor {
			row.layerGeometry = newLayerGeometry(byName[st.Name])
		}
		if w := st.RoundingWarning(); w != "" {
			r.Warnings = append(r.Warnings, w)
		}
		pairs[row.Group] += st.Pairs - st.NonFinite
		r.Tensors = append(r.Tensors, row)
	}
	for i, g := range src.Groups() {
		r.Groups = append(r.Groups, groupRow{Position: i, Name: g.Name, Tensors: g.Tensors, Pairs: pairs[g.Name],
			layerGeometry: newLayerGeometry(byName[g.Name])})
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
	if r.GroupBy != string(checkpoint.GroupByTensor) {
		fmt.Fprintf(w, "  grouped by %s: %d groups of the %d tensors\n", r.GroupBy, len(r.Groups), len(r.Tensors))
	}
	for _, s := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
}

// printTensorTable writes the per-tensor table and which tensors reject
// each named geometry; grouped by kind or block, the per-tensor table
// holds the precision only and the geometry is per group.
func printTensorTable(w io.Writer, r *checkpointReport) {
	if r.GroupBy != string(checkpoint.GroupByTensor) {
		printGroupedTables(w, r)
		return
	}
	fmt.Fprintln(w, "\nper tensor (λ = p − 1: 0 is negative entropy, 1 Euclidean; LR tests at α = 0.05):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\ttensor\tdtype\tshape\tpairs\tunchanged\tsign changes\tstep/change\tλ̂\t95% CI\tp(Euclid)\tp(NE)\tbest")
	for _, t := range r.Tensors {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", t.Position, t.Name, dtypeText(t.Stats), shapeText(t.Shape),
			t.Pairs-t.NonFinite, t.Unchanged, t.SignChanges, report.NumText(t.RoundingRatio, "%.2g"), geometryCells(t.layerGeometry))
	}
	tw.Flush()
	printRejections(w, r)
}

// printGroupedTables writes the precision of each tensor, then the
// geometry of each group with the tensors it holds.
func printGroupedTables(w io.Writer, r *checkpointReport) {
	fmt.Fprintln(w, "\nper tensor:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\ttensor\t"+r.GroupBy+"\tdtype\tshape\tpairs\tunchanged\tsign changes\tstep/change")
	for _, t := range r.Tensors {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", t.Position, t.Name, t.Group, dtypeText(t.Stats), shapeText(t.Shape),
			t.Pairs-t.NonFinite, t.Unchanged, t.SignChanges, report.NumText(t.RoundingRatio, "%.2g"))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nper %s, in the order of its first tensor (λ = p − 1: 0 is negative entropy, 1 Euclidean; LR tests at α = 0.05):\n", r.GroupBy)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\t"+r.GroupBy+"\ttensors\tpairs\tλ̂\t95% CI\tp(Euclid)\tp(NE)\tbest")
	for _, g := range r.Groups {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%s\n", g.Position, g.Name, len(g.Tensors), g.Pairs, geometryCells(g.layerGeometry))
	}
	tw.Flush()
	fmt.Fprintln(w, "tensors of each group:")
	for _, g := range r.Groups {
		fmt.Fprintf(w, "  %s: %s\n", g.Name, firstTensors(g.Tensors))
	}
	printRejections(w, r)
}

// printRejections lists the groups that reject each named geometry, and
// the paper's expectation.
func printRejections(w io.Writer, r *checkpointReport) {
	var rejE, rejN []string
	for _, g := range r.Groups {
		if g.RejectsEuc {
			rejE = append(rejE, g.Name)
		}
		if g.RejectsNE {
			rejN = append(rejN, g.Name)
		}
	}
	fmt.Fprintf(w, "reject Euclidean: %s\nreject negative entropy: %s\n", listOrNone(rejE), listOrNone(rejN))
	fmt.Fprintln(w, lazyRegimeNote)
}

// layerReport is the per-layer table for the HTML report.
func (r *checkpointReport) layerReport() *report.LayerReport {
	l := &report.LayerReport{GroupBy: r.GroupBy}
	for _, g := range r.Groups {
		l.Rows = append(l.Rows, report.LayerRow{Name: g.Name, Tensors: g.Tensors, Pairs: g.Pairs,
			Est: orNaN(g.LambdaHat), Lo: orNaN(g.LambdaCI[0]), Hi: orNaN(g.LambdaCI[1]),
			PEuclidean: orNaN(g.PEuclidean), PNegEntropy: orNaN(g.PNegEntropy),
			RejectsEuclidean: g.RejectsEuc, RejectsNE: g.RejectsNE, Best: g.Best, Status: g.Status})
	}
	return l
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// geometryCells are the tab-separated geometry columns of a table row.
func geometryCells(l layerGeometry) string {
	lam := l.Status
	if l.LambdaHat != nil {
		lam = fmt.Sprintf("%.*f", testgeom.LambdaDecimals(l.LambdaCI, 4), *l.LambdaHat)
	}
	return fmt.Sprintf("%s\t%s\t%s\t%s\t%s", lam, report.CIText(l.LambdaCI), report.PCell(l.PEuclidean, false, 0, "%.3g"), report.PCell(l.PNegEntropy, false, 0, "%.3g"), l.Best)
}

func dtypeText(st checkpoint.Stats) string {
	dt := string(st.DTypes[0])
	if st.DTypes[1] != st.DTypes[0] {
		dt += "→" + string(st.DTypes[1])
	}
	return dt
}

// firstTensors is a count and the first few names of a group's tensors.
func firstTensors(names []string) string {
	const few = 4
	if len(names) == 1 {
		return names[0]
	}
	s := fmt.Sprintf("%d tensors: ", len(names))
	if len(names) <= few {
		return s + strings.Join(names, ", ")
	}
	return s + strings.Join(names[:few], ", ") + fmt.Sprintf(", … (%d more)", len(names)-few)
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
	*analysis.PairedTest
	Checkpoint *checkpointReport `json:"checkpoint"`
}

// runCheckpointTest runs the paired test on two checkpoints in two passes,
// one group per tensor, with the common-λ test across tensors.
func runCheckpointTest(env *runEnv, args []string, f *checkpointFlags, rf *roundingFlags, nf *analysis.TestNoise, cands string, boot, nullReps int, seed uint64, jsonPath string) error {
	src, err := openCheckpointPair(args, f)
	if err != nil {
		return err
	}
	defer src.Close()
	o, err := checkpointTestOptions(cands, boot, nullReps, seed)
	if err != nil {
		return err
	}
	cfg := checkpointStreamConfig(src, f, o)
	out, err := analysis.TestStream(context.Background(), cfg, true, nil)
	if err != nil {
		return err
	}
	out.Input.Files = []string{src.Before.Path, src.After.Path}
	var cmp *compare.GroupComparison // nil: fewer than two groups to compare
	if out.NoiseAware != nil {
		cmp = out.NoiseAware.Groups
	}
	rep := newCheckpointReport(src, out.Groups)
	if rf.on {
		if rep.RoundingNoise, err = runRoundingNoise(src, rf, nf, seed); err != nil {
			return err
		}
	} else if h := roundingHint(src.Stats, "--rounding-noise"); h != "" {
		rep.Warnings = append(rep.Warnings, h)
	}
	doc := &checkpointTestOutput{PairedTest: out, Checkpoint: rep}
	return emitResult(env, jsonPath, doc, func(w io.Writer) {
		printCheckpointHeader(w, rep, checkpointNotes(src, cfg))
		more := ""
		if cmp != nil {
			more = "; the test of one λ across the " + rep.GroupBy + "s is at the end"
		}
		report.WritePooledHeading(w, len(rep.Tensors), "tensors", more)
		if s := ingest.CountsList(out.Input.Excluded); s != "" {
			fmt.Fprintf(w, "excluded: %s\n", s)
		}
		report.WriteTestGeometry(w, out.Geometry)
		printTensorTable(w, rep)
		printRoundingNoise(w, rep.RoundingNoise)
		if cmp != nil {
			fmt.Fprintf(w, "\n%s\n", cmp.Verdict)
		}
		fmt.Fprintf(w, "(each %s's full test: --json)\n", rep.GroupBy)
	})
}

// checkpointAnalysis is the JSON document of `syngeom analyze` on two
// checkpoints: the analysis with one group per tensor, the common-λ test
// across tensors and the per-tensor report.
type checkpointAnalysis struct {
	*analysis.Result
	GroupComparison *compare.GroupComparison `json:"group_comparison"`
	Checkpoint      *checkpointReport        `json:"checkpoint"`
}

// runCheckpointAnalyze runs the streamed analysis on two checkpoints and
// writes the text, the JSON and the HTML report with the per-layer section.
func runCheckpointAnalyze(env *runEnv, args []string, f *checkpointFlags, opts analysis.Options, jsonPath, htmlPath string, page report.AnalysisPageOptions, quiet bool) error {
	toStdout, err := stdoutOutputs(map[string]string{"json": jsonPath, "html": htmlPath})
	if err != nil {
		return err
	}
	src, err := openCheckpointPair(args, f)
	if err != nil {
		return err
	}
	defer src.Close()
	opts.Test.ExactWeights = true // RunStream runs the test with opts.Test
	cfg := checkpointStreamConfig(src, f, opts.Test)
	var cmp *compare.GroupComparison
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
	if h := roundingHint(src.Stats, "syngeom test BEFORE AFTER --rounding-noise"); h != "" {
		rep.Warnings = append(rep.Warnings, h)
	}
	doc := &checkpointAnalysis{Result: res, GroupComparison: cmp, Checkpoint: rep}
	if jsonPath != "" && jsonPath != "-" {
		if err := writeJSONFile(jsonPath, doc); err != nil {
			return err
		}
	}
	if htmlPath != "" {
		page.Layers = rep.layerReport()
		page.Title = "Geometry of plasticity: " + filepath.Base(src.Before.Path) + " → " + filepath.Base(src.After.Path)
		hdoc, err := report.AnalysisDocument(res, page)
		if err != nil {
			return err
		}
		hdoc.Warnings = append(slices.Clone(rep.Warnings), hdoc.Warnings...) // precision first
		if err := report.WriteFileAtomic(htmlPath, hdoc.WriteHTML); err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(env.stderr, "syngeom analyze: wrote %s\n", htmlPath)
		}
	}
	if jsonPath == "-" {
		return encodeJSON(env.stdout, doc)
	}
	if quiet {
		return nil
	}
	w := env.stdout
	if toStdout { // the HTML is on stdout
		w = env.stderr
	}
	printCheckpointHeader(w, rep, checkpointNotes(src, cfg))
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
