package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/report"
	"github.com/syngeom/syngeom/testgeom"
)

// designFlags are the flags of syngeom test that concern unpaired samples
// and single snapshots.
type designFlags struct {
	refine         *bool
	momentsOnly    *bool
	detectionLimit *float64
}

// addDesignFlags declares them on the test command's flag set.
func addDesignFlags(fs *pflag.FlagSet) *designFlags {
	return &designFlags{
		refine:         fs.Bool("refine", false, "unpaired: add the maximum-likelihood fit over (λ, μ, σ) with a profile interval for λ (positive weights; slower)"),
		momentsOnly:    fs.Bool("moments-only", false, "unpaired: score each geometry at the moment estimates of the dual shift instead of the (μ, σ) that minimise the distance (faster)"),
		detectionLimit: fs.Float64("detection-limit", 0, "single snapshot: smallest observable weight (e.g. a minimum EM cleft size); the fit is truncated there (0 = none)"),
	}
}

// printUnpairedReport writes the text of the unpaired test.
func printUnpairedReport(w io.Writer, out *analysis.UnpairedTest) {
	printDesignReport(w, out.Input, out.Geometry, out.Groups, func(g analysis.UnpairedGroup) (string, *testgeom.UnpairedResult) {
		return g.Group, g.Geometry
	}, printUnpaired)
}

// printSnapshotReport writes the text of the single-sample analysis.
func printSnapshotReport(w io.Writer, out *analysis.SnapshotTest) {
	printDesignReport(w, out.Input, out.Geometry, out.Groups, func(g testgeom.SnapshotGroup) (string, *testgeom.SnapshotResult) {
		return g.Group, g.Snapshot
	}, printSnapshot)
}

// printDesignReport writes the text of an unpaired or single-sample run:
// what was read, the pooled result, then each group's under its heading.
// part gives a group's name and result; print writes one result.
func printDesignReport[G, R any](w io.Writer, in analysis.DesignInput, pooled R, groups []G, part func(G) (string, R), print func(io.Writer, R)) {
	printDesignInput(w, in)
	printPooledHeading(w, len(groups), "groups", "")
	print(w, pooled)
	for _, g := range groups {
		name, r := part(g)
		printGroupHeading(w, name)
		print(w, r)
	}
}

func printDesignInput(w io.Writer, in analysis.DesignInput) {
	switch in.Shape {
	case ingest.ShapeUnpaired:
		fmt.Fprintf(w, "syngeom test (unpaired samples): %d before and %d after values from %s\n", in.NBefore, in.NAfter, strings.Join(in.Files, ", "))
	default:
		fmt.Fprintf(w, "syngeom test (single snapshot): %d values from %s\n", in.NBefore, strings.Join(in.Files, ", "))
	}
	if s := report.CountsList(in.Excluded); s != "" {
		fmt.Fprintf(w, "excluded: %s\n", s)
	}
}

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
			testNum(c.ShiftMean, "%.4g"), testNum(c.ShiftVariance, "%.3g"), testNum(c.ShiftVarianceZ, "%.2f"),
			testNum(c.Distance, "%.4f"), testNum(c.SkewnessChange, "%+.3f"), testNum(c.KurtosisChange, "%+.3f"),
			testNum(c.LogLik, "%.1f"), ex)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nbest by distance: %s", r.BestByDistance)
	if r.Refined {
		fmt.Fprintf(w, "; best by likelihood: %s", r.BestByLikelihood)
	}
	fmt.Fprintln(w)
	if r.Refined {
		if r.LambdaHat != nil {
			fmt.Fprintf(w, "λ̂ = %.4f (95%% LR interval %s), p̂ = λ̂ + 1 = %.4f\n", *r.LambdaHat, testCI(r.LambdaCI), *r.PHat)
			if r.LambdaCIAssumes != "" {
				fmt.Fprintf(w, "(the interval is a %s)\n", r.LambdaCIAssumes)
			}
		} else {
			fmt.Fprintf(w, "λ̂: %s\n", r.ProfileStatus)
		}
		for _, t := range report.NamedLRTests(r.LRTests) {
			if t.Test.PValue != nil {
				fmt.Fprintf(w, "LR test of %s: statistic %s, p %s\n", t.Name, testNum(t.Test.Stat, "%.2f"), testgeom.PValueEq(*t.Test.PValue))
			}
		}
	}
	if b := r.Bootstrap; b != nil {
		fmt.Fprintf(w, "bootstrap (%d resamples of %d before and %d after values): wins by distance: %s\n", b.Replicates, b.SampleBefore, b.SampleAfter, report.WinsText(b.WinsDistance))
		if c := findUnpaired(r, r.BestByDistance); c != nil {
			fmt.Fprintf(w, "  %s: distance 95%% interval %s; Δskew %s; Δkurt %s\n", c.Name, testCI(c.DistanceCI), testCI(c.SkewnessChangeCI), testCI(c.KurtosisChangeCI))
		}
		if b.Note != "" {
			fmt.Fprintf(w, "  (%s)\n", b.Note)
		}
	}
	printClosing(w, r.Warnings, r.Verdict)
}

func findUnpaired(r *testgeom.UnpairedResult, name string) *testgeom.UnpairedCandidate {
	for i := range r.Candidates {
		if r.Candidates[i].Name == name {
			return &r.Candidates[i]
		}
	}
	return nil
}

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
			testNum(f.Sigma, "%.4g"), testNum(f.LogLik, "%.1f"), testNum(c.DeltaBIC, "%.1f"), testNum(f.PBelowZero, "%.3g"), testNum(f.PBelowLimit, "%.3g"), out)
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

func floatList(x []float64, format string) string {
	parts := make([]string, len(x))
	for i, v := range x {
		parts[i] = fmt.Sprintf(format, v)
	}
	return strings.Join(parts, ", ")
}
