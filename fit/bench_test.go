package fit

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"
)

// benchLaw is a law each family fits well, to time realistic fits.
var benchLaw = map[string]Distribution{
	"normal":      Normal{0.2, 1.1},
	"lognormal":   LogNormal{-0.7, 0.9},
	"gamma":       Gamma{2.5, 4},
	"weibull":     Weibull{1.3, 0.8},
	"exponential": Exponential{3},
	"loglogistic": LogLogistic{3, 1.5},
	"invgauss":    InverseGaussian{2, 5},
	"powernormal": PowerNormal{0.3, -0.5, 0.6},
	"student-t":   StudentT{0.1, 1, 4},
	"laplace":     Laplace{0.1, 1},
	"logistic":    Logistic{0.1, 1},
}

var benchData sync.Map // "family/n" → []float64

func benchSample(name string, n int) []float64 {
	key := fmt.Sprintf("%s/%d", name, n)
	if v, ok := benchData.Load(key); ok {
		return v.([]float64)
	}
	x := draw(benchLaw[name], n, 1)
	benchData.Store(key, x)
	return x
}

// BenchmarkFit times Family.Fit (estimates only, no GOF) on 10^6 and 10^7
// values: run with -benchtime 1x or 3x.
func BenchmarkFit(b *testing.B) {
	for _, n := range []int{1_000_000, 10_000_000} {
		for _, fam := range AllFamilies() {
			b.Run(fmt.Sprintf("%s/n=%d", fam.Name, n), func(b *testing.B) {
				if n > 1_000_000 && testing.Short() {
					b.Skip("the larger size is skipped with -short")
				}
				x := benchSample(fam.Name, n)
				b.ResetTimer()
				for b.Loop() {
					if _, err := fam.Fit(x, EstimateOptions{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/value")
			})
		}
	}
}

// BenchmarkGOFBootstrap times the 999-resample parametric bootstrap of the
// GOF p-values (each resample refitted) for one family.
func BenchmarkGOFBootstrap(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		for _, fam := range []*Family{logNormalFamily, gammaFamily, weibullFamily} {
			b.Run(fmt.Sprintf("%s/n=%d", fam.Name, n), func(b *testing.B) {
				if n > 10_000 && testing.Short() {
					b.Skip("the larger size is skipped with -short")
				}
				x := benchSample(fam.Name, n)
				b.ResetTimer()
				for b.Loop() {
					rep, err := Fit(x, []*Family{fam}, Options{GOFSamples: 999, Seed: 1})
					if err != nil || rep.Fits[0].PValues == nil || rep.Fits[0].PValues.Samples != 999 {
						b.Fatal(err, rep.Fits[0].PValues)
					}
				}
			})
		}
	}
}

// BenchmarkSummaryAdd is the sufficient statistics of 2^20 weights of both
// signs, added in batches of 65,536 as the first pass of a stream adds them.
func BenchmarkSummaryAdd(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	x := make([]float64, 1<<20)
	for i := range x {
		x[i] = 0.02 * r.NormFloat64()
	}
	b.SetBytes(8 * int64(len(x)))
	for b.Loop() {
		var a SummaryAccumulator
		for lo := 0; lo < len(x); lo += 1 << 16 {
			a.Add(x[lo : lo+1<<16])
		}
	}
}
