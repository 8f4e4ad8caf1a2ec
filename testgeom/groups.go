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

// GroupRun is one group's paired test with what its passes hold
// (PairedRun), from TestGroupsRunContext.
type GroupRun struct {
	Group string // the group's label
	*PairedRun
}

// TestGroups runs TestPaired on all pairs pooled and on each group:
// group[i] indexes names for pair i. Groups come back in the order of names;
// a group with too few pairs says so in its status. The pooled first pass
// is the merge of the groups' (GroupFirstPasses), as a streamed test makes
// it.
func TestGroups(w0, w1 []float64, group []int32, names []string, opts Options) (*Result, []GroupResult, error) {
	return TestGroupsContext(context.Background(), w0, w1, group, names, opts)
}

// TestGroupsContext is TestGroups that stops when ctx is done and then
// returns ctx.Err(): each paired test looks at ctx as TestPairedContext
// does.
func TestGroupsContext(ctx context.Context, w0, w1 []float64, group []int32, names []string, opts Options) (*Result, []GroupResult, error) {
	pooled, runs, err := TestGroupsRunContext(ctx, w0, w1, group, names, opts)
	if err != nil {
		return nil, nil, err
	}
	out := make([]GroupResult, len(runs))
	for g, r := range runs {
		out[g] = GroupResult{Group: r.Group, Geometry: r.Result}
	}
	return pooled.Result, out, nil
}

// TestGroupsRunContext is TestGroupsContext returning the PairedRun of all
// pairs and of each group: their kept samples and second passes, for the
// analyses that follow the test (the comparison of the groups, say).
func TestGroupsRunContext(ctx context.Context, w0, w1 []float64, group []int32, names []string, opts Options) (*PairedRun, []GroupRun, error) {
	gp, err := GroupFirstPasses(ctx, w0, w1, group, names, opts)
	if err != nil {
		return nil, nil, err
	}
	pooled, err := TestPairedFromContext(ctx, gp.Pooled, w0, w1, opts)
	if err != nil {
		return nil, nil, err
	}
	out := make([]GroupRun, len(names))
	for g, name := range names {
		a, b, o := gp.Pairs(g, w0, w1, opts)
		r, err := TestPairedFromContext(ctx, gp.Groups[g], a, b, o)
		if err != nil {
			return nil, nil, err
		}
		out[g] = GroupRun{Group: name, PairedRun: r}
	}
	return pooled, out, nil
}

// GroupPasses are the first passes of grouped pairs: each group's, and the
// pooled one as their merge.
type GroupPasses struct {
	Pooled *Scan   // all pairs: the merge of the groups'
	Groups []*Scan // in the order of the names
	idx    [][]int // each group's pairs
}

// GroupFirstPasses makes the first pass of each group (group[i] indexes
// names for pair i) and merges them into the pooled first pass: one first
// pass per pair, and the sums of a streamed test, which merges the groups'
// scans of each shard in the same way.
func GroupFirstPasses(ctx context.Context, w0, w1 []float64, group []int32, names []string, opts Options) (*GroupPasses, error) {
	if err := checkPairs(w0, w1, opts); err != nil {
		return nil, err
	}
	if len(group) != len(w0) {
		return nil, &inputError{fmt.Sprintf("testgeom: %d group labels for %d pairs", len(group), len(w0))}
	}
	gp := &GroupPasses{idx: make([][]int, len(names)), Groups: make([]*Scan, len(names))}
	for i, g := range group {
		if g < 0 || int(g) >= len(names) {
			return nil, &inputError{fmt.Sprintf("testgeom: group index %d of pair %d is out of range", g, i)}
		}
		gp.idx[g] = append(gp.idx[g], i)
	}
	o := opts.withDefaults()
	gp.Pooled = NewScan(o.Candidates, o.Workers)
	for g := range names {
		a, b, og := gp.Pairs(g, w0, w1, opts)
		sc, err := FirstPassContext(ctx, a, b, og)
		if err != nil {
			return nil, err
		}
		if err := gp.Pooled.Merge(sc); err != nil {
			return nil, err
		}
		gp.Groups[g] = sc
	}
	return gp, nil
}

// Pairs are group g's pairs and its options (Options).
func (gp *GroupPasses) Pairs(g int, w0, w1 []float64, opts Options) (a, b []float64, o Options) {
	idx := gp.idx[g]
	a, b = make([]float64, len(idx)), make([]float64, len(idx))
	for j, i := range idx {
		a[j], b[j] = w0[i], w1[i]
	}
	return a, b, gp.Options(g, opts)
}

// Options are group g's options, given those of all pairs: its shards and
// cluster labels taken from theirs.
func (gp *GroupPasses) Options(g int, opts Options) Options {
	idx := gp.idx[g]
	o := opts
	o.Shards = SubsetShards(opts.Shards, idx)
	if opts.Clusters != nil {
		o.Clusters = make([]int32, len(idx))
		for j, i := range idx {
			o.Clusters[j] = opts.Clusters[i]
		}
	}
	return o
}
