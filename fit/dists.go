package fit

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Normal is the normal law with mean Mean and standard deviation SD.
type Normal struct{ Mean, SD float64 }

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

// LogNormal is the law of e^Y for Y normal with mean MeanLog and standard
// deviation SDLog (R's meanlog, sdlog).
type LogNormal struct{ MeanLog, SDLog float64 }

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

// logOf is log x, −Inf for every x ≤ 0 (the CDF is 0 there).
func logOf(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	return math.Log(x)
}

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

// Gamma is the gamma law with shape Shape and rate Rate (R's dgamma(shape,
// rate); scipy's gamma(a = shape, scale = 1/rate)).
type Gamma struct{ Shape, Rate float64 }

// LogProb is the log density at x.
func (d Gamma) LogProb(x float64) float64 {
	switch {
	case x < 0:
		return math.Inf(-1)
	case x == 0:
		return logDensityAtZero(d.Shape, math.Log(d.Rate))
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

// logDensityAtZero is the log density at 0 of the gamma and Weibull laws,
// which behave like x^(shape−1) there: +Inf below shape 1, −Inf above, and
// at shape 1 log λ, the log density at 0 of the exponential law of rate λ.
func logDensityAtZero(shape, logRate float64) float64 {
	switch {
	case shape < 1:
		return math.Inf(1)
	case shape == 1:
		return logRate
	}
	return math.Inf(-1)
}

// Weibull is the Weibull law with shape Shape and scale Scale
// (R's dweibull; scipy's weibull_min(c = shape, scale)).
type Weibull struct{ Shape, Scale float64 }

// LogProb is the log density at x.
func (d Weibull) LogProb(x float64) float64 {
	switch {
	case x < 0:
		return math.Inf(-1)
	case x == 0:
		return logDensityAtZero(d.Shape, -math.Log(d.Scale))
	}
	lz := math.Log(x / d.Scale)
	return math.Log(d.Shape/d.Scale) + (d.Shape-1)*lz - math.Exp(d.Shape*lz)
}

// Prob is the density at x.
func (d Weibull) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }
func (d Weibull) t(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return math.Exp(d.Shape * math.Log(x/d.Scale))
}

// CDF is P(X ≤ x).
func (d Weibull) CDF(x float64) float64 { return -math.Expm1(-d.t(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d Weibull) Survival(x float64) float64 { return math.Exp(-d.t(x)) }

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d Weibull) LogCDF(x float64) float64 { return math.Log(-math.Expm1(-d.t(x))) }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d Weibull) LogSurvival(x float64) float64 { return -d.t(x) }

// Quantile is the inverse of CDF at p; see Distribution.
func (d Weibull) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	return d.Scale * math.Pow(-math.Log1p(-p), 1/d.Shape)
}

// Rand draws one value using r.
func (d Weibull) Rand(r *rand.Rand) float64 {
	return d.Scale * math.Pow(r.ExpFloat64(), 1/d.Shape)
}

// NumParameters is the number of free parameters.
func (Weibull) NumParameters() int { return 2 }

// Params are the parameters with R's names, in the family's order.
func (d Weibull) Params() []Param { return []Param{{"shape", d.Shape}, {"scale", d.Scale}} }

// Exponential is the exponential law with rate Rate.
type Exponential struct{ Rate float64 }

// LogProb is the log density at x.
func (d Exponential) LogProb(x float64) float64 {
	if x < 0 {
		return math.Inf(-1)
	}
	return math.Log(d.Rate) - d.Rate*x
}

// Prob is the density at x.
func (d Exponential) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }
func (d Exponential) t(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return d.Rate * x
}

// CDF is P(X ≤ x).
func (d Exponential) CDF(x float64) float64 { return -math.Expm1(-d.t(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d Exponential) Survival(x float64) float64 { return math.Exp(-d.t(x)) }

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d Exponential) LogCDF(x float64) float64 { return math.Log(-math.Expm1(-d.t(x))) }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d Exponential) LogSurvival(x float64) float64 { return -d.t(x) }

// Quantile is the inverse of CDF at p; see Distribution.
func (d Exponential) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	return -math.Log1p(-p) / d.Rate
}

// Rand draws one value using r.
func (d Exponential) Rand(r *rand.Rand) float64 { return r.ExpFloat64() / d.Rate }

// NumParameters is the number of free parameters.
func (Exponential) NumParameters() int { return 1 }

// Params are the parameters with R's names, in the family's order.
func (d Exponential) Params() []Param { return []Param{{"rate", d.Rate}} }

// LogLogistic is the log-logistic law with shape Shape and scale Scale as in
// R's actuar::dllogis: F(x) = u/(1+u), u = (x/scale)^shape (scipy's fisk).
type LogLogistic struct{ Shape, Scale float64 }

func (d LogLogistic) t(x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	return d.Shape * math.Log(x/d.Scale)
}

// LogProb is the log density at x.
func (d LogLogistic) LogProb(x float64) float64 {
	if x <= 0 {
		if x == 0 && d.Shape < 1 {
			return math.Inf(1)
		}
		if x == 0 && d.Shape == 1 {
			return -math.Log(d.Scale)
		}
		return math.Inf(-1)
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

// InverseGaussian is the inverse Gaussian (Wald) law with mean Mean and shape
// Shape as in R's actuar::dinvgauss (scipy: invgauss(mu = mean/shape,
// scale = shape)).
type InverseGaussian struct{ Mean, Shape float64 }

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

// StudentT is Student's t law with location Location, scale Scale and DF
// degrees of freedom (scipy's t(df, loc, scale)).
type StudentT struct{ Location, Scale, DF float64 }

// LogProb is the log density at x.
func (d StudentT) LogProb(x float64) float64 {
	z := (x - d.Location) / d.Scale
	nu := d.DF
	a, _ := math.Lgamma((nu + 1) / 2)
	b, _ := math.Lgamma(nu / 2)
	return a - b - 0.5*(math.Log(nu)+logPi) - math.Log(d.Scale) - (nu+1)/2*math.Log1p(z*z/nu)
}

// Prob is the density at x.
func (d StudentT) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// lowerTail is P(T < −|z|) = ½ I_{ν/(ν+z²)}(ν/2, ½).
func (d StudentT) lowerTail(z float64) float64 {
	if math.IsInf(z, 0) {
		return 0
	}
	z2 := z * z
	if z2 < d.DF {
		// I_x(a, b) = 1 − I_{1−x}(b, a): better when x is near 1.
		return 0.5 * (1 - mathext.RegIncBeta(0.5, d.DF/2, z2/(d.DF+z2)))
	}
	return 0.5 * mathext.RegIncBeta(d.DF/2, 0.5, d.DF/(d.DF+z2))
}
func (d StudentT) logTails(x float64) (float64, float64) {
	z := (x - d.Location) / d.Scale
	t := d.lowerTail(z)
	if z < 0 {
		return math.Log(t), math.Log1p(-t)
	}
	return math.Log1p(-t), math.Log(t)
}

// CDF is P(X ≤ x).
func (d StudentT) CDF(x float64) float64 {
	z := (x - d.Location) / d.Scale
	if z < 0 {
		return d.lowerTail(z)
	}
	return 1 - d.lowerTail(z)
}

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d StudentT) Survival(x float64) float64 {
	return StudentT{-d.Location, d.Scale, d.DF}.CDF(-x)
}

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d StudentT) LogCDF(x float64) float64 { f, _ := d.logTails(x); return f }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d StudentT) LogSurvival(x float64) float64 { _, s := d.logTails(x); return s }

// Quantile is the inverse of CDF at p; see Distribution.
func (d StudentT) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: d.Location, Sigma: d.Scale, Nu: d.DF}.Quantile(p)
}

// Rand draws one value using r.
func (d StudentT) Rand(r *rand.Rand) float64 {
	return distuv.StudentsT{Mu: d.Location, Sigma: d.Scale, Nu: d.DF, Src: r}.Rand()
}

// NumParameters is the number of free parameters.
func (StudentT) NumParameters() int { return 3 }

// Params are the parameters with R's names, in the family's order.
func (d StudentT) Params() []Param {
	return []Param{{"location", d.Location}, {"scale", d.Scale}, {"df", d.DF}}
}

// Laplace is the double-exponential law with location Location and scale
// Scale (density e^{−|x−location|/scale} / (2 scale)).
type Laplace struct{ Location, Scale float64 }

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

// Logistic is the logistic law with location Location and scale Scale (R's
// dlogis).
type Logistic struct{ Location, Scale float64 }

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
