package report

import (
	"fmt"

	"github.com/syngeom/syngeom/testgeom"
)

// effectSizeLine states the effect sizes next to the tests: the sd of the
// dual step and the model-free exponent of the changes, with intervals.
func effectSizeLine(e *testgeom.EffectSizes) string {
	if e == nil || (e.StepSD == nil && e.ChangeSlope == nil) {
		return ""
	}
	var parts []string
	if e.StepSD != nil {
		parts = append(parts, fmt.Sprintf("sd of the dual step under %s = %s (95%% CI %s, delta method with the steps' kurtosis)",
			e.StepGeometry, FormatFloat(*e.StepSD, 4), ciText(e.StepSDCI, 0)))
	}
	if e.ChangeSlope != nil {
		parts = append(parts, fmt.Sprintf("slope of log|w1 − w0| on log w0 = %s (95%% CI %s, robust SE, %d pairs; 1 for multiplicative, 0 for additive changes)",
			FormatFloat(*e.ChangeSlope, 3), ciText(e.ChangeSlopeCI, 0), e.ChangeSlopeN))
	}
	s := "Effect sizes: " + parts[0]
	if len(parts) > 1 {
		s += "; " + parts[1]
	}
	if e.Synapses > 0 {
		return s + fmt.Sprintf(". The intervals sum over the %d synapses, since pairs of one synapse are not independent.", e.Synapses)
	}
	return s + ". Pairs are treated as independent."
}
