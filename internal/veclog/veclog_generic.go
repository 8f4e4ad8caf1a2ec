//go:build !amd64 || purego

package veclog

// vectors is false: Logs calls math.Log for every value.
var vectors = false

func logsVector(dst, x []float64) int { return 0 }
