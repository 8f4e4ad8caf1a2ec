package fit

import (
	"math"
	"math/rand/v2"
)

// Laplace is the double-exponential law with location Location and scale
// Scale (density e^{−|x−location|/scale} / (2 scale)).
type Laplace struct {
	Location float64 // the centre (the median)
	Scale    float64 // > 0, the mean absolute deviation
}

// LogProb is the log density at x.
func (d Laplace) LogProb(x float64) float64 {
	return -math.Abs(x-d.Location)/d.Scale - math.Log(2*d.Scale)
}

// Prob is the density at x.
func (d Laplace) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }
func (d Laplace) logTails(x float64) (float64, float64) {
	z := (x - d.Location) / d.Scale
	if z < 0 {
		return z - math.Ln2, math.Log1p(-0.5 * math.Exp(z))
	}
	return math.Log1p(-0.5 * math.Exp(-z)), -z - math.Ln2
}

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d Laplace) LogCDF(x float64) float64 { f, _ := d.logTails(x); return f }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d Laplace) LogSurvival(x float64) float64 { _, s := d.logTails(x); return s }

// CDF is P(X ≤ x).
func (d Laplace) CDF(x float64) float64 { return math.Exp(d.LogCDF(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d Laplace) Survival(x float64) float64 { return math.Exp(d.LogSurvival(x)) }

// Quantile is the inverse of CDF at p; see Distribution.
func (d Laplace) Quantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p < 0.5:
		return d.Location + d.Scale*math.Log(2*p)
	}
	return d.Location - d.Scale*math.Log(2*(1-p))
}

// Rand draws one value using r.
func (d Laplace) Rand(r *rand.Rand) float64 {
	e := r.ExpFloat64() * d.Scale
	if r.Uint64()&1 == 0 {
		return d.Location - e
	}
	return d.Location + e
}

// NumParameters is the number of free parameters.
func (Laplace) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d Laplace) Params() []Param { return []Param{{"location", d.Location}, {"scale", d.Scale}} }

// LaplaceFamily is the Laplace (double-exponential) family: the median
// and the mean absolute deviation about it.
func LaplaceFamily() *Family { return laplaceFamily }

// laplaceFamily is the descriptor LaplaceFamily returns, unexported so that
// no caller can replace it.
var laplaceFamily = &Family{
	Name: "laplace", ParamNames: []string{"location", "scale"},
	Method: "closed form (median, mean absolute deviation)",
	kinds:  []paramKind{kindLocation, kindScale},
	build:  func(p []float64) Distribution { return Laplace{p[0], p[1]} },
	mle: func(_ *Family, s *sample) ([]float64, error) {
		m := s.median()
		b := s.sumFn(func(i int) float64 { return math.Abs(s.x[i] - m) }) / float64(s.n)
		if b == 0 {
			return nil, errConstant
		}
		return []float64{m, b}, nil
	},
	loglik: func(p []float64, s *sample) float64 {
		m, b := p[0], p[1]
		a := s.sumFn(func(i int) float64 { return math.Abs(s.x[i] - m) })
		return -a/b - float64(s.n)*math.Log(2*b)
	},
	// The Laplace likelihood is not twice differentiable in the location;
	// the expected information (1/b² for both parameters, per observation)
	// gives the standard errors.
	info: func(p []float64, s *sample) [][]float64 {
		v := float64(s.n) / (p[1] * p[1])
		return [][]float64{{v, 0}, {0, v}}
	},
}
