package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/noise"
	"github.com/syngeom/syngeom/testgeom"
)

// TestNoise asks Test for the analyses of a paired test that need the
// data in memory: a noise-corrected λ̂ (the noise given, or estimated from
// repeated measurements), the comparison with a no-learning control, and
// the comparison of groups. The zero value asks for none of them and does
// not compare groups; DefaultTestNoise are the command line's defaults.
type TestNoise struct {
	// CV and SD are the given noise: the coefficient of variation of the
	// multiplicative part and the sd of the additive part.
	CV, SD float64
	// From is a table of repeated measurements without learning (read with
	// Value as its value column when set); RepeatBefore and RepeatAfter are
	// columns of the main wide table that repeat a measurement in the same
	// session. Either estimates the noise, with the parts Kind names.
	From, Value               string
	RepeatBefore, RepeatAfter string // repeat columns of the main table
	Kind                      string // parts estimated: noise.Multiplicative, Additive or Both
	// Method, Replicates and Bootstrap are the correction's settings
	// (noise.Options; Bootstrap 0 = no resampling).
	Method                string // noise.MethodIndirect or noise.MethodSimex
	Replicates, Bootstrap int    // data sets per λ or level; resamples
	// Control is a no-learning control table; ControlGroup names the group
	// that is the control, the other groups being the learning data.
	Control, ControlGroup string
	// CompareGroups tests a common λ across the groups.
	CompareGroups bool
}

// DefaultTestNoise are `syngeom test`'s defaults: no noise and no control,
// the groups compared.
func DefaultTestNoise() TestNoise {
	return TestNoise{Kind: noise.Both, Method: noise.MethodIndirect, Replicates: noise.DefaultReplicates,
		Bootstrap: noise.DefaultSimexBootstrap, CompareGroups: true}
}

// NoiseAware is the "noise_aware" part of the paired test's document.
type NoiseAware struct {
	NoiseEstimate   *noise.Estimate            `json:"noise_estimate,omitempty"`    // the noise estimated from repeats
	Correction      *noise.Correction          `json:"correction,omitempty"`        // the noise-corrected λ̂ of all pairs
	GroupCorrection []GroupCorrection          `json:"group_corrections,omitempty"` // the noise-corrected λ̂ of each group
	Control         *compare.ControlComparison `json:"control,omitempty"`           // the comparison with the no-learning control
	Groups          *compare.GroupComparison   `json:"group_comparison,omitempty"`  // the common-λ test across groups
}

// GroupCorrection is the noise-corrected estimate of one group.
type GroupCorrection struct {
	Group      string            `json:"group"`      // the group's name
	Correction *noise.Correction `json:"correction"` // its noise-corrected estimate
}

// Requested reports whether a noise or control analysis was asked for
// (the group comparison is on by default, so it is not counted).
func (f TestNoise) Requested() bool {
	return f.CV > 0 || f.SD > 0 || f.From != "" || f.RepeatBefore != "" || f.RepeatAfter != "" ||
		f.Control != "" || f.ControlGroup != ""
}

// Validate checks the settings alone; an OptionError names the flag.
func (f TestNoise) Validate() error {
	if !f.Requested() && f.Kind == "" && f.Method == "" && f.Replicates == 0 {
		return nil // the zero value: nothing asked
	}
	switch {
	case !(f.CV >= 0) || !(f.SD >= 0) || math.IsInf(f.CV, 0) || math.IsInf(f.SD, 0):
		return optionErrorf("--noise-cv and --noise-sd must be finite and ≥ 0")
	case (f.CV > 0 || f.SD > 0) && (f.From != "" || f.RepeatBefore != "" || f.RepeatAfter != ""):
		return optionErrorf("give the noise either by --noise-cv/--noise-sd or by repeated measurements, not both")
	case f.From != "" && (f.RepeatBefore != "" || f.RepeatAfter != ""):
		return optionErrorf("--noise-from and --repeat-before/--repeat-after exclude each other")
	case f.Value != "" && f.From == "":
		return optionErrorf("--noise-value needs --noise-from")
	case f.Kind != noise.Both && f.Kind != noise.Multiplicative && f.Kind != noise.Additive:
		return optionErrorf("--noise-kind must be cv, sd or both")
	case f.Method != noise.MethodIndirect && f.Method != noise.MethodSimex:
		return optionErrorf("--noise-method must be indirect or simex")
	case f.Replicates < 2:
		return optionErrorf("--noise-replicates must be at least 2")
	case f.Bootstrap < 0:
		return optionErrorf("--noise-bootstrap must be ≥ 0")
	case f.Control != "" && f.ControlGroup != "":
		return optionErrorf("give the control either by --control or by --control-group")
	}
	return nil
}

// noiseAnalyses runs what f asks for on the paired data d; nil when it
// asks for nothing.
func noiseAnalyses(ctx context.Context, f TestNoise, opt ingest.Options, d *ingest.Data, seed uint64) (*NoiseAware, error) {
	out := &NoiseAware{}
	ran := false
	w0, w1, group, names := d.Before, d.After, d.Group, d.GroupNames
	if f.ControlGroup != "" {
		if d.Group == nil {
			return nil, optionErrorf("--control-group needs --group")
		}
		ci := slices.Index(d.GroupNames, f.ControlGroup)
		if ci < 0 {
			return nil, optionErrorf("--control-group %q is not a group of column %s (groups: %v)", f.ControlGroup, d.Roles["group"], d.GroupNames)
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
		cc, err := compare.ControlContext(ctx, w0, w1, c0, c1, 0)
		if err != nil {
			return nil, err
		}
		out.Control, ran = cc, true
	}
	if f.Control != "" {
		cd, err := ingest.LoadContext(ctx, []string{f.Control}, opt)
		if err != nil {
			return nil, err
		}
		if cd.Shape != ingest.ShapePaired {
			return nil, optionErrorf("--control needs paired data like the main input; %s is %s", f.Control, cd.Shape)
		}
		cc, err := compare.ControlContext(ctx, w0, w1, cd.Before, cd.After, 0)
		if err != nil {
			return nil, err
		}
		out.Control, ran = cc, true
	}
	// With a control group the groups are the conditions, compared above.
	if group != nil && f.CompareGroups && f.ControlGroup == "" {
		var synapses []int32
		if len(d.Synapse) == len(w0) && d.Synapse != nil {
			synapses = d.Synapse
		}
		gc, err := compareGroupsInMemory(ctx, w0, w1, group, names, synapses, seed)
		if err != nil {
			return nil, err
		}
		out.Groups, ran = gc, true
	}
	model, source, err := f.noiseModel(ctx, opt, d, out)
	if err != nil {
		return nil, err
	}
	if model != nil {
		ran = true
		o := noise.Options{Method: f.Method, Replicates: f.Replicates, Bootstrap: f.Bootstrap, Seed: seed}
		if len(d.Synapse) == len(w0) && d.Synapse != nil {
			o.Clusters = d.Synapse // consecutive pairs: resample synapses
		}
		if out.Correction, err = noise.CorrectContext(ctx, w0, w1, *model, source, o); err != nil {
			return nil, err
		}
		if group != nil {
			for g, name := range names {
				a, b := groupValues(w0, group, g), groupValues(w1, group, g)
				if len(a) == 0 {
					continue
				}
				og := o
				if o.Clusters != nil {
					og.Clusters = subsetClusters(o.Clusters, group, g)
				}
				c, err := noise.CorrectContext(ctx, a, b, *model, source, og)
				if err != nil {
					return nil, err
				}
				out.GroupCorrection = append(out.GroupCorrection, GroupCorrection{Group: name, Correction: c})
			}
		}
	}
	if !ran {
		return nil, nil
	}
	return out, nil
}

// subsetClusters is the cluster labels of the pairs whose group is g (nil
// without labels).
func subsetClusters(clusters, group []int32, g int) []int32 {
	if clusters == nil {
		return nil
	}
	var out []int32
	for i, gi := range group {
		if int(gi) == g {
			out = append(out, clusters[i])
		}
	}
	return out
}

// noiseModel is the noise given or estimated from repeated measurements
// (nil: no noise asked for); an estimate is also recorded in out.
func (f TestNoise) noiseModel(ctx context.Context, opt ingest.Options, d *ingest.Data, out *NoiseAware) (*noise.Model, string, error) {
	if f.CV > 0 || f.SD > 0 {
		return &noise.Model{CV: f.CV, SD: f.SD}, "given", nil
	}
	var a, b []float64
	var source string
	switch {
	case f.From != "":
		o := opt
		if f.Value != "" {
			o.Value = f.Value
		}
		nd, err := ingest.LoadContext(ctx, []string{f.From}, o)
		if err != nil {
			return nil, "", err
		}
		if nd.Shape != ingest.ShapePaired {
			return nil, "", optionErrorf("--noise-from needs paired data; %s is %s", f.From, nd.Shape)
		}
		a, b = nd.Before, nd.After
		col := nd.Roles["value"]
		if col == "" {
			col = nd.Roles["before"] + "/" + nd.Roles["after"]
		}
		source = fmt.Sprintf("estimated from %d repeated pairs of %s in %s (an upper bound if the repeats are sessions apart)", len(a), col, f.From)
	case f.RepeatBefore != "" || f.RepeatAfter != "":
		for _, rep := range []struct{ col, main string }{{f.RepeatBefore, d.Roles["before"]}, {f.RepeatAfter, d.Roles["after"]}} {
			if rep.col == "" {
				continue
			}
			o := opt
			o.Before, o.After, o.Group = rep.main, rep.col, ""
			nd, err := ingest.LoadContext(ctx, d.Files, o)
			if err != nil {
				return nil, "", err
			}
			a, b = append(a, nd.Before...), append(b, nd.After...)
		}
		source = fmt.Sprintf("estimated from %d same-session repeats", len(a))
	default:
		return nil, "", nil
	}
	est, err := noise.EstimateFromRepeats(a, b, f.Kind)
	if err != nil {
		return nil, "", err
	}
	out.NoiseEstimate = est
	if est.Status != testgeom.StatusOK {
		return nil, "", optionErrorf("cannot estimate the noise: %s", est.Status)
	}
	if est.Model.CV == 0 && est.Model.SD == 0 {
		return nil, "", optionErrorf("the repeated measurements show no noise")
	}
	return &est.Model, source, nil
}
