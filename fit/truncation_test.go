package fit

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// micronsSizes reads the cleft sizes of the MICrONS regression table.
func micronsSizes(t *testing.T) []float64 {
	t.Helper()
	f, err := os.Open("testdata/microns_minnie65_input_synapses_3cells.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "size" {
			col = i
		}
	}
	var x []float64
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatal(err)
		}
		x = append(x, v)
	}
	return x
}

func resultOf(t *testing.T, rep *Report, family string) *Result {
	t.Helper()
	for i := range rep.Fits {
		if rep.Fits[i].Family == family {
			return &rep.Fits[i]
		}
	}
	t.Fatalf("no %s fit", family)
	return nil
}

// TestMicronsTruncated is the regression test of the MICrONS cleft sizes
// with their detection limit of 160 voxels (nine sizes equal 160): every
// family gets a finite AD, the truncated normal (whose likelihood tends to
// the exponential's) is not identified and not ranked, bootstrap refits are
// accounted for, no comparison with a coinciding fit gives a Z, and the
// method says the fit was numerical and truncated.
func TestMicronsTruncated(t *testing.T) {
	x := micronsSizes(t)
	if len(x) != 9201 {
		t.Fatalf("%d sizes, want 9201", len(x))
	}
	L := 160.0
	const B = 19
	rep, err := Fit(x, nil, Options{TruncateBelow: &L, GOFSamples: B, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.IntegerData {
		t.Error("voxel counts not recognised as integer data")
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "9 values equal the truncation point 160") {
		t.Errorf("notes do not count the values at the limit: %q", rep.Notes)
	}
	for _, r := range rep.Fits {
		if r.AD == nil || r.KS == nil || r.CvM == nil {
			t.Errorf("%s: a GOF statistic is not finite (AD %v)", r.Family, r.AD)
		}
		if !strings.Contains(r.Method, "numerical") || !strings.Contains(r.Method, "truncated") || strings.Contains(r.Method, "closed form") {
			t.Errorf("%s: method %q does not say it is a numerical truncated fit", r.Family, r.Method)
		}
		switch r.Status {
		case StatusOK:
			pv := r.PValues
			if pv == nil || pv.Samples+pv.Failed != B {
				t.Fatalf("%s: bootstrap resamples not accounted for: %+v", r.Family, pv)
			}
			n := 0
			for _, c := range pv.FailureReasons {
				n += c
			}
			if n != pv.Failed {
				t.Errorf("%s: %d failures but %d with reasons", r.Family, pv.Failed, n)
			}
			for _, stat := range []string{"ks", "cvm", "ad"} {
				if v, floor := pv.PValue(stat); v == nil || floor != (*v == pv.Floor()) {
					t.Errorf("%s %s: p %v, at floor %v, floor %g", r.Family, stat, v, floor, pv.Floor())
				}
			}
		case StatusNotIdentified:
			if r.PValues == nil || r.PValues.Skipped == "" {
				t.Errorf("%s: not identified but bootstrapped: %+v", r.Family, r.PValues)
			}
		default:
			t.Errorf("%s: status %q", r.Family, r.Status)
		}
	}
	norm, exp := resultOf(t, rep, "normal"), resultOf(t, rep, "exponential")
	if norm.Status != StatusNotIdentified || !strings.Contains(norm.Limit, "exponential") {
		t.Fatalf("truncated normal: status %q, limit %q; want not identified, tending to an exponential", norm.Status, norm.Limit)
	}
	rate := exp.Params["rate"]
	i := strings.LastIndex(norm.Limit, "rate ")
	var got float64
	if i >= 0 {
		got, _ = strconv.ParseFloat(strings.Fields(norm.Limit[i+5:])[0], 64)
	}
	if math.Abs(got/rate-1) > 1e-4 {
		t.Errorf("limit %q does not give the exponential rate %.6g", norm.Limit, rate)
	}
	for _, f := range rep.Ranking {
		if f == "normal" {
			t.Error("the not-identified normal is ranked")
		}
	}
	if norm.DeltaAIC != nil || norm.AkaikeWeight != nil {
		t.Error("the not-identified normal has an Akaike weight")
	}
	for _, v := range rep.Vuong {
		involved := v.A == "normal" || v.B == "normal"
		if involved && (v.Status != StatusNotInformative || v.Statistic != nil) {
			t.Errorf("Vuong %s–%s: status %q, Z %v; want not informative", v.A, v.B, v.Status, v.Statistic)
		}
		for _, z := range []*float64{v.Statistic, v.StatisticSchwarz} {
			if z != nil && math.Abs(*z) > 100 {
				t.Errorf("Vuong %s–%s: Z = %g", v.A, v.B, *z)
			}
		}
	}
}

// TestNotIdentifiedSynthetic: exponential data truncated at their minimum
// leave the truncated normal without a maximum; its limit is the
// exponential fit, and the comparison of the two is not informative.
func TestNotIdentifiedSynthetic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 2000)
	for i := range x {
		x[i] = 10 + r.ExpFloat64()/0.5
	}
	L := 10.0
	rep, err := Fit(x, []*Family{normalFamily, exponentialFamily, gammaFamily}, Options{TruncateBelow: &L, GOFSamples: 19, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	norm, exp := resultOf(t, rep, "normal"), resultOf(t, rep, "exponential")
	if norm.Status != StatusNotIdentified {
		t.Fatalf("normal: status %q, params %v", norm.Status, norm.Params)
	}
	if exp.Status != StatusOK || math.Abs(exp.Params["rate"]-0.5) > 0.05 {
		t.Errorf("exponential: %q, rate %v", exp.Status, exp.Params)
	}
	if rep.Best == "normal" {
		t.Error("best is the not-identified normal")
	}
	for _, lr := range rep.LRTests {
		if lr.Status != StatusOK || lr.Statistic == nil {
			t.Errorf("LR %s in %s: %q", lr.Nested, lr.Full, lr.Status)
		}
	}
	for _, v := range rep.Vuong {
		if (v.A == "normal" || v.B == "normal") && v.Status != StatusNotInformative {
			t.Errorf("Vuong %s–%s: %q", v.A, v.B, v.Status)
		}
	}
}

// TestValuesAtTheLimit: continuous data with values recorded exactly at the
// truncation point get finite GOF statistics, and data drawn from the
// fitted family are not rejected; without values at the limit the
// convention changes nothing.
func TestValuesAtTheLimit(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, 500)
	for i := range x {
		x[i] = 0.5 + r.ExpFloat64()*0.8
	}
	for i := 0; i < 4; i++ {
		x[i] = 0.5
	}
	L := 0.5
	rep, err := Fit(x, []*Family{exponentialFamily, gammaFamily, weibullFamily, logNormalFamily}, Options{TruncateBelow: &L, GOFSamples: 99, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.IntegerData {
		t.Error("continuous data taken for integers")
	}
	for _, f := range rep.Fits {
		if f.AD == nil {
			t.Errorf("%s: AD not finite with values at the limit", f.Family)
		}
	}
	exp := resultOf(t, rep, "exponential")
	if p, _ := exp.PValues.PValue("ad"); p == nil || *p < 0.05 {
		t.Errorf("exponential data rejected by their own family: AD p %v", p)
	}
	// The convention only touches the values at the limit and ties.
	e := exp.Estimate
	clean := append([]float64(nil), e.Law().Quantile(0.1), e.Law().Quantile(0.5), e.Law().Quantile(0.9))
	ks1, cvm1, ad1 := gofStatsData(clean, e.Law(), true, L)
	ks2, cvm2, ad2 := gofStats(clean, e.Law())
	if ks1 != ks2 || cvm1 != cvm2 || ad1 != ad2 {
		t.Errorf("without ties or values at the limit the statistics change: %v %v %v vs %v %v %v", ks1, cvm1, ad1, ks2, cvm2, ad2)
	}
}

// TestIntegerCounts: rounded counts with many ties are recognised as
// integer data, said so, and their own (continuous) family is not
// rejected, although the plain statistics of the tied values would be far
// in the tail of the continuous bootstrap.
func TestIntegerCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	x := make([]float64, 2000)
	for i := range x {
		x[i] = math.Max(1, math.Round(math.Exp(2.5+0.4*r.NormFloat64())))
	}
	rep, err := Fit(x, []*Family{logNormalFamily, gammaFamily}, Options{GOFSamples: 99, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.IntegerData || !strings.Contains(strings.Join(rep.Notes, " "), "integers") {
		t.Fatalf("integer data not said so: %v %q", rep.IntegerData, rep.Notes)
	}
	ln := resultOf(t, rep, "lognormal")
	for _, stat := range []string{"ks", "ad"} {
		if p, _ := ln.PValues.PValue(stat); p == nil || *p < 0.05 {
			t.Errorf("rounded lognormal data rejected by the lognormal: %s p %v", stat, p)
		}
	}
	plainKS, _, _ := gofStats(sortedCopy(x), ln.Estimate.Law())
	if ln.KS == nil || !(*ln.KS < plainKS) {
		t.Errorf("KS with the rounding convention %v, plain %g: ties should no longer count as jumps", ln.KS, plainKS)
	}
	// Truncated at the smallest count, which occurs several times.
	L := sortedCopy(x)[0]
	rep, err = Fit(x, []*Family{logNormalFamily}, Options{TruncateBelow: &L, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Fits[0]; r.AD == nil {
		t.Errorf("truncated at %g: AD not finite", L)
	}
}

func sortedCopy(x []float64) []float64 {
	s := &sample{x: x}
	return append([]float64(nil), s.sortedX()...)
}

// TestBootstrapFailuresCounted: resamples that cannot be drawn or refitted
// are counted with their reason and left out. A truncated normal far in its
// upper tail (the not-identified fit of TestNotIdentifiedSynthetic) cannot
// be sampled in float64: every resample fails, and says why.
func TestBootstrapFailuresCounted(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 2000)
	for i := range x {
		x[i] = 10 + r.ExpFloat64()/0.5
	}
	L := 10.0
	rep, err := Fit(x, []*Family{normalFamily}, Options{TruncateBelow: &L, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	e := rep.Fits[0].Estimate
	s := newSample(x, 1)
	s.truncated, s.lower = true, L
	const B = 29
	pv := bootstrapGOF(normalFamily, e, s, Options{GOFSamples: B, GOFMaxN: DefaultGOFMaxN, Seed: 1, Workers: 2})
	if pv.Samples+pv.Failed != B || pv.Failed == 0 {
		t.Fatalf("samples %d, failed %d of %d", pv.Samples, pv.Failed, B)
	}
	n := 0
	for why, c := range pv.FailureReasons {
		if why == "" {
			t.Error("empty reason")
		}
		n += c
	}
	if n != pv.Failed {
		t.Errorf("%d failed, %d with reasons: %v", pv.Failed, n, pv.FailureReasons)
	}
	if pv.Samples == 0 && (pv.KS != nil || pv.Floor() != 0) {
		t.Errorf("p-values without resamples: %+v", pv)
	}
}

// TestVuongCoincidingFits: two fitted laws that coincide (a Student-t with
// huge df and the normal) give no Vuong Z, only "not informative".
func TestVuongCoincidingFits(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	x := make([]float64, 1000)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	s := newSample(x, 1)
	mk := func(f *Family, d Distribution, p []float64) Result {
		e := &Estimate{Family: f, Dist: d, Params: p, N: s.n}
		for _, v := range x {
			e.LogLik += d.LogProb(v)
		}
		return Result{Family: f.Name, Status: StatusOK, ParamNames: f.ParamNames, Estimate: e}
	}
	fits := []Result{mk(normalFamily, Normal{0, 1}, []float64{0, 1}), mk(studentTFamily, StudentT{0, 1, 1e6}, []float64{0, 1, 1e6})}
	v, _ := compare(fits, s)
	if len(v) != 1 || v[0].Status != StatusNotInformative || v[0].Statistic != nil || v[0].Reason == "" {
		t.Errorf("Vuong of coinciding fits: %+v", v)
	}
}
