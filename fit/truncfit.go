package fit

import "math"

// Bootstrap refits of truncated fits start at the fit they resample, so
// Newton's method with exact derivatives converges in a few steps. The
// truncated log-likelihood is the untruncated one minus n·log S(L); the
// second term depends on the parameters through one point, so its
// derivatives are taken by finite differences at no cost per element.

// truncatedDerivs adds −n·log S(lower) to the exact derivatives d, which are
// in coordinates q mapped to the family's parameters by toP.
func truncatedDerivs(f *Family, d derivsFunc, toP func(q []float64) []float64, lower float64) derivsFunc {
	term := func(q []float64) float64 {
		p := toP(q)
		for _, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return math.NaN()
			}
		}
		return f.build(p).LogSurvival(lower)
	}
	return func(q []float64, s *sample) (float64, []float64, [][]float64) {
		ll, g, h := d(q, s)
		n := float64(s.n)
		tg := fdGradient(term, q, 1e-6)
		th := fdHessian(term, q, 1e-4)
		ll -= n * term(q)
		for i := range g {
			g[i] -= n * tg[i]
			for j := range g {
				h[i][j] -= n * th[i][j]
			}
		}
		return ll, g, h
	}
}

func identity(q []float64) []float64 { return q }

// weibullDerivs is the Weibull log-likelihood in (shape, scale) with its
// exact gradient and Hessian, from the sums Σ t, Σ t·l, Σ t·l²
// (t = (x/scale)^shape, l = log(x/scale)).
func weibullDerivs(p []float64, s *sample) (float64, []float64, [][]float64) {
	k, sc := p[0], p[1]
	s0, s1, _ := weibullTSums(k, sc, s)
	n, ls := float64(s.n), math.Log(sc)
	ll := n*(math.Log(k)-ls) + (k-1)*(s.sumLog-n*ls) - s0
	g := []float64{n/k + s.sumLog - n*ls - s1, k * (s0 - n) / sc}
	info := weibullInfo(p, s)
	h := [][]float64{{-info[0][0], -info[0][1]}, {-info[1][0], -info[1][1]}}
	return ll, g, h
}

// truncatedRefit re-estimates a truncated fit from a nearby start by
// Newton's method with exact derivatives of the untruncated part; ok is
// false for families without them.
func truncatedRefit(f *Family, s *sample, start []float64) (p []float64, ok bool, err error) {
	switch f {
	case WeibullFamily:
		p, err = newtonAnalytic(truncatedDerivs(f, weibullDerivs, identity, s.lower), s, start, positiveAfter(0))
	case LogisticFamily:
		p, err = newtonAnalytic(truncatedDerivs(f, logisticDerivs, identity, s.lower), s, start, positiveAfter(1))
	case StudentTFamily:
		p, err = newtonAnalytic(truncatedDerivs(f, studentDerivs, identity, s.lower), s, start, studentValid)
	case LogLogisticFamily:
		// A logistic law of log x in (log scale, 1/shape).
		toP := func(q []float64) []float64 { return []float64{1 / q[1], math.Exp(q[0])} }
		q, e := newtonAnalytic(truncatedDerivs(f, logisticDerivs, toP, s.lower), s.logSample(), []float64{math.Log(start[1]), 1 / start[0]}, positiveAfter(1))
		if e != nil {
			return nil, true, e
		}
		p = toP(q)
	case PowerNormalFamily:
		c := s.meanLog
		toP := func(q []float64) []float64 { return powerNormalFromScaled(q, c) }
		q, e := newtonAnalytic(truncatedDerivs(f, powerNormalDerivs(c), toP, s.lower), s, powerNormalToScaled(start, c), powerNormalValid)
		if e != nil {
			return nil, true, e
		}
		p = toP(q)
	default:
		return nil, false, nil
	}
	return p, true, err
}
