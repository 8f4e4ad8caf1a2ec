package report

import (
	"bytes"
	"html"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// The reports define what they show: ΔCDF with its mean shift and its
// calibration, the magnitude and the unit-free step, ρ with the effect of
// measurement noise; a GOF bootstrap too small to reject states its floor.
func TestReportDefinitions(t *testing.T) {
	r := analysisFixture(t, ingest.ShapePaired) // 3 GOF resamples
	var b bytes.Buffer
	if err := WriteAnalysisText(&b, r); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{DCDFNote, MagnitudeNote, RhoNote, "rel. step",
		"p-value floor 1/4 = 0.25, too few resamples to reject a fit at 0.01"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	doc, err := AnalysisDocument(r, AnalysisPageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := doc.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(b.String())
	for _, want := range []string{"includes the mean shift", "not a distance from the nearest Gaussian",
		"tests the shape of the shifts, not their mean", "without measurement noise", "regression to the mean",
		"the centred ΔCDF p is reported but not part of this rule", "does not depend on the unit of the weights",
		"p-value floor 1/4 = 0.25"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"from a Gaussian)", "(0 under the right geometry)"} {
		if strings.Contains(page, bad) || strings.Contains(text, bad) {
			t.Errorf("report still says %q", bad)
		}
	}
}

// The ρ caption's claim: under the true geometry (NE) the log change is
// independent of w0 without measurement noise, and falls with w0 when w0
// and w1 are measured with noise (regression to the mean).
func TestRhoUnderNoise(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	const n = 20000
	var w0c, dc, w0n, dn []float64
	for i := 0; i < n; i++ {
		w0 := math.Exp(-0.7 + 0.9*r.NormFloat64())
		w1 := w0 * math.Exp(0.03+0.2*r.NormFloat64())
		w0c, dc = append(w0c, w0), append(dc, math.Log(w1/w0))
		m0, m1 := w0*math.Exp(0.1*r.NormFloat64()), w1*math.Exp(0.1*r.NormFloat64())
		w0n, dn = append(w0n, m0), append(dn, math.Log(m1/m0))
	}
	rhoClean, pClean := testgeom.Spearman(dc, w0c)
	rhoNoisy, pNoisy := testgeom.Spearman(dn, w0n)
	if math.Abs(rhoClean) > 0.03 {
		t.Errorf("without noise ρ = %.3f (p = %.2g), want near 0", rhoClean, pClean)
	}
	if !(rhoNoisy < -0.02 && pNoisy < 1e-6) {
		t.Errorf("with noise ρ = %.3f (p = %.2g), want clearly negative", rhoNoisy, pNoisy)
	}
}
