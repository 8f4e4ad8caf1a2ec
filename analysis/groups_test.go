package analysis

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/stream"
)

// twoGroups simulates each group under its own DualShift and joins them
// as one paired table with groups "a" and "b".
func twoGroups(t *testing.T, a, b datasets.DualShift) *ingest.Data {
	t.Helper()
	d := &ingest.Data{Files: []string{"sim"}, Format: "memory", Shape: ingest.ShapePaired, GroupNames: []string{"a", "b"},
		Roles: map[string]string{"before": "before", "after": "after", "group": "group"}}
	for g, s := range []datasets.DualShift{a, b} {
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
	return d
}

func inside(x float64, ci [2]*float64) bool {
	return ci[0] != nil && ci[1] != nil && *ci[0] <= x && x <= *ci[1]
}

// Groups with different geometries: the verdict says they differ and gives
// each group's λ̂.
func TestGroupsWithDifferentGeometries(t *testing.T) {
	init := datasets.LogNormal{MeanLog: -0.7, SDLog: 0.6}
	ne, eu := geometry.NegEntropy{}, geometry.PNorm{P: 2}
	d := twoGroups(t,
		datasets.DualShift{Potential: ne, Init: init, Step: 0.2 * math.Abs(ne.Dual(0.5)), N: 1500, Seed: 11},
		datasets.DualShift{Potential: eu, Init: init, Step: 0.2 * math.Abs(eu.Dual(0.5)), N: 1500, Seed: 12})
	r, err := Analyze(d, quick())
	if err != nil {
		t.Fatal(err)
	}
	gc := r.GroupComparison
	if gc == nil || !gc.Differ || gc.LRPValue == nil || *gc.LRPValue > 1e-6 {
		t.Fatalf("group comparison %+v: want the groups to differ", gc)
	}
	for i, want := range []float64{0, 1} {
		g := gc.Groups[i]
		if g.LambdaHat == nil || !inside(want, g.LambdaCI) {
			t.Errorf("group %s: λ̂ %v %v, want an interval around %g", g.Group, g.LambdaHat, g.LambdaCI, want)
			continue
		}
		if own := fmtLambda(*g.LambdaHat); !g.Deviates || !strings.Contains(r.Verdict, g.Group+" (λ̂ = "+own+")") {
			t.Errorf("verdict does not give group %s's λ̂ %s: %q", g.Group, own, r.Verdict)
		}
	}
	if !strings.HasPrefix(r.Verdict, "The groups' geometries differ") || !strings.Contains(r.Verdict, "no single λ describes them") ||
		!strings.Contains(r.Verdict, "deviate from the common λ of the others (Holm over 2 groups") {
		t.Errorf("verdict %q", r.Verdict)
	}
}

func fmtLambda(x float64) string { return fmtF("%.3f", x) }

// Groups with one geometry but different shift means and weight scales:
// the headline is the common λ̂, inside both groups' intervals, while the
// naive pooled fit is biased and labelled as such.
func TestGroupsWithOneGeometry(t *testing.T) {
	ne := geometry.NegEntropy{}
	d := twoGroups(t,
		datasets.DualShift{Potential: ne, Init: datasets.LogNormal{MeanLog: 0, SDLog: 0.5}, Step: 0.4, Shift: 0.3, N: 1500, Seed: 21},
		datasets.DualShift{Potential: ne, Init: datasets.LogNormal{MeanLog: 2, SDLog: 0.5}, Step: 0.1, Shift: -0.3, N: 1500, Seed: 22})
	r, err := Analyze(d, quick())
	if err != nil {
		t.Fatal(err)
	}
	gc := r.GroupComparison
	if gc == nil || gc.SharedLambda == nil || gc.Differ {
		t.Fatalf("group comparison %+v: want one shared λ", gc)
	}
	shared := *gc.SharedLambda
	for _, g := range gc.Groups {
		if !inside(shared, g.LambdaCI) {
			t.Errorf("shared λ̂ %.4f outside group %s's interval %v", shared, g.Group, g.LambdaCI)
		}
	}
	if !inside(0, gc.SharedLambdaCI) {
		t.Errorf("shared interval %v misses the true λ = 0", gc.SharedLambdaCI)
	}
	// Each group keeps its own shift: means +0.3 and −0.3 (log ratios).
	for i, want := range []float64{0.3, -0.3} {
		g := gc.Groups[i]
		if g.ShiftMean == nil || math.Abs(*g.ShiftMean-want) > 0.05 || g.ShiftN != 1500 {
			t.Errorf("group %s: shift mean %v over %d pairs, want %g over 1500", g.Group, g.ShiftMean, g.ShiftN, want)
		}
	}
	if !strings.HasPrefix(r.Verdict, "One λ shared by the 2 groups") || !strings.Contains(r.Verdict, fmtF("λ̂ = %.3f", shared)) ||
		!strings.Contains(r.Verdict, "Naive pooled λ̂") || !strings.Contains(r.Verdict, "No group's λ̂ deviates") {
		t.Errorf("verdict %q", r.Verdict)
	}
	pooled := r.Geometry.Paired
	t.Logf("shared λ̂ %.4f [%.4f, %.4f]; pooled λ̂ %.4f [%.4f, %.4f]", shared, *gc.SharedLambdaCI[0], *gc.SharedLambdaCI[1],
		*pooled.LambdaHat, *pooled.LambdaCI[0], *pooled.LambdaCI[1])
	// The design is chosen so that pooling misleads: the groups differ in
	// weight scale, shift mean and shift sd, which one pooled shift law can
	// only absorb by bending λ away from 0.
	if inside(0, pooled.LambdaCI) {
		t.Errorf("the naive pooled interval %v contains the true λ; the design no longer shows the bias of pooling", pooled.LambdaCI)
	}
	if r.PooledVerdict == "" || r.PooledVerdict != pooled.Verdict {
		t.Errorf("pooled verdict %q, want the pooled test's", r.PooledVerdict)
	}
}

func fmtF(f string, x float64) string { return fmt.Sprintf(f, x) }

// With groups larger than the second pass keeps (a cap of 500 pairs here),
// the common-λ model comes from the groups' likelihood ladders, in memory
// and streamed alike: the same document byte for byte, the conclusion of
// the exact profiles (compare.Groups on every pair), and a note that says
// how it was computed.
func TestStreamedGroupsWithDifferentGeometries(t *testing.T) {
	init := datasets.LogNormal{MeanLog: -0.7, SDLog: 0.6}
	ne, eu := geometry.NegEntropy{}, geometry.PNorm{P: 2}
	d := twoGroups(t,
		datasets.DualShift{Potential: ne, Init: init, Step: 0.2 * math.Abs(ne.Dual(0.5)), N: 1500, Seed: 11},
		datasets.DualShift{Potential: eu, Init: init, Step: 0.2 * math.Abs(eu.Dual(0.5)), N: 1500, Seed: 12})
	path := filepath.Join(t.TempDir(), "pairs.parquet")
	w, err := ingest.NewWriter(path, []ingest.ColumnSpec{{Name: "before", Kind: ingest.Float64Column},
		{Name: "after", Kind: ingest.Float64Column}, {Name: "group", Kind: ingest.StringColumn}}, ingest.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	groups := make([]string, len(d.Group))
	for i, g := range d.Group {
		groups[i] = d.GroupNames[g]
	}
	if err := w.Write([]ingest.ColumnData{{Float: d.Before}, {Float: d.After}, {String: groups}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	o := quick()
	o.Test.SampleMax = 500
	in := ingest.Options{Before: "before", After: "after", Group: "group"}
	mem, err := Run([]string{path}, in, o)
	if err != nil {
		t.Fatal(err)
	}
	str, err := RunStream(stream.Config{Files: []string{path}, Ingest: in}, o)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := encode(t, mem), encode(t, str); !bytes.Equal(a, b) {
		t.Errorf("RunStream differs from Run:\n%.800s\n---\n%.800s", b, a)
	}
	gs := str.GroupComparison
	if gs == nil || !gs.Differ || gs.Note == "" || !strings.HasPrefix(str.Verdict, "The groups' geometries differ") {
		t.Fatalf("streamed comparison %+v, verdict %q", gs, str.Verdict)
	}
	exact, err := compare.Groups(d.Before, d.After, d.Group, d.GroupNames, 0)
	if err != nil {
		t.Fatal(err)
	}
	if exact.Gaussian != nil {
		exact = exact.Gaussian
	}
	// The shared λ̂ lies between the groups' own fine ladders, where the
	// profiles are cubics through the coarse grid: measured 0.0012 from
	// the exact λ̂ (4% of the interval's half-width, 0.028) and 0.03% in
	// the LR statistic.
	half := (*exact.SharedLambdaCI[1] - *exact.SharedLambdaCI[0]) / 2
	if math.Abs(*exact.SharedLambda-*gs.SharedLambda) > 0.1*half || math.Abs(*exact.LRStat-*gs.LRStat) > 1e-3**exact.LRStat {
		t.Errorf("shared λ̂ %.6f from the passes, %.6f exact (half-width %.4f); LR %.4f and %.4f", *gs.SharedLambda, *exact.SharedLambda, half, *gs.LRStat, *exact.LRStat)
	}
}
