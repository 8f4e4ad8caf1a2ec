package report

import (
	"bytes"
	"context"
	"html"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
)

// The report of in-memory data takes its title and data name from the
// options and counts the pairs given, and making it writes no file.
func TestInMemoryReport(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Chdir(t.TempDir())
	rng := rand.New(rand.NewPCG(5, 6))
	before, after := make([]float64, 300), make([]float64, 300)
	for i := range before {
		before[i] = math.Exp(rng.NormFloat64())
		after[i] = before[i] * math.Exp(0.3*rng.NormFloat64())
	}
	before[4] = math.NaN()
	opts := analysis.DefaultOptions()
	opts.Test.Candidates = []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}
	opts.GOFSamples, opts.Test.Bootstrap = 0, 0
	res, err := analysis.AnalyzeSlices(context.Background(), ingest.Slices{Name: "spines, animal 3", Before: before, After: after}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteAnalysisHTML(&b, res, AnalysisPageOptions{}); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(b.String())
	for _, want := range []string{"Geometry of plasticity: spines, animal 3", "spines, animal 3 (in memory)", "Of 300 pairs given, 299 pairs"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	b.Reset()
	if err := WriteAnalysisHTML(&b, res, AnalysisPageOptions{Title: "Lab 7, session 2"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.UnescapeString(b.String()), "<title>Lab 7, session 2") {
		t.Error("the page does not take its title from the options")
	}
	for _, dir := range []string{tmp, "."} {
		if e, _ := os.ReadDir(dir); len(e) > 0 {
			t.Errorf("%s holds %d entries after an in-memory analysis and report, want none", dir, len(e))
		}
	}
}
