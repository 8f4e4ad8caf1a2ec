package fit

import (
	"math"
	"math/rand/v2"
)

// Logistic is the logistic law with location Location and scale Scale (R's
// dlogis).
type Logistic struct {
	Location float64 // the centre (mean and median)
	Scale    float64 // > 0
}

// LogProb is the log density at x.
func (d Logistic) LogProb(x float64) float64 {
	z := (x - d.Location) / d.Scale
	return -z - math.Log(d.Scale) - 2*softplus(-z)
}

// Prob is the density at x.
func (d Logistic) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d Logistic) LogCDF(x float64) float64 {
	return -softplus(-(x - d.Location) / d.Scale)
}

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d Logistic) LogSurvival(x float64) float64 {
	return -softplus((x - d.Location) / d.Scale)
}

// CDF is P(X ≤ x).
func (d Logistic) CDF(x float64) float64 { return math.Exp(d.LogCDF(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d Logistic) Survival(x float64) float64 { return math.Exp(d.LogSurvival(x)) }

// Quantile is the inverse of CDF at p; see Distribution.
func (d Logistic) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	return d.Location + d.Scale*(math.Log(p)-math.Log1p(-p))
}

// Rand draws one value using r.
func (d Logistic) Rand(r *rand.Rand) float64 {
	u := r.Float64()
	for u == 0 {
		u = r.Float64()
	}
	return d.Quantile(u)
}

// NumParameters is the number of free parameters.
func (Logistic) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d Logistic) Params() []Param { return []Param{{"location", d.Location}, {"scale", d.Scale}} }

// LogisticFamily is the logistic family (R's dlogis): Newton's method with
// exact derivatives from moment estimates.
func LogisticFamily() *Family { return logisticFamily }

// logisticFamily is the descriptor LogisticFamily returns, unexported so
// that no caller can replace it.
var logisticFamily = &Family{
	Name: "logistic", ParamNames: []string{"location", "scale"},
	Method:  "Newton with exact derivatives from moment estimates",
	aliases: []string{"logis"},
	kinds:   []paramKind{kindLocation, kindScale},
	build:   func(p []float64) Distribution { return Logistic{p[0], p[1]} },
	mle: func(f *Family, s *sample) ([]float64, error) {
		if s.sd == 0 {
			return nil, errConstant
		}
		start := []float64{s.mean, s.sd * math.Sqrt(3) / math.Pi}
		if p, err := newtonAnalytic(logisticDerivs, s, start, positiveAfter(1)); err == nil {
			return p, nil
		}
		return fitNumeric(f, s, start)
	},
	numeric: true,
	loglik: func(p []float64, s *sample) float64 {
		m, sc := p[0], p[1]
		v := s.sumFn(func(i int) float64 { z := (s.x[i] - m) / sc; return -z - 2*softplus(-z) })
		return v - float64(s.n)*math.Log(sc)
	},
	info: negHessian(logisticDerivs),
	refit: func(s *sample, start []float64) ([]float64, error) {
		return newtonAnalytic(logisticDerivs, s, start, positiveAfter(1))
	},
	truncRefit: func(f *Family, s *sample, start []float64) ([]float64, error) {
		return newtonAnalytic(truncatedDerivs(f, logisticDerivs, identity, s.lower), s, start, positiveAfter(1))
	},
}

// logisticH is the standard logistic log-density log σ(z) + log σ(−z) with
// its derivatives 1 − 2σ(z) and −2σ(z)σ(−z), from one exp and one log1p.
func logisticH(z float64) (float64, float64, float64) {
	e := math.Exp(-math.Abs(z))
	l := math.Log1p(e)
	sig := 1 / (1 + e) // σ(|z|)
	if z < 0 {
		sig = e / (1 + e)
	}
	return -math.Abs(z) - 2*l, 1 - 2*sig, -2 * sig * (1 - sig)
}

func logisticDerivs(p []float64, s *sample) (float64, []float64, [][]float64) {
	return locScaleDerivs(s.x, p[0], p[1], s.workers, logisticH)
}
