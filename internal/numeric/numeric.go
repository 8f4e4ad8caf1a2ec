// Package numeric holds the float64 helpers that the statistics packages
// (testgeom and the analyses built on it, compare and noise) share: the
// test of a finite value, the pointer that encodes a number or JSON null,
// and numpy's default quantile of sorted values. It imports no project
// package.
package numeric

import "math"

// Finite reports whether x is neither NaN nor ±Inf.
func Finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// OrNil returns a pointer to x, or nil when x is NaN or ±Inf: result
// fields that encode a missing number as JSON null.
func OrNil(x float64) *float64 {
	if !Finite(x) {
		return nil
	}
	return &x
}

// QuantileSorted is the linearly interpolated q-quantile of the sorted,
// non-empty x (numpy's default, R's type 7).
func QuantileSorted(x []float64, q float64) float64 {
	h := q * float64(len(x)-1)
	i := int(math.Floor(h))
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}
