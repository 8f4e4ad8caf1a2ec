package testgeom_test

import (
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/testgeom"
)

// TestSharedRobustInterval: under heavy-tailed (Student-t(3)) steps the
// shared interval is widened by a pooled sandwich ratio k well above 1,
// and contains its Gaussian-model interval; under Gaussian steps k stays
// near 1.
func TestSharedRobustInterval(t *testing.T) {
	for _, tc := range []struct {
		df         float64
		kMin, kMax float64
	}{{0, 0.7, 1.3}, {3, 1.5, 100}} {
		var w0, w1 []float64
		var group []int32
		for g := range 2 {
			p, err := datasets.DualShift{Potential: testgeom.NegEntropy{}, Init: datasets.LogNormal{Sigma: 0.5},
				Step: 0.2, StepDF: tc.df, N: 3000, Seed: uint64(10 + g)}.Simulate()
			if err != nil {
				t.Fatal(err)
			}
			w0, w1 = append(w0, p.Before...), append(w1, p.After...)
			for range p.Before {
				group = append(group, int32(g))
			}
		}
		r, err := testgeom.CompareGroups(w0, w1, group, []string{"a", "b"}, 1)
		if err != nil {
			t.Fatal(err)
		}
		li := r.SharedInterval
		if li == nil || li.Scale == nil {
			t.Fatalf("df %v: no robust shared interval: %+v", tc.df, r)
		}
		if k := *li.Scale; k < tc.kMin || k > tc.kMax {
			t.Errorf("df %v: pooled sandwich ratio %.3f, want in [%v, %v]", tc.df, k, tc.kMin, tc.kMax)
		}
		if *r.SharedLambdaCI[0] > *li.LRCI[0] || *r.SharedLambdaCI[1] < *li.LRCI[1] {
			t.Errorf("df %v: robust interval %v narrower than the LR interval %v", tc.df, r.SharedLambdaCI, li.LRCI)
		}
		if r.SharedLRTests.NegativeEntropy.PValueRobust == nil {
			t.Errorf("df %v: no robust test of NE in the shared model", tc.df)
		}
	}
}
