package fit

import (
	"errors"
	"math"
	"math/rand/v2"
)

// Weibull is the Weibull law with shape Shape and scale Scale
// (R's dweibull; scipy's weibull_min(c = shape, scale)).
type Weibull struct {
	Shape float64 // k > 0
	Scale float64 // > 0
}

// LogProb is the log density at x.
func (d Weibull) LogProb(x float64) float64 {
	if x <= 0 {
		return logDensityNonPositive(x, d.Shape, -math.Log(d.Scale))
	}
	lz := math.Log(x / d.Scale)
	return math.Log(d.Shape/d.Scale) + (d.Shape-1)*lz - math.Exp(d.Shape*lz)
}

// Prob is the density at x.
func (d Weibull) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// hazard is the cumulative hazard H(x) = −log P(X > x), 0 for x ≤ 0.
func (d Weibull) hazard(x float64) cumHazard {
	if x <= 0 {
		return 0
	}
	return cumHazard(math.Exp(d.Shape * math.Log(x/d.Scale)))
}

// CDF is P(X ≤ x).
func (d Weibull) CDF(x float64) float64 { return d.hazard(x).cdf() }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d Weibull) Survival(x float64) float64 { return d.hazard(x).survival() }

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d Weibull) LogCDF(x float64) float64 { return d.hazard(x).logCDF() }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d Weibull) LogSurvival(x float64) float64 { return d.hazard(x).logSurvival() }

// Quantile is the inverse of CDF at p; see Distribution.
func (d Weibull) Quantile(p float64) float64 {
	return d.Scale * math.Pow(float64(quantileHazard(p)), 1/d.Shape)
}

// Rand draws one value using r.
func (d Weibull) Rand(r *rand.Rand) float64 {
	return d.Scale * math.Pow(r.ExpFloat64(), 1/d.Shape)
}

// NumParameters is the number of free parameters.
func (Weibull) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d Weibull) Params() []Param { return []Param{{"shape", d.Shape}, {"scale", d.Scale}} }

// WeibullFamily is the Weibull family (R's dweibull): safeguarded Newton
// on the profile score in the shape. Its shape 1 is the exponential
// family.
func WeibullFamily() *Family { return weibullFamily }

// weibullFamily is the descriptor WeibullFamily returns, unexported so that
// no caller can replace it.
var weibullFamily = &Family{
	Name: "weibull", ParamNames: []string{"shape", "scale"}, Positive: true,
	Method:   "safeguarded Newton on the profile score in the shape",
	aliases:  []string{"weibull_min"},
	usesLogs: true,
	kinds:    []paramKind{kindLog, kindPosScale},
	build:    func(p []float64) Distribution { return Weibull{p[0], p[1]} },
	mle:      func(_ *Family, s *sample) ([]float64, error) { return weibullMLE(s) },
	loglik: func(p []float64, s *sample) float64 {
		k, ls := p[0], math.Log(p[1])
		t, _, _ := weibullTSums(p[0], p[1], s)
		n := float64(s.n)
		return n*(math.Log(k)-ls) + (k-1)*(s.sumLog-n*ls) - t
	},
	info: weibullInfo,
	truncRefit: func(f *Family, s *sample, start []float64) ([]float64, error) {
		return newtonAnalytic(truncatedDerivs(f, weibullDerivs, identity, s.lower), s, start, positiveAfter(0))
	},
	nests: exponentialFamily, nestNull: "weibull shape = 1",
}

// weibullMLE solves the profile score in the shape k,
//
//	g(k) = Σ x^k log x / Σ x^k − 1/k − mean(log x) = 0,
//
// which is increasing in k, by Newton's method kept inside a bracket (with
// bisection as the fallback). Logs are centred and the exponentials shifted
// by the largest log, so x^k never overflows.
func weibullMLE(s *sample) ([]float64, error) {
	if s.sdLog == 0 {
		return nil, errConstant
	}
	c := s.meanLog
	umax := math.Log(s.max) - c
	sums := func(k float64) (a0, a1, a2 float64) {
		r := reduce(s.n, s.workers, 3, func(lo, hi int, acc []float64) {
			var b0, b1, b2 float64
			for i := lo; i < hi; i++ {
				u := s.logx[i] - c
				e := math.Exp(k * (u - umax))
				b0 += e
				b1 += e * u
				b2 += e * u * u
			}
			acc[0], acc[1], acc[2] = b0, b1, b2
		})
		return r[0], r[1], r[2]
	}
	// Sums at the last k scored: Σ e^{k(u−umax)} and the weighted moments
	// of u under the weights e^{ku}.
	var lastA0, lastM1, lastM2 float64
	score := func(k float64) (g, dg float64) {
		a0, a1, a2 := sums(k)
		m1 := a1 / a0
		lastA0, lastM1, lastM2 = a0, m1, a2/a0
		return m1 - 1/k, a2/a0 - m1*m1 + 1/(k*k)
	}
	k := math.Pi / (math.Sqrt(6) * s.sdLog)
	lo, hi := 0.0, math.Inf(1)
	for i := 0; i < 200; i++ {
		g, dg := score(k)

		if g > 0 {
			hi = k
		} else {
			lo = k
		}
		next := k - g/dg
		if !(next > lo && next < hi) || math.IsNaN(next) {
			if math.IsInf(hi, 1) {
				next = 2 * k
			} else {
				next = 0.5 * (lo + hi)
			}
		}
		if math.Abs(next-k) <= 1e-13*k || g == 0 {
			// Stay at the k just scored (within 1e-13 of the root) and
			// reuse its sum for the scale.
			break
		}
		k = next
	}
	d := umax + math.Log(lastA0/float64(s.n))/k // log(scale) − c
	scale := math.Exp(c + d)
	if math.IsNaN(k) || math.IsInf(k, 0) || !(scale > 0) || math.IsInf(scale, 0) {
		return nil, errors.New("the shape equation has no finite root")
	}
	// With t = (x/scale)^k, the scale makes Σ t = n exactly, and
	// Σ t·log(x/scale) and Σ t·log²(x/scale) follow from the moments above:
	// the log-likelihood and the information need no further pass.
	n := float64(s.n)
	s.weibull = &weibullSums{k: k, scale: scale, s0: n, s1: n * (lastM1 - d), s2: n * (lastM2 - 2*d*lastM1 + d*d)}
	return []float64{k, scale}, nil
}

// weibullSums caches Σ t, Σ t·l and Σ t·l² (t = (x/scale)^shape,
// l = log(x/scale)) at the fitted parameters.
type weibullSums struct{ k, scale, s0, s1, s2 float64 }

// weibullTSums returns the sums at (k, scale), from the cache when the
// parameters are the ones just fitted, otherwise by a pass.
func weibullTSums(k, sc float64, s *sample) (s0, s1, s2 float64) {
	if w := s.weibull; w != nil && w.k == k && w.scale == sc {
		return w.s0, w.s1, w.s2
	}
	ls := math.Log(sc)
	r := reduce(s.n, s.workers, 3, func(lo, hi int, acc []float64) {
		var a0, a1, a2 float64
		for i := lo; i < hi; i++ {
			l := s.logx[i] - ls
			t := math.Exp(k * l)
			a0 += t
			a1 += t * l
			a2 += t * l * l
		}
		acc[0], acc[1], acc[2] = a0, a1, a2
	})
	return r[0], r[1], r[2]
}

// weibullInfo is the analytic observed information of the Weibull
// log-likelihood in (shape, scale).
func weibullInfo(p []float64, s *sample) [][]float64 {
	k, sc := p[0], p[1]
	s0, s1, s2 := weibullTSums(k, sc, s)
	r := []float64{s0, s1, s2}
	n := float64(s.n)
	hkk := -n/(k*k) - r[2]
	hss := n*k/(sc*sc) - k*(k+1)/(sc*sc)*r[0]
	hks := (-n + r[0] + k*r[1]) / sc
	return [][]float64{{-hkk, -hks}, {-hks, -hss}}
}

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
