package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"
)

// fastExp and fastLog against the math package: within 4 ulp, and fastLog
// within 2e-16 absolute, where log x is near 0 and ulps are tiny.
func TestFastMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	ulps := func(a, b float64) float64 {
		return math.Abs(a-b) / (math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b))
	}
	worstE, worstL := 0.0, 0.0
	for i := 0; i < 1000000; i++ {
		var x float64
		switch i % 4 {
		case 0:
			x = rng.NormFloat64() * 3
		case 1:
			x = (rng.Float64() - 0.5) * 1500
		case 2:
			x = (rng.Float64() - 0.5) * 1e-3
		default:
			x = rng.NormFloat64() * 50
		}
		a, b := fastExp(x), math.Exp(x)
		if u := ulps(a, b); u > worstE {
			worstE = u
			if u > 4 {
				t.Fatalf("fastExp(%v) = %v, math.Exp %v (%.1f ulp)", x, a, b, u)
			}
		}
		y := math.Exp(x)
		if i%4 == 2 {
			y = 1 + x
		}
		a, b = fastLog(y), math.Log(y)
		if u := ulps(a, b); u > worstL && math.Abs(a-b) > 2e-16 {
			worstL = u
			if u > 4 {
				t.Fatalf("fastLog(%v) = %v, math.Log %v (%.1f ulp)", y, a, b, u)
			}
		}
	}
	for _, x := range []float64{0, -0.0, 1, 2, 0.5, math.SmallestNonzeroFloat64, 0x1p-1022, math.MaxFloat64, math.Inf(1), -1, math.NaN()} {
		if a, b := fastLog(x), math.Log(x); a != b && !(math.IsNaN(a) && math.IsNaN(b)) && math.Abs(a-b) > 4e-16*math.Abs(b) {
			t.Errorf("fastLog(%v) = %v, want %v", x, a, b)
		}
	}
	for _, x := range []float64{0, 700, -700, 710, -746, 1e-300, math.Inf(1), math.Inf(-1), math.NaN()} {
		if a, b := fastExp(x), math.Exp(x); a != b && !(math.IsNaN(a) && math.IsNaN(b)) && math.Abs(a-b) > 4e-16*math.Abs(b) {
			t.Errorf("fastExp(%v) = %v, want %v", x, a, b)
		}
	}
	t.Logf("worst: exp %.2f ulp, log %.2f ulp (beyond 2e-16 absolute)", worstE, worstL)
}

func BenchmarkFastMath(b *testing.B) {
	x := make([]float64, 4096)
	for i := range x {
		x[i] = math.Exp(rand.NormFloat64())
	}
	var s float64
	b.Run("math.Log", func(b *testing.B) {
		for b.Loop() {
			for _, v := range x {
				s += math.Log(v)
			}
		}
	})
	b.Run("fastLog", func(b *testing.B) {
		for b.Loop() {
			for _, v := range x {
				s += fastLog(v)
			}
		}
	})
	b.Run("math.Exp", func(b *testing.B) {
		for b.Loop() {
			for _, v := range x {
				s += math.Exp(v)
			}
		}
	})
	b.Run("fastExp", func(b *testing.B) {
		for b.Loop() {
			for _, v := range x {
				s += fastExp(v)
			}
		}
	})
	// The blockwise forms the kernels call, with and without vectors.
	d := make([]float64, len(x))
	for _, vec := range []bool{false, true} {
		name := "go"
		if vec {
			name = "vector"
		}
		b.Run("logAbs/"+name, func(b *testing.B) {
			was := vectorKernels
			vectorKernels = vec && was
			defer func() { vectorKernels = was }()
			for b.Loop() {
				logAbs(d, x)
			}
		})
		b.Run("expScaled/"+name, func(b *testing.B) {
			was := vectorKernels
			vectorKernels = vec && was
			defer func() { vectorKernels = was }()
			for b.Loop() {
				expScaled(d, x, 0.02)
			}
		})
	}
	_ = s
}
