package compare_test

import (
	"math"
	"testing"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
)

// TestSharedRobustInterval: under Gaussian steps the comparison keeps the
// Gaussian step model and its pooled sandwich ratio k stays near 1. Under
// heavy-tailed (Student-t(3)) steps the joint test rejects Gaussian steps,
// the comparison moves to the Student-t model (whose k stays near 1, and
// whose shared λ̂ recovers the truth), and the Gaussian comparison kept
// beside it has its interval widened by a k well above 1.
func TestSharedRobustInterval(t *testing.T) {
	for _, tc := range []struct {
		df         float64
		model      string
		kMin, kMax float64
	}{{0, compare.StepGaussian, 0.7, 1.3}, {3, compare.StepStudentT, 0.7, 1.3}} {
		r := compareTwoGroups(t, geometry.NegEntropy{}, tc.df, 3000, 10)
		if r.StepModel != tc.model || r.StepModelTest == nil || r.StepModelTest.PValue == nil {
			t.Fatalf("df %v: step model %q (test %+v), want %q", tc.df, r.StepModel, r.StepModelTest, tc.model)
		}
		if tc.model == compare.StepStudentT {
			if *r.StepModelTest.PValue > 1e-6 {
				t.Errorf("df %v: test of Gaussian steps p = %g, want tiny", tc.df, *r.StepModelTest.PValue)
			}
			if lo, hi := *r.SharedLambdaCI[0], *r.SharedLambdaCI[1]; lo > 0 || hi < 0 {
				t.Errorf("df %v: Student-t shared interval [%.3f, %.3f] misses the true λ = 0", tc.df, lo, hi)
			}
			g := r.Gaussian
			if g == nil || g.SharedInterval == nil || g.SharedInterval.Scale == nil || *g.SharedInterval.Scale < 1.5 {
				t.Fatalf("df %v: the Gaussian comparison beside the Student-t one should have k > 1.5: %+v", tc.df, g)
			}
			if w, wg := *r.SharedLambdaCI[1]-*r.SharedLambdaCI[0], *g.SharedLambdaCI[1]-*g.SharedLambdaCI[0]; w >= wg {
				t.Errorf("df %v: Student-t shared interval width %.4f not narrower than the robust Gaussian one %.4f", tc.df, w, wg)
			}
		} else if r.Gaussian != nil {
			t.Errorf("df %v: a Gaussian comparison nested in a Gaussian one", tc.df)
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

// TestChiBarSquared checks the boundary mixture against its closed form
// for one and two components: ½P(χ²₁ > x) and ½P(χ²₁ > x) + ¼P(χ²₂ > x),
// with P(χ²₁ > 3.841459) = 0.05 and P(χ²₂ > x) = e^(−x/2).
func TestChiBarSquared(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		k    int
		want float64
	}{
		{3.841459, 1, 0.025},
		{3.841459, 2, 0.025 + 0.25*0.1465001},
		{0, 5, 1},
	} {
		if got := compare.ChiBarSquaredSurvival(tc.x, tc.k); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("chi-bar-squared(%g, %d) = %.7f, want %.7f", tc.x, tc.k, got, tc.want)
		}
	}
}

// compareTwoGroups compares two simulated groups of n pairs with the same
// geometry, log-normal w0 (σ = 0.5) and step scale 0.2 (StepDF 0: Gaussian
// steps); the groups' seeds are seed and seed + 1.
func compareTwoGroups(t *testing.T, pot geometry.Potential, df float64, n int, seed uint64) *compare.GroupComparison {
	t.Helper()
	var w0, w1 []float64
	var group []int32
	for g := range 2 {
		p, err := datasets.DualShift{Potential: pot, Init: datasets.LogNormal{SDLog: 0.5},
			Step: 0.2, StepDF: df, N: n, Seed: seed + uint64(g)}.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		w0, w1 = append(w0, p.Before...), append(w1, p.After...)
		for range p.Before {
			group = append(group, int32(g))
		}
	}
	r, err := compare.Groups(w0, w1, group, []string{"a", "b"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
