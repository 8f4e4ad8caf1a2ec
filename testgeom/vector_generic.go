//go:build !amd64 || purego

package testgeom

// vectorKernels is false: the kernels are the Go loops alone.
var vectorKernels = false

// wideKernels is false: there are no vectors.
var wideKernels = false

func (a *ladderSums) walkVector(st0, st1, r0, r1 []float64, from, step, rungs int, g *[profileN]float64) int {
	return 0
}

func (a *fineSums) addVector(b0, b1, g0, g1 []float64) int { return 0 }

func walkGridVector(rungs []*[blockSize]float64, p int, s0, s1, f0, f1 []float64) int { return 0 }

func expVector(dst, x []float64, c float64) int { return 0 }

func logVector(dst, x []float64) int { return 0 }

func binVector(d []float64, mean, scale, off float64, unc, cen *gridCounts, s3, s4 *float64) int {
	return 0
}

func binUncVector(d []float64, scale, off float64, unc *gridCounts) int { return 0 }

func scoreVector(lambda float64, s0, s1, l0, l1, e0, e1, d, a []float64, fix []uint8) int { return 0 }
