package numeric

import (
	"math"
	"testing"
)

func TestFiniteAndOrNil(t *testing.T) {
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if Finite(x) || OrNil(x) != nil {
			t.Errorf("%v: finite %v, pointer %v", x, Finite(x), OrNil(x))
		}
	}
	if p := OrNil(-2.5); p == nil || *p != -2.5 || !Finite(-2.5) {
		t.Errorf("-2.5: pointer %v", p)
	}
}

// The quantiles of numpy.quantile([1, 2, 4, 8], q) with its default method.
func TestQuantileSorted(t *testing.T) {
	x := []float64{1, 2, 4, 8}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.25, 1.75}, {0.5, 3}, {0.75, 5}, {1, 8}} {
		if got := QuantileSorted(x, c.q); got != c.want {
			t.Errorf("q %v: %v, want %v", c.q, got, c.want)
		}
	}
	if got := QuantileSorted([]float64{3}, 0.5); got != 3 {
		t.Errorf("one value: %v", got)
	}
}
