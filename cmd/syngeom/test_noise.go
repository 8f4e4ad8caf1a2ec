package main

import (
	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
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
