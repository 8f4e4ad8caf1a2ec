package testgeom

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkOrderFloats is one sort of the diagnostics: the order of 10^5
// shifts.
func BenchmarkOrderFloats(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 100000)
	for i := range x {
		x[i] = rng.NormFloat64() * 0.3
	}
	var sc orderScratch
	var order []int
	for b.Loop() {
		order = orderFloatsInto(x, &sc, order)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(x)), "ns/value")
}
