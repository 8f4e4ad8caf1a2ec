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

// ShiftInterpolated returns the number, mean and standard deviation
// (divisor n) of the Box–Cox steps u_λ(w1) − u_λ(w0) of every pair of the
// passes at λ, as PairLikelihood.Shift gives them for pairs in memory, from
// the moments the passes hold: exact on the coarse λ grid and at the rungs
// of the fine ladder, cubic between the rungs of the fine ladder and, outside
// it, between those of the grid; 0 and NaN where ℓ(λ) is impossible or
// outside the grid. It reads no data. Both moments are smooth in λ: the
// cubics are within about 1e-11 of the sd between fine rungs and 3e-6
// between grid rungs (TestShiftInterpolated), where a subsample of 10^5
// pairs would be off by its sampling error, about 2e-3.
func (g *SecondPass) ShiftInterpolated() func(lambda float64) (n int, mean, sd float64) {
	g.finish()
	p := g.p
	var gridMean, gridSD [profileN]float64
	for k := range gridMean {
		gridMean[k], gridSD[k] = shiftOf(p.grid[k], profileLambda(k))
	}
	var fineMean, fineSD [fineRungs]float64
	if g.fineOK {
		for j := range fineMean {
			fineMean[j], fineSD[j] = shiftOf(g.fine[j].moments(), g.fineStart+float64(j)*g.step)
		}
	}
	n := int(p.compared())
	return func(lambda float64) (int, float64, float64) {
		nan := math.NaN()
		if n == 0 || (lambda <= 0 && p.flips > 0) {
			return 0, nan, nan
		}
		t := lambda/profileStep + profileZero
		if k := math.Round(t); math.Abs(t-k) < 1e-9 && k >= 0 && k < profileN {
			return n, gridMean[int(k)], gridSD[int(k)]
		}
		if g.fineOK {
			if u := (lambda - g.fineStart) / g.step; u >= 0 && u <= fineRungs-1 {
				j := min(max(int(math.Floor(u))-1, 0), fineRungs-4)
				mean, sd := lagrange4(fineMean[j:j+4], u-float64(j)), lagrange4(fineSD[j:j+4], u-float64(j))
				if finite(mean) && finite(sd) {
					return n, mean, sd
				}
			}
		}
		k := int(math.Floor(t)) - 1
		if k < 0 || k+3 >= profileN {
			return 0, nan, nan
		}
		mean, sd := lagrange4(gridMean[k:k+4], t-float64(k)), lagrange4(gridSD[k:k+4], t-float64(k))
		if !finite(mean) || !finite(sd) {
			return 0, nan, nan
		}
		return n, mean, sd
	}
}

// shiftOf is the mean and standard deviation (divisor n) of the shifts d
// from the moments m of e = λ·d (of d itself at λ = 0).
func shiftOf(m moments, lambda float64) (mean, sd float64) {
	if m.n == 0 {
		return math.NaN(), math.NaN()
	}
	mean, sd = m.mean, math.Sqrt(m.m2/float64(m.n))
	if lambda != 0 {
		mean, sd = mean/lambda, sd/math.Abs(lambda)
	}
	return mean, sd
}
