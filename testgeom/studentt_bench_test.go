package testgeom

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/internal/splitmix"
)

// heavyPairs are n pairs of log-normal weights after one NE step with
// Student-t(3) noise of scale 0.2.
func heavyPairs(n int) ([]float64, []float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = math.Exp(0.5 * rng.NormFloat64())
		var chi float64
		for range 3 {
			z := rng.NormFloat64()
			chi += z * z
		}
		w1[i] = w0[i] * math.Exp(0.2*rng.NormFloat64()/math.Sqrt(chi/3))
	}
	return w0, w1
}

// bf16Pairs are n pairs of N(0, 0.02²) weights after one NE step of scale
// 0.01, both rounded to bfloat16 as bench/ckptgen writes them: the rounding
// makes the dual steps heavy-tailed and lumpy.
func bf16Pairs(n int) ([]float64, []float64) {
	rng := rand.New(rand.NewPCG(1, 7))
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = roundBF16(0.02 * rng.NormFloat64())
		w1[i] = roundBF16(w0[i] * math.Exp(0.01*rng.NormFloat64()))
	}
	return w0, w1
}

// lumpyBF16Pairs are about m of the bf16Pairs of a tensor of n weights,
// chosen by a seeded hash of their values alone (as the second pass chose
// them before its key held the position): a sample of few distinct pairs
// with all their copies, whose dual steps are lumps, on which Student-t
// fits stall and run into the bound of ν.
func lumpyBF16Pairs(n, m int) ([]float64, []float64) {
	rng := rand.New(rand.NewPCG(1, 7))
	thr := uint64(float64(m) / float64(n) * (1 << 63) * 2)
	var w0, w1 []float64
	for range n {
		x0 := roundBF16(0.02 * rng.NormFloat64())
		x1 := roundBF16(x0 * math.Exp(0.01*rng.NormFloat64()))
		if splitmix.Finalize(math.Float64bits(x0)^(math.Float64bits(x1)*0x9e3779b97f4a7c15+0x632be59bd9b4e019)^1) < thr {
			w0, w1 = append(w0, x0), append(w1, x1)
		}
	}
	return w0, w1
}

// roundBF16 rounds v to the nearest bfloat16 (ties to even).
func roundBF16(v float64) float64 {
	b := math.Float32bits(float32(v))
	b += 0x7fff + (b>>16)&1
	return float64(math.Float32frombits(b &^ 0xffff))
}

// BenchmarkStepModels is the step-model comparison on the largest
// subsample the second pass keeps (10⁵ pairs), for Gaussian steps (ν̂ at
// its bound) and Student-t(3) steps, also as the subsample of a data set
// ten times larger: what it adds to a default test; and bfloat16-rounded
// pairs, as a checkpoint tensor's subsample of 20,000: a uniform one, and
// a lumpy one (lumpyBF16Pairs). Half of the lumpy sample's steps are
// exactly zero, so its Student-t fit runs into the bound of ν and ends in
// the status that says so, after the same work.
func BenchmarkStepModels(b *testing.B) {
	n := DefaultSampleMax
	gw0, gw1 := benchPairs(n)
	hw0, hw1 := heavyPairs(n)
	bw0, bw1 := bf16Pairs(20000) // the per-tensor subsample of checkpoints (--group-sample)
	kw0, kw1 := lumpyBF16Pairs(1<<24, 20000)
	for _, c := range []struct {
		name   string
		w0, w1 []float64
		nFull  int64 // > n: the pairs stand for a larger data set, so the Gaussian profile is searched too
		atom   bool  // the fit ends at the bound of ν, on an atom of zero steps
	}{{"gaussian", gw0, gw1, int64(n), false}, {"student-t3", hw0, hw1, int64(n), false}, {"student-t3-subsample", hw0, hw1, 10 * int64(n), false},
		{"bf16-group-subsample", bw0, bw1, 1 << 20, false},
		{"bf16-lumpy-subsample", kw0, kw1, 1 << 24, true}} {
		b.Run(c.name, func(b *testing.B) {
			r, err := TestPaired(c.w0, c.w1, Options{NullReplicates: -1, NoStepModels: true})
			if err != nil || r.LambdaHat == nil {
				b.Fatal(err, r.ProfileStatus)
			}
			c0 := cpuTime()
			var sm *StepModels
			for b.Loop() {
				lp := newLikPairs(c.w0, c.w1, 1)
				sm = fitStepModels(lp, c.nFull, r.LambdaHat, r.LambdaCI, nil)
			}
			b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
			if atom := strings.Contains(sm.Status, "reached its lower bound"); sm.Status != StatusOK && !atom || atom != c.atom {
				b.Fatal(sm.Status)
			}
		})
	}
}
