package testgeom

import (
	"fmt"
	"math"
	"slices"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
)

// bootstrapPairs resamples synapses with replacement from the pairs s0, s1
// (all pairs, or the deterministic subsample when the data are larger than
// Options.SampleMax) and reruns the scan on each resample: how often each
// candidate has the smallest ΔCDF and the largest likelihood, and the
// percentile interval of λ̂. When the m resampled pairs stand for n > m
// synapses, the replicates' deviations from the subsample's own λ̂ are
// rescaled by √(m/n) about the full-data λ̂ (m-out-of-n bootstrap of a
// √n-consistent estimator): the replicates scatter about the subsample's
// λ̂, not the full data's. Replicate b draws from
// stream(seed, streamBootstrap, b) and runs single-threaded, so the result does not
// depend on the number of workers.
//
// plan, when not nil, is the fine ladder the replicates share
// (replicatePlan): each then walks only its candidates' coarse rungs and
// finds λ̂ on that ladder, or does the whole scan when its maximum is not
// inside it.
func bootstrapPairs(cands []geometry.Potential, s0, s1 []float64, n int64, lambdaHat *float64, plan *ladderPlan, opts Options) *Bootstrap {
	m := len(s0)
	reps := opts.Bootstrap
	winD := make([]int, reps)
	winL := make([]int, reps)
	lams := make([]float64, reps)
	workers := max(1, min(opts.Workers, reps))
	type resample struct {
		b0, b1 []float64
		pre    *pairCache
		counts []int32
		_      [48]byte // 80 → 128 bytes: each worker's entry on cache lines of its own
	}
	bufs := make([]resample, workers) // one resample per worker
	c := newPairCache(s0, s1)
	parallel.For(reps, workers, func(b, w int) {
		if opts.err() != nil {
			return // cancelled: Result returns the error
		}
		if bufs[w].b0 == nil {
			bufs[w] = resample{b0: make([]float64, m), b1: make([]float64, m),
				pre:    &pairCache{make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)},
				counts: make([]int32, m)}
		}
		r := bufs[w]
		rng := stream(opts.Seed, streamBootstrap, uint64(b))
		clear(r.counts)
		for range m {
			r.counts[rng.IntN(m)]++
		}
		resampleInOrder(r.b0, r.b1, r.pre, s0, s1, c, r.counts)
		winD[b], winL[b], lams[b] = bootstrapReplicate(cands, r.b0, r.b1, r.pre, plan)
	})
	sampleLam := math.NaN()
	if int64(m) < n {
		_, _, sampleLam = bootstrapReplicate(cands, s0, s1, c, plan)
	}
	return summarizeBootstrap(cands, winD, winL, lams, m, n, lambdaHat, sampleLam)
}

// resampleInOrder writes into b0, b1 and their cache pre each pair of s0,
// s1 (cache c) as many times as counts gives, in the pairs' order. The draws
// are counted rather than gathered in the order drawn because reading the
// pairs in order is faster, and a replicate's scan does not depend on the
// pairs' order but for the rounding of its float64 sums
// (TestBootstrapOrder).
func resampleInOrder(b0, b1 []float64, pre *pairCache, s0, s1 []float64, c *pairCache, counts []int32) {
	k := 0
	for j, n := range counts {
		for ; n > 0; n-- {
			b0[k], b1[k] = s0[j], s1[j]
			pre.l0[k], pre.l1[k], pre.f0[k], pre.f1[k] = c.l0[j], c.l1[j], c.f0[j], c.f1[j]
			k++
		}
	}
}

// summarizeBootstrap turns the replicates' winners and λ̂ into win
// frequencies and the percentile interval; m < n marks a subsample, whose
// own λ̂ is sampleLam (NaN if not found: the replicates' median stands in).
func summarizeBootstrap(cands []geometry.Potential, winD, winL []int, lams []float64, m int, n int64, lambdaHat *float64, sampleLam float64) *Bootstrap {
	reps := len(lams)
	out := &Bootstrap{Replicates: reps, SampleN: m, Subsampled: int64(m) < n,
		WinsDCDF: map[string]float64{}, WinsLikelihood: map[string]float64{}}
	for _, c := range cands {
		out.WinsDCDF[c.Name()] = 0
		out.WinsLikelihood[c.Name()] = 0
	}
	countD, countL := make([]int, len(cands)), make([]int, len(cands))
	for b := 0; b < reps; b++ {
		if winD[b] >= 0 {
			countD[winD[b]]++
		}
		if winL[b] >= 0 {
			countL[winL[b]]++
		}
	}
	for c, p := range cands {
		out.WinsDCDF[p.Name()] = float64(countD[c]) / float64(reps)
		out.WinsLikelihood[p.Name()] = float64(countL[c]) / float64(reps)
	}
	var ok []float64
	for _, l := range lams {
		if !math.IsNaN(l) {
			ok = append(ok, l)
		}
	}
	if len(ok) >= 20 {
		slices.Sort(ok)
		lo, hi := quantileSorted(ok, 0.025), quantileSorted(ok, 0.975)
		if out.Subsampled {
			anchor := sampleLam
			if math.IsNaN(anchor) {
				anchor = quantileSorted(ok, 0.5)
			}
			center := anchor
			if lambdaHat != nil {
				center = *lambdaHat
			}
			s := math.Sqrt(float64(m) / float64(n))
			lo, hi = center+s*(lo-anchor), center+s*(hi-anchor)
			out.Note = fmt.Sprintf("resampled %d of %d pairs; the λ̂ interval is rescaled by √(m/n), the win frequencies are those of samples of %d", m, n, m)
		}
		out.LambdaCI = [2]*float64{num(lo), num(hi)}
	}
	if f := len(lams) - len(ok); f > 0 {
		out.Note = joinNotes(out.Note, fmt.Sprintf("λ̂ not found in %d of %d resamples", f, reps))
	}
	return out
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// bootstrapReplicate scores one resample, given its pair cache (or nil):
// the index of the ΔCDF winner, of the likelihood winner (−1 if none) and λ̂
// (NaN if not found). With a plan (replicatePlan) the first pass walks only
// the candidates' rungs, which gives their sums to the bit, and λ̂ is the
// maximum of the plan's fine ladder; a replicate whose maximum is not
// inside that ladder is scanned whole, as without a plan.
func bootstrapReplicate(cands []geometry.Potential, w0, w1 []float64, pre *pairCache, plan *ladderPlan) (int, int, float64) {
	if plan != nil {
		sc := NewScan(cands, 1)
		sc.top = candidateTop(sc.plans)
		sc.addCached(w0, w1, pre)
		sec := sc.SecondPass(0, 0)
		sec.fineStart, sec.step, sec.fineOK = plan.start, plan.step, true
		if bd, bl, lam, ok := replicateOn(sc, sec, w0, w1, pre); ok {
			return bd, bl, lam
		}
	}
	sc := NewScan(cands, 1)
	sc.addCached(w0, w1, pre)
	sec := sc.SecondPass(0, 0)
	bd, bl, _, _ := replicateOn(sc, sec, w0, w1, pre)
	lam := math.NaN()
	if p := sc.final(); p.compared() >= MinPairs {
		fp := sec.fineProfile(lazyExact(w0, w1, 1))
		fit := fitProfile(fp.grid, fp.logLik, false)
		if fit.ok {
			lam = fit.lambdaHat
		}
	}
	return bd, bl, lam
}

// replicateOn runs a replicate's second pass sec (over the pairs of its
// first pass sc) and returns the ΔCDF and likelihood winners and, when
// sec's fine ladder was given (replicatePlan), λ̂ at the maximum of its
// cubic, ok when that maximum is inside the ladder.
func replicateOn(sc *Scan, sec *SecondPass, w0, w1 []float64, pre *pairCache) (bd, bl int, lam float64, ok bool) {
	sec.robust = robustPlan{} // λ̂ alone is needed, not its interval
	sec.uncOnly = true        // nor the centred ΔCDF and higher moments
	sec.addCached(w0, w1, pre)
	sec.finish()
	bd, bl = -1, -1
	bdv, blv := math.Inf(1), math.Inf(-1)
	for c := range sc.plans {
		m, _ := sc.candTotals(c)
		if m.n < MinPairs || !(m.variance() > 0) {
			continue
		}
		if v := sec.unc[c].dcdf(m.n); v < bdv {
			bd, bdv = c, v
		}
		if v, _ := sc.candLogLik(c); v > blv {
			bl, blv = c, v
		}
	}
	if sc.top == profileN-1 || sc.final().compared() < MinPairs {
		return bd, bl, math.NaN(), false
	}
	lam, ok = ladderMax(sec.fineProfile(nil))
	return bd, bl, lam, ok
}

// ladderMax is the maximiser of the cubic through the fine ladder's rungs,
// ok when the highest rung is inside the ladder (not at an end).
func ladderMax(fp *fineProfile) (float64, bool) {
	best := -1
	for j, v := range fp.ll {
		if finite(v) && (best < 0 || v > fp.ll[best]) {
			best = j
		}
	}
	if best <= 0 || best >= fineRungs-1 {
		return math.NaN(), false
	}
	cubic := func(x float64) float64 {
		u := (x - fp.start) / fp.step
		j := min(max(int(math.Floor(u))-1, 0), fineRungs-4)
		return lagrange4(fp.ll[j:j+4], u-float64(j))
	}
	a, c := fp.start+float64(best-1)*fp.step, fp.start+float64(best+1)*fp.step
	x := brentMax(cubic, a, c, fp.start+float64(best)*fp.step, profileTol)
	if !finite(cubic(x)) {
		return math.NaN(), false
	}
	return x, true
}

// ladderPlan is a fine λ ladder: fineRungs rungs from start, step apart.
type ladderPlan struct{ start, step float64 }

// replicatePlan is the fine ladder that the bootstrap replicates of m of
// the n pairs of g share: the ladder a replicate would plan for itself
// (fineLadder), about g's LR interval widened about its middle by √(n/m)
// when the replicates are a subsample, whose λ̂ spread that much more. (The
// ladder of g itself, widened, would not do: its margin of at least 0.01
// dwarfs the interval of billions of pairs, and widened by √(n/m) its rungs
// would lie several of the replicates' standard errors apart.) nil when g
// has no fine ladder or, with sign changes, when the ladder would reach
// λ ≤ 0 (each replicate then plans its own).
func (g *SecondPass) replicatePlan(m int, n int64) *ladderPlan {
	if !g.fineOK {
		return nil
	}
	lo, hi, ok := fineInterval(g.p.gridLogLik())
	if !ok {
		return nil
	}
	if int64(m) < n {
		mid, half := (lo+hi)/2, (hi-lo)/2*math.Sqrt(float64(n)/float64(m))
		lo, hi = mid-half, mid+half
	}
	start, step, ok := fineLadder(lo, hi, 0)
	if !ok || g.p.flips > 0 && start <= 0 {
		return nil
	}
	return &ladderPlan{start: start, step: step}
}

// candidateTop is the highest coarse rung a candidate needs (at least the
// zero rung).
func candidateTop(plans []candPlan) int {
	top := profileZero
	for _, pl := range plans {
		if pl.kind == kindGrid {
			top = max(top, pl.k)
		}
	}
	return top
}
