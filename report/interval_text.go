package report

import (
	"fmt"

	"github.com/syngeom/syngeom/testgeom"
)

// lrBeside gives the Gaussian-model likelihood-ratio interval after a
// robust headline interval, on the scale of λ + add ("" when the headline
// is that interval).
func lrBeside(li *testgeom.LambdaInterval, add float64) string {
	if li == nil || li.Method == "lr" {
		return ""
	}
	if li.StudentT() && li.GaussianLambdaHat != nil && len(li.GaussianCI) == 2 {
		return fmt.Sprintf("; under Gaussian steps λ̂ = %s, %s interval %s", FormatFloat(*li.GaussianLambdaHat+add, 4),
			(&testgeom.LambdaInterval{Method: li.GaussianMethod}).Label(), ciText([2]*float64{li.GaussianCI[0], li.GaussianCI[1]}, add))
	}
	return fmt.Sprintf("; Gaussian-model likelihood-ratio interval %s", ciText(li.LRCI, add))
}

// lrModel names the step model of the headline LR tests when it is not the
// Gaussian one.
func lrModel(li *testgeom.LambdaInterval) string {
	if li.StudentT() {
		return " (Student-t step model)"
	}
	return ""
}
