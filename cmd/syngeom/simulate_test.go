package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// runSyngeom runs the CLI in-process and returns the exit code and streams.
func runSyngeom(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	return code, out.String(), errb.String()
}

func mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errs := runSyngeom(args...)
	if code != 0 {
		t.Fatalf("syngeom %s: exit %d\nstderr: %s", strings.Join(args, " "), code, errs)
	}
	return out, errs
}

// geometryOf runs 'syngeom test FILE --json -' without calibration or
// bootstrap and returns the geometry result.
func geometryOf(t *testing.T, path string, extra ...string) *testgeom.Result {
	t.Helper()
	out, _ := mustRun(t, append([]string{"test", path, "--json", "-", "--bootstrap", "0", "--null-replicates", "0"}, extra...)...)
	var doc struct {
		Geometry *testgeom.Result `json:"geometry"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("test JSON: %v\n%s", err, out)
	}
	return doc.Geometry
}

var familyNeighbours = map[string][]string{
	"NE": {"NE", "p=1.1", "p=1.2", "p=1.3"}, "p=2.0": {"p=1.7", "p=1.8", "p=1.9", "p=2.0", "p=2.1", "p=2.2", "p=2.3"},
	"p=3.0": {"p=2.7", "p=2.8", "p=2.9", "p=3.0"},
}

func inList(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSimulateMirrorThroughTest is the acceptance test on the
// command line: 'simulate mirror' at D = 2000, N = D^0.5 for NE, p = 2 and
// p = 3, run through 'syngeom test': the true potential has a smaller ΔCDF
// than the other two families, the grid's ΔCDF winner is within 0.3 of the
// true p, and λ̂ lies within 0.15 of the truth.
func TestSimulateMirrorThroughTest(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		potential, truth string
		lambda           float64
	}{{"NE", "NE", 0}, {"2", "p=2.0", 1}, {"3", "p=3.0", 2}} {
		path := filepath.Join(dir, "mirror_"+c.potential+".parquet")
		_, errs := mustRun(t, "simulate", "mirror", "--potential", c.potential, "--dim", "2000", "--exponent", "0.5", "--seed", "5", "-o", path)
		if !strings.Contains(errs, "synthetic") || !strings.Contains(errs, "N = 44") || !strings.Contains(errs, "Newton") {
			t.Errorf("stderr does not describe the run: %s", errs)
		}
		g := geometryOf(t, path)
		if !inList(familyNeighbours[c.truth], g.BestByDCDF) {
			t.Errorf("mirror %s: best by ΔCDF %s", c.truth, g.BestByDCDF)
		}
		dcdf := map[string]float64{}
		for _, cand := range g.Candidates {
			if cand.DCDF != nil {
				dcdf[cand.Name] = *cand.DCDF
			}
		}
		for _, other := range []string{"NE", "p=2.0", "p=3.0"} {
			if other != c.truth && dcdf[other] <= dcdf[c.truth] {
				t.Errorf("mirror %s: %s has ΔCDF %.3f ≤ the truth's %.3f", c.truth, other, dcdf[other], dcdf[c.truth])
			}
		}
		if g.LambdaHat == nil || math.Abs(*g.LambdaHat-c.lambda) > 0.15 {
			t.Errorf("mirror %s: λ̂ = %v, want %v ± 0.15", c.truth, g.LambdaHat, c.lambda)
		} else {
			t.Logf("mirror %s: best by ΔCDF %s (%.3f), λ̂ %.3f", c.truth, g.BestByDCDF, dcdf[c.truth], *g.LambdaHat)
		}
	}
}

// TestSimulateDualshiftPaperPreset checks the paper's robustness setting
// from the command line: the file holds exactly what the library draws, and
// 'syngeom test' gives the true potential a ΔCDF at the null level (≈ 0.035;
// one table, so the band is the null's 95% range at n = 1000) and λ̂ near 0.
func TestSimulateDualshiftPaperPreset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "robust.csv")
	_, errs := mustRun(t, "simulate", "dualshift", "--preset", "paper-lognormal", "--potential", "NE", "--seed", "2", "-o", path)
	if !strings.Contains(errs, "synthetic") || !strings.Contains(errs, "1000 synapses") {
		t.Errorf("stderr: %s", errs)
	}
	s, err := datasets.PaperRobustness(geometry.NegEntropy{}, "lognormal", 2)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ingest.Load([]string{path}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(d.Before, want.Before) || !sameBits(d.After, want.After) {
		t.Fatal("the CSV does not hold the library's table bit for bit")
	}
	g := geometryOf(t, path, "--candidates", "NE,2,3")
	for _, c := range g.Candidates {
		if c.Name == "NE" && (c.DCDF == nil || *c.DCDF > 0.064) {
			t.Errorf("true candidate ΔCDF %v, want at most the null's 95th percentile 0.064", c.DCDF)
		}
		if c.Name != "NE" && (c.DCDF == nil || *c.DCDF < 0.15) {
			t.Errorf("wrong family %s ΔCDF %v", c.Name, c.DCDF)
		}
	}
	if g.BestByDCDF != "NE" || g.LambdaHat == nil || math.Abs(*g.LambdaHat) > 0.15 {
		t.Errorf("best %s, λ̂ %v", g.BestByDCDF, g.LambdaHat)
	}
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// TestSimulateDeterministic: the same flags give byte-identical files at
// any GOMAXPROCS, and a different seed a different file.
func TestSimulateDeterministic(t *testing.T) {
	dir := t.TempDir()
	for _, model := range [][]string{
		{"dualshift", "--init-lit", "song2005", "--potential", "2", "--step", "0.05", "--noise-cv", "0.1", "--turnover", "0.05",
			"--missing", "0.01", "--groups", "3", "-n", "40000"},
		{"mirror", "--potential", "NE", "--dim", "600", "--exponent", "0.75"},
	} {
		var files [][]byte
		for i, procs := range []int{1, 4} {
			path := filepath.Join(dir, model[0]+string(rune('a'+i))+".parquet")
			old := runtime.GOMAXPROCS(procs)
			mustRun(t, append([]string{"simulate"}, append(model, "--seed", "9", "-o", path)...)...)
			runtime.GOMAXPROCS(old)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, b)
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Errorf("%s: files differ between GOMAXPROCS 1 and 4", model[0])
		}
		path := filepath.Join(dir, model[0]+"_other.parquet")
		mustRun(t, append([]string{"simulate"}, append(model, "--seed", "10", "-o", path)...)...)
		if b, _ := os.ReadFile(path); bytes.Equal(b, files[0]) {
			t.Errorf("%s: seeds 9 and 10 gave the same file", model[0])
		}
	}
}

// TestSimulateParquetReadBack reads a simulated Parquet file (groups,
// zeros, missing values) back with syngeom's reader, wide and long.
func TestSimulateParquetReadBack(t *testing.T) {
	dir := t.TempDir()
	s := datasets.DualShift{Potential: geometry.Hypentropy{Beta: 0.1}, Init: datasets.Normal{Mean: 0.2, SD: 0.3}, Step: 0.2,
		NoiseSD: 0.01, Turnover: 0.1, Missing: 0.02, N: 30000, Groups: 2, Seed: 4}
	want, err := s.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	common := []string{"simulate", "dualshift", "--potential", "hypentropy:0.1", "--init", "normal:0.2,0.3", "--step", "0.2",
		"--noise-sd", "0.01", "--turnover", "0.1", "--missing", "0.02", "-n", "30000", "--groups", "2", "--seed", "4"}
	var wantB, wantA []float64
	var wantMissing int64
	for i := range want.Before {
		if math.IsNaN(want.Before[i]) || math.IsNaN(want.After[i]) {
			wantMissing++
			continue
		}
		wantB, wantA = append(wantB, want.Before[i]), append(wantA, want.After[i])
	}
	for _, c := range []struct {
		file string
		long bool
		opt  ingest.Options
	}{
		{"wide.parquet", false, ingest.Options{Group: "group"}},
		{"long.parquet", true, ingest.Options{Group: "group"}},
	} {
		path := filepath.Join(dir, c.file)
		args := append(append([]string{}, common...), "-o", path)
		if c.long {
			args = append(args, "--long")
		}
		mustRun(t, args...)
		d, err := ingest.Load([]string{path}, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(d.Before, wantB) || !sameBits(d.After, wantA) {
			t.Errorf("%s: read %d pairs that differ from the %d simulated", c.file, len(d.Before), len(wantB))
		}
		if d.Excluded[ingest.ReasonMissing] != wantMissing || len(d.GroupNames) != 2 {
			t.Errorf("%s: excluded %v, groups %v; want %d missing and 2 groups", c.file, d.Excluded, d.GroupNames, wantMissing)
		}
	}
}

func TestSimulateUsageErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.csv")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"simulate", "-o", out}, "dualshift or mirror"},
		{[]string{"simulate", "brownian", "-o", out}, "dualshift or mirror"},
		{[]string{"simulate", "dualshift"}, "-o FILE"},
		{[]string{"simulate", "dualshift", "-o", "x.xlsx"}, ".parquet"},
		{[]string{"simulate", "dualshift", "--dim", "10", "-o", out}, "--dim does not apply"},
		{[]string{"simulate", "mirror", "--turnover", "0.1", "-o", out}, "--turnover does not apply"},
		{[]string{"simulate", "dualshift", "--init", "gamma:1,2", "-o", out}, "unknown law"},
		{[]string{"simulate", "dualshift", "--init", "normal:0,1", "--init-lit", "song2005", "-o", out}, "not both"},
		{[]string{"simulate", "dualshift", "--init-lit", "loewenstein2011", "-o", out}, "qualitative"},
		{[]string{"simulate", "dualshift", "--init-lit", "nobody", "-o", out}, "song2005"},
		{[]string{"simulate", "dualshift", "--potential", "1", "-o", out}, "p > 1"},
		{[]string{"simulate", "dualshift", "--potential", "NE,2", "-o", out}, "one geometry"},
		{[]string{"simulate", "dualshift", "--preset", "paper", "-o", out}, "paper-lognormal"},
		{[]string{"simulate", "dualshift", "--turnover", "2", "-o", out}, "turnover"},
		{[]string{"simulate", "dualshift", "--init", "twopoint:0,1,0.5", "-o", out}, "domain of NE"},
		{[]string{"simulate", "mirror", "--dim", "100", "--exponent", "1", "-o", out}, "N < D"},
		{[]string{"simulate", "dualshift", "--compression", "zip", "-o", filepath.Join(t.TempDir(), "x.parquet")}, "compression"},
	} {
		code, _, errs := runSyngeom(c.args...)
		if code != exitInput || !strings.Contains(errs, c.msg) {
			t.Errorf("syngeom %s: exit %d, stderr %q; want exit 2 mentioning %q", strings.Join(c.args, " "), code, errs, c.msg)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed simulate left an output file")
	}
}
