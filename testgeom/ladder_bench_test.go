package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkLadder is the first pass's walk of one block of pairs along the
// λ ladder, up (λ > 0, with Σ b0²) and down (λ < 0, same-sign pairs): the
// inner loop of Scan, without the gathering around it.
func BenchmarkLadder(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	n := pairBlockSize - 1 // exercises the four-, two- and one-pair loops
	sg0, sg1, f0, f1 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	i0, i1 := make([]float64, n), make([]float64, n)
	for j := range n {
		w0 := math.Exp(r.NormFloat64())
		w1 := w0 * math.Exp(0.1*r.NormFloat64())
		sg0[j], sg1[j] = 1, 1
		f0[j], f1[j] = math.Pow(w0, profileStep), math.Pow(w1, profileStep)
		i0[j], i1[j] = 1/f0[j], 1/f1[j]
	}
	var lad ladderSums
	c0 := cpuTime()
	for b.Loop() {
		lad.up(sg0, sg1, f0, f1, profileN-1-profileZero)
		lad.down(sg0, i0, i1)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/pair")
	// CPU time, which the load of a shared machine distorts less.
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/pair")
}
