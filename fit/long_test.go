package fit

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// TestLongCalibration checks that the bootstrap GOF p-values are
// calibrated: data drawn from the fitted family are rejected at α = 0.05 in
// 3–7% of replicates, for log-normal and gamma at n = 50 and 500. Each
// replicate refits 199 parametric resamples (the p-value's resolution is
// 1/200, so α = 0.05 is attained exactly). Opt-in: SYNGEOM_LONG=1 (about four
// minutes on 2 cores).
func TestLongCalibration(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the calibration study")
	}
	const reps, gofSamples = 1000, 199
	for _, c := range []struct {
		fam   *Family
		truth Distribution
	}{
		{logNormalFamily, LogNormal{-0.7, 0.9}},
		{gammaFamily, Gamma{2.5, 4}},
	} {
		for _, n := range []int{50, 500} {
			var reject [3]int
			valid := 0
			for r := 0; r < reps; r++ {
				x := draw(c.truth, n, uint64(1000+r))
				rep, err := Fit(x, []*Family{c.fam}, Options{GOFSamples: gofSamples, Seed: uint64(r)})
				if err != nil {
					t.Fatal(err)
				}
				pv := rep.Fits[0].PValues
				if pv == nil || pv.AD == nil || pv.KS == nil || pv.CvM == nil {
					continue
				}
				valid++
				for j, p := range []*float64{pv.KS, pv.CvM, pv.AD} {
					if *p <= 0.05 {
						reject[j]++
					}
				}
			}
			rate := func(j int) float64 { return float64(reject[j]) / float64(valid) }
			se := math.Sqrt(0.05 * 0.95 / float64(valid))
			msg := fmt.Sprintf("%s n=%d: %d replicates, rejection at 0.05: KS %.3f, CvM %.3f, AD %.3f (binomial SE %.3f)",
				c.fam.Name, n, valid, rate(0), rate(1), rate(2), se)
			t.Log(msg)
			if valid < 400 {
				t.Errorf("%s: too few valid replicates", msg)
			}
			for j, name := range []string{"KS", "CvM", "AD"} {
				if r := rate(j); r < 0.03 || r > 0.07 {
					t.Errorf("%s: %s rate %.3f outside [0.03, 0.07]", msg, name, r)
				}
			}
		}
	}
}
