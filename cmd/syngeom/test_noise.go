package main

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// noiseFlags are the test command's flags for measurement noise, a
// no-learning control and the comparison of groups.
type noiseFlags struct {
	cv, sd                    float64
	kind                      string
	from, value               string
	repeatBefore, repeatAfter string
	method                    string
	replicates, bootstrap     int
	control, controlGroup     string
	compareGroups             bool
}

func addNoiseFlags(fs *pflag.FlagSet) *noiseFlags {
	f := &noiseFlags{}
	fs.Float64Var(&f.cv, "noise-cv", 0, "measurement noise: multiplicative part, coefficient of variation of each measurement (e.g. 0.2)")
	fs.Float64Var(&f.sd, "noise-sd", 0, "measurement noise: additive part, sd of each measurement in the units of the weights")
	fs.StringVar(&f.repeatBefore, "repeat-before", "", "wide table: column repeating the before measurement in the same session (estimates the noise)")
	fs.StringVar(&f.repeatAfter, "repeat-after", "", "wide table: column repeating the after measurement in the same session (estimates the noise)")
	fs.StringVar(&f.from, "noise-from", "", "table of repeated measurements without learning, read with the same column flags: estimates the noise (from two sessions it is an upper bound: it includes intrinsic fluctuations)")
	fs.StringVar(&f.value, "noise-value", "", "with --noise-from on a long table: the value column to use there (e.g. a morphology channel of the same ROI)")
	fs.StringVar(&f.kind, "noise-kind", testgeom.NoiseBoth, "parts of the noise to estimate from repeats: cv, sd or both")
	fs.StringVar(&f.method, "noise-method", testgeom.MethodIndirect, "noise correction: indirect (simulation-based, default) or simex")
	fs.IntVar(&f.replicates, "noise-replicates", testgeom.DefaultNoiseReplicates, "simulated data sets per λ (indirect) or per noise level (simex)")
	fs.IntVar(&f.bootstrap, "noise-bootstrap", testgeom.DefaultSimexBootstrap, "resamples of synapses behind the corrected interval (0 = none: the interval then holds the fitted initial law and change size fixed)")
	fs.StringVar(&f.control, "control", "", "no-learning control table (read with the same column flags): compare its geometry and change size with the learning data")
	fs.StringVar(&f.controlGroup, "control-group", "", "with --group: the group that is the no-learning control; the other groups are the learning data")
	fs.BoolVar(&f.compareGroups, "compare-groups", true, "with --group: test a common λ across groups (and summarise the spread of λ with three or more groups)")
	return f
}

// noiseOutput is the "noise_aware" part of the test command's JSON.
type noiseOutput struct {
	NoiseEstimate   *testgeom.NoiseEstimate     `json:"noise_estimate,omitempty"`
	Correction      *testgeom.NoiseCorrection   `json:"correction,omitempty"`
	GroupCorrection []groupCorrection           `json:"group_corrections,omitempty"`
	Control         *testgeom.ControlComparison `json:"control,omitempty"`
	Groups          *testgeom.GroupComparison   `json:"group_comparison,omitempty"`
}

type groupCorrection struct {
	Group      string                    `json:"group"`
	Correction *testgeom.NoiseCorrection `json:"correction"`
}

// requested reports whether a noise or control analysis was asked for
// (the group comparison is on by default, so it is not counted).
func (f *noiseFlags) requested() bool {
	return f.cv > 0 || f.sd > 0 || f.from != "" || f.repeatBefore != "" || f.repeatAfter != "" ||
		f.control != "" || f.controlGroup != ""
}

func (f *noiseFlags) validate() error {
	switch {
	case !(f.cv >= 0) || !(f.sd >= 0) || math.IsInf(f.cv, 0) || math.IsInf(f.sd, 0):
		return usagef("--noise-cv and --noise-sd must be finite and ≥ 0")
	case (f.cv > 0 || f.sd > 0) && (f.from != "" || f.repeatBefore != "" || f.repeatAfter != ""):
		return usagef("give the noise either by --noise-cv/--noise-sd or by repeated measurements, not both")
	case f.from != "" && (f.repeatBefore != "" || f.repeatAfter != ""):
		return usagef("--noise-from and --repeat-before/--repeat-after exclude each other")
	case f.value != "" && f.from == "":
		return usagef("--noise-value needs --noise-from")
	case f.kind != testgeom.NoiseBoth && f.kind != testgeom.NoiseMultiplicative && f.kind != testgeom.NoiseAdditive:
		return usagef("--noise-kind must be cv, sd or both")
	case f.method != testgeom.MethodIndirect && f.method != testgeom.MethodSimex:
		return usagef("--noise-method must be indirect or simex")
	case f.replicates < 2:
		return usagef("--noise-replicates must be at least 2")
	case f.bootstrap < 0:
		return usagef("--noise-bootstrap must be ≥ 0")
	case f.control != "" && f.controlGroup != "":
		return usagef("give the control either by --control or by --control-group")
	}
	return nil
}

// runNoiseAnalyses runs what the noise, control and group flags ask for;
// nil when they ask for nothing.
func runNoiseAnalyses(f *noiseFlags, opt ingest.Options, d *ingest.Data, seed uint64) (*noiseOutput, error) {
	out := &noiseOutput{}
	ran := false
	w0, w1, group, names := d.Before, d.After, d.Group, d.GroupNames
	if f.controlGroup != "" {
		if d.Group == nil {
			return nil, usagef("--control-group needs --group")
		}
		ci := slices.Index(d.GroupNames, f.controlGroup)
		if ci < 0 {
			return nil, usagef("--control-group %q is not a group of column %s (groups: %v)", f.controlGroup, d.Roles["group"], d.GroupNames)
		}
		var c0, c1 []float64
		w0, w1, group = nil, nil, nil
		for i, g := range d.Group {
			if int(g) == ci {
				c0, c1 = append(c0, d.Before[i]), append(c1, d.After[i])
			} else {
				w0, w1, group = append(w0, d.Before[i]), append(w1, d.After[i]), append(group, g)
			}
		}
		cc, err := testgeom.CompareControl(w0, w1, c0, c1, 0)
		if err != nil {
			return nil, err
		}
		out.Control, ran = cc, true
	}
	if f.control != "" {
		cd, err := ingest.Load([]string{f.control}, opt)
		if err != nil {
			return nil, err
		}
		if cd.Shape != ingest.ShapePaired {
			return nil, usagef("--control needs paired data like the main input; %s is %s", f.control, cd.Shape)
		}
		cc, err := testgeom.CompareControl(w0, w1, cd.Before, cd.After, 0)
		if err != nil {
			return nil, err
		}
		out.Control, ran = cc, true
	}
	// With --control-group the groups are the conditions, compared above.
	if group != nil && f.compareGroups && f.controlGroup == "" {
		var synapses []int32
		if len(d.Synapse) == len(w0) && d.Synapse != nil {
			synapses = d.Synapse
		}
		gc, err := testgeom.CompareGroupsClustered(w0, w1, group, names, synapses, 0)
		if err != nil {
			return nil, err
		}
		out.Groups, ran = gc, true
	}
	noise, source, err := f.noiseModel(opt, d, out)
	if err != nil {
		return nil, err
	}
	if noise != nil {
		ran = true
		o := testgeom.NoiseOptions{Method: f.method, Replicates: f.replicates, Bootstrap: f.bootstrap, Seed: seed}
		if f.bootstrap == 0 {
			o.Bootstrap = -1
		}
		if len(d.Synapse) == len(w0) && d.Synapse != nil {
			o.Clusters = d.Synapse // consecutive pairs: resample synapses
		}
		if out.Correction, err = testgeom.CorrectNoise(w0, w1, *noise, source, o); err != nil {
			return nil, err
		}
		if group != nil {
			for g, name := range names {
				var a, b []float64
				for i, gi := range group {
					if int(gi) == g {
						a, b = append(a, w0[i]), append(b, w1[i])
					}
				}
				if len(a) == 0 {
					continue
				}
				og := o
				if o.Clusters != nil {
					og.Clusters = subsetClusters(o.Clusters, group, g)
				}
				c, err := testgeom.CorrectNoise(a, b, *noise, source, og)
				if err != nil {
					return nil, err
				}
				out.GroupCorrection = append(out.GroupCorrection, groupCorrection{Group: name, Correction: c})
			}
		}
	}
	if !ran {
		return nil, nil
	}
	return out, nil
}

// noiseModel is the noise given on the command line or estimated from
// repeated measurements (nil: no noise flags).
func (f *noiseFlags) noiseModel(opt ingest.Options, d *ingest.Data, out *noiseOutput) (*testgeom.NoiseModel, string, error) {
	if f.cv > 0 || f.sd > 0 {
		return &testgeom.NoiseModel{CV: f.cv, SD: f.sd}, "given", nil
	}
	var a, b []float64
	var source string
	switch {
	case f.from != "":
		o := opt
		if f.value != "" {
			o.Value = f.value
		}
		nd, err := ingest.Load([]string{f.from}, o)
		if err != nil {
			return nil, "", err
		}
		if nd.Shape != ingest.ShapePaired {
			return nil, "", usagef("--noise-from needs paired data; %s is %s", f.from, nd.Shape)
		}
		a, b = nd.Before, nd.After
		col := nd.Roles["value"]
		if col == "" {
			col = nd.Roles["before"] + "/" + nd.Roles["after"]
		}
		source = fmt.Sprintf("estimated from %d repeated pairs of %s in %s (an upper bound if the repeats are sessions apart)", len(a), col, f.from)
	case f.repeatBefore != "" || f.repeatAfter != "":
		for _, rep := range []struct{ col, main string }{{f.repeatBefore, d.Roles["before"]}, {f.repeatAfter, d.Roles["after"]}} {
			if rep.col == "" {
				continue
			}
			o := opt
			o.Before, o.After, o.Group = rep.main, rep.col, ""
			nd, err := ingest.Load(d.Files, o)
			if err != nil {
				return nil, "", err
			}
			a, b = append(a, nd.Before...), append(b, nd.After...)
		}
		source = fmt.Sprintf("estimated from %d same-session repeats", len(a))
	default:
		return nil, "", nil
	}
	est, err := testgeom.EstimateNoise(a, b, f.kind)
	if err != nil {
		return nil, "", err
	}
	out.NoiseEstimate = est
	if est.Status != testgeom.StatusOK {
		return nil, "", usagef("cannot estimate the noise: %s", est.Status)
	}
	if est.Model.CV == 0 && est.Model.SD == 0 {
		return nil, "", usagef("the repeated measurements show no noise")
	}
	return &est.Model, source, nil
}

func printNoiseReport(w io.Writer, n *noiseOutput) {
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
