package testgeom

import (
	"math"

	"github.com/syngeom/syngeom/geometry"
)

// LambdaFit is a profile-likelihood estimate of λ: the maximum of a
// profile log-likelihood ℓ(λ) and its 95% likelihood-ratio interval. The
// analyses built on the test (package compare's joint fits, package
// noise's naive estimate) fit λ through it.
type LambdaFit struct {
	OK        bool    // a maximum was found; if not, Status says why
	Status    string  // StatusOK, or why there is no estimate or no bounded interval
	LambdaHat float64 // λ̂
	LogLikMax float64 // ℓ(λ̂)
	// Lo and Hi are the 95% interval's ends: NaN where it is unbounded
	// within |λ| ≤ 10, or when the interval was not asked for.
	Lo, Hi float64
}

func lambdaFitOf(f profileFit) LambdaFit {
	return LambdaFit{OK: f.ok, Status: f.status, LambdaHat: f.lambdaHat, LogLikMax: f.logLikMax, Lo: f.lo, Hi: f.hi}
}

// FitLambda is TestPaired's Gaussian-step profile-likelihood estimate of λ
// on in-memory pairs: the coarse λ grid from a first pass, then the exact
// likelihood; withCI adds the 95% interval. Fewer than MinPairs pairs with
// both weights finite and nonzero give no estimate.
func FitLambda(w0, w1 []float64, workers int, withCI bool) LambdaFit {
	sc := NewScan([]geometry.Potential{}, workers)
	sc.Add(w0, w1)
	p := sc.final()
	if p.compared() < MinPairs {
		return LambdaFit{Status: "too few pairs with both weights nonzero", Lo: math.NaN(), Hi: math.NaN()}
	}
	return lambdaFitOf(fitProfile(p.gridLogLik(), newLikPairs(w0, w1, workerCount(workers)).logLik, withCI))
}

// MaximizeProfile maximises a profile log-likelihood f(λ), such as the sum
// of several data sets' profiles with one shared λ, searching from the
// coarse λ grid of the test; withCI adds the 95% interval. f is called
// often: every call to an exact likelihood is a pass over the data, so
// give one that caches its values (PairLikelihood.LogLik does).
func MaximizeProfile(f func(float64) float64, withCI bool) LambdaFit {
	var grid [profileN]float64
	for k := range grid {
		grid[k] = f(profileLambda(k))
	}
	return lambdaFitOf(fitProfile(grid, f, withCI))
}

// ScaledInterval is the 95% likelihood-ratio interval of the profile f
// whose maximum logLikMax is at lambdaHat, with the cut-off multiplied by
// k ≥ 1: the robust interval for a sandwich-to-model variance ratio k. se
// is CurvatureSE of f at the maximum; an end is NaN where the interval is
// unbounded within |λ| ≤ 10.
func ScaledInterval(f func(float64) float64, lambdaHat, logLikMax, k float64) (lo, hi, se float64) {
	var grid [profileN]float64
	for j := range grid {
		grid[j] = f(profileLambda(j))
	}
	se = CurvatureSE(f, lambdaHat, logLikMax)
	target := logLikMax - k*chi2Crit95Half
	g := func(x float64) float64 { return f(x) - target }
	lo = crossing(grid, g, lambdaHat, -1, target, se*math.Sqrt(k))
	hi = crossing(grid, g, lambdaHat, +1, target, se*math.Sqrt(k))
	return lo, hi, se
}
