package testgeom

import (
	"context"
	"fmt"
)

// GroupResult is the paired test of one group (animal, cell type, …).
type GroupResult struct {
	Group    string  `json:"group"`    // the group's label
	Geometry *Result `json:"geometry"` // the paired test on the group's pairs
}

// TestGroups runs TestPaired on all pairs pooled and on each group:
// group[i] indexes names for pair i. Groups come back in the order of names;
// a group with too few pairs says so in its status.
func TestGroups(w0, w1 []float64, group []int32, names []string, opts Options) (*Result, []GroupResult, error) {
	return TestGroupsContext(context.Background(), w0, w1, group, names, opts)
}

// TestGroupsContext is TestGroups that stops when ctx is done and then
// returns ctx.Err(): each paired test looks at ctx as TestPairedContext
// does.
func TestGroupsContext(ctx context.Context, w0, w1 []float64, group []int32, names []string, opts Options) (*Result, []GroupResult, error) {
	if len(group) != len(w0) {
		return nil, nil, &inputError{fmt.Sprintf("testgeom: %d group labels for %d pairs", len(group), len(w0))}
	}
	pooled, err := TestPairedContext(ctx, w0, w1, opts)
	if err != nil {
		return nil, nil, err
	}
	idx := make([][]int, len(names))
	for i, g := range group {
		if g < 0 || int(g) >= len(names) {
			return nil, nil, &inputError{fmt.Sprintf("testgeom: group index %d of pair %d is out of range", g, i)}
		}
		idx[g] = append(idx[g], i)
	}
	out := make([]GroupResult, len(names))
	for g, name := range names {
		a, b := make([]float64, len(idx[g])), make([]float64, len(idx[g]))
		for j, i := range idx[g] {
			a[j], b[j] = w0[i], w1[i]
		}
		o := opts
		o.Shards = SubsetShards(opts.Shards, idx[g])
		if opts.Clusters != nil {
			o.Clusters = make([]int32, len(idx[g]))
			for j, i := range idx[g] {
				o.Clusters[j] = opts.Clusters[i]
			}
		}
		r, err := TestPairedContext(ctx, a, b, o)
		if err != nil {
			return nil, nil, err
		}
		out[g] = GroupResult{Group: name, Geometry: r}
	}
	return pooled, out, nil
}
