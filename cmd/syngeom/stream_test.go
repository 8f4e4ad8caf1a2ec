package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/ingest"
)

// writeStreamPairs writes n simulated pairs with a cell-type column.
func writeStreamPairs(t *testing.T, path string, n int, seed uint64) {
	t.Helper()
	writeStreamTable(t, path, n, seed, false)
}

// writeStreamTable writes n simulated pairs with a cell-type column and,
// with ids, a column of unique synapse ids first.
func writeStreamTable(t *testing.T, path string, n int, seed uint64, ids bool) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 5))
	w0, w1, cell, id := make([]float64, n), make([]float64, n), make([]string, n), make([]string, n)
	for i := range w0 {
		w0[i] = math.Exp(rng.NormFloat64())
		w1[i] = w0[i] * math.Exp(0.15*rng.NormFloat64())
		cell[i] = []string{"pyr", "PV"}[rng.IntN(2)]
		id[i] = fmt.Sprintf("s%d", i)
	}
	cols := []ingest.ColumnSpec{{Name: "day0", Kind: ingest.Float64Column},
		{Name: "day4", Kind: ingest.Float64Column}, {Name: "cell", Kind: ingest.StringColumn}}
	data := []ingest.ColumnData{{Float: w0}, {Float: w1}, {String: cell}}
	if ids {
		cols = append([]ingest.ColumnSpec{{Name: "synapse_id", Kind: ingest.StringColumn}}, cols...)
		data = append([]ingest.ColumnData{{String: id}}, data...)
	}
	w, err := ingest.NewWriter(path, cols, ingest.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// The default test of a wide table of pairs without synapse ids, grouped
// or not, runs the two-pass engine: the document of --stream, byte for
// byte. A table with unique synapse ids is read into memory; its document
// is the same but for the id column.
func TestStreamFlagMatchesInMemory(t *testing.T) {
	dir := t.TempDir()
	path, withIDs := filepath.Join(dir, "pairs.parquet"), filepath.Join(dir, "ids.parquet")
	writeStreamPairs(t, path, 12000, 1)
	writeStreamTable(t, withIDs, 12000, 1, true)
	run := func(args ...string) (string, map[string]any) {
		t.Helper()
		args = append(args, "--before", "day0", "--after", "day4", "--bootstrap", "10", "--null-replicates", "20", "--json", "-")
		code, out, stderr := runCLI(args...)
		var doc map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		return out, doc
	}
	def, _ := run("test", path)
	str, ds := run("test", path, "--stream")
	if def != str {
		t.Errorf("test --stream differs from test:\n%.600s\n---\n%.600s", str, def)
	}
	_, dm := run("test", withIDs)
	in := dm["input"].(map[string]any)
	if in["columns"].(map[string]any)["id"] != "synapse_id" {
		t.Fatalf("the table with ids was not read with its ids: %v", in)
	}
	delete(in["columns"].(map[string]any), "id")
	in["files"] = ds["input"].(map[string]any)["files"]
	in["notes"] = ds["input"].(map[string]any)["notes"] // the note on the detected id column
	var diffs []string
	compareJSON("$", dm, ds, &diffs)

	// Groups: streamed by default too.
	mem, dm := run("test", path, "--group", "cell")
	strGroups, ds := run("test", path, "--group", "cell", "--stream")
	if !strings.Contains(mem, `"group": "PV"`) || ds["noise_aware"] == nil {
		t.Errorf("no group results or no streamed group comparison in %.300s", mem)
	}
	compareJSON("$", dm, ds, &diffs)
	if mem != strGroups {
		diffs = append(diffs, "grouped: the default and --stream documents differ")
	}
	if len(diffs) > 0 {
		t.Errorf("the default and streamed documents differ:\n%s", strings.Join(diffs, "\n"))
	}
	code, text, stderr := runCLI("test", path, "--before", "day0", "--after", "day4", "--stream", "--bootstrap", "0", "--null-replicates", "0")
	if code != 0 || !strings.Contains(text, "12000 pairs") || !strings.Contains(text, "λ̂ =") {
		t.Errorf("text output: exit %d, %q, %s", code, text, stderr)
	}
}

func TestStreamFlagRefusals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.parquet")
	writeStreamPairs(t, path, 100, 2)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--group-by-step"}, "--group-by-step needs a long table paired with --consecutive"},
		{[]string{"--unpaired"}, "streaming needs a table of pairs"},
	} {
		code, _, stderr := runCLI(append([]string{"test", path, "--stream"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q (want 2 and %q)", c.args, code, stderr, c.want)
		}
	}
}

// analyze --stream writes the JSON of the default analysis, byte for byte,
// the common-λ model of the groups included: a table of independent pairs
// streams by default, grouped or not (that the in-memory analysis gives
// the same document is tested in package analysis, TestRunStreamEqualsRun and
// TestStreamedGroupsWithDifferentGeometries).
func TestAnalyzeStreamMatchesInMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.parquet")
	writeStreamPairs(t, path, 12000, 3)
	args := []string{"analyze", path, "--before", "day0", "--after", "day4", "--group", "cell",
		"--bootstrap", "5", "--null-replicates", "10", "--gof-samples", "5", "--json", "-"}
	memPage, strPage := filepath.Join(t.TempDir(), "mem.html"), filepath.Join(t.TempDir(), "str.html")
	code, mem, stderr := runCLI(append(args, "--html", memPage)...)
	if code != 0 {
		t.Fatalf("in memory: exit %d: %s", code, stderr)
	}
	code, str, stderr := runCLI(append(args, "--stream", "--html", strPage)...)
	if code != 0 {
		t.Fatalf("streaming: exit %d: %s", code, stderr)
	}
	// The default, here with --html, against plain JSON.
	if code, def, stderr := runCLI(args...); code != 0 || def != mem {
		t.Errorf("the default analyze (exit %d, %s) differs from the one with --html:\n%.600s\n---\n%.600s", code, stderr, def, mem)
	}
	plain := []string{"analyze", path, "--before", "day0", "--after", "day4", "--bootstrap", "5", "--null-replicates", "10", "--gof-samples", "5", "--json", "-"}
	code, def, stderr := runCLI(plain...)
	code2, str2, stderr2 := runCLI(append(plain, "--stream")...)
	if code != 0 || code2 != 0 || def != str2 {
		t.Errorf("the default analyze without groups (exit %d, %s) differs from --stream (exit %d, %s):\n%.600s\n---\n%.600s", code, stderr, code2, stderr2, def, str2)
	}
	var dm, ds map[string]any
	if json.Unmarshal([]byte(mem), &dm) != nil || json.Unmarshal([]byte(str), &ds) != nil {
		t.Fatal("output is not JSON")
	}
	var diffs []string
	if ds["group_comparison"] == nil {
		diffs = append(diffs, "no group comparison streamed")
	}
	compareJSON("$", dm, ds, &diffs)
	if len(diffs) > 0 || mem != str {
		t.Errorf("analyze --stream differs from the default analysis:\n%s", strings.Join(diffs, "\n"))
	}
	if !strings.Contains(str, `"pairs_used": 12000`) || !strings.Contains(str, `"group": "PV"`) {
		t.Errorf("unexpected document %.400s", str)
	}
	// --stream --html draws the figures of the default page: the same
	// figures with the same captions.
	memFigs, strFigs := pageFigures(t, memPage), pageFigures(t, strPage)
	if len(memFigs) < 10 || !slices.Equal(memFigs, strFigs) {
		t.Errorf("the streamed page's figures differ from the default page's:\n%s\n---\n%s", strings.Join(strFigs, "\n"), strings.Join(memFigs, "\n"))
	}
	// --stream --shifts reads the file a third time and writes the shifts
	// of the default analysis.
	memShifts, strShifts := filepath.Join(t.TempDir(), "mem.csv"), filepath.Join(t.TempDir(), "str.csv")
	grouped := []string{"analyze", path, "--before", "day0", "--after", "day4", "--group", "cell", "--bootstrap", "0", "--null-replicates", "0", "--gof-samples", "0", "--quiet", "--shift-geometry", "2"}
	code, _, stderr = runCLI(append(grouped, "--shifts", memShifts)...)
	code2, _, stderr2 = runCLI(append(grouped, "--stream", "--shifts", strShifts)...)
	if code != 0 || code2 != 0 {
		t.Fatalf("--shifts: exit %d (%s) in memory, %d (%s) streamed", code, stderr, code2, stderr2)
	}
	a, b := readBytes(t, memShifts), readBytes(t, strShifts)
	if !bytes.Equal(a, b) || !bytes.HasPrefix(a, []byte("pair,group,w0,w1,shift\n")) || bytes.Count(a, []byte("\n")) != 12001 {
		t.Errorf("--stream --shifts wrote %d bytes, the default analysis %d; starts %.80q", len(b), len(a), b)
	}
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pageFigures returns the captions of the figures of an HTML page, with a
// count of its SVG elements first.
func pageFigures(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	out := []string{fmt.Sprintf("%d svg", strings.Count(html, "<svg"))}
	for _, part := range strings.Split(html, "<figcaption>")[1:] {
		out = append(out, part[:strings.Index(part, "</figcaption>")])
	}
	return out
}

// With --stream a wide table's synapse ids are read as in memory: ids
// that never repeat are found so (ingest.DistinctIDs) and change nothing,
// so the document is the default's, and no note says they are unread.
func TestStreamReadsIDs(t *testing.T) {
	args := []string{"test", "testdata/golden/analyze_pairs.csv", "--bootstrap", "0", "--null-replicates", "0", "--json", "-"}
	_, def, _ := runCLI(args...)
	code, js, stderr := runCLI(append(args, "--stream")...)
	if code != 0 || js != def || strings.Contains(js, "is not read when streaming") || !strings.Contains(js, `"id": "id"`) {
		t.Errorf("exit %d (%s); the same document as without --stream: %v\n%.800s", code, stderr, js == def, js)
	}
}
