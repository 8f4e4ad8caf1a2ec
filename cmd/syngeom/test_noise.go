package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/testgeom"
)

// addNoiseFlags declares the test command's flags for measurement noise,
// a no-learning control and the comparison of groups.
func addNoiseFlags(fs *pflag.FlagSet) *analysis.TestNoise {
	f := &analysis.TestNoise{}
	def := analysis.DefaultTestNoise()
	fs.Float64Var(&f.CV, "noise-cv", 0, "measurement noise: multiplicative part, coefficient of variation of each measurement (e.g. 0.2)")
	fs.Float64Var(&f.SD, "noise-sd", 0, "measurement noise: additive part, sd of each measurement in the units of the weights")
	fs.StringVar(&f.RepeatBefore, "repeat-before", "", "wide table: column repeating the before measurement in the same session (estimates the noise)")
	fs.StringVar(&f.RepeatAfter, "repeat-after", "", "wide table: column repeating the after measurement in the same session (estimates the noise)")
	fs.StringVar(&f.From, "noise-from", "", "table of repeated measurements without learning, read with the same column flags: estimates the noise (from two sessions it is an upper bound: it includes intrinsic fluctuations)")
	fs.StringVar(&f.Value, "noise-value", "", "with --noise-from on a long table: the value column to use there (e.g. a morphology channel of the same ROI)")
	fs.StringVar(&f.Kind, "noise-kind", def.Kind, "parts of the noise to estimate from repeats: cv, sd or both")
	fs.StringVar(&f.Method, "noise-method", def.Method, "noise correction: indirect (simulation-based, default) or simex")
	fs.IntVar(&f.Replicates, "noise-replicates", def.Replicates, "simulated data sets per λ (indirect) or per noise level (simex)")
	fs.IntVar(&f.Bootstrap, "noise-bootstrap", def.Bootstrap, "resamples of synapses behind the corrected interval (0 = none: the interval then holds the fitted initial law and change size fixed)")
	fs.StringVar(&f.Control, "control", "", "no-learning control table (read with the same column flags): compare its geometry and change size with the learning data")
	fs.StringVar(&f.ControlGroup, "control-group", "", "with --group: the group that is the no-learning control; the other groups are the learning data")
	fs.BoolVar(&f.CompareGroups, "compare-groups", def.CompareGroups, "with --group: test a common λ across groups (and summarise the spread of λ with three or more groups)")
	return f
}

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
	printCorrection := func(label string, c *testgeom.NoiseCorrection) {
		fmt.Fprintf(w, "\nnoise-corrected geometry%s (%s):\n", label, c.Method)
		if c.Lambda == nil {
			fmt.Fprintf(w, "  %s\n", c.Status)
			return
		}
		fmt.Fprintf(w, "  naive λ̂ (Gaussian steps, no noise correction) = %.4f, LR interval %s; corrected λ̂ = %.4f %s, p̂ = %.3f\n", *c.NaiveLambda, testCI(c.NaiveCI), *c.Lambda, testCI(c.LambdaCI), *c.PHat)
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
			fmt.Fprintf(w, "  %s: n %d, λ̂ = %.4f, %s-model LR interval %s, se %s (robust %s)\n", gl.Group, gl.N, *gl.LambdaHat, g.StepWord(), testCI(gl.LambdaCI), testNum(gl.SE, "%.4f"), testNum(gl.SERobust, "%.4f"))
		}
		fmt.Fprintf(w, "  %s\n", g.Verdict)
		if re := g.RandomEffects; re != nil && re.Groups >= 2 {
			fmt.Fprintf(w, "  spread of λ across groups (DerSimonian–Laird): τ̂ = %.3f %s, Q = %.2f (p %s), I² = %.2f, mean λ = %.3f ± %.3f\n",
				re.Tau, testCI(re.TauCI), re.Q, testgeom.PValueEq(re.QPValue), re.I2, re.Mean, re.MeanSE)
		}
		if g.Assumptions != "" {
			fmt.Fprintf(w, "  (%s)\n", g.Assumptions)
		}
	}
}
