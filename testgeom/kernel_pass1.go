package testgeom

import "math"

// The per-chunk kernel of the first pass: the hot loop of the paired test.

// pass1Chunk runs the first pass over one chunk. The ladder sums are
// kept as deviations from the shifts of the chunk's first usable pair, in
// separate arrays so that the inner loop is a few multiply-adds per λ.
func pass1Chunk(plans []candPlan, w0, w1 []float64) *pass1 {
	out := &pass1{cand: make([]candSums, len(plans))}
	var shift, s1, s2, gsum [profileN]float64
	var nAll, nSame int64 // pairs on the λ > 0 and on the λ ≤ 0 rungs
	shiftSet := false
	lik := make([]shiftedSums, len(plans))
	zero := make([]shiftedSums, len(plans))
	var sumL1 float64
	others := offLadder(plans)
	for i := range w0 {
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
			out.zeroPairs++
			for c, pl := range plans {
				if pl.kind == kindNE || !pl.pot.Defined(x0) || !pl.pot.Defined(x1) {
					continue
				}
				g0 := dualOf(pl, x0)
				zero[c].add(dualOf(pl, x1) - g0)
				zero[c].sumSqOther += g0 * g0
			}
			continue
		}
		s0, sg1 := sign(x0), sign(x1)
		l0, l1 := fastLog(math.Abs(x0)), fastLog(math.Abs(x1))
		sumL1 += l1
		f0, f1 := fastExp(profileStep*l0), fastExp(profileStep*l1)
		if !shiftSet {
			// Centre every rung on this pair's shift (same-sign rungs use 0
			// until a same-sign pair arrives, which is exact enough: they
			// only matter when no pair flips).
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
		nAll++
		// b = sign(w)|w|^λ, walked with the sign attached (multiplying by
		// ±1 is exact, so these are the same values as sign·|w|^λ).
		b0, b1 := s0, sg1
		for k := profileZero + 1; k < profileN; k++ {
			b0 *= f0
			b1 *= f1
			e := b1 - b0 - shift[k]
			s1[k] += e
			s2[k] += e * e
			gsum[k] += b0 * b0
		}
		if s0 == sg1 {
			nSame++
			e := s0*(l1-l0) - shift[profileZero]
			s1[profileZero] += e
			s2[profileZero] += e * e
			i0, i1 := 1/f0, 1/f1
			b0, b1 = s0, s0
			for k := profileZero - 1; k >= 0; k-- {
				b0 *= i0
				b1 *= i1
				e := b1 - b0 - shift[k]
				s1[k] += e
				s2[k] += e * e
			}
		} else {
			out.flips++
		}
		for _, c := range others {
			pl := plans[c]
			switch pl.kind {
			case kindNE:
				g0 := (l0 + 1) * s0
				lik[c].add((l1+1)*sg1 - g0)
				lik[c].sumSqOther += g0 * g0
			case kindPow:
				b0 := math.Exp(pl.lambda * l0)
				lik[c].add(sg1*math.Exp(pl.lambda*l1) - s0*b0)
				lik[c].sumSqOther += b0 * b0
			default:
				g0 := pl.pot.Dual(x0)
				lik[c].add(pl.pot.Dual(x1) - g0)
				lik[c].sumSqOther += g0 * g0
				out.cand[c].likJac += pl.pot.LogAbsDerivative(x1)
			}
		}
	}
	out.sumL1 = sumL1
	for k := range shift {
		n := nAll
		if k <= profileZero {
			n = nSame
		}
		ss := shiftedSums{n: n, k: shift[k], s1: s1[k], s2: s2[k]}
		out.grid[k] = ss.moments()
		out.gridG[k] = gsum[k]
	}
	for c := range plans {
		out.cand[c].lik = lik[c].moments()
		out.cand[c].likG = lik[c].sumSqOther
		out.cand[c].zero = zero[c].moments()
		out.cand[c].zeroG = zero[c].sumSqOther
	}
	return out
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

// dualOf is g(w) for a planned candidate, through exp and log for the
// p-norms (sign(0) = 0, so g(0) = 0).
func dualOf(pl candPlan, w float64) float64 {
	switch pl.kind {
	case kindGrid, kindPow:
		if w == 0 {
			return 0
		}
		return sign(w) * math.Exp(pl.lambda*math.Log(math.Abs(w)))
	case kindNE:
		return NegEntropy{}.Dual(w)
	}
	return pl.pot.Dual(w)
}
