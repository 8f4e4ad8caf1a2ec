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
