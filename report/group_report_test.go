package report

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// TestThreeHundredGroups: 300 groups, of which three change under the
// Euclidean geometry and the rest under negative entropy. The report names
// those three as deviating, and no other group, in the verdict, the
// summary table and the forest plot.
func TestThreeHundredGroups(t *testing.T) {
	const groups, perGroup = 300, 150
	odd := map[int]bool{17: true, 150: true, 288: true}
	init := datasets.LogNormal{MeanLog: -0.7, SDLog: 0.6}
	ne, eu := geometry.NegEntropy{}, geometry.PNorm{P: 2}
	d := &ingest.Data{Files: []string{"sim/three_hundred.csv"}, Format: "memory", Shape: ingest.ShapePaired,
		Roles: map[string]string{"before": "before", "after": "after", "group": "layer"}}
	var want []string
	for g := range groups {
		name := fmt.Sprintf("L%03d", g)
		d.GroupNames = append(d.GroupNames, name)
		s := datasets.DualShift{Potential: ne, Init: init, Step: 0.2 * math.Abs(ne.Dual(0.5)), N: perGroup, Seed: uint64(100 + g)}
		if odd[g] {
			s.Potential, s.Step = eu, 0.2*math.Abs(eu.Dual(0.5))
			want = append(want, name)
		}
		p, err := s.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		d.Before, d.After = append(d.Before, p.Before...), append(d.After, p.After...)
		for range p.Before {
			d.Group = append(d.Group, int32(g))
		}
	}
	d.Rows = int64(len(d.Before))
	lognormal, _ := fit.Lookup("lognormal")
	normal, _ := fit.Lookup("normal")
	r, err := analysis.Analyze(d, analysis.Options{Test: testgeom.Options{Seed: 5, Candidates: []geometry.Potential{ne, geometry.PNorm{P: 1.5}, eu}},
		Families: []*fit.Family{lognormal}, ShiftFamilies: []*fit.Family{normal}})
	if err != nil {
		t.Fatal(err)
	}
	gc := r.GroupComparison
	if gc == nil || !slices.Equal(gc.Deviating, want) {
		t.Fatalf("deviating groups %v, want %v", gc.Deviating, want)
	}
	// The verdict names the three and no other group.
	for _, name := range d.GroupNames {
		if got := strings.Contains(r.Verdict, name); got != slices.Contains(want, name) {
			t.Errorf("verdict names %s: %v; verdict %q", name, got, r.Verdict)
		}
	}
	if n := len([]rune(r.Verdict)); n > 800 {
		t.Errorf("verdict of %d characters: %q", n, r.Verdict)
	}
	var text bytes.Buffer
	if err := WriteAnalysisText(&text, r); err != nil {
		t.Fatal(err)
	}
	// The deviating rows, and only they, are marked.
	var marked []string
	for _, l := range strings.Split(text.String(), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "*" && strings.HasPrefix(f[1], "L") {
			marked = append(marked, f[1])
		}
	}
	slices.Sort(marked)
	if !slices.Equal(marked, want) {
		t.Errorf("rows marked as deviating: %v, want %v", marked, want)
	}
	// The forest plot alone: the whole page of 300 groups takes seconds.
	b := &builder{}
	fig := b.forestFigure(r)
	if b.err != nil {
		t.Fatal(b.err)
	}
	if err := checkSVG(fig.SVG); err != nil {
		t.Fatal(err)
	}
	forest := string(fig.SVG)
	if path := os.Getenv("SYNGEOM_FOREST_SVG"); path != "" { // to look at it
		if err := os.WriteFile(path, fig.SVG, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Labels thin out, and every deviating group is named (on the axis
	// or, when its neighbours leave no room, in the legend).
	for _, name := range want {
		if !strings.Contains(forest, name) {
			t.Errorf("forest plot does not label %s", name)
		}
	}
	if c := strings.Count(forest, ">L0"); c < 15 || c > 30 {
		t.Errorf("%d labels of groups L0xx: the labels do not thin out", c)
	}
	t.Logf("verdict: %s\nforest plot %d bytes", r.Verdict, len(forest))
}
