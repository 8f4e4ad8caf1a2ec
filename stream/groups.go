package stream

import (
	"context"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/testgeom"
)

// CompareGroups tests whether the groups share one λ (compare.Groups)
// from the merged passes, the groups in order of first appearance; nil
// when the input has fewer than two groups.
func CompareGroups(cfg Config, first *Part1, second *Part2) (*compare.GroupComparison, error) {
	return compareGroups(context.Background(), cfg, first, second)
}

func compareGroups(ctx context.Context, cfg Config, first *Part1, second *Part2) (*compare.GroupComparison, error) {
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
	return compare.SecondPassesContext(ctx, names, passes)
}

// CompareGroupsContext is CompareGroups that stops when ctx is done and
// then returns ctx.Err() (compare.SecondPassesContext).
func CompareGroupsContext(ctx context.Context, cfg Config, first *Part1, second *Part2) (*compare.GroupComparison, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return compareGroups(ctx, cfg, first, second)
}

// Profile returns the profile log-likelihood of one group's second pass
// (compare.PassProfile); ok is false for an unknown group.
func (p *Part2) Profile(group string) (prof compare.GroupProfile, ok bool) {
	g := p.groups[group]
	if g == nil {
		return prof, false
	}
	return compare.PassProfile(g, group), true
}
