package fit

import (
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Gamma is the gamma law with shape Shape and rate Rate (R's dgamma(shape,
// rate); scipy's gamma(a = shape, scale = 1/rate)).
type Gamma struct {
	Shape float64 // a > 0
	Rate  float64 // b > 0, 1/scale
}

// LogProb is the log density at x.
func (d Gamma) LogProb(x float64) float64 {
	if x <= 0 {
		return logDensityNonPositive(x, d.Shape, math.Log(d.Rate))
	}
	lg, _ := math.Lgamma(d.Shape)
	return d.Shape*math.Log(d.Rate) - lg + (d.Shape-1)*math.Log(x) - d.Rate*x
}

// Prob is the density at x.
func (d Gamma) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// CDF is P(X ≤ x).
func (d Gamma) CDF(x float64) float64 {
	if lf, _, edge := positiveEdge(x); edge {
		return math.Exp(lf)
	}
	return mathext.GammaIncReg(d.Shape, d.Rate*x)
}

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d Gamma) Survival(x float64) float64 {
	if _, ls, edge := positiveEdge(x); edge {
		return math.Exp(ls)
	}
	return mathext.GammaIncRegComp(d.Shape, d.Rate*x)
}
func (d Gamma) logTails(x float64) (float64, float64) {
	if lf, ls, edge := positiveEdge(x); edge {
		return lf, ls
	}
	// Start from the tail the point is likely in (the median is near the
	// shape), so that one incomplete-gamma evaluation usually suffices: the
	// smaller tail directly, the other by log1p.
	t := d.Rate * x
	if t < d.Shape {
		f := mathext.GammaIncReg(d.Shape, t)
		if f < 0.5 {
			return math.Log(f), math.Log1p(-f)
		}
	}
	s := mathext.GammaIncRegComp(d.Shape, t)
	if s < 0.5 {
		return math.Log1p(-s), math.Log(s)
	}
	f := mathext.GammaIncReg(d.Shape, t)
	return math.Log(f), math.Log1p(-f)
}

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d Gamma) LogCDF(x float64) float64 { f, _ := d.logTails(x); return f }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d Gamma) LogSurvival(x float64) float64 { _, s := d.logTails(x); return s }

// Quantile uses gonum's inverse incomplete gamma function and, where that
// loses the lower tail of small shapes (it returns 0), bisection.
func (d Gamma) Quantile(p float64) float64 {
	if math.IsNaN(p) || p <= 0 || p >= 1 {
		return quantileSearch(d.CDF, p, 1, true)
	}
	q := mathext.GammaIncRegInv(d.Shape, p) / d.Rate
	if q > 0 && !math.IsInf(q, 0) && math.Abs(d.CDF(q)-p) <= 1e-12*p {
		return q
	}
	start := q
	if !(q > 0) || math.IsInf(q, 0) {
		lg, _ := math.Lgamma(d.Shape + 1)
		start = math.Exp((math.Log(p)+lg)/d.Shape) / d.Rate
	}
	return quantileSearch(d.CDF, p, start, true)
}

// Rand draws one value using r.
func (d Gamma) Rand(r *rand.Rand) float64 {
	return distuv.Gamma{Alpha: d.Shape, Beta: d.Rate, Src: r}.Rand()
}

// NumParameters is the number of free parameters.
func (Gamma) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d Gamma) Params() []Param { return []Param{{"shape", d.Shape}, {"rate", d.Rate}} }

// GammaFamily is the gamma family (R's dgamma(shape, rate)): Newton's
// method on the profile score, from sufficient statistics. Its shape 1 is
// the exponential family.
func GammaFamily() *Family { return gammaFamily }

// gammaFamily is the descriptor GammaFamily returns, unexported so that no
// caller can replace it.
var gammaFamily = &Family{
	Name: "gamma", ParamNames: []string{"shape", "rate"}, Positive: true,
	Method:   "Newton on the profile score from sufficient statistics",
	usesLogs: true,
	kinds:    []paramKind{kindLog, kindLog},
	build:    func(p []float64) Distribution { return Gamma{p[0], p[1]} },
	mle:      func(_ *Family, s *sample) ([]float64, error) { return gammaMLE(s) },
	loglik:   gammaLogLik,
	summary:  gammaLogLik,
	info: func(p []float64, s *sample) [][]float64 {
		a, b, n := p[0], p[1], float64(s.n)
		return [][]float64{{n * trigamma(a), -n / b}, {-n / b, n * a / (b * b)}}
	},
	nests: exponentialFamily, nestNull: "gamma shape = 1",
}

// gammaLogLik needs only n, the mean and Σ log x.
func gammaLogLik(p []float64, s *sample) float64 {
	a, b, n := p[0], p[1], float64(s.n)
	lg, _ := math.Lgamma(a)
	return n*(a*math.Log(b)-lg) + (a-1)*s.sumLog - b*n*s.mean
}

// gammaMLE solves log a − ψ(a) = log(mean) − mean(log x) by Newton's method
// on log a from Minka's closed-form start; the rate is then shape/mean.
func gammaMLE(s *sample) ([]float64, error) {
	c := math.Log(s.mean) - s.meanLog
	if !(c > 0) || s.sdLog == 0 {
		return nil, errConstant
	}
	a := (3 - c + math.Sqrt((c-3)*(c-3)+24*c)) / (12 * c)
	for i := 0; i < 100; i++ {
		// g(a) = log a − ψ(a) − c is decreasing and convex in a; Newton in
		// log a converges from either side.
		g := math.Log(a) - mathext.Digamma(a) - c
		dg := 1/a - trigamma(a) // derivative in a
		step := g / (dg * a)    // Newton step in log a
		step = math.Max(math.Min(step, 1), -1)
		a *= math.Exp(-step)
		if math.Abs(step) < 1e-15 {
			break
		}
	}
	if math.IsNaN(a) || math.IsInf(a, 0) || a <= 0 {
		return nil, errors.New("the shape equation has no finite root")
	}
	return []float64{a, a / s.mean}, nil
}
