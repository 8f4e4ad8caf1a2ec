package noise

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/internal/numeric"
)

// Model is measurement noise on each measured weight, independent
// between measurements: the measured value is w·m + e with m log-normal of
// mean 1 and coefficient of variation CV (multiplicative part) and
// e ~ N(0, SD²) (additive part, in the units of the weights). It is the
// noise of datasets.DualShift.
type Model struct {
	CV float64 `json:"cv"` // coefficient of variation of the multiplicative part
	SD float64 `json:"sd"` // standard deviation of the additive part, in the units of the weights
}

// logSigma is the sd of log m.
func (m Model) logSigma() float64 { return math.Sqrt(math.Log1p(m.CV * m.CV)) }

func (m Model) validate() error {
	if !(m.CV >= 0) || !(m.SD >= 0) || math.IsInf(m.CV, 0) || math.IsInf(m.SD, 0) {
		return &inputError{fmt.Sprintf("noise: CV and SD must be finite and ≥ 0, got %v and %v", m.CV, m.SD)}
	}
	if m.CV == 0 && m.SD == 0 {
		return &inputError{"noise: the noise model is zero: give a CV, an SD or both"}
	}
	return nil
}

// String describes the model for people.
func (m Model) String() string {
	switch {
	case m.CV > 0 && m.SD > 0:
		return fmt.Sprintf("multiplicative CV %.3g and additive SD %.3g", m.CV, m.SD)
	case m.CV > 0:
		return fmt.Sprintf("multiplicative CV %.3g", m.CV)
	}
	return fmt.Sprintf("additive SD %.3g", m.SD)
}

// addExtra adds SIMEX pseudo-noise of level ζ to a measured value x so
// that, if x carries noise m, the result carries noise of the same form
// with (1 + ζ) times the variance of log m and (1 + ζ) times the additive
// variance: x·m′ + e′ with log m′ ~ N(−ζs²/2, ζs²), s² = var log m, and
// var e′ = SD²(1 + ζ − e^{ζs²}) (the original additive part is itself
// multiplied by m′, which adds SD²(e^{ζs²} − 1)). Zeros (absent synapses)
// and non-finite values are left alone.
func (m Model) addExtra(x, zeta float64, rng *rand.Rand) float64 {
	if x == 0 || !numeric.Finite(x) {
		return x
	}
	if m.CV > 0 {
		s2 := zeta * math.Log1p(m.CV*m.CV)
		x *= math.Exp(math.Sqrt(s2)*rng.NormFloat64() - s2/2)
	}
	if m.SD > 0 {
		v := m.SD * m.SD * (1 + zeta - math.Exp(zeta*math.Log1p(m.CV*m.CV)))
		if v > 0 {
			x += math.Sqrt(v) * rng.NormFloat64()
		}
	}
	return x
}

// inputError marks errors caused by the data or the call (inputerr.Is).
type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return inputerr.Is(target) }
