package testgeom

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/syngeom/syngeom/geometry"
)

// cpuTime is the user + system CPU time of the process: on a shared,
// overloaded machine it shows the work done, which wall time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var benchData = map[int][2][]float64{}
var benchMu sync.Mutex

func benchPairs(n int) ([]float64, []float64) {
	benchMu.Lock()
	defer benchMu.Unlock()
	if d, ok := benchData[n]; ok {
		return d[0], d[1]
	}
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(1, 2)), n, "lognormal", geometry.PNorm{P: 1.5})
	benchData[n] = [2][]float64{w0, w1}
	return w0, w1
}

// BenchmarkScan is both passes over n pairs for the 21 paper candidates
// and the 51-point λ ladder (the exact ΔCDF, magnitudes, moments and the
// coarse profile).
func BenchmarkScan(b *testing.B) {
	for _, n := range []int{1e6, 1e7} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			w0, w1 := benchPairs(n)
			c0 := cpuTime()
			for b.Loop() {
				sc := NewScan(nil, 0)
				sc.Add(w0, w1)
				sec := sc.SecondPass(0, 0)
				sec.Add(w0, w1)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/pair")
			b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkScanAndProfile adds the refinement of λ̂ and its interval on the
// fine ladder (one more pass; exact-evals/op counts fallbacks to the exact
// likelihood, one pass each): the full scan of the paired test without calibration, diagnostics or
// bootstrap.
func BenchmarkScanAndProfile(b *testing.B) {
	for _, n := range []int{1e6, 1e7} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			w0, w1 := benchPairs(n)
			evals := 0
			c0 := cpuTime()
			for b.Loop() {
				sc := NewScan(nil, 0)
				sc.Add(w0, w1)
				sec := sc.SecondPass(0, 0)
				sec.Add(w0, w1)
				fp := sec.fineProfile(lazyExact(w0, w1, 0))
				fit := fitProfile(fp.grid, fp.logLik, true)
				evals += fp.exactCalls
				if !fit.ok {
					b.Fatal(fit.status)
				}
			}
			b.ReportMetric(float64(evals)/float64(b.N), "exact-evals/op")
			b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkTestPaired is the whole analysis with the default calibration
// (200 null simulations at up to 10^5) and diagnostics on a 10^5 subsample,
// without the bootstrap.
func BenchmarkTestPaired(b *testing.B) {
	for _, n := range []int{1e6, 1e7} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			w0, w1 := benchPairs(n)
			c0 := cpuTime()
			for b.Loop() {
				if _, err := TestPaired(w0, w1, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkPasses times the first pass, and the second with the fine λ
// ladder, separately on one worker (CPU ns per pair).
func BenchmarkPasses(b *testing.B) {
	const n = 1e6
	w0, w1 := benchPairs(n)
	b.Run("first", func(b *testing.B) {
		c0 := cpuTime()
		for b.Loop() {
			sc := NewScan(nil, 1)
			sc.Add(w0, w1)
			sc.final()
		}
		b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/n, "cpu-ns/pair")
	})
	b.Run("second", func(b *testing.B) {
		sc := NewScan(nil, 1)
		sc.Add(w0, w1)
		sc.final()
		c0 := cpuTime()
		for b.Loop() {
			sec := sc.SecondPass(0, 0)
			sec.Add(w0, w1)
			sec.finish()
		}
		b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/n, "cpu-ns/pair")
	})
}

// BenchmarkBootstrap is the bootstrap of the paired test on a 10^5-pair
// sample (the default subsample size), 20 resamples on one worker: with
// the replicates on the sample's fine ladder (planned, as Result runs it)
// and each replicate scanned whole.
func BenchmarkBootstrap(b *testing.B) {
	w0, w1 := benchPairs(1e5)
	for _, c := range []struct {
		name string
		plan *ladderPlan
	}{{"planned", replicatePlanOf(w0, w1)}, {"whole", nil}} {
		b.Run(c.name, func(b *testing.B) {
			c0 := cpuTime()
			for b.Loop() {
				bootstrapPairs(geometry.DefaultCandidates(), w0, w1, 1e5, nil, c.plan, Options{Bootstrap: 20, Workers: 1, Seed: 1})
			}
			b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// replicatePlanOf is the replicates' fine ladder of a bootstrap of all the
// pairs w0, w1.
func replicatePlanOf(w0, w1 []float64) *ladderPlan {
	sc := NewScan(nil, 0)
	sc.Add(w0, w1)
	sec := sc.SecondPass(0, 0)
	sec.Add(w0, w1)
	sec.finish()
	return sec.replicatePlan(len(w0), int64(len(w0)))
}

// BenchmarkNull is the ΔCDF null simulation of the paired test at n = 10^5
// with the 21 candidates' ratios, 20 replicates on one worker.
func BenchmarkNull(b *testing.B) {
	ratios := make([]float64, 21)
	for i := range ratios {
		ratios[i] = 0.05 * float64(i)
	}
	c0 := cpuTime()
	for b.Loop() {
		nullDCDF(1e5, ratios, 20, 1e5, 1, 1, never)
	}
	b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkDiagnostics is the rank and Anderson–Darling diagnostics of the
// 21 paper candidates on a 10^5-pair sample, on one worker.
func BenchmarkDiagnostics(b *testing.B) {
	w0, w1 := benchPairs(1e5)
	plans := planCandidates(geometry.DefaultCandidates())
	c0 := cpuTime()
	for b.Loop() {
		shared := newW0Order(w0).withLogs(w0, w1)
		var sc diagScratch
		for _, pl := range plans {
			diagnose(pl, w0, w1, 10, shared, &sc)
		}
	}
	b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
}
