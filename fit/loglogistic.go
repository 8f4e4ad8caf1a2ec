package fit

import (
	"math"
	"math/rand/v2"
)

// LogLogistic is the log-logistic law with shape Shape and scale Scale as in
// R's actuar::dllogis: F(x) = u/(1+u), u = (x/scale)^shape (scipy's fisk).
type LogLogistic struct {
	Shape float64 // > 0
	Scale float64 // > 0, the median
}

func (d LogLogistic) t(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	return d.Shape * math.Log(x/d.Scale)
}

// LogProb is the log density at x.
func (d LogLogistic) LogProb(x float64) float64 {
	if x <= 0 {
		return logDensityNonPositive(x, d.Shape, -math.Log(d.Scale))
	}
	t := d.t(x)
	return math.Log(d.Shape) - math.Log(x) + t - 2*softplus(t)
}

// Prob is the density at x.
func (d LogLogistic) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// CDF is P(X ≤ x).
func (d LogLogistic) CDF(x float64) float64 { return math.Exp(d.LogCDF(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d LogLogistic) Survival(x float64) float64 { return math.Exp(d.LogSurvival(x)) }

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d LogLogistic) LogCDF(x float64) float64 { return -softplus(-d.t(x)) }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d LogLogistic) LogSurvival(x float64) float64 { return -softplus(d.t(x)) }

// Quantile is the inverse of CDF at p; see Distribution.
func (d LogLogistic) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	return d.Scale * math.Exp((math.Log(p)-math.Log1p(-p))/d.Shape)
}

// Rand draws one value using r.
func (d LogLogistic) Rand(r *rand.Rand) float64 {
	u := r.Float64()
	for u == 0 {
		u = r.Float64()
	}
	return d.Quantile(u)
}

// NumParameters is the number of free parameters.
func (LogLogistic) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d LogLogistic) Params() []Param { return []Param{{"shape", d.Shape}, {"scale", d.Scale}} }

// LogLogisticFamily is the log-logistic family (actuar's dllogis): a
// logistic law of log x, fitted by Newton's method with exact derivatives.
func LogLogisticFamily() *Family { return logLogisticFamily }

// logLogisticFamily is the descriptor LogLogisticFamily returns, unexported
// so that no caller can replace it.
var logLogisticFamily = &Family{
	Name: "loglogistic", ParamNames: []string{"shape", "scale"}, Positive: true,
	Method:   "Newton with exact derivatives (logistic law of log x)",
	aliases:  []string{"llogis", "fisk"},
	usesLogs: true,
	kinds:    []paramKind{kindLog, kindPosScale},
	build:    func(p []float64) Distribution { return LogLogistic{p[0], p[1]} },
	mle: func(f *Family, s *sample) ([]float64, error) {
		if s.sdLog == 0 {
			return nil, errConstant
		}
		if p, err := logLogisticViaLogs(s, nil); err == nil {
			return p, nil
		}
		return fitNumeric(f, s, []float64{math.Pi / (math.Sqrt(3) * s.sdLog), math.Exp(s.meanLog)})
	},
	numeric: true,
	loglik: func(p []float64, s *sample) float64 {
		k, ls := p[0], math.Log(p[1])
		v := s.sumFn(func(i int) float64 { t := k * (s.logx[i] - ls); return t - 2*softplus(t) })
		return float64(s.n)*math.Log(k) - s.sumLog + v
	},
	info:  logLogisticInfo,
	refit: logLogisticViaLogs,
	truncRefit: func(f *Family, s *sample, start []float64) ([]float64, error) {
		// A logistic law of log x in (log scale, 1/shape).
		toP := func(q []float64) []float64 { return []float64{1 / q[1], math.Exp(q[0])} }
		q, err := newtonAnalytic(truncatedDerivs(f, logisticDerivs, toP, s.lower), s.logSample(), []float64{math.Log(start[1]), 1 / start[0]}, positiveAfter(1))
		if err != nil {
			return nil, err
		}
		return toP(q), nil
	},
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
