package fit

import (
	"math"
	"math/rand/v2"
)

// InverseGaussian is the inverse Gaussian (Wald) law with mean Mean and shape
// Shape as in R's actuar::dinvgauss (scipy: invgauss(mu = mean/shape,
// scale = shape)).
type InverseGaussian struct {
	Mean  float64 // μ > 0
	Shape float64 // λ > 0
}

// LogProb is the log density at x.
func (d InverseGaussian) LogProb(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	r := x - d.Mean
	return 0.5*math.Log(d.Shape) - logSqrt2Pi - 1.5*math.Log(x) - d.Shape*r*r/(2*d.Mean*d.Mean*x)
}

// Prob is the density at x.
func (d InverseGaussian) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// logTails: F = Φ(a) + e^{2λ/μ} Φ(−b), S = Φ(−a) − e^{2λ/μ} Φ(−b), with
// a = √(λ/x)(x/μ − 1), b = √(λ/x)(x/μ + 1), both terms kept in log space
// (e^{2λ/μ} alone overflows for large shapes).
func (d InverseGaussian) logTails(x float64) (float64, float64) {
	if lf, ls, edge := positiveEdge(x); edge {
		return lf, ls
	}
	r := math.Sqrt(d.Shape / x)
	a := r * (x/d.Mean - 1)
	b := r * (x/d.Mean + 1)
	second := 2*d.Shape/d.Mean + NormalLogCDF(-b)
	logF := logSumExp(NormalLogCDF(a), second)
	la := NormalLogCDF(-a)
	var logS float64
	if second >= la {
		logS = math.Inf(-1) // rounding; the true survival is below float64 resolution here
	} else {
		logS = logDiffExp(la, second)
	}
	if logF > 0 {
		logF = 0
	}
	return logF, logS
}

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d InverseGaussian) LogCDF(x float64) float64 { f, _ := d.logTails(x); return f }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d InverseGaussian) LogSurvival(x float64) float64 { _, s := d.logTails(x); return s }

// CDF is P(X ≤ x).
func (d InverseGaussian) CDF(x float64) float64 { return math.Exp(d.LogCDF(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d InverseGaussian) Survival(x float64) float64 { return math.Exp(d.LogSurvival(x)) }

// Quantile is the inverse of CDF at p; see Distribution.
func (d InverseGaussian) Quantile(p float64) float64 {
	return quantileSearch(d.CDF, p, d.Mean, true)
}

// Rand uses the transformation with multiple roots of Michael, Schucany and
// Haas (1976).
func (d InverseGaussian) Rand(r *rand.Rand) float64 {
	mu, lam := d.Mean, d.Shape
	z := r.NormFloat64()
	y := z * z
	x := mu + mu*mu*y/(2*lam) - mu/(2*lam)*math.Sqrt(4*mu*lam*y+mu*mu*y*y)
	if r.Float64() <= mu/(mu+x) {
		return x
	}
	return mu * mu / x
}

// NumParameters is the number of free parameters.
func (InverseGaussian) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d InverseGaussian) Params() []Param { return []Param{{"mean", d.Mean}, {"shape", d.Shape}} }

// InverseGaussianFamily is the inverse Gaussian family (actuar's
// dinvgauss): closed form.
func InverseGaussianFamily() *Family { return inverseGaussianFamily }

// inverseGaussianFamily is the descriptor InverseGaussianFamily returns,
// unexported so that no caller can replace it.
var inverseGaussianFamily = &Family{
	Name: "invgauss", ParamNames: []string{"mean", "shape"}, Positive: true, Method: "closed form",
	aliases:  []string{"inversegaussian", "inverse-gaussian", "wald"},
	usesLogs: true,
	kinds:    []paramKind{kindPosScale, kindLog},
	build:    func(p []float64) Distribution { return InverseGaussian{p[0], p[1]} },
	mle: func(_ *Family, s *sample) ([]float64, error) {
		v := s.invGaussInvShape()
		if v == 0 {
			return nil, errConstant
		}
		return []float64{s.mean, 1 / v}, nil
	},
	loglik: func(p []float64, s *sample) float64 {
		mu, lam, n := p[0], p[1], float64(s.n)
		q := s.sumFn(func(i int) float64 { r := (s.x[i] - mu) / mu; return r * r * (mu / s.x[i]) })
		return 0.5*n*math.Log(lam) - n*logSqrt2Pi - 1.5*s.sumLog - lam*q/(2*mu)
	},
	info: func(p []float64, s *sample) [][]float64 {
		mu, lam, n, xb := p[0], p[1], float64(s.n), s.mean
		c := n * (xb/(mu*mu*mu) - 1/(mu*mu))
		return [][]float64{
			{lam * (3*n*xb/(mu*mu*mu*mu) - 2*n/(mu*mu*mu)), -c},
			{-c, n / (2 * lam * lam)},
		}
	},
}

// invGaussInvShape is 1/λ̂ of the inverse Gaussian,
// (1/n) Σ (x − x̄)²/(x x̄²): a sum of positive terms, so no cancellation even
// for nearly constant data.
func (s *sample) invGaussInvShape() float64 {
	x, m := s.x, s.mean
	r := reduce(s.n, s.workers, 1, func(lo, hi int, acc []float64) {
		for i := lo; i < hi; i++ {
			d := (x[i] - m) / m
			acc[0] += d * d * (m / x[i])
		}
	})
	return r[0] / (float64(s.n) * m)
}
