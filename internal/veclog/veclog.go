package veclog

import "math"

// Logs sets dst[i] = math.Log(x[i]) for i < len(dst), with the same bits.
// dst and x may be the same slice.
func Logs(dst, x []float64) {
	x = x[:len(dst)]
	for i := 0; i < len(x); {
		i += logsVector(dst[i:], x[i:])
		// math.Log does the group of four the vectors stopped at, or
		// everything when there are none.
		end := len(x)
		if vectors {
			end = min(i+4, len(x))
		}
		for j := i; j < end; j++ {
			dst[j] = math.Log(x[j])
		}
		i = end
	}
}
