package testgeom

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// boxCoxPairs makes positive pairs with exactly Gaussian Box–Cox shifts.
func boxCoxPairs(rng *rand.Rand, n int, lambda, sd float64) ([]float64, []float64) {
	w0, w1 := make([]float64, n), make([]float64, n)
	bc := geometry.BoxCox{Lambda: lambda}
	for i := range w0 {
		for {
			w0[i] = math.Exp(0.5 * rng.NormFloat64())
			w1[i] = bc.Inverse(bc.Dual(w0[i])+sd*rng.NormFloat64(), 1)
			if w1[i] > 0 && !math.IsNaN(w1[i]) && !math.IsInf(w1[i], 0) {
				break
			}
		}
	}
	return w0, w1
}

// The ladder values of ℓ agree with the exact evaluation, and λ̂ recovers
// the truth on both sides of 0, including a geometry more multiplicative
// than NE and one beyond Euclidean.
func TestProfileRecoversLambda(t *testing.T) {
	for i, lam := range []float64{-0.8, -0.3, 0, 0.45, 1, 2.2} {
		rng := rand.New(rand.NewPCG(uint64(i), 77))
		w0, w1 := boxCoxPairs(rng, 4000, lam, 0.05)
		sc := NewScan([]geometry.Potential{geometry.NegEntropy{}}, 0)
		sc.Add(w0, w1)
		grid := sc.final().gridLogLik()
		lp := newLikPairs(w0, w1, 2)
		for _, l := range []float64{-0.77, 0, 1e-9, 0.5, 1, 2.3} {
			if a, b := lp.logLik(l), LogLikelihood(w0, w1, l); math.Abs(a-b) > 1e-9*math.Abs(b) {
				t.Errorf("cached ℓ(%v) = %.12g, streaming form %.12g", l, a, b)
			}
		}
		for k := 0; k < profileN; k += 7 {
			exact := LogLikelihood(w0, w1, profileLambda(k))
			if math.Abs(grid[k]-exact) > 1e-7*math.Abs(exact) {
				t.Errorf("λ = %.1f: ladder ℓ %.10g, exact %.10g", profileLambda(k), grid[k], exact)
			}
		}
		res, err := TestPaired(w0, w1, Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}, NullReplicates: -1})
		if err != nil {
			t.Fatal(err)
		}
		if res.LambdaHat == nil || res.LambdaCI[0] == nil || res.LambdaCI[1] == nil {
			t.Fatalf("λ = %v: %s", lam, res.ProfileStatus)
		}
		lh, lo, hi := *res.LambdaHat, *res.LambdaCI[0], *res.LambdaCI[1]
		t.Logf("true λ %.2f: λ̂ %.4f [%.4f, %.4f]", lam, lh, lo, hi)
		if math.Abs(lh-lam) > 0.1 || !(lo < lh && lh < hi) || hi-lo > 0.3 {
			t.Errorf("true λ %v: λ̂ %v [%v, %v]", lam, lh, lo, hi)
		}
		// The LR interval's ends are where ℓ has dropped by χ²₁,0.95/2, the
		// robust interval's where it has dropped by k times that.
		lmax := LogLikelihood(w0, w1, lh)
		li := res.LambdaInterval
		if li == nil || li.Method != "robust_lr" || li.Scale == nil || li.LRCI[0] == nil || li.LRCI[1] == nil {
			t.Fatalf("true λ %v: interval %+v", lam, li)
		}
		for _, e := range []struct{ x, drop float64 }{{*li.LRCI[0], 1}, {*li.LRCI[1], 1}, {lo, math.Max(*li.Scale, 1)}, {hi, math.Max(*li.Scale, 1)}} {
			if d := lmax - LogLikelihood(w0, w1, e.x); math.Abs(d-e.drop*chi2Crit95Half) > 1e-4*e.drop {
				t.Errorf("true λ %v: drop at interval end %v is %v, want %v", lam, e.x, d, e.drop*chi2Crit95Half)
			}
		}
		// λ̂ is a maximum of the exact function.
		if LogLikelihood(w0, w1, lh+1e-3) > lmax || LogLikelihood(w0, w1, lh-1e-3) > lmax {
			t.Errorf("true λ %v: λ̂ %v is not the maximum", lam, lh)
		}
	}
}

// A pair that changes sign is impossible for λ ≤ 0: ℓ = −∞ there, the NE
// likelihood is null with a reason, the NE LR test rejects with p = 0, and
// the profile still finds the p-norm that made the data.
func TestSignFlipsAndLikelihood(t *testing.T) {
	rng := stream(3, 3, 3)
	w0, w1 := simulatePaper(rng, 2000, "normal", geometry.PNorm{P: 2})
	flips := 0
	for i := range w0 {
		if w0[i]*w1[i] < 0 {
			flips++
		}
	}
	if flips == 0 {
		t.Fatal("the simulation should contain sign flips")
	}
	lp := newLikPairs(w0, w1, 2)
	for _, l := range []float64{0.3, 1, 1.7} {
		if a, b := lp.logLik(l), LogLikelihood(w0, w1, l); math.Abs(a-b) > 1e-9*math.Abs(b) {
			t.Errorf("with flips: cached ℓ(%v) = %.12g, streaming form %.12g", l, a, b)
		}
	}
	if !math.IsInf(lp.logLik(0), -1) || !math.IsInf(LogLikelihood(w0, w1, 0), -1) || !math.IsInf(LogLikelihood(w0, w1, -0.5), -1) {
		t.Error("ℓ(λ ≤ 0) must be −Inf with sign flips")
	}
	res, err := TestPaired(w0, w1, Options{NullReplicates: -1})
	if err != nil {
		t.Fatal(err)
	}
	ne := res.Candidates[0]
	if ne.LogLik != nil || ne.LogLikStatus == "" || ne.DCDF == nil || ne.SignFlips != int64(flips) {
		t.Errorf("NE: loglik %v (%q), ΔCDF %v, flips %d", ne.LogLik, ne.LogLikStatus, ne.DCDF, ne.SignFlips)
	}
	lr := res.LRTests.NegativeEntropy
	if lr.Stat != nil || lr.PValue == nil || *lr.PValue != 0 || lr.Status == "" {
		t.Errorf("NE LR test: %+v", lr)
	}
	if res.LambdaHat == nil || math.Abs(*res.LambdaHat-1) > 0.1 || *res.LambdaCI[0] > 1 || *res.LambdaCI[1] < 1 {
		t.Errorf("λ̂ %v %v for a true λ = 1", res.LambdaHat, res.LambdaCI)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatal(err)
	}
}

// Degenerate inputs give a status, never NaN in JSON or an error.
func TestDegenerateInputs(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := map[string][2][]float64{
		"empty":     {nil, nil},
		"few":       {{1, 2, 3}, {1, 2, 4}},
		"no change": {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		"zeros":     {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 0}},
		"overflow":  {{1e200, 2e200, 3e200, 4e200, 5e200, 6e200, 7e200, 8e200, 9e200, 1e201, 2e201}, {1.1e200, 2e200, 3.3e200, 4e200, 5.2e200, 6e200, 7e200, 8.1e200, 9e200, 1e201, 2.2e201}},
		"nonfinite": {{nan, inf, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 1, 1.1, 2.3, 2.9, 4.2, 5.1, 5.7, 7.4, 8.1, 9.3, 9.8, 11.2, 12.5}},
	}
	for name, c := range cases {
		res, err := TestPaired(c[0], c[1], Options{Bootstrap: 10, NullReplicates: 20})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Errorf("%s: JSON: %v", name, err)
		}
		if res.Verdict == "" {
			t.Errorf("%s: no verdict", name)
		}
		t.Logf("%s: status %q, NE %q, verdict %q", name, res.Status, res.Candidates[0].Status, res.Verdict)
	}
	res, _ := TestPaired(cases["nonfinite"][0], cases["nonfinite"][1], Options{NullReplicates: -1})
	if res.Excluded["non_finite"] != 2 || res.N != 12 {
		t.Errorf("non-finite pairs: excluded %v, n %d", res.Excluded, res.N)
	}
	res, _ = TestPaired(cases["zeros"][0], cases["zeros"][1], Options{NullReplicates: -1})
	// Every pair has a zero weight: no candidate is scored on them, the
	// p-norms count them as usable but not compared.
	ne, p11 := res.Candidates[0], res.Candidates[1]
	if ne.Excluded["zero"] != 12 || p11.Excluded["zero"] != 12 || p11.N != 0 || ne.UsableNotCompared != 0 || p11.UsableNotCompared != 12 || res.ComparedN != 0 {
		t.Errorf("zeros: NE excluded %v usable %d, p=1.1 excluded %v n %d usable %d, compared %d",
			ne.Excluded, ne.UsableNotCompared, p11.Excluded, p11.N, p11.UsableNotCompared, res.ComparedN)
	}
	if _, err := TestPaired([]float64{1}, nil, Options{}); err == nil {
		t.Error("columns of different lengths accepted")
	}
}

// The streaming path without an exact likelihood interpolates the coarse
// profile; it must agree with the exact refinement, which a streaming
// driver can also have through LogLikAccumulator.
func TestInterpolatedProfile(t *testing.T) {
	w0, w1 := boxCoxPairs(rand.New(rand.NewPCG(9, 9)), 5000, 0.37, 0.05)
	sc := NewScan(nil, 0)
	sc.Add(w0, w1)
	sec := sc.SecondPass(1000, 1)
	sec.Add(w0, w1)
	approx, err := sec.Result(nil, Options{NullReplicates: -1})
	if err != nil {
		t.Fatal(err)
	}
	exact, _ := TestPaired(w0, w1, Options{NullReplicates: -1})
	if math.Abs(*approx.LambdaHat-*exact.LambdaHat) > 2e-3 || math.Abs(*approx.LambdaCI[1]-*exact.LambdaCI[1]) > 5e-3 {
		t.Errorf("interpolated λ̂ %v %v, exact %v %v", *approx.LambdaHat, approx.LambdaCI, *exact.LambdaHat, exact.LambdaCI)
	}
	// A streaming driver gets the exact refinement with one pass per λ.
	perPass := func(l float64) float64 {
		a := NewLogLikAccumulator(l, 1)
		for _, cut := range [][2]int{{0, 1234}, {1234, 4000}, {4000, 5000}} {
			b := NewLogLikAccumulator(l, 2)
			b.Add(w0[cut[0]:cut[1]], w1[cut[0]:cut[1]])
			a.Merge(b)
		}
		return a.LogLik()
	}
	streamed, _ := sec.Result(perPass, Options{NullReplicates: -1})
	if math.Abs(*streamed.LambdaHat-*exact.LambdaHat) > 1e-6 || math.Abs(*streamed.LambdaCI[0]-*exact.LambdaCI[0]) > 1e-6 {
		t.Errorf("streamed λ̂ %v %v, in memory %v %v", *streamed.LambdaHat, streamed.LambdaCI, *exact.LambdaHat, exact.LambdaCI)
	}
}

// Above SampleMax the bootstrap resamples a subsample of m pairs and
// rescales the λ̂ interval by √(m/n): it must then match the width of the
// likelihood-ratio interval of all n pairs, and say what it did.
func TestSubsampledBootstrap(t *testing.T) {
	w0, w1 := boxCoxPairs(rand.New(rand.NewPCG(4, 4)), 20000, 0.6, 0.05)
	res, err := TestPaired(w0, w1, Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 1.5}, geometry.PNorm{P: 2}},
		Bootstrap: 60, SampleMax: 2000, NullReplicates: -1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Bootstrap
	if !b.Subsampled || b.SampleN < 1700 || b.SampleN > 2300 || b.Note == "" || res.DiagnosticsN != b.SampleN {
		t.Fatalf("bootstrap: %+v, diagnostics n %d", b, res.DiagnosticsN)
	}
	lr := *res.LambdaCI[1] - *res.LambdaCI[0]
	bw := *b.LambdaCI[1] - *b.LambdaCI[0]
	t.Logf("LR interval width %.4f, rescaled bootstrap width %.4f, wins %v", lr, bw, b.WinsLikelihood)
	if bw < lr/2 || bw > 2*lr || *b.LambdaCI[0] > *res.LambdaHat || *b.LambdaCI[1] < *res.LambdaHat {
		t.Errorf("bootstrap interval %v vs LR interval %v", b.LambdaCI, res.LambdaCI)
	}
	if b.WinsLikelihood["p=1.5"] < 0.9 {
		t.Errorf("p = 1.5 (λ = 0.5, nearest to the true 0.6) should win most resamples: %v", b.WinsLikelihood)
	}
}
