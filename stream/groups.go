package stream

import (
	"context"

	"github.com/syngeom/syngeom/testgeom"
)

// CompareGroups tests whether the groups share one λ (testgeom.CompareGroups)
// from the merged passes, the groups in order of first appearance; nil
// when the input has fewer than two groups.
func CompareGroups(cfg Config, first *Part1, second *Part2) (*testgeom.GroupComparison, error) {
	return compareGroups(context.Background(), cfg, first, second)
}

func compareGroups(ctx context.Context, cfg Config, first *Part1, second *Part2) (*testgeom.GroupComparison, error) {
	if second.first != first {
		first = second.first
	}
	_, names, err := first.input(cfg)
	if err != nil || len(names) < 2 {
		return nil, err
	}
	passes := make([]*testgeom.SecondPass, len(names))
	for i, n := range names {
		passes[i] = second.groups[n]
	}
	return testgeom.CompareSecondPassesContext(ctx, names, passes)
}

// CompareGroupsContext is CompareGroups that stops when ctx is done and
// then returns ctx.Err() (testgeom.CompareSecondPassesContext).
func CompareGroupsContext(ctx context.Context, cfg Config, first *Part1, second *Part2) (*testgeom.GroupComparison, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return compareGroups(ctx, cfg, first, second)
}
