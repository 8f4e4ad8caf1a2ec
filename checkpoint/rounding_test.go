package checkpoint

import (
	"math"
	"math/rand/v2"
	"testing"
)

// toHalf rounds a positive v to the nearest float16 (ties to even) by
// bisection over the codes of the positive finite halves, which
// halfToFloat orders like the values.
func toHalf(v float64) float64 {
	lo, hi := uint16(0), uint16(0x7bff)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if halfToFloat(mid) <= v {
			lo = mid
		} else {
			hi = mid
		}
	}
	a, b := halfToFloat(lo), halfToFloat(hi)
	if v-a < b-v || v-a == b-v && lo&1 == 0 {
		return a
	}
	return b
}

// TestRoundingCV: rounding log-normal weights (spread over several
// binades) to bfloat16 with the writer's converter and to float16 gives a
// relative error w_rounded/w − 1 of mean about 0 and sd within 2% of
// RoundingCV. 200,000 draws put the sampling error of the sd near 0.3%;
// the binade-bottom formula 2^−(m+1)/√3, 36% larger, is outside the
// tolerance.
func TestRoundingCV(t *testing.T) {
	bf16 := func(v float64) float64 { return float64(math.Float32frombits(uint32(ToBFloat16(v)) << 16)) }
	for _, c := range []struct {
		d     DType
		m     int
		round func(float64) float64
	}{{BF16, 7, bf16}, {F16, 10, toHalf}} {
		rng := rand.New(rand.NewPCG(1, uint64(c.m)))
		const n = 200_000
		var s, ss float64
		for range n {
			w := math.Exp(1.5 * rng.NormFloat64())
			e := c.round(w)/w - 1
			s += e
			ss += e * e
		}
		mean := s / n
		sd := math.Sqrt(ss/n - mean*mean)
		want := c.d.RoundingCV()
		rough := math.Ldexp(1, -(c.m+1)) / math.Sqrt(3)
		t.Logf("%s: empirical CV %.4g, RoundingCV %.4g, binade-bottom formula %.4g, mean %.2g", c.d, sd, want, rough, mean)
		if math.Abs(sd/want-1) > 0.02 {
			t.Errorf("%s: empirical CV %.4g, RoundingCV %.4g (tolerance 2%%)", c.d, sd, want)
		}
		if math.Abs(mean) > 0.05*want {
			t.Errorf("%s: mean relative error %.3g, want about 0", c.d, mean)
		}
	}
	if F32.RoundingCV() >= NegligibleRoundingCV || F64.RoundingCV() >= NegligibleRoundingCV || F16.RoundingCV() < NegligibleRoundingCV {
		t.Errorf("negligible threshold: F32 %g, F64 %g, F16 %g", F32.RoundingCV(), F64.RoundingCV(), F16.RoundingCV())
	}
	if DType("I64").RoundingCV() != 0 {
		t.Error("integer dtype has a rounding CV")
	}
}

// TestStepMatchesFrexp: the exponent-bit Step equals the Frexp/Ldexp
// definition for every readable dtype, on random weights over the whole
// float64 range, powers of two, zeros, subnormals and non-finite values.
func TestStepMatchesFrexp(t *testing.T) {
	ref := func(d DType, x float64) float64 {
		mant, minExp := d.format()
		if mant == 0 {
			return 0
		}
		x = math.Abs(x)
		_, e := math.Frexp(x)
		e--
		if x == 0 || e < minExp {
			e = minExp
		}
		return math.Ldexp(1, e-mant)
	}
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 2, 3, math.SmallestNonzeroFloat64, 1e-310, -1e-310,
		math.MaxFloat64, -math.MaxFloat64, 0x1p-1022, 0x1p-126, 0x1p-127, 0x1p-14, 0x1p-15, math.Inf(1), math.Inf(-1), math.NaN()}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		xs = append(xs, math.Float64frombits(r.Uint64()))
	}
	for _, d := range []DType{F64, F32, F16, BF16, "I32"} {
		for _, x := range xs {
			got, want := d.Step(x), ref(d, x)
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("%s.Step(%g) = %g, want %g", d, x, got, want)
			}
		}
	}
}

// TestStatsAddMatchesComparisons: the sign-bit counts of Stats.add equal
// those of plain comparisons, with zeros of both signs, sign changes and
// unchanged pairs, and the sums are the same to the bit.
func TestStatsAddMatchesComparisons(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 100000
	w0, w1 := make([]float64, n), make([]float64, n)
	pick := func() float64 {
		switch r.IntN(20) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		}
		return r.NormFloat64() * 0.02
	}
	for i := range w0 {
		w0[i] = pick()
		switch r.IntN(5) {
		case 0:
			w1[i] = w0[i] // unchanged
		case 1:
			w1[i] = -w0[i] * 0.5 // sign change (or a zero)
		default:
			w1[i] = pick()
		}
	}
	var got Stats
	got.add(w0, w1, BF16)
	var want Stats
	var sumChange, sumStep float64
	for i, a := range w0 {
		b := w1[i]
		d := b - a
		switch {
		case d == 0:
			want.Unchanged++
		case (a < 0 && b > 0) || (a > 0 && b < 0):
			want.SignChanges++
		}
		for _, v := range [2]float64{a, b} {
			if v == 0 {
				want.Zero++
			} else if v < 0 {
				want.Negative++
			}
		}
		sumChange += math.Abs(d)
		sumStep += BF16.Step(b)
	}
	if got.Unchanged != want.Unchanged || got.SignChanges != want.SignChanges || got.Zero != want.Zero || got.Negative != want.Negative {
		t.Errorf("counts: got unchanged %d, sign changes %d, zero %d, negative %d; want %d, %d, %d, %d",
			got.Unchanged, got.SignChanges, got.Zero, got.Negative, want.Unchanged, want.SignChanges, want.Zero, want.Negative)
	}
	if got.sumChange != sumChange || got.sumStep != sumStep {
		t.Errorf("sums: got %v, %v; want %v, %v", got.sumChange, got.sumStep, sumChange, sumStep)
	}
	if want.SignChanges == 0 || want.Unchanged == 0 || want.Zero == 0 {
		t.Fatal("the data lack a case")
	}
}
