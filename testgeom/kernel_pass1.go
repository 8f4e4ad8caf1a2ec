package testgeom

import (
	"math"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/exactsum"
)

// The per-chunk kernel of the first pass: the hot loop of the paired test.

// pairBlockSize is the number of usable pairs whose logs and exps are
// computed together before they are walked along the ladders.
const pairBlockSize = 256

// pairBlock is a block of usable pairs (both weights finite and nonzero)
// as both passes gather them: the weights, their signs and log|w|.
type pairBlock struct {
	x0, x1 [pairBlockSize]float64 // the weights
	s0, s1 [pairBlockSize]float64 // their signs, ±1
	l0, l1 [pairBlockSize]float64 // log|w|
}

// put stores pair n of the block.
func (b *pairBlock) put(n int, x0, x1 float64) {
	b.x0[n], b.x1[n] = x0, x1
	b.s0[n], b.s1[n] = math.Copysign(1, x0), math.Copysign(1, x1)
}

// logs computes log|w| of the first n pairs and returns their weights,
// signs and logs.
func (b *pairBlock) logs(n int) (x0, x1, s0, s1, l0, l1 []float64) {
	x0, x1, s0, s1, l0, l1 = b.x0[:n], b.x1[:n], b.s0[:n], b.s1[:n], b.l0[:n], b.l1[:n]
	logAbs(l0, x0)
	logAbs(l1, x1)
	return
}

// pass1Scratch holds one block of usable pairs and what the ladder needs
// of them.
type pass1Scratch struct {
	pairBlock
	f [2][pairBlockSize]float64 // |w|^Δ, the ratio of successive rungs
	// the same-sign pairs: 1/f0, 1/f1 and the sign, for the rungs λ < 0
	i0, i1, ss [pairBlockSize]float64
	d, g0      [pairBlockSize]float64 // an off-ladder candidate's shifts and |g(w0)|
}

// pass1Chunk runs the first pass over one chunk. The ladder sums are
// kept as deviations from the shifts of the chunk's first usable pair, in
// separate arrays so that the inner loop is a few multiply-adds per λ.
// Pairs are walked along the ladder four at a time: each walk is a chain of
// dependent multiplications, and several chains fill the time one waits;
// the sums of each rung are then loaded and stored once for four pairs.
//
// pre, when not nil, holds the logs and ratios of the chunk's pairs. top
// is the highest rung walked: profileN−1 for the whole ladder, or lower
// for a bootstrap replicate, which needs only the candidates' rungs
// (then no rung λ < 0 is walked either, and the rungs not walked hold no
// pairs).
func pass1Chunk(plans []candPlan, w0, w1 []float64, pre *pairCache, top int) *pass1 {
	out := &pass1{cand: make([]candSums, len(plans))}
	var lad ladderSums
	shift, s1, s2, gsum := &lad.shift, &lad.s1, &lad.s2, &lad.gsum
	var nAll, nSame int64 // pairs on the λ > 0 and on the λ ≤ 0 rungs
	shiftSet := false
	lik := make([]shiftedSums, len(plans))
	var sumL1 float64
	others := offLadder(plans)
	var sc pass1Scratch
	for i := 0; i < len(w0); {
		// Gather a block of usable pairs; count and set aside the rest.
		n, i0 := 0, i
		for ; i < len(w0) && n < pairBlockSize; i++ {
			x0, x1 := w0[i], w1[i]
			if !finite(x0) || !finite(x1) {
				out.nonFinite++
				continue
			}
			out.finite++
			if x0 != x1 {
				out.changed++
			}
			if x0 == 0 || x1 == 0 {
				// Counted, not compared: see candSums.
				out.zeroPairs++
				for c, pl := range plans {
					if pl.kind != kindNE && pl.pot.Defined(x0) && pl.pot.Defined(x1) {
						out.cand[c].zeroN++
					}
				}
				continue
			}
			sc.put(n, x0, x1)
			n++
		}
		if n == 0 {
			continue
		}
		x0s, x1s, s0s, s1s, l0s, l1s, f0s, f1s := sc.block(pre, i0, i, n, true, &sc.f)
		if !shiftSet {
			// Centre every rung on the first pair's shift (same-sign rungs
			// use 0 if it flips, which is exact enough: they only matter
			// when no pair flips).
			x0, x1, l0, l1, f0, f1 := x0s[0], x1s[0], l0s[0], l1s[0], f0s[0], f1s[0]
			s0, sg1 := geometry.Sign(x0), geometry.Sign(x1)
			a0, a1 := 1.0, 1.0
			for k := profileZero + 1; k < profileN; k++ {
				a0 *= f0
				a1 *= f1
				shift[k] = sg1*a1 - s0*a0
			}
			if s0 == sg1 {
				shift[profileZero] = s0 * (l1 - l0)
				i0, i1 := 1/f0, 1/f1
				a0, a1 = 1, 1
				for k := profileZero - 1; k >= 0; k-- {
					a0 *= i0
					a1 *= i1
					shift[k] = s0 * (a1 - a0)
				}
			}
			shiftSet = true
		}
		nAll += int64(n)
		// The λ = 0 rung, Σ log|w1| and the same-sign pairs' rung ratios.
		same := 0
		for j := range s0s {
			sumL1 += l1s[j]
			s := s0s[j]
			if s != s1s[j] {
				continue
			}
			e := s*(l1s[j]-l0s[j]) - shift[profileZero]
			s1[profileZero] += e
			s2[profileZero] += e * e
			// 1/f0 and 1/f1 with one division.
			inv := 1 / (f0s[j] * f1s[j])
			sc.i0[same], sc.i1[same], sc.ss[same] = f1s[j]*inv, f0s[j]*inv, s
			same++
		}
		nSame += int64(same)
		out.flips += int64(n - same)
		lad.up(s0s, s1s, f0s, f1s, top-profileZero)
		if top == profileN-1 {
			lad.down(sc.ss[:same], sc.i0[:same], sc.i1[:same])
		}
		for _, c := range others {
			pl := plans[c]
			d, g0 := sc.d[:n], sc.g0[:n]
			offLadderShifts(pl, d, g0, x0s, x1s, s0s, s1s, l0s, l1s)
			ls := lik[c] // a local copy, so the loop keeps it in registers
			for j, e := range d {
				ls.add(e)
				ls.sumSqOther += g0[j] * g0[j]
			}
			if pl.kind != kindNE && pl.kind != kindPow {
				for _, x1 := range x1s {
					out.cand[c].likJac += pl.pot.LogAbsDerivative(x1)
				}
			}
			lik[c] = ls
		}
	}
	out.sumL1 = sumL1
	for k := range shift {
		n := nAll
		if k <= profileZero {
			n = nSame
		}
		if k > top || (k < profileZero && top < profileN-1) {
			continue // not walked
		}
		out.grid[k] = shiftedMoments(exactsum.Shifted{N: n, K: shift[k], S1: s1[k], S2: s2[k]})
		out.gridG[k] = gsum[k]
	}
	for c := range plans {
		out.cand[c].lik = lik[c].moments()
		out.cand[c].likG = lik[c].sumSqOther
	}
	return out
}

// ladderSums are the first pass's sums on the λ ladder: Σ e and Σ e² of
// the deviations e of the shifts from the chunk's first pair's, and Σ b0².
//
// up and down are the same walk in opposite directions, kept as two
// functions on purpose: one walk with the direction and Σ b0² as arguments
// (a rung counter and a test in the inner loop) was slower in
// BenchmarkLadder (go test -bench Ladder -cpu 1 -benchtime 20000x, twelve
// interleaved runs on a shared machine): median 21.5 µs/op (min 17.7)
// as two functions, 24.3 µs/op (min 21.2) merged. One walk shared by all
// four ladder kernels (these two, walkGrid and fineSums.add in the second
// pass, which store or sum what they walk) needs a hook per rung; with a
// function value for it, up and down took a median of 73 µs/op (min 48)
// against 18.8 µs/op (min 12.7) in eight interleaved runs.
type ladderSums struct {
	shift, s1, s2, gsum [profileN]float64
	// unused takes the Σ b0² of the rungs λ < 0, which no candidate needs:
	// one walk serves both directions at the same speed (up and down as two
	// functions 36.7 ns/pair, as one 36.8, medians of 5; the 10^7 scan
	// 2.77–3.01 CPU-s either way) and the same sums to the bit.
	unused [profileN]float64
}

// up adds the shifts e = b1 − b0 − shift of the rungs λ > 0, with
// b = sign(w)|w|^λ walked by multiplication with the sign attached
// (multiplying by ±1 is exact, so these are the same values as
// sign·|w|^λ), and Σ b0², from the signs sg.
func (a *ladderSums) up(sg0, sg1, f0, f1 []float64, rungs int) {
	a.walk(sg0, sg1, f0, f1, profileZero+1, 1, rungs, &a.gsum)
}

// down adds the shifts of the rungs λ < 0 for same-sign pairs (sign s,
// rung ratios i0 = |w0|^−Δ and i1).
func (a *ladderSums) down(s, i0, i1 []float64) {
	a.walk(s, s, i0, i1, profileZero-1, -1, profileZero, &a.unused)
}

// walk multiplies b0 and b1 from their starts st0, st1 by the ratios r0,
// r1 once per rung, for rungs rungs from rung k = from in steps of step
// (+1 up, −1 down), adding e = b1 − b0 − shift[k] to s1 and s2 and b0² to
// g; four pairs at a time, then two, then one.
func (a *ladderSums) walk(st0, st1, r0, r1 []float64, from, step, rungs int, g *[profileN]float64) {
	shift, s1, s2 := &a.shift, &a.s1, &a.s2
	_ = a.shift[0] // one nil check, not one per rung
	st1 = st1[:len(st0)]
	r0 = r0[:len(st0)]
	r1 = r1[:len(st0)]
	j := a.walkVector(st0, st1, r0, r1, from, step, rungs, g)
	for ; j+3 < len(st0); j += 4 {
		ba0, ba1, bb0, bb1 := st0[j], st1[j], st0[j+1], st1[j+1]
		bc0, bc1, bd0, bd1 := st0[j+2], st1[j+2], st0[j+3], st1[j+3]
		k := from
		for range rungs {
			ba0 *= r0[j]
			ba1 *= r1[j]
			bb0 *= r0[j+1]
			bb1 *= r1[j+1]
			bc0 *= r0[j+2]
			bc1 *= r1[j+2]
			bd0 *= r0[j+3]
			bd1 *= r1[j+3]
			sh := shift[k]
			ea := ba1 - ba0 - sh
			eb := bb1 - bb0 - sh
			ec := bc1 - bc0 - sh
			ed := bd1 - bd0 - sh
			s1[k] += (ea + eb) + (ec + ed)
			s2[k] += (ea*ea + eb*eb) + (ec*ec + ed*ed)
			g[k] += (ba0*ba0 + bb0*bb0) + (bc0*bc0 + bd0*bd0)
			k += step
		}
	}
	for ; j+1 < len(st0); j += 2 {
		fa0, fa1, fb0, fb1 := r0[j], r1[j], r0[j+1], r1[j+1]
		ba0, ba1, bb0, bb1 := st0[j], st1[j], st0[j+1], st1[j+1]
		k := from
		for range rungs {
			ba0 *= fa0
			ba1 *= fa1
			bb0 *= fb0
			bb1 *= fb1
			ea := ba1 - ba0 - shift[k]
			eb := bb1 - bb0 - shift[k]
			s1[k] += ea + eb
			s2[k] += ea*ea + eb*eb
			g[k] += ba0*ba0 + bb0*bb0
			k += step
		}
	}
	if j < len(st0) {
		f0, f1 := r0[j], r1[j]
		b0, b1 := st0[j], st1[j]
		k := from
		for range rungs {
			b0 *= f0
			b1 *= f1
			e := b1 - b0 - shift[k]
			s1[k] += e
			s2[k] += e * e
			g[k] += b0 * b0
			k += step
		}
	}
}

// offLadder lists the candidates whose shifts are not read off the ladder.
func offLadder(plans []candPlan) []int {
	var cs []int
	for c, pl := range plans {
		if pl.kind != kindGrid {
			cs = append(cs, c)
		}
	}
	return cs
}

// offLadderShifts writes the dual shifts g(w1) − g(w0) of a block of pairs
// for a candidate off the ladder into d and, when g0 is not nil, |g(w0)|
// into g0 (the first pass's Σ g(w0)²), from the pairs' weights, signs and
// logs: NE and the p-norms through log|w| and exp, others through Dual.
func offLadderShifts(pl candPlan, d, g0, x0, x1, s0, s1, l0, l1 []float64) {
	switch pl.kind {
	case kindNE:
		for j := range d {
			a := (l0[j] + 1) * s0[j]
			d[j] = (l1[j]+1)*s1[j] - a
			if g0 != nil {
				g0[j] = a
			}
		}
	case kindPow:
		for j := range d {
			b0 := math.Exp(pl.lambda * l0[j])
			d[j] = s1[j]*math.Exp(pl.lambda*l1[j]) - s0[j]*b0
			if g0 != nil {
				g0[j] = b0
			}
		}
	default:
		for j := range d {
			a := pl.pot.Dual(x0[j])
			d[j] = pl.pot.Dual(x1[j]) - a
			if g0 != nil {
				g0[j] = a
			}
		}
	}
}

// dualOf is g(w) for a planned candidate, through exp and log for the
// p-norms (sign(0) = 0, so g(0) = 0), but w itself for Euclidean (λ = 1),
// whose steps w1 − w0 must stay exact: e^(log w) breaks equal steps apart.
func dualOf(pl candPlan, w float64) float64 {
	switch pl.kind {
	case kindGrid, kindPow:
		if w == 0 {
			return 0
		}
		if pl.lambda == 1 {
			return w
		}
		return geometry.Sign(w) * math.Exp(pl.lambda*math.Log(math.Abs(w)))
	case kindNE:
		return geometry.NegEntropy{}.Dual(w)
	}
	return pl.pot.Dual(w)
}
