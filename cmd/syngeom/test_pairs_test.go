package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/testgeom"
)

// writeZeroCounts writes a connection table of integer counts in which 70%
// of the pairs have a zero count (a connection absent at one stage), the
// others changing multiplicatively.
func writeZeroCounts(t *testing.T, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(14, 70))
	var b strings.Builder
	b.WriteString("pre,post,before,after\n")
	for i := range n {
		w0 := math.Round(math.Exp(2 + 0.8*rng.NormFloat64()))
		w1 := math.Round(w0 * math.Exp(0.3*rng.NormFloat64()))
		switch {
		case i%10 < 4:
			w0 = 0
		case i%10 < 7:
			w1 = 0
		}
		if w0 == 0 && w1 == 0 {
			w1 = 1 // absent-to-absent is not a connection
		}
		fmt.Fprintf(&b, "n%d,m%d,%v,%v\n", i, i%17, w0, w1)
	}
	path := filepath.Join(t.TempDir(), "counts.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// With many pairs that contain a zero, --zero keep and --zero missing give
// the same comparison: every candidate is scored on the same pairs, so
// each ranking, each n, the likelihood, the bootstrap and the verdict
// agree; keep counts the zero pairs and warns about them.
func TestZeroPairsKeepMissingAgree(t *testing.T) {
	path := writeZeroCounts(t, 2000)
	res := map[string]*analysis.PairedTest{}
	for _, zero := range []string{"keep", "missing"} {
		jsonPath := filepath.Join(t.TempDir(), zero+".json")
		code, _, errs := runTest(path, "--before", "before", "--after", "after", "--zero", zero,
			"--bootstrap", "30", "--null-replicates", "50", "--json", jsonPath)
		if code != exitOK {
			t.Fatalf("--zero %s: exit %d: %s", zero, code, errs)
		}
		b, err := os.ReadFile(jsonPath)
		if err != nil {
			t.Fatal(err)
		}
		var out analysis.PairedTest
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		res[zero] = &out
	}
	k, m := res["keep"].Geometry, res["missing"].Geometry
	if z := k.Counts["zero_pairs"]; z < 1300 || k.N != m.N+z || k.ComparedN != m.ComparedN || m.ComparedN != m.N {
		t.Fatalf("keep: n %d, %d zero pairs, %d compared; missing: n %d, %d compared", k.N, z, k.ComparedN, m.N, m.ComparedN)
	}
	if k.BestByDCDF != m.BestByDCDF || k.BestByDCDFCentered != m.BestByDCDFCentered || k.BestByLikelihood != m.BestByLikelihood ||
		*k.LambdaHat != *m.LambdaHat || k.Verdict != m.Verdict || k.Adequate != m.Adequate {
		t.Errorf("keep and missing disagree:\n%s / %s / %s %v\n%s\n%s / %s / %s %v\n%s", k.BestByDCDF, k.BestByDCDFCentered, k.BestByLikelihood, *k.LambdaHat, k.Verdict,
			m.BestByDCDF, m.BestByDCDFCentered, m.BestByLikelihood, *m.LambdaHat, m.Verdict)
	}
	for _, r := range []*testgeom.Result{k, m} {
		ns := []int64{r.LikelihoodN, int64(r.DiagnosticsN), int64(r.Bootstrap.SampleN)}
		for _, c := range r.Candidates {
			ns = append(ns, c.N, int64(c.DiagnosticsN))
		}
		for _, n := range ns {
			if n != r.ComparedN {
				t.Errorf("a comparative n is %d, the compared pairs %d: %v", n, r.ComparedN, ns)
				break
			}
		}
	}
	for i, c := range k.Candidates {
		d := m.Candidates[i]
		if *c.DCDF != *d.DCDF || *c.LogLik != *d.LogLik || c.DCDFPValue == nil || *c.DCDFPValue != *d.DCDFPValue {
			t.Errorf("%s: ΔCDF %v / %v, log-lik %v / %v", c.Name, *c.DCDF, *d.DCDF, *c.LogLik, *d.LogLik)
		}
		if k.Bootstrap.WinsDCDF[c.Name] != m.Bootstrap.WinsDCDF[c.Name] || k.Bootstrap.WinsLikelihood[c.Name] != m.Bootstrap.WinsLikelihood[c.Name] {
			t.Errorf("%s: bootstrap wins differ", c.Name)
		}
		// What only the p-norms could use is counted, not compared.
		if want := k.Counts["zero_pairs"]; c.Name != "NE" && c.UsableNotCompared != want || c.Name == "NE" && c.UsableNotCompared != 0 {
			t.Errorf("%s: %d zero pairs usable but not compared, want %d", c.Name, c.UsableNotCompared, want)
		}
	}
	if !hasText(k.Warnings, "turnover") || !hasText(k.Warnings, "--zero missing") || hasText(m.Warnings, "turnover") {
		t.Errorf("zero warnings: keep %q, missing %q", k.Warnings, m.Warnings)
	}
	// The text says the same n beside every number.
	code, text, _ := runTest(path, "--before", "before", "--after", "after", "--bootstrap", "0", "--null-replicates", "50")
	if code != exitOK || !strings.Contains(text, fmt.Sprintf("scored on the same %d pairs", k.ComparedN)) {
		t.Errorf("text:\n%s", text)
	}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) > 2 && (f[0] == "NE" || strings.HasPrefix(f[0], "p=")) && f[1] != fmt.Sprint(k.ComparedN) {
			t.Errorf("table row with n %s, want %d: %q", f[1], k.ComparedN, line)
		}
	}
}

func hasText(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// A table without a single usable pair is an input error naming the file,
// in memory, streamed and in analyze.
func TestNoUsablePairIsInputError(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"header.csv":    "before,after\n",
		"missing.csv":   "before,after\n,\nNA,NA\n,3\n",
		"nonfinite.csv": "before,after\n1e999999,2\n3,1e999999\n1e999999,-1e999999\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"test", path}, {"test", path, "--stream"}, {"analyze", path, "--quiet"}, {"analyze", path, "--stream", "--quiet"}} {
			var out, errb bytes.Buffer
			code := run(args, &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
			if code != exitInput || !strings.Contains(errb.String(), name) || !strings.Contains(errb.String(), "no usable pair") {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 naming the file", args, code, errb.String())
			}
		}
	}
}

// A group with too few pairs is reported inside a run that succeeds.
func TestSmallGroupReportedInRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	b.WriteString("group,before,after\n")
	for i := range 300 {
		w0 := math.Exp(rng.NormFloat64())
		g := "big"
		if i < 4 {
			g = "tiny"
		}
		fmt.Fprintf(&b, "%s,%v,%v\n", g, w0, w0*math.Exp(0.2*rng.NormFloat64()))
	}
	path := filepath.Join(t.TempDir(), "groups.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runTest(path, "--group", "group", "--bootstrap", "0", "--null-replicates", "20")
	if code != exitOK || !strings.Contains(out, "=== group tiny ===") || !strings.Contains(out, "too few usable pairs: 4") {
		t.Errorf("exit %d, stderr %q, out:\n%s", code, errs, out)
	}
}

// A p-value at the floor of its calibration is a bound, and no p is
// written as 0, in the table and in the sentences.
func TestFloorPValuesAreBounds(t *testing.T) {
	path := writeZeroCounts(t, 3000)
	code, out, _ := runTest(path, "--before", "before", "--after", "after", "--bootstrap", "0", "--null-replicates", "200")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, "<0.005") || !strings.Contains(out, "p < 0.005, 200 simulations") || !strings.Contains(out, "<1e-300") {
		t.Errorf("no bound at the calibration floor 1/201 or for an underflow:\n%s", out)
	}
	for _, bad := range []string{"p = 0 ", "p = 0\n", "p = 0;", "p = 0)", " 0 "} {
		if strings.Contains(out, bad) {
			t.Errorf("%q printed:\n%s", bad, out)
		}
	}
}
