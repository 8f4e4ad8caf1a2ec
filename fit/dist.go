package fit

import (
	"math"
	"math/rand/v2"
)

// Distribution is a fitted (or given) continuous law. The method set
// follows gonum's stat/distuv; every function is defined on the whole real
// line (outside the support the density is 0 and the CDF 0 or 1), and the
// log versions are computed directly rather than as log(CDF) so that they
// keep full relative accuracy in both tails.
type Distribution interface {
	LogProb(x float64) float64
	Prob(x float64) float64
	CDF(x float64) float64
	Survival(x float64) float64
	LogCDF(x float64) float64
	LogSurvival(x float64) float64
	// Quantile is the inverse of CDF for p in (0, 1); it returns the
	// support bounds at 0 and 1 and NaN outside [0, 1].
	Quantile(p float64) float64
	// Rand draws one value using r, which the caller seeds.
	Rand(r *rand.Rand) float64
	NumParameters() int
	// Params are the parameters in the family's order, with R's names.
	Params() []Param
}

// Param is one named parameter value.
type Param struct {
	Name  string
	Value float64
}

// tailer is implemented by distributions that get log F and log S more
// cheaply together than apart.
type tailer interface {
	logTails(x float64) (logF, logS float64)
}

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
