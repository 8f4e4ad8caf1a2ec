package testgeom

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// Radix sorting of float64 values for the fixed-size work of the paired
// test (the per-candidate diagnostics on the subsample), where comparison
// sorts of 10^5 values dominated. The order is that of a stable comparison
// sort, so every statistic computed from it is unchanged to the bit.

// The radix sort orders words by their top radixKeyBits bits (of a float's
// key), in three passes of 11-bit digits whose 2048 counters each stay in
// the L1 cache; the low bits carry the element's index.
const (
	radixBits    = 11
	radixPasses  = 3
	radixKeyBits = 32  // sign, exponent and 20 bits of mantissa
	radixMin     = 256 // below this, a comparison sort is faster
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

// radixSort sorts words stably in increasing order of their bits from bit
// from up (the bits below ride along); from must be at least
// 64 − radixPasses·radixBits. tk is scratch of the same length. Passes
// whose digit is the same for every word are skipped.
func radixSort(words []uint64, from int, tk []uint64) {
	if len(words) == 0 {
		return
	}
	const m = 1<<radixBits - 1
	var counts [radixPasses][1 << radixBits]int
	for _, k := range words {
		k >>= from
		counts[0][k&m]++
		counts[1][k>>radixBits&m]++
		counts[2][k>>(2*radixBits)&m]++
	}
	n := len(words)
	swaps := 0
	for p := range radixPasses {
		c := &counts[p]
		shift := from + p*radixBits
		if c[words[0]>>shift&m] == n {
			continue // one digit for all
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for _, k := range words {
			d := k >> shift & m
			tk[c[d]] = k
			c[d]++
		}
		words, tk = tk, words
		swaps++
	}
	if swaps%2 == 1 { // the result is in the scratch; tk is the caller's
		copy(tk, words)
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
}

// orderFloatsInto is orderFloats writing the permutation into order (grown
// as needed) with sc's scratch, so that one worker's buffers serve every
// candidate of the diagnostics.
func orderFloatsInto(x []float64, sc *orderScratch, order []int) []int {
	n := len(x)
	order = slices.Grow(order[:0], n)[:n]
	if n < radixMin {
		for i := range order {
			order[i] = i
		}
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
	// One word an element: the key's top bits above its index (n ≤ 2^b).
	// Three passes over the top 32 bits (sign, exponent and 20 bits of
	// mantissa) order the values to 2^-20 of their size; runs that agree
	// there but not in the dropped bits, few in data of any spread, are
	// then sorted by their whole keys. Against a sort of whole keys
	// carrying their indices (six passes of twice the bytes) this halves
	// the diagnostics' sorting.
	b := max(64-radixKeyBits, bits.Len(uint(n-1)))
	sc.keys = slices.Grow(sc.keys[:0], n)[:n]
	sc.tk = slices.Grow(sc.tk[:0], n)[:n]
	for i, v := range x {
		sc.keys[i] = floatKey(v)>>b<<b | uint64(i)
	}
	radixSort(sc.keys, b, sc.tk)
	mask := uint64(1)<<b - 1
	for i, w := range sc.keys {
		order[i] = int(w & mask)
	}
	for i := 0; i < n; {
		j, top := i+1, sc.keys[i]>>b
		for j < n && sc.keys[j]>>b == top {
			j++
		}
		if run := order[i:j]; len(run) > 1 && !slices.EqualFunc(run[1:], run[:len(run)-1], func(a, c int) bool { return floatKey(x[a]) == floatKey(x[c]) }) {
			slices.SortStableFunc(run, func(a, c int) int { return cmp.Compare(floatKey(x[a]), floatKey(x[c])) })
		}
		i = j
	}
	return order
}
