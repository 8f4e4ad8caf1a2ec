package compare

import (
	"math"

	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/testgeom"
	"gonum.org/v1/gonum/stat/distuv"
)

// pairSet is one data set's likelihood, with what joint fits need: ℓ(λ)
// and the profiled σ̂²(λ), recovered from ℓ.
type pairSet struct {
	lik *testgeom.PairLikelihood
	n   int
	f   func(float64) float64 // ℓ, its values cached
}

func newPairSet(lik *testgeom.PairLikelihood) *pairSet {
	return &pairSet{lik: lik, n: lik.N(), f: lik.LogLik}
}

// variance is σ̂²(λ), from ℓ = −(n/2)(log 2πσ̂² + 1) + (λ − 1)Σ log|w1|.
func (s *pairSet) variance(lambda float64) float64 {
	l := s.f(lambda)
	n := float64(s.n)
	return math.Exp(-2*(l-(lambda-1)*s.lik.SumLogW1())/n-1) / (2 * math.Pi)
}

// fitSum maximises Σ_k f_k(λ) over λ, with its 95% LR interval.
func fitSum(fs []func(float64) float64, withCI bool) testgeom.LambdaFit {
	return testgeom.MaximizeProfile(sum(fs), withCI)
}

// sum is Σ_k f_k(λ): the profile of data sets that share λ.
func sum(fs []func(float64) float64) func(float64) float64 {
	return func(x float64) float64 {
		var s float64
		for _, g := range fs {
			s += g(x)
		}
		return s
	}
}

// chi2Survival is P(χ²_k > x).
func chi2Survival(x float64, k int) float64 {
	return distuv.ChiSquared{K: float64(k)}.Survival(x)
}

// stoppable is f returning −∞ at once after stop says so: a cancelled fit
// then ends in a few cheap evaluations, and its caller discards it.
func stoppable(f func(float64) float64, stop func() bool) func(float64) float64 {
	return func(x float64) float64 {
		if stop() {
			return math.Inf(-1)
		}
		return f(x)
	}
}

// inputError marks errors caused by the data or the call (inputerr.Is).
type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return inputerr.Is(target) }
