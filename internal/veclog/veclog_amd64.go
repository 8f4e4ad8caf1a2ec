//go:build !purego

package veclog

import "golang.org/x/sys/cpu"

// vectors says whether Logs runs four values to a vector register.
var vectors = cpu.X86.HasAVX2

//go:noescape
func logsAVX2(dst, x *float64, n int) int

// logsVector takes the logs of whole groups of four positive finite values
// from the start of x, up to the first group with another value; it
// returns how many it did.
func logsVector(dst, x []float64) int {
	if !vectors || len(dst) < 4 {
		return 0
	}
	return logsAVX2(&dst[0], &x[0], min(len(dst), len(x)))
}
