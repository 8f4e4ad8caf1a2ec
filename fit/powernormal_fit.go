package fit

import (
	"math"
)

// The power-normal likelihood is fitted on x/e^c, c = mean(log x): the Box–
// Cox family is closed under rescaling, with
//
//	boxCox(e^c v) = e^{λc} boxCox(v) + boxCox(e^c),
//
// so (λ, μ′, σ′) fitted to v give μ = e^{λc} μ′ + boxCox(λ, c) and
// σ = e^{λc} σ′, the log-likelihoods differ by the constant n·c, and K is
// unchanged. Centred logs keep x^λ in range at any magnitude of the data.

// Power-series coefficients of the Box–Cox derivatives near λl = 0.
var bcC0, bcC1, bcC2 = func() (c0, c1, c2 [11]float64) {
	fact := func(n int) float64 {
		f := 1.0
		for i := 2; i <= n; i++ {
			f *= float64(i)
		}
		return f
	}
	for j := range c0 {
		c0[j] = 1 / fact(j+1)
		c1[j] = float64(j+1) / fact(j+2)
		c2[j] = float64((j+1)*(j+2)) / fact(j+3)
	}
	return
}()

// boxCoxDerivs returns y = (e^{λl} − 1)/λ and its first two derivatives in
// λ, by their power series where the closed forms cancel (|λl| < 0.1).
func boxCoxDerivs(lambda, l float64) (y, y1, y2 float64) {
	a := lambda * l
	if math.Abs(a) < 0.1 {
		// y = l Σ a^j/(j+1)!, y′ = l² Σ (j+1) a^j/(j+2)!,
		// y″ = l³ Σ (j+1)(j+2) a^j/(j+3)!, by Horner from a^10 down
		// (the remainder is below 1e-17 for |a| < 0.1).
		var s0, s1, s2 float64
		for j := len(bcC0) - 1; j >= 0; j-- {
			s0 = s0*a + bcC0[j]
			s1 = s1*a + bcC1[j]
			s2 = s2*a + bcC2[j]
		}
		return l * s0, l * l * s1, l * l * l * s2
	}
	e := math.Exp(a)
	em1 := math.Expm1(a)
	y = em1 / lambda
	n1 := a*e - em1
	y1 = n1 / (lambda * lambda)
	y2 = (a*a*e - 2*n1) / (lambda * lambda * lambda)
	return y, y1, y2
}

// powerNormalDerivs is the log-likelihood of (λ, μ′, σ′) on centred logs
// (the sample's logx minus shift) with its exact derivatives.
func powerNormalDerivs(shift float64) derivsFunc {
	return func(p []float64, s *sample) (float64, []float64, [][]float64) {
		lam, mu, sg := p[0], p[1], p[2]
		r := reduce(s.n, s.workers, 7, func(lo, hi int, acc []float64) {
			var a [7]float64
			for i := lo; i < hi; i++ {
				l := s.logx[i] - shift
				y, y1, y2 := boxCoxDerivs(lam, l)
				d := y - mu
				a[0] += d
				a[1] += d * d
				a[2] += d * y1
				a[3] += y1
				a[4] += y1 * y1
				a[5] += d * y2
				a[6] += l
			}
			copy(acc, a[:])
		})
		n := float64(s.n)
		s2, s3 := sg*sg, sg*sg*sg
		ll := -r[1]/(2*s2) - n*(math.Log(sg)+logSqrt2Pi) + (lam-1)*r[6]
		g := []float64{-r[2]/s2 + r[6], r[0] / s2, r[1]/s3 - n/sg}
		h := [][]float64{
			{-(r[4] + r[5]) / s2, r[3] / s2, 2 * r[2] / s3},
			{r[3] / s2, -n / s2, -2 * r[0] / s3},
			{2 * r[2] / s3, -2 * r[0] / s3, -3*r[1]/(s2*s2) + n/s2},
		}
		// −n log K, K = Φ(w), w = (1 + λμ)/(|λ|σ), by the chain rule with
		// the inverse Mills ratio m = φ(w)/Φ(w) and m′ = −m(w + m).
		if lam != 0 {
			sgn := math.Copysign(1, lam)
			w := (1 + lam*mu) / (math.Abs(lam) * sg)
			lk := NormalLogCDF(w)
			m := math.Exp(-0.5*w*w - logSqrt2Pi - lk)
			m1 := -m * (w + m)
			dw := []float64{-sgn / (lam * lam * sg), sgn / sg, -w / sg}
			d2w := [][]float64{
				{2 * sgn / (lam * lam * lam * sg), 0, sgn / (lam * lam * s2)},
				{0, 0, -sgn / s2},
				{sgn / (lam * lam * s2), -sgn / s2, 2 * w / s2},
			}
			ll -= n * lk
			for i := range g {
				g[i] -= n * m * dw[i]
				for j := range g {
					h[i][j] -= n * (m1*dw[i]*dw[j] + m*d2w[i][j])
				}
			}
		}
		return ll, g, h
	}
}

func powerNormalValid(p []float64) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0) && p[2] > 0 && !math.IsInf(p[2], 0)
}

// powerNormalFromScaled maps (λ, μ′, σ′) on x/e^c to (λ, μ, σ) on x.
func powerNormalFromScaled(q []float64, c float64) []float64 {
	f := math.Exp(q[0] * c)
	return []float64{q[0], f*q[1] + boxCox(q[0], c), f * q[2]}
}

func powerNormalToScaled(p []float64, c float64) []float64 {
	f := math.Exp(p[0] * c)
	return []float64{p[0], (p[1] - boxCox(p[0], c)) / f, p[2] / f}
}

// powerNormalNewton fits by Newton's method with exact derivatives from
// start (natural parameters; nil = the log-normal fit, λ = 0).
func powerNormalNewton(s *sample, start []float64) ([]float64, error) {
	c := s.meanLog
	q0 := []float64{0, 0, s.sdLog}
	if start != nil {
		q0 = powerNormalToScaled(start, c)
	}
	q, err := newtonAnalytic(powerNormalDerivs(c), s, q0, powerNormalValid)
	if err != nil {
		return nil, err
	}
	return powerNormalFromScaled(q, c), nil
}

// powerNormalInfo is the observed information in (λ, μ, σ), from the exact
// one in the centred coordinates q: Cov_p = J Cov_q Jᵀ with J = ∂p/∂q.
func powerNormalInfo(p []float64, s *sample) [][]float64 {
	c := s.meanLog
	q := powerNormalToScaled(p, c)
	_, _, h := powerNormalDerivs(c)(q, s)
	for i := range h {
		for j := range h[i] {
			h[i][j] = -h[i][j]
		}
	}
	covQ, ok := invertSPD(h)
	if !ok {
		return h // not positive definite: the caller reports it
	}
	f := math.Exp(q[0] * c)
	_, dbc, _ := boxCoxDerivs(q[0], c)
	j := [][]float64{
		{1, 0, 0},
		{c*f*q[1] + dbc, f, 0},
		{c * f * q[2], 0, f},
	}
	cov := make([][]float64, 3)
	for a := range cov {
		cov[a] = make([]float64, 3)
		for b := range cov[a] {
			for k := 0; k < 3; k++ {
				for m := 0; m < 3; m++ {
					cov[a][b] += j[a][k] * covQ[k][m] * j[b][m]
				}
			}
		}
	}
	info, ok := invertSPD(cov)
	if !ok {
		return h
	}
	return info
}
