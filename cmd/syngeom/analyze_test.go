package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of analyze from the current output")

// goldenArgs analyse a small fixed table (see testdata/golden/README.md)
// with a fixed seed and small resampling sizes, so the test is fast.
var goldenArgs = []string{"analyze", "testdata/golden/analyze_pairs.csv", "--group", "group",
	"--candidates", "NE,1.2,1.5,2,3", "--seed", "7", "--bootstrap", "20", "--null-replicates", "20",
	"--gof-samples", "5", "--json", "-"}

const goldenJSON = "testdata/golden/analyze_pairs.json"

func runAnalyze(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	if code != 0 {
		t.Fatalf("syngeom %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	return out.String(), errb.String()
}

// TestAnalyzeGolden guards the JSON contract: the output on a fixed table
// must match the stored document. Numbers compare to a relative 1e-9 (so
// that a different CPU's last bit does not fail it), everything else
// exactly. Run with -update after an intended change and review the diff.
func TestAnalyzeGolden(t *testing.T) {
	out, _ := runAnalyze(t, goldenArgs...)
	if *update {
		if err := os.WriteFile(goldenJSON, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", goldenJSON)
		return
	}
	compareGolden(t, out, goldenJSON, "analyze")
}

// compareGolden compares a command's JSON with its stored document:
// numbers to a relative 1e-9 (a different CPU's last bit does not fail it),
// everything else exactly, the differences named by JSON path.
func compareGolden(t *testing.T, out, path, what string) {
	t.Helper()
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	var g, w any
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	var diffs []string
	compareJSON("$", g, w, &diffs)
	if len(diffs) > 0 {
		if len(diffs) > 20 {
			diffs = append(diffs[:20], fmt.Sprintf("… and %d more", len(diffs)-20))
		}
		t.Errorf("%s JSON differs from %s (run with -update if the change is intended):\n%s", what, path, strings.Join(diffs, "\n"))
	}
}

// compareJSON lists the differences between two decoded JSON values,
// numbers to a relative 1e-9.
func compareJSON(path string, got, want any, diffs *[]string) {
	compareJSONWithin(path, got, want, 1e-9, diffs)
}

// compareJSONWithin is compareJSON with numbers to a relative tol.
func compareJSONWithin(path string, got, want any, tol float64, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %T, want an object", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			gv, gok := g[k]
			wv, wok := w[k]
			switch {
			case !gok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: missing", path, k))
			case !wok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: unexpected (new field?)", path, k))
			default:
				compareJSONWithin(path+"."+k, gv, wv, tol, diffs)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %d elements", path, shortJSON(got), len(w)))
			return
		}
		for i := range w {
			compareJSONWithin(fmt.Sprintf("%s[%d]", path, i), g[i], w[i], tol, diffs)
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > tol*math.Max(1, math.Max(math.Abs(g), math.Abs(w))) {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, shortJSON(got), w))
		}
	default:
		if got != want {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, shortJSON(got), shortJSON(want)))
		}
	}
}

func shortJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

// TestAnalyzeDeterministic: the same input and seed give byte-identical
// JSON on repeated runs and at any GOMAXPROCS.
func TestAnalyzeDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first string
	for _, procs := range []int{1, 2, 8, 2} {
		runtime.GOMAXPROCS(procs)
		out, _ := runAnalyze(t, goldenArgs...)
		if first == "" {
			first = out
			continue
		}
		if out != first {
			t.Fatalf("JSON at GOMAXPROCS=%d differs from the first run", procs)
		}
	}
}

func TestAnalyzeGoldenContent(t *testing.T) {
	out, _ := runAnalyze(t, goldenArgs...)
	var doc struct {
		Schema string `json:"schema"`
		Input  struct {
			Files     []string         `json:"files"`
			Rows      int64            `json:"rows_read"`
			PairsUsed int64            `json:"pairs_used"`
			Excluded  map[string]int64 `json:"excluded"`
			Counts    map[string]int64 `json:"counts"`
		} `json:"input"`
		Settings struct {
			Seed       uint64   `json:"seed"`
			Candidates []string `json:"candidates"`
			Bootstrap  int      `json:"bootstrap"`
		} `json:"settings"`
		Fits struct {
			Before, After, Shift []struct {
				Family string             `json:"family"`
				Params map[string]float64 `json:"params"`
			}
		} `json:"fits"`
		ShiftGeometry string `json:"shift_geometry"`
		Geometry      struct {
			Candidates       []struct{ Name string } `json:"candidates"`
			BestByLikelihood string                  `json:"best_by_likelihood"`
			LambdaCI         [2]*float64             `json:"lambda_ci"`
			Verdict          string                  `json:"verdict"`
		} `json:"geometry"`
		Groups []struct {
			Group    string `json:"group"`
			Geometry struct {
				N int64 `json:"n"`
			} `json:"geometry"`
		} `json:"groups"`
		PooledVerdict   string `json:"pooled_verdict"`
		GroupComparison *struct {
			SharedLambda *float64 `json:"shared_lambda_hat"`
			LRPValue     *float64 `json:"lr_p_value"`
			Groups       []struct {
				Group     string   `json:"group"`
				ShiftMean *float64 `json:"shift_mean"`
			} `json:"groups"`
		} `json:"group_comparison"`
		Verdict string `json:"verdict"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "syngeom/1" || doc.Input.Rows != 400 || doc.Settings.Seed != 7 || doc.Settings.Bootstrap != 20 {
		t.Errorf("schema %q, rows %d, seed %d, bootstrap %d", doc.Schema, doc.Input.Rows, doc.Settings.Seed, doc.Settings.Bootstrap)
	}
	// 400 rows, of which some have a missing value: every row is either
	// used or excluded with a reason.
	var excluded int64
	for _, n := range doc.Input.Excluded {
		excluded += n
	}
	if doc.Input.PairsUsed+excluded != doc.Input.Rows || doc.Input.Excluded["missing"] == 0 {
		t.Errorf("pairs used %d + excluded %v != rows %d", doc.Input.PairsUsed, doc.Input.Excluded, doc.Input.Rows)
	}
	if len(doc.Fits.Before) == 0 || len(doc.Fits.After) == 0 || len(doc.Fits.Shift) == 0 {
		t.Errorf("fits missing: %d before, %d after, %d shift", len(doc.Fits.Before), len(doc.Fits.After), len(doc.Fits.Shift))
	}
	if len(doc.Geometry.Candidates) != 5 || strings.Join(doc.Settings.Candidates, ",") != "NE,p=1.2,p=1.5,p=2.0,p=3.0" {
		t.Errorf("candidates %v", doc.Settings.Candidates)
	}
	// The table was simulated under NE: the estimate must include λ = 0.
	if doc.Geometry.BestByLikelihood != "NE" || doc.ShiftGeometry != "NE" || doc.Geometry.LambdaCI[0] == nil ||
		*doc.Geometry.LambdaCI[0] > 0 || doc.Geometry.LambdaCI[1] == nil || *doc.Geometry.LambdaCI[1] < 0 {
		t.Errorf("best %q (shifts under %q), λ CI %v: want NE", doc.Geometry.BestByLikelihood, doc.ShiftGeometry, doc.Geometry.LambdaCI)
	}
	var inGroups int64
	for _, g := range doc.Groups {
		inGroups += g.Geometry.N
	}
	if len(doc.Groups) != 2 || doc.Groups[0].Group != "g1" || inGroups != doc.Input.PairsUsed {
		t.Errorf("groups %+v do not partition the %d pairs", doc.Groups, doc.Input.PairsUsed)
	}
	// With groups the common-λ model leads; the pooled fit keeps its own
	// sentence, labelled.
	if !strings.HasPrefix(doc.Verdict, "One λ shared by the 2 groups") ||
		doc.PooledVerdict != doc.Geometry.Verdict || !strings.Contains(doc.Verdict, "Naive pooled λ̂") {
		t.Errorf("verdict %q", doc.Verdict)
	}
	if gc := doc.GroupComparison; gc == nil || gc.SharedLambda == nil || gc.LRPValue == nil || len(gc.Groups) != 2 {
		t.Errorf("group comparison %+v", gc)
	}
}

// quickDemo are settings that keep the demo fast in tests.
var quickDemo = []string{"--bootstrap", "0", "--null-replicates", "0", "--gof-samples", "0", "--candidates", "NE,1.5,2",
	"--families", "lognormal,gamma", "--shift-families", "normal,laplace"}

func TestAnalyzeDemoAnnouncesItself(t *testing.T) {
	out, _ := runAnalyze(t, append([]string{"analyze"}, quickDemo...)...)
	first, rest, _ := strings.Cut(out, "\n")
	if !strings.Contains(first, "no input file given") || !strings.Contains(first, "SYNTHETIC demo") {
		t.Errorf("first line %q does not announce the demo", first)
	}
	for _, want := range []string{"builtin:demo", "SYNTHETIC", "pairs used", "Excluded", "zero 800", "=== Summary by group ===", "type_A", "type_B",
		"Akaike", "Verdict:", "negative entropy"} {
		if !strings.Contains(rest, want) {
			t.Errorf("demo text lacks %q", want)
		}
	}

	// With the JSON on stdout the announcement moves to stderr.
	js, errs := runAnalyze(t, append([]string{"analyze", "--json", "-"}, quickDemo...)...)
	if !strings.Contains(errs, "SYNTHETIC demo") {
		t.Errorf("stderr %q lacks the demo announcement", errs)
	}
	var doc struct {
		Input struct {
			Demo        bool     `json:"demo"`
			Files       []string `json:"files"`
			Description string   `json:"description"`
		} `json:"input"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	if !doc.Input.Demo || doc.Input.Files[0] != "builtin:demo" || !strings.Contains(doc.Input.Description, "SYNTHETIC") {
		t.Errorf("demo input %+v", doc.Input)
	}
}

func TestAnalyzeOutputFiles(t *testing.T) {
	dir := t.TempDir()
	html, js, csv, pq := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.json"), filepath.Join(dir, "s.csv"), filepath.Join(dir, "s.parquet")
	args := []string{"analyze", "testdata/golden/analyze_pairs.csv", "--group", "group", "--candidates", "NE,1.5,2",
		"--bootstrap", "5", "--null-replicates", "5", "--gof-samples", "3", "--html", html, "--json", js, "--shifts", csv}
	out, errs := runAnalyze(t, args...)
	if !strings.Contains(out, "Verdict:") || !strings.Contains(errs, "wrote "+html) {
		t.Errorf("stdout %q…, stderr %q", out[:min(200, len(out))], errs)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	p := string(page)
	for _, want := range []string{"<svg", "arXiv", "2305.19394", "Methods", "ΔCDF against the candidate exponent",
		"Profile log-likelihood", "Dual shift against initial weight", "Histogram, log axis", "QQ plot", "g1", "g2", "seed"} {
		if !strings.Contains(p, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(p, "http://") && !strings.Contains(p, "http://www.w3.org") {
		t.Errorf("HTML refers to an external http resource")
	}
	if _, err := os.Stat(js); err != nil {
		t.Error(err)
	}
	shifts, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(shifts)), "\n")
	if lines[0] != "pair,group,w0,w1,shift" || len(lines) < 300 {
		t.Errorf("shifts CSV: header %q, %d lines", lines[0], len(lines))
	}

	// Parquet by extension, for a chosen geometry.
	_, errs = runAnalyze(t, "analyze", "testdata/golden/analyze_pairs.csv", "--candidates", "NE,1.5,2", "--bootstrap", "0",
		"--null-replicates", "0", "--gof-samples", "0", "--shifts", pq, "--shift-geometry", "2", "--quiet")
	if errs != "" {
		t.Errorf("--quiet wrote to stderr: %q", errs)
	}
	if fi, err := os.Stat(pq); err != nil || fi.Size() == 0 {
		t.Errorf("parquet shifts: %v", err)
	}
}

func TestAnalyzeUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--before", "x"}, "--before describes an input FILE"},
		{[]string{"testdata/golden/analyze_pairs.csv", "--bootstrap", "-1"}, "--bootstrap must be ≥ 0, not -1"},
		{[]string{"testdata/golden/analyze_pairs.csv", "--shift-geometry", "banana"}, "--shift-geometry"},
		{[]string{"testdata/golden/analyze_pairs.csv", "--candidates", "NE,2", "--shift-geometry", "3"}, "not one of the candidates"},
		{[]string{"testdata/golden/analyze_pairs.csv", "--families", "nosuch"}, "--families"},
		{[]string{"testdata/golden/analyze_pairs.csv", "--bootstrap", "0", "--null-replicates", "0", "--gof-samples", "0",
			"--shifts", filepath.Join(dir, "s.xlsx")}, "must end in"},
		{[]string{filepath.Join(dir, "absent.csv")}, "absent.csv"},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"analyze"}, tc.args...), &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
		if code != exitInput || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tc.args, code, errb.String(), tc.want)
		}
	}
	// A failed write leaves nothing behind.
	var out, errb bytes.Buffer
	bad := filepath.Join(dir, "no-such-dir", "r.html")
	code := run([]string{"analyze", "testdata/golden/analyze_pairs.csv", "--bootstrap", "0", "--null-replicates", "0",
		"--gof-samples", "0", "--candidates", "NE,2", "--html", bad}, &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	if code == 0 {
		t.Errorf("writing into a missing directory succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestAnalyzeUnpairedAndSingle(t *testing.T) {
	dir := t.TempDir()
	// Two columns of different lengths are two unpaired samples.
	path := filepath.Join(dir, "u.csv")
	var b strings.Builder
	b.WriteString("before,after\n")
	for i := 0; i < 300; i++ {
		x := math.Exp(-0.7 + 0.9*math.Sin(float64(i)*12.9898))
		y := ""
		if i < 260 {
			y = fmt.Sprint(1.1 * math.Exp(-0.7+0.9*math.Sin(float64(i)*78.233)))
		}
		fmt.Fprintf(&b, "%v,%s\n", x, y)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runAnalyze(t, "analyze", path, "--unpaired", "--candidates", "NE,1.5,2", "--bootstrap", "5",
		"--null-replicates", "0", "--gof-samples", "0", "--json", "-")
	var doc struct {
		Design   string `json:"design"`
		Geometry struct {
			Design string `json:"design"`
		} `json:"geometry"`
		Fits struct {
			Before []any `json:"before"`
			After  []any `json:"after"`
			Shift  []any `json:"shift"`
		} `json:"fits"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Design != "unpaired" || doc.Geometry.Design != "unpaired" || len(doc.Fits.Before) == 0 || len(doc.Fits.After) == 0 || doc.Fits.Shift != nil {
		t.Errorf("unpaired: %+v", doc)
	}

	out, _ = runAnalyze(t, "analyze", path, "--column", "before", "--gof-samples", "0")
	if !strings.Contains(out, "A single snapshot cannot identify the geometry") {
		t.Errorf("single-sample text lacks the explanation:\n%s", out)
	}
}

// TestJSONDocsExample keeps the full example of docs/json.md the exact
// output of the command it names.
func TestJSONDocsExample(t *testing.T) {
	md, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Skipf("docs not present: %v", err)
	}
	_, rest, ok := strings.Cut(string(md), "```json\n")
	example, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatal("docs/json.md has no ```json block")
	}
	out, _ := runAnalyze(t, "analyze", "testdata/golden/analyze_pairs.csv", "--candidates", "NE,2", "--families", "lognormal,gamma",
		"--bootstrap", "10", "--null-replicates", "20", "--gof-samples", "9", "--json", "-")
	var g, w any
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(example), &w); err != nil {
		t.Fatalf("the example in docs/json.md is not JSON: %v", err)
	}
	var diffs []string
	compareJSON("$", g, w, &diffs)
	if len(diffs) > 0 {
		t.Errorf("docs/json.md example is out of date (%d differences, first: %s)", len(diffs), diffs[0])
	}
}

func TestCompareJSONTolerance(t *testing.T) {
	var diffs []string
	compareJSON("$", map[string]any{"a": 1.0 + 1e-12, "b": "x"}, map[string]any{"a": 1.0, "b": "x"}, &diffs)
	if len(diffs) != 0 {
		t.Errorf("a last-bit difference counted: %v", diffs)
	}
	compareJSON("$", map[string]any{"a": 1.001, "b": "y", "c": []any{1.0}, "e": true}, map[string]any{"a": 1.0, "b": "x", "d": nil, "c": []any{}}, &diffs)
	if len(diffs) != 5 {
		t.Errorf("want 5 differences (number, string, missing, unexpected, length), got %v", diffs)
	}
}
