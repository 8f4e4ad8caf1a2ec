package compare_test

import (
	"testing"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/internal/melander"
)

// TestMelanderGroupComparison: the LR test of one λ for pyramidal and PV
// synapses. Each cell type alone places λ̂ between NE and Euclidean near
// 0.2–0.25 (see TestMelanderPairs); the two estimates do not differ
// significantly (p ≈ 0.25 when computed).
func TestMelanderGroupComparison(t *testing.T) {
	w0, w1, cell, _ := melander.Pairs(t)
	r, err := compare.Groups(w0, w1, cell, []string{"pyr", "pv"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Groups {
		t.Logf("%s: n %d, λ̂ %.4f [%.4f, %.4f], se %.4f", g.Group, g.N, *g.LambdaHat, *g.LambdaCI[0], *g.LambdaCI[1], *g.SE)
	}
	t.Log(r.Verdict)
	if r.LRPValue == nil || *r.LRPValue < 0.05 || r.Groups[0].N != 3010 || r.Groups[1].N != 2699 {
		t.Errorf("common-λ test p = %v, groups %+v", r.LRPValue, r.Groups)
	}
}
