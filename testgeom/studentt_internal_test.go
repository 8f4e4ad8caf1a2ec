package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTEvalGradient: the analytic gradient of the t log-likelihood matches
// central differences, and fitT ends where it vanishes, with ν̂ near the
// truth on a large t(4) sample.
func TestTEvalGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const nu0 = 4.0
	d := make([]float64, 20000)
	for i := range d {
		var chi float64
		for range 4 {
			z := rng.NormFloat64()
			chi += z * z
		}
		d[i] = 0.3 + 0.5*rng.NormFloat64()/math.Sqrt(chi/nu0)
	}
	w := make([]float64, len(d))
	theta := [3]float64{0.2, math.Log(0.7), math.Log(9)}
	_, g := tEval(d, w, theta[0], theta[1], theta[2])
	for k := range theta {
		const h = 1e-5
		up, dn := theta, theta
		up[k] += h
		dn[k] -= h
		lu, _ := tEval(d, w, up[0], up[1], up[2])
		ld, _ := tEval(d, w, dn[0], dn[1], dn[2])
		num := (lu - ld) / (2 * h)
		if math.Abs(num-g[k]) > 1e-4*math.Max(1, math.Abs(g[k])) {
			t.Errorf("gradient %d: analytic %v, numeric %v", k, g[k], num)
		}
	}
	f := fitT(d, w, tFit{mu: 0, s: 0, eta: math.Log(10)})
	_, g = tEval(d, w, f.mu, f.s, f.eta)
	for k := range g {
		if math.Abs(g[k]) > 0.05 {
			t.Errorf("gradient at the fit: %v", g)
		}
	}
	if math.Abs(f.mu-0.3) > 0.02 || math.Abs(math.Exp(f.s)-0.5) > 0.02 || math.Abs(f.nu-nu0) > 0.6 {
		t.Errorf("fit μ %v σ %v ν %v, truth 0.3 0.5 4", f.mu, math.Exp(f.s), f.nu)
	}
	// Gaussian data: ν̂ runs to its bound and ℓ_t equals the Gaussian ℓ.
	for i := range d {
		d[i] = 0.3 + 0.5*rng.NormFloat64()
	}
	f = fitT(d, w, tFit{mu: 0, s: 0, eta: math.Log(10)})
	var s shiftedSums
	for _, x := range d {
		s.add(x)
	}
	m := s.moments()
	n := float64(m.n)
	lg := -n / 2 * (math.Log(2*math.Pi*m.m2/n) + 1)
	if f.nu < 100 || f.ll > lg+1e-6 || f.ll < lg-1 {
		t.Errorf("Gaussian data: ν̂ %v, ℓ_t %v vs ℓ_G %v", f.nu, f.ll, lg)
	}
}

// TestStepModelsSmall: few pairs, sign flips and ties give a status or a
// fit, never a panic or a NaN in the output.
func TestStepModelsSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{10, 12, 30} {
		for _, flip := range []bool{false, true} {
			w0, w1 := make([]float64, n), make([]float64, n)
			for i := range w0 {
				w0[i] = math.Exp(0.5 * rng.NormFloat64())
				w1[i] = w0[i] + 0.2*rng.NormFloat64()
			}
			if flip {
				w1[0] = -w1[0]
			}
			w1[1] = w1[2] // a tie does no harm
			r, err := TestPaired(w0, w1, Options{NullReplicates: -1})
			if err != nil {
				t.Fatal(err)
			}
			sm := r.StepModels
			if r.LambdaHat == nil {
				continue
			}
			if sm == nil || sm.Status == "" {
				t.Fatalf("n %d flip %v: %+v", n, flip, sm)
			}
			if sm.Status == "ok" && (sm.StudentT.LambdaHat == nil || (flip && *sm.StudentT.LambdaHat <= 0)) {
				t.Errorf("n %d flip %v: %+v", n, flip, sm.StudentT)
			}
		}
	}
}

// The step models' shifts take e^(λ·l) in blocks (expScaled); each step
// must stay within 1e-12 of its size of the step without cancellation,
// sign·e^(λ·l0)·expm1(λ·(l1 − l0))/λ through math.Exp and math.Expm1
// (e1 − e0, taken for |λ·Δl| ≥ 0.01, costs at most a factor 100 on a few
// ulp), at λ of both signs, 0, and with sign flips. tEval's ℓ and gradient must stay within 1e-12 of a
// term-by-term sum through math.Log1p.
func TestStepShiftsBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	const n = 5000
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = math.Exp(rng.NormFloat64())
		w1[i] = w0[i] * math.Exp(0.3*rng.NormFloat64())
		switch rng.IntN(20) {
		case 0:
			w1[i] = w0[i] * (1 + 1e-4*rng.NormFloat64()) // expm1's side
		case 1:
			w1[i] = -w1[i] // a sign flip
		case 2:
			w0[i], w1[i] = -w0[i], -w1[i]
		}
	}
	ts := newTSteps(newLikPairs(w0, w1, 1))
	for _, lambda := range []float64{-0.7, -1e-3, 0, 1e-3, 0.31, 1, 2.5} {
		ts.shifts(lambda)
		for k, i := range ts.idx {
			l0, l1, s0 := ts.l0[k], ts.l1[k], math.Copysign(1, w0[i])
			var want float64
			switch {
			case math.Signbit(w0[i]) != math.Signbit(w1[i]):
				if lambda <= 0 {
					continue // no step
				}
				want = -s0 * (math.Exp(lambda*l1) + math.Exp(lambda*l0)) / lambda
			case lambda == 0:
				want = s0 * (l1 - l0)
			default:
				want = s0 * math.Exp(lambda*l0) * math.Expm1(lambda*(l1-l0)) / lambda
			}
			if got := ts.d[k]; !(math.Abs(got-want) <= 1e-12*math.Abs(want)) {
				t.Fatalf("λ = %g, pair %d (%g → %g): step %.17g, scoreShift %.17g", lambda, i, w0[i], w1[i], got, want)
			}
		}
	}
	d, w := ts.d, ts.w
	ts.shifts(0.31)
	for _, th := range [][3]float64{{0, 0, math.Log(5)}, {0.05, math.Log(0.2), math.Log(0.5)}, {-0.1, math.Log(3), math.Log(1e4)}} {
		ll, g := tEval(d, w, th[0], th[1], th[2])
		sigma, nu := math.Exp(th[1]), math.Exp(th[2])
		var sl, suz, suz2 float64
		for _, x := range d {
			z := (x - th[0]) / sigma
			q := z * z / nu
			sl += math.Log1p(q)
			u := (nu + 1) / (nu * (1 + q))
			suz += u * z
			suz2 += u * z * z
		}
		lg1, _ := math.Lgamma((nu + 1) / 2)
		lg0, _ := math.Lgamma(nu / 2)
		m := float64(len(d))
		wantLL := m*(lg1-lg0-0.5*math.Log(nu*math.Pi)-th[1]) - (nu+1)/2*sl
		if math.Abs(ll-wantLL) > 1e-12*math.Abs(wantLL) {
			t.Errorf("θ = %v: ℓ = %.17g, term by term %.17g", th, ll, wantLL)
		}
		if want := suz / sigma; math.Abs(g[0]-want) > 1e-12*math.Abs(want) {
			t.Errorf("θ = %v: ∂ℓ/∂μ = %.17g, term by term %.17g", th, g[0], want)
		}
		if want := suz2 - m; math.Abs(g[1]-want) > 1e-12*m {
			t.Errorf("θ = %v: ∂ℓ/∂log σ = %.17g, term by term %.17g", th, g[1], want)
		}
	}
}
