package noise_test

import (
	"os"
	"testing"

	"github.com/syngeom/syngeom/internal/melander"
	"github.com/syngeom/syngeom/noise"
)

// TestLongMelanderNoise reports the noise-corrected λ̂ of each cell type
// under multiplicative imaging noise of CV 10% and 20% (the range of
// single-session imaging), with the interval widened for the reuse of
// synapses across consecutive pairs. These numbers are quoted in
// docs/noise.md.
func TestLongMelanderNoise(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the noise correction on the Melander data")
	}
	w0, w1, cell, cluster := melander.Pairs(t)
	for ci, name := range []string{"pyr", "pv"} {
		var a, b []float64
		var cl []int32
		for i := range w0 {
			if int(cell[i]) == ci {
				a, b, cl = append(a, w0[i]), append(b, w1[i]), append(cl, cluster[i])
			}
		}
		for _, cv := range []float64{0.1, 0.2} {
			o := noise.DefaultOptions()
			o.Clusters = cl
			r, err := noise.Correct(a, b, noise.Model{CV: cv}, "assumed", o)
			if err != nil {
				t.Fatal(err)
			}
			if r.Lambda == nil {
				t.Logf("%s CV %.1f: %s", name, cv, r.Status)
				continue
			}
			t.Logf("%s CV %.1f (%d pairs, %d chains): naive %.3f [%.3f, %.3f]; corrected %.3f [%.3f, %.3f], design effect %.2f",
				name, cv, len(a), int(cl[len(cl)-1]-cl[0]+1), *r.NaiveLambda, val(r.NaiveCI[0]), val(r.NaiveCI[1]),
				*r.Lambda, val(r.LambdaCI[0]), val(r.LambdaCI[1]), val(r.Indirect.DesignEffect))
		}
	}
}
