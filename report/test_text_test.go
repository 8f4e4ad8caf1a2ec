package report_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/report"
	"github.com/syngeom/syngeom/testgeom"
)

// TestWriteTestText: the text of a paired test in memory (no file names)
// in two groups with a given noise has the header, the pooled heading,
// each group's block, the table of candidates and the noise-corrected λ̂;
// an unpaired document gets the unpaired header.
func TestWriteTestText(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 400
	before, after, group := make([]float64, n), make([]float64, n), make([]string, n)
	for i := range before {
		before[i] = math.Exp(rng.NormFloat64())
		after[i] = before[i] * math.Exp(0.3*rng.NormFloat64())
		group[i] = []string{"a", "b"}[i%2]
	}
	cands, _ := geometry.ParseCandidates("NE,2")
	opts := analysis.TestOptions{Test: testgeom.Options{Candidates: cands, Seed: 1}, Noise: analysis.DefaultTestNoise()}
	opts.Noise.CV, opts.Noise.Replicates, opts.Noise.Bootstrap = 0.1, 4, 0
	text := func(in ingest.Slices) string {
		t.Helper()
		d, err := ingest.FromSlices(in)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := analysis.TestData(context.Background(), d, opts)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		report.WriteTestText(&b, doc)
		return b.String()
	}
	got := text(ingest.Slices{Name: "spines", Before: before, After: after, Group: group})
	for _, want := range []string{"syngeom test: 400 pairs from ", "=== all 2 groups pooled", "=== group a ===", "=== group b ===",
		"candidate", "ΔCDF", "noise-corrected geometry (", "noise-corrected geometry of group b", "group comparison:"} {
		if !strings.Contains(got, want) {
			t.Errorf("paired text lacks %q:\n%s", want, got)
		}
	}
	opts.Noise = analysis.TestNoise{}
	got = text(ingest.Slices{Name: "spines", Before: before, After: after[:300], Unpaired: true})
	if !strings.HasPrefix(got, "syngeom test (unpaired samples): 400 before and 300 after values from ") || !strings.Contains(got, "best by distance:") {
		t.Errorf("unpaired text:\n%s", got)
	}
}
