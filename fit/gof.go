package fit

import (
	"math"
)

// The goodness-of-fit statistics below take the sample sorted in increasing
// order and the model's (log) distribution functions. They follow the
// definitions used by R's fitdistrplus::gofstat:
//
//	KS   D  = max_i max(i/n − F(x_i), F(x_i) − (i−1)/n)
//	CvM  W² = 1/(12n) + Σ (F(x_i) − (2i−1)/(2n))²
//	AD   A² = −n − (1/n) Σ (2i−1) [log F(x_i) + log S(x_{n+1−i})]

// KS returns the one-sample Kolmogorov–Smirnov statistic of sorted against
// the distribution function cdf. It returns NaN for an empty sample.
func KS(sorted []float64, cdf func(float64) float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	fn := float64(n)
	d := 0.0
	for i, x := range sorted {
		f := cdf(x)
		if up := float64(i+1)/fn - f; up > d {
			d = up
		}
		if lo := f - float64(i)/fn; lo > d {
			d = lo
		}
	}
	return d
}

// CramerVonMises returns the Cramér–von Mises statistic W² of sorted against
// the distribution function cdf. It returns NaN for an empty sample.
func CramerVonMises(sorted []float64, cdf func(float64) float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	fn := float64(n)
	s := 1 / (12 * fn)
	for i, x := range sorted {
		d := cdf(x) - float64(2*i+1)/(2*fn)
		s += d * d
	}
	return s
}

// AndersonDarling returns the Anderson–Darling statistic A² of sorted
// against a distribution given by its log-CDF and log-survival functions.
// Taking logarithms of both tails directly (instead of log(1 − F)) keeps the
// statistic exact when points fall far in the upper tail. A point where the
// model gives probability zero to one side (log F or log S = −Inf) makes A²
// +Inf: the model is impossible for the sample. It returns NaN for an empty
// sample.
func AndersonDarling(sorted []float64, logCDF, logSurvival func(float64) float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	// Σ_i (2i−1) log S(x_{n+1−i}) = Σ_j (2n+1−2j) log S(x_j): one pass, no
	// reversed index.
	s := 0.0
	for j, x := range sorted {
		i := float64(j + 1)
		s += (2*i-1)*logCDF(x) + (2*float64(n)+1-2*i)*logSurvival(x)
	}
	return -float64(n) - s/float64(n)
}

// AndersonDarlingNormal is AndersonDarling of (x − mean)/sd against the
// standard normal for sorted x, to the bit, with one erfc per point for
// both tails instead of one for each (the diagnostics run it on 10^5
// values for each of 21 candidates).
func AndersonDarlingNormal(sorted []float64, mean, sd float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	s := 0.0
	for j, x := range sorted {
		i := float64(j + 1)
		lc, ls := normalLogTailsAD((x - mean) / sd)
		s += (2*i-1)*lc + (2*float64(n)+1-2*i)*ls
	}
	return -float64(n) - s/float64(n)
}

// normalLogTailsAD is (NormalLogCDF(z), NormalLogSurvival(z)) to the bit:
// within (−20, 20) both take the same erfc, and outside it, at 0 (where
// NormalLogCDF uses log and not log1p) and for NaN it calls them.
func normalLogTailsAD(z float64) (float64, float64) {
	switch {
	case z > -20 && z < 0:
		f := 0.5 * math.Erfc(-z/math.Sqrt2)
		return math.Log(f), math.Log1p(-f)
	case z > 0 && z < 20:
		s := 0.5 * math.Erfc(z/math.Sqrt2)
		return math.Log1p(-s), math.Log(s)
	}
	return NormalLogCDF(z), NormalLogSurvival(z)
}

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
