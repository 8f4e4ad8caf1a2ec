package ingest

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// writeTable is the table the writer tests write and read back: awkward
// floats (signed zero, subnormals, extremes, ±Inf, NaN as missing), ids and
// group labels that need CSV quoting.
type writeTable struct {
	id     []int64
	group  []string
	before []float64
	after  []float64
}

func makeWriteTable(n int) writeTable {
	r := rand.New(rand.NewPCG(7, 8))
	t := writeTable{make([]int64, n), make([]string, n), make([]float64, n), make([]float64, n)}
	special := []float64{0, math.Copysign(0, -1), math.SmallestNonzeroFloat64, -math.MaxFloat64, math.MaxFloat64,
		math.Inf(1), math.Inf(-1), math.NaN(), 0.1, 1.0 / 3, 5e-324, 1e300, -2.2250738585072014e-308}
	groups := []string{"L2/3", "a,b", `say "hi"`, " padded ", "", "line\nbreak", "ü"}
	for i := range n {
		t.id[i] = int64(i) - 3
		t.group[i] = groups[i%len(groups)]
		t.before[i] = math.Exp(r.NormFloat64() - 0.7)
		t.after[i] = -r.ExpFloat64() * 1e-3
		if i < len(special) {
			t.before[i] = special[i]
			t.after[i] = special[len(special)-1-i]
		}
		if i%997 == 5 {
			t.after[i] = math.NaN()
		}
	}
	return t
}

var writeSpecs = []ColumnSpec{
	{"id", Int64Column}, {"group", StringColumn}, {"before", Float64Column}, {"after", Float64Column},
}

// writeInBatches writes t with uneven batch sizes, so chunk and row-group
// boundaries fall inside batches.
func writeInBatches(tb testing.TB, path string, t writeTable, opt WriteOptions) {
	tb.Helper()
	w, err := NewWriter(path, writeSpecs, opt)
	if err != nil {
		tb.Fatal(err)
	}
	defer w.Abort()
	sizes := []int{1, 0, 7, 50000, 70001, 3}
	for off, k := 0, 0; off < len(t.id); k++ {
		end := min(len(t.id), off+sizes[k%len(sizes)])
		err := w.Write([]ColumnData{{Int: t.id[off:end]}, {String: t.group[off:end]}, {Float: t.before[off:end]}, {Float: t.after[off:end]}})
		if err != nil {
			tb.Fatal(err)
		}
		off = end
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		tb.Fatalf("%s exists before Close (err %v): writes must be atomic", path, err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	if w.Rows() != int64(len(t.id)) {
		tb.Fatalf("Rows() = %d, want %d", w.Rows(), len(t.id))
	}
}

// sameFloat is bit equality, except that any NaN matches a missing value.
func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

func checkSame(t *testing.T, got, want writeTable) {
	t.Helper()
	if len(got.id) != len(want.id) {
		t.Fatalf("read %d rows, wrote %d", len(got.id), len(want.id))
	}
	bad := 0
	for i := range want.id {
		if got.id[i] != want.id[i] || got.group[i] != want.group[i] ||
			!sameFloat(got.before[i], want.before[i]) || !sameFloat(got.after[i], want.after[i]) {
			if bad++; bad <= 5 {
				t.Errorf("row %d: read (%d, %q, %v, %v), wrote (%d, %q, %v, %v)", i,
					got.id[i], got.group[i], got.before[i], got.after[i],
					want.id[i], want.group[i], want.before[i], want.after[i])
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d rows differ", bad)
	}
}

// readParquetDirect reads a file with arrow-go alone (not with this package's
// reader), nulls becoming NaN.
func readParquetDirect(t *testing.T, path string) (writeTable, *file.Reader) {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pf.Close() })
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 14}, mem)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out writeTable
	for rr.Next() {
		rec := rr.RecordBatch()
		ids := rec.Column(0).(*array.Int64)
		gs := rec.Column(1).(*array.String)
		b := rec.Column(2).(*array.Float64)
		a := rec.Column(3).(*array.Float64)
		for i := 0; i < int(rec.NumRows()); i++ {
			out.id = append(out.id, ids.Value(i))
			out.group = append(out.group, gs.Value(i))
			out.before = append(out.before, nullAsNaN(b, i))
			out.after = append(out.after, nullAsNaN(a, i))
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	rr.Release()
	mem.AssertSize(t, 0)
	return out, pf
}

func nullAsNaN(a *array.Float64, i int) float64 {
	if a.IsNull(i) {
		return math.NaN()
	}
	return a.Value(i)
}

func TestWriteParquetRoundTrip(t *testing.T) {
	want := makeWriteTable(150_003)
	for _, codec := range []string{"", "snappy", "none", "gzip", "lz4", "brotli"} {
		t.Run("codec="+codec, func(t *testing.T) {
			n := len(want.id)
			tab := want
			if codec != "" { // the other codecs on a smaller table, to keep the test quick
				n = 2000
				tab = writeTable{want.id[:n], want.group[:n], want.before[:n], want.after[:n]}
			}
			path := filepath.Join(t.TempDir(), "pairs.parquet")
			writeInBatches(t, path, tab, WriteOptions{Compression: codec, RowGroupLength: 40_000,
				Metadata: map[string]string{"syngeom.description": "synthetic test table"}})
			got, pf := readParquetDirect(t, path)
			checkSame(t, got, tab)
			if wantRG := (n + 39_999) / 40_000; pf.NumRowGroups() != wantRG {
				t.Errorf("%d row groups, want %d (RowGroupLength 40000, %d rows)", pf.NumRowGroups(), wantRG, n)
			}
			if v := pf.MetaData().KeyValueMetadata().FindValue("syngeom.description"); v == nil || *v != "synthetic test table" {
				t.Errorf("description metadata = %v", v)
			}
			col, err := pf.RowGroup(0).MetaData().ColumnChunk(2)
			if err != nil {
				t.Fatal(err)
			}
			wantCodec := map[string]string{"": "ZSTD", "snappy": "SNAPPY", "none": "UNCOMPRESSED", "gzip": "GZIP", "lz4": "LZ4_RAW", "brotli": "BROTLI"}[codec]
			if got := col.Compression().String(); got != wantCodec {
				t.Errorf("codec %s, want %s", got, wantCodec)
			}
		})
	}
}

// readCSVDirect reads a written CSV/TSV with encoding/csv and strconv.
func readCSVDirect(t *testing.T, path string, delim rune, gz bool) writeTable {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	cr := csv.NewReader(r)
	cr.Comma = delim
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], "|"); got != "id|group|before|after" {
		t.Fatalf("header %q", got)
	}
	var out writeTable
	parse := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, rec := range recs[1:] {
		id, err := strconv.ParseInt(rec[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out.id = append(out.id, id)
		out.group = append(out.group, rec[1])
		out.before = append(out.before, parse(rec[2]))
		out.after = append(out.after, parse(rec[3]))
	}
	return out
}

func TestWriteCSVRoundTrip(t *testing.T) {
	want := makeWriteTable(3000)
	for _, c := range []struct {
		name  string
		delim rune
		gz    bool
	}{{"t.csv", ',', false}, {"t.csv.gz", ',', true}, {"t.tsv", '\t', false}, {"T.TSV.GZ", '\t', true}} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.name)
			writeInBatches(t, path, want, WriteOptions{})
			checkSame(t, readCSVDirect(t, path, c.delim, c.gz), want)
		})
	}
}

func TestWriteCSVText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "small.csv")
	w, err := NewWriter(path, []ColumnSpec{{"w0", Float64Column}, {"w1", Float64Column}}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]ColumnData{{Float: []float64{0.1, 1e-7, math.NaN()}}, {Float: []float64{2, math.Inf(-1), 123456789}}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "w0,w1\n0.1,2\n1e-07,-Inf\n,1.23456789e+08\n"
	if string(b) != want {
		t.Errorf("file is\n%q\nwant\n%q", b, want)
	}
}

func TestWriterAbortAndErrors(t *testing.T) {
	dir := t.TempDir()
	specs := []ColumnSpec{{"x", Float64Column}}
	for _, name := range []string{"a.csv", "a.parquet"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("old contents"), 0o644); err != nil {
			t.Fatal(err)
		}
		w, err := NewWriter(path, specs, WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write([]ColumnData{{Float: []float64{1, 2}}}); err != nil {
			t.Fatal(err)
		}
		w.Abort()
		w.Abort() // idempotent
		if b, _ := os.ReadFile(path); string(b) != "old contents" {
			t.Errorf("%s: Abort changed the destination to %q", name, b)
		}
		if err := w.Write([]ColumnData{{Float: []float64{1}}}); err == nil {
			t.Errorf("%s: Write after Abort succeeded", name)
		}
		if err := w.Close(); err != nil {
			t.Errorf("%s: Close after Abort: %v", name, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		for _, e := range entries {
			t.Log(e.Name())
		}
		t.Errorf("%d files in the directory after Abort, want the 2 originals (temporary files left behind?)", len(entries))
	}

	for _, c := range []struct {
		path  string
		specs []ColumnSpec
		opt   WriteOptions
		msg   string
	}{
		{"x.xlsx", specs, WriteOptions{}, "extension"},
		{"x.parquet.gz", specs, WriteOptions{}, "extension"},
		{"x.csv", nil, WriteOptions{}, "no columns"},
		{"x.csv", []ColumnSpec{{"x", Float64Column}, {"x", Int64Column}}, WriteOptions{}, "twice"},
		{"x.csv", []ColumnSpec{{"", Float64Column}}, WriteOptions{}, "empty column name"},
		{"x.parquet", specs, WriteOptions{Compression: "zip"}, "compression"},
		{"x.csv", specs, WriteOptions{Format: "xlsx"}, "format"},
	} {
		_, err := NewWriter(filepath.Join(dir, c.path), c.specs, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.msg) || !errors.Is(err, inputerr.ErrInput) {
			t.Errorf("NewWriter(%s, %v, %+v) = %v, want an input error about %q", c.path, c.specs, c.opt, err, c.msg)
		}
	}

	w, err := NewWriter(filepath.Join(dir, "b.csv"), []ColumnSpec{{"x", Float64Column}, {"g", StringColumn}}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Write([]ColumnData{{Float: []float64{1, 2}}, {String: []string{"a"}}}); err == nil || !strings.Contains(err.Error(), "rows") {
		t.Errorf("ragged batch: %v", err)
	}
	if err := w.Write([]ColumnData{{Float: []float64{1}}}); err == nil || !strings.Contains(err.Error(), "columns") {
		t.Errorf("short batch: %v", err)
	}
	if _, err := NewWriter(filepath.Join(dir, "missing", "c.csv"), specs, WriteOptions{}); err == nil {
		t.Error("NewWriter in a missing directory succeeded")
	}
}

func TestOutputFormat(t *testing.T) {
	for _, c := range []struct {
		path, format string
		gz, ok       bool
	}{
		{"a.csv", "csv", false, true}, {"dir.v2/A.CSV.GZ", "csv", true, true}, {"a.tsv", "tsv", false, true},
		{"a.txt.gz", "tsv", true, true}, {"a.parquet", "parquet", false, true}, {"a.pq", "parquet", false, true},
		{"a.parquet.gz", "", false, false}, {"a", "", false, false}, {"a.gz", "", false, false},
	} {
		f, gz, ok := OutputFormat(c.path)
		if f != c.format || gz != c.gz || ok != c.ok {
			t.Errorf("OutputFormat(%q) = %q, %v, %v; want %q, %v, %v", c.path, f, gz, ok, c.format, c.gz, c.ok)
		}
	}
}

// BenchmarkWriteParquet writes 10^6 pairs; compare codecs with -bench.
func BenchmarkWriteParquet(b *testing.B) {
	tab := makeWriteTable(1_000_000)
	dir := b.TempDir()
	for b.Loop() {
		writeInBatches(b, filepath.Join(dir, "bench.parquet"), tab, WriteOptions{})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ns/row")
}

// TestWriteThenLoad reads written files back with this package's own reader:
// values bit for bit, groups with characters that need quoting, missing
// values counted.
func TestWriteThenLoad(t *testing.T) {
	const n = 40_000
	r := rand.New(rand.NewPCG(3, 4))
	tab := writeTable{make([]int64, n), make([]string, n), make([]float64, n), make([]float64, n)}
	groups := []string{"L2/3", "a,b", `say "hi"`, "tab\there", "ü"}
	var wantB, wantA []float64
	var wantG []string
	var missing int64
	for i := range n {
		tab.id[i] = int64(i)
		tab.group[i] = groups[i%len(groups)]
		tab.before[i] = math.Exp(r.NormFloat64()) * 1e-3
		tab.after[i] = -r.NormFloat64() / 3
		if i%1000 == 7 {
			tab.before[i] = math.NaN()
		}
		if math.IsNaN(tab.before[i]) {
			missing++
			continue
		}
		wantB, wantA, wantG = append(wantB, tab.before[i]), append(wantA, tab.after[i]), append(wantG, tab.group[i])
	}
	for _, name := range []string{"t.parquet", "t.csv"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			writeInBatches(t, path, tab, WriteOptions{RowGroupLength: 15_000})
			d, err := Load([]string{path}, Options{Before: "before", After: "after", Group: "group"})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Before) != len(wantB) || d.Excluded[ReasonMissing] != missing {
				t.Fatalf("%d pairs, %d missing; want %d and %d", len(d.Before), d.Excluded[ReasonMissing], len(wantB), missing)
			}
			for i := range wantB {
				if math.Float64bits(d.Before[i]) != math.Float64bits(wantB[i]) || math.Float64bits(d.After[i]) != math.Float64bits(wantA[i]) ||
					d.GroupNames[d.Group[i]] != wantG[i] {
					t.Fatalf("pair %d: read (%v, %v, %q), wrote (%v, %v, %q)", i, d.Before[i], d.After[i], d.GroupNames[d.Group[i]], wantB[i], wantA[i], wantG[i])
				}
			}
		})
	}
}

// TestWriterFailedWriteDiscards: when the file underneath fails, Close
// reports the error and leaves neither the destination nor a temporary file.
func TestWriterFailedWriteDiscards(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "broken.csv")
	w, err := NewWriter(path, []ColumnSpec{{"x", Float64Column}}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.file.Close()                  // the disk goes away
	big := make([]float64, 300_000) // more than the 1 MiB buffer, so a write reaches the file
	for i := range big {
		big[i] = float64(i) + 0.123456789
	}
	if err := w.Write([]ColumnData{{Float: big}}); err == nil {
		t.Fatal("Write to a closed file succeeded")
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close after a failed Write succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files left after a failed write", len(entries))
	}
}
