package testgeom_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/melander"
	"github.com/syngeom/syngeom/testgeom"
)

func simulatedResult(t *testing.T, s datasets.DualShift) *testgeom.Result {
	t.Helper()
	p, err := s.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	r, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Measurement noise makes every candidate's shift fall with w0 by about
// the same amount; the verdict names regression to the mean and the flags
// that correct for it, and does not when there is no noise.
func TestVerdictNamesRegressionToMean(t *testing.T) {
	for _, cv := range []float64{0, 0.4} {
		r := simulatedResult(t, datasets.DualShift{Potential: geometry.NegEntropy{}, Init: datasets.LogNormalFromMoments(1, 0.8, false),
			Step: 0.1, NoiseCV: cv, N: 3000, Seed: 3})
		named := strings.Contains(r.Verdict, "regression to the mean") && strings.Contains(r.Verdict, "--noise-cv") &&
			strings.Contains(r.Verdict, "--noise-from") && strings.Contains(r.Verdict, "--control")
		if named != (cv > 0) {
			t.Errorf("noise CV %v: verdict %q", cv, r.Verdict)
		}
		// Whatever the noise, λ̂ is said to describe every change.
		if !strings.Contains(r.Verdict, "describes every change between the two measurements") {
			t.Errorf("noise CV %v: the verdict does not say what λ̂ describes: %q", cv, r.Verdict)
		}
	}
}

// With exact weights (a checkpoint) the same pattern is not blamed on
// measurement noise, and no noise flags are offered.
func TestVerdictRegressionPatternExactWeights(t *testing.T) {
	p, err := datasets.DualShift{Potential: geometry.NegEntropy{}, Init: datasets.LogNormalFromMoments(1, 0.8, false),
		Step: 0.1, NoiseCV: 0.4, N: 3000, Seed: 3}.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	r, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: 100, Seed: 1, ExactWeights: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Verdict, "regression to the mean") || strings.Contains(r.Verdict, "--noise-cv") ||
		!strings.Contains(r.Verdict, "this is not measurement noise") {
		t.Errorf("verdict %q", r.Verdict)
	}
}

// A ΔCDF winner at the edge of the candidate grid is said to be there.
func TestVerdictNamesGridEdge(t *testing.T) {
	r := simulatedResult(t, datasets.DualShift{Potential: geometry.PNorm{P: 4}, Init: datasets.LogNormalFromMoments(1, 0.5, false),
		Step: 0.05, N: 3000, Seed: 4})
	if r.BestByDCDF != "p=3.0" || !strings.Contains(r.Verdict, "ranks p=3.0 first, but it is at the edge of the candidate grid") {
		t.Errorf("best by ΔCDF %s, verdict %q", r.BestByDCDF, r.Verdict)
	}
	r = simulatedResult(t, datasets.DualShift{Potential: geometry.PNorm{P: 2}, Init: datasets.LogNormalFromMoments(1, 0.5, false),
		Step: 0.05, N: 3000, Seed: 4})
	if strings.Contains(r.Verdict, "edge of the candidate grid") {
		t.Errorf("best by ΔCDF %s, verdict %q", r.BestByDCDF, r.Verdict)
	}
}

// A p-value at its floor is written as a bound, never as 0.
func TestPValueText(t *testing.T) {
	for _, c := range []struct {
		p     float64
		floor bool
		sims  int
		text  string
		cell  string
	}{
		{1.0 / 201, true, 200, "< 0.005, 200 simulations", "<0.005"},
		{1.0 / 1001, true, 1000, "< 0.001, 1000 simulations", "<0.001"},
		{1.0 / 41, true, 40, "< 0.025, 40 simulations", "<0.025"},
		{0, true, 0, "< 1e-300", "<1e-300"},
		{0, false, 0, "< 1e-300", "<1e-300"},
		{0.0123, false, 200, "= 0.012", "0.012"},
	} {
		if got := testgeom.PValueText(c.p, c.floor, c.sims); got != c.text {
			t.Errorf("PValueText(%v, %v, %d) = %q, want %q", c.p, c.floor, c.sims, got, c.text)
		}
		if got := testgeom.PValueCell(c.p, c.floor, c.sims, "%.3f"); got != c.cell {
			t.Errorf("PValueCell(%v, %v, %d) = %q, want %q", c.p, c.floor, c.sims, got, c.cell)
		}
	}
	if got := testgeom.PValueEq(0); got != "< 1e-300" {
		t.Errorf("PValueEq(0) = %q", got)
	}
}

// The calibrated p-values at their floor are flagged in the result.
func TestPFloorFlags(t *testing.T) {
	r := simulatedResult(t, datasets.DualShift{Potential: geometry.NegEntropy{}, Init: datasets.LogNormalFromMoments(1, 0.8, false),
		Step: 0.3, N: 3000, Seed: 5})
	p3 := r.Candidates[len(r.Candidates)-1]
	if p3.DCDFPValue == nil || *p3.DCDFPValue != 1.0/101 || !p3.DCDFPAtFloor {
		t.Errorf("p=3.0 on negative-entropy data: ΔCDF p %v, at floor %v", p3.DCDFPValue, p3.DCDFPAtFloor)
	}
	for _, c := range r.Candidates {
		if c.DCDFPValue != nil && c.DCDFPAtFloor != (*c.DCDFPValue <= 1.0/101) {
			t.Errorf("%s: p %v, at floor %v", c.Name, *c.DCDFPValue, c.DCDFPAtFloor)
		}
	}
}

// On the Melander et al. (2021) consecutive pairs (in-vivo imaging, with
// substantial measurement noise) the verdict names regression to the mean
// and says that the ΔCDF winner fails its own test. With the synapses
// formed or eliminated added back as pairs with a zero weight, every
// comparison is unchanged: the zero pairs are counted, not compared.
func TestMelanderVerdictAndZeroPairs(t *testing.T) {
	w0, w1, _, _ := melander.Pairs(t)
	o := testgeom.Options{NullReplicates: 100, Bootstrap: 10, Seed: 1}
	r, err := testgeom.TestPaired(w0, w1, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"regression to the mean", "its own calibrated ΔCDF test rejects it, p < 0.01, 100 simulations", "describes every change"} {
		if !strings.Contains(r.Verdict, want) {
			t.Errorf("verdict lacks %q: %q", want, r.Verdict)
		}
	}
	z0, z1 := append([]float64(nil), w0...), append([]float64(nil), w1...)
	for i := 0; i < len(w0); i += 2 {
		if i%4 == 0 {
			z0, z1 = append(z0, w0[i]), append(z1, 0)
		} else {
			z0, z1 = append(z0, 0), append(z1, w1[i])
		}
	}
	k, err := testgeom.TestPaired(z0, z1, o)
	if err != nil {
		t.Fatal(err)
	}
	if k.ComparedN != r.ComparedN || k.N != int64(len(z0)) || k.Counts["zero_pairs"] != int64(len(z0)-len(w0)) ||
		k.BestByDCDF != r.BestByDCDF || k.BestByLikelihood != r.BestByLikelihood || *k.LambdaHat != *r.LambdaHat || k.Verdict != r.Verdict {
		t.Errorf("with zero pairs: n %d, compared %d (want %d), best %s/%s (want %s/%s), verdict %q", k.N, k.ComparedN, r.ComparedN,
			k.BestByDCDF, k.BestByLikelihood, r.BestByDCDF, r.BestByLikelihood, k.Verdict)
	}
	for i, c := range k.Candidates {
		if c.N != r.ComparedN || *c.DCDF != *r.Candidates[i].DCDF || k.Bootstrap.WinsDCDF[c.Name] != r.Bootstrap.WinsDCDF[c.Name] {
			t.Errorf("%s: n %d, ΔCDF %v vs %v", c.Name, c.N, *c.DCDF, *r.Candidates[i].DCDF)
		}
	}
}

// TestLambdaDecimals: two significant digits of the interval's width,
// never fewer than asked, and the asked number for open or empty intervals.
func TestLambdaDecimals(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		ci          [2]*float64
		least, want int
	}{
		{[2]*float64{f(-0.07), f(0.12)}, 3, 3},      // width 0.19: three decimals already show 0.19
		{[2]*float64{f(-0.0001), f(0.0002)}, 3, 5},  // width 3e-4: 0.00030
		{[2]*float64{f(-0.0015), f(0.0009)}, 4, 4},  // width 0.0024 at four decimals: 0.0024
		{[2]*float64{f(-0.0015), f(0.0009)}, 3, 4},  // …and at least three: still four
		{[2]*float64{f(1e-6), f(4e-6)}, 3, 7},       // width 3e-6
		{[2]*float64{f(0), f(1e-15)}, 3, 10},        // capped
		{[2]*float64{nil, f(0.1)}, 3, 3},            // open below
		{[2]*float64{f(0.2), f(0.2)}, 4, 4},         // empty
		{[2]*float64{f(0.5), f(math.Inf(1))}, 3, 3}, // infinite
		{[2]*float64{f(math.NaN()), f(0.5)}, 3, 3},  // NaN bound
	} {
		if got := testgeom.LambdaDecimals(c.ci, c.least); got != c.want {
			t.Errorf("LambdaDecimals(%v, %d) = %d, want %d", c.ci, c.least, got, c.want)
		}
		// The promise itself: at the returned decimals, the two bounds of a
		// bounded interval wider than 1e-9 print differently.
		if c.ci[0] != nil && c.ci[1] != nil && *c.ci[1]-*c.ci[0] > 1e-9 {
			d := testgeom.LambdaDecimals(c.ci, c.least)
			if fmt.Sprintf("%.*f", d, *c.ci[0]) == fmt.Sprintf("%.*f", d, *c.ci[1]) {
				t.Errorf("%v at %d decimals: both bounds print alike", c.ci, d)
			}
		}
	}
}
