package testgeom

import "math"

// The exact refinement of λ̂ and of its interval used to cost one pass over
// the data per evaluation of ℓ (about twenty). A fine ladder replaces them
// with one pass: the coarse grid locates the maximum and the two crossings of
// ℓ̂ − χ²₁,0.95/2, and a single pass evaluates the exact ℓ on fineRungs
// evenly spaced λ covering that interval with a margin, walking each weight
// along the rungs by multiplication from two exps. Between rungs ℓ is
// interpolated by a cubic, whose error is far below the accuracy of λ̂
// because the rungs are a small fraction of the interval apart; outside the
// fine region the exact evaluation is the fallback.

// fineRungs is the number of λ of the fine ladder.
const fineRungs = 32

// fineMargin widens the fine region beyond the LR interval on each side, in
// units of its width: 1.5 keeps the robust interval, whose half-width is √k
// times the LR one, inside the ladder for k up to 16.
const fineMargin = 1.5

// fineProfile is ℓ(λ) from the coarse grid, the fine ladder and, where
// neither applies, the exact evaluation.
type fineProfile struct {
	grid        [profileN]float64
	ok          bool // the fine ladder was evaluated
	start, step float64
	ll          [fineRungs]float64
	exact       func(float64) float64
	exactCalls  int
	// interpolated: exact is the coarse grid's interpolant (no data to
	// evaluate ℓ on), so a value it gave is approximate.
	interpolated bool
}

// planFine chooses the fine region [start, start + (fineRungs−1)·step] from
// the coarse grid: the LR interval of the grid's cubic interpolant
// (fineInterval), widened as fineLadder does. It fails when the grid has no
// interior maximum or an interval end is not bracketed on the grid.
func planFine(grid [profileN]float64, flips int64) (start, step float64, ok bool) {
	lo, hi, ok := fineInterval(grid)
	if !ok {
		return 0, 0, false
	}
	return fineLadder(lo, hi, flips)
}

// fineInterval is the LR interval [lo, hi] of the coarse grid's cubic
// interpolant; ok is false when the grid has no interior maximum or an
// interval end is not bracketed on the grid.
func fineInterval(grid [profileN]float64) (lo, hi float64, ok bool) {
	best := -1
	for k, v := range grid {
		if finite(v) && (best < 0 || v > grid[best]) {
			best = k
		}
	}
	if best <= 0 || best >= profileN-1 {
		return 0, 0, false
	}
	interp := gridInterpolator(grid)
	lh := brentMax(interp, profileLambda(best)-profileStep, profileLambda(best)+profileStep, math.NaN(), 1e-9)
	target := interp(lh) - chi2Crit95Half
	if !finite(target) {
		return 0, 0, false
	}
	g := func(x float64) float64 { return interp(x) - target }
	lo, hi = interpCrossing(g, lh, -1), interpCrossing(g, lh, +1)
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, 0, false
	}
	return lo, hi, true
}

// fineLadder is the fine region about the interval [lo, hi]: widened by
// fineMargin times its width on each side, and by at least 0.01, kept on
// λ > 0 when signs flip (ℓ = −∞ for λ ≤ 0 then), with no rung at λ = 0.
func fineLadder(lo, hi float64, flips int64) (start, step float64, ok bool) {
	margin := math.Max(fineMargin*(hi-lo), 0.01)
	start, end := lo-margin, hi+margin
	if flips > 0 && start <= 0 {
		start = lo / 2
	}
	if !(end > start) {
		return 0, 0, false
	}
	step = (end - start) / (fineRungs - 1)
	// Keep rungs away from λ = 0, where the shifts e = λ·d vanish.
	if j := -start / step; j > 0 && j < fineRungs-1 && math.Abs(j-math.Round(j)) < 1e-3 {
		start -= step / 2
	}
	return start, step, true
}

// interpCrossing finds where g, the interpolated ℓ minus its target, turns
// negative on one side of λ̂ (NaN if not within the grid).
func interpCrossing(g func(float64) float64, lh, dir float64) float64 {
	const h = 0.01
	inner := lh
	for i := 1; ; i++ {
		x := lh + dir*float64(i)*h
		if x < profileLambda(1) || x > profileLambda(profileN-2) {
			return math.NaN()
		}
		if v := g(x); !(v >= 0) {
			if !finite(v) {
				// Non-finite interpolant (ℓ = −∞ next to it): bisect onto the
				// finite part.
				for j := 0; j < 40 && !finite(g(x)); j++ {
					x = (x + inner) / 2
				}
				if !(g(x) < 0) {
					return x
				}
			}
			return brentRoot(g, inner, x, 1e-9)
		}
		inner = x
	}
}

// logLik is ℓ(λ): the grid value on a grid point, the cubic through the four
// nearest rungs inside the fine region, the exact evaluation elsewhere.
func (fp *fineProfile) logLik(x float64) float64 {
	t := x/profileStep + profileZero
	if k := math.Round(t); math.Abs(t-k) < 1e-9 && k >= 0 && k < profileN {
		return fp.grid[int(k)]
	}
	if fp.ok {
		u := (x - fp.start) / fp.step
		if u >= 0 && u <= fineRungs-1 {
			j := min(max(int(math.Floor(u))-1, 0), fineRungs-4)
			if v := lagrange4(fp.ll[j:j+4], u-float64(j)); finite(v) {
				return v
			}
		}
	}
	fp.exactCalls++
	return fp.exact(x)
}

// shardExact is lazyExact for pairs in shards (Options.Shards; nil: one
// shard): the moments of each shard's chunks merged in order, as a
// streamed re-read of the files sums them (LogLikAccumulator per file), so
// both give the same to the bit.
func shardExact(w0, w1 []float64, shards []int, workers int) func(float64) float64 {
	if shards == nil {
		return lazyExact(w0, w1, workers)
	}
	var parts []*likPairs
	return func(x float64) float64 {
		if parts == nil {
			_ = eachShard(shards, len(w0), func(lo, hi int) error {
				parts = append(parts, newLikPairs(w0[lo:hi], w1[lo:hi], workers))
				return nil
			})
		}
		var m moments
		var sumL1 float64
		var flips int64
		for _, p := range parts {
			m.merge(p.shiftMoments(x))
			sumL1 += p.sumL1
			flips += p.flips
		}
		if x <= 0 && flips > 0 {
			return math.Inf(-1)
		}
		return logLikOf(m, x, sumL1)
	}
}

// lazyExact is the exact ℓ on in-memory pairs, with the log-weights cached
// on first use only.
func lazyExact(w0, w1 []float64, workers int) func(float64) float64 {
	var lp *likPairs
	return func(x float64) float64 {
		if lp == nil {
			lp = newLikPairs(w0, w1, workers)
		}
		return lp.logLik(x)
	}
}
