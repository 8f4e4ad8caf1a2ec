package testgeom

import (
	"math"

	"github.com/syngeom/syngeom/internal/exactsum"
)

// The per-chunk kernels of the second pass: binning of the standardised
// shifts and the fine λ ladder.

// blockSize is the number of pairs whose dual shifts are computed before
// they are binned, candidate by candidate, in tight loops.
const blockSize = 1024

// pass2Scratch holds a block of usable pairs (pairBlockSize, a divisor of
// blockSize) and their powers.
type pass2Scratch struct {
	pairBlock
	f      [2][pairBlockSize]float64 // |w|^Δ, the ratio of the coarse rungs
	b0, b1 [pairBlockSize]float64    // sign(w)|w|^start, the first fine rung
	g0, g1 [pairBlockSize]float64    // |w|^step, the ratio of the fine rungs
	r0, r1 [pairBlockSize]float64    // |w|^λ_r, for the score features
	rf     robustBlock               // the score features
}

// fineSums are the moments of the Box–Cox shifts e = λ·d on the fine
// rungs, as deviations from the chunk's first usable pair's.
type fineSums struct {
	n             int64
	shift, s1, s2 [fineRungs]float64
}

func (g *SecondPass) chunk(w0, w1 []float64, pos0 int64, pre *pairCache, bins *pass2Part) *pass2Part {
	nc := len(g.mean)
	out := &pass2Part{m3: make([]float64, nc), m4: make([]float64, nc)}
	plans := g.scan.plans
	// The shift buffers are the worker's, reused from chunk to chunk. Grid
	// candidates are written by position; the rest are appended.
	// One backing array, the rungs a cache line apart beyond whole pages:
	// rungs 8 KiB apart would all map to the same cache set, and the
	// ladder's stores to one pair's position on every rung would evict each
	// other.
	const stride = blockSize + 8
	if bins.buf == nil {
		bins.buf = make([][]float64, nc)
		for c := range bins.buf {
			bins.buf[c] = make([]float64, 0, blockSize)
		}
		bins.gridBack = make([]float64, profileN*stride)
		bins.gridBuf = make([][]float64, profileN)
	}
	// The rungs of this pass's candidates (the bins may have served another).
	for k, cs := range g.gridCands {
		bins.gridBuf[k] = nil
		if len(cs) > 0 {
			bins.gridBuf[k] = bins.gridBack[k*stride : k*stride+blockSize : k*stride+blockSize]
		}
	}
	buf := bins.buf
	var grid [profileN]*[blockSize]float64
	for k, b := range bins.gridBuf {
		if b != nil {
			grid[k] = (*[blockSize]float64)(b)
		}
	}
	others := offLadder(plans)
	var sc pass2Scratch
	var fine fineSums
	pending := 0
	for i := 0; i < len(w0); {
		if pending == blockSize {
			g.flush(bins, out, pending)
			pending = 0
		}
		// Gather the compared pairs (both weights finite and nonzero, as in
		// the first pass); the sample is of all finite pairs, for the
		// distribution fits.
		n, i0 := 0, i
		for lim := min(pairBlockSize, blockSize-pending); i < len(w0) && n < lim; i++ {
			x0, x1 := w0[i], w1[i]
			if !finite(x0) || !finite(x1) {
				continue
			}
			if g.keeps(func() uint64 { return pairKey(x0, x1, pos0+int64(i), g.seed) }) {
				out.s0 = append(out.s0, x0)
				out.s1 = append(out.s1, x1)
				out.pos = append(out.pos, pos0+int64(i))
			}
			if x0 == 0 || x1 == 0 {
				continue
			}
			sc.put(n, x0, x1)
			n++
		}
		if n == 0 {
			continue
		}
		// The coarse ratios are needed when a candidate is on the ladder.
		x0s, x1s, s0s, s1s, l0s, l1s, f0s, f1s := sc.block(pre, i0, i, n, g.maxK > profileZero, &sc.f)
		if g.maxK > profileZero {
			walkGrid(&grid, g.maxK, pending, s0s, s1s, f0s, f1s)
		}
		for _, c := range others {
			d := buf[c]
			k := len(d)
			d = d[:k+n] // the buffers hold blockSize shifts
			offLadderShifts(plans[c], d[k:], nil, x0s, x1s, s0s, s1s, l0s, l1s)
			buf[c] = d
		}
		if g.fineOK {
			b0s, b1s, g0s, g1s := sc.b0[:n], sc.b1[:n], sc.g0[:n], sc.g1[:n]
			expScaled(b0s, l0s, g.fineStart)
			expScaled(b1s, l1s, g.fineStart)
			expScaled(g0s, l0s, g.step)
			expScaled(g1s, l1s, g.step)
			for j := range b0s {
				b0s[j] *= s0s[j]
				b1s[j] *= s1s[j]
			}
			fine.add(b0s, b1s, g0s, g1s)
		}
		if g.robust.ok {
			// The score features at λ_r (robust.go), from |w|^λ_r by blocks.
			r0s, r1s := sc.r0[:n], sc.r1[:n]
			expScaled(r0s, l0s, g.robust.lambda)
			expScaled(r1s, l1s, g.robust.lambda)
			g.robust.addBlock(&out.rob, &sc.rf, s0s, s1s, l0s, l1s, r0s, r1s)
		}
		pending += n
	}
	g.flush(bins, out, pending)
	if g.fineOK {
		for j := range out.fine {
			out.fine[j] = shiftedMoments(exactsum.Shifted{N: fine.n, K: fine.shift[j], S1: fine.s1[j], S2: fine.s2[j]})
		}
	}
	return out
}

// flush bins the shifts of the current block, pending pairs long in the
// grid buffers, and empties the others.
func (g *SecondPass) flush(bins, out *pass2Part, pending int) {
	for c, pl := range g.scan.plans {
		d := bins.buf[c]
		if pl.kind == kindGrid {
			d = bins.gridBuf[pl.k][:pending]
		}
		if g.uncOnly {
			binUnc(d, g.sd[c], &bins.unc[c])
		} else {
			g.bin(c, d, &bins.unc[c], &bins.cen[c], &out.m3[c], &out.m4[c])
		}
		bins.buf[c] = bins.buf[c][:0]
	}
}

// walkGrid and fineSums.add walk pairs along rungs as ladderSums.up does,
// in loops of their own for speed (see ladderSums).
//
// walkGrid writes the shifts b1 − b0 of the coarse rungs λ_k > 0 up to maxK,
// b = sign(w)|w|^λ walked as in the first pass, for the pairs at positions
// p, p+1, … of the block from their signs s, four pairs at a time (two
// when p is not a multiple of 4).
//
// It repeats the first pass's ladder walk (ladderSums.walk) and the fine
// ladder's (fineSums.add) with its own work per rung, storing the shifts
// where those accumulate them. One walk with the per-rung work passed in
// as a function costs 17% of the whole second pass: 155.7 against 132.6
// CPU ns per pair (BenchmarkPasses/second, medians of 5 interleaved runs
// of each build), so the three loops stay separate.
func walkGrid(grid *[profileN]*[blockSize]float64, maxK, p int, s0, s1, f0, f1 []float64) {
	rungs := grid[profileZero+1 : maxK+1]
	s1 = s1[:len(s0)]
	f0 = f0[:len(s0)]
	f1 = f1[:len(s0)]
	j := walkGridVector(rungs, p, s0, s1, f0, f1)
	for ; j+3 < len(s0) && p%4 == 0; j += 4 {
		ba0, ba1, bb0, bb1 := s0[j], s1[j], s0[j+1], s1[j+1]
		bc0, bc1, bd0, bd1 := s0[j+2], s1[j+2], s0[j+3], s1[j+3]
		ia := (p + j) & (blockSize - 4)
		for _, gb := range rungs {
			ba0 *= f0[j]
			ba1 *= f1[j]
			bb0 *= f0[j+1]
			bb1 *= f1[j+1]
			bc0 *= f0[j+2]
			bc1 *= f1[j+2]
			bd0 *= f0[j+3]
			bd1 *= f1[j+3]
			if gb != nil {
				g4 := (*[4]float64)(gb[ia : ia+4])
				g4[0] = ba1 - ba0
				g4[1] = bb1 - bb0
				g4[2] = bc1 - bc0
				g4[3] = bd1 - bd0
			}
		}
	}
	for ; j+1 < len(s0); j += 2 {
		fa0, fa1, fb0, fb1 := f0[j], f1[j], f0[j+1], f1[j+1]
		ba0, ba1, bb0, bb1 := s0[j], s1[j], s0[j+1], s1[j+1]
		ia, ib := (p+j)&(blockSize-1), (p+j+1)&(blockSize-1)
		for _, gb := range rungs {
			ba0 *= fa0
			ba1 *= fa1
			bb0 *= fb0
			bb1 *= fb1
			if gb != nil {
				gb[ia] = ba1 - ba0
				gb[ib] = bb1 - bb0
			}
		}
	}
	if j < len(s0) {
		f0, f1 := f0[j], f1[j]
		b0, b1 := s0[j], s1[j]
		ia := (p + j) & (blockSize - 1)
		for _, gb := range rungs {
			b0 *= f0
			b1 *= f1
			if gb != nil {
				gb[ia] = b1 - b0
			}
		}
	}
}

// add walks pairs along the fine rungs from b = sign(w)|w|^start by the
// ratios g = |w|^step, four pairs at a time; the first pair ever added sets
// the shifts.
func (a *fineSums) add(b0, b1, g0, g1 []float64) {
	if len(b0) == 0 {
		return
	}
	b1 = b1[:len(b0)]
	g0 = g0[:len(b0)]
	g1 = g1[:len(b0)]
	if a.n == 0 {
		c0, c1 := b0[0], b1[0]
		for j := range a.shift {
			a.shift[j] = c1 - c0
			c0 *= g0[0]
			c1 *= g1[0]
		}
	}
	a.n += int64(len(b0))
	shift, s1, s2 := &a.shift, &a.s1, &a.s2
	j := a.addVector(b0, b1, g0, g1)
	for ; j+3 < len(b0); j += 4 {
		ba0, ba1, bb0, bb1 := b0[j], b1[j], b0[j+1], b1[j+1]
		bc0, bc1, bd0, bd1 := b0[j+2], b1[j+2], b0[j+3], b1[j+3]
		for r := range shift {
			sh := shift[r]
			ea := ba1 - ba0 - sh
			eb := bb1 - bb0 - sh
			ec := bc1 - bc0 - sh
			ed := bd1 - bd0 - sh
			s1[r] += (ea + eb) + (ec + ed)
			s2[r] += (ea*ea + eb*eb) + (ec*ec + ed*ed)
			ba0 *= g0[j]
			ba1 *= g1[j]
			bb0 *= g0[j+1]
			bb1 *= g1[j+1]
			bc0 *= g0[j+2]
			bc1 *= g1[j+2]
			bd0 *= g0[j+3]
			bd1 *= g1[j+3]
		}
	}
	for ; j+1 < len(b0); j += 2 {
		ga0, ga1, gb0, gb1 := g0[j], g1[j], g0[j+1], g1[j+1]
		ba0, ba1, bb0, bb1 := b0[j], b1[j], b0[j+1], b1[j+1]
		for r := range shift {
			ea := ba1 - ba0 - shift[r]
			eb := bb1 - bb0 - shift[r]
			s1[r] += ea + eb
			s2[r] += ea*ea + eb*eb
			ba0 *= ga0
			ba1 *= ga1
			bb0 *= gb0
			bb1 *= gb1
		}
	}
	if j < len(b0) {
		g0, g1 := g0[j], g1[j]
		b0, b1 := b0[j], b1[j]
		for r := range shift {
			e := b1 - b0 - shift[r]
			s1[r] += e
			s2[r] += e * e
			b0 *= g0
			b1 *= g1
		}
	}
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
		for len(d) > 0 {
			i := binScaled(d, mean, scale, unc, cen, &s3, &s4)
			if i == len(d) {
				break
			}
			// Outside the grid or near a grid point: clamp, and count by
			// the quotient when that matters.
			v := d[i]
			dm := v - mean
			unc[binOne(v, sd, scale)]++
			cen[binOne(dm, sd, scale)]++
			dm2 := dm * dm
			s3 += dm2 * dm
			s4 += dm2 * dm2
			d = d[i+1:]
		}
	}
	*m3 += s3
	*m4 += s4
}

// binOne is gridBin(x/sd) by way of the position t = x·scale + gridOffset
// (scale = 1/(h·sd)). t is within 1e-12 of the integer j + 1 when x/sd is
// on grid point j; away from that, the bin is the integer part of t whatever
// the last bits of x/sd. Positions outside the grid are clamped into the
// first or last bin, away from its ends; only a position within 1e-9 of an
// integer, where the last bit of the quotient could matter, pays for the
// division.
func binOne(x, sd, scale float64) int {
	const lo, hi = 0.25, gridPoints + 0.75
	t := x*scale + gridOffset
	if !(t >= lo) { // NaN too, which gridBin puts in bin 0
		t = lo
	} else if t > hi {
		t = hi
	}
	k := int(t)
	if f := t - float64(k); f < 1e-9 || f > 1-1e-9 {
		return quotientBin(x, sd)
	}
	return k
}

// binScaled counts the values of d on the grid by multiplication with
// scale = 1/(h·sd), as binOne does, and adds their central moments to s3
// and s4, up to the first value outside the grid or too close to a grid
// point, whose index it returns (len(d) if none). There is no call in the
// loop, so everything stays in registers.
//
// Adding binShifter to the position t rounds it to a multiple of 2^−30 and
// leaves it in the low bits as a fixed-point number: shifted right by 30,
// the bits are binBase + ⌊t⌋ when −2^21 ≤ t < 2^21, and far from that
// otherwise (NaN and infinities included). The shifter is added together
// with gridOffset (their sum rounded to a multiple of 2^−30), so the
// fixed-point position is within 2^−30 of binOne's t. It has the same
// integer part when its fraction is at least 4·2^−30 from 0 and 1, and t's
// fraction is then more than 1e-9 from them; a t within 1e-9 of an integer
// is always caught.
func binScaled(d []float64, mean, scale float64, unc, cen *gridCounts, s3, s4 *float64) int {
	off := gridOffset + binShifter
	base := binBaseVar // a variable, so the loop keeps it in a register
	// The sums are added in the values' order by vectors and Go loop alike.
	return vectorsThenGo(len(d),
		func(i int) int { return binVector(d[i:], mean, scale, off, unc, cen, s3, s4) },
		func(i, end int) int { return binScaledGo(d[i:end], mean, scale, off, base, unc, cen, s3, s4) })
}

// binScaledGo is binScaled in Go. Its moments' sums run as binAVX2's do,
// so that the two give the same bits: the moments of a run of groups of
// four values that all bin by multiplication go to four partial sums, one
// per place in the group, which join the sums as (p0 + p1) + (p2 + p3)
// where the run ends; the values of any other group, and the last values
// short of a group, are added one at a time. (Four chains of additions
// instead of one: a value's moments no longer wait for the previous
// value's, which made binning the slowest part of the second pass.)
func binScaledGo(d []float64, mean, scale, off float64, base uint64, unc, cen *gridCounts, s3, s4 *float64) int {
	t3, t4 := *s3, *s4
	_, _ = unc[0], cen[0] // one nil check each, not one per value
	i := 0
	for {
		var p3, p4 [4]float64
		groups := 0
		for ; i+3 < len(d); i += 4 {
			var ku, kc [4]uint64
			var dv [4]float64
			clean := true
			for j := range 4 {
				v := d[i+j]
				dv[j] = v - mean
				bu, bc := math.Float64bits(v*scale+off), math.Float64bits(dv[j]*scale+off)
				ku[j], kc[j] = bu>>fracBits-base, bc>>fracBits-base
				clean = clean && ku[j] <= gridPoints && kc[j] <= gridPoints && (bu+4)&fracMask >= 8 && (bc+4)&fracMask >= 8
			}
			if !clean {
				break
			}
			for j := range 4 {
				unc[ku[j]]++
				cen[kc[j]]++
				dm2 := dv[j] * dv[j]
				p3[j] += dm2 * dv[j]
				p4[j] += dm2 * dm2
			}
			groups++
		}
		if groups > 0 {
			t3 += (p3[0] + p3[1]) + (p3[2] + p3[3])
			t4 += (p4[0] + p4[1]) + (p4[2] + p4[3])
		}
		// One group (or the last values) one value at a time.
		for end := min(i+4, len(d)); i < end; i++ {
			v := d[i]
			dm := v - mean
			bu := math.Float64bits(v*scale + off)
			bc := math.Float64bits(dm*scale + off)
			ku, kc := bu>>fracBits-base, bc>>fracBits-base
			if ku > gridPoints || kc > gridPoints || min((bu+4)&fracMask, (bc+4)&fracMask) < 8 {
				*s3, *s4 = t3, t4
				return i
			}
			unc[ku]++
			cen[kc]++
			dm2 := dm * dm
			t3 += dm2 * dm
			t4 += dm2 * dm2
		}
		if i == len(d) {
			*s3, *s4 = t3, t4
			return i
		}
	}
}

// binUnc counts the standardised shifts d/sd on the grid, as bin does for
// its uncentred counts: the bootstrap's replicates need nothing else.
func binUnc(d []float64, sd float64, unc *gridCounts) {
	scale := gridInv / sd
	if !(sd > 0) || !finite(scale) {
		for _, v := range d {
			unc[gridBin(v/sd)]++
		}
		return
	}
	for len(d) > 0 {
		i := binScaledUnc(d, scale, unc)
		if i == len(d) {
			break
		}
		unc[binOne(d[i], sd, scale)]++
		d = d[i+1:]
	}
}

// binScaledUnc is binScaled for the uncentred counts alone.
func binScaledUnc(d []float64, scale float64, unc *gridCounts) int {
	off := gridOffset + binShifter
	return vectorsThenGo(len(d),
		func(i int) int { return binUncVector(d[i:], scale, off, unc) },
		func(i, end int) int { return binScaledUncGo(d[i:end], scale, off, unc) })
}

// binScaledUncGo is binScaledUnc in Go.
func binScaledUncGo(d []float64, scale, off float64, unc *gridCounts) int {
	_ = unc[0]
	i := 0
	for ; i < len(d); i++ {
		bu := math.Float64bits(d[i]*scale + off)
		ku := bu>>fracBits - binBase
		if ku > gridPoints || (bu+4)&fracMask < 8 {
			break
		}
		unc[ku]++
	}
	return i
}

// The fixed-point position of binScaled and binScaledUnc.
const (
	fracBits   = 30
	binShifter = 0x1.8p52 / (1 << fracBits)
	binBase    = (1023+52-fracBits)<<(52-fracBits) + 1<<(52-fracBits-1)
	fracMask   = 1<<fracBits - 1
)

// binBaseVar is binBase as a variable: binScaled keeps it in a register
// rather than loading the 64-bit constant for every value.
var binBaseVar uint64 = binBase

// quotientBin is gridBin(x/sd), kept out of line (it is rarely needed).
//
//go:noinline
func quotientBin(x, sd float64) int { return gridBin(x / sd) }
