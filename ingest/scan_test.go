package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"

	"github.com/syngeom/syngeom/internal/inputerr"
)

func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(t *testing.T, s string) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write([]byte(s))
	w.Close()
	return buf.Bytes()
}

func mustLoad(t *testing.T, opt Options, paths ...string) *Data {
	t.Helper()
	d, err := Load(paths, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCSVVariants reads the same table written in every way the CSV reader
// accepts; all must give the same pairs, exclusions and groups.
func TestCSVVariants(t *testing.T) {
	const base = "id,g,before,after\n1,x,1.5,2\n2,y,,3\n3,x,0.25,NA\n4,y,1e-3,4e2\n5,x,-2,2\n"
	variants := map[string][]byte{
		"lf.csv":      []byte(base),
		"crlf.csv":    []byte(strings.ReplaceAll(base, "\n", "\r\n")),
		"cr.csv":      []byte(strings.ReplaceAll(base, "\n", "\r")),
		"bom.csv":     append([]byte("\xef\xbb\xbf"), base...),
		"blank.csv":   []byte(base + "\n\n\r\n"),
		"nofinal.csv": []byte(strings.TrimSuffix(base, "\n")),
		"quoted.csv":  []byte("\"id\",\"g\",\"before\",\"after\"\n1,\"x\",\"1.5\",2\n2,y,,3\n3,\"x\",0.25,NA\n\"4\",\"y\",1e-3,4e2\n5,x,-2,\"2\"\n"),
		"late.csv":    []byte("id,g,before,after\n1,x,1.5,2\n2,y,,3\n3,x,0.25,NA\n4,\"y\",1e-3,4e2\n5,x,-2,2\n"),
		"spaces.csv":  []byte(" id , g ,before, after\n1,x, 1.5 ,2\n2,y,,3\n3,x,0.25,NA\n4,y,1e-3,4e2\n5,x,-2,2\n"),
		"tab.tsv":     []byte(strings.ReplaceAll(base, ",", "\t")),
		"sniff.txt":   []byte(strings.ReplaceAll(base, ",", "\t")),
		"semi.txt":    []byte(strings.ReplaceAll(base, ",", ";")),
		"gz.csv.gz":   gz(t, base),
		"gzip.tsv.gz": gz(t, strings.ReplaceAll(base, ",", "\t")),
	}
	want := &Data{Before: []float64{1.5, 1e-3, -2}, After: []float64{2, 400, 2}, Group: []int32{0, 1, 0}}
	for name, content := range variants {
		t.Run(name, func(t *testing.T) {
			d := mustLoad(t, Options{Group: "g"}, writeFile(t, name, content))
			if !slices.Equal(d.Before, want.Before) || !slices.Equal(d.After, want.After) || !slices.Equal(d.Group, want.Group) {
				t.Errorf("got %v %v %v, want %v %v %v", d.Before, d.After, d.Group, want.Before, want.After, want.Group)
			}
			if !slices.Equal(d.GroupNames, []string{"x", "y"}) {
				t.Errorf("groups %v", d.GroupNames)
			}
			if d.Rows != 5 || d.Excluded[ReasonMissing] != 2 || d.Counts[CountNegative] != 1 || d.Counts[CountSignFlip] != 1 {
				t.Errorf("rows %d excluded %v counts %v", d.Rows, d.Excluded, d.Counts)
			}
		})
	}
	// An explicit delimiter overrides the extension.
	d := mustLoad(t, Options{Delimiter: ';'}, writeFile(t, "semi.csv", variants["semi.txt"]))
	if !slices.Equal(d.Before, want.Before) {
		t.Errorf("--delimiter ';': %v", d.Before)
	}
}

// TestCSVQuotedFields checks the encoding/csv fallback on what only it can
// read: delimiters, doubled quotes and line breaks inside quoted fields.
func TestCSVQuotedFields(t *testing.T) {
	in := "note,before,after\nplain,1,2\n\"a, b\",3,4\n\"say \"\"hi\"\"\",5,6\n\"two\nlines\",7,8\nlast,9,x\n"
	p := writeFile(t, "q.csv", []byte(in))
	_, err := Load([]string{p}, Options{})
	var e *Error
	if !errorsAs(err, &e) || e.Line != 7 || e.Column != "after" {
		t.Fatalf("error %v: want line 7 (the quoted line break counts), column after", err)
	}
	d := mustLoad(t, Options{}, writeFile(t, "q2.csv", []byte(strings.Replace(in, ",9,x", ",9,10", 1))))
	if !slices.Equal(d.Before, []float64{1, 3, 5, 7, 9}) || !slices.Equal(d.After, []float64{2, 4, 6, 8, 10}) {
		t.Errorf("got %v %v", d.Before, d.After)
	}
}

func errorsAs(err error, e **Error) bool {
	if err == nil {
		return false
	}
	x, ok := err.(*Error)
	*e = x
	return ok
}

func TestMissingAndSpecialValues(t *testing.T) {
	in := "before,after\n" +
		"1,2\n" + // kept
		",2\nNA,2\nna,2\nNaN,2\nnan,2\nnull,2\nNULL,2\nN/A,2\n-nan,2\n" + // 9 missing
		"inf,2\n2,-Infinity\n1e999,2\n" + // 3 non-finite
		"0,2\n" + // zero, kept by default
		"-1,2\n" + // negative and sign flip
		"-1,-3\n" // two negatives, no flip
	p := writeFile(t, "m.csv", []byte(in))
	d := mustLoad(t, Options{}, p)
	if len(d.Before) != 4 || d.Excluded[ReasonMissing] != 9 || d.Excluded[ReasonNonFinite] != 3 {
		t.Errorf("pairs %d, excluded %v", len(d.Before), d.Excluded)
	}
	if d.Counts[CountZero] != 1 || d.Counts[CountNegative] != 3 || d.Counts[CountSignFlip] != 1 {
		t.Errorf("counts %v", d.Counts)
	}
	z := mustLoad(t, Options{Zero: ZeroMissing}, p)
	if len(z.Before) != 3 || z.Excluded[ReasonZero] != 1 || z.Counts[CountZero] != 0 {
		t.Errorf("--zero=missing: pairs %d excluded %v counts %v", len(z.Before), z.Excluded, z.Counts)
	}
}

// TestBatchesBounded checks that batches never exceed the batch size and
// that together they are exactly what Load returns.
func TestBatchesBounded(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("before,after,g\n")
	for i := range 1000 {
		b := float64(i) + 0.5
		if i%17 == 0 {
			sb.WriteString(",1,a\n")
			continue
		}
		sb.WriteString(strings.Join([]string{ftoa(b), ftoa(2 * b), []string{"a", "b", "c"}[i%3]}, ",") + "\n")
	}
	p := writeFile(t, "big.csv", []byte(sb.String()))
	all := mustLoad(t, Options{Group: "g"}, p)
	var got []float64
	var groups []int32
	s, err := Scan([]string{p}, Options{Group: "g", BatchSize: 37}, func(b *Batch) error {
		if len(b.Before) > 37 || len(b.Before) != len(b.After) || len(b.Group) != len(b.Before) {
			t.Fatalf("batch of %d/%d/%d", len(b.Before), len(b.After), len(b.Group))
		}
		got = append(got, b.Before...)
		groups = append(groups, b.Group...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, all.Before) || !slices.Equal(groups, all.Group) || s.Pairs != int64(len(got)) {
		t.Errorf("batches differ from Load: %d vs %d values", len(got), len(all.Before))
	}
	if s.Pairs+s.Excluded[ReasonMissing] != 1000 || s.Excluded[ReasonMissing] != 59 {
		t.Errorf("pairs %d excluded %v", s.Pairs, s.Excluded)
	}
	// An error from the callback stops the scan and comes back as is.
	stop := os.ErrClosed
	if _, err := Scan([]string{p}, Options{BatchSize: 10}, func(*Batch) error { return stop }); err != stop {
		t.Errorf("callback error: got %v", err)
	}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func TestShapes(t *testing.T) {
	t.Run("unpaired columns", func(t *testing.T) {
		p := writeFile(t, "u.csv", []byte("before,after\n1,5\n2,6\n3,\n4,\n"))
		d := mustLoad(t, Options{Unpaired: true}, p)
		if d.Shape != ShapeUnpaired || !slices.Equal(d.Before, []float64{1, 2, 3, 4}) || !slices.Equal(d.After, []float64{5, 6}) {
			t.Errorf("got %s %v %v", d.Shape, d.Before, d.After)
		}
		// Without --unpaired the ragged layout is paired but flagged.
		p2 := mustLoad(t, Options{}, p)
		if p2.Shape != ShapePaired || len(p2.Before) != 2 || !strings.Contains(strings.Join(p2.Notes, "\n"), "--unpaired") {
			t.Errorf("ragged: %s %v notes %v", p2.Shape, p2.Before, p2.Notes)
		}
	})
	t.Run("two files", func(t *testing.T) {
		a := writeFile(t, "a.csv", []byte("size,layer\n1,L2\n2,L5\n"))
		b := writeFile(t, "b.csv", []byte("size,layer\n3,L2\n4,L2\n5,L5\n"))
		d := mustLoad(t, Options{Unpaired: true, Column: "size", Group: "layer"}, a, b)
		if d.Shape != ShapeUnpaired || !slices.Equal(d.Before, []float64{1, 2}) || !slices.Equal(d.After, []float64{3, 4, 5}) ||
			!slices.Equal(d.Group, []int32{0, 1}) || !slices.Equal(d.GroupAfter, []int32{0, 0, 1}) {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("condition", func(t *testing.T) {
		p := writeFile(t, "c.csv", []byte("phase,value\npost,5\npre,1\npre,2\nother,9\npost,6\n"))
		// three conditions: the reader must be told which two
		if _, err := Load([]string{p}, Options{Condition: "phase"}); err == nil {
			t.Fatal("three conditions without --from/--to: want an error")
		}
		d := mustLoad(t, Options{Condition: "phase", From: "pre", To: "post"}, p)
		if d.Shape != ShapeUnpaired || !slices.Equal(d.Before, []float64{1, 2}) || !slices.Equal(d.After, []float64{5, 6}) {
			t.Errorf("got %v %v", d.Before, d.After)
		}
		// two conditions named like before/after are ordered by name
		p2 := writeFile(t, "c2.csv", []byte("phase,value\npost,5\npre,1\n"))
		d = mustLoad(t, Options{Condition: "phase"}, p2)
		if !slices.Equal(d.Before, []float64{1}) || !slices.Equal(d.After, []float64{5}) {
			t.Errorf("pre/post: got %v %v", d.Before, d.After)
		}
	})
	t.Run("single", func(t *testing.T) {
		p := writeFile(t, "s.csv", []byte("x\n1\n2\n\n3\n"))
		d := mustLoad(t, Options{}, p)
		if d.Shape != ShapeSingle || !slices.Equal(d.Before, []float64{1, 2, 3}) || d.After != nil {
			t.Errorf("got %s %v %v", d.Shape, d.Before, d.After)
		}
		p2 := writeFile(t, "s2.csv", []byte("id,volume\n1,0.5\n2,0.7\n"))
		d = mustLoad(t, Options{}, p2)
		if d.Shape != ShapeSingle || d.Roles["value"] != "volume" {
			t.Errorf("id + one column: %s %v", d.Shape, d.Roles)
		}
		d = mustLoad(t, Options{Column: "ID"}, p2)
		if !slices.Equal(d.Before, []float64{1, 2}) {
			t.Errorf("--column is case-insensitive: %v", d.Before)
		}
	})
	t.Run("long from to", func(t *testing.T) {
		p := writeFile(t, "l.csv", []byte("synapse,day,w\ns1,day1,1\ns2,day1,2\ns1,day3,3\ns3,day3,9\ns2,day3,4\n"))
		d := mustLoad(t, Options{ID: "synapse", Time: "day", Value: "w", From: "day1", To: "day3"}, p)
		if !slices.Equal(d.Before, []float64{1, 2}) || !slices.Equal(d.After, []float64{3, 4}) || d.Excluded[ReasonUnmatched] != 1 {
			t.Errorf("got %v %v %v", d.Before, d.After, d.Excluded)
		}
		// Two times: paired without --from/--to, in order of appearance
		// since the labels are not numbers.
		d = mustLoad(t, Options{ID: "synapse", Time: "day", Value: "w"}, p)
		if !slices.Equal(d.Before, []float64{1, 2}) {
			t.Errorf("two times: %v", d.Before)
		}
	})
	t.Run("several files", func(t *testing.T) {
		a := writeFile(t, "a.csv", []byte("pre,post\n1,2\n"))
		b := writeFile(t, "b.parquet", nil)
		writeTestParquet(t, b, arrow.NewSchema([]arrow.Field{
			{Name: "post", Type: arrow.PrimitiveTypes.Float64},
			{Name: "pre", Type: arrow.PrimitiveTypes.Float64},
		}, nil), 1, func(rb *array.RecordBuilder, _, _ int) {
			appendFloats(rb.Field(0), 4)
			appendFloats(rb.Field(1), 3)
		})
		d := mustLoad(t, Options{}, a, b)
		if !slices.Equal(d.Before, []float64{1, 3}) || !slices.Equal(d.After, []float64{2, 4}) || d.Rows != 2 {
			t.Errorf("got %v %v rows %d", d.Before, d.After, d.Rows)
		}
	})
}

// TestParquetNullsAligned writes nulls at different rows of the two columns,
// over many small row groups with and without dictionary pages, and checks
// that every pair stays with its row.
func TestParquetNullsAligned(t *testing.T) {
	const n = 1000
	before, after := make([]float64, n), make([]float64, n)
	for i := range n {
		before[i], after[i] = float64(i), float64(-i)-0.5
		if i%7 == 3 {
			before[i] = math.NaN()
		}
		if i%11 == 5 {
			after[i] = math.NaN()
		}
	}
	for _, props := range [][]parquet.WriterProperty{
		{parquet.WithMaxRowGroupLength(13), parquet.WithDictionaryDefault(false)},
		{parquet.WithMaxRowGroupLength(300), parquet.WithDictionaryDefault(true)},
		{parquet.WithDataPageVersion(parquet.DataPageV2), parquet.WithDataPageSize(64)},
	} {
		p := filepath.Join(t.TempDir(), "n.parquet")
		writeTestParquet(t, p, pairSchema(true), n, func(rb *array.RecordBuilder, start, count int) {
			appendFloats(rb.Field(0), before[start:start+count]...)
			appendFloats(rb.Field(1), after[start:start+count]...)
		}, props...)
		for _, bs := range []int{1, 10, 4096} {
			d := mustLoad(t, Options{BatchSize: bs}, p)
			k := 0
			for i := range n {
				if math.IsNaN(before[i]) || math.IsNaN(after[i]) {
					continue
				}
				if k >= len(d.Before) || d.Before[k] != before[i] || d.After[k] != after[i] {
					t.Fatalf("batch %d: pair %d is not row %d", bs, k, i)
				}
				k++
			}
			if k != len(d.Before) || d.Excluded[ReasonMissing] != int64(n-k) {
				t.Fatalf("batch %d: %d pairs, want %d; excluded %v", bs, len(d.Before), k, d.Excluded)
			}
		}
	}
}

// TestParquetIntegerTypes checks the conversion of unsigned and small
// integer columns, where a signed reading would be wrong.
func TestParquetIntegerTypes(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "before", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "after", Type: arrow.PrimitiveTypes.Uint64},
		{Name: "g", Type: arrow.PrimitiveTypes.Int16},
	}, nil)
	p := filepath.Join(t.TempDir(), "u.parquet")
	writeTestParquet(t, p, sc, 2, func(rb *array.RecordBuilder, _, _ int) {
		rb.Field(0).(*array.Uint32Builder).AppendValues([]uint32{math.MaxUint32, 7}, nil)
		rb.Field(1).(*array.Uint64Builder).AppendValues([]uint64{1 << 63, 9}, nil)
		rb.Field(2).(*array.Int16Builder).AppendValues([]int16{-3, 12}, nil)
	})
	d := mustLoad(t, Options{Group: "g"}, p)
	if !slices.Equal(d.Before, []float64{math.MaxUint32, 7}) || !slices.Equal(d.After, []float64{1 << 63, 9}) || !slices.Equal(d.GroupNames, []string{"-3", "12"}) {
		t.Errorf("got %v %v %v", d.Before, d.After, d.GroupNames)
	}
	in, err := Inspect([]string{p}, Options{Group: "g"})
	if err != nil {
		t.Fatal(err)
	}
	if in.Columns[0].Type != "uint32" || in.Columns[1].Type != "uint64" || in.Columns[2].Type != "int16" {
		t.Errorf("types %+v", in.Columns)
	}
}

func TestDecimalValue(t *testing.T) {
	for _, c := range []struct {
		unscaled int64
		scale    int32
		want     float64
	}{{12345, 2, 123.45}, {-5, 3, -0.005}, {1 << 60, 3, 1152921504606846.976}, {7, 0, 7}, {7, -2, 700}} {
		if got := decimalValue(c.unscaled, c.scale); got != c.want {
			t.Errorf("decimalValue(%d, %d) = %v, want %v", c.unscaled, c.scale, got, c.want)
		}
	}
	if got := bigEndianDecimal([]byte{0xff, 0xff, 0xff, 0xfe}, 1); got != -0.2 {
		t.Errorf("4-byte -2 scale 1 = %v", got)
	}
	b := make([]byte, 16)
	b[15] = 0x39 // 57
	if got := bigEndianDecimal(b, 1); got != 5.7 {
		t.Errorf("16-byte 57 scale 1 = %v", got)
	}
}

func TestErrorText(t *testing.T) {
	for _, c := range []struct {
		e    *Error
		want string
	}{
		{lineError("pairs.csv", 17, "after", "%s is not a number", quoteText([]byte("abc"))), `pairs.csv: line 17, column "after": "abc" is not a number`},
		{&Error{File: "w.parquet", RowGroup: 2, Row: 5, Column: "before", Msg: "corrupt"}, `w.parquet: row group 2, row 5, column "before": corrupt`},
		{fileError("", "", "no input file"), "no input file"},
		{fileError("a.csv", "", "empty file"), "a.csv: empty file"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
		if !errors.Is(c.e, inputerr.ErrInput) {
			t.Error("not an input error")
		}
	}
}

// TestCSVNoPerRowAllocation checks the fast path's promise: reading 20
// times more rows costs no more allocations.
func TestCSVNoPerRowAllocation(t *testing.T) {
	file := func(rows int) string {
		var sb strings.Builder
		sb.WriteString("before,after\n")
		for i := range rows {
			sb.WriteString(ftoa(float64(i)+0.25) + "," + ftoa(float64(2*i)+0.5) + "\n")
		}
		return writeFile(t, "a.csv", []byte(sb.String()))
	}
	small, big := file(1000), file(20000)
	allocs := func(p string) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := Scan([]string{p}, Options{}, func(*Batch) error { return nil }); err != nil {
				t.Fatal(err)
			}
		})
	}
	a, b := allocs(small), allocs(big)
	t.Logf("allocations: %v for 1,000 rows, %v for 20,000", a, b)
	if b > a+20 {
		t.Errorf("%v allocations for 1,000 rows, %v for 20,000", a, b)
	}
}

// withBlocks makes the CSV reader parse in parallel blocks of the given size
// for the duration of the test (or serially, with size 0).
func withBlocks(t *testing.T, size int) {
	oldMin, oldSize := csvParallelMin, csvBlockSize
	t.Cleanup(func() { csvParallelMin, csvBlockSize = oldMin, oldSize })
	if size == 0 {
		csvParallelMin = math.MaxInt64
		return
	}
	csvParallelMin, csvBlockSize = 0, size
}

// TestCSVParallelMatchesSerial reads the same files serially and in
// parallel blocks far smaller than the file (so rows, blank lines, CRLF and
// long lines straddle block boundaries): values, positions and errors must
// be identical.
func TestCSVParallelMatchesSerial(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("id,before,after\r\n")
	for i := range 3000 {
		switch {
		case i%97 == 0:
			sb.WriteString("\r\n") // blank line
		case i%89 == 0:
			sb.WriteString(ftoa(float64(i)) + ",NA," + strings.Repeat("0", 300) + "1.5\r\n") // long field
		default:
			sb.WriteString(ftoa(float64(i)) + "," + ftoa(float64(i)/7) + "," + ftoa(float64(i%13)-6) + "\r\n")
		}
	}
	clean := sb.String()
	files := map[string]string{
		"clean.csv":  clean,
		"quoted.csv": clean + "5,\"6\",7\r\n8,9,10\r\n",
		"bad.csv":    strings.Replace(clean, "2000,", "2000,oops", 1),
		"short.csv":  strings.Replace(clean, "2500,", "", 1),
	}
	for name, content := range files {
		p := writeFile(t, name, []byte(content))
		t.Run(name, func(t *testing.T) {
			read := func(block int) (*Data, *Inspection, error) {
				withBlocks(t, block)
				d, err := Load([]string{p}, Options{BatchSize: 1000, Group: "id"})
				if err != nil {
					return nil, nil, err
				}
				in, err := Inspect([]string{p}, Options{})
				return d, in, err
			}
			ds, is, errS := read(0)
			for _, block := range []int{64, 1000, 1 << 16} {
				dp, ip, errP := read(block)
				if (errS == nil) != (errP == nil) || errS != nil && errS.Error() != errP.Error() {
					t.Fatalf("block %d: serial error %v, parallel %v", block, errS, errP)
				}
				if errS != nil {
					continue
				}
				if !slices.Equal(ds.Before, dp.Before) || !slices.Equal(ds.After, dp.After) || ds.Rows != dp.Rows || ds.Excluded[ReasonMissing] != dp.Excluded[ReasonMissing] ||
					!slices.Equal(ds.Group, dp.Group) || !slices.Equal(ds.GroupNames, dp.GroupNames) {
					t.Fatalf("block %d: parallel read differs (%d vs %d pairs)", block, len(dp.Before), len(ds.Before))
				}
				for i := range is.Columns {
					a, b := is.Columns[i], ip.Columns[i]
					if a.NonNull != b.NonNull || *a.Sum != *b.Sum || a.Type != b.Type {
						t.Fatalf("block %d: column %s differs: %+v vs %+v", block, a.Name, a, b)
					}
				}
			}
			if name == "bad.csv" && (errS == nil || !strings.Contains(errS.Error(), `"oops`)) {
				t.Errorf("bad.csv: error %v", errS)
			}
		})
	}
}

// TestInspectOverflowJSON checks that a sum overflowing float64 is reported
// as null, never as an Inf that JSON cannot encode.
func TestInspectOverflowJSON(t *testing.T) {
	p := writeFile(t, "o.csv", []byte("x\n1e308\n1e308\ninf\n"))
	in, err := Inspect([]string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := in.Columns[0]
	if c.Sum != nil || c.Max == nil || *c.Max != 1e308 || c.NonNull != 3 || c.NonFinite != 1 {
		t.Errorf("column %+v", c)
	}
	if _, err := json.Marshal(in); err != nil {
		t.Error(err)
	}
}

// TestParquetCodecs reads the same nullable pairs written with every codec
// arrow-go writes.
func TestParquetCodecs(t *testing.T) {
	before := []float64{1, math.NaN(), 3, 4.5, 5}
	after := []float64{2, 2, math.NaN(), -1, 6}
	for _, codec := range []compress.Compression{compress.Codecs.Uncompressed, compress.Codecs.Snappy, compress.Codecs.Gzip,
		compress.Codecs.Brotli, compress.Codecs.Zstd, compress.Codecs.Lz4Raw} {
		p := filepath.Join(t.TempDir(), "c.parquet")
		writeTestParquet(t, p, pairSchema(true), len(before), func(rb *array.RecordBuilder, _, _ int) {
			appendFloats(rb.Field(0), before...)
			appendFloats(rb.Field(1), after...)
		}, parquet.WithCompression(codec))
		d := mustLoad(t, Options{}, p)
		if !slices.Equal(d.Before, []float64{1, 4.5, 5}) || !slices.Equal(d.After, []float64{2, -1, 6}) || d.Excluded[ReasonMissing] != 2 {
			t.Errorf("%v: got %v %v %v", codec, d.Before, d.After, d.Excluded)
		}
	}
}
