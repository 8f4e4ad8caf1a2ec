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
