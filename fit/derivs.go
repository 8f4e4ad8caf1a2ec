package fit

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// derivsFunc returns the log-likelihood with its exact gradient and Hessian
// in natural parameters, from one pass over the data.
type derivsFunc func(p []float64, s *sample) (ll float64, grad []float64, hess [][]float64)

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

// logisticH is the standard logistic log-density log σ(z) + log σ(−z) with
// its derivatives 1 − 2σ(z) and −2σ(z)σ(−z), from one exp and one log1p.
func logisticH(z float64) (float64, float64, float64) {
	e := math.Exp(-math.Abs(z))
	l := math.Log1p(e)
	sig := 1 / (1 + e) // σ(|z|)
	if z < 0 {
		sig = e / (1 + e)
	}
	return -math.Abs(z) - 2*l, 1 - 2*sig, -2 * sig * (1 - sig)
}

func logisticDerivs(p []float64, s *sample) (float64, []float64, [][]float64) {
	return locScaleDerivs(s.x, p[0], p[1], s.workers, logisticH)
}

// logSample views the logs of a positive sample as a sample of their own,
// so that log-scale families can reuse location–scale code.
func (s *sample) logSample() *sample {
	return &sample{x: s.logx, n: s.n, workers: s.workers, mean: s.meanLog, sd: s.sdLog, distinct3: s.distinct3}
}

// logLogisticViaLogs fits the log-logistic as a logistic law of log x:
// location log(scale), scale 1/shape.
func logLogisticViaLogs(s *sample, start []float64) ([]float64, error) {
	ls := s.logSample()
	var q0 []float64
	if start != nil {
		q0 = []float64{math.Log(start[1]), 1 / start[0]}
	} else {
		q0 = []float64{s.meanLog, s.sdLog * math.Sqrt(3) / math.Pi}
	}
	q, err := newtonAnalytic(logisticDerivs, ls, q0, positiveAfter(1))
	if err != nil {
		return nil, err
	}
	return []float64{1 / q[1], math.Exp(q[0])}, nil
}

// logLogisticInfo maps the logistic information of (log scale, 1/shape) to
// (shape, scale): I_p = J⁻ᵀ I_q J⁻¹ with J = ∂p/∂q, exact at the optimum.
func logLogisticInfo(p []float64, s *sample) [][]float64 {
	mu, b := math.Log(p[1]), 1/p[0]
	_, _, h := logisticDerivs([]float64{mu, b}, s.logSample())
	// J⁻¹ = ∂q/∂p: μ = log s, b = 1/k → ∂μ/∂s = 1/s, ∂b/∂k = −1/k².
	// I_q = −H; rows/cols of q: (μ, b); of p: (k, s).
	dbdk, dmuds := -1/(p[0]*p[0]), 1/p[1]
	return [][]float64{
		{-h[1][1] * dbdk * dbdk, -h[0][1] * dbdk * dmuds},
		{-h[0][1] * dbdk * dmuds, -h[0][0] * dmuds * dmuds},
	}
}

// studentDerivs differentiates the Student-t log-likelihood in (location,
// scale, df).
func studentDerivs(p []float64, s *sample) (float64, []float64, [][]float64) {
	mu, sc, nu := p[0], p[1], p[2]
	r := reduce(s.n, s.workers, 10, func(lo, hi int, acc []float64) {
		var a [10]float64
		for i := lo; i < hi; i++ {
			z := (s.x[i] - mu) / sc
			z2 := z * z
			w := nu + z2
			l := math.Log1p(z2 / nu)
			hz := -(nu + 1) * z / w
			hzz := -(nu + 1) * (nu - z2) / (w * w)
			q := z2 / (nu * w)
			hnu := -l/2 + (nu+1)/2*q
			// d/dν of (ν+1)/2·z²/(ν w) plus d/dν of −log1p(z²/ν)/2.
			hnunu := q/2 + z2/2*(nu*w-(nu+1)*(2*nu+z2))/(nu*nu*w*w)
			hznu := -z * (z2 - 1) / (w * w)
			a[0] += -(nu + 1) / 2 * l
			a[1] += hz
			a[2] += hz * z
			a[3] += hzz
			a[4] += hzz * z
			a[5] += hzz * z2
			a[6] += hnu
			a[7] += hnunu
			a[8] += hznu
			a[9] += hznu * z
		}
		copy(acc, a[:])
	})
	n := float64(s.n)
	lgA, _ := math.Lgamma((nu + 1) / 2)
	lgB, _ := math.Lgamma(nu / 2)
	c := lgA - lgB - 0.5*(math.Log(nu)+logPi)
	c1 := 0.5*mathext.Digamma((nu+1)/2) - 0.5*mathext.Digamma(nu/2) - 1/(2*nu)
	c2 := 0.25*trigamma((nu+1)/2) - 0.25*trigamma(nu/2) + 1/(2*nu*nu)
	s2 := sc * sc
	ll := n*c + r[0] - n*math.Log(sc)
	g := []float64{-r[1] / sc, -r[2]/sc - n/sc, n*c1 + r[6]}
	h := [][]float64{
		{r[3] / s2, (r[4] + r[1]) / s2, -r[8] / sc},
		{(r[4] + r[1]) / s2, (r[5] + 2*r[2] + n) / s2, -r[9] / sc},
		{-r[8] / sc, -r[9] / sc, n*c2 + r[7]},
	}
	return ll, g, h
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
	}
	return p, nil
}
