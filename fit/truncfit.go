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

// identity is the map of families whose derivatives are in their own
// parameters.
func identity(q []float64) []float64 { return q }
