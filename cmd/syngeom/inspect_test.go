package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// runCLI runs syngeom in-process.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	return code, out.String(), errb.String()
}

// testParquet returns a small Parquet file: columns before/after (double,
// nullable), name (string) and, with nested, a list column "sizes".
func testParquet(t *testing.T, nested bool, codec compress.Compression) []byte {
	t.Helper()
	fields := []arrow.Field{
		{Name: "before", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "after", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String},
	}
	if nested {
		fields = append(fields, arrow.Field{Name: "sizes", Type: arrow.ListOf(arrow.PrimitiveTypes.Float64)})
	}
	sc := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	for i := range 200 {
		b.Field(0).(*array.Float64Builder).Append(1 + float64(i)/7)
		b.Field(1).(*array.Float64Builder).Append(2 + float64(i*i%13))
		b.Field(2).(*array.StringBuilder).Append("s" + string(rune('a'+i%26)))
		if nested {
			lb := b.Field(3).(*array.ListBuilder)
			lb.Append(true)
			lb.ValueBuilder().(*array.Float64Builder).Append(float64(i))
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	w, err := pqarrow.NewFileWriter(sc, &buf, parquet.NewWriterProperties(parquet.WithCompression(codec), parquet.WithDictionaryDefault(false)), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipped(t *testing.T, s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.Bytes()
}

// TestInspectMalformed runs inspect on bad input: each case must exit 2 with
// a one-line message naming the file, the place (line, or row group and
// row) and the column where the format allows.
func TestInspectMalformed(t *testing.T) {
	pq := testParquet(t, false, compress.Codecs.Uncompressed)
	pqSnappy := testParquet(t, false, compress.Codecs.Snappy)
	pqNested := testParquet(t, true, compress.Codecs.Uncompressed)

	// A Parquet file whose footer declares more metadata than the file holds.
	hugeFooter := bytes.Clone(pq)
	binary.LittleEndian.PutUint32(hugeFooter[len(hugeFooter)-8:], 0x7fffffff)
	// Bad magic at the end.
	badMagic := bytes.Clone(pq)
	copy(badMagic[len(badMagic)-4:], "PARX")
	// Corrupt compressed data inside the first column chunk (after the page
	// header), so the metadata is intact but decoding fails.
	corruptPage := bytes.Clone(pqSnappy)
	for i := 40; i < 200; i++ {
		corruptPage[i] = 0xff
	}
	// Garbage metadata of the declared length.
	badMeta := bytes.Clone(pq)
	n := int(binary.LittleEndian.Uint32(badMeta[len(badMeta)-8:]))
	for i := len(badMeta) - 8 - n; i < len(badMeta)-8; i++ {
		badMeta[i] = 0xee
	}
	// Metadata whose schema list declares 10^8 elements in a 16-byte footer:
	// must fail fast, not reserve memory for them.
	listBomb := []byte("PAR1\x15\x04\x19\xfc\x80\xc2\xd7\x2f\x00\x00\x00\x00\x00\x00\x00\x00")
	listBomb = binary.LittleEndian.AppendUint32(listBomb, uint32(len(listBomb)-4))
	listBomb = append(listBomb, "PAR1"...)
	badGzip := append(gzipped(t, "before,after\n1,2\n3,4\n")[:20], bytes.Repeat([]byte{0x55}, 40)...)
	binary := append([]byte("before,after\n1,2\n"), 0, 1, 2, 3)

	cases := []struct {
		name  string
		files map[string][]byte
		args  []string // FILE arguments are file names in the case's directory
		want  []string
	}{
		{"text as number", map[string][]byte{"pairs.csv": []byte("before,after\n1,2\n3,abc\n")}, []string{"pairs.csv"},
			[]string{"pairs.csv", "line 3", `column "after"`, `"abc" is not a number`}},
		{"text in TSV", map[string][]byte{"w.tsv": []byte("pre\tpost\n1\tNA\n2\tn.a.\n")}, []string{"w.tsv"},
			[]string{"w.tsv", "line 3", `column "post"`, `"n.a."`}},
		{"hexadecimal float", map[string][]byte{"h.csv": []byte("w0,w1\n0x1p3,2\n")}, []string{"h.csv"},
			[]string{"h.csv", "line 2", `column "w0"`, "not a number"}},
		{"text in gzip CSV", map[string][]byte{"z.csv.gz": gzipped(t, "before,after\n1,2\n\n3,x4\n")}, []string{"z.csv.gz"},
			[]string{"z.csv.gz", "line 4", `column "after"`, `"x4"`}},
		{"text after quoted line", map[string][]byte{"q.csv": []byte("before,after,note\n1,2,\"a, b\"\n3,4,c\n5,?,d\n")}, []string{"q.csv"},
			[]string{"q.csv", "line 4", `column "after"`, `"?"`}},
		{"too many fields", map[string][]byte{"f.csv": []byte("before,after\n1,2\n3,4\n5,6,7\n")}, []string{"f.csv"},
			[]string{"f.csv", "line 4", "3 fields", "2 columns"}},
		{"unclosed quote", map[string][]byte{"u.csv": []byte("before,after\n1,2\n\"3,4\n")}, []string{"u.csv"},
			[]string{"u.csv", "line 3", "quoted field is not closed"}},
		{"bare quote", map[string][]byte{"b.csv": []byte("before,after\n1,2\n3,4\"x\"\n")}, []string{"b.csv"},
			[]string{"b.csv", "line 3", "quote"}},
		{"duplicate column", map[string][]byte{"d.csv": []byte("before,after,before\n1,2,3\n")}, []string{"d.csv"},
			[]string{"d.csv", "line 1", `column "before"`, "duplicate column name"}},
		{"empty file", map[string][]byte{"e.csv": nil}, []string{"e.csv"},
			[]string{"e.csv", "empty file"}},
		{"binary as CSV", map[string][]byte{"bin.csv": binary}, []string{"bin.csv"},
			[]string{"bin.csv", "binary data"}},
		{"no weight columns", map[string][]byte{"n.csv": []byte("x,y,z\n1,2,3\n")}, []string{"n.csv"},
			[]string{"n.csv", "cannot tell which columns", `"x", "y", "z"`}},
		{"ambiguous pairs", map[string][]byte{"a.csv": []byte("before,after,pre,post\n1,2,3,4\n")}, []string{"a.csv"},
			[]string{"a.csv", "several column pairs", `"before"/"after"`, `"pre"/"post"`}},
		{"absent flag column", map[string][]byte{"p.csv": []byte("before,after\n1,2\n")}, []string{"p.csv", "--before", "w_pre", "--after", "after"},
			[]string{"p.csv", `no column "w_pre"`, `"before", "after"`}},
		{"duplicate id and time", map[string][]byte{"l.csv": []byte("synapse_id,session,value\na,0,1\na,1,2\nb,0,3\na,1,4\n")}, []string{"l.csv"},
			[]string{"l.csv", "line 5", `column "session"`, `"a" has a second row`, "line 3"}},
		{"three sessions without choice", map[string][]byte{"l3.csv": []byte("id,day,value\na,1,1\na,2,2\na,3,3\n")}, []string{"l3.csv"},
			[]string{"l3.csv", `column "day"`, "3 distinct values", "--from and --to"}},
		{"absent session", map[string][]byte{"l2.csv": []byte("id,time,weight\na,0,1\na,1,2\n")}, []string{"l2.csv", "--from", "0", "--to", "9"},
			[]string{"l2.csv", `column "time"`, `no rows at time "9"`, "0, 1"}},
		{"empty id", map[string][]byte{"li.csv": []byte("id,time,value\na,0,1\n,1,2\n")}, []string{"li.csv"},
			[]string{"li.csv", "line 3", `column "id"`, "empty id"}},
		{"text value in long table", map[string][]byte{"lv.csv": []byte("id,time,green\na,0,1\na,1,bright\n")}, []string{"lv.csv", "--value", "green"},
			[]string{"lv.csv", "line 3", `column "green"`, `"bright"`}},
		{"CSV named parquet", map[string][]byte{"x.parquet": []byte("before,after\n1,2\n")}, []string{"x.parquet"},
			[]string{"x.parquet", "not a Parquet file", "PAR1"}},
		{"Parquet named csv", map[string][]byte{"y.csv": pq}, []string{"y.csv"},
			[]string{"y.csv", "Parquet file, not CSV"}},
		{"gz name, plain content", map[string][]byte{"g.csv.gz": []byte("before,after\n1,2\n")}, []string{"g.csv.gz"},
			[]string{"g.csv.gz", "not gzip"}},
		{"corrupt gzip", map[string][]byte{"c.csv.gz": badGzip}, []string{"c.csv.gz"},
			[]string{"c.csv.gz", "gzip"}},
		{"truncated Parquet", map[string][]byte{"t.parquet": pq[:len(pq)/2]}, []string{"t.parquet"},
			[]string{"t.parquet", "corrupt or truncated Parquet"}},
		{"Parquet bad magic", map[string][]byte{"m.parquet": badMagic}, []string{"m.parquet"},
			[]string{"m.parquet", "magic"}},
		{"Parquet absurd footer size", map[string][]byte{"s.parquet": hugeFooter}, []string{"s.parquet"},
			[]string{"s.parquet", "corrupt or truncated Parquet"}},
		{"Parquet garbage metadata", map[string][]byte{"gm.parquet": badMeta}, []string{"gm.parquet"},
			[]string{"gm.parquet", "corrupt"}},
		{"Parquet metadata list bomb", map[string][]byte{"lb.parquet": listBomb}, []string{"lb.parquet"},
			[]string{"lb.parquet", "corrupt or truncated Parquet"}},
		{"Parquet corrupt page", map[string][]byte{"cp.parquet": corruptPage}, []string{"cp.parquet"},
			[]string{"cp.parquet", "row group 0", "row 0", `column "before"`, "corrupt"}},
		{"Parquet text as weight", map[string][]byte{"tx.parquet": pq}, []string{"tx.parquet", "--before", "name", "--after", "after"},
			[]string{"tx.parquet", `column "name"`, "string values, not numbers"}},
		{"Parquet nested column", map[string][]byte{"ns.parquet": pqNested}, []string{"ns.parquet", "--before", "sizes", "--after", "after"},
			[]string{"ns.parquet", `column "sizes"`, "a nested column (list)"}},
		{"second file lacks a column", map[string][]byte{"one.csv": []byte("before,after\n1,2\n"), "two.csv": []byte("before,later\n1,2\n")}, []string{"one.csv", "two.csv"},
			[]string{"two.csv", `no column "after"`, `"before", "later"`}},
		{"missing file", map[string][]byte{}, []string{"absent.csv"},
			[]string{"absent.csv", "cannot open"}},
		{"bad zero policy", map[string][]byte{"z.csv": []byte("before,after\n1,2\n")}, []string{"z.csv", "--zero", "maybe"},
			[]string{"--zero", `"maybe"`}},
		{"from without to", map[string][]byte{"ft.csv": []byte("id,time,value\na,0,1\n")}, []string{"ft.csv", "--from", "0"},
			[]string{"--from and --to go together"}},
		{"consecutive with from", map[string][]byte{"cf.csv": []byte("id,time,value\na,0,1\n")}, []string{"cf.csv", "--consecutive", "--from", "0", "--to", "1"},
			[]string{"--consecutive", "--from/--to"}},
		{"bad delimiter flag", map[string][]byte{"dl.csv": []byte("a\n")}, []string{"dl.csv", "--delimiter", "ab"},
			[]string{"delimiter", `"ab"`}},
		{"unknown format", map[string][]byte{"uf.csv": []byte("before,after\n1,2\n")}, []string{"uf.csv", "--format", "xlsx"},
			[]string{"unknown format", `"xlsx"`}},
	}
	if len(cases) < 25 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range c.files {
				if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"inspect"}
			for _, a := range c.args {
				if _, ok := c.files[a]; ok || strings.HasSuffix(a, ".csv") && !strings.HasPrefix(a, "-") {
					a = filepath.Join(dir, a)
				}
				args = append(args, a)
			}
			code, _, stderr := runCLI(args...)
			if code != exitInput {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitInput, stderr)
			}
			msg := strings.TrimSpace(stderr)
			if first, _, _ := strings.Cut(msg, "\n"); !strings.HasPrefix(first, "syngeom inspect: ") {
				t.Errorf("message does not start with the command: %q", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") {
				t.Errorf("message shows a crash:\n%s", msg)
			}
		})
	}
}

func TestInspectText(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.csv")
	os.WriteFile(path, []byte("synapse,cell,pre,post\n1,pyr,1.5,2\n2,pv,,3\n3,pyr,0,-1\n4,pv,inf,2\n"), 0o644)
	code, out, stderr := runCLI("inspect", path, "--group", "cell")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{
		"format   csv", "rows     4",
		"pre      number  3 (1 ±Inf)  0    1.5  1.5  before",
		"shape    paired", `group = "cell"`, "pairs    2",
		"excluded missing 1, non finite 1 (pairs left out, by reason)",
		"flagged  1 negative weight, 1 zero weight (kept in the table and counted",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestInspectJSON(t *testing.T) {
	fixture := filepath.Join("..", "..", "ingest", "testdata", "fixtures", "pairs_duckdb_zstd.parquet")
	code, out, stderr := runCLI("inspect", fixture, "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		File    string `json:"file"`
		Format  string `json:"format"`
		Rows    int64  `json:"rows"`
		Columns []struct {
			Name    string   `json:"name"`
			Type    string   `json:"type"`
			NonNull int64    `json:"non_null"`
			Min     *float64 `json:"min"`
			Max     *float64 `json:"max"`
			Sum     *float64 `json:"sum"`
			Role    string   `json:"role"`
		} `json:"columns"`
		Shape    string           `json:"shape"`
		Pairs    int64            `json:"pairs"`
		Excluded map[string]int64 `json:"excluded"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if got.File != fixture || got.Format != "parquet" || got.Rows != 5000 || got.Shape != "paired" || got.Pairs != 4891 || got.Excluded["missing"] != 109 {
		t.Errorf("got %+v", got)
	}
	if len(got.Columns) != 4 {
		t.Fatalf("%d columns, want 4", len(got.Columns))
	}
	c := got.Columns[2]
	if c.Name != "before" || c.Type != "double" || c.NonNull != 4948 || c.Role != "before" || c.Sum == nil || *c.Sum < 4132.38 || *c.Sum > 4132.39 {
		t.Errorf("before column: %+v", c)
	}
	if got.Columns[1].Name != "cell_type" || got.Columns[1].Sum != nil || got.Columns[1].Role != "" {
		t.Errorf("cell_type column: %+v", got.Columns[1])
	}

	// --json PATH writes the same document and keeps the text on stdout.
	path := filepath.Join(t.TempDir(), "report.json")
	code, text, _ := runCLI("inspect", fixture, "--json", path)
	if code != exitOK || !strings.Contains(text, "pairs    4891") {
		t.Fatalf("exit %d, text:\n%s", code, text)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != out {
		t.Error("the JSON file differs from the JSON on stdout")
	}
}

func TestInspectUsage(t *testing.T) {
	if code, _, stderr := runCLI("inspect"); code != exitInput || !strings.Contains(stderr, "at least one FILE") {
		t.Errorf("no file: exit %d, %q", code, stderr)
	}
	if code, out, _ := runCLI("help", "inspect"); code != exitOK || !strings.Contains(out, "--consecutive") || !strings.Contains(out, "--json") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
}
