package compare

import (
	"math"
	"testing"

	"github.com/syngeom/syngeom/internal/numeric"
)

// TestRandomEffectsReference checks the DerSimonian–Laird summary and the
// Q-profile interval of τ against values computed independently (plain
// Python, closed-form χ²₄ survival exp(−x/2)(1 + x/2) and bisection on the
// generalised Q) for five estimates with known variances; tolerance 1e-9
// (1e-6 for the interval end found by bisection).
func TestRandomEffectsReference(t *testing.T) {
	y := []float64{0.1, 0.3, 0.35, 0.65, 0.45}
	v := []float64{0.01, 0.02, 0.015, 0.03, 0.01}
	var groups []GroupLambda
	for i := range y {
		groups = append(groups, GroupLambda{Group: string(rune('a' + i)), LambdaHat: numeric.OrNil(y[i]), SE: numeric.OrNil(math.Sqrt(v[i]))})
	}
	re := randomEffects(groups)
	for _, c := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"Q", re.Q, 10.214285714285715, 1e-9},
		{"Q p", re.QPValue, 0.03696869480525661, 1e-9},
		{"tau", re.Tau, 0.1517544456176025, 1e-9},
		{"mean", re.Mean, 0.3496419795965712, 1e-9},
		{"mean se", re.MeanSE, 0.088063897579028, 1e-9},
		{"tau lo", *re.TauCI[0], 0, 1e-12},
		{"tau hi", *re.TauCI[1], 0.5628130117240228, 1e-6},
	} {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s = %.12g, want %.12g", c.name, c.got, c.want)
		}
	}
}
