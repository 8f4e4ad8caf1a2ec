package testgeom

import (
	"math"
	"testing"
)

// TestStepModelsStallStop: ending a Student-t fit at a stalled line search
// (stallStep) moves the step models' estimates by far less than the
// tolerance of their root searches, on a lumpy sample of bfloat16 pairs
// whose fits stall (ℓ flat to its rounding error along the scoring
// direction).
func TestStepModelsStallStop(t *testing.T) {
	if testing.Short() {
		t.Skip("slow without the stall stop")
	}
	w0, w1 := lumpyBF16Pairs(1<<21, 100000)
	fit := func() *StepModels {
		lp := newLikPairs(w0, w1, 1)
		return fitStepModels(lp, 1<<21, nil, [2]*float64{}, nil)
	}
	got := fit()
	defer func(s float64) { stallStep = s }(stallStep)
	stallStep = 0
	want := fit()
	if got.Status != StatusOK || want.Status != StatusOK || got.Preferred != want.Preferred {
		t.Fatalf("status %q / %q, preferred %q / %q", got.Status, want.Status, got.Preferred, want.Preferred)
	}
	worst := 0.0
	for _, c := range []struct {
		name      string
		got, want *float64
		tol       float64
	}{
		{"λ̂_t", got.StudentT.LambdaHat, want.StudentT.LambdaHat, stepTol},
		{"λ_t lower", got.StudentT.LambdaCI[0], want.StudentT.LambdaCI[0], stepTol},
		{"λ_t upper", got.StudentT.LambdaCI[1], want.StudentT.LambdaCI[1], stepTol},
		{"ℓ_t", got.StudentT.LogLik, want.StudentT.LogLik, 1e-6},
		{"ν̂", got.StudentT.Nu, want.StudentT.Nu, 1e-6 * *want.StudentT.Nu},
		{"LR stat", got.LRStat, want.LRStat, 1e-6 * math.Max(1, *want.LRStat)},
	} {
		d := math.Abs(*c.got - *c.want)
		t.Logf("%s: %v, without the stall stop %v (difference %.3g)", c.name, *c.got, *c.want, d)
		if !(d <= c.tol) {
			t.Errorf("%s: %v, without the stall stop %v", c.name, *c.got, *c.want)
		}
		worst = math.Max(worst, d)
	}
	if worst == 0 {
		t.Log("no fit stalled")
	}
}
