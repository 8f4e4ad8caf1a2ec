package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"
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

// BenchmarkStepModels is the step-model comparison on the largest
// subsample the second pass keeps (10⁵ pairs), for Gaussian steps (ν̂ at
// its bound) and Student-t(3) steps, also as the subsample of a data set
// ten times larger: what it adds to a default test.
func BenchmarkStepModels(b *testing.B) {
	n := DefaultSampleMax
	gw0, gw1 := benchPairs(n)
	hw0, hw1 := heavyPairs(n)
	for _, c := range []struct {
		name   string
		w0, w1 []float64
		nFull  int64 // > n: the pairs stand for a larger data set, so the Gaussian profile is searched too
	}{{"gaussian", gw0, gw1, int64(n)}, {"student-t3", hw0, hw1, int64(n)}, {"student-t3-subsample", hw0, hw1, 10 * int64(n)}} {
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
			if sm.Status != "ok" {
				b.Fatal(sm.Status)
			}
		})
	}
}
