package fit

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
)

// Normal is the normal law with mean Mean and standard deviation SD.
type Normal struct {
	Mean float64 // μ
	SD   float64 // σ > 0
}

func (d Normal) z(x float64) float64 { return (x - d.Mean) / d.SD }

// LogProb is the log density at x.
func (d Normal) LogProb(x float64) float64 {
	z := d.z(x)
	return -0.5*z*z - math.Log(d.SD) - logSqrt2Pi
}

// Prob is the density at x.
func (d Normal) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// CDF is P(X ≤ x).
func (d Normal) CDF(x float64) float64 { return NormalCDF(d.z(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d Normal) Survival(x float64) float64 { return NormalSurvival(d.z(x)) }

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d Normal) LogCDF(x float64) float64 { return NormalLogCDF(d.z(x)) }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d Normal) LogSurvival(x float64) float64         { return NormalLogSurvival(d.z(x)) }
func (d Normal) logTails(x float64) (float64, float64) { return normalLogTails(d.z(x)) }

// Quantile is the inverse of CDF at p; see Distribution.
func (d Normal) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	return d.Mean + d.SD*mathext.NormalQuantile(p)
}

// Rand draws one value using r.
func (d Normal) Rand(r *rand.Rand) float64 { return d.Mean + d.SD*r.NormFloat64() }

// NumParameters is the number of free parameters.
func (Normal) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d Normal) Params() []Param { return []Param{{"mean", d.Mean}, {"sd", d.SD}} }

// NormalFamily is the normal family (R's dnorm; sd is the MLE, divided by
// n): closed form, from sufficient statistics. Among the default
// candidates for positive and for signed data.
func NormalFamily() *Family { return normalFamily }

// normalFamily is the descriptor NormalFamily returns, unexported so that
// no caller can replace it.
var normalFamily = &Family{
	Name: "normal", ParamNames: []string{"mean", "sd"}, Method: "closed form",
	aliases: []string{"norm"}, alsoPositive: true,
	kinds: []paramKind{kindLocation, kindScale},
	build: func(p []float64) Distribution { return Normal{p[0], p[1]} },
	mle: func(_ *Family, s *sample) ([]float64, error) {
		if s.sd == 0 {
			return nil, errConstant
		}
		return []float64{s.mean, s.sd}, nil
	},
	loglik: func(p []float64, s *sample) float64 { return normalLogLik(p, s, s.x) },
	summary: func(p []float64, s *sample) float64 {
		return normalSummaryLogLik(p, float64(s.n), s.mean, s.sd)
	},
	info: func(p []float64, s *sample) [][]float64 { return normalInfo(p, float64(s.n), s.mean, s.sd) },
	limit: func(e *Estimate, lower, logMass float64) string {
		// Far in the upper tail the truncated law is locally an
		// exponential whose rate is the hazard at the limit.
		rate := math.Exp(e.Dist.LogProb(lower) - logMass)
		return fmt.Sprintf("the likelihood grows without bound as mean → −∞ and sd → ∞ (stopped at mean %.4g, sd %.4g, keeping e^%.0f of the normal above %g): the truncated normal tends to an exponential law above %g with rate %.6g (the exponential fit)",
			e.Params[0], e.Params[1], logMass, lower, lower, rate)
	},
}

// normalLogLik is the normal log-likelihood of the values v (the sample's
// x, or its logs for the log-normal) at (mean, sd) = p.
func normalLogLik(p []float64, s *sample, v []float64) float64 {
	m, sd := p[0], p[1]
	q := s.sumFn(func(i int) float64 { z := (v[i] - m) / sd; return z * z })
	return -0.5*q - float64(s.n)*(math.Log(sd)+logSqrt2Pi)
}

// normalSummaryLogLik is the normal log-likelihood of n values with the
// given mean and ML sd at (mean, sd) = p: Σ((x − m)/σ)² = n·(sd² +
// (mean − m)²)/σ².
func normalSummaryLogLik(p []float64, n, mean, sd float64) float64 {
	d := mean - p[0]
	return -0.5*n*(sd*sd+d*d)/(p[1]*p[1]) - n*(math.Log(p[1])+logSqrt2Pi)
}

// normalInfo is the observed information at (mean, sd) = p of n values
// with the given mean and ML sd.
func normalInfo(p []float64, n, mean, sd float64) [][]float64 {
	s := p[1]
	d := (mean - p[0]) / s
	v := (sd / s) * (sd / s)
	return [][]float64{
		{n / (s * s), 2 * n * d / s},
		{2 * n * d / s, n * (3*(v+d*d) - 1) / (s * s)},
	}
}

// The standard normal law's functions, which the normal, log-normal,
// inverse Gaussian and power-normal laws are written in.

// NormalCDF is the standard normal distribution function Φ(z), computed
// from erfc so that it keeps full relative accuracy in the lower tail (down
// to the float64 underflow near z = −38).
func NormalCDF(z float64) float64 {
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// NormalSurvival is 1 − Φ(z) without cancellation.
func NormalSurvival(z float64) float64 {
	return 0.5 * math.Erfc(z/math.Sqrt2)
}

// NormalLogCDF is log Φ(z), accurate for every z: log1p in the upper half,
// log erfc in the lower half and, below z = −20 where erfc would
// eventually underflow, the asymptotic Mills-ratio series
// log Φ(z) = log φ(z) − log(−z) + log(1 − 1/z² + 3/z⁴ − 15/z⁶ + …).
func NormalLogCDF(z float64) float64 {
	switch {
	case math.IsNaN(z):
		return math.NaN()
	case z > 0:
		return math.Log1p(-0.5 * math.Erfc(z/math.Sqrt2))
	case z > -20:
		return math.Log(0.5 * math.Erfc(-z/math.Sqrt2))
	case math.IsInf(z, -1):
		return math.Inf(-1)
	}
	return logPhiLowerTail(z)
}

// NormalLogSurvival is log(1 − Φ(z)) = log Φ(−z), accurate for every z.
func NormalLogSurvival(z float64) float64 {
	return NormalLogCDF(-z)
}

// logPhiLowerTail is the Mills-ratio asymptotic expansion of log Φ(z) for
// z ≤ −20. The terms (2k−1)!!/z^{2k} decrease until k ≈ z²/2, so twelve of
// them leave a relative error below 1e-17 at z = −20.
func logPhiLowerTail(z float64) float64 {
	inv := 1 / (z * z)
	sum, term := 1.0, 1.0
	for k := 1; k <= 12; k++ {
		term *= -float64(2*k-1) * inv
		sum += term
	}
	const logSqrt2Pi = 0.9189385332046727417803297 // log √(2π)
	return -0.5*z*z - logSqrt2Pi - math.Log(-z) + math.Log(sum)
}

// normalLogTails returns log Φ(z) and log(1 − Φ(z)) from one erfc: the
// smaller tail directly, the larger one by log1p of the smaller.
func normalLogTails(z float64) (float64, float64) {
	if math.IsNaN(z) || z < -20 || z > 20 {
		return NormalLogCDF(z), NormalLogSurvival(z)
	}
	if z < 0 {
		f := 0.5 * math.Erfc(-z/math.Sqrt2)
		return math.Log(f), math.Log1p(-f)
	}
	s := 0.5 * math.Erfc(z/math.Sqrt2)
	return math.Log1p(-s), math.Log(s)
}
