package fit

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
)

// This file holds what every family's law shares: the Distribution
// interface and the numerical helpers of their density and tail functions.
// Each family's value type lives in the family's own file (normal.go,
// gamma.go, …) with its descriptor.

// Distribution is a fitted (or given) continuous law. The method set
// follows gonum's stat/distuv; every function is defined on the whole real
// line (outside the support the density is 0 and the CDF 0 or 1), and the
// log versions are computed directly rather than as log(CDF) so that they
// keep full relative accuracy in both tails.
type Distribution interface {
	// LogProb is the log density at x (−Inf outside the support).
	LogProb(x float64) float64
	// Prob is the density at x.
	Prob(x float64) float64
	// CDF is P(X ≤ x).
	CDF(x float64) float64
	// Survival is P(X > x), computed without 1 − CDF cancellation.
	Survival(x float64) float64
	// LogCDF is log P(X ≤ x), accurate in the lower tail.
	LogCDF(x float64) float64
	// LogSurvival is log P(X > x), accurate in the upper tail.
	LogSurvival(x float64) float64
	// Quantile is the inverse of CDF for p in (0, 1); it returns the
	// support bounds at 0 and 1 and NaN outside [0, 1].
	Quantile(p float64) float64
	// Rand draws one value using r, which the caller seeds.
	Rand(r *rand.Rand) float64
	// NumParameters is the number of free parameters.
	NumParameters() int
	// Params are the parameters in the family's order, with R's names.
	Params() []Param
}

// Param is one named parameter value.
type Param struct {
	Name  string  // R's name of the parameter
	Value float64 // its value
}

// tailer is implemented by distributions that get log F and log S more
// cheaply together than apart.
type tailer interface {
	logTails(x float64) (logF, logS float64)
}

// logTails returns log F(x) and log S(x) of d, together where d can.
func logTails(d Distribution, x float64) (float64, float64) {
	if t, ok := d.(tailer); ok {
		return t.logTails(x)
	}
	return d.LogCDF(x), d.LogSurvival(x)
}

const (
	logSqrt2Pi = 0.9189385332046727417803297 // log √(2π)
	logPi      = 1.1447298858494001741434273 // log π
)

// softplus is log(1 + e^t) without overflow or loss for large |t|.
func softplus(t float64) float64 {
	if t > 0 {
		return t + math.Log1p(math.Exp(-t))
	}
	return math.Log1p(math.Exp(t))
}

// cumHazard is the cumulative hazard H(x) = −log P(X > x) of a law on
// [0, ∞) at one x. The exponential and Weibull laws have H in closed form
// (λx and (x/scale)^k) and take all four tail functions from it here.
type cumHazard float64

// cdf is P(X ≤ x) = 1 − e^−H, without cancellation for small H.
func (h cumHazard) cdf() float64 { return -math.Expm1(-float64(h)) }

// survival is P(X > x) = e^−H.
func (h cumHazard) survival() float64 { return math.Exp(-float64(h)) }

// logCDF is log(1 − e^−H), accurate for small H.
func (h cumHazard) logCDF() float64 { return math.Log(-math.Expm1(-float64(h))) }

// logSurvival is −H.
func (h cumHazard) logSurvival() float64 { return -float64(h) }

// quantileHazard is the cumulative hazard at the p-quantile, −log(1 − p),
// NaN for p outside [0, 1]: a law's quantile is its H⁻¹ of it.
func quantileHazard(p float64) cumHazard {
	if !isProb(p) {
		return cumHazard(math.NaN())
	}
	return cumHazard(-math.Log1p(-p))
}

// logDiffExp is log(e^a − e^b) for a ≥ b.
func logDiffExp(a, b float64) float64 {
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log(-math.Expm1(b-a))
}

// logSumExp is log(e^a + e^b).
func logSumExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// quantileSearch inverts a CDF by bisection on log x (positive support) or
// on x (real support), for families without a closed-form quantile. It
// brackets outward from start, then bisects to full precision.
func quantileSearch(cdf func(float64) float64, p, start float64, positive bool) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		if positive {
			return 0
		}
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	}
	to := func(t float64) float64 { return t }
	if positive {
		to = math.Exp
		start = math.Log(start)
	}
	if math.IsNaN(start) || math.IsInf(start, 0) {
		start = 0
	}
	lo, hi := start, start
	step := 1.0
	for i := 0; i < 2000 && cdf(to(lo)) > p; i++ {
		lo -= step
		step *= 2
	}
	step = 1.0
	for i := 0; i < 2000 && cdf(to(hi)) < p; i++ {
		hi += step
		step *= 2
	}
	for i := 0; i < 200; i++ {
		mid := 0.5 * (lo + hi)
		if mid == lo || mid == hi {
			break
		}
		if cdf(to(mid)) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return to(0.5 * (lo + hi))
}

// polishQuantile refines an approximate quantile x of a positive law by
// Newton steps on log F(x) − log p in log x.
func polishQuantile(d Distribution, p, x float64) float64 {
	lp := math.Log(p)
	for i := 0; i < 4 && x > 0 && !math.IsInf(x, 0); i++ {
		lf := d.LogCDF(x)
		slope := math.Exp(math.Log(x) + d.LogProb(x) - lf)
		if !(slope > 0) || math.IsInf(slope, 0) {
			break
		}
		step := (lf - lp) / slope
		if math.Abs(step) > 1 {
			break
		}
		x *= math.Exp(-step)
		if math.Abs(step) < 1e-15 {
			break
		}
	}
	return x
}

// positiveEdge are the log CDF and log survival of a law on (0, ∞) at
// x ≤ 0 and at +Inf, where they need no computation (edge true).
func positiveEdge(x float64) (lf, ls float64, edge bool) {
	switch {
	case x <= 0:
		return math.Inf(-1), 0, true
	case math.IsInf(x, 1):
		return 0, math.Inf(-1), true
	}
	return 0, 0, false
}

// isProb reports whether p is a probability (Quantile is NaN elsewhere).
func isProb(p float64) bool { return p >= 0 && p <= 1 }

// logDensityNonPositive is the log density at x ≤ 0 of a law on (0, ∞)
// that behaves like x^(shape−1) at 0 (gamma, Weibull, log-logistic): −Inf
// below 0, and at 0 +Inf below shape 1, −Inf above and, at shape 1,
// logRate, the log density at 0 of the exponential law of that rate.
func logDensityNonPositive(x, shape, logRate float64) float64 {
	switch {
	case x < 0:
		return math.Inf(-1)
	case shape < 1:
		return math.Inf(1)
	case shape == 1:
		return logRate
	}
	return math.Inf(-1)
}

// logOf is log x, −Inf for every x ≤ 0 (the CDF is 0 there).
func logOf(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	return math.Log(x)
}

// trigamma is ψ′(a), the Hurwitz zeta function ζ(2, a).
func trigamma(a float64) float64 { return mathext.Zeta(2, a) }
