package testgeom

import (
	"math"
	"strings"
	"testing"
)

// FormatFixed and FormatSigned write what %.*f and %+.*f write, except
// that a value rounding to zero carries no sign.
func TestFormatFixed(t *testing.T) {
	for _, c := range []struct {
		x             float64
		d             int
		fixed, signed string
	}{
		{-0.0001, 3, "0.000", "0.000"},
		{-0.0004999, 3, "0.000", "0.000"},
		{-0.0005001, 3, "-0.001", "-0.001"},
		{0.0001, 3, "0.000", "0.000"},
		{math.Copysign(0, -1), 2, "0.00", "0.00"},
		{-1e-9, 0, "0", "0"},
		{-0.4, 0, "0", "0"},
		{-0.6, 0, "-1", "-1"},
		{0.1234, 4, "0.1234", "+0.1234"},
		{-10.25, 1, "-10.2", "-10.2"},
		{-100, 2, "-100.00", "-100.00"},
		{math.Inf(-1), 2, "-Inf", "-Inf"},
		{math.NaN(), 2, "NaN", "NaN"},
	} {
		if got := FormatFixed(c.x, c.d); got != c.fixed {
			t.Errorf("FormatFixed(%v, %d) = %q, want %q", c.x, c.d, got, c.fixed)
		}
		if got := FormatSigned(c.x, c.d); got != c.signed {
			t.Errorf("FormatSigned(%v, %d) = %q, want %q", c.x, c.d, got, c.signed)
		}
	}
}

// The step models' sentence writes a shift of λ̂ that rounds to zero
// without a sign ("λ̂ moves by -0.000" was printed for -4.3e-6).
func TestStepModelSentenceZeroShift(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	s := &StepModels{Status: StatusOK, N: 1000, Subsampled: true, Preferred: "gaussian", LRPValue: f(0.36), LambdaShift: f(-4.27e-6),
		StudentT: StepModel{LambdaHat: f(-0.0006), LambdaCI: [2]*float64{f(-0.0093), f(0.0081)}, Nu: f(1115)}}
	got := s.sentence()
	if !strings.Contains(got, "λ̂ moves by 0.000 from the Gaussian model") {
		t.Errorf("sentence %q", got)
	}
}
