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
	return AndersonDarlingTails(len(sorted), func(j int) (float64, float64) { return logCDF(sorted[j]), logSurvival(sorted[j]) })
}

// AndersonDarlingNormal is AndersonDarling of (x − mean)/sd against the
// standard normal for sorted x, to the bit, with one erfc per point for
// both tails instead of one for each (the diagnostics run it on 10^5
// values for each of 21 candidates).
func AndersonDarlingNormal(sorted []float64, mean, sd float64) float64 {
	return AndersonDarlingTails(len(sorted), func(j int) (float64, float64) { return normalLogTailsAD((sorted[j] - mean) / sd) })
}

// AndersonDarlingTails is A² of n sorted points from tails(j) = (log F,
// log S) at the j-th, for callers that have the tails' logs at hand (the
// paired test's diagnostics take them in blocks); NaN for n = 0.
// Σ_i (2i−1) log S(x_{n+1−i}) = Σ_j (2n+1−2j) log S(x_j): one pass, no
// reversed index.
func AndersonDarlingTails(n int, tails func(j int) (logF, logS float64)) float64 {
	if n == 0 {
		return math.NaN()
	}
	s := 0.0
	for j := range n {
		i := float64(j + 1)
		lc, ls := tails(j)
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
