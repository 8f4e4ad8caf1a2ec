package testgeom

import (
	"math"
	"slices"
)

// Radix sorting of float64 values for the fixed-size work of the paired
// test (the per-candidate diagnostics on the subsample), where comparison
// sorts of 10^5 values dominated. The order is that of a stable comparison
// sort, so every statistic computed from it is unchanged to the bit.

// radixBits is the digit width: six passes of 11 bits cover 64-bit keys,
// and a pass's 2048 counters stay in the L1 cache.
const (
	radixBits   = 11
	radixPasses = (64 + radixBits - 1) / radixBits
	radixMin    = 256 // below this, a comparison sort is faster
)

// floatKey maps x to an unsigned key in the order of x: negative values
// have all bits flipped, the others the sign bit set. −0 maps to +0's key,
// so the two zeros count as ties, as they do for <. x must not be NaN.
func floatKey(x float64) uint64 {
	if x == 0 {
		x = 0
	}
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// radixSort sorts keys in increasing order, carrying idx along when it is
// not nil; the sort is stable. tk and ti are scratch of the same lengths
// (ti may be nil with idx). Passes whose digit is the same for every key are
// skipped.
func radixSort(keys []uint64, idx []int, tk []uint64, ti []int) {
	if len(keys) == 0 {
		return
	}
	var counts [radixPasses][1 << radixBits]int
	for _, k := range keys {
		for p := range radixPasses {
			counts[p][k>>(p*radixBits)&(1<<radixBits-1)]++
		}
	}
	n := len(keys)
	swaps := 0
	for p := range radixPasses {
		c := &counts[p]
		if c[keys[0]>>(p*radixBits)&(1<<radixBits-1)] == n {
			continue // one digit for all
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		shift := p * radixBits
		if idx == nil {
			for _, k := range keys {
				d := k >> shift & (1<<radixBits - 1)
				tk[c[d]] = k
				c[d]++
			}
		} else {
			for i, k := range keys {
				d := k >> shift & (1<<radixBits - 1)
				tk[c[d]], ti[c[d]] = k, idx[i]
				c[d]++
			}
			idx, ti = ti, idx
		}
		keys, tk = tk, keys
		swaps++
	}
	if swaps%2 == 1 { // the result is in the scratch; tk is the caller's
		copy(tk, keys)
		if idx != nil {
			copy(ti, idx)
		}
	}
}

// orderFloats returns the permutation that sorts x stably (ties in index
// order), as sort.SliceStable with < gives for values without NaN.
func orderFloats(x []float64) []int {
	var sc orderScratch
	return orderFloatsInto(x, &sc, nil)
}

// orderScratch holds the radix sort's keys and indices for reuse.
type orderScratch struct {
	keys, tk []uint64
	ti       []int
}

// orderFloatsInto is orderFloats writing the permutation into order (grown
// as needed) with sc's scratch, so that one worker's buffers serve every
// candidate of the diagnostics.
func orderFloatsInto(x []float64, sc *orderScratch, order []int) []int {
	n := len(x)
	order = slices.Grow(order[:0], n)[:n]
	for i := range order {
		order[i] = i
	}
	if n < radixMin {
		slices.SortStableFunc(order, func(a, b int) int {
			switch {
			case x[a] < x[b]:
				return -1
			case x[b] < x[a]:
				return 1
			}
			return 0
		})
		return order
	}
	sc.keys = slices.Grow(sc.keys[:0], n)[:n]
	sc.tk = slices.Grow(sc.tk[:0], n)[:n]
	sc.ti = slices.Grow(sc.ti[:0], n)[:n]
	for i, v := range x {
		sc.keys[i] = floatKey(v)
	}
	radixSort(sc.keys, order, sc.tk, sc.ti)
	return order
}
