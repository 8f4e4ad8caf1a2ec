package report

import (
	"strings"
	"testing"

	"github.com/syngeom/syngeom/testgeom"
)

// On a subsample, the step models' line says that λ̂'s move is between the
// two models' fits of the subsample: the verdict's move, from the Gaussian
// estimate on every pair to the headline, is another number.
func TestStepModelsLinesSubsample(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	sm := &testgeom.StepModels{Status: testgeom.StatusOK, N: 1000, Preferred: "student_t", LRStat: f(12), LRPValue: f(0.001), LambdaShift: f(-0.023),
		Gaussian: testgeom.StepModel{LambdaHat: f(0.35), LambdaCI: [2]*float64{f(0.34), f(0.36)}, AIC: f(10)},
		StudentT: testgeom.StepModel{LambdaHat: f(0.327), LambdaCI: [2]*float64{f(0.32), f(0.33)}, AIC: f(5), Nu: f(9)}}
	for _, sub := range []bool{false, true} {
		sm.Subsampled = sub
		got := strings.Join(StepModelsLines(sm), "\n")
		if !strings.Contains(got, "λ̂ moves by -0.023") || strings.Contains(got, "between the two models on the subsample") != sub {
			t.Errorf("subsampled %v: %s", sub, got)
		}
	}
}
