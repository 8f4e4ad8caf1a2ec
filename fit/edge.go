package fit

import "math"

// allFinite reports whether every entry of m is finite, so that a matrix
// can go into JSON.
func allFinite(m [][]float64) bool {
	for _, row := range m {
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return true
}
