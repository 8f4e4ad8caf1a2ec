package fit

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/internal/inputerr"
)

func draw(d Distribution, n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 99))
	x := make([]float64, n)
	for i := range x {
		x[i] = d.Rand(r)
	}
	return x
}

// TestRecovery fits each family to a large sample drawn from a known law:
// every estimate must lie within 4 standard errors of the truth, and the
// estimate must be a maximum (each parameter nudged by a tenth of its SE
// lowers the log-likelihood).
func TestRecovery(t *testing.T) {
	cases := []struct {
		fam   *Family
		truth []float64
	}{
		{normalFamily, []float64{0.2, 1.1}},
		{logNormalFamily, []float64{-0.7, 0.9}},
		{gammaFamily, []float64{2.5, 4}},
		{gammaFamily, []float64{0.4, 0.5}},
		{weibullFamily, []float64{1.3, 0.8}},
		{weibullFamily, []float64{0.7, 3}},
		{exponentialFamily, []float64{3}},
		{logLogisticFamily, []float64{3, 1.5}},
		{inverseGaussianFamily, []float64{2, 5}},
		{powerNormalFamily, []float64{0.5, 1, 0.3}},
		{powerNormalFamily, []float64{-0.3, -0.6, 0.5}},
		{powerNormalFamily, []float64{0.8, 0.2, 0.9}}, // 7% of the normal beyond the boundary
		{studentTFamily, []float64{1, 2, 4}},
		{laplaceFamily, []float64{-1, 0.5}},
		{logisticFamily, []float64{3, 2}},
	}
	for ci, c := range cases {
		d, err := c.fam.New(c.truth...)
		if err != nil {
			t.Fatal(err)
		}
		x := draw(d, 10000, uint64(ci+1))
		e, err := c.fam.Fit(x, EstimateOptions{})
		if err != nil {
			t.Errorf("%s%v: %v", c.fam.Name, c.truth, err)
			continue
		}
		s := newSample(x, 0)
		s.ensureLogs()
		c.fam.withCovariance(e, s)
		if e.SE == nil {
			t.Errorf("%s%v: no standard errors", c.fam.Name, c.truth)
			continue
		}
		for i, name := range c.fam.ParamNames {
			if z := (e.Params[i] - c.truth[i]) / e.SE[i]; math.Abs(z) > 4 {
				t.Errorf("%s%v: %s = %.6g ± %.2g, %0.1f SE from the truth", c.fam.Name, c.truth, name, e.Params[i], e.SE[i], z)
			}
			for _, sign := range []float64{-1, 1} {
				p := append([]float64(nil), e.Params...)
				p[i] += sign * e.SE[i] / 10
				if ll := c.fam.logLik(p, s); ll >= e.LogLik {
					t.Errorf("%s%v: nudging %s raises the log-likelihood (%.12g ≥ %.12g)", c.fam.Name, c.truth, name, ll, e.LogLik)
				}
			}
		}
	}
}

// TestTruncation: a log-normal sample observed above a detection limit.
// The conditional likelihood recovers the parent law; ignoring the limit
// does not.
func TestTruncation(t *testing.T) {
	parent := LogNormal{-0.7, 0.9}
	all := draw(parent, 60000, 5)
	lower := 0.4 // about 38% of the mass is below
	var x []float64
	for _, v := range all {
		if v >= lower {
			x = append(x, v)
		}
	}
	for _, fam := range []*Family{logNormalFamily, gammaFamily, powerNormalFamily} {
		e, err := fam.Fit(x, EstimateOptions{TruncateBelow: &lower})
		if err != nil {
			t.Fatalf("%s: %v", fam.Name, err)
		}
		if fam != logNormalFamily {
			continue
		}
		s := newSample(x, 0)
		s.ensureLogs()
		s.truncated, s.lower = true, lower
		fam.withCovariance(e, s)
		for i, want := range []float64{parent.MeanLog, parent.SDLog} {
			if z := (e.Params[i] - want) / e.SE[i]; math.Abs(z) > 4 {
				t.Errorf("truncated lognormal: %s = %.5g ± %.2g, truth %g", fam.ParamNames[i], e.Params[i], e.SE[i], want)
			}
		}
		naive, _ := fam.Fit(x, EstimateOptions{})
		if math.Abs(naive.Params[0]-parent.MeanLog) < 0.2 {
			t.Errorf("ignoring the limit should bias meanlog: got %.4g", naive.Params[0])
		}
	}
	// A value below the limit is the user's error.
	_, err := Fit(append(x, 0.1), nil, Options{TruncateBelow: &lower})
	if !errors.Is(err, inputerr.ErrInput) {
		t.Errorf("value below the limit: err = %v, want an input error", err)
	}
	// The report carries GOF statistics against the truncated law: a good
	// fit has a small AD.
	rep, err := Fit(x, []*Family{logNormalFamily}, Options{TruncateBelow: &lower})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Fits[0]; r.Status != "ok" || r.AD == nil || *r.AD > 3 {
		t.Errorf("truncated fit: status %q, AD %v", r.Status, r.AD)
	}
}

// TestEdgeCases: degenerate inputs give per-family statuses, never a panic,
// an error for the whole report, or a NaN in the JSON.
func TestEdgeCases(t *testing.T) {
	ties := make([]float64, 200)
	for i := range ties {
		ties[i] = float64(1 + i%4) // four distinct values
	}
	tiny := draw(LogNormal{math.Log(1e-300), 0.5}, 300, 3)
	huge := draw(LogNormal{math.Log(1e300), 0.5}, 300, 4)
	cases := []struct {
		name   string
		x      []float64
		status map[string]string // family → substring of the expected status
	}{
		{"n=0", nil, map[string]string{"normal": "no data", "gamma": "no data", "student-t": "no data"}},
		{"n=1", []float64{2}, map[string]string{"normal": "at least 2", "exponential": "ok", "student-t": "at least 3"}},
		{"n=2", []float64{1, 3}, map[string]string{"normal": "ok", "lognormal": "ok", "powernormal": "at least 3", "student-t": "at least 3"}},
		{"constant", []float64{5, 5, 5, 5, 5}, map[string]string{"normal": "equal", "gamma": "equal", "weibull": "equal", "exponential": "ok", "laplace": "equal"}},
		{"ties", ties, map[string]string{"normal": "ok", "gamma": "ok", "weibull": "ok", "powernormal": "ok", "laplace": "ok"}},
		{"1e-300", tiny, map[string]string{"normal": "ok", "student-t": "ok", "logistic": "ok", "laplace": "ok", "powernormal": "ok", "lognormal": "ok", "gamma": "ok", "weibull": "ok", "exponential": "ok", "invgauss": "ok", "loglogistic": "ok"}},
		{"1e300", huge, map[string]string{"normal": "ok", "student-t": "ok", "logistic": "ok", "laplace": "ok", "powernormal": "ok", "lognormal": "ok", "gamma": "ok", "weibull": "ok", "exponential": "ok", "invgauss": "ok", "loglogistic": "ok"}},
		{"zeros", []float64{0, 1, 2, 3, 0.5}, map[string]string{"normal": "ok", "lognormal": "positive", "gamma": "positive", "powernormal": "positive"}},
		{"negatives", []float64{-1, 1, 2, 3, 0.5, -0.2}, map[string]string{"normal": "ok", "weibull": "positive", "logistic": "ok", "laplace": "ok"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Fit(c.x, AllFamilies(), Options{GOFSamples: 19, Bootstrap: 9, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := json.Marshal(rep); err != nil {
				t.Fatalf("JSON: %v", err)
			}
			for _, r := range rep.Fits {
				if want, ok := c.status[r.Family]; ok && !strings.Contains(r.Status, want) {
					t.Errorf("%s: status %q, want it to contain %q", r.Family, r.Status, want)
				}
				if r.Status == "" {
					t.Errorf("%s: empty status", r.Family)
				}
				if r.Status == "ok" && (r.LogLik == nil || r.AIC == nil || r.KS == nil || r.CvM == nil) {
					t.Errorf("%s: ok but missing numbers", r.Family)
				}
				for name, v := range r.Params {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Errorf("%s: %s = %g", r.Family, name, v)
					}
				}
			}
		})
	}
	// Scale equivariance at the extremes: meanlog shifts by log 1e∓300 and
	// the gamma rate scales, to the precision of the data.
	for _, c := range []struct {
		x     []float64
		scale float64
	}{{tiny, 1e-300}, {huge, 1e300}} {
		unit := make([]float64, len(c.x))
		for i, v := range c.x {
			unit[i] = v / c.scale
		}
		// Shapes are scale-free; the inverse Gaussian's mean scales with the data.
		for _, f := range []struct {
			fam    *Family
			factor float64
		}{{gammaFamily, 1}, {weibullFamily, 1}, {logLogisticFamily, 1}, {inverseGaussianFamily, c.scale}} {
			a, err1 := f.fam.Fit(c.x, EstimateOptions{})
			b, err2 := f.fam.Fit(unit, EstimateOptions{})
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %v %v", f.fam.Name, err1, err2)
			}
			if relErr(a.Params[0]/f.factor, b.Params[0]) > 1e-6 {
				t.Errorf("%s at scale %g: %s = %.10g, unit-scale fit %.10g", f.fam.Name, c.scale, f.fam.ParamNames[0], a.Params[0], b.Params[0])
			}
		}
	}
}

// TestDeterminism: the same seed gives byte-identical JSON with one worker
// and with four.
func TestDeterminism(t *testing.T) {
	x := draw(Gamma{2, 3}, 600, 8)
	run := func(workers int) []byte {
		rep, err := Fit(x, PositiveFamilies(), Options{GOFSamples: 19, Bootstrap: 9, Seed: 42, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := run(1), run(4)
	if !bytes.Equal(a, b) {
		t.Error("JSON differs between 1 and 4 workers")
	}
	rep, _ := Fit(x, PositiveFamilies(), Options{GOFSamples: 19, Bootstrap: 9, Seed: 43})
	c, _ := json.Marshal(rep)
	if bytes.Equal(a, c) {
		t.Error("a different seed gave identical output")
	}
}

// TestBootstrapGOF: the p-value of a true model is not small, that of a
// wrong one is; above GOFMaxN a subsample of that size is used and reported.
func TestBootstrapGOF(t *testing.T) {
	x := draw(Gamma{2, 3}, 400, 12)
	rep, err := Fit(x, []*Family{gammaFamily, exponentialFamily, logLogisticFamily}, Options{GOFSamples: 99, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Result{}
	for _, r := range rep.Fits {
		byName[r.Family] = r
	}
	if p := byName["gamma"].PValues; p == nil || p.AD == nil || *p.AD < 0.05 || p.Samples != 99 {
		t.Errorf("true gamma: p-values %+v", p)
	}
	if p := byName["exponential"].PValues; p == nil || p.AD == nil || *p.AD > 0.02 {
		t.Errorf("exponential for gamma(2) data: p-values %+v", p)
	}
	if rep.Best != "gamma" {
		t.Errorf("best by AIC = %s, want gamma", rep.Best)
	}
	// The LR test of exponential ⊂ gamma rejects shape = 1.
	for _, lr := range rep.LRTests {
		if lr.Nested == "exponential" && lr.Full == "gamma" && (lr.PValue == nil || *lr.PValue > 1e-6) {
			t.Errorf("LR exponential ⊂ gamma: %+v", lr)
		}
	}
	big := draw(LogNormal{0, 1}, 5000, 13)
	rep, err = Fit(big, []*Family{logNormalFamily}, Options{GOFSamples: 19, GOFMaxN: 1000, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Fits[0].PValues
	if !p.Subsample || p.N != 1000 || p.SubsampleAD == nil {
		t.Errorf("subsample not reported: %+v", p)
	}
}

// TestVuongAndWeights checks the comparison outputs on a clear case.
func TestVuongAndWeights(t *testing.T) {
	x := draw(LogNormal{0, 0.5}, 3000, 21)
	rep, err := Fit(x, []*Family{logNormalFamily, weibullFamily, gammaFamily, powerNormalFamily}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, r := range rep.Fits {
		sum += *r.AkaikeWeight
		if r.Rank == 1 && *r.DeltaAIC != 0 {
			t.Errorf("best has ΔAIC %g", *r.DeltaAIC)
		}
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("Akaike weights sum to %.15g", sum)
	}
	found := false
	for _, v := range rep.Vuong {
		if v.A == "lognormal" && v.B == "weibull" {
			found = true
			if v.Favours != "lognormal" || *v.Statistic < 3 {
				t.Errorf("Vuong lognormal vs weibull: %+v", v)
			}
		}
		if (v.A == "lognormal" && v.B == "powernormal") || (v.B == "lognormal" && v.A == "powernormal") {
			t.Errorf("Vuong run on a nested pair: %+v", v)
		}
	}
	if !found {
		t.Error("no Vuong test of lognormal vs weibull")
	}
	for _, lr := range rep.LRTests {
		if lr.Nested == "lognormal" && (lr.PValue == nil || *lr.PValue < 0.001) {
			t.Errorf("LR lognormal ⊂ powernormal rejects a true lognormal: %+v", lr)
		}
	}
}

func TestMedianSelect(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 3, 10, 101, 1000} {
		for _, dup := range []bool{false, true} {
			x := make([]float64, n)
			for i := range x {
				x[i] = r.NormFloat64()
				if dup {
					x[i] = math.Round(x[i])
				}
			}
			s := &sample{x: x, n: n}
			got := s.median()
			want := medianSorted(s.sortedX())
			if got != want {
				t.Errorf("n=%d dup=%v: median %g, sorted %g", n, dup, got, want)
			}
		}
	}
}

// A Cauchy-like sample (df = 0.8, no mean) must still be fitted.
func TestStudentHeavyTails(t *testing.T) {
	x := draw(StudentT{2, 0.5, 0.8}, 5000, 31)
	e, err := studentTFamily.Fit(x, EstimateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{2, 0.5, 0.8} {
		if z := (e.Params[i] - want) / e.SE[i]; math.Abs(z) > 4 {
			t.Errorf("%s = %.4g ± %.2g, truth %g", studentTFamily.ParamNames[i], e.Params[i], e.SE[i], want)
		}
	}
}

// On nearly normal samples the Student-t likelihood often rises all the
// way to the normal limit. The fit must then say "df diverges", and
// whatever it returns must be at least as likely as the end points of
// Newton's runs from its two starts. A numerical search retried where
// Newton's df ran off used to stop early on the flat ridge: on the first
// sample here (t with 200 df, 10^4 values) it returned df = 7.5·10^5 with
// ℓ 6.9e-6 below Newton's point from df = 30, at three times the cost.
func TestStudentDivergesToNormal(t *testing.T) {
	f := studentTFamily
	diverged := 0
	for _, c := range []struct {
		n    int
		seed uint64
		df   int // 0: normal
	}{{10000, 4, 200}, {20000, 1, 0}, {2000, 2, 0}, {10000, 5, 0}} {
		r := rand.New(rand.NewPCG(c.seed, uint64(c.n)))
		x := make([]float64, c.n)
		for i := range x {
			z := r.NormFloat64()
			if c.df > 0 {
				var chi2 float64
				for range c.df {
					g := r.NormFloat64()
					chi2 += g * g
				}
				z /= math.Sqrt(chi2 / float64(c.df))
			}
			x[i] = 0.01*z + 0.001
		}
		s := newSample(x, 1)
		e, err := f.Fit(x, EstimateOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), "df diverges") {
				t.Errorf("%+v: %v", c, err)
			}
			diverged++
			continue
		}
		for _, df := range []float64{3, 30} {
			p, err := newtonAnalytic(studentDerivs, s, []float64{s.median(), s.sd * math.Sqrt((df-2)/df), df}, studentValid)
			if err == nil && f.loglik(p, s) > e.LogLik+1e-6 {
				t.Errorf("%+v: the fit %v has ℓ = %.9f, below Newton's end point %v from df = %g (ℓ = %.9f)", c, e.Params, e.LogLik, p, df, f.loglik(p, s))
			}
		}
	}
	if diverged < 2 {
		t.Errorf("%d samples diverged; want at least 2", diverged)
	}
}

// Newton's method for the Student-t stops where df passes maxStudentDF/10,
// the point past which the fit fails with "df diverges": on normal values
// it used to go on along the flat ridge (here for 81 and 75 evaluations of
// the derivatives from df = 3 and 30, against 41 and 35) and end past it
// anyway. On heavy-tailed values the stop
// never comes into play, and the fit is the one without it.
func TestStudentStopsWhereDFDiverges(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	normal, heavy := make([]float64, 100000), make([]float64, 20000)
	for i := range normal {
		normal[i] = 0.02 * r.NormFloat64()
	}
	for i := range heavy {
		heavy[i] = 0.02 * StudentT{Location: 0, Scale: 1, DF: 4}.Quantile(r.Float64())
	}
	for _, c := range []struct {
		name string
		x    []float64
	}{{"normal", normal}, {"t with 4 df", heavy}} {
		s := newSample(c.x, 1)
		for _, df := range []float64{3, 30} {
			calls := 0
			counted := func(p []float64, s *sample) (float64, []float64, [][]float64) {
				calls++
				return studentDerivs(p, s)
			}
			start := []float64{s.median(), s.sd * math.Sqrt((df-2)/df), df}
			stopped, err1 := newtonUntil(counted, s, start, studentValid, studentDiverged)
			stoppedCalls := calls
			calls = 0
			whole, err2 := newtonAnalytic(counted, s, start, studentValid)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s from df = %g: %v, %v", c.name, df, err1, err2)
			}
			if studentDiverged(stopped) != studentDiverged(whole) {
				t.Errorf("%s from df = %g: stopped at df = %g, but the whole run ends at df = %g", c.name, df, stopped[2], whole[2])
			}
			if !studentDiverged(whole) {
				if !slices.Equal(stopped, whole) || stoppedCalls != calls {
					t.Errorf("%s from df = %g: the stop changed a converging fit: %v in %d evaluations, not %v in %d", c.name, df, stopped, stoppedCalls, whole, calls)
				}
				continue
			}
			if stoppedCalls >= calls {
				t.Errorf("%s from df = %g: %d evaluations with the stop, %d without; want fewer", c.name, df, stoppedCalls, calls)
			}
			t.Logf("%s from df = %g: %d evaluations with the stop, %d without", c.name, df, stoppedCalls, calls)
		}
	}
	if _, err := studentTFamily.Fit(normal, EstimateOptions{}); err == nil || !strings.Contains(err.Error(), "df diverges") {
		t.Errorf("normal values: %v, want df diverges", err)
	}
}

// On nearly normal samples one start may stop where df diverges while the
// other ends short of it, at df of 10^5 or more. The fit is then that end
// point only if it is more likely than the normal limit; otherwise df
// diverges, as it did when the diverging start ran on along the ridge.
func TestStudentDivergedStartAgainstNormalLimit(t *testing.T) {
	f := studentTFamily
	mixed, matters := 0, 0
	// Samples where one start stops and the other does not, found by a
	// search of seeds; in 3, 20 and 49 the normal limit decides.
	for _, seed := range []uint64{3, 20, 48, 49} {
		r := rand.New(rand.NewPCG(seed, 7))
		x := make([]float64, 20000)
		for i := range x {
			x[i] = 0.01*r.NormFloat64() + 0.002
		}
		s := newSample(x, 1)
		var ends [2][]float64
		for k, df := range []float64{3, 30} {
			p, err := newtonUntil(studentDerivs, s, []float64{s.median(), s.sd * math.Sqrt((df-2)/df), df}, studentValid, studentDiverged)
			if err != nil {
				t.Fatalf("seed %d from df = %g: %v", seed, df, err)
			}
			ends[k] = p
		}
		e, err := f.Fit(x, EstimateOptions{})
		d0, d1 := studentDiverged(ends[0]), studentDiverged(ends[1])
		if d0 == d1 {
			continue
		}
		mixed++
		finite := ends[0]
		if d0 {
			finite = ends[1]
		}
		normalLL := normalLogLik([]float64{s.mean, s.sd}, s, s.x)
		stopped := ends[0]
		if d1 {
			stopped = ends[1]
		}
		wantDiverged := f.loglik(stopped, s) > f.loglik(finite, s) || normalLL >= f.loglik(finite, s)
		if f.loglik(stopped, s) <= f.loglik(finite, s) && normalLL >= f.loglik(finite, s) {
			matters++
		}
		if gotDiverged := err != nil && strings.Contains(err.Error(), "df diverges"); gotDiverged != wantDiverged {
			t.Errorf("seed %d: ends %v and %v, normal ℓ %.6f against %.6f: fit %v, %v", seed, ends[0], ends[1], normalLL, f.loglik(finite, s), e, err)
		}
	}
	if mixed != 4 || matters != 3 {
		t.Errorf("%d samples had one start stop where df diverges and the other not, and the normal limit decided in %d; want 4 and 3", mixed, matters)
	}
}
