package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// melanderPageBudget is the size budget of the HTML page of the Melander
// table by dendrite (35 groups).
const melanderPageBudget = 2 << 20

// TestMelanderByDendrite: the real table with 35 dendrites gives a short
// text report that opens with the summary by group, a verdict of a
// paragraph, and an HTML page with the forest plot under its budget.
func TestMelanderByDendrite(t *testing.T) {
	html := filepath.Join(t.TempDir(), "report.html")
	out, _ := runAnalyze(t, "analyze", "testdata/melander/melander2021_dendrites.csv", "--group", "dendrite_id",
		"--bootstrap", "10", "--null-replicates", "20", "--gof-samples", "9", "--html", html)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > 250 {
		t.Errorf("%d lines of text, want at most 250", len(lines))
	}
	summary, pooled := strings.Index(out, "=== Summary by group ==="), strings.Index(out, "=== Pooled")
	if summary < 0 || pooled < summary || strings.Contains(out, "=== Group ") {
		t.Errorf("the summary by group must come first and the per-group sections only on request:\n%s", out)
	}
	if !strings.Contains(out, "sorted by λ̂ from smallest to largest") {
		t.Error("the summary does not state its order")
	}
	var verdict string
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, "Verdict: "); ok {
			verdict = v
		}
	}
	if n := utf8.RuneCountInString(verdict); n == 0 || n > 800 {
		t.Errorf("verdict of %d characters, want 1 to 800: %q", n, verdict)
	}
	// It never lists every group: at most the deviating ones by name.
	named := 0
	for _, g := range []string{"ai003", "ai010", "be003", "cs005", "cv011", "dh010"} {
		if strings.Contains(verdict, g) {
			named++
		}
	}
	if named > 5 {
		t.Errorf("verdict names %d groups: %q", named, verdict)
	}
	for _, want := range []string{"One λ shared by the 35 groups", "τ̂ =", "Holm over 35 groups"} {
		if !strings.Contains(verdict, want) {
			t.Errorf("verdict lacks %q: %q", want, verdict)
		}
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) >= melanderPageBudget {
		t.Errorf("page of %d bytes, budget %d", len(page), melanderPageBudget)
	}
	s := string(page)
	for _, want := range []string{"<title>Geometry of plasticity: melander2021_dendrites.csv</title>", "<title>λ̂ by group (dendrite_id)</title>",
		"Forest plot", `<details class="section"`, "testdata/melander/melander2021_dendrites.csv"} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if c := strings.Count(s, `<details class="section"`); c != 35 {
		t.Errorf("%d collapsed group sections, want 35", c)
	}
	t.Logf("%d lines, verdict %d characters, page %d bytes", len(lines), utf8.RuneCountInString(verdict), len(page))
}
