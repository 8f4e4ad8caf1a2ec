package testgeom

import (
	"math"
	"math/rand/v2"

	"github.com/syngeom/syngeom/geometry"
)

// simulatePaper makes n pairs as in the paper's robustness experiment
// (plots.py): initial weights log-normal with mean = sd = 1/√1000 and random
// signs, or N(0, 0.1²); one dual step g(w) = g(w0) + 0.1·g(0.1)·ε, inverted
// with the sign of w0.
func simulatePaper(rng *rand.Rand, n int, init string, truth geometry.Potential) (w0, w1 []float64) {
	w0, w1 = make([]float64, n), make([]float64, n)
	sd := 1 / math.Sqrt(1000)
	mu := math.Log(sd * sd / math.Sqrt(2*sd*sd))
	sigma := math.Sqrt(math.Log(2))
	scale := 0.1 * truth.Dual(0.1)
	for i := range w0 {
		if init == "lognormal" {
			w0[i] = math.Exp(mu + sigma*rng.NormFloat64())
			if rng.IntN(2) == 0 {
				w0[i] = -w0[i]
			}
		} else {
			w0[i] = 0.1 * rng.NormFloat64()
		}
	}
	for i := range w1 {
		w1[i] = truth.Inverse(truth.Dual(w0[i])+scale*rng.NormFloat64(), geometry.Sign(w0[i]))
	}
	return w0, w1
}
