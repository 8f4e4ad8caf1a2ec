package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// The model-free slope of log|w1 − w0| on log w0 is 1 for multiplicative
// and 0 for additive changes, and the interval of the dual step's sd covers
// the simulated one, also for heavy-tailed steps.
func TestEffectSizes(t *testing.T) {
	const n = 2000
	for _, tc := range []struct {
		name        string
		step        func(w0 float64, r *rand.Rand) float64
		slope, sd   float64
		heavyTailed bool
	}{
		{"multiplicative", func(w0 float64, r *rand.Rand) float64 { return w0 * math.Exp(0.2*r.NormFloat64()) }, 1, 0.2, false},
		{"multiplicative, Student-t steps", func(w0 float64, r *rand.Rand) float64 {
			// t with 5 df, scaled to sd 0.2.
			z := r.NormFloat64()
			c := 0.0
			for k := 0; k < 5; k++ {
				v := r.NormFloat64()
				c += v * v
			}
			return w0 * math.Exp(0.2*math.Sqrt(3.0/5)*z/math.Sqrt(c/5))
		}, 1, 0.2, true},
		{"additive", func(w0 float64, r *rand.Rand) float64 { return w0 + 0.05*r.NormFloat64() }, 0, math.NaN(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			miss := 0
			for seed := uint64(1); seed <= 5; seed++ {
				r := rand.New(rand.NewPCG(seed, 99))
				w0, w1 := make([]float64, n), make([]float64, n)
				for i := range w0 {
					w0[i] = math.Exp(0.5 * r.NormFloat64())
					w1[i] = tc.step(w0[i], r)
				}
				res, err := TestPaired(w0, w1, Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}, Seed: seed, NoStepModels: true})
				if err != nil {
					t.Fatal(err)
				}
				e := res.EffectSizes
				if e == nil || e.ChangeSlope == nil || e.ChangeSlopeCI[0] == nil {
					t.Fatalf("no slope: %+v", e)
				}
				if math.Abs(*e.ChangeSlope-tc.slope) > 0.2 {
					t.Errorf("seed %d: slope %.3f, want %.0f", seed, *e.ChangeSlope, tc.slope)
				}
				if !(*e.ChangeSlopeCI[0] <= tc.slope && tc.slope <= *e.ChangeSlopeCI[1]) {
					miss++
				}
				if !math.IsNaN(tc.sd) {
					if e.StepGeometry != "NE" || e.StepSDCI[0] == nil {
						t.Fatalf("seed %d: step sd under %q, interval %v", seed, e.StepGeometry, e.StepSDCI)
					}
					if !(*e.StepSDCI[0] <= tc.sd && tc.sd <= *e.StepSDCI[1]) {
						miss++
						t.Logf("seed %d: step sd %.4f, 95%% CI [%.4f, %.4f] misses %.2f", seed, *e.StepSD, *e.StepSDCI[0], *e.StepSDCI[1], tc.sd)
					}
				}
			}
			// 5 seeds × up to 2 intervals at 95%: more than 2 misses is
			// unlikely (p < 0.01) for intervals with correct coverage.
			if miss > 2 {
				t.Errorf("%d of the intervals miss the simulated value", miss)
			}
		})
	}
}
