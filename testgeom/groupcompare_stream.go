package testgeom

import (
	"context"
	"fmt"
)

// CompareSecondPasses is CompareGroups for groups read in two passes
// (package stream), one SecondPass per group, in the order of names. A
// group whose pass kept all its pairs is profiled exactly, as in memory
// (sandwich standard errors included); otherwise its profile is that of
// SecondPass.Profile, exact on the coarse λ grid and on the fine ladder
// around its own λ̂ and interpolated elsewhere, and the note says so.
func CompareSecondPasses(names []string, passes []*SecondPass) (*GroupComparison, error) {
	return CompareSecondPassesContext(context.Background(), names, passes)
}

// CompareSecondPassesContext is CompareSecondPasses that stops when ctx is
// done and then returns ctx.Err(): it looks at ctx between groups and
// before each evaluation of an exact profile (one pass over the kept
// pairs).
func CompareSecondPassesContext(ctx context.Context, names []string, passes []*SecondPass) (*GroupComparison, error) {
	if len(names) != len(passes) {
		return nil, &inputError{fmt.Sprintf("testgeom: %d group names and %d second passes", len(names), len(passes))}
	}
	profiles := make([]GroupProfile, len(passes))
	sets := make([]*pairSet, len(passes))
	note := ""
	stop := func() bool { return ctx.Err() != nil }
	for i, g := range passes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g.finish()
		s0, s1 := g.sample0, g.sample1
		if int64(len(s0)) == g.p.finite {
			s := newPairSet(s0, s1, g.scan.workers)
			s.f = stoppable(s.f, stop)
			profiles[i] = GroupProfile{Group: names[i], N: s.n, LogLik: s.f, Shift: s.lik.shiftAt,
				RobustScale: func(lhat, se float64) float64 { return scaleInMemory(s0, s1, nil, lhat, se) }}
			sets[i] = s
			continue
		}
		profiles[i] = g.Profile(names[i], ShiftMoments(s0, s1, g.scan.workers))
		note = "groups with more pairs than the second pass keeps are profiled exactly on the λ grid and on a fine ladder around their own λ̂, interpolated elsewhere; their shift parameters come from the kept pairs and they have no sandwich standard error"
	}
	gc := CompareGroupProfiles(profiles, note)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if note != "" {
		return gc, nil
	}
	// Every group is in memory: the step model is chosen as in memory.
	gc = chooseStepModel(gc, sets, make([][]int32, len(sets)), names, stop)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return gc, nil
}
