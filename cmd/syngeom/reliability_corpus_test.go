package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// hostileCase is one input of testdata/bad run through a command: the exit
// code and words the message (stderr on failure, stdout on success) must
// hold.
type hostileCase struct {
	file string
	args []string // after the file; nil = the paired test
	code int
	want []string
}

func hostileCases() []hostileCase {
	in := exitInput
	return []hostileCase{
		// Structure.
		{"truncated_quote.csv", nil, in, []string{"line 32", "quoted field is not closed"}},
		{"truncated_last_line.csv", nil, exitOK, []string{"excluded: missing 1", "30 pairs"}},
		{"ragged_short.csv", nil, in, []string{"line 32", "1 fields", "2 columns"}},
		{"ragged_long.csv", nil, in, []string{"line 32", "3 fields", "2 columns"}},
		{"bare_quote.csv", nil, in, []string{"line 32", "quote"}},
		{"duplicate_header.csv", nil, in, []string{"line 1", `column "after"`, "duplicate column name"}},
		{"empty_header_name.csv", nil, exitOK, []string{"30 pairs"}},
		{"header_only.csv", nil, in, []string{"header_only.csv", "no usable pair", "no rows"}},
		{"blank_lines_only.csv", nil, in, []string{"empty file"}},
		{"delimiters_only.csv", nil, in, []string{"cannot tell which columns"}},
		{"empty.csv", nil, in, []string{"empty file"}},
		{"lone_cr.csv", nil, exitOK, []string{"30 pairs"}},
		{"crlf.csv", nil, exitOK, []string{"30 pairs"}},
		{"utf8_bom.csv", nil, exitOK, []string{"30 pairs", "before = before"}},
		{"utf16_bom.csv", nil, in, []string{"binary data"}},
		{"quoted_newline_header.csv", nil, in, []string{"line 1", "header"}},
		{"tsv_named_csv.csv", nil, in, []string{"line 2", "not a number"}},
		{"semicolon_decimal_comma.csv", nil, in, []string{"line 2", "3 fields"}},
		// Bytes.
		{"nul_in_value.csv", nil, in, []string{"binary data", "NUL"}},
		{"nul_in_header.csv", nil, in, []string{"binary data", "NUL"}},
		{"invalid_utf8_header.csv", nil, in, []string{"cannot tell which columns", `"before\xff\xfe"`}},
		{"invalid_utf8_value.csv", nil, in, []string{"line 32", `column "before"`, `"1.5\xff" is not a number`}},
		{"control_chars.csv", nil, in, []string{"line 32", `"\x1b[2J" is not a number`}},
		// Values.
		{"mixed_types.csv", nil, in, []string{"line 32", `column "after"`, `"abc" is not a number`}},
		{"hex_float.csv", nil, in, []string{"line 32", `"0x1p-3" is not a number`}},
		{"thousands_separator.csv", nil, in, []string{"line 32", `"1,500" is not a number`}},
		{"percent.csv", nil, in, []string{"line 32", `"50%" is not a number`}},
		{"padded_numbers.csv", nil, exitOK, []string{"30 pairs"}},
		{"infinity_words.csv", nil, exitOK, []string{"excluded: non finite 4", "30 pairs"}},
		{"overflow_1e999.csv", nil, exitOK, []string{"excluded: non finite 1", "30 pairs"}},
		{"underflow_1e-999.csv", nil, exitOK, []string{"31 pairs (zero pairs 1)"}},
		{"denormals.csv", nil, exitOK, []string{"30 pairs", "too small for float64", "No candidate geometry could be scored"}},
		{"negative_zero.csv", nil, exitOK, []string{"32 pairs (zero pairs 2)"}},
		{"nan_words.csv", nil, exitOK, []string{"excluded: missing 4", "30 pairs"}},
		{"all_missing.csv", nil, in, []string{"all_missing.csv", "no usable pair", "excluded: missing 40"}},
		{"no_change.csv", nil, exitOK, []string{"no change: the weights after equal the weights before in every pair"}},
		{"constant.csv", nil, exitOK, []string{"no spread: every pair has the same dual shift"}},
		{"extreme_large.csv", nil, exitOK, []string{"overflow: the weights are too large", "rescale"}},
		{"extreme_small.csv", nil, exitOK, []string{"underflow", "rescale"}},
		{"two_pairs.csv", nil, exitOK, []string{"too few usable pairs: 2 (need at least 10)"}},
		{"denormals.csv", []string{"fit", "--column", "before", "--gof-samples", "0"}, exitOK, []string{"gamma"}},
		{"constant.csv", []string{"fit", "--column", "before", "--gof-samples", "0"}, exitOK, []string{"gamma"}},
		{"two_pairs.csv", []string{"fit", "--column", "before", "--gof-samples", "0"}, exitOK, []string{"gamma"}},
		// Compression.
		{"truncated.csv.gz", nil, in, []string{"corrupt or truncated gzip"}},
		{"plain_named_gz.csv.gz", nil, in, []string{"not gzip"}},
		// Parquet.
		{"truncated_half.parquet", nil, in, []string{"corrupt or truncated Parquet"}},
		{"truncated_footer.parquet", nil, in, []string{"corrupt or truncated Parquet"}},
		{"magic_only.parquet", nil, in, []string{"corrupt or truncated Parquet", "too small"}},
		{"bad_tail_magic.parquet", nil, in, []string{"corrupt or truncated Parquet", "magic"}},
		{"bad_head_magic.parquet", nil, in, []string{"not a Parquet file", "PAR1"}},
		{"footer_len_absurd.parquet", nil, in, []string{"corrupt or truncated Parquet", "metadata size"}},
		{"footer_len_zero.parquet", nil, in, []string{"corrupt or truncated Parquet"}},
		{"footer_garbage.parquet", nil, in, []string{"corrupt or truncated Parquet"}},
		{"footer_list_bomb.parquet", nil, in, []string{"corrupt or truncated Parquet"}},
		{"corrupt_snappy_page.parquet", nil, in, []string{"row group 0", `column "before"`, "corrupt"}},
		{"page_size_negative.parquet", nil, in, []string{"row group 0", `column "before"`, "negative page size"}},
		{"page_size_beyond_file.parquet", nil, in, []string{"row group 0", `column "before"`, "exceeds"}},
		{"page_uncompressed_absurd.parquet", nil, in, []string{"row group 0", `column "before"`, "corrupt"}},
		{"csv_named_parquet.parquet", nil, in, []string{"not a Parquet file"}},
		{"parquet_named_csv.csv", nil, in, []string{"Parquet file, not CSV"}},
		{"random_bytes.parquet", nil, in, []string{"corrupt or truncated Parquet"}},
		{"page_size_negative.parquet", []string{"inspect"}, in, []string{"negative page size"}},
		{"footer_list_bomb.parquet", []string{"fit", "--column", "before"}, in, []string{"corrupt or truncated Parquet"}},
	}
}

// runHostile runs one case in-process and checks that it neither panics
// nor allocates much more than the file: declared sizes must be refused,
// not allocated.
func runHostile(t *testing.T, path string, c hostileCase, limit uint64) (code int, out, errOut string) {
	t.Helper()
	// The analyses are cheap: the point is how the input is handled.
	args := []string{"test", path, "--bootstrap", "0", "--null-replicates", "0"}
	if c.args != nil {
		args = append([]string{c.args[0], path}, c.args[1:]...)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("%v panicked: %v", args, p)
			}
		}()
		code, out, errOut = runCLI(args...)
	}()
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > limit {
		t.Errorf("%v allocated %d MiB in total (limit %d MiB)", args, got>>20, limit>>20)
	}
	return code, out, errOut
}

// hostileAllocLimit bounds what a command may allocate on a file of a few
// KiB, whatever sizes the file declares; largeAllocLimit does the same for
// the files of hundreds of MB built at run time (the CSV reader refuses
// lines beyond 64 MiB, after buffering them).
const (
	hostileAllocLimit = 256 << 20
	largeAllocLimit   = 1 << 30
)

func TestHostileCorpus(t *testing.T) {
	cases := hostileCases()
	files := map[string]bool{}
	for _, c := range cases {
		files[c.file] = true
	}
	ents, err := os.ReadDir(badCorpusDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != "README.md" && !files[e.Name()] {
			t.Errorf("testdata/bad/%s has no case", e.Name())
		}
	}
	if len(files) < 40 {
		t.Fatalf("only %d corpus files", len(files))
	}
	for _, c := range cases {
		name := c.file
		if c.args != nil {
			name += "/" + c.args[0]
		}
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runHostile(t, filepath.Join(badCorpusDir, c.file), c, hostileAllocLimit)
			msg := errOut
			if c.code == exitOK {
				msg = out
			}
			if code != c.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, c.code, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			if code != exitOK && (!strings.Contains(errOut, c.file) || strings.Count(strings.TrimSpace(errOut), "\n") > 1) {
				t.Errorf("the error does not name the file on one line:\n%s", errOut)
			}
			if strings.Contains(out+errOut, "goroutine ") || strings.Contains(out+errOut, "NaN") {
				t.Errorf("output shows a crash or an unexplained NaN:\n%s%s", out, errOut)
			}
		})
	}
}

// TestLongHostileLarge builds the large hostile inputs at run time: a
// single line of 300 MB, a header of 300 MB, 10^5 CSV columns, a
// 10^5-column Parquet file and a deeply nested Parquet schema. It writes
// files of hundreds of MB, so it runs only with SYNGEOM_LONG=1.
func TestLongHostileLarge(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run")
	}
	dir := t.TempDir()
	t.Run("line of 300 MB", func(t *testing.T) {
		path := filepath.Join(dir, "longline.csv")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("before,after\n1,2\n")
		chunk := bytes.Repeat([]byte("1"), 1<<20)
		for range 300 {
			f.Write(chunk)
		}
		f.WriteString(",2\n")
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := runHostile(t, path, hostileCase{}, largeAllocLimit)
		if code != exitInput || !strings.Contains(errOut, "line 3") || !strings.Contains(errOut, "line longer than 64 MiB") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("header of 300 MB", func(t *testing.T) {
		path := filepath.Join(dir, "longheader.csv")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for range 300 {
			f.Write(chunk)
		}
		f.WriteString(",after\n1,2\n")
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := runHostile(t, path, hostileCase{}, largeAllocLimit)
		if code != exitInput || !strings.Contains(errOut, "line 1") || !strings.Contains(errOut, "longer than") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("10^5 CSV columns", func(t *testing.T) {
		var b strings.Builder
		for i := range 100_000 {
			fmt.Fprintf(&b, "c%d,", i)
		}
		b.WriteString("before,after\n")
		b.WriteString(goodRowsWithPrefix(strings.Repeat("0,", 100_000), 12))
		path := filepath.Join(dir, "wide.csv")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runHostile(t, path, hostileCase{}, largeAllocLimit)
		if code != exitOK || !strings.Contains(out, "pairs") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("10^5 Parquet columns", func(t *testing.T) {
		path := filepath.Join(dir, "wide.parquet")
		writeWideParquet(t, path, 100_000)
		code, out, errOut := runHostile(t, path, hostileCase{}, largeAllocLimit)
		if code != exitOK || !strings.Contains(out, "1 pairs") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("nested 200 deep", func(t *testing.T) {
		path := filepath.Join(dir, "deep.parquet")
		writeDeepParquet(t, path, 200)
		code, out, errOut := runHostile(t, path, hostileCase{args: []string{"inspect"}}, hostileAllocLimit)
		if code != exitOK || !strings.Contains(out, "struct") {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		code, _, errOut = runHostile(t, path, hostileCase{args: []string{"test", "--before", "deep", "--after", "after"}}, hostileAllocLimit)
		if code != exitInput || !strings.Contains(errOut, `column "deep"`) || !strings.Contains(errOut, "nested") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
}

// goodRowsWithPrefix returns n pair lines, each after prefix.
func goodRowsWithPrefix(prefix string, n int) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(goodRows(n), "\n") {
		if line != "" {
			b.WriteString(prefix + line)
		}
	}
	return b.String()
}

// writeWideParquet writes one row group with cols int32 columns c0, c1, ...
// then before and after.
func writeWideParquet(t *testing.T, path string, cols int) {
	t.Helper()
	fields := make([]arrow.Field, 0, cols+2)
	for i := range cols {
		fields = append(fields, arrow.Field{Name: fmt.Sprintf("c%d", i), Type: arrow.PrimitiveTypes.Int32})
	}
	fields = append(fields, arrow.Field{Name: "before", Type: arrow.PrimitiveTypes.Float64}, arrow.Field{Name: "after", Type: arrow.PrimitiveTypes.Float64})
	sc := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	for i := range cols {
		b.Field(i).(*array.Int32Builder).Append(int32(i))
	}
	b.Field(cols).(*array.Float64Builder).Append(1)
	b.Field(cols + 1).(*array.Float64Builder).Append(2)
	writeRecord(t, path, sc, b)
}

// writeDeepParquet writes a struct column nested depth levels deep beside
// a plain after column.
func writeDeepParquet(t *testing.T, path string, depth int) {
	t.Helper()
	var typ arrow.DataType = arrow.PrimitiveTypes.Float64
	for range depth {
		typ = arrow.StructOf(arrow.Field{Name: "x", Type: typ, Nullable: true})
	}
	sc := arrow.NewSchema([]arrow.Field{{Name: "deep", Type: typ, Nullable: true}, {Name: "after", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	for i := range 3 {
		var vb array.Builder = b.Field(0)
		for range depth {
			sb := vb.(*array.StructBuilder)
			sb.Append(true)
			vb = sb.FieldBuilder(0)
		}
		vb.(*array.Float64Builder).Append(float64(i))
		b.Field(1).(*array.Float64Builder).Append(float64(i))
	}
	writeRecord(t, path, sc, b)
}

func writeRecord(t *testing.T, path string, sc *arrow.Schema, b *array.RecordBuilder) {
	t.Helper()
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(sc, f, parquet.NewWriterProperties(parquet.WithDictionaryDefault(false), parquet.WithStats(false)), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
