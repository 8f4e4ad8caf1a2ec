package testgeom

import "math"

// The per-chunk kernels of the second pass: binning of the standardised
// shifts and the fine λ ladder.

// blockSize is the number of pairs whose dual shifts are computed before
// they are binned, candidate by candidate, in tight loops.
const blockSize = 1024

func (g *SecondPass) chunk(w0, w1 []float64, bins *pass2Part) *pass2Part {
	nc := len(g.mean)
	out := &pass2Part{m3: make([]float64, nc), m4: make([]float64, nc)}
	plans := g.scan.plans
	// The shift buffers are the worker's, reused from chunk to chunk. Grid
	// candidates are written by position; the rest are appended.
	if bins.buf == nil {
		bins.buf = make([][]float64, nc)
		for c := range bins.buf {
			bins.buf[c] = make([]float64, 0, blockSize)
		}
		bins.gridBuf = make([][]float64, profileN)
		for k, cs := range g.gridCands {
			if len(cs) > 0 {
				bins.gridBuf[k] = make([]float64, blockSize)
			}
		}
	}
	buf, gridBuf := bins.buf, bins.gridBuf
	others := offLadder(plans)
	pending := 0
	flush := func() {
		for c, pl := range plans {
			d := buf[c]
			if pl.kind == kindGrid {
				d = gridBuf[pl.k][:pending]
			}
			g.bin(c, d, &bins.unc[c], &bins.cen[c], &out.m3[c], &out.m4[c])
			buf[c] = buf[c][:0]
		}
	}
	for i := range w0 {
		x0, x1 := w0[i], w1[i]
		if !finite(x0) || !finite(x1) {
			continue
		}
		if g.threshold == math.MaxUint64 || (g.threshold > 0 && pairKey(x0, x1, g.seed) < g.threshold) {
			out.s0 = append(out.s0, x0)
			out.s1 = append(out.s1, x1)
		}
		if pending == blockSize {
			flush()
			pending = 0
		}
		if x0 == 0 || x1 == 0 {
			for c, pl := range plans {
				if pl.kind == kindNE || !pl.pot.Defined(x0) || !pl.pot.Defined(x1) {
					continue
				}
				if pl.kind == kindGrid {
					// Zero pairs are rare: bin them on their own so the
					// grid buffers stay aligned.
					g.bin(c, []float64{dualOf(pl, x1) - dualOf(pl, x0)}, &bins.unc[c], &bins.cen[c], &out.m3[c], &out.m4[c])
					continue
				}
				buf[c] = append(buf[c], dualOf(pl, x1)-dualOf(pl, x0))
			}
			continue
		}
		s0, s1 := sign(x0), sign(x1)
		l0, l1 := fastLog(math.Abs(x0)), fastLog(math.Abs(x1))
		if g.maxK > profileZero {
			f0, f1 := fastExp(profileStep*l0), fastExp(profileStep*l1)
			b0, b1 := s0, s1 // sign(w)|w|^λ, as in the first pass
			for k := profileZero + 1; k <= g.maxK; k++ {
				b0 *= f0
				b1 *= f1
				if gb := gridBuf[k]; gb != nil {
					gb[pending] = b1 - b0
				}
			}
		}
		pending++
		for _, c := range others {
			switch pl := plans[c]; pl.kind {
			case kindNE:
				buf[c] = append(buf[c], (l1+1)*s1-(l0+1)*s0)
			case kindPow:
				buf[c] = append(buf[c], s1*math.Exp(pl.lambda*l1)-s0*math.Exp(pl.lambda*l0))
			default:
				buf[c] = append(buf[c], pl.pot.Dual(x1)-pl.pot.Dual(x0))
			}
		}
	}
	flush()
	return out
}

// bin counts the standardised shifts d/sd and (d − mean)/sd of candidate c
// on the grid and adds their third and fourth central moments. The bins are
// those of gridBin applied to the quotients rounded as numpy rounds them
// (division, not multiplication by 1/sd); the position on the grid is found
// by multiplication, and only a value within 1e-9 of a grid point, where the
// last bit of the quotient could matter, pays for the division.
func (g *SecondPass) bin(c int, d []float64, unc, cen *gridCounts, m3, m4 *float64) {
	sd, mean := g.sd[c], g.mean[c]
	scale := gridInv / sd
	var s3, s4 float64
	if !(sd > 0) || !finite(scale) {
		for _, v := range d {
			unc[gridBin(v/sd)]++
			dm := v - mean
			cen[gridBin(dm/sd)]++
			dm2 := dm * dm
			s3 += dm2 * dm
			s4 += dm2 * dm2
		}
	} else {
		// t = (x/sd + 5)/h + 1 is within 1e-12 of the integer j + 1 when
		// x/sd is on grid point j; away from that, the bin is the integer
		// part of t whatever the last bits of x/sd. Positions outside the
		// grid are clamped into the first or last bin, away from its ends.
		const lo, hi = 0.25, gridPoints + 0.75
		for _, v := range d {
			dm := v - mean
			tu := v*scale + gridOffset
			tc := dm*scale + gridOffset
			if !(tu >= lo) { // NaN too, which gridBin puts in bin 0
				tu = lo
			} else if tu > hi {
				tu = hi
			}
			if !(tc >= lo) { // NaN too, which gridBin puts in bin 0
				tc = lo
			} else if tc > hi {
				tc = hi
			}
			ku, kc := int(tu), int(tc)
			if fu, fc := tu-float64(ku), tc-float64(kc); fu < 1e-9 || fu > 1-1e-9 || fc < 1e-9 || fc > 1-1e-9 {
				ku, kc = quotientBin(v, sd), quotientBin(dm, sd)
			}
			unc[ku]++
			cen[kc]++
			dm2 := dm * dm
			s3 += dm2 * dm
			s4 += dm2 * dm2
		}
	}
	*m3 += s3
	*m4 += s4
}

// quotientBin is gridBin(x/sd), kept out of line (it is rarely needed).
//
//go:noinline
func quotientBin(x, sd float64) int { return gridBin(x / sd) }

// fineChunk accumulates the moments of the Box–Cox shifts e = λ·d on the
// fine rungs for one chunk, as deviations from the first usable pair's.
func fineChunk(start, step float64, w0, w1 []float64) [fineRungs]moments {
	var shift, s1, s2 [fineRungs]float64
	var n int64
	for i := range w0 {
		x0, x1 := w0[i], w1[i]
		if !finite(x0) || !finite(x1) || x0 == 0 || x1 == 0 {
			continue
		}
		l0, l1 := fastLog(math.Abs(x0)), fastLog(math.Abs(x1))
		b0 := math.Copysign(fastExp(start*l0), x0)
		b1 := math.Copysign(fastExp(start*l1), x1)
		g0, g1 := fastExp(step*l0), fastExp(step*l1)
		if n == 0 {
			c0, c1 := b0, b1
			for j := range shift {
				shift[j] = c1 - c0
				c0 *= g0
				c1 *= g1
			}
		}
		n++
		for j := range s1 {
			e := b1 - b0 - shift[j]
			s1[j] += e
			s2[j] += e * e
			b0 *= g0
			b1 *= g1
		}
	}
	var out [fineRungs]moments
	for j := range out {
		ss := shiftedSums{n: n, k: shift[j], s1: s1[j], s2: s2[j]}
		out[j] = ss.moments()
	}
	return out
}
