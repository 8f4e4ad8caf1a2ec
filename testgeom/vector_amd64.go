//go:build !purego

package testgeom

import "golang.org/x/sys/cpu"

// vectorKernels says whether the kernels' hot loops (the ladder walks, exp
// and log by blocks, the binning) run four values to a vector register
// (kernels_amd64.s, fastmath_amd64.s); they give the Go loops' bits.
var vectorKernels = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// wideKernels says whether the kernels run eight values (two groups of
// four pairs) to a register first (AVX-512), with the same bits: exp and
// log by blocks, the ladder walks and the binning.
var wideKernels = vectorKernels && cpu.X86.HasAVX512F

// groupsWideThenFour walks groups groups of four pairs: two at a time with
// eight, given how many pairs from the first, where the machine has the
// wide kernels; the group left over, or all of them, with four, given the
// first pair and how many groups.
func groupsWideThenFour(groups int, eight func(pairs int), four func(i, groups int)) {
	i := 0
	if wideKernels && groups >= 2 {
		i = 8 * (groups / 2)
		eight(i)
	}
	if i < 4*groups {
		four(i, groups-i/4)
	}
}

// valuesWideThenFour runs a kernel over n values eight to a register where
// the machine has the wide kernels, then four from where that stopped; each
// kernel returns how many values it did from the index given, stopping
// before a group it leaves to the Go loop. It returns how many were done.
func valuesWideThenFour(n int, eight, four func(i int) int) int {
	i := 0
	if wideKernels && n >= 8 {
		i = eight(0)
		if n-i < 4 {
			return i
		}
	}
	return i + four(i)
}

//go:noescape
func walkAVX2(st0, st1, r0, r1 *float64, groups int, shift, s1, s2, gsum *float64, from, step, rungs int)

//go:noescape
func walkAVX512(st0, st1, r0, r1 *float64, pairs int, shift, s1, s2, gsum *float64, from, step, rungs int)

//go:noescape
func fineAVX2(b0, b1, g0, g1 *float64, groups int, shift, s1, s2 *float64, rungs int)

// walkVector walks the pairs of the ladder walk in whole groups of four
// and returns how many it walked.
func (a *ladderSums) walkVector(st0, st1, r0, r1 []float64, from, step, rungs int, g *[profileN]float64) int {
	groups := len(st0) / 4
	if !vectorKernels || groups == 0 || rungs <= 0 {
		return 0
	}
	groupsWideThenFour(groups,
		func(pairs int) {
			walkAVX512(&st0[0], &st1[0], &r0[0], &r1[0], pairs, &a.shift[0], &a.s1[0], &a.s2[0], &g[0], from, step, rungs)
		},
		func(i, groups int) {
			walkAVX2(&st0[i], &st1[i], &r0[i], &r1[i], groups, &a.shift[0], &a.s1[0], &a.s2[0], &g[0], from, step, rungs)
		})
	return 4 * groups
}

// addVector is fineSums.add's walk of whole groups of four pairs.
func (a *fineSums) addVector(b0, b1, g0, g1 []float64) int {
	groups := len(b0) / 4
	if !vectorKernels || groups == 0 {
		return 0
	}
	groupsWideThenFour(groups,
		func(pairs int) {
			fineAVX512(&b0[0], &b1[0], &g0[0], &g1[0], pairs, &a.shift[0], &a.s1[0], &a.s2[0], fineRungs)
		},
		func(i, groups int) {
			fineAVX2(&b0[i], &b1[i], &g0[i], &g1[i], groups, &a.shift[0], &a.s1[0], &a.s2[0], fineRungs)
		})
	return 4 * groups
}

//go:noescape
func fineAVX512(b0, b1, g0, g1 *float64, pairs int, shift, s1, s2 *float64, rungs int)

//go:noescape
func gridAVX2(grid **[blockSize]float64, rungs int, s0, s1, f0, f1 *float64, groups int, at int)

// walkGridVector is walkGrid's walk of whole groups of four pairs, from
// position p of the block (a multiple of 4).
func walkGridVector(rungs []*[blockSize]float64, p int, s0, s1, f0, f1 []float64) int {
	groups := len(s0) / 4
	if !vectorKernels || groups == 0 || len(rungs) == 0 || p%4 != 0 || p+4*groups > blockSize {
		return 0
	}
	gridAVX2(&rungs[0], len(rungs), &s0[0], &s1[0], &f0[0], &f1[0], groups, p)
	return 4 * groups
}

//go:noescape
func scoreAVX2(lambda float64, s0, s1, l0, l1, e0, e1, d, a *float64, groups int, fix *uint8, coef *[12]float64)

// scoreVector is scoreShiftExp's d and a for the whole groups of four
// pairs, with a bit in fix for each pair it leaves to scoreShiftExp (a
// sign change or a change too small for e1 − e0); it returns how many
// pairs it did. λ must not be 0.
func scoreVector(lambda float64, s0, s1, l0, l1, e0, e1, d, a []float64, fix []uint8) int {
	groups := len(s0) / 4
	if !vectorKernels || groups == 0 {
		return 0
	}
	_, _, _, _, _, _, _, _ = s1[4*groups-1], l0[4*groups-1], l1[4*groups-1], e0[4*groups-1], e1[4*groups-1], d[4*groups-1], a[4*groups-1], fix[groups-1]
	scoreAVX2(lambda, &s0[0], &s1[0], &l0[0], &l1[0], &e0[0], &e1[0], &d[0], &a[0], groups, &fix[0], &duCoef)
	return 4 * groups
}

//go:noescape
func expAVX2(dst, x *float64, n int, c float64) int

//go:noescape
func logAVX2(dst, x *float64, n int) int

//go:noescape
func expAVX512(dst, x *float64, n int, c float64) int

//go:noescape
func logAVX512(dst, x *float64, n int) int

// expVector is expScaled four values at a time, up to the first group of
// four with a value out of its range; it returns how many it did.
func expVector(dst, x []float64, c float64) int {
	if !vectorKernels || len(dst) < 4 {
		return 0
	}
	n := min(len(dst), len(x))
	return valuesWideThenFour(n,
		func(i int) int { return expAVX512(&dst[i], &x[i], n-i, c) },
		func(i int) int { return expAVX2(&dst[i], &x[i], n-i, c) })
}

// logVector is logAbs as expVector is expScaled.
func logVector(dst, x []float64) int {
	if !vectorKernels || len(dst) < 4 {
		return 0
	}
	n := min(len(dst), len(x))
	return valuesWideThenFour(n,
		func(i int) int { return logAVX512(&dst[i], &x[i], n-i) },
		func(i int) int { return logAVX2(&dst[i], &x[i], n-i) })
}

//go:noescape
func binAVX2(d *float64, n int, mean, scale, off float64, base uint64, unc, cen *int64, s3, s4 *float64, wide bool) int

// binVector is binScaled eight values at a time where the machine has the
// wide kernels, then four, up to the first group with a value it leaves to
// the Go loop; it returns how many it did.
func binVector(d []float64, mean, scale, off float64, unc, cen *gridCounts, s3, s4 *float64) int {
	if !vectorKernels || len(d) < 4 {
		return 0
	}
	return binAVX2(&d[0], len(d), mean, scale, off, binBase, &unc[0], &cen[0], s3, s4, wideKernels)
}

//go:noescape
func binUncAVX2(d *float64, n int, scale, off float64, base uint64, unc *int64, wide bool) int

// binUncVector is binScaledUnc as binVector is binScaled.
func binUncVector(d []float64, scale, off float64, unc *gridCounts) int {
	if !vectorKernels || len(d) < 4 {
		return 0
	}
	return binUncAVX2(&d[0], len(d), scale, off, binBase, &unc[0], wideKernels)
}
