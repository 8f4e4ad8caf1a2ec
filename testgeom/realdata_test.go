package testgeom

import (
	"math"
	"testing"

	"github.com/syngeom/syngeom/internal/melander"
)

// TestMelanderPairs runs the paired test on in-vivo PSD-95 imaging of the
// same synapses in consecutive sessions (Melander et al. 2021), pyramidal
// and PV cells separately. The authors describe multiplicative
// (Kesten-type) dynamics. syngeom must reject the additive (Euclidean)
// geometry decisively and place λ̂ between NE and Euclidean, much closer to
// NE; and it must flag the Gaussian dual-shift model as a poor fit (the
// shifts fall with w0, the signature of measurement noise and of the
// additive part of a Kesten process).
func TestMelanderPairs(t *testing.T) {
	for _, cell := range melander.Cells {
		w0, w1 := melander.CellPairs(t, cell)
		res, err := TestPaired(w0, w1, Options{NullReplicates: 50, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		lh, lo, hi := *res.LambdaHat, *res.LambdaCI[0], *res.LambdaCI[1]
		t.Logf("%s: n %d, λ̂ %.3f [%.3f, %.3f], best ΔCDF %s, best likelihood %s, adequate %v\n%s",
			cell, res.N, lh, lo, hi, res.BestByDCDF, res.BestByLikelihood, res.Adequate, res.Verdict)
		if !(lo > 0 && hi < 0.5) {
			t.Errorf("%s: λ̂ interval [%v, %v], want inside (0, 0.5)", cell, lo, hi)
		}
		if p := res.LRTests.Euclidean.PValue; p == nil || *p > 1e-100 {
			t.Errorf("%s: Euclidean LR p = %v", cell, p)
		}
		if res.Adequate {
			t.Errorf("%s: the Gaussian dual-shift model should be flagged", cell)
		}
		best := res.find(res.BestByLikelihood)
		if best.SpearmanShiftW0 == nil || *best.SpearmanShiftW0 > -0.1 || math.IsNaN(*best.SpearmanShiftW0) {
			t.Errorf("%s: ρ(d, w0) = %v, want clearly negative", cell, best.SpearmanShiftW0)
		}
	}
}
