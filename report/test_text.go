package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/noise"
	"github.com/syngeom/syngeom/testgeom"
)

// WriteTestText writes the text of syngeom test's document: what was read,
// the pooled result, each group's, and the noise-aware analyses.
func WriteTestText(w io.Writer, doc *analysis.TestDocument) {
	switch {
	case doc.Paired != nil:
		printTestReport(w, doc.Paired)
	case doc.Unpaired != nil:
		printUnpairedReport(w, doc.Unpaired)
	case doc.Snapshot != nil:
		printSnapshotReport(w, doc.Snapshot)
	}
}

// printTestReport writes the text of the paired test: what was read, the
// pooled result, each group's, and the noise-aware analyses.
func printTestReport(w io.Writer, out *analysis.PairedTest) {
	in := out.Input
	fmt.Fprintf(w, "syngeom test: %d pairs from %s", in.Pairs, strings.Join(in.Files, ", "))
	if b, a := in.Columns["before"], in.Columns["after"]; b != "" || a != "" {
		fmt.Fprintf(w, " (before = %s, after = %s", b, a)
		if id := in.Columns["id"]; id != "" {
			fmt.Fprintf(w, ", synapse id = %s", id)
		}
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
	for _, n := range in.Notes {
		if ingest.IsUnreadIDNote(n) {
			fmt.Fprintf(w, "note: %s\n", n)
		}
	}
	if s := ingest.CountsList(in.Excluded); s != "" {
		fmt.Fprintf(w, "excluded: %s\n", s)
	}
	shared := ""
	if out.NoiseAware != nil && out.NoiseAware.Groups != nil {
		shared = "; the common-λ model of the groups is under \"group comparison\" at the end"
	}
	printScopes(w, out.Geometry, out.Groups, func(g testgeom.GroupResult) (string, *testgeom.Result) {
		return g.Group, g.Geometry
	}, WriteTestGeometry, shared)
	printNoiseReport(w, out.NoiseAware)
}

// WritePooledHeading labels the pooled block of a run with n parts named
// by noun (groups, tensors): one fit that ignores the parts is not their
// common geometry, and a reader must not take it for one.
func WritePooledHeading(w io.Writer, n int, noun, more string) {
	if n > 0 {
		fmt.Fprintf(w, "\n=== all %d %s pooled (one naive fit that ignores the %s%s) ===\n", n, noun, noun, more)
	}
}

// printGroupHeading starts the block of one group.
func printGroupHeading(w io.Writer, name string) {
	fmt.Fprintf(w, "\n=== group %s ===\n", name)
}

// WriteTestGeometry writes one paired test result: the pairs compared, the
// table of candidates, λ̂ with its interval and LR tests, the bootstrap,
// the step models, the warnings and the verdict.
func WriteTestGeometry(w io.Writer, r *testgeom.Result) {
	printPairCounts(w, r)
	if printFailed(w, r.Status, r.Verdict) {
		return
	}
	tw := candidateTable(w, "candidate\tn\tΔCDF\tp\tΔCDF centred\tp\tmagnitude\trel. step\tlog-lik\tAD p\tρ(d, w0)\tρ(spread, w0)\t")
	for _, c := range r.Candidates {
		if c.DCDF == nil {
			fmt.Fprintf(tw, "%s\t%d\t%s\t\t\t\t\t\t\t\t\t\t\n", c.Name, c.N, c.Status)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Name, c.N,
			NumText(c.DCDF, "%.4f"), PCell(c.DCDFPValue, c.DCDFPAtFloor, r.NullReplicates, "%.3f"), NumText(c.DCDFCentered, "%.4f"),
			PCell(c.DCDFCenteredPValue, c.DCDFCenteredPAtFloor, r.NullReplicates, "%.3f"), NumText(c.Magnitude, "%.3f"), NumText(c.RelativeStep, "%.3f"), NumText(c.LogLik, "%.1f"),
			PCell(c.ADPValue, c.ADPAtFloor, 0, "%.2g"), NumText(c.SpearmanShiftW0, "%+.3f"), NumText(c.SpearmanSpreadW0, "%+.3f"))
	}
	tw.Flush()
	fmt.Fprintf(w, "%s\n%s\n%s\n", DCDFNote, MagnitudeNote, RhoNote)
	fmt.Fprintf(w, "\nbest by ΔCDF: %s (centred: %s); best by likelihood: %s\n", r.BestByDCDF, r.BestByDCDFCentered, r.BestByLikelihood)
	if r.LambdaHat != nil {
		fmt.Fprintf(w, "λ̂ = %s (95%% %s), p̂ = λ̂ + 1 = %s\n", lambdaText(*r.LambdaHat, r.LambdaCI), intervalText(r), lambdaText(*r.PHat, r.LambdaCI))
	} else {
		fmt.Fprintf(w, "λ̂: %s\n", r.ProfileStatus)
	}
	for _, t := range NamedLRTests(r.LRTests) {
		if t.Test.PValue == nil {
			continue
		}
		fmt.Fprintf(w, "LR test of %s%s: statistic %s, p %s%s", t.Name, lrModelText(r), NumText(t.Test.Stat, "%.2f"),
			testgeom.PValueText(*t.Test.PValue, t.Test.PAtFloor, 0), robustPText(t.Test))
		if t.Test.Status != "" {
			fmt.Fprintf(w, " (%s)", t.Test.Status)
		}
		fmt.Fprintln(w)
	}
	if b := r.Bootstrap; b != nil {
		fmt.Fprintf(w, "bootstrap (%d resamples of %d pairs): Gaussian-model λ̂ percentile interval %s\n", b.Replicates, b.SampleN, CIText(b.LambdaCI))
		fmt.Fprintf(w, "  wins by ΔCDF: %s\n  wins by likelihood: %s\n", WinsText(b.WinsDCDF), WinsText(b.WinsLikelihood))
		if b.Note != "" {
			fmt.Fprintf(w, "  (%s)\n", b.Note)
		}
	}
	for _, l := range StepModelsLines(r.StepModels) {
		fmt.Fprintln(w, l)
	}
	printClosing(w, r.Warnings, r.Verdict)
}

// printFailed writes the status and verdict of a result that has no
// candidates' scores to show, and reports whether it did.
func printFailed(w io.Writer, status, verdict string) bool {
	if status == testgeom.StatusOK {
		return false
	}
	fmt.Fprintf(w, "%s\n%s\n", status, verdict)
	return true
}

// candidateTable starts a test's right-aligned table of candidates after a
// blank line with its header; the caller fills and flushes it.
func candidateTable(w io.Writer, header string) *tabwriter.Writer {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, header)
	return tw
}

// printClosing ends a result's text: its warnings, then its verdict.
func printClosing(w io.Writer, warnings []string, verdict string) {
	for _, s := range warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
	fmt.Fprintf(w, "\n%s\n", verdict)
}

// NumText formats an optional number, "–" when it is absent.
func NumText(v *float64, format string) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf(format, *v)
}

// CIText writes an interval as "[lo, hi]" with four decimals, or more
// where the interval is narrower than 0.01 (testgeom.LambdaDecimals: two
// significant digits of its width); "–" for a missing bound.
func CIText(ci [2]*float64) string {
	end := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return lambdaText(*x, ci)
	}
	return "[" + end(ci[0]) + ", " + end(ci[1]) + "]"
}

// lambdaText writes λ̂ (or p̂) with the decimals CIText gives its interval,
// without the sign of a value that rounds to zero (testgeom.FormatFixed).
func lambdaText(x float64, ci [2]*float64) string {
	return testgeom.FormatFixed(x, testgeom.LambdaDecimals(ci, 4))
}

// printNoiseReport writes the noise-aware analyses, if any: the noise
// estimate, the corrected λ̂ (pooled and per group), the comparison with a
// control and the comparison of groups.
func printNoiseReport(w io.Writer, n *analysis.NoiseAware) {
	if n == nil {
		return
	}
	if e := n.NoiseEstimate; e != nil {
		fmt.Fprintf(w, "\nnoise estimated from %d repeated pairs: %s", e.N, e.Model)
		if e.CVSE != nil {
			fmt.Fprintf(w, " (CV se %.3g)", *e.CVSE)
		}
		if e.SDSE != nil {
			fmt.Fprintf(w, " (SD se %.3g)", *e.SDSE)
		}
		fmt.Fprintln(w)
	}
	if n.Note != "" {
		fmt.Fprintf(w, "\nnote: %s\n", n.Note)
	}
	printCorrection := func(label string, c *noise.Correction) {
		fmt.Fprintf(w, "\nnoise-corrected geometry%s (%s):\n", label, c.Method)
		if c.Lambda == nil {
			fmt.Fprintf(w, "  %s\n", c.Status)
			return
		}
		fmt.Fprintf(w, "  naive λ̂ (Gaussian steps, no noise correction) = %s, LR interval %s; corrected λ̂ = %s %s, p̂ = %.3f\n",
			testgeom.FormatFixed(*c.NaiveLambda, 4), CIText(c.NaiveCI), testgeom.FormatFixed(*c.Lambda, 4), CIText(c.LambdaCI), *c.PHat)
		if c.Assumptions != "" {
			fmt.Fprintf(w, "  (the interval assumes %s)\n", c.Assumptions)
		}
		for _, s := range c.Warnings {
			fmt.Fprintf(w, "  warning: %s\n", s)
		}
		fmt.Fprintf(w, "  %s\n", c.Verdict)
	}
	if n.Correction != nil {
		printCorrection("", n.Correction)
	}
	for _, g := range n.GroupCorrection {
		printCorrection(" of group "+g.Group, g.Correction)
	}
	if c := n.Control; c != nil {
		fmt.Fprintf(w, "\nlearning versus control:\n")
		if c.Status != testgeom.StatusOK {
			fmt.Fprintf(w, "  %s\n", c.Status)
		}
		fmt.Fprintf(w, "  %s\n", c.Verdict)
	}
	if g := n.Groups; g != nil {
		fmt.Fprintf(w, "\ngroup comparison:\n")
		for _, gl := range g.Groups {
			if gl.LambdaHat == nil {
				fmt.Fprintf(w, "  %s: %s\n", gl.Group, gl.Status)
				continue
			}
			fmt.Fprintf(w, "  %s: n %d, λ̂ = %s, %s-model LR interval %s, se %s (robust %s)\n", gl.Group, gl.N, lambdaText(*gl.LambdaHat, gl.LambdaCI), g.StepWord(), CIText(gl.LambdaCI), NumText(gl.SE, "%.4f"), NumText(gl.SERobust, "%.4f"))
		}
		fmt.Fprintf(w, "  %s\n", g.Verdict)
		if re := g.RandomEffects; re != nil && re.Groups >= 2 {
			fmt.Fprintf(w, "  spread of λ across groups (DerSimonian–Laird): τ̂ = %.3f %s, Q = %.2f (p %s), I² = %.2f, mean λ = %.3f ± %.3f\n",
				re.Tau, CIText(re.TauCI), re.Q, testgeom.PValueEq(re.QPValue), re.I2, re.Mean, re.MeanSE)
		}
		if g.Assumptions != "" {
			fmt.Fprintf(w, "  (%s)\n", g.Assumptions)
		}
	}
}

// printPairCounts writes how many pairs were read and how many every
// candidate is scored on, with the pairs counted but not compared.
func printPairCounts(w io.Writer, r *testgeom.Result) {
	fmt.Fprintf(w, "%d pairs", r.N)
	if s := ingest.CountsList(r.Counts); s != "" {
		fmt.Fprintf(w, " (%s)", s)
	}
	if z := r.Counts["zero_pairs"]; z > 0 {
		fmt.Fprintf(w, "; every candidate is scored on the same %d pairs with both weights nonzero", r.ComparedN)
		var some, not []string
		for _, c := range r.Candidates {
			if c.UsableNotCompared > 0 {
				some = append(some, c.Name)
			} else {
				not = append(not, c.Name)
			}
		}
		if len(some) > 0 {
			fmt.Fprintf(w, "\n(the pairs with a zero weight are counted, not compared: %d of %d candidates could use them, %s cannot)",
				len(some), len(r.Candidates), strings.Join(not, ", "))
		}
	}
	fmt.Fprintln(w)
}

// PCell formats a p-value cell: the value, or the bound when it is at the
// floor of its calibration.
func PCell(p *float64, atFloor bool, sims int, format string) string {
	if p == nil {
		return "–"
	}
	return testgeom.PValueCell(*p, atFloor, sims, format)
}

// intervalText names λ̂'s headline interval and gives the Gaussian-model LR
// interval beside it.
func intervalText(r *testgeom.Result) string {
	li := r.LambdaInterval
	if li == nil || li.Method == "lr" {
		s := "LR interval " + CIText(r.LambdaCI) + ", Gaussian dual step assumed"
		if li != nil && li.Note != "" {
			s += "; " + li.Note
		}
		return s
	}
	kind := "robust interval"
	if li.StudentT() {
		s := "Student-t step model's LR interval " + CIText(r.LambdaCI)
		if li.Method == "cluster_robust_student_t_lr" {
			s = fmt.Sprintf("Student-t step model's synapse-robust interval %s (k_t = %s)", CIText(r.LambdaCI), NumText(r.StepModels.StudentT.ClusterScale, "%.2f"))
		}
		if li.GaussianLambdaHat != nil && len(li.GaussianCI) == 2 {
			s += fmt.Sprintf("; Gaussian model λ̂ = %s, %s interval %s", lambdaText(*li.GaussianLambdaHat, [2]*float64{li.GaussianCI[0], li.GaussianCI[1]}), (&testgeom.LambdaInterval{Method: li.GaussianMethod}).Label(), CIText([2]*float64{li.GaussianCI[0], li.GaussianCI[1]}))
		}
		return s + "; Gaussian-model LR interval " + CIText(li.LRCI)
	}
	if li.Method == "cluster_robust_lr" {
		kind = fmt.Sprintf("synapse-robust interval (%d synapses)", li.Clusters)
		if li.ClustersSampled {
			kind = fmt.Sprintf("synapse-robust interval (clustering estimated on %d sampled synapses)", li.Clusters)
		}
	}
	return fmt.Sprintf("%s %s, scale k = %s; Gaussian-model LR interval %s", kind, CIText(r.LambdaCI), NumText(li.Scale, "%.2f"), CIText(li.LRCI))
}

// robustPText is the robust p-value of an LR test, if any.
func robustPText(t testgeom.LRTest) string {
	if t.PValueRobust == nil {
		return ""
	}
	return ", robust p " + testgeom.PValueText(*t.PValueRobust, false, 0)
}

// lrModelText names the step model of the LR tests when the headline is the
// Student-t model's.
func lrModelText(r *testgeom.Result) string {
	if r.LambdaInterval.StudentT() {
		return " (Student-t step model)"
	}
	return ""
}

// printUnpairedReport writes the text of the unpaired test.
func printUnpairedReport(w io.Writer, out *analysis.UnpairedTest) {
	printDesignInput(w, out.Input)
	printScopes(w, out.Geometry, out.Groups, func(g analysis.UnpairedGroup) (string, *testgeom.UnpairedResult) {
		return g.Group, g.Geometry
	}, printUnpaired, "")
}

// printSnapshotReport writes the text of the single-sample analysis.
func printSnapshotReport(w io.Writer, out *analysis.SnapshotTest) {
	printDesignInput(w, out.Input)
	printScopes(w, out.Geometry, out.Groups, func(g testgeom.SnapshotGroup) (string, *testgeom.SnapshotResult) {
		return g.Group, g.Snapshot
	}, printSnapshot, "")
}

// printScopes writes the pooled result of a test (under a heading when
// there are groups, with more said there), then each group's under its
// own: the one layout of the paired, unpaired and single-sample tests.
// part gives a group's name and result; print writes one result.
func printScopes[G, R any](w io.Writer, pooled R, groups []G, part func(G) (string, R), print func(io.Writer, R), more string) {
	WritePooledHeading(w, len(groups), "groups", more)
	print(w, pooled)
	for _, g := range groups {
		name, r := part(g)
		printGroupHeading(w, name)
		print(w, r)
	}
}

// printDesignInput writes what an unpaired or single-sample test read.
func printDesignInput(w io.Writer, in analysis.DesignInput) {
	switch in.Shape {
	case ingest.ShapeUnpaired:
		fmt.Fprintf(w, "syngeom test (unpaired samples): %d before and %d after values from %s\n", in.NBefore, in.NAfter, strings.Join(in.Files, ", "))
	default:
		fmt.Fprintf(w, "syngeom test (single snapshot): %d values from %s\n", in.NBefore, strings.Join(in.Files, ", "))
	}
	if s := ingest.CountsList(in.Excluded); s != "" {
		fmt.Fprintf(w, "excluded: %s\n", s)
	}
}

// printUnpaired writes one unpaired test result.
func printUnpaired(w io.Writer, r *testgeom.UnpairedResult) {
	if printFailed(w, r.Status, r.Verdict) {
		return
	}
	tw := candidateTable(w, "candidate\tn before\tn after\tμ̂\tσ̂²\tz(σ̂²)\tdistance\tΔskew\tΔkurt\tlog-lik\texplains\t")
	for _, c := range r.Candidates {
		if c.ShiftVariance == nil {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\t\t\t\t\t\t\t\n", c.Name, c.NBefore, c.NAfter, c.Status)
			continue
		}
		ex := "yes"
		if !c.CanExplain {
			ex = "no"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Name, c.NBefore, c.NAfter,
			NumText(c.ShiftMean, "%.4g"), NumText(c.ShiftVariance, "%.3g"), NumText(c.ShiftVarianceZ, "%.2f"),
			NumText(c.Distance, "%.4f"), NumText(c.SkewnessChange, "%+.3f"), NumText(c.KurtosisChange, "%+.3f"),
			NumText(c.LogLik, "%.1f"), ex)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nbest by distance: %s", r.BestByDistance)
	if r.Refined {
		fmt.Fprintf(w, "; best by likelihood: %s", r.BestByLikelihood)
	}
	fmt.Fprintln(w)
	if r.Refined {
		if r.LambdaHat != nil {
			fmt.Fprintf(w, "λ̂ = %s (95%% LR interval %s), p̂ = λ̂ + 1 = %s\n", lambdaText(*r.LambdaHat, r.LambdaCI), CIText(r.LambdaCI), lambdaText(*r.PHat, r.LambdaCI))
			if r.LambdaCIAssumes != "" {
				fmt.Fprintf(w, "(the interval is a %s)\n", r.LambdaCIAssumes)
			}
		} else {
			fmt.Fprintf(w, "λ̂: %s\n", r.ProfileStatus)
		}
		for _, t := range NamedLRTests(r.LRTests) {
			if t.Test.PValue != nil {
				fmt.Fprintf(w, "LR test of %s: statistic %s, p %s\n", t.Name, NumText(t.Test.Stat, "%.2f"), testgeom.PValueEq(*t.Test.PValue))
			}
		}
	}
	if b := r.Bootstrap; b != nil {
		fmt.Fprintf(w, "bootstrap (%d resamples of %d before and %d after values): wins by distance: %s\n", b.Replicates, b.SampleBefore, b.SampleAfter, WinsText(b.WinsDistance))
		if c := findUnpaired(r, r.BestByDistance); c != nil {
			fmt.Fprintf(w, "  %s: distance 95%% interval %s; Δskew %s; Δkurt %s\n", c.Name, CIText(c.DistanceCI), CIText(c.SkewnessChangeCI), CIText(c.KurtosisChangeCI))
		}
		if b.Note != "" {
			fmt.Fprintf(w, "  (%s)\n", b.Note)
		}
	}
	printClosing(w, r.Warnings, r.Verdict)
}

// findUnpaired is the named candidate of an unpaired result (nil if none).
func findUnpaired(r *testgeom.UnpairedResult, name string) *testgeom.UnpairedCandidate {
	for i := range r.Candidates {
		if r.Candidates[i].Name == name {
			return &r.Candidates[i]
		}
	}
	return nil
}

// printSnapshot writes one single-sample result.
func printSnapshot(w io.Writer, r *testgeom.SnapshotResult) {
	if printFailed(w, r.Status, r.Verdict) {
		return
	}
	if r.DetectionLimit != nil {
		fmt.Fprintf(w, "%d values at or above the detection limit %g\n", r.N, *r.DetectionLimit)
	}
	tw := candidateTable(w, "candidate\tK\tpositions\tweights\tσ (dual)\tlog-lik\tΔBIC\tP(w<0)\tP(w<limit)\truled out\t")
	for _, c := range r.Candidates {
		if c.BestK == 0 {
			fmt.Fprintf(tw, "%s\t\tcould not be fitted\t\t\t\t\t\t\t\t\n", c.Name)
			continue
		}
		f := c.Fits[c.BestK-1]
		out := "no"
		if c.RuledOut {
			out = "yes"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Name, f.K, floatList(f.Positions, "%.4g"), floatList(f.Weights, "%.3f"),
			NumText(f.Sigma, "%.4g"), NumText(f.LogLik, "%.1f"), NumText(c.DeltaBIC, "%.1f"), NumText(f.PBelowZero, "%.3g"), NumText(f.PBelowLimit, "%.3g"), out)
	}
	tw.Flush()
	fmt.Fprintln(w, snapshotLegend)
	for _, c := range r.Candidates {
		if c.RuledOut {
			fmt.Fprintf(w, "%s ruled out: %s\n", c.Name, strings.Join(c.Reasons, "; "))
		}
	}
	printClosing(w, nil, r.Verdict)
}

// snapshotLegend says what each column of the snapshot table holds.
const snapshotLegend = "K: points of the initial law, chosen by BIC; positions and weights: where those points sit, in the unit of the weights, and their shares; " +
	"σ (dual): sd of the Gaussian noise that moves them, in the candidate's dual coordinates; ΔBIC: BIC above the best candidate's; " +
	"P(w<0): the fitted mass below zero; P(w<limit): below the detection limit (– without one); ruled out: by the rule stated after the verdict."

// floatList formats each value and joins them with commas.
func floatList(x []float64, format string) string {
	parts := make([]string, len(x))
	for i, v := range x {
		parts[i] = fmt.Sprintf(format, v)
	}
	return strings.Join(parts, ", ")
}
