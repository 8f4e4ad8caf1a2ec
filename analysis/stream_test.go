package analysis

import (
	"bytes"
	"math"
	"path/filepath"
	"testing"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/stream"
)

// RunStream over one file gives the document of Run, including the fits
// on a subsample and the full-data fits from sufficient statistics; the
// common-λ model of the groups, whose pairs the second pass keeps in full,
// is fitted exactly as in memory (to the optimiser's tolerance: the sums
// run in another order).
func TestRunStreamEqualsRun(t *testing.T) {
	d := simulated(t, geometry.PNorm{P: 1.5}, 3000, 4)
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
	in := ingest.Options{Before: "before", After: "after", Group: "group"}
	o := quick()
	o.Test.Candidates, o.FitMaxN = nil, 500
	mem, err := Run([]string{path}, in, o)
	if err != nil {
		t.Fatal(err)
	}
	str, err := RunStream(stream.Config{Files: []string{path}, Ingest: in}, o)
	if err != nil {
		t.Fatal(err)
	}
	gm, gs := mem.GroupComparison, str.GroupComparison
	if gm == nil || gs == nil || gm.SharedLambda == nil || gs.SharedLambda == nil || gs.Note != "" || gm.Note != "" {
		t.Fatalf("group comparison in memory %+v, streamed %+v", gm, gs)
	}
	if d := math.Abs(*gm.SharedLambda - *gs.SharedLambda); d > 1e-6 {
		t.Errorf("shared λ̂ %g in memory, %g streamed", *gm.SharedLambda, *gs.SharedLambda)
	}
	if d := math.Abs(*gm.LRStat - *gs.LRStat); d > 1e-6*(1+*gm.LRStat) {
		t.Errorf("common-λ LR statistic %g in memory, %g streamed", *gm.LRStat, *gs.LRStat)
	}
	if gm.StepModel != gs.StepModel || (gm.RobustPValue == nil) != (gs.RobustPValue == nil) {
		t.Errorf("step model %q / robust p %v in memory, %q / %v streamed", gm.StepModel, gm.RobustPValue, gs.StepModel, gs.RobustPValue)
	}
	for i := range gm.Groups {
		if a, b := gm.Groups[i].ShiftSD, gs.Groups[i].ShiftSD; a == nil || b == nil || math.Abs(*a-*b) > 1e-9**a {
			t.Errorf("group %s: shift sd %v in memory, %v streamed", gm.Groups[i].Group, a, b)
		}
	}
	t.Logf("shared λ̂ %.6f vs %.6f, LR %.4f vs %.4f", *gm.SharedLambda, *gs.SharedLambda, *gm.LRStat, *gs.LRStat)
	mem.GroupComparison, str.GroupComparison = nil, nil
	mem.Verdict, str.Verdict = "", ""
	a, b := encode(t, mem), encode(t, str)
	if !bytes.Equal(a, b) {
		t.Errorf("RunStream differs from Run:\n%.800s\n---\n%.800s", b, a)
	}
	if c := str.FitComparisons["after"]; c.FittedN != 500 || len(c.FullData) == 0 || c.FullData[0].N != 3000 {
		t.Errorf("after: fitted %d, full-data fits %+v; want 500 and fits on 3000 values", c.FittedN, c.FullData)
	}
	if _, err := str.WriteShifts(filepath.Join(t.TempDir(), "s.csv"), "best"); err == nil {
		t.Error("a streamed analysis wrote per-synapse shifts")
	}
}
