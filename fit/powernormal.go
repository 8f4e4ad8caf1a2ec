package fit

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

// PowerNormal is the power-normal (Box–Cox normal) law of Freeman and
// Modarres (2006): the Box–Cox transform y = (x^λ − 1)/λ (log x at λ = 0)
// of the weight is normal with mean Mu and standard deviation Sigma,
// truncated to the range the transform can reach (y > −1/λ for λ > 0,
// y < −1/λ for λ < 0). The density is the exact truncated one,
//
//	f(x) = x^(λ−1) φ((y − μ)/σ) / (σ K),  K = Φ((1 + λμ)/(|λ|σ)),
//
// so CDF, quantile and random draws are consistent with the likelihood.
// K is 1 to within rounding whenever the normal puts negligible mass beyond
// the boundary (the usual case), where the law equals the textbook Box–Cox
// model that ignores the truncation. Lambda = 0 is the log-normal law.
type PowerNormal struct{ Lambda, Mu, Sigma float64 }

// boxCox is (x^λ − 1)/λ from log x, accurate for λ near 0.
func boxCox(lambda, logx float64) float64 {
	if lambda == 0 {
		return logx
	}
	return math.Expm1(lambda*logx) / lambda
}

// bound is the standardised boundary of the transform's range.
func (d PowerNormal) bound() float64 { return (-1/d.Lambda - d.Mu) / d.Sigma }

// logK is the log of the normal mass inside the transform's range.
func (d PowerNormal) logK() float64 {
	if d.Lambda == 0 {
		return 0
	}
	return NormalLogCDF((1 + d.Lambda*d.Mu) / (math.Abs(d.Lambda) * d.Sigma))
}

func (d PowerNormal) z(x float64) float64 {
	return (boxCox(d.Lambda, math.Log(x)) - d.Mu) / d.Sigma
}

// LogProb is the log density at x.
func (d PowerNormal) LogProb(x float64) float64 {
	if x <= 0 || math.IsInf(x, 1) {
		return math.Inf(-1)
	}
	lx := math.Log(x)
	z := (boxCox(d.Lambda, lx) - d.Mu) / d.Sigma
	return -0.5*z*z - math.Log(d.Sigma) - logSqrt2Pi + (d.Lambda-1)*lx - d.logK()
}

// Prob is the density at x.
func (d PowerNormal) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

func (d PowerNormal) logTails(x float64) (float64, float64) {
	if lf, ls, edge := positiveEdge(x); edge {
		return lf, ls
	}
	z := d.z(x)
	lk := d.logK()
	switch {
	case d.Lambda == 0:
		return NormalLogCDF(z), NormalLogSurvival(z)
	case d.Lambda > 0:
		// z − z0 = x^λ/(λσ) exactly, which keeps the mass between the
		// boundary and z accurate when it is tiny.
		z0 := d.bound()
		lf := logNormalMass(z0, z, math.Exp(d.Lambda*math.Log(x))/(d.Lambda*d.Sigma))
		return math.Min(lf-lk, 0), math.Min(NormalLogSurvival(z)-lk, 0)
	}
	// z1 − z = x^λ/(|λ|σ); by symmetry Φ(z1) − Φ(z) = mass(−z1, z1 − z).
	z1 := d.bound()
	ls := logNormalMass(-z1, -z, math.Exp(d.Lambda*math.Log(x))/(-d.Lambda*d.Sigma))
	return math.Min(NormalLogCDF(z)-lk, 0), math.Min(ls-lk, 0)
}

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d PowerNormal) LogCDF(x float64) float64 { f, _ := d.logTails(x); return f }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d PowerNormal) LogSurvival(x float64) float64 { _, s := d.logTails(x); return s }

// CDF is P(X ≤ x).
func (d PowerNormal) CDF(x float64) float64 { return math.Exp(d.LogCDF(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d PowerNormal) Survival(x float64) float64 { return math.Exp(d.LogSurvival(x)) }

// fromZ maps a standardised Box–Cox value back to the weight.
func (d PowerNormal) fromZ(z float64) float64 {
	y := d.Mu + d.Sigma*z
	if d.Lambda == 0 {
		return math.Exp(y)
	}
	return math.Exp(math.Log1p(d.Lambda*y) / d.Lambda)
}

// Quantile is the inverse of CDF at p; see Distribution.
func (d PowerNormal) Quantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return 0
	case p == 1:
		return math.Inf(1)
	}
	k := math.Exp(d.logK())
	var z float64
	switch {
	case d.Lambda == 0:
		z = mathext.NormalQuantile(p)
	case d.Lambda > 0:
		lower := NormalCDF(d.bound()) + p*k
		if lower < 0.5 {
			// Adding p·K to Φ(z0) loses the low digits of small p; Newton
			// steps on log F restore them.
			z = mathext.NormalQuantile(lower)
			return polishQuantile(d, p, d.fromZ(z))
		} else {
			z = -mathext.NormalQuantile((1 - p) * k)
		}
	default:
		z = mathext.NormalQuantile(p * k)
	}
	return d.fromZ(z)
}

// Rand draws by rejection from the untruncated normal, which accepts with
// probability K (near 1 in practice), and falls back to inversion when K is
// small.
func (d PowerNormal) Rand(r *rand.Rand) float64 {
	if d.Lambda != 0 && d.logK() > math.Log(0.5) {
		zb := d.bound()
		for {
			z := r.NormFloat64()
			if (d.Lambda > 0 && z > zb) || (d.Lambda < 0 && z < zb) {
				return d.fromZ(z)
			}
		}
	}
	if d.Lambda == 0 {
		return d.fromZ(r.NormFloat64())
	}
	u := r.Float64()
	for u == 0 {
		u = r.Float64()
	}
	return d.Quantile(u)
}

// NumParameters is the number of free parameters.
func (PowerNormal) NumParameters() int { return 3 }

// Params are the parameters with R's names, in the family's order.
func (d PowerNormal) Params() []Param {
	return []Param{{"lambda", d.Lambda}, {"mu", d.Mu}, {"sigma", d.Sigma}}
}

// polishQuantile refines an approximate quantile x of a positive law by
// Newton steps on log F(x) − log p in log x.
func polishQuantile(d Distribution, p, x float64) float64 {
	lp := math.Log(p)
	for i := 0; i < 4 && x > 0 && !math.IsInf(x, 0); i++ {
		lf := d.LogCDF(x)
		slope := math.Exp(math.Log(x) + d.LogProb(x) - lf)
		if !(slope > 0) || math.IsInf(slope, 0) {
			break
		}
		step := (lf - lp) / slope
		if math.Abs(step) > 1 {
			break
		}
		x *= math.Exp(-step)
		if math.Abs(step) < 1e-15 {
			break
		}
	}
	return x
}

// logNormalMass is log(Φ(b) − Φ(a)) for b = a + h > a, with h given
// separately because it is known more accurately than b − a. When the interval is
// short on the scale of the density's variation it integrates φ directly
// (16-point Gauss–Legendre on e^{−(a u + u²/2)}), so the result keeps full
// relative accuracy however small h is; otherwise it subtracts tails on the
// side where they are small.
func logNormalMass(a, b, h float64) float64 {
	if !(h > 0) {
		return math.Inf(-1)
	}
	if h*math.Max(1, math.Abs(a)+h) < 0.5 {
		v := quad.Fixed(func(u float64) float64 { return math.Exp(-(a*u + u*u/2)) }, 0, h, 16, quad.Legendre{}, 1)
		return -0.5*a*a - logSqrt2Pi + math.Log(v)
	}
	if a > 0 {
		return logDiffExp(NormalLogSurvival(a), NormalLogSurvival(b))
	}
	return logDiffExp(NormalLogCDF(b), NormalLogCDF(a))
}
