package report

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/noise"
	"github.com/syngeom/syngeom/testgeom"
)

// WriteCheckpointTestText writes the text of `syngeom test` on two
// checkpoints (analysis.TestCheckpoints): what was paired and the
// precision warnings, the pooled test, the per-tensor (or per-group)
// table, the rounding-noise correction and the test of one λ across the
// groups.
func WriteCheckpointTestText(w io.Writer, doc *analysis.CheckpointTestDocument) {
	rep := doc.Checkpoint
	var cmp *compare.GroupComparison // nil: fewer than two groups to compare
	if doc.NoiseAware != nil {
		cmp = doc.NoiseAware.Groups
	}
	writeCheckpointHeader(w, rep, doc.Notes)
	more := ""
	if cmp != nil {
		more = "; the test of one λ across the " + rep.GroupBy + "s is at the end"
	}
	WritePooledHeading(w, len(rep.Tensors), "tensors", more)
	if s := ingest.CountsList(doc.Input.Excluded); s != "" {
		fmt.Fprintf(w, "excluded: %s\n", s)
	}
	WriteTestGeometry(w, doc.Geometry)
	writeTensorTable(w, rep)
	writeRoundingNoise(w, rep.RoundingNoise)
	if cmp != nil {
		fmt.Fprintf(w, "\n%s\n", cmp.Verdict)
	}
	fmt.Fprintf(w, "(each %s's full test: --json)\n", rep.GroupBy)
}

// WriteCheckpointAnalysisText writes the text summary of `syngeom analyze`
// on two checkpoints (analysis.AnalyzeCheckpoints): what was paired and the
// precision warnings, the analysis summary (WriteAnalysisText), the
// per-tensor (or per-group) table and the test of one λ across the groups.
func WriteCheckpointAnalysisText(w io.Writer, doc *analysis.CheckpointAnalysis) error {
	writeCheckpointHeader(w, doc.Checkpoint, doc.Notes)
	fmt.Fprintln(w)
	if err := WriteAnalysisText(w, doc.Result); err != nil {
		return err
	}
	writeTensorTable(w, doc.Checkpoint)
	if doc.GroupComparison != nil {
		fmt.Fprintf(w, "\n%s\n", doc.GroupComparison.Verdict)
	}
	return nil
}

// CheckpointAnalysisDocument is the HTML page of `syngeom analyze` on two
// checkpoints: AnalysisDocument of the analysis with the per-layer section
// (CheckpointLayers), a title naming the two files, and the precision
// warnings before the analysis's own. o.Title and o.Layers are set here.
func CheckpointAnalysisDocument(doc *analysis.CheckpointAnalysis, o AnalysisPageOptions) (*Document, error) {
	rep := doc.Checkpoint
	o.Layers = CheckpointLayers(rep)
	o.Title = "Geometry of plasticity: " + filepath.Base(rep.Before) + " → " + filepath.Base(rep.After)
	d, err := AnalysisDocument(doc.Result, o)
	if err != nil {
		return nil, err
	}
	d.Warnings = append(slices.Clone(rep.Warnings), d.Warnings...) // precision first
	return d, nil
}

// CheckpointLayers is the per-layer table of the HTML page: one row per
// group of the checkpoint report.
func CheckpointLayers(r *analysis.CheckpointReport) *LayerReport {
	l := &LayerReport{GroupBy: r.GroupBy}
	for _, g := range r.Groups {
		l.Rows = append(l.Rows, LayerRow{Name: g.Name, Tensors: g.Tensors, Pairs: g.Pairs,
			Est: val(g.LambdaHat), Lo: val(g.LambdaCI[0]), Hi: val(g.LambdaCI[1]),
			PEuclidean: val(g.PEuclidean), PNegEntropy: val(g.PNegEntropy),
			RejectsEuclidean: g.RejectsEuc, RejectsNE: g.RejectsNE, Best: g.Best, Status: g.Status})
	}
	return l
}

// writeCheckpointHeader writes what was paired and the precision warnings,
// which come before any verdict.
func writeCheckpointHeader(w io.Writer, r *analysis.CheckpointReport, notes []string) {
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

// writeTensorTable writes the per-tensor table and which tensors reject
// each named geometry; grouped by kind or block, the per-tensor table
// holds the precision only and the geometry is per group.
func writeTensorTable(w io.Writer, r *analysis.CheckpointReport) {
	if r.GroupBy != string(checkpoint.GroupByTensor) {
		writeGroupedTables(w, r)
		return
	}
	fmt.Fprintln(w, "\nper tensor (λ = p − 1: 0 is negative entropy, 1 Euclidean; LR tests at α = 0.05):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\ttensor\tdtype\tshape\tpairs\tunchanged\tsign changes\tstep/change\tλ̂\t95% CI\tp(Euclid)\tp(NE)\tbest")
	for _, t := range r.Tensors {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", t.Position, t.Name, dtypeText(t.Stats), ShapeText(t.Shape),
			t.Pairs-t.NonFinite, t.Unchanged, t.SignChanges, NumText(t.RoundingRatio, "%.2g"), geometryCells(t.LayerGeometry))
	}
	tw.Flush()
	writeRejections(w, r)
}

// writeGroupedTables writes the precision of each tensor, then the
// geometry of each group with the tensors it holds.
func writeGroupedTables(w io.Writer, r *analysis.CheckpointReport) {
	fmt.Fprintln(w, "\nper tensor:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\ttensor\t"+r.GroupBy+"\tdtype\tshape\tpairs\tunchanged\tsign changes\tstep/change")
	for _, t := range r.Tensors {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", t.Position, t.Name, t.Group, dtypeText(t.Stats), ShapeText(t.Shape),
			t.Pairs-t.NonFinite, t.Unchanged, t.SignChanges, NumText(t.RoundingRatio, "%.2g"))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nper %s, in the order of its first tensor (λ = p − 1: 0 is negative entropy, 1 Euclidean; LR tests at α = 0.05):\n", r.GroupBy)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\t"+r.GroupBy+"\ttensors\tpairs\tλ̂\t95% CI\tp(Euclid)\tp(NE)\tbest")
	for _, g := range r.Groups {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%s\n", g.Position, g.Name, len(g.Tensors), g.Pairs, geometryCells(g.LayerGeometry))
	}
	tw.Flush()
	fmt.Fprintln(w, "tensors of each group:")
	for _, g := range r.Groups {
		fmt.Fprintf(w, "  %s: %s\n", g.Name, firstTensors(g.Tensors))
	}
	writeRejections(w, r)
}

// writeRejections lists the groups that reject each named geometry, and
// the paper's expectation.
func writeRejections(w io.Writer, r *analysis.CheckpointReport) {
	var rejE, rejN []string
	for _, g := range r.Groups {
		if g.RejectsEuc {
			rejE = append(rejE, g.Name)
		}
		if g.RejectsNE {
			rejN = append(rejN, g.Name)
		}
	}
	fmt.Fprintf(w, "reject Euclidean: %s\nreject negative entropy: %s\n", ListOrNone(rejE), ListOrNone(rejN))
	fmt.Fprintln(w, LazyRegimeNote)
}

// geometryCells are the tab-separated geometry columns of a table row.
func geometryCells(l analysis.LayerGeometry) string {
	lam := l.Status
	if l.LambdaHat != nil {
		lam = lambdaText(*l.LambdaHat, l.LambdaCI)
	}
	return fmt.Sprintf("%s\t%s\t%s\t%s\t%s", lam, CIText(l.LambdaCI), PCell(l.PEuclidean, false, 0, "%.3g"), PCell(l.PNegEntropy, false, 0, "%.3g"), l.Best)
}

// dtypeText is a tensor pair's dtype, or its two dtypes.
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

// ShapeText is a tensor's shape as the tables show it: 768×3072, or
// "scalar".
func ShapeText(s []int64) string {
	if len(s) == 0 {
		return "scalar"
	}
	p := make([]string, len(s))
	for i, d := range s {
		p[i] = fmt.Sprint(d)
	}
	return strings.Join(p, "×")
}

// ListOrNone joins names with commas, or says "none".
func ListOrNone(s []string) string { return joinOr(s, "none") }

// writeRoundingNoise writes the rounding-noise section of the text.
func writeRoundingNoise(w io.Writer, r *analysis.RoundingNoise) {
	if r == nil {
		return
	}
	fmt.Fprintf(w, "\nrounding noise: %s, multiplicative CV %.3g per weight (before and after)\n", r.Source, r.CV)
	sm := r.Sample
	if r.Correction == nil && r.Groups == nil && sm.Used == 0 {
		fmt.Fprintf(w, "  %s\n", r.Status)
		return
	}
	if sm.Subsampled {
		fmt.Fprintf(w, "  on a uniform random subsample of %d of the %d usable pairs (at most %d, drawn from seed %d)\n", sm.Used, sm.Eligible, sm.Cap, sm.Seed)
	} else {
		fmt.Fprintf(w, "  on all %d usable pairs\n", sm.Used)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  (%s)\n", n)
	}
	section := func(label string, status string, c *noise.Correction) {
		if c == nil {
			fmt.Fprintf(w, "%s: %s\n", label, status)
			return
		}
		fmt.Fprintf(w, "%s (%s, CV %.3g, %s):\n", label, c.Method, c.Noise.CV, c.NoiseSource)
		if c.Lambda == nil {
			if c.NaiveLambda != nil {
				fmt.Fprintf(w, "  naive λ̂ = %.4f %s\n", *c.NaiveLambda, CIText(c.NaiveCI))
			}
			fmt.Fprintf(w, "  %s\n", c.Status)
			return
		}
		fmt.Fprintf(w, "  %d pairs: naive λ̂ (Gaussian steps, rounding ignored) = %s, LR interval %s; corrected λ̂ = %s %s, p̂ = %.3f\n",
			c.N, testgeom.FormatFixed(*c.NaiveLambda, 4), CIText(c.NaiveCI), testgeom.FormatFixed(*c.Lambda, 4), CIText(c.LambdaCI), *c.PHat)
		for _, s := range c.Warnings {
			fmt.Fprintf(w, "  warning: %s\n", s)
		}
	}
	section("rounding-corrected geometry, pooled", r.Status, r.Correction)
	for _, g := range r.Groups {
		section("rounding-corrected geometry of "+g.Group, g.Status, g.Correction)
	}
	if c := r.Correction; c != nil && c.Assumptions != "" {
		fmt.Fprintf(w, "  (the intervals assume %s)\n", c.Assumptions)
	}
	if c := r.Correction; c != nil && c.Verdict != "" {
		fmt.Fprintf(w, "  %s\n", c.Verdict)
	}
}
