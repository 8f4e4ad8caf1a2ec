package compare_test

import (
	"math"
	"testing"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/testgeom"
)

// TestCompareSecondPasses: the group comparison from streamed passes
// equals the in-memory one when every pair is kept (exact profiles), and
// stays within 0.02 in λ when the passes keep a subsample only (grid and
// fine-ladder profiles).
func TestCompareSecondPasses(t *testing.T) {
	w0, w1, group, names := groupData(t, []float64{0, 1, 0}, 3000, 0.1, 7)
	mem, err := compare.Groups(w0, w1, group, names, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, sampleMax := range []int{testgeom.DefaultSampleMax, 500} {
		var passes []*testgeom.SecondPass
		for g := range names {
			var a, b []float64
			for i, c := range group {
				if int(c) == g {
					a, b = append(a, w0[i]), append(b, w1[i])
				}
			}
			sc := testgeom.NewScan(nil, 1)
			sc.Add(a, b)
			sp := sc.SecondPass(sampleMax, 1)
			sp.Add(a, b)
			passes = append(passes, sp)
		}
		got, err := compare.SecondPasses(names, passes)
		if err != nil {
			t.Fatal(err)
		}
		tol := 1e-6
		if sampleMax < 3000 {
			tol = 0.02
		}
		if got.SharedLambda == nil || math.Abs(*got.SharedLambda-*mem.SharedLambda) > tol {
			t.Errorf("sample %d: shared λ̂ %v, in memory %v", sampleMax, got.SharedLambda, *mem.SharedLambda)
		}
		for g := range names {
			if a, b := got.Groups[g].LambdaHat, mem.Groups[g].LambdaHat; a == nil || math.Abs(*a-*b) > tol {
				t.Errorf("sample %d group %s: λ̂ %v, in memory %v", sampleMax, names[g], a, *b)
			}
		}
		if got.LRPValue == nil || *got.LRPValue > 1e-6 {
			t.Errorf("sample %d: NE and Euclidean groups should differ: p = %v", sampleMax, got.LRPValue)
		}
	}
}
