package report

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// analysisFixture analyses synthetic multiplicative (NE) pairs in two
// groups, in the given shape.
func analysisFixture(t *testing.T, shape ingest.Shape) *analysis.Result {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	n := 400
	d := &ingest.Data{Files: []string{"pairs.csv"}, Format: "csv", Shape: shape, Rows: int64(n),
		Roles: map[string]string{"before": "w_pre", "after": "w_post"}, Excluded: map[string]int64{"missing": 3}}
	for i := 0; i < n; i++ {
		w0 := math.Exp(-0.7 + 0.9*rng.NormFloat64())
		d.Before = append(d.Before, w0)
		d.After = append(d.After, w0*math.Exp(0.2*rng.NormFloat64()))
	}
	switch shape {
	case ingest.ShapePaired:
		d.Roles["group"] = "animal"
		d.GroupNames = []string{"m1", "m2"}
		for i := 0; i < n; i++ {
			d.Group = append(d.Group, int32(i%2))
		}
	case ingest.ShapeSingle:
		d.After = nil
	}
	r, err := analysis.Analyze(d, analysis.Options{GOFSamples: 3, Test: testgeom.Options{Seed: 2, Bootstrap: 5, NullReplicates: 10,
		Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 1.5}, geometry.PNorm{P: 2}}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAnalysisText(t *testing.T) {
	r := analysisFixture(t, ingest.ShapePaired)
	var b bytes.Buffer
	if err := WriteAnalysisText(&b, r); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		"Input       pairs.csv (csv, paired)", "400 pairs used", "Excluded    missing 3 (pairs left out, by reason)",
		"Flagged     none: no weight used is zero or negative, and no pair used changes sign",
		"Best distribution per sample", "Akaike", "dual shift (NE)",
		"Geometry candidates (400 pairs", "* NE", "Geometry estimate: λ̂ =", "LR test of Euclidean",
		"Bootstrap over synapses (5 resamples", "Independence under NE",
		"Verdict: " + r.Verdict,
		// With groups, the summary by group and the common-λ model lead
		// and the pooled fit is labelled.
		"=== Summary by group ===", "sorted by λ̂ from smallest to largest", "NE rejected", "deviates",
		"=== Groups analysed jointly ===", "Test of a common λ: robust", "χ²_1",
		"=== Pooled, one shift for all groups (for reference; not the estimate) ===", "--detail groups",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if i, j := strings.Index(s, "=== Summary by group ==="), strings.Index(s, "=== Pooled"); i < 0 || j < i {
		t.Error("the summary by group does not come before the pooled fit")
	}
	if strings.Contains(s, "=== Group m1 ===") {
		t.Error("per-group sections without --detail groups")
	}
	if strings.Contains(s, "NaN") {
		t.Error("text shows NaN")
	}
	b.Reset()
	if err := WriteAnalysisTextWith(&b, r, TextOptions{GroupDetail: true}); err != nil {
		t.Fatal(err)
	}
	s = b.String()
	for _, want := range []string{"=== Group m1 ===", "=== Group m2 ===", "shift mean at shared λ̂", "* shared", "lognormal"} {
		if !strings.Contains(s, want) {
			t.Errorf("detailed text lacks %q", want)
		}
	}
}

func TestAnalysisDocument(t *testing.T) {
	for _, shape := range []ingest.Shape{ingest.ShapePaired, ingest.ShapeUnpaired, ingest.ShapeSingle} {
		t.Run(string(shape), func(t *testing.T) {
			r := analysisFixture(t, shape)
			doc, err := AnalysisDocument(r, AnalysisPageOptions{Footer: "syngeom test"})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := doc.WriteHTML(&b); err != nil {
				t.Fatal(err)
			}
			page := b.String()
			figures := strings.Count(page, "<figure")
			want := map[ingest.Shape]int{
				// all synapses: before and after × 3 figures, the signed shifts
				// 2 (no log axis), ΔCDF, profile, 2 shift plots, ECDF; the
				// forest plot of the groups; per group: profile and the best
				// candidate's shifts.
				ingest.ShapePaired:   2*3 + 2 + 5 + 1 + 2*2,
				ingest.ShapeUnpaired: 2*3 + 1,
				ingest.ShapeSingle:   3,
			}[shape]
			if figures != want {
				t.Errorf("%d figures, want %d", figures, want)
			}
			for _, s := range []string{"Methods", "arxiv.org/abs/2305.19394", "seed", "References", r.Settings.Candidates[0]} {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			if shape == ingest.ShapePaired {
				for _, s := range []string{"Per group (animal)", "Groups analysed jointly (animal)", "Pooled, one shift for all groups",
					"one λ shared by all groups", `"group_comparison":`, "λ̂ by group (animal)", "Summary by group (animal", `<details class="section"`} {
					if !strings.Contains(page, s) {
						t.Errorf("paired page lacks %q", s)
					}
				}
				if i, j := strings.Index(page, "Groups analysed jointly (animal)"), strings.Index(page, "Geometry of plasticity: Pooled"); i < 0 || j < i {
					t.Error("the pooled fit comes before the common-λ model")
				}
			}
			if strings.Contains(page, DemoBanner) {
				t.Error("a real-data page shows the demo banner")
			}
		})
	}
	r := analysisFixture(t, ingest.ShapeSingle)
	r.Input.Demo = true
	doc, err := AnalysisDocument(r, AnalysisPageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Banner != DemoBanner {
		t.Error("demo page without the banner")
	}
}
