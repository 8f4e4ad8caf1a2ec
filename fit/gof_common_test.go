package fit

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Log-normal and power-normal describe the same law when the power-normal λ
// is 0. On log-normal data they must then be judged on the same subsample
// and the same resamples, so their goodness-of-fit p-values agree up to the
// effect of power-normal's extra fitted parameter, instead of differing by
// two independent Monte Carlo errors and two different subsamples.
func TestGOFCommonRandomNumbers(t *testing.T) {
	ln, err := Lookup("lognormal")
	if err != nil {
		t.Fatal(err)
	}
	pn, err := Lookup("powernormal")
	if err != nil {
		t.Fatal(err)
	}
	const tol = 0.12 // |Δp| allowed between the two families' AD p-values
	worst := 0.0
	for seed := uint64(1); seed <= 4; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		x := make([]float64, 1500)
		for i := range x {
			x[i] = math.Exp(-0.7 + 0.9*r.NormFloat64())
		}
		rep, err := Fit(x, []*Family{ln, pn}, Options{GOFSamples: 199, GOFMaxN: 500, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		a, b := rep.Fits[0].PValues, rep.Fits[1].PValues
		if a == nil || b == nil || a.AD == nil || b.AD == nil {
			t.Fatalf("seed %d: missing p-values: %+v %+v", seed, a, b)
		}
		if a.N != 500 || b.N != 500 || !a.Subsample || !b.Subsample {
			t.Fatalf("seed %d: expected both on a 500-value subsample, got %d and %d", seed, a.N, b.N)
		}
		d := math.Abs(*a.AD - *b.AD)
		worst = math.Max(worst, d)
		t.Logf("seed %d: AD p lognormal %.3f, powernormal %.3f", seed, *a.AD, *b.AD)
		if d > tol {
			t.Errorf("seed %d: AD p-values %.3f (lognormal) and %.3f (powernormal) differ by more than %.2f", seed, *a.AD, *b.AD, tol)
		}
		// The correct model is not rejected by the floor of the bootstrap.
		if a.ADAtFloor || a.Floor() > 0.01 {
			t.Errorf("seed %d: lognormal AD p %.3f at floor %.3f", seed, *a.AD, a.Floor())
		}
	}
	t.Logf("worst |Δp| = %.3f", worst)
}
