package veclog

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLogsMatchMathLog checks Logs against math.Log bit for bit: random
// bit patterns of positive values over the whole range (subnormals
// included), values near 1 and near √2/2 (the routine's branch), and the
// special cases at every position of a group of four, in place too.
func TestLogsMatchMathLog(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	special := []float64{0, math.Copysign(0, -1), -1, math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, math.MaxFloat64, 1, math.Sqrt2 / 2}
	for trial := range 400 {
		n := 1 + r.IntN(70)
		x := make([]float64, n)
		for i := range x {
			switch trial % 4 {
			case 0:
				x[i] = math.Float64frombits(r.Uint64() >> 1) // any positive bits, NaN included
			case 1:
				x[i] = 1 + 1e-3*r.NormFloat64()
			case 2:
				x[i] = math.Ldexp(math.Sqrt2/2*(1+1e-15*r.NormFloat64()), r.IntN(40)-20)
			default:
				x[i] = math.Exp(30 * r.NormFloat64())
			}
		}
		if trial%3 == 0 {
			x[r.IntN(n)] = special[r.IntN(len(special))]
		}
		got := make([]float64, n)
		Logs(got, x)
		inPlace := append([]float64(nil), x...)
		Logs(inPlace, inPlace)
		for i, v := range x {
			want := math.Float64bits(math.Log(v))
			if math.Float64bits(got[i]) != want || math.Float64bits(inPlace[i]) != want {
				t.Fatalf("trial %d: Logs(%v (bits %#x)) = %v, in place %v; math.Log gives %v", trial, v, math.Float64bits(v), got[i], inPlace[i], math.Log(v))
			}
		}
	}
	if !vectors {
		t.Log("no vectors on this machine: Logs is math.Log")
	}
}

func BenchmarkLogs(b *testing.B) {
	x := make([]float64, 4096)
	for i := range x {
		x[i] = math.Exp(rand.NormFloat64())
	}
	d := make([]float64, len(x))
	b.Run("math.Log", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				d[i] = math.Log(v)
			}
		}
	})
	b.Run("Logs", func(b *testing.B) {
		for b.Loop() {
			Logs(d, x)
		}
	})
}
