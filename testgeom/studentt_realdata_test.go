package testgeom

import (
	"testing"

	"github.com/syngeom/syngeom/internal/melander"
)

// TestMelanderStepModels: the Melander dual shifts are heavy-tailed, so in
// both cell types the Student-t step model is preferred with a moderate ν̂,
// keeps λ̂ between NE and Euclidean and gives a wider interval than the
// Gaussian model.
func TestMelanderStepModels(t *testing.T) {
	for _, cell := range melander.Cells {
		w0, w1 := melander.CellPairs(t, cell)
		res, err := TestPaired(w0, w1, Options{NullReplicates: -1, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		sm := res.StepModels
		if sm == nil || sm.Status != "ok" {
			t.Fatalf("%s: step models %+v", cell, sm)
		}
		g, st := sm.Gaussian, sm.StudentT
		t.Logf("%s: Gaussian λ̂ %.4f [%.4f, %.4f]; t λ̂ %.4f [%.4f, %.4f], ν̂ %.3g, LR %.1f",
			cell, *g.LambdaHat, *g.LambdaCI[0], *g.LambdaCI[1], *st.LambdaHat, *st.LambdaCI[0], *st.LambdaCI[1], *st.Nu, *sm.LRStat)
		if sm.Preferred != "student_t" || *st.Nu < 3 || *st.Nu > 25 {
			t.Errorf("%s: preferred %s, ν̂ %v", cell, sm.Preferred, *st.Nu)
		}
		if !(*st.LambdaCI[0] > 0 && *st.LambdaCI[1] < 0.5) {
			t.Errorf("%s: t interval [%v, %v], want inside (0, 0.5)", cell, *st.LambdaCI[0], *st.LambdaCI[1])
		}
		if *st.LambdaCI[1]-*st.LambdaCI[0] <= *g.LambdaCI[1]-*g.LambdaCI[0] {
			t.Errorf("%s: the t interval is not wider than the Gaussian one", cell)
		}
	}
}
