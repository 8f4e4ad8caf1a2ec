package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

func TestCommandLineQuoting(t *testing.T) {
	got := commandLine([]string{"analyze", "my data.csv", "--cite", "O'Neil (2020)", "--group=dendrite_id", ""})
	want := `syngeom analyze 'my data.csv' --cite 'O'\''Neil (2020)' --group=dendrite_id ''`
	if got != want {
		t.Errorf("commandLine = %s, want %s", got, want)
	}
	if v := buildVersion(); v == "" {
		t.Error("empty version")
	}
}

// writeCitedParquet writes a paired table with the key-value metadata
// citation.
func writeCitedParquet(t *testing.T, path, citation string) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{{Name: "before", Type: arrow.PrimitiveTypes.Float64}, {Name: "after", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range 200 {
		w0 := 0.5 + float64(i%37)/10
		b.Field(0).(*array.Float64Builder).Append(w0)
		b.Field(1).(*array.Float64Builder).Append(w0 * (1 + 0.1*float64(i%7-3)/3))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(schema, f, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AppendKeyValueMetadata("citation", citation); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAnalyzeCitationAndUnit: --cite, or else the Parquet metadata, reaches
// the text, the JSON and the HTML methods; --unit reaches the axes; the
// command line and a version are in the methods.
func TestAnalyzeCitationAndUnit(t *testing.T) {
	dir := t.TempDir()
	pq := filepath.Join(dir, "cited.parquet")
	writeCitedParquet(t, pq, "Doe J (2020). Spine sizes. Zenodo")
	fast := []string{"--candidates", "NE,2", "--bootstrap", "0", "--null-replicates", "5", "--gof-samples", "0"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "Doe J (2020). Spine sizes. Zenodo"},
		{[]string{"--cite", "Roe R (2021), given"}, "Roe R (2021), given"},
	} {
		html, js := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.json")
		args := append(append([]string{"analyze", pq, "--html", html, "--json", js, "--unit", "µm³"}, fast...), c.args...)
		out, _ := runAnalyze(t, args...)
		if !strings.Contains(out, "Data        "+c.want) {
			t.Errorf("text lacks the citation %q:\n%s", c.want, out)
		}
		var doc struct {
			Input struct {
				Citation string `json:"citation"`
			} `json:"input"`
		}
		b, err := os.ReadFile(js)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &doc); err != nil || doc.Input.Citation != c.want {
			t.Errorf("JSON citation %q (%v), want %q", doc.Input.Citation, err, c.want)
		}
		page, err := os.ReadFile(html)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"Data: " + c.want, "Command line: syngeom analyze " + pq, "version ", "(µm³)", "Figure 1. "} {
			if !strings.Contains(string(page), s) {
				t.Errorf("HTML lacks %q", s)
			}
		}
	}
}
