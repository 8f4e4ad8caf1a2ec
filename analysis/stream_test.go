package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/stream"
)

// RunStream over one file gives the document of Run, byte for byte,
// including the fits on a subsample, the full-data fits from sufficient
// statistics and the common-λ model of the groups, whose pairs the second
// pass keeps in full: the in-memory comparison takes the pairs in the kept
// sample's canonical order, so its sums run in the same order.
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
	if gm.RobustPValue == nil || len(gm.Groups) != 2 {
		t.Errorf("in memory: robust p %v, %d groups; want a sandwich p and 2 groups", gm.RobustPValue, len(gm.Groups))
	}
	a, b := encode(t, mem), encode(t, str)
	if !bytes.Equal(a, b) {
		t.Errorf("RunStream differs from Run:\n%.800s\n---\n%.800s", b, a)
	}
	if c := str.FitComparisons["after"]; c.FittedN != 500 || len(c.FullData) == 0 || c.FullData[0].N != 3000 {
		t.Errorf("after: fitted %d, full-data fits %+v; want 500 and fits on 3000 values", c.FittedN, c.FullData)
	}
	// The streamed analysis reads the file again for the per-synapse
	// shifts, and writes the file of the in-memory one, groups included.
	for _, name := range []string{"s.csv", "s.parquet"} {
		memPath, strPath := filepath.Join(t.TempDir(), name), filepath.Join(t.TempDir(), name)
		gm, err := mem.WriteShifts(memPath, "best")
		if err != nil {
			t.Fatal(err)
		}
		gs, err := str.WriteShifts(strPath, "best")
		if err != nil {
			t.Fatal(err)
		}
		a, b := readFile(t, memPath), readFile(t, strPath)
		if gm != gs || !bytes.Equal(a, b) || len(a) < 3000*20 {
			t.Errorf("%s: shifts under %s in memory (%d bytes), %s streamed (%d bytes)", name, gm, len(a), gs, len(b))
		}
	}
	// A file changed since the analysis is an error, not a wrong file.
	if err := os.WriteFile(path, []byte("before,after,group\n1,2,a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := str.WriteShifts(filepath.Join(t.TempDir(), "late.csv"), "NE"); err == nil {
		t.Error("shifts written from a changed input")
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
