package testgeom

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// Radix sorting for the fixed-size work of the paired test (the
// per-candidate diagnostics on the subsample, and the canonical order of
// the kept pairs), where comparison sorts of 10^5 values dominated. The
// order is that of a stable comparison sort, so every statistic computed
// from it is unchanged to the bit.

// The radix sort orders words by their top radixKeyBits bits (of a float's
// key, or a hash), in three passes of 11-bit digits whose 2048 counters
// each stay in the L1 cache; the low bits carry the element's index.
const (
	radixBits    = 11
	radixPasses  = 3
	radixKeyBits = 32  // of a float: sign, exponent and 20 bits of mantissa
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
	return orderKeysInto(len(x), func(i int) uint64 { return floatKey(x[i]) }, nil, sc, order)
}

// orderKeysInto writes into order (grown as needed) the permutation that
// sorts n elements by key(i), stably, or by tie(a, b) where it is not nil:
// tie must order by key first. It radix-sorts one word an element, the
// key's top radixKeyBits bits above the index (n ≤ 2^b): three passes that
// move half the bytes of a sort of whole keys carrying their indices, in
// six. Runs that agree in those bits but not in the dropped ones, few for
// keys of any spread (floats 2^-20 of their size apart, hashes one in
// 2^32), are then sorted by a comparison sort.
func orderKeysInto(n int, key func(i int) uint64, tie func(a, b int) int, sc *orderScratch, order []int) []int {
	order = slices.Grow(order[:0], n)[:n]
	if tie == nil {
		tie = func(a, b int) int { return cmp.Compare(key(a), key(b)) }
	}
	if n < radixMin {
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, tie)
		return order
	}
	b := max(64-radixKeyBits, bits.Len(uint(n-1)))
	sc.keys = slices.Grow(sc.keys[:0], n)[:n]
	sc.tk = slices.Grow(sc.tk[:0], n)[:n]
	for i := range n {
		sc.keys[i] = key(i)>>b<<b | uint64(i)
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
		if run := order[i:j]; len(run) > 1 && !slices.IsSortedFunc(run, tie) {
			slices.SortStableFunc(run, tie)
		}
		i = j
	}
	return order
}
