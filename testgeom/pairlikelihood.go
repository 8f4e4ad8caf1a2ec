package testgeom

import "math"

// PairLikelihood is TestPaired's exact profile log-likelihood ℓ(λ) of
// in-memory pairs under Gaussian dual steps, Jacobian included, with what
// joint fits of several data sets need (package compare). LogLik caches
// its values, since the searches revisit points; a PairLikelihood is not
// safe for concurrent use.
type PairLikelihood struct {
	w0, w1 []float64
	lik    *likPairs
	n      int
	logLik func(float64) float64
}

// NewPairLikelihood reduces the pairs (w0[i], w1[i]) to what ℓ(λ) needs;
// the pairs with both weights finite and nonzero are in the likelihood.
// workers ≤ 0 uses GOMAXPROCS; the values do not depend on it. The slices
// must not be modified while the PairLikelihood is in use.
func NewPairLikelihood(w0, w1 []float64, workers int) *PairLikelihood {
	lp := newLikPairs(w0, w1, workerCount(workers))
	p := &PairLikelihood{w0: w0, w1: w1, lik: lp, logLik: memoize(lp.logLik)}
	for _, c := range lp.code {
		if c != 0 {
			p.n++
		}
	}
	return p
}

// N is the number of pairs in the likelihood.
func (p *PairLikelihood) N() int { return p.n }

// LogLik is ℓ(λ): −∞ for λ ≤ 0 when a pair changes sign, NaN with fewer
// than two pairs or no spread.
func (p *PairLikelihood) LogLik(lambda float64) float64 { return p.logLik(lambda) }

// SumLogW1 is Σ log|w1| over the pairs in the likelihood: ℓ(λ) holds
// (λ − 1) times it (the Jacobian), so the profiled step variance is
// σ̂²(λ) = exp(−2(ℓ(λ) − (λ − 1)·SumLogW1)/N − 1)/(2π).
func (p *PairLikelihood) SumLogW1() float64 { return p.lik.sumL1 }

// Shift is the number, mean and standard deviation (divisor n, the
// likelihood's σ̂) of the Box–Cox steps u_λ(w1) − u_λ(w0) at λ; 0 and NaN
// where ℓ(λ) is impossible or no pair is in the likelihood.
func (p *PairLikelihood) Shift(lambda float64) (n int, mean, sd float64) {
	if lambda <= 0 && p.lik.flips > 0 {
		return 0, math.NaN(), math.NaN()
	}
	m := p.lik.shiftMoments(lambda)
	if m.n == 0 {
		return 0, math.NaN(), math.NaN()
	}
	return int(m.n), m.mean, math.Sqrt(m.m2 / float64(m.n))
}

// SandwichScale is the sandwich-to-model variance ratio k of λ̂ at
// lambdaHat (se its model standard error, CurvatureSE), as TestPaired's
// robust interval computes it; with clusters (indexed as the pairs) the
// scores are summed per cluster. NaN when it cannot be computed.
func (p *PairLikelihood) SandwichScale(clusters []int32, lambdaHat, se float64) float64 {
	return scaleInMemory(p.w0, p.w1, clusters, lambdaHat, se)
}

// StudentT is the profile log-likelihood of the same pairs under Student-t
// dual steps (StepModels), its location, scale and ν fitted at each λ.
func (p *PairLikelihood) StudentT() *StudentTLikelihood {
	ts := newTSteps(p.lik)
	return &StudentTLikelihood{ts: ts, logLik: memoize(ts.logLik)}
}

// StudentTLikelihood is ℓ_t(λ), the profile log-likelihood of pairs under
// Student-t dual steps, Jacobian included. Each evaluation is a fit that
// starts from the previous one, so the values can depend on the order of
// the calls in the last digits; LogLik caches them. It is not safe for
// concurrent use.
type StudentTLikelihood struct {
	ts     *tSteps
	logLik func(float64) float64
}

// LogLik is ℓ_t(λ): −∞ for λ ≤ 0 when a pair changes sign.
func (t *StudentTLikelihood) LogLik(lambda float64) float64 { return t.logLik(lambda) }

// Shift is the number of steps and the fitted location and scale of the
// Student-t steps at λ; 0 and NaN when the fit fails.
func (t *StudentTLikelihood) Shift(lambda float64) (n int, location, scale float64) {
	f := t.ts.fitAt(lambda)
	if !finite(f.ll) {
		return 0, math.NaN(), math.NaN()
	}
	return len(t.ts.idx), f.mu, math.Exp(f.s)
}

// SandwichScale is the sandwich-to-model variance ratio of the Student-t
// λ̂ at lambdaHat, the scores summed per cluster when clusters (indexed as
// the pairs) are given; NaN when it cannot be computed.
func (t *StudentTLikelihood) SandwichScale(clusters []int32, lambdaHat float64) float64 {
	return t.ts.sandwichScale(lambdaHat, clusters)
}
