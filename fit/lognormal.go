package fit

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
)

// LogNormal is the law of e^Y for Y normal with mean MeanLog and standard
// deviation SDLog (R's meanlog, sdlog).
type LogNormal struct {
	MeanLog float64 // the mean of log X
	SDLog   float64 // the standard deviation of log X, > 0
}

// LogProb is the log density at x.
func (d LogNormal) LogProb(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	lx := math.Log(x)
	z := (lx - d.MeanLog) / d.SDLog
	return -0.5*z*z - math.Log(d.SDLog) - logSqrt2Pi - lx
}

// Prob is the density at x.
func (d LogNormal) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// normal is the law of log X.
func (d LogNormal) normal() Normal { return Normal{d.MeanLog, d.SDLog} }

// CDF is P(X ≤ x).
func (d LogNormal) CDF(x float64) float64 { return d.normal().CDF(logOf(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d LogNormal) Survival(x float64) float64 { return d.normal().Survival(logOf(x)) }

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d LogNormal) LogCDF(x float64) float64 { return d.normal().LogCDF(logOf(x)) }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d LogNormal) LogSurvival(x float64) float64 { return d.normal().LogSurvival(logOf(x)) }
func (d LogNormal) logTails(x float64) (float64, float64) {
	return d.normal().logTails(logOf(x))
}

// Quantile is the inverse of CDF at p; see Distribution.
func (d LogNormal) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	return math.Exp(d.MeanLog + d.SDLog*mathext.NormalQuantile(p))
}

// Rand draws one value using r.
func (d LogNormal) Rand(r *rand.Rand) float64 { return math.Exp(d.MeanLog + d.SDLog*r.NormFloat64()) }

// NumParameters is the number of free parameters.
func (LogNormal) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d LogNormal) Params() []Param {
	return []Param{{"meanlog", d.MeanLog}, {"sdlog", d.SDLog}}
}

// LogNormalFamily is the log-normal family (R's dlnorm): closed form, from
// sufficient statistics.
func LogNormalFamily() *Family { return logNormalFamily }

// logNormalFamily is the descriptor LogNormalFamily returns, unexported so
// that no caller can replace it.
var logNormalFamily = &Family{
	Name: "lognormal", ParamNames: []string{"meanlog", "sdlog"}, Positive: true, Method: "closed form",
	aliases:  []string{"lnorm", "lognorm"},
	usesLogs: true,
	kinds:    []paramKind{kindFree, kindLog},
	build:    func(p []float64) Distribution { return LogNormal{p[0], p[1]} },
	mle: func(_ *Family, s *sample) ([]float64, error) {
		if s.sdLog == 0 {
			return nil, errConstant
		}
		return []float64{s.meanLog, s.sdLog}, nil
	},
	loglik: func(p []float64, s *sample) float64 { return normalLogLik(p, s, s.logx) - s.sumLog },
	summary: func(p []float64, s *sample) float64 {
		return normalSummaryLogLik(p, float64(s.n), s.meanLog, s.sdLog) - s.sumLog
	},
	info: func(p []float64, s *sample) [][]float64 { return normalInfo(p, float64(s.n), s.meanLog, s.sdLog) },
	limit: func(e *Estimate, lower, logMass float64) string {
		alpha := (math.Log(lower) - e.Params[0]) / (e.Params[1] * e.Params[1])
		return fmt.Sprintf("the likelihood grows without bound as meanlog → −∞ and sdlog → ∞ (keeping e^%.0f of the lognormal above %g): the truncated lognormal tends to a Pareto law above %g with shape %.6g",
			logMass, lower, lower, alpha)
	},
}
