package compare

import (
	"context"
	"fmt"

	"github.com/syngeom/syngeom/testgeom"
)

// SecondPasses is Groups for groups read in two passes
// (package stream), one testgeom.SecondPass per group, in the order of names. A
// group whose pass kept all its pairs is profiled exactly, as in memory
// (sandwich standard errors included); otherwise its profile is that of
// testgeom.SecondPass.Profile, exact on the coarse λ grid and on the fine ladder
// around its own λ̂ and interpolated elsewhere, and the note says so.
func SecondPasses(names []string, passes []*testgeom.SecondPass) (*GroupComparison, error) {
	return SecondPassesContext(context.Background(), names, passes)
}

// SecondPassesContext is SecondPasses that stops when ctx is
// done and then returns ctx.Err(): it looks at ctx between groups and
// before each evaluation of an exact profile (one pass over the kept
// pairs).
func SecondPassesContext(ctx context.Context, names []string, passes []*testgeom.SecondPass) (*GroupComparison, error) {
	if len(names) != len(passes) {
		return nil, &inputError{fmt.Sprintf("compare: %d group names and %d second passes", len(names), len(passes))}
	}
	if clusteredAll(passes) {
		return clusteredPasses(ctx, names, passes)
	}
	profiles := make([]GroupProfile, len(passes))
	sets := make([]*pairSet, len(passes))
	note := ""
	stop := func() bool { return ctx.Err() != nil }
	for i, g := range passes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lik, _ := g.SampleLikelihood()
		if g.KeptAll() { // every pair (and, of labelled pairs, every synapse)
			s := newPairSet(lik)
			s.f = stoppable(s.f, stop)
			_, _, labels := g.SynapseSample() // every pair, as the sample: nil for independent pairs
			syn := testgeom.DenseLabels(labels)
			profiles[i] = GroupProfile{Group: names[i], N: s.n, LogLik: s.f, Shift: lik.Shift,
				RobustScale: func(lhat, se float64) float64 { return lik.SandwichScale(syn, lhat, se) }}
			sets[i] = s
			continue
		}
		profiles[i] = PassProfile(g, names[i])
		note = "groups with more pairs than the second pass keeps are profiled exactly on the λ grid and on a fine ladder around their own λ̂, interpolated elsewhere; so are their shift parameters, from the moments of every pair; their sandwich standard errors come from the score sums of the second pass at the λ it planned near their λ̂"
	}
	gc := Profiles(profiles, note)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if note != "" {
		if gc.SharedLambda != nil {
			gc.StepModelTest = &StepModelTest{Note: "not run: Student-t steps are fitted to group comparisons only when every group's pairs are kept in full (a group has more pairs than the second pass keeps)"}
		}
		return gc, nil
	}
	// Every group is in memory: the step model is chosen as in memory.
	gc = chooseStepModel(gc, sets, make([][]int32, len(sets)), names, stop)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return gc, nil
}

// PassProfile is the profile log-likelihood of a group read in two passes,
// for Profiles: exact on the coarse λ grid, cubic between the rungs of the
// fine ladder around the pass's own λ̂, and interpolated from the coarse
// grid elsewhere (testgeom.SecondPass.LogLikInterpolated); its shift
// parameters likewise, from the moments of every pair
// (testgeom.SecondPass.ShiftInterpolated). Its sandwich variance comes from
// the pass's score sums at the λ it planned near its λ̂
// (testgeom.SecondPass.RobustScale).
func PassProfile(g *testgeom.SecondPass, group string) GroupProfile {
	return GroupProfile{Group: group, N: g.Compared(), LogLik: g.LogLikInterpolated(), Shift: g.ShiftInterpolated(),
		RobustScale: func(_, se float64) float64 { return g.RobustScale(se) }}
}

// clusteredAll reports whether the passes hold pairs that share synapses
// (testgeom.SecondPass.AddSynapses) and each kept every one of its pairs.
func clusteredAll(passes []*testgeom.SecondPass) bool {
	for _, g := range passes {
		if _, _, labels := g.SynapseSample(); labels == nil || !g.KeptAll() {
			return false
		}
	}
	return len(passes) > 0
}

// clusteredPasses compares the groups of pairs that share synapses, each
// kept in full by its pass, on their pairs in the canonical order of a kept
// sample with the scores summed per synapse (GroupsClustered): what the
// pairs in memory give. (Groups larger than their passes keep are
// compared from their profiles, whose robust scales the passes sum per
// synapse: testgeom.SecondPass.RobustScale.)
func clusteredPasses(ctx context.Context, names []string, passes []*testgeom.SecondPass) (*GroupComparison, error) {
	var w0, w1 []float64
	var group []int32
	var synapse []uint64
	for g, pass := range passes {
		a, b, labels := pass.SynapseSample()
		w0, w1, synapse = append(w0, a...), append(w1, b...), append(synapse, labels...)
		for range a {
			group = append(group, int32(g))
		}
	}
	order := testgeom.CanonicalOrder(w0, w1, passes[0].Seed())
	return GroupsClusteredContext(ctx, testgeom.Permuted(w0, order), testgeom.Permuted(w1, order), testgeom.Permuted(group, order),
		names, testgeom.DenseLabels(testgeom.Permuted(synapse, order)), 0)
}
