package analysis

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// quick are settings that keep the tests fast: a short candidate list and
// small resampling sizes.
func quick() Options {
	return Options{Test: testgeom.Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 1.5}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}},
		Seed: 3, Bootstrap: 10, NullReplicates: 20}, GOFSamples: 5}
}

// simulated returns paired data made under pot: log-normal initial weights
// and one Gaussian dual step, in two groups.
func simulated(t *testing.T, pot geometry.Potential, n int, seed uint64) *ingest.Data {
	t.Helper()
	s := datasets.DualShift{Potential: pot, Init: datasets.LogNormal{MeanLog: -0.7, SDLog: 0.9}, Step: 0.2 * math.Abs(pot.Dual(0.5)),
		N: n, Groups: 2, Seed: seed}
	p, err := s.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	return &ingest.Data{Files: []string{"sim"}, Format: "memory", Shape: ingest.ShapePaired, Rows: int64(p.Len()),
		Before: p.Before, After: p.After, Group: p.Group, GroupNames: p.GroupNames,
		Roles: map[string]string{"before": "before", "after": "after", "group": "group"}}
}

// noNaN fails if the result cannot be encoded (NaN or Inf left in it).
func encode(t *testing.T, r *Result) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("result does not encode as JSON: %v", err)
	}
	return b
}

func TestAnalyzeRecoversGeometry(t *testing.T) {
	for _, tc := range []struct {
		pot    geometry.Potential
		lambda float64
	}{{geometry.NegEntropy{}, 0}, {geometry.PNorm{P: 2}, 1}} {
		t.Run(tc.pot.Name(), func(t *testing.T) {
			d := simulated(t, tc.pot, 1500, 5)
			r, err := Analyze(d, quick())
			if err != nil {
				t.Fatal(err)
			}
			g := r.Geometry.Paired
			if g == nil || g.LambdaCI[0] == nil || g.LambdaCI[1] == nil {
				t.Fatalf("no paired estimate: %+v", r.Geometry)
			}
			if *g.LambdaCI[0] > tc.lambda || *g.LambdaCI[1] < tc.lambda {
				t.Errorf("95%% interval [%g, %g] misses the true λ = %g", *g.LambdaCI[0], *g.LambdaCI[1], tc.lambda)
			}
			if g.BestByLikelihood != tc.pot.Name() || r.ShiftGeometry != tc.pot.Name() {
				t.Errorf("best %q, shifts fitted under %q; want %s", g.BestByLikelihood, r.ShiftGeometry, tc.pot.Name())
			}
			// Under the true geometry the dual shifts are Gaussian: the
			// normal family must be among the best two for the shifts.
			if c := r.FitComparisons["shift"]; len(c.Ranking) < 2 || !slices.Contains(c.Ranking[:2], "normal") {
				t.Errorf("shift ranking %v: normal not in the top two", c.Ranking)
			}
			if len(r.Groups) != 2 || r.Groups[0].N.Pairs+r.Groups[1].N.Pairs != r.N.Pairs || r.N.Pairs != 1500 {
				t.Errorf("groups do not partition the pairs: pooled %d, groups %+v %+v", r.N.Pairs, r.Groups[0].N, r.Groups[1].N)
			}
			// With groups the verdict leads with the common-λ model, which
			// names the true geometry, and keeps the pooled fit's own verdict.
			want := map[string]string{"NE": "negative entropy", "p=2.0": "Euclidean"}[tc.pot.Name()]
			if !strings.HasPrefix(r.Verdict, "One λ shared by the 2 groups") ||
				!strings.Contains(r.Verdict, ", "+want) && !strings.Contains(r.Verdict, ", the "+want) || r.PooledVerdict != g.Verdict {
				t.Errorf("verdict %q", r.Verdict)
			}
			encode(t, r)
		})
	}
}

func TestAnalyzeDeterministicAcrossWorkers(t *testing.T) {
	d := simulated(t, geometry.PNorm{P: 1.5}, 600, 9)
	a, err := Analyze(d, quick())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Analyze(d, quick())
	if err != nil {
		t.Fatal(err)
	}
	if string(encode(t, a)) != string(encode(t, b)) {
		t.Error("two runs with the same seed differ")
	}
	o := quick()
	o.Test.Seed++
	c, err := Analyze(d, o)
	if err != nil {
		t.Fatal(err)
	}
	if string(encode(t, a)) == string(encode(t, c)) {
		t.Error("a different seed gives the same result: the seed is not used")
	}
}

func TestSubsample(t *testing.T) {
	x := make([]float64, 10000)
	for i := range x {
		x[i] = float64(i)
	}
	s := Subsample(x, 1234, 1)
	if len(s) != 1234 || !slices.IsSorted(s) {
		t.Fatalf("subsample of %d values, sorted %v", len(s), slices.IsSorted(s))
	}
	if len(slices.Compact(slices.Clone(s))) != len(s) {
		t.Error("subsample repeats values: not without replacement")
	}
	if !slices.Equal(s, Subsample(x, 1234, 1)) || slices.Equal(s, Subsample(x, 1234, 2)) {
		t.Error("subsample is not a function of the seed")
	}
	// Every part of the input is represented: the mean of a uniform
	// subsample is near the population mean (sd of the mean ≈ 80).
	var m float64
	for _, v := range s {
		m += v
	}
	if m /= float64(len(s)); math.Abs(m-4999.5) > 400 {
		t.Errorf("subsample mean %g, want about 4999.5", m)
	}
	if got := Subsample(x, 20000, 1); len(got) != len(x) {
		t.Errorf("m ≥ n must return the input")
	}
}

func TestFitMaxNSubsamples(t *testing.T) {
	d := simulated(t, geometry.NegEntropy{}, 800, 2)
	o := quick()
	o.FitMaxN, o.GOFSamples, o.Test.Bootstrap, o.Test.NullReplicates = 300, 0, 0, 0
	r, err := Analyze(d, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"before", "after", "shift"} {
		c := r.FitComparisons[k]
		if c.N != 800 || c.FittedN != 300 || r.Fits.Before[0].N != 300 {
			t.Errorf("%s: n %d, fitted %d (fit n %d); want 800 and 300", k, c.N, c.FittedN, r.Fits.Before[0].N)
		}
	}
	// The families with sufficient statistics are refitted on all values.
	all, err := fit.Fit(d.Before, []*fit.Family{fit.LogNormalFamily()}, fit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	full := r.FitComparisons["before"].FullData
	i := slices.IndexFunc(full, func(f fit.Result) bool { return f.Family == "lognormal" })
	if i < 0 || full[i].N != 800 || math.Abs(full[i].Params["meanlog"]-all.Fits[0].Params["meanlog"]) > 1e-12 ||
		math.Abs(*full[i].LogLik-*all.Fits[0].LogLik) > 1e-9 {
		t.Errorf("full-data fits %+v, want lognormal on 800 values as %+v", full, all.Fits[0].Params)
	}
	// The geometry test still uses every pair.
	if r.Geometry.Paired.N != 800 {
		t.Errorf("geometry used %d pairs, want 800", r.Geometry.Paired.N)
	}
}

func TestWarnings(t *testing.T) {
	d := simulated(t, geometry.NegEntropy{}, 400, 4)
	// Put a zero into 10% of the pairs: the NE test loses them.
	for i := 0; i < 40; i++ {
		d.After[i*10] = 0
	}
	o := quick()
	o.Test.Bootstrap, o.Test.NullReplicates = 0, 0
	r, err := Analyze(d, o)
	if err != nil {
		t.Fatal(err)
	}
	if !containsText(r.Warnings, "have a zero weight") {
		t.Errorf("no warning about zeros: %q", r.Warnings)
	}
	// The zeros are absent synapses: the positive families are fitted to
	// the other 360 after weights.
	if c := r.FitComparisons["after"]; c.ZerosExcluded != 40 || c.FittedN != 360 || c.Best == "" || c.Best == "normal" {
		t.Errorf("after fits: %d zeros excluded, %d fitted, best %q", c.ZerosExcluded, c.FittedN, c.Best)
	}

	small := simulated(t, geometry.NegEntropy{}, 60, 4)
	small.Group, small.GroupNames = nil, nil
	r, err = Analyze(small, o)
	if err != nil {
		t.Fatal(err)
	}
	if !containsText(r.Warnings, "fewer than 100 pairs") || len(r.Groups) != 0 {
		t.Errorf("small n: warnings %q, %d groups", r.Warnings, len(r.Groups))
	}
	// Too few pairs for the test at all: the status says so, and so does
	// a warning.
	small.Before, small.After = small.Before[:5], small.After[:5]
	r, err = Analyze(small, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Geometry.Paired.Status == "ok" || !containsText(r.Warnings, "only 5 pairs") {
		t.Errorf("5 pairs: status %q, warnings %q", r.Geometry.Paired.Status, r.Warnings)
	}

	// Shifts that grow with w0 violate every candidate's model.
	bad := simulated(t, geometry.NegEntropy{}, 2000, 4)
	for i, w := range bad.Before {
		bad.After[i] = w + 0.3*w*w*math.Sin(float64(i))
	}
	o.Test.NullReplicates = 50
	r, err = Analyze(bad, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Geometry.Paired.Adequate || !strings.Contains(r.Verdict, "fits poorly") {
		t.Errorf("a model that fits nothing was called adequate: %q", r.Verdict)
	}
}

func TestUnpairedAndSingle(t *testing.T) {
	d := simulated(t, geometry.NegEntropy{}, 500, 6)
	u := &ingest.Data{Files: []string{"u"}, Shape: ingest.ShapeUnpaired, Before: d.Before, After: d.After[:400]}
	o := quick()
	o.Test.NullReplicates = 0
	r, err := Analyze(u, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Geometry.Unpaired == nil || r.Geometry.Paired != nil || r.Fits.Shift != nil || r.N.Before != 500 || r.N.After != 400 {
		t.Errorf("unpaired: %+v, n %+v", r.Geometry, r.N)
	}
	if b := encode(t, r); !strings.Contains(string(b), `"design":"unpaired"`) {
		t.Error(`unpaired JSON lacks "design":"unpaired"`)
	}

	s := &ingest.Data{Files: []string{"s"}, Shape: ingest.ShapeSingle, Before: d.Before}
	r, err = Analyze(s, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Fits.Sample) == 0 || r.Fits.Before != nil || !strings.Contains(r.Verdict, "single snapshot") {
		t.Errorf("single: fits %d, verdict %q", len(r.Fits.Sample), r.Verdict)
	}
	if b := encode(t, r); !strings.Contains(string(b), `"geometry":null`) {
		t.Error("single-sample JSON must have geometry null")
	}
}

func TestShiftGeometryChoice(t *testing.T) {
	d := simulated(t, geometry.NegEntropy{}, 300, 8)
	o := quick()
	o.Test.Bootstrap, o.Test.NullReplicates, o.ShiftGeometry = 0, 0, "p=2.0"
	r, err := Analyze(d, o)
	if err != nil {
		t.Fatal(err)
	}
	// The figures draw the fitted shifts of the kept pairs: here all 300.
	f := r.Figures
	w0, w1, dd := f.Before.Values, f.After.Values, f.Shift.Values
	if r.ShiftGeometry != "p=2.0" || len(dd) != 300 || f.Shift.N != 300 || len(w0) != 300 {
		t.Fatalf("shifts under %q, %d values of %d", r.ShiftGeometry, len(dd), f.Shift.N)
	}
	if !slices.Equal(slices.Sorted(slices.Values(w0)), slices.Sorted(slices.Values(d.Before))) {
		t.Fatal("the figures' before weights are not the pairs analysed")
	}
	for i := range dd {
		if math.Abs(dd[i]-(w1[i]-w0[i])) > 1e-12 {
			t.Fatalf("Euclidean shift %d: %g, want w1 − w0 = %g", i, dd[i], w1[i]-w0[i])
		}
	}
	o.ShiftGeometry = "p=2.5"
	if _, err := Analyze(d, o); err == nil || !strings.Contains(err.Error(), "not one of the candidates") {
		t.Errorf("unknown shift geometry: %v", err)
	}
}

func TestWriteShifts(t *testing.T) {
	d := simulated(t, geometry.NegEntropy{}, 200, 10)
	d.After[3] = 0 // undefined under NE: written as missing
	o := quick()
	o.Test.Bootstrap, o.Test.NullReplicates, o.GOFSamples = 0, 0, 0
	r, err := Analyze(d, o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"s.csv", "s.parquet"} {
		path := filepath.Join(dir, name)
		geom, err := r.WriteShifts(path, "NE")
		if err != nil || geom != "NE" {
			t.Fatalf("%s: %v (%q)", name, err, geom)
		}
		back, err := ingest.Load([]string{path}, ingest.Options{Before: "w0", After: "shift"})
		if err != nil {
			t.Fatal(err)
		}
		// Row 4 (pair 4) has no shift and is excluded as missing on reading.
		if len(back.Before) != 199 || back.Excluded[ingest.ReasonMissing] != 1 {
			t.Fatalf("%s: read %d pairs, excluded %v", name, len(back.Before), back.Excluded)
		}
		for i := range back.Before {
			j := i
			if i >= 3 {
				j++
			}
			want := math.Log(d.After[j]) - math.Log(d.Before[j])
			if back.Before[i] != d.Before[j] || math.Abs(back.After[i]-want) > 1e-12 {
				t.Fatalf("%s row %d: w0 %g shift %g, want %g and %g", name, i, back.Before[i], back.After[i], d.Before[j], want)
			}
		}
	}
	if _, err := r.WriteShifts(filepath.Join(dir, "x.json"), "NE"); err == nil {
		t.Error("unknown extension accepted")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files in the output directory: %v", entries)
	}
}

func TestRunDemo(t *testing.T) {
	o := quick()
	o.Test.Bootstrap, o.Test.NullReplicates, o.GOFSamples = 0, 0, 0
	o.Test.Candidates = []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}
	o.Families, o.ShiftFamilies = []*fit.Family{fit.LogNormalFamily(), fit.GammaFamily()}, []*fit.Family{fit.NormalFamily()}
	r, err := RunDemo(o)
	if err != nil {
		t.Fatal(err)
	}
	in := r.Input
	if !in.Demo || in.Files[0] != DemoFile || !strings.Contains(in.Description, "SYNTHETIC") || r.Settings.ZeroPolicy != ingest.ZeroMissing {
		t.Errorf("demo input %+v, zero policy %q", in, r.Settings.ZeroPolicy)
	}
	// Every row is accounted for: used, or excluded with a reason.
	var excl int64
	for _, n := range in.Excluded {
		excl += n
	}
	if in.Rows != 20000 || in.PairsUsed+excl != in.Rows || in.Excluded["zero"] == 0 || in.Excluded["missing"] == 0 {
		t.Errorf("rows %d = pairs %d + excluded %v?", in.Rows, in.PairsUsed, in.Excluded)
	}
	for _, n := range in.Notes {
		if strings.Contains(n, os.TempDir()) {
			t.Errorf("note names the temporary file: %q", n)
		}
	}
	if r.Geometry.Paired.BestByLikelihood != "NE" || len(r.Groups) != 2 {
		t.Errorf("demo (true geometry NE): best %q, %d groups", r.Geometry.Paired.BestByLikelihood, len(r.Groups))
	}
}

func TestProfileCurve(t *testing.T) {
	d := simulated(t, geometry.PNorm{P: 1.5}, 1000, 12)
	o := quick()
	o.Test.Bootstrap, o.Test.NullReplicates, o.GOFSamples = 0, 0, 0
	r, err := Analyze(d, o)
	if err != nil {
		t.Fatal(err)
	}
	c := r.Figures.Profile
	ok := c != nil
	var p, rel []float64
	if ok {
		p, rel = c.P, c.RelLogLik
	}
	if !ok || len(p) < 20 || len(p) != len(rel) || !slices.IsSorted(p) {
		t.Fatalf("profile: ok %v, %d points, sorted %v", ok, len(p), slices.IsSorted(p))
	}
	g := r.Geometry.Paired
	top := math.Inf(-1)
	for i := range p {
		top = math.Max(top, rel[i])
		if rel[i] > 0 {
			t.Fatalf("ℓ(p=%g) − ℓ(p̂) = %g > 0", p[i], rel[i])
		}
		// Inside the 95% interval the drop stays below χ²₁(0.95)/2.
		if p[i] > *g.LambdaCI[0]+1+1e-9 && p[i] < *g.LambdaCI[1]+1-1e-9 && rel[i] < -1.921 {
			t.Errorf("p = %g inside the interval drops by %g", p[i], rel[i])
		}
		// At λ = 1 the curve agrees with the LR statistic of Euclidean.
		if math.Abs(p[i]-2) < 1e-9 {
			if want := -*g.LRTests.Euclidean.Stat / 2; math.Abs(rel[i]-want) > 1e-6*math.Abs(want) {
				t.Errorf("ℓ(2) − ℓ(p̂) = %g, LR test says %g", rel[i], want)
			}
		}
	}
	if top != 0 {
		t.Errorf("the maximum of the relative profile is %g, want 0 at p̂", top)
	}
	if profileCurve(nil, func(float64) float64 { return 0 }) != nil {
		t.Error("a scope without a paired estimate returned a profile")
	}
}
