package testgeom

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
)

// drawPaperLogNormal draws from the log-normal law of the paper's robustness
// experiment (mean = sd = 1/√1000), positive as biological weights are.
func drawPaperLogNormal(rng *rand.Rand) float64 {
	sd := 1 / math.Sqrt(1000)
	mu := math.Log(sd * sd / math.Sqrt(2*sd*sd))
	return math.Exp(mu + math.Sqrt(math.Log(2))*rng.NormFloat64())
}

// simUnpaired makes a before sample and an after sample of n different
// synapses each: both start from the paper's log-normal law, the after
// synapses take the paper's dual step 0.1·g(0.1)·ε under truth.
func simUnpaired(rng *rand.Rand, n int, truth geometry.Potential) (before, after []float64) {
	before, after = make([]float64, n), make([]float64, n)
	step := 0.1 * truth.Dual(0.1)
	for i := range before {
		before[i] = drawPaperLogNormal(rng)
		w0 := drawPaperLogNormal(rng)
		after[i] = truth.Inverse(truth.Dual(w0)+step*rng.NormFloat64(), geometry.Sign(w0))
	}
	return before, after
}

var familyCandidates = []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}}

// TestUnpairedCDFMatchesDirect checks the FFT prediction and the exact
// piecewise distance against the O(n²) definitions on a small sample:
// F(t) = (1/n) Σ Φ((t − x_i − μ)/σ) and ∫|F_a − F| dt by a fine Riemann sum.
// Tolerances: 2e-3 on F (linear binning moves each value by at most h,
// here 1/4000 of the range, i.e. well under σ/50) and 1% on the distance.
func TestUnpairedCDFMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, y := make([]float64, 300), make([]float64, 250)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for i := range y {
		y[i] = 0.3 + 1.2*rng.NormFloat64() + 0.5*rng.ExpFloat64()
	}
	slices.Sort(y)
	mu, sigma := 0.4, 0.7
	g := newLawGrid(-9, 12, 4000)
	mass := make([]float64, g.m)
	tot := g.bin(x, nil, mass)
	for k := range mass {
		mass[k] /= tot
	}
	cdf := newConvolver(g, mass).predictedCDF(mu, sigma)
	direct := func(tt float64) float64 {
		s := 0.0
		for _, v := range x {
			s += fit.NormalCDF((tt - v - mu) / sigma)
		}
		return s / float64(len(x))
	}
	for k := 0; k < g.m; k += 97 {
		if d := math.Abs(cdf[k] - direct(g.node(k))); d > 2e-3 {
			t.Fatalf("F(%.3f): grid %.6f, direct %.6f", g.node(k), cdf[k], direct(g.node(k)))
		}
	}
	got := g.cdfDistance(cdf, y, nil, float64(len(y)))
	want, steps := 0.0, 30000
	h := 21.0 / float64(steps)
	for i := 0; i < steps; i++ {
		tt := -9 + (float64(i)+0.5)*h
		fa := float64(countAtMost(y, tt)) / float64(len(y))
		want += math.Abs(fa-direct(tt)) * h
	}
	if math.Abs(got-want) > 0.01*want {
		t.Fatalf("distance: grid %.6f, direct %.6f", got, want)
	}
}

func countAtMost(y []float64, t float64) int {
	n, _ := slices.BinarySearch(y, t)
	for n < len(y) && y[n] <= t {
		n++
	}
	return n
}

// TestUnpairedRecoveryShort: three seeds per true geometry at n = 5000
// each; the true family must win by distance in at least two of three
// (TestLongUnpairedRecovery runs the 50-seed study).
func TestUnpairedRecoveryShort(t *testing.T) {
	for ti, truth := range familyCandidates {
		wins := 0
		for seed := 0; seed < 3; seed++ {
			b, a := simUnpaired(stream(uint64(seed), 0x7e57, uint64(ti)), 5000, truth)
			r, err := TestUnpaired(b, a, UnpairedOptions{Candidates: familyCandidates})
			if err != nil {
				t.Fatal(err)
			}
			if r.Design != "unpaired" {
				t.Fatalf("design %q", r.Design)
			}
			if r.BestByDistance == truth.Name() {
				wins++
			}
		}
		if wins < 2 {
			t.Errorf("truth %s won %d of 3", truth.Name(), wins)
		}
	}
}

// TestLongUnpairedRecovery: 5,000 before and 5,000 after values under NE,
// p = 2 and p = 3 (the paper's log-normal law and dual step), 50 seeds
// each; the true family must win by distance in ≥ 90%.
func TestLongUnpairedRecovery(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the 50-seed unpaired recovery study")
	}
	for ti, truth := range familyCandidates {
		wins := map[string]int{}
		for seed := 0; seed < 50; seed++ {
			b, a := simUnpaired(stream(uint64(seed), 0x10c5, uint64(ti)), 5000, truth)
			r, err := TestUnpaired(b, a, UnpairedOptions{Candidates: familyCandidates})
			if err != nil {
				t.Fatal(err)
			}
			wins[r.BestByDistance]++
		}
		t.Logf("truth %s: winners over 50 seeds %v", truth.Name(), wins)
		if wins[truth.Name()] < 45 {
			t.Errorf("truth %s won %d of 50, want ≥ 45", truth.Name(), wins[truth.Name()])
		}
	}
}

// TestUnpairedAgreesWithPaired: paired data of the paper's setting with the
// pairing discarded (the after column shuffled) must give the unpaired
// verdict the paired test gives.
func TestUnpairedAgreesWithPaired(t *testing.T) {
	for ti, truth := range familyCandidates {
		rng := stream(11, 0xa9ee, uint64(ti))
		n := 5000
		w0, w1 := make([]float64, n), make([]float64, n)
		step := 0.1 * truth.Dual(0.1)
		for i := range w0 {
			w0[i] = drawPaperLogNormal(rng)
			w1[i] = truth.Inverse(truth.Dual(w0[i])+step*rng.NormFloat64(), 1)
		}
		paired, err := TestPaired(w0, w1, Options{Candidates: familyCandidates, NullReplicates: -1})
		if err != nil {
			t.Fatal(err)
		}
		shuffled := slices.Clone(w1)
		rng.Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		un, err := TestUnpaired(w0, shuffled, UnpairedOptions{Candidates: familyCandidates})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("truth %s: paired ΔCDF %s, likelihood %s; unpaired %s", truth.Name(), paired.BestByDCDF, paired.BestByLikelihood, un.BestByDistance)
		if paired.BestByLikelihood != truth.Name() || un.BestByDistance != paired.BestByLikelihood {
			t.Errorf("truth %s: paired says %s (likelihood), unpaired %s", truth.Name(), paired.BestByLikelihood, un.BestByDistance)
		}
	}
}

// TestUnpairedCannotExplain: when the after sample is narrower in NE dual
// space (log-sd halved, the scale quadrupled), NE cannot explain the
// change; Euclidean, whose linear variance grows, can.
func TestUnpairedCannotExplain(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3000
	b, a := make([]float64, n), make([]float64, n)
	for i := range b {
		b[i] = math.Exp(0.8 * rng.NormFloat64())
		a[i] = 4 * math.Exp(0.4*rng.NormFloat64())
	}
	r, err := TestUnpaired(b, a, UnpairedOptions{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	ne := r.find("NE")
	if ne.CanExplain || !strings.Contains(ne.Status, "cannot explain") || *ne.ShiftVariance >= 0 {
		t.Fatalf("NE: can explain %v, status %q", ne.CanExplain, ne.Status)
	}
	if r.BestByDistance == "NE" {
		t.Fatalf("NE cannot explain the change but is named best")
	}
	if !strings.Contains(r.Verdict, "NE") || !strings.Contains(r.Verdict, "cannot explain") {
		t.Fatalf("verdict does not say NE cannot explain the change: %s", r.Verdict)
	}
}

// TestUnpairedDeterministic: the same seed gives byte-identical JSON with 1
// and 2 workers, bootstrap included, and the JSON encodes (no NaN).
func TestUnpairedDeterministic(t *testing.T) {
	b, a := simUnpaired(stream(2, 0xde7, 0), 300, geometry.PNorm{P: 2})
	var out [2][]byte
	for i, w := range []int{1, 2} {
		r, err := TestUnpaired(b, a, UnpairedOptions{Candidates: familyCandidates, Bootstrap: 8, Seed: 9, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		out[i], err = json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if r.Bootstrap == nil || r.BootstrapWins["p=2.0"] == 0 {
			t.Fatalf("bootstrap wins %v", r.BootstrapWins)
		}
	}
	if string(out[0]) != string(out[1]) {
		t.Fatal("results differ between 1 and 2 workers")
	}
}

// TestUnpairedRefine: the likelihood over (λ, μ, σ) on positive weights
// with a multiplicative change (log-sd 0.3): the interval for λ must
// contain 0 (NE) and reject Euclidean.
func TestUnpairedRefine(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 1000
	b, a := make([]float64, n), make([]float64, n)
	for i := range b {
		b[i] = math.Exp(0.5 * rng.NormFloat64())
		a[i] = math.Exp(0.5*rng.NormFloat64() + 0.3*rng.NormFloat64())
	}
	r, err := TestUnpaired(b, a, UnpairedOptions{Candidates: familyCandidates, Refine: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.LambdaHat == nil || r.LambdaCI[0] == nil || r.LambdaCI[1] == nil {
		t.Fatalf("no λ̂: %s", r.ProfileStatus)
	}
	t.Logf("λ̂ = %.3f [%.3f, %.3f]; best by likelihood %s, by distance %s", *r.LambdaHat, *r.LambdaCI[0], *r.LambdaCI[1], r.BestByLikelihood, r.BestByDistance)
	if !(*r.LambdaCI[0] <= 0 && 0 <= *r.LambdaCI[1]) || *r.LambdaCI[1] >= 1 {
		t.Errorf("95%% interval [%.3f, %.3f] should contain 0 and exclude 1", *r.LambdaCI[0], *r.LambdaCI[1])
	}
	if r.BestByLikelihood != "NE" || *r.LRTests.Euclidean.PValue > 0.05 {
		t.Errorf("best by likelihood %s, Euclidean LR p %v", r.BestByLikelihood, *r.LRTests.Euclidean.PValue)
	}
}

// TestUnpairedZerosUnderNE: zeros (absent synapses) cannot enter NE's dual
// space, so no candidate is scored on them: every candidate sees the same
// values, and the zeros are counted. Non-finite values are dropped and
// counted.
func TestUnpairedZerosUnderNE(t *testing.T) {
	b, a := simUnpaired(stream(4, 0x2e, 0), 400, geometry.NegEntropy{})
	b[0], b[1], a[2] = 0, math.Inf(1), 0
	r, err := TestUnpaired(b, a, UnpairedOptions{Candidates: familyCandidates, MomentsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ne, eu := r.find("NE"), r.find("p=2.0")
	if r.Excluded["non_finite_before"] != 1 || r.Counts["zero_before"] != 1 || r.Counts["zero_after"] != 1 ||
		r.Counts["not_compared_before"] != 1 || r.Counts["not_compared_after"] != 1 || r.NBefore != 398 ||
		ne.NBefore != 398 || ne.Distance == nil || ne.Excluded != nil || eu.NBefore != 398 || eu.NAfter != ne.NAfter || eu.Excluded != nil {
		t.Fatalf("counts: result %v %v, NE %+v, Euclidean n %d excluded %v", r.Excluded, r.Counts, ne, eu.NBefore, eu.Excluded)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkUnpaired is one unpaired test of 5,000 + 5,000 values against
// the paper's 21 candidates (minimum distance, no bootstrap, one core).
func BenchmarkUnpaired(b *testing.B) {
	before, after := simUnpaired(stream(1, 2, 3), 5000, geometry.NegEntropy{})
	for b.Loop() {
		if _, err := TestUnpaired(before, after, UnpairedOptions{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshot fits NE, p = 1.5, 2, 2.5, 3 with K = 1, 2 to 4,000
// values truncated at a detection limit, on one core.
func BenchmarkSnapshot(b *testing.B) {
	w := twoPointNE(rand.New(rand.NewPCG(1, 2)), 4000)
	for b.Loop() {
		if _, err := TestSnapshot(w, SnapshotOptions{DetectionLimit: 0.2, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
