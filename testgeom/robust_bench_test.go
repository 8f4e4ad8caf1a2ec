package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkRobust is the second pass's robust-score features of one block
// of pairs: |w|^λ_r by expScaled, then the features and their sums.
func BenchmarkRobust(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	n := pairBlockSize
	s0, s1, l0, l1 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	e0, e1 := make([]float64, n), make([]float64, n)
	for j := range n {
		w0 := math.Exp(-0.7 + 0.94*r.NormFloat64())
		w1 := math.Abs(w0*math.Exp(0.2*r.NormFloat64()) + 0.05*r.NormFloat64())
		s0[j], s1[j] = 1, 1
		l0[j], l1[j] = math.Log(w0), math.Log(w1)
	}
	pl := robustPlan{ok: true, lambda: 0.343, shift: -0.08}
	var c robustChunk
	var fb robustBlock
	c0 := cpuTime()
	for b.Loop() {
		expScaled(e0, l0, pl.lambda)
		expScaled(e1, l1, pl.lambda)
		pl.addBlock(&c, &fb, s0, s1, l0, l1, e0, e1)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/pair")
	// CPU time, which the load of a shared machine distorts less.
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/pair")
}
