package fit

import (
	"math"
	"testing"
)

// The cached Weibull sums equal a fresh pass.
func TestWeibullCachedSums(t *testing.T) {
	x := draw(Weibull{0.7, 3}, 5000, 2)
	s := newSample(x, 1)
	s.ensureLogs()
	p, err := weibullMLE(s)
	if err != nil {
		t.Fatal(err)
	}
	c0, c1, c2 := weibullTSums(p[0], p[1], s)
	s.weibull = nil
	f0, f1, f2 := weibullTSums(p[0], p[1], s)
	for i, pair := range [][2]float64{{c0, f0}, {c1, f1}, {c2, f2}} {
		if relErr(pair[0], pair[1]) > 1e-10 && math.Abs(pair[0]-pair[1]) > 1e-10*float64(s.n) {
			t.Errorf("sum %d: cached %.15g, pass %.15g", i, pair[0], pair[1])
		}
	}
}
