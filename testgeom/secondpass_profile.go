package testgeom

import "math"

// LogLik returns the profile log-likelihood ℓ(λ) this pass holds, for
// figures: exact on the coarse λ grid and at the rungs of the fine ladder
// around the pass's λ̂, cubic between the rungs, and NaN elsewhere, where
// only an interpolation of the coarse grid (too coarse to draw) or another
// pass over the data could tell. It reads no data, so a streamed pass and
// one over pairs in memory give the same values.
func (g *SecondPass) LogLik() func(float64) float64 {
	return memoize(g.fineProfile(func(float64) float64 { return math.NaN() }).logLik)
}

// LogLikInterpolated returns the profile log-likelihood this pass holds for
// joint fits (package compare): exact on the coarse λ grid, cubic between
// the rungs of the fine ladder around the pass's own λ̂, and interpolated
// from the coarse grid elsewhere. It reads no data.
func (g *SecondPass) LogLikInterpolated() func(float64) float64 {
	return memoize(g.fineProfile(nil).logLik)
}

// Compared is the number of pairs of the passes in the likelihood: both
// weights finite and nonzero.
func (g *SecondPass) Compared() int { return int(g.p.finite - g.p.zeroPairs) }

// SampleLikelihood is the exact likelihood of the kept subsample (Sample);
// all says the subsample holds every pair of the passes with finite
// values, so that its likelihood is theirs.
func (g *SecondPass) SampleLikelihood() (lik *PairLikelihood, all bool) {
	w0, w1 := g.Sample()
	return NewPairLikelihood(w0, w1, g.scan.workers), g.keptAll()
}

// keptAll reports whether the kept sample holds every pair of the passes
// with finite values (call after finish).
func (g *SecondPass) keptAll() bool { return int64(len(g.sample0)) == g.p.finite }
