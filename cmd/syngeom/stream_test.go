package main

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/ingest"
)

// writeStreamPairs writes n simulated pairs with a cell-type column.
func writeStreamPairs(t *testing.T, path string, n int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 5))
	w0, w1, cell := make([]float64, n), make([]float64, n), make([]string, n)
	for i := range w0 {
		w0[i] = math.Exp(rng.NormFloat64())
		w1[i] = w0[i] * math.Exp(0.15*rng.NormFloat64())
		cell[i] = []string{"pyr", "PV"}[rng.IntN(2)]
	}
	w, err := ingest.NewWriter(path, []ingest.ColumnSpec{{Name: "day0", Kind: ingest.Float64Column},
		{Name: "day4", Kind: ingest.Float64Column}, {Name: "cell", Kind: ingest.StringColumn}}, ingest.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]ingest.ColumnData{{Float: w0}, {Float: w1}, {String: cell}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// test --stream prints the document of the in-memory test, byte for byte.
func TestStreamFlagMatchesInMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.parquet")
	writeStreamPairs(t, path, 12000, 1)
	args := []string{"test", path, "--before", "day0", "--after", "day4", "--group", "cell",
		"--bootstrap", "10", "--null-replicates", "20", "--json", "-"}
	code, mem, stderr := runCLI(append(args, "--compare-groups=false")...)
	if code != 0 {
		t.Fatalf("in memory: exit %d: %s", code, stderr)
	}
	code, str, stderr := runCLI(append(args, "--stream")...)
	if code != 0 {
		t.Fatalf("streaming: exit %d: %s", code, stderr)
	}
	if mem != str {
		t.Errorf("test --stream differs from test:\n%.600s\n---\n%.600s", str, mem)
	}
	if !strings.Contains(mem, `"group": "PV"`) {
		t.Errorf("no group results in %.300s", mem)
	}
	code, text, stderr := runCLI("test", path, "--before", "day0", "--after", "day4", "--stream", "--bootstrap", "0", "--null-replicates", "0")
	if code != 0 || !strings.Contains(text, "12000 pairs") || !strings.Contains(text, "λ̂ =") {
		t.Errorf("text output: exit %d, %q, %s", code, text, stderr)
	}
}

func TestStreamFlagRefusals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.parquet")
	writeStreamPairs(t, path, 100, 2)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--noise-cv", "0.1"}, "paired test only"},
		{[]string{"--unpaired"}, "wide table of pairs"},
	} {
		code, _, stderr := runCLI(append([]string{"test", path, "--stream"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q (want 2 and %q)", c.args, code, stderr, c.want)
		}
	}
}

// analyze --stream writes the JSON of the in-memory analysis, byte for
// byte except for the common-λ model of the groups.
func TestAnalyzeStreamMatchesInMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.parquet")
	writeStreamPairs(t, path, 12000, 3)
	args := []string{"analyze", path, "--before", "day0", "--after", "day4", "--group", "cell",
		"--bootstrap", "5", "--null-replicates", "10", "--gof-samples", "5", "--json", "-"}
	code, mem, stderr := runCLI(args...)
	if code != 0 {
		t.Fatalf("in memory: exit %d: %s", code, stderr)
	}
	code, str, stderr := runCLI(append(args, "--stream")...)
	if code != 0 {
		t.Fatalf("streaming: exit %d: %s", code, stderr)
	}
	// The common-λ model of the groups comes from the passes' likelihood
	// ladders when streaming, so it (and the verdict quoting it) agrees to
	// well within its interval rather than to the bit; the rest is equal.
	var dm, ds map[string]any
	if json.Unmarshal([]byte(mem), &dm) != nil || json.Unmarshal([]byte(str), &ds) != nil {
		t.Fatal("output is not JSON")
	}
	gm, _ := dm["group_comparison"].(map[string]any)
	gs, _ := ds["group_comparison"].(map[string]any)
	lm, _ := gm["shared_lambda_hat"].(float64)
	ls, _ := gs["shared_lambda_hat"].(float64)
	if gm == nil || gs == nil || math.Abs(lm-ls) > 1e-3 || gs["note"] == nil {
		t.Errorf("group comparison in memory %v, streamed %v", gm, gs)
	}
	for _, d := range []map[string]any{dm, ds} {
		delete(d, "group_comparison")
		delete(d, "verdict")
	}
	a, _ := json.Marshal(dm)
	b, _ := json.Marshal(ds)
	if string(a) != string(b) {
		t.Errorf("analyze --stream differs from analyze:\n%.600s\n---\n%.600s", b, a)
	}
	if !strings.Contains(str, `"pairs_used": 12000`) || !strings.Contains(str, `"group": "PV"`) {
		t.Errorf("unexpected document %.400s", str)
	}
	// --stream --html writes the page without the figures that need the
	// pairs, and says so; --shifts has nothing to write.
	page := filepath.Join(t.TempDir(), "r.html")
	code, _, stderr = runCLI("analyze", path, "--before", "day0", "--after", "day4", "--stream", "--html", page, "--quiet")
	if code != 0 {
		t.Fatalf("--stream --html: exit %d, %q", code, stderr)
	}
	if html, err := os.ReadFile(page); err != nil || !strings.Contains(string(html), "The weights were streamed") || !strings.Contains(string(html), "Figure 1") {
		t.Errorf("--stream --html page (%v): %.300s", err, html)
	}
	code, _, stderr = runCLI("analyze", path, "--before", "day0", "--after", "day4", "--stream", "--shifts", filepath.Join(t.TempDir(), "s.csv"))
	if code != 2 || !strings.Contains(stderr, "--shifts") {
		t.Errorf("--stream --shifts: exit %d, %q", code, stderr)
	}
}
