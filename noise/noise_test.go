package noise_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/noise"
)

// noiseScenario is a simulated experiment with measurement noise: initial
// weights log-normal with median 1 and log-sd 0.5, one dual step under the
// true geometry, noise on both measurements.
type noiseScenario struct {
	name  string
	truth geometry.Potential
	step  float64
	noise noise.Model
}

// The two cases: NE truth with additive noise of sd 0.2 (CV 20% at
// the median weight 1), and p = 2 truth with multiplicative noise CV 20%.
var noiseScenarios = []noiseScenario{
	{"NE+additive", geometry.NegEntropy{}, 0.3, noise.Model{SD: 0.2}},
	{"p=2+multiplicative", geometry.PNorm{P: 2}, 0.2, noise.Model{CV: 0.2}},
}

func (s noiseScenario) simulate(t testing.TB, n int, seed uint64) *datasets.Pairs {
	p, err := datasets.DualShift{Potential: s.truth, Init: datasets.LogNormal{MeanLog: 0, SDLog: 0.5}, Step: s.step,
		NoiseCV: s.noise.CV, NoiseSD: s.noise.SD, N: n, Seed: seed}.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func val(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}

// TestCorrect: on one data set of each scenario (n = 1000) the naive
// 95% interval misses the true λ while the corrected one covers it, and the
// corrected λ̂ is much closer to the truth; the result marshals to JSON.
func TestCorrect(t *testing.T) {
	for _, s := range noiseScenarios {
		lam, _ := geometry.Lambda(s.truth)
		p := s.simulate(t, 1000, 7)
		r, err := noise.Correct(p.Before, p.After, s.noise, "given", noise.Options{Replicates: 12, Bootstrap: 20, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: naive %.3f %v, corrected %.3f [%.3f, %.3f]; %s", s.name, val(r.NaiveLambda), [2]float64{val(r.NaiveCI[0]), val(r.NaiveCI[1])},
			val(r.Lambda), val(r.LambdaCI[0]), val(r.LambdaCI[1]), r.Verdict)
		if r.Status != "ok" || r.Lambda == nil {
			t.Fatalf("%s: %s", s.name, r.Status)
		}
		if lo, hi := val(r.NaiveCI[0]), val(r.NaiveCI[1]); lo <= lam && lam <= hi {
			t.Errorf("%s: the naive interval [%v, %v] already covers λ = %v; the scenario shows no bias", s.name, lo, hi, lam)
		}
		if lo, hi := val(r.LambdaCI[0]), val(r.LambdaCI[1]); !(lo <= lam && lam <= hi) {
			t.Errorf("%s: corrected interval [%v, %v] misses λ = %v", s.name, lo, hi, lam)
		}
		if math.Abs(*r.Lambda-lam) > 0.3*math.Abs(*r.NaiveLambda-lam) {
			t.Errorf("%s: corrected λ̂ %v removes too little of the naive bias (naive %v, truth %v)", s.name, *r.Lambda, *r.NaiveLambda, lam)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("%s: JSON: %v", s.name, err)
		}
	}
}

// TestCorrectDeterministic: the same seed gives the same answer with
// one or two workers.
func TestCorrectDeterministic(t *testing.T) {
	s := noiseScenarios[0]
	p := s.simulate(t, 200, 3)
	var got [2]float64
	for i, w := range []int{1, 2} {
		r, err := noise.Correct(p.Before, p.After, s.noise, "given", noise.Options{Replicates: 4, Bootstrap: 4, Seed: 5, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		got[i] = val(r.Lambda)
	}
	if got[0] != got[1] || math.IsNaN(got[0]) {
		t.Errorf("λ̂ with 1 and 2 workers: %v", got)
	}
}

// TestCorrectSimex: SIMEX moves λ̂ from the naive value towards the
// truth in both scenarios, but not all the way (its quadratic
// extrapolant under-corrects when the noise is as large as the changes,
// the reason it is not the default).
func TestCorrectSimex(t *testing.T) {
	for _, s := range noiseScenarios {
		lam, _ := geometry.Lambda(s.truth)
		p := s.simulate(t, 1000, 7)
		r, err := noise.Correct(p.Before, p.After, s.noise, "given",
			noise.Options{Method: noise.MethodSimex, Replicates: 10, Bootstrap: 10, BootReplicates: 4, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		naive, corr := val(r.NaiveLambda), val(r.Lambda)
		t.Logf("%s: naive %.3f, SIMEX %.3f [%.3f, %.3f], linear %.3f", s.name, naive, corr, val(r.LambdaCI[0]), val(r.LambdaCI[1]), val(r.Simex.LinearLambda))
		if !(math.Abs(corr-lam) < math.Abs(naive-lam)) || math.Signbit(corr-lam) != math.Signbit(naive-lam) {
			t.Errorf("%s: SIMEX %v should lie between the naive %v and the truth %v", s.name, corr, naive, lam)
		}
		if len(r.Simex.Curve) != 5 || r.Simex.Extrapolant[2] == nil {
			t.Errorf("%s: curve %v", s.name, r.Simex.Curve)
		}
	}
}

// TestEstimateFromRepeats recovers a known noise model from repeated
// measurements of 20,000 log-normal weights (tolerance: 10% relative, a
// few standard errors at this n plus the documented small attenuation),
// and its standard errors are of the right size.
func TestEstimateFromRepeats(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		kind string
		m    noise.Model
	}{
		{noise.Both, noise.Model{CV: 0.15, SD: 0.1}},
		{noise.Multiplicative, noise.Model{CV: 0.2}},
		{noise.Additive, noise.Model{SD: 0.2}},
	} {
		n := 20000
		a, b := make([]float64, n), make([]float64, n)
		s := math.Sqrt(math.Log1p(tc.m.CV * tc.m.CV))
		meas := func(w float64) float64 {
			return w*math.Exp(s*rng.NormFloat64()-s*s/2) + tc.m.SD*rng.NormFloat64()
		}
		for i := range a {
			w := math.Exp(0.5 * rng.NormFloat64())
			a[i], b[i] = meas(w), meas(w)
		}
		e, err := noise.EstimateFromRepeats(a, b, tc.kind)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: true %+v, estimated %+v (se cv %v, sd %v)", tc.kind, tc.m, e.Model, val(e.CVSE), val(e.SDSE))
		for _, c := range []struct{ got, want float64 }{{e.Model.CV, tc.m.CV}, {e.Model.SD, tc.m.SD}} {
			if math.Abs(c.got-c.want) > 0.1*c.want+1e-12 {
				t.Errorf("%s: estimated %+v, want %+v", tc.kind, e.Model, tc.m)
			}
		}
	}
	if _, err := noise.EstimateFromRepeats([]float64{1}, []float64{1, 2}, "cv"); err == nil {
		t.Error("lengths differ: want an error")
	}
}

// TestLongNoiseCoverage is the simulation study of the issue: ≥ 100 seeds
// per scenario at n = 1000; the naive λ̂ is biased away from the truth and
// the corrected 95% interval covers it in 85–100% of the runs. Then one
// correction at n = 5000 is timed (reported, not asserted).
func TestLongNoiseCoverage(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the noise-correction simulation study")
	}
	const seeds = 100
	for _, s := range noiseScenarios {
		lam, _ := geometry.Lambda(s.truth)
		var naiveBias, corrBias, naiveCov, corrCov, width float64
		runs := 0
		for seed := uint64(1); seed <= seeds; seed++ {
			p := s.simulate(t, 1000, 1000+seed)
			o := noise.DefaultOptions()
			o.Seed = seed
			r, err := noise.Correct(p.Before, p.After, s.noise, "given", o)
			if err != nil {
				t.Fatal(err)
			}
			if r.Lambda == nil {
				t.Errorf("%s seed %d: %s", s.name, seed, r.Status)
				continue
			}
			runs++
			naiveBias += *r.NaiveLambda - lam
			corrBias += *r.Lambda - lam
			if val(r.NaiveCI[0]) <= lam && lam <= val(r.NaiveCI[1]) {
				naiveCov++
			}
			lo, hi := val(r.LambdaCI[0]), val(r.LambdaCI[1])
			if math.IsNaN(lo) {
				lo = math.Inf(-1)
			}
			if math.IsNaN(hi) {
				hi = math.Inf(1)
			}
			if lo <= lam && lam <= hi {
				corrCov++
			}
			width += hi - lo
		}
		f := float64(runs)
		t.Logf("%s (%d runs, n = 1000): naive bias %+.3f, coverage %.2f; corrected bias %+.3f, coverage %.2f, mean width %.3f",
			s.name, runs, naiveBias/f, naiveCov/f, corrBias/f, corrCov/f, width/f)
		if math.Abs(naiveBias/f) < 0.2 {
			t.Errorf("%s: naive bias %v, want clearly away from the truth", s.name, naiveBias/f)
		}
		if c := corrCov / f; c < 0.85 || c > 1 {
			t.Errorf("%s: corrected coverage %.2f, want 0.85–1", s.name, c)
		}
	}
	p := noiseScenarios[0].simulate(t, 5000, 1)
	start := time.Now()
	r, err := noise.Correct(p.Before, p.After, noiseScenarios[0].noise, "given", noise.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("n = 5000: correction took %v (naive %.3f, corrected %.3f [%.3f, %.3f])", time.Since(start),
		val(r.NaiveLambda), val(r.Lambda), val(r.LambdaCI[0]), val(r.LambdaCI[1]))
}

// TestZeroOptionsResampleNothing: zero means none, as in testgeom.Options;
// DefaultOptions carry the CLI's defaults.
func TestZeroOptionsResampleNothing(t *testing.T) {
	p := noiseScenarios[0].simulate(t, 1000, 2)
	zero, err := noise.Correct(p.Before, p.After, noiseScenarios[0].noise, "given", noise.Options{Replicates: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	o := noise.DefaultOptions()
	o.Replicates = 8
	def, err := noise.Correct(p.Before, p.After, noiseScenarios[0].noise, "given", o)
	if err != nil {
		t.Fatal(err)
	}
	if zero.Lambda == nil || def.Lambda == nil || *zero.Lambda != *def.Lambda {
		t.Fatalf("the estimate should not depend on the resampling: %v vs %v", zero.Lambda, def.Lambda)
	}
	// The bootstrap's linearised standard error exists only with resamples.
	if def.LambdaSE == nil {
		t.Errorf("DefaultOptions: no bootstrap standard error")
	}
	if zero.LambdaSE != nil {
		t.Errorf("zero Options: a bootstrap standard error %v, want none", *zero.LambdaSE)
	}
}
