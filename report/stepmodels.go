package report

import (
	"fmt"

	"github.com/syngeom/syngeom/testgeom"
)

// StepModelsLines are one or two sentences comparing the Gaussian and the
// Student-t step models of a paired test (none when they were not fitted).
func StepModelsLines(sm *testgeom.StepModels) []string {
	if sm == nil {
		return nil
	}
	if sm.Status != testgeom.StatusOK {
		return []string{"Step models: " + sm.Status + "."}
	}
	g, t := sm.Gaussian, sm.StudentT
	nu := Missing
	if t.Nu != nil {
		nu = FormatFloat(*t.Nu, 3)
	}
	pref := "Gaussian"
	if sm.Preferred == "student_t" {
		pref = "Student-t"
	}
	// On a subsample the shift is between the two fits of the subsample,
	// which differs from the verdict's (from the Gaussian estimate on
	// every pair to the headline).
	where := ""
	if sm.Subsampled {
		where = " between the two models on the subsample"
	}
	s := []string{fmt.Sprintf("Step models on %d pairs: Gaussian λ̂ = %s %s; Student-t λ̂ = %s %s with ν̂ = %s (95%% profile-LR intervals).",
		sm.N, FormatFloat(val(g.LambdaHat), 4), ciText(g.LambdaCI, 0), FormatFloat(val(t.LambdaHat), 4), ciText(t.LambdaCI, 0), nu),
		fmt.Sprintf("Preferred step model: %s (LR test of ν = ∞: 2Δℓ = %s, p %s; AIC %s vs %s); λ̂ moves by %s%s.",
			pref, FormatFloat(val(sm.LRStat), 4), pclause(sm.LRPValue), FormatFloat(val(g.AIC), 7), FormatFloat(val(t.AIC), 7), FormatFloat(val(sm.LambdaShift), 3), where)}
	if sm.Note != "" {
		s[1] += " (" + sm.Note + ")"
	}
	return s
}
