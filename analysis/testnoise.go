package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/noise"
	"github.com/syngeom/syngeom/stream"
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
	// Note says when the correction and the control comparison use a
	// subsample of the pairs: the second pass keeps a random subsample of
	// more than 100,000 independent pairs, in memory and streamed alike.
	Note string `json:"note,omitempty"`
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

// Validate checks the settings alone, as an OptionError naming them
// within the options that hold f as Noise ("Noise.CV").
func (f TestNoise) Validate() error {
	if !f.Requested() && f.Kind == "" && f.Method == "" && f.Replicates == 0 {
		return nil // the zero value: nothing asked
	}
	switch {
	case !(f.CV >= 0) || !(f.SD >= 0) || math.IsInf(f.CV, 0) || math.IsInf(f.SD, 0):
		return optionErrorf("%s and %s must be finite and ≥ 0", setting("Noise.CV"), setting("Noise.SD"))
	case (f.CV > 0 || f.SD > 0) && (f.From != "" || f.RepeatBefore != "" || f.RepeatAfter != ""):
		return optionErrorf("give the noise either by %s/%s or by repeated measurements, not both", setting("Noise.CV"), setting("Noise.SD"))
	case f.From != "" && (f.RepeatBefore != "" || f.RepeatAfter != ""):
		return optionErrorf("%s and %s/%s exclude each other", setting("Noise.From"), setting("Noise.RepeatBefore"), setting("Noise.RepeatAfter"))
	case f.Value != "" && f.From == "":
		return optionErrorf("%s needs %s", setting("Noise.Value"), setting("Noise.From"))
	case f.Kind != noise.Both && f.Kind != noise.Multiplicative && f.Kind != noise.Additive:
		return optionErrorf("%s must be cv, sd or both", setting("Noise.Kind"))
	case f.Method != noise.MethodIndirect && f.Method != noise.MethodSimex:
		return optionErrorf("%s must be indirect or simex", setting("Noise.Method"))
	case f.Replicates < 2:
		return optionErrorf("%s must be at least 2", setting("Noise.Replicates"))
	case f.Bootstrap < 0:
		return optionErrorf("%s must be ≥ 0", setting("Noise.Bootstrap"))
	case f.Control != "" && f.ControlGroup != "":
		return optionErrorf("give the control either by %s or by %s", setting("Noise.Control"), setting("Noise.ControlGroup"))
	}
	return nil
}

// noisePairs is what the noise, control and group analyses read: the pairs
// of all synapses and of each group, in the canonical order of the second
// pass's kept sample (testgeom.CanonicalOrder), so that they compute the
// same to the bit whether the test held the pairs in memory or streamed
// them and kept them all.
type noisePairs struct {
	files []string
	roles map[string]string
	// w0, w1: the pairs of all synapses; synapse[i] is pair i's synapse
	// when pairs share synapses (nil otherwise).
	w0, w1  []float64
	synapse []int32
	// group[i] is pair i's group, in memory (nil without groups, and
	// streamed, where only each group's own pairs are at hand).
	group []int32
	names []string
	// groupPairs returns group g's pairs and synapses.
	groupPairs func(g int) (w0, w1 []float64, synapse []int32)
	// compareGroups tests one λ across the groups.
	compareGroups func(ctx context.Context) (*compare.GroupComparison, error)
	// note says when the pairs are a subsample of those tested; pairs is
	// how many were tested (streamed).
	note  string
	pairs int64
}

// filterGroup is groupPairs for pairs that carry their groups (group):
// the pairs and synapses of group g, in their order.
func (np *noisePairs) filterGroup(g int) (w0, w1 []float64, synapse []int32) {
	return groupValues(np.w0, np.group, g), groupValues(np.w1, np.group, g), subsetClusters(np.synapse, np.group, g)
}

// canonicalNoisePairs are the pairs (w0[i], w1[i]) with their groups and
// synapses (either may be nil) in the canonical order of the second pass's
// kept sample (testgeom.CanonicalOrder): the order in which a streamed
// analysis holds the pairs of every group small enough to keep in full, so
// that sums over them run in one order and both give the same to the bit.
func canonicalNoisePairs(w0, w1 []float64, group, synapse []int32, seed uint64) *noisePairs {
	order := testgeom.CanonicalOrder(w0, w1, seed)
	np := &noisePairs{w0: testgeom.Permuted(w0, order), w1: testgeom.Permuted(w1, order)}
	if group != nil {
		np.group = testgeom.Permuted(group, order)
	}
	if synapse != nil && len(synapse) == len(w0) {
		np.synapse = testgeom.Permuted(synapse, order)
	}
	return np
}

// passNoisePairs are the pairs the second passes kept, of all synapses
// (pooled) and of each group (all of them up to its sample size), in
// memory or streamed alike, with their synapses when pairs share them
// (passes fed with AddSynapses); the groups are compared from their passes
// (compare.SecondPasses).
func passNoisePairs(in stream.Input, names []string, pooled *testgeom.SecondPass, groups []*testgeom.SecondPass) *noisePairs {
	np := &noisePairs{files: in.Files, roles: in.Columns, names: names}
	// Pairs that share synapses: the passes' samples of whole synapses,
	// one code per synapse across them (a control group's split,
	// withoutGroup, puts the groups' pairs together).
	var codes testgeom.SynapseCodes
	sample := func(g *testgeom.SecondPass) (w0, w1 []float64, syn []int32) {
		if w0, w1, labels := g.SynapseSample(); labels != nil {
			return w0, w1, codes.Code(labels)
		}
		w0, w1 = g.Sample()
		return w0, w1, nil
	}
	np.w0, np.w1, np.synapse = sample(pooled)
	np.groupPairs = func(g int) (a, b []float64, syn []int32) { return sample(groups[g]) }
	np.compareGroups = func(ctx context.Context) (*compare.GroupComparison, error) {
		if len(groups) < 2 {
			return nil, nil
		}
		return compare.SecondPassesContext(ctx, names, groups)
	}
	what := "pairs"
	if np.synapse != nil {
		what = "pairs of the whole synapses"
	}
	if n := in.Pairs; len(np.w0) < n {
		np.note = fmt.Sprintf("the noise correction and the control comparison use the %d %s the second pass kept, a random subsample of the %d pairs tested (and each group its own kept pairs), so their naive λ̂ is the subsample's, not the headline's", len(np.w0), what, n)
	}
	// With a control group the learning pairs are the other groups'
	// (withoutGroup), their kept pairs.
	np.pairs = int64(in.Pairs)
	return np
}

// streamedNoisePairs are passNoisePairs of a streamed test.
func streamedNoisePairs(res *stream.Output, second *stream.Part2) *noisePairs {
	var names []string
	var groups []*testgeom.SecondPass
	for _, g := range res.Groups {
		names = append(names, g.Group)
		groups = append(groups, second.Pass(g.Group))
	}
	return passNoisePairs(res.Input, names, second.Pass(""), groups)
}

// withoutGroup splits off group ci, the control: it returns its pairs and
// the others' pairs, groups and synapses, the pairs each group's second
// pass kept (passNoisePairs) put in canonical order again, which is the
// order of every pair when every group kept all its pairs.
func (np *noisePairs) withoutGroup(ci int, seed uint64) (c0, c1 []float64, rest *noisePairs) {
	var w0, w1 []float64
	var group, synapse []int32
	c0, c1, _ = np.groupPairs(ci)
	for g := range np.names {
		if g != ci {
			a, b, syn := np.groupPairs(g)
			w0, w1 = append(w0, a...), append(w1, b...)
			synapse = append(synapse, syn...)
			for range a {
				group = append(group, int32(g))
			}
		}
	}
	rest = canonicalNoisePairs(w0, w1, group, synapse, seed)
	if kept := int64(len(w0) + len(c0)); kept < np.pairs {
		rest.note = fmt.Sprintf("the noise correction and the control comparison use the %d pairs the groups' second passes kept, a random subsample of the %d pairs tested, so their naive λ̂ is the subsample's", kept, np.pairs)
	}
	rest.names, rest.roles, rest.files = np.names, np.roles, np.files
	rest.groupPairs = rest.filterGroup
	return c0, c1, rest
}

// noiseAnalyses runs what f asks for on the pairs np; nil when it asks for
// nothing.
func noiseAnalyses(ctx context.Context, f TestNoise, opt ingest.Options, np *noisePairs, seed uint64) (*NoiseAware, error) {
	out := &NoiseAware{}
	ran := false
	names := np.names
	if f.ControlGroup != "" {
		if names == nil {
			return nil, optionErrorf("%s needs %s", setting("Noise.ControlGroup"), setting("Ingest.Group"))
		}
		ci := slices.Index(names, f.ControlGroup)
		if ci < 0 {
			return nil, optionErrorf("%s %q is not a group of column %s (groups: %v)", setting("Noise.ControlGroup"), f.ControlGroup, np.roles["group"], names)
		}
		var c0, c1 []float64
		c0, c1, np = np.withoutGroup(ci, seed)
		cc, err := compare.ControlContext(ctx, np.w0, np.w1, c0, c1, 0)
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
			return nil, optionErrorf("%s needs paired data like the main input; %s is %s", setting("Noise.Control"), f.Control, cd.Shape)
		}
		cc, err := compare.ControlContext(ctx, np.w0, np.w1, cd.Before, cd.After, 0)
		if err != nil {
			return nil, err
		}
		out.Control, ran = cc, true
	}
	// With a control group the groups are the conditions, compared above.
	if names != nil && f.CompareGroups && f.ControlGroup == "" {
		gc, err := np.compareGroups(ctx)
		if err != nil {
			return nil, err
		}
		out.Groups, ran = gc, gc != nil || ran
	}
	model, source, err := f.noiseModel(ctx, opt, np, out)
	if err != nil {
		return nil, err
	}
	if model != nil {
		ran = true
		o := noise.Options{Method: f.Method, Replicates: f.Replicates, Bootstrap: f.Bootstrap, Seed: seed}
		o.Clusters = np.synapse // consecutive pairs: resample synapses
		if out.Correction, err = noise.CorrectContext(ctx, np.w0, np.w1, *model, source, o); err != nil {
			return nil, err
		}
		for g, name := range names {
			if f.ControlGroup == name {
				continue
			}
			a, b, syn := np.groupPairs(g)
			if len(a) == 0 {
				continue
			}
			og := o
			og.Clusters = syn
			c, err := noise.CorrectContext(ctx, a, b, *model, source, og)
			if err != nil {
				return nil, err
			}
			out.GroupCorrection = append(out.GroupCorrection, GroupCorrection{Group: name, Correction: c})
		}
	}
	if !ran {
		return nil, nil
	}
	if out.Correction != nil || out.Control != nil {
		out.Note = np.note
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
func (f TestNoise) noiseModel(ctx context.Context, opt ingest.Options, np *noisePairs, out *NoiseAware) (*noise.Model, string, error) {
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
			return nil, "", optionErrorf("%s needs paired data; %s is %s", setting("Noise.From"), f.From, nd.Shape)
		}
		a, b = nd.Before, nd.After
		col := nd.Roles["value"]
		if col == "" {
			col = nd.Roles["before"] + "/" + nd.Roles["after"]
		}
		source = fmt.Sprintf("estimated from %d repeated pairs of %s in %s (an upper bound if the repeats are sessions apart)", len(a), col, f.From)
	case f.RepeatBefore != "" || f.RepeatAfter != "":
		for _, rep := range []struct{ col, main string }{{f.RepeatBefore, np.roles["before"]}, {f.RepeatAfter, np.roles["after"]}} {
			if rep.col == "" {
				continue
			}
			o := opt
			o.Before, o.After, o.Group = rep.main, rep.col, ""
			nd, err := ingest.LoadContext(ctx, np.files, o)
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
		return nil, "", &InputError{"cannot estimate the noise: " + est.Status}
	}
	if est.Model.CV == 0 && est.Model.SD == 0 {
		return nil, "", &InputError{"the repeated measurements show no noise"}
	}
	return &est.Model, source, nil
}
