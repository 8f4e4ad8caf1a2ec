package testgeom

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

func TestSpearmanWithTies(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	y := []float64{2, 1, 4, 3, 3, 8, 6, 8}
	r := Ranks(y)
	want := []float64{2, 1, 5, 3.5, 3.5, 7.5, 6, 7.5}
	for i := range r {
		if r[i] != want[i] {
			t.Fatalf("ranks %v, want %v", r, want)
		}
	}
	// Reference: Pearson correlation of average ranks, and the two-sided
	// Student-t p-value with 6 df (computed independently by numerical
	// integration of the t density).
	rho, p := Spearman(x, y)
	if math.Abs(rho-0.8554837795635868) > 1e-14 || math.Abs(p-0.006751330250938005) > 1e-9 {
		t.Errorf("ρ = %.16g, p = %.16g", rho, p)
	}
}

// Under normality the case-3 Anderson–Darling p-value must be roughly
// uniform: about 5% below 0.05 and 50% below 0.5.
func TestADNormalPValueCalibration(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const sims = 2000
	below05, below50 := 0, 0
	x := make([]float64, 100)
	for s := 0; s < sims; s++ {
		for i := range x {
			x[i] = 3 + 2*rng.NormFloat64()
		}
		p := ADNormalPValue(andersonDarlingNormal(x), len(x))
		if p < 0.05 {
			below05++
		}
		if p < 0.5 {
			below50++
		}
	}
	f05, f50 := float64(below05)/sims, float64(below50)/sims
	t.Logf("AD p < 0.05 in %.3f, < 0.5 in %.3f of %d normal samples", f05, f50, sims)
	if f05 < 0.035 || f05 > 0.065 || f50 < 0.46 || f50 > 0.54 {
		t.Errorf("AD p-values not uniform under the null: %.3f, %.3f", f05, f50)
	}
	// The piecewise formula is monotone up to the small jumps of the
	// published fit at its break points (0.0018 at A*² = 0.6).
	prev := 1.0
	for a := 0.05; a < 20; a += 0.001 {
		p := ADNormalPValue(a, 1000000)
		if p > prev+3e-3 {
			t.Fatalf("p-value increases at A² = %v: %v after %v", a, p, prev)
		}
		prev = p
	}
	// Exponential data are rejected.
	for i := range x {
		x[i] = rng.ExpFloat64()
	}
	if p := ADNormalPValue(andersonDarlingNormal(x), len(x)); p > 1e-3 {
		t.Errorf("exponential sample: AD p = %v", p)
	}
}

// Changes proportional to size, scored with the Euclidean geometry, show the
// signature the diagnostics look for: the spread of d grows with w0.
func TestSpreadDiagnosticDetectsWrongGeometry(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3000
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = math.Exp(rng.NormFloat64())
		w1[i] = w0[i] * math.Exp(0.1*rng.NormFloat64())
	}
	res, err := TestPaired(w0, w1, Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}, NullReplicates: 100})
	if err != nil {
		t.Fatal(err)
	}
	ne, eu := res.Candidates[0], res.Candidates[1]
	if math.Abs(*ne.SpearmanSpreadW0) > 0.06 || math.Abs(*ne.SpearmanShiftW0) > 0.06 {
		t.Errorf("NE: ρ(d, w0) = %v, ρ(spread, w0) = %v, want ≈ 0", *ne.SpearmanShiftW0, *ne.SpearmanSpreadW0)
	}
	if *eu.SpearmanSpreadW0 < 0.3 || *eu.SpearmanSpreadW0P > 1e-10 {
		t.Errorf("Euclidean: ρ(spread, w0) = %v, want clearly positive", *eu.SpearmanSpreadW0)
	}
	if !res.Adequate || res.BestByLikelihood != "NE" || res.BestByDCDF != "NE" {
		t.Errorf("adequate %v, best %s / %s: %s", res.Adequate, res.BestByLikelihood, res.BestByDCDF, res.Verdict)
	}
	if *eu.ADPValue > 1e-6 || *ne.ADPValue < 0.001 {
		t.Errorf("AD p: NE %v, Euclidean %v", *ne.ADPValue, *eu.ADPValue)
	}
	// 20 bins of 150 synapses by increasing w0; the Euclidean spread grows.
	if len(eu.Bins) != 20 || eu.Bins[0].N != 150 || !sort.SliceIsSorted(eu.Bins, func(i, j int) bool { return eu.Bins[i].W0Mean < eu.Bins[j].W0Mean }) {
		t.Fatalf("bins: %d, first n %d", len(eu.Bins), eu.Bins[0].N)
	}
	if eu.Bins[19].SD < 5*eu.Bins[0].SD {
		t.Errorf("Euclidean shift sd in the top bin %v, bottom bin %v", eu.Bins[19].SD, eu.Bins[0].SD)
	}
}
