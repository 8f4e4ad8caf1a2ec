package datasets

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/syngeom/syngeom/ingest"
)

// completePairs is what a reader must deliver from p: the pairs with both
// values present, in order, and how many were dropped as missing.
func completePairs(p *Pairs) (before, after []float64, groups []string, missing int64) {
	for i := range p.Before {
		if math.IsNaN(p.Before[i]) || math.IsNaN(p.After[i]) {
			missing++
			continue
		}
		before, after = append(before, p.Before[i]), append(after, p.After[i])
		if p.Group != nil {
			groups = append(groups, p.GroupNames[p.Group[i]])
		}
	}
	return
}

func bitsEqual(a, b []float64) int {
	if len(a) != len(b) {
		return -2
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestWriteReadBackWithIngest writes the demo (groups, zeros, NaN) wide and
// long, as Parquet and CSV, and reads it back with syngeom's own reader.
func TestWriteReadBackWithIngest(t *testing.T) {
	demo := Demo()
	wantB, wantA, wantG, wantMissing := completePairs(demo)
	for _, c := range []struct {
		name   string
		layout Layout
		opt    ingest.Options
	}{
		{"demo.parquet", Wide, ingest.Options{Group: ColGroup}},
		{"demo.csv", Wide, ingest.Options{Group: ColGroup}},
		{"demo_long.parquet", Long, ingest.Options{ID: ColID, Time: ColTime, Value: ColWeight, Group: ColGroup, From: "0", To: "1"}},
		{"demo_long.tsv", Long, ingest.Options{ID: ColID, Time: ColTime, Value: ColWeight, Group: ColGroup, From: "0", To: "1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.name)
			if err := demo.Write(path, c.layout, ingest.WriteOptions{RowGroupLength: 5000}); err != nil {
				t.Fatal(err)
			}
			d, err := ingest.Load([]string{path}, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if d.Shape != ingest.ShapePaired {
				t.Fatalf("shape %s", d.Shape)
			}
			if i := bitsEqual(d.Before, wantB); i != -1 {
				t.Fatalf("before differs at %d (lengths %d, %d)", i, len(d.Before), len(wantB))
			}
			if i := bitsEqual(d.After, wantA); i != -1 {
				t.Fatalf("after differs at %d", i)
			}
			for i, g := range d.Group {
				if d.GroupNames[g] != wantG[i] {
					t.Fatalf("group of pair %d: %s, want %s", i, d.GroupNames[g], wantG[i])
				}
			}
			if got := d.Excluded[ingest.ReasonMissing]; got != wantMissing {
				t.Errorf("%d pairs excluded as missing, want %d", got, wantMissing)
			}
		})
	}
}

// TestParquetReadBackDirect reads a written table with arrow-go alone and
// checks the stored description.
func TestParquetReadBackDirect(t *testing.T) {
	s := DualShift{Potential: testTruthNE, Init: LogNormal{MeanLog: -1, SDLog: 1, RandomSign: true}, Step: 0.3,
		Missing: 0.01, Turnover: 0.05, N: 70_001, Groups: 2, Seed: 11}
	p, err := s.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sim.parquet")
	if err := p.Write(path, Wide, ingest.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if v := pf.MetaData().KeyValueMetadata().FindValue("syngeom.description"); v == nil || !strings.HasPrefix(*v, "synthetic") {
		t.Errorf("description metadata %v", v)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 14}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if tbl.NumRows() != int64(p.Len()) || tbl.NumCols() != 4 {
		t.Fatalf("%d rows, %d columns", tbl.NumRows(), tbl.NumCols())
	}
	names := []string{ColID, ColGroup, ColBefore, ColAfter}
	for i, n := range names {
		if tbl.Schema().Field(i).Name != n {
			t.Fatalf("column %d is %q, want %q", i, tbl.Schema().Field(i).Name, n)
		}
	}
	row := 0
	for _, ch := range tbl.Column(2).Data().Chunks() {
		b := ch.(*array.Float64)
		for i := range b.Len() {
			want := p.Before[row]
			if b.IsNull(i) != math.IsNaN(want) || (!b.IsNull(i) && math.Float64bits(b.Value(i)) != math.Float64bits(want)) {
				t.Fatalf("before[%d]: read %v (null %v), wrote %v", row, b.Value(i), b.IsNull(i), want)
			}
			row++
		}
	}
}
