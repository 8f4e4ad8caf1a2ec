package fit

import (
	"errors"
	"math"
)

// Newton's method with exact derivatives, which the numerical families
// (log-logistic, logistic, Student-t, power-normal) fit and refit with; each
// family's file holds its own derivatives.

// derivsFunc returns the log-likelihood with its exact gradient and Hessian
// in natural parameters, from one pass over the data.
type derivsFunc func(p []float64, s *sample) (ll float64, grad []float64, hess [][]float64)

// negHessian turns exact derivatives into an observed-information function.
func negHessian(d derivsFunc) func(p []float64, s *sample) [][]float64 {
	return func(p []float64, s *sample) [][]float64 {
		_, _, h := d(p, s)
		for i := range h {
			for j := range h[i] {
				h[i][j] = -h[i][j]
			}
		}
		return h
	}
}

// locScaleDerivs differentiates Σ h((v − μ)/σ) − n log σ for a standardised
// log-density h given with its first two derivatives.
func locScaleDerivs(v []float64, mu, sc float64, workers int, h func(z float64) (h0, h1, h2 float64)) (float64, []float64, [][]float64) {
	n := len(v)
	r := reduce(n, workers, 6, func(lo, hi int, acc []float64) {
		var a [6]float64
		for i := lo; i < hi; i++ {
			z := (v[i] - mu) / sc
			h0, h1, h2 := h(z)
			a[0] += h0
			a[1] += h1
			a[2] += h1 * z
			a[3] += h2
			a[4] += h2 * z
			a[5] += h2 * z * z
		}
		copy(acc, a[:])
	})
	fn, s2 := float64(n), sc*sc
	ll := r[0] - fn*math.Log(sc)
	g := []float64{-r[1] / sc, -r[2]/sc - fn/sc}
	hm := [][]float64{
		{r[3] / s2, (r[4] + r[1]) / s2},
		{(r[4] + r[1]) / s2, (r[5] + 2*r[2] + fn) / s2},
	}
	return ll, g, hm
}

// logSample views the logs of a positive sample as a sample of their own,
// so that log-scale families can reuse location–scale code.
func (s *sample) logSample() *sample {
	return &sample{x: s.logx, n: s.n, workers: s.workers, mean: s.meanLog, sd: s.sdLog, distinct3: s.distinct3}
}

// positiveAfter returns a validity check requiring parameters from index
// first on to be positive and finite.
func positiveAfter(first int) func([]float64) bool {
	return func(p []float64) bool {
		for i, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) || (i >= first && !(v > 0)) {
				return false
			}
		}
		return true
	}
}

// newtonAnalytic maximises a log-likelihood from p0 by Newton's method with
// exact derivatives, a Levenberg shift when the Hessian is not negative
// definite, and step halving to stay valid and ascend.
func newtonAnalytic(d derivsFunc, s *sample, p0 []float64, valid func([]float64) bool) ([]float64, error) {
	return newtonUntil(d, s, p0, valid, nil)
}

// newtonUntil is newtonAnalytic that also stops at the first point it
// moves to where done, when done is not nil.
func newtonUntil(d derivsFunc, s *sample, p0 []float64, valid func([]float64) bool, done func([]float64) bool) ([]float64, error) {
	p := append([]float64(nil), p0...)
	if !valid(p) {
		return nil, errors.New("invalid starting values")
	}
	ll, g, h := d(p, s)
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return nil, errors.New("the likelihood is not finite at the starting values")
	}
	k := len(p)
	next := make([]float64, k)
	for iter := 0; iter < 100; iter++ {
		neg := make([][]float64, k)
		for i := range neg {
			neg[i] = make([]float64, k)
			for j := range neg[i] {
				neg[i][j] = -h[i][j]
			}
		}
		step, ok := solveDamped(neg, g)
		if !ok {
			return nil, errors.New("the Hessian is not finite")
		}
		// The Newton decrement gᵀ(−H)⁻¹g is twice the gain the step
		// promises. Once it is below what the sums can resolve, one last
		// full step lands on the optimum to within rounding.
		dec := 0.0
		for i := range g {
			dec += g[i] * step[i]
		}
		if dec < 1e-14*math.Max(1, math.Abs(ll)) {
			for i := range p {
				next[i] = p[i] + step[i]
			}
			if valid(next) {
				copy(p, next)
			}
			return p, nil
		}
		t := 1.0
		moved := false
		for try := 0; try < 40; try++ {
			for i := range p {
				next[i] = p[i] + t*step[i]
			}
			if valid(next) {
				l2, g2, h2 := d(next, s)
				if l2 >= ll && !math.IsNaN(l2) {
					moved = true
					copy(p, next)
					ll, g, h = l2, g2, h2
					break
				}
			}
			t /= 2
		}
		if !moved {
			return p, nil // no ascent possible: at the optimum to rounding
		}
		if done != nil && done(p) {
			return p, nil
		}
	}
	return p, nil
}
