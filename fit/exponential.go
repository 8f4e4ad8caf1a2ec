package fit

import (
	"math"
	"math/rand/v2"
)

// Exponential is the exponential law with rate Rate.
type Exponential struct {
	Rate float64 // λ > 0, 1/mean
}

// LogProb is the log density at x.
func (d Exponential) LogProb(x float64) float64 {
	if x < 0 {
		return math.Inf(-1)
	}
	return math.Log(d.Rate) - d.Rate*x
}

// Prob is the density at x.
func (d Exponential) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// hazard is the cumulative hazard H(x) = −log P(X > x), 0 for x ≤ 0.
func (d Exponential) hazard(x float64) cumHazard {
	if x <= 0 {
		return 0
	}
	return cumHazard(d.Rate * x)
}

// CDF is P(X ≤ x).
func (d Exponential) CDF(x float64) float64 { return d.hazard(x).cdf() }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d Exponential) Survival(x float64) float64 { return d.hazard(x).survival() }

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d Exponential) LogCDF(x float64) float64 { return d.hazard(x).logCDF() }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d Exponential) LogSurvival(x float64) float64 { return d.hazard(x).logSurvival() }

// Quantile is the inverse of CDF at p; see Distribution.
func (d Exponential) Quantile(p float64) float64 { return float64(quantileHazard(p)) / d.Rate }

// Rand draws one value using r.
func (d Exponential) Rand(r *rand.Rand) float64 { return r.ExpFloat64() / d.Rate }

// NumParameters is the number of free parameters.
func (Exponential) NumParameters() int { return 1 }

// Params are the parameters with R's names, in the family's order.
func (d Exponential) Params() []Param { return []Param{{"rate", d.Rate}} }

// ExponentialFamily is the exponential family (R's dexp): closed form,
// from sufficient statistics.
func ExponentialFamily() *Family { return exponentialFamily }

// exponentialFamily is the descriptor ExponentialFamily returns, unexported
// so that no caller can replace it.
var exponentialFamily = &Family{
	Name: "exponential", ParamNames: []string{"rate"}, Positive: true, Method: "closed form",
	aliases: []string{"exp"},
	kinds:   []paramKind{kindLog},
	build:   func(p []float64) Distribution { return Exponential{p[0]} },
	mle: func(_ *Family, s *sample) ([]float64, error) {
		return []float64{1 / s.mean}, nil
	},
	loglik:  exponentialLogLik,
	summary: exponentialLogLik,
	info: func(p []float64, s *sample) [][]float64 {
		return [][]float64{{float64(s.n) / (p[0] * p[0])}}
	},
}

// exponentialLogLik needs only n and the mean.
func exponentialLogLik(p []float64, s *sample) float64 {
	n := float64(s.n)
	return n*math.Log(p[0]) - p[0]*n*s.mean
}
