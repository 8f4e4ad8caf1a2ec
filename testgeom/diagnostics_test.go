package testgeom

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/syngeom/syngeom/fit"
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

// adNormalSorted takes the logs of the tails in blocks and log(1 − t) for
// log1p(−t); its A² must stay within 1e-9 (relative above 1) of
// fit.AndersonDarlingNormal, which takes them one at a time (3e-11 apart
// at n = 10^5, where the sum of n terms of size up to 2n rounds to about
// 1e-8 in A² either way), on samples
// that reach every branch: both tails, z = 0 exactly, |z| beyond 20 and
// heavy tails. A wrong branch (the tails swapped, or the larger tail
// taken as the smaller) moves A² by far more.
func TestADNormalBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	samples := map[string][]float64{
		"three":      {1, 2, 4},
		"with-mean":  {-1, 0, 1, -2, 2},
		"tied":       {1, 1, 1, 2, 2, 3, 3, 3, 3, 7},
		"beyond-20":  append(make([]float64, 2000), 1e6, -3e5),
		"normal-1e5": nil, "cauchy-1e4": nil, "lognormal-3e3": nil,
	}
	for i := range samples["beyond-20"][:2000] {
		samples["beyond-20"][i] = rng.NormFloat64()
	}
	normal := make([]float64, 100000)
	for i := range normal {
		normal[i] = 5 + 2*rng.NormFloat64()
	}
	cauchy := make([]float64, 10000)
	for i := range cauchy {
		cauchy[i] = rng.NormFloat64() / rng.NormFloat64()
	}
	logn := make([]float64, 3000)
	for i := range logn {
		logn[i] = math.Exp(2 * rng.NormFloat64())
	}
	samples["normal-1e5"], samples["cauchy-1e4"], samples["lognormal-3e3"] = normal, cauchy, logn
	for name, x := range samples {
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		var s shiftedSums
		for _, v := range x {
			s.add(v)
		}
		m := s.moments()
		want := fit.AndersonDarlingNormal(sorted, m.mean, math.Sqrt(m.variance()))
		got := adNormalSorted(x, sorted, nil)
		diff := math.Abs(got - want)
		t.Logf("%s: A² = %.17g, blocks − one at a time = %.3g", name, want, got-want)
		if !(diff <= 1e-9*math.Max(1, math.Abs(want))) {
			t.Errorf("%s: A² = %.17g, want %.17g (fit.AndersonDarlingNormal)", name, got, want)
		}
	}
}

// The Euclidean diagnostics rank the steps w1 − w0 themselves, so equal
// steps stay tied, as in R's cor(w1 - w0, w0, method = "spearman") and
// scipy's spearmanr (which agree with them to every digit on the golden
// long_chains table: ρ = 0.05752302257427822, spread ρ = 0.4294586025847772
// from scipy 1.10.1). Through e^(log w) the ties broke apart and ρ moved in
// its third digit.
func TestDiagnoseEuclideanTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	const n = 3000
	s0, s1, d, spread := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range s0 {
		s0[i] = float64(30+rng.IntN(300)) / 100
		s1[i] = s0[i] + float64(rng.IntN(41)-20)/100 + 0.01*s0[i]*float64(rng.IntN(3))
		d[i] = s1[i] - s0[i]
	}
	pl := planCandidates([]geometry.Potential{geometry.PNorm{P: 2}})[0]
	got := diagnose(pl, s0, s1, 10, newW0Order(s0).withLogs(s0, s1), nil)
	rho, p := Spearman(d, s0)
	sorted := slices.Clone(d)
	slices.Sort(sorted)
	med := median(sorted)
	for i, v := range d {
		spread[i] = math.Abs(v - med)
	}
	rhoSpread, _ := Spearman(spread, s0)
	if got.rhoShift != rho || got.pShift != p || got.rhoSpread != rhoSpread {
		t.Errorf("Euclidean ρ = %.17g (p %.17g), spread ρ = %.17g; want %.17g (p %.17g), %.17g from the steps w1 − w0",
			got.rhoShift, got.pShift, got.rhoSpread, rho, p, rhoSpread)
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
