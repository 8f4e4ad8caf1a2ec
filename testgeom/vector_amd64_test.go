//go:build !purego

package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWideWalks checks the eight-pair ladder walks against the four-pair
// ones directly, for every remainder of rungs modulo four (the callers ask
// for some only) and both directions: one call over eight pairs must leave
// the sums of two calls over four.
func TestWideWalks(t *testing.T) {
	if !wideKernels {
		t.Skip("no AVX-512 on this machine")
	}
	r := rand.New(rand.NewPCG(9, 10))
	const n = 16
	var b0, b1, g0, g1 [n]float64
	for j := range n {
		w0 := math.Exp(2 * r.NormFloat64())
		w1 := w0 * math.Exp(0.3*r.NormFloat64())
		b0[j], b1[j] = w0, w1
		if r.IntN(4) == 0 {
			b1[j] = -w1
		}
		g0[j], g1[j] = math.Pow(w0, 0.1), math.Pow(w1, 0.1)
	}
	for rungs := 1; rungs <= 9; rungs++ {
		for _, step := range []int{1, -1} {
			from := profileZero + step
			var wide, four ladderSums
			for k := range wide.shift {
				wide.shift[k] = 0.01 * float64(k-profileZero)
			}
			four.shift = wide.shift
			walkAVX512(&b0[0], &b1[0], &g0[0], &g1[0], n, &wide.shift[0], &wide.s1[0], &wide.s2[0], &wide.gsum[0], from, step, rungs)
			walkAVX2(&b0[0], &b1[0], &g0[0], &g1[0], 2, &four.shift[0], &four.s1[0], &four.s2[0], &four.gsum[0], from, step, rungs)
			walkAVX2(&b0[8], &b1[8], &g0[8], &g1[8], 2, &four.shift[0], &four.s1[0], &four.s2[0], &four.gsum[0], from, step, rungs)
			if wide != four {
				t.Errorf("walk, %d rungs, step %d: eight pairs at a time differ from four", rungs, step)
			}
		}
		var wide, four fineSums
		for k := range wide.shift {
			wide.shift[k] = 0.02 * float64(k)
		}
		four.shift = wide.shift
		fineAVX512(&b0[0], &b1[0], &g0[0], &g1[0], n, &wide.shift[0], &wide.s1[0], &wide.s2[0], rungs)
		fineAVX2(&b0[0], &b1[0], &g0[0], &g1[0], 2, &four.shift[0], &four.s1[0], &four.s2[0], rungs)
		fineAVX2(&b0[8], &b1[8], &g0[8], &g1[8], 2, &four.shift[0], &four.s1[0], &four.s2[0], rungs)
		if wide != four {
			t.Errorf("fine ladder, %d rungs: eight pairs at a time differ from four", rungs)
		}
	}
}
