package analysis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// testOptions are fast settings of the test document: two candidates, no
// resampling.
func testOptions(t *testing.T) analysis.TestOptions {
	t.Helper()
	cands, err := geometry.ParseCandidates("NE,2")
	if err != nil {
		t.Fatal(err)
	}
	return analysis.TestOptions{Test: testgeom.Options{Candidates: cands, Seed: 1}, Noise: analysis.DefaultTestNoise()}
}

// TestTestDataNoiseAware: paired data in two groups with a given noise get
// the paired document with every candidate scored on the pairs kept, the
// common-λ test of the groups and a noise-corrected λ̂, pooled and per group.
func TestTestDataNoiseAware(t *testing.T) {
	before, after := pairs(600)
	before[0] = math.NaN()
	group := make([]string, len(before))
	for i := range group {
		group[i] = []string{"a", "b"}[i%2]
	}
	d, err := ingest.FromSlices(ingest.Slices{Name: "spines", Before: before, After: after, Group: group})
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	o.Noise.CV, o.Noise.Replicates, o.Noise.Bootstrap = 0.1, 4, 0
	doc, err := analysis.TestData(context.Background(), d, o)
	if err != nil {
		t.Fatal(err)
	}
	p := doc.Paired
	if p == nil || doc.Unpaired != nil || doc.Snapshot != nil {
		t.Fatalf("paired data gave the document %+v", doc)
	}
	if p.Input.Pairs != 599 || p.Input.Excluded["missing"] != 1 {
		t.Errorf("input: %d pairs, excluded %v; want 599 and one missing", p.Input.Pairs, p.Input.Excluded)
	}
	if len(p.Geometry.Candidates) != 2 || p.Geometry.N != 599 || len(p.Groups) != 2 {
		t.Errorf("geometry: %d candidates, n %d, %d groups; want 2, 599, 2", len(p.Geometry.Candidates), p.Geometry.N, len(p.Groups))
	}
	n := p.NoiseAware
	if n == nil || n.Correction == nil || n.Correction.Lambda == nil || len(n.GroupCorrection) != 2 || n.Groups == nil {
		t.Fatalf("noise-aware part %+v: want a corrected λ̂, two group corrections and the group comparison", n)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"schema":"syngeom/1"`, `"noise_aware":`, `"correction":`, `"group_comparison":`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

// TestTestStreamedLikeInMemory: a wide table of pairs is read in two
// passes by Test, and the document encodes as the in-memory one.
func TestTestStreamedLikeInMemory(t *testing.T) {
	before, after := pairs(500)
	var csv strings.Builder
	csv.WriteString("before,after\n")
	for i := range before {
		fmt.Fprintf(&csv, "%v,%v\n", before[i], after[i])
	}
	path := filepath.Join(t.TempDir(), "pairs.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	streamed, inMemory := testBothWays(t, path, testOptions(t))
	a, _ := json.Marshal(streamed)
	b, _ := json.Marshal(inMemory)
	if !bytes.Equal(a, b) {
		t.Errorf("streamed and in-memory documents differ:\n%s\n%s", a, b)
	}
	if streamed.Paired == nil || streamed.Paired.Input.Pairs != 500 {
		t.Errorf("streamed document %+v: want 500 pairs", streamed.Paired)
	}
}

// TestTestOptionErrors: settings that cannot be used are OptionErrors,
// which are input errors, and an unpaired input gets the unpaired document.
func TestTestOptionErrors(t *testing.T) {
	before, after := pairs(200)
	d, err := ingest.FromSlices(ingest.Slices{Before: before, After: after})
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	o.Noise.ControlGroup = "ctrl"
	_, err = analysis.TestData(context.Background(), d, o)
	var oe *analysis.OptionError
	if !errors.As(err, &oe) || !errors.Is(err, analysis.ErrInput) {
		t.Errorf("a control group without groups: %v; want an OptionError", err)
	}
	o = testOptions(t)
	o.Stream, o.GroupByStep = true, true
	if _, err := analysis.Test(context.Background(), []string{"x.csv"}, o); !errors.As(err, &oe) {
		t.Errorf("steps as groups without consecutive pairs: %v; want an OptionError", err)
	}
	u, err := ingest.FromSlices(ingest.Slices{Before: before, After: after[:150], Unpaired: true})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := analysis.TestData(context.Background(), u, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(doc)
	if doc.Unpaired == nil || doc.Unpaired.Input.NBefore != 200 || !bytes.Contains(b, []byte(`"shape":"unpaired"`)) {
		t.Errorf("unpaired data gave %s", b)
	}
}

// The document of syngeom test on weights in memory: the paired test, here
// with a given measurement noise of 10% and its corrected λ̂.
func ExampleTestData() {
	before, after := pairs(1000)
	d, err := ingest.FromSlices(ingest.Slices{Name: "spines", Before: before, After: after})
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := analysis.TestOptions{Test: testgeom.DefaultOptions(), Noise: analysis.DefaultTestNoise()}
	opts.Test.Candidates, _ = geometry.ParseCandidates("NE,2")
	opts.Test.Bootstrap, opts.Test.NullReplicates = 0, 0 // no resampling, to keep the example fast
	opts.Noise.CV, opts.Noise.Replicates, opts.Noise.Bootstrap = 0.1, 4, 0
	doc, err := analysis.TestData(context.Background(), d, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pairs:", doc.Paired.Input.Pairs, "best by likelihood:", doc.Paired.Geometry.BestByLikelihood)
	fmt.Println("noise-corrected λ̂ present:", doc.Paired.NoiseAware.Correction.Lambda != nil)
	// Output:
	// pairs: 1000 best by likelihood: NE
	// noise-corrected λ̂ present: true
}

// TestTestStreamedNoiseLikeInMemory: the noise correction, the control
// comparison and the group comparison read what the second passes hold,
// in memory (TestData) and streamed (Test, which streams grouped tables by
// default) alike. The documents are the same byte for byte, with pairs the
// passes keep in full and with pairs they subsample (the groups' too, each
// then profiled from its passes), where the noise and control analyses
// say that they use the subsample.
func TestTestStreamedNoiseLikeInMemory(t *testing.T) {
	before, after := pairs(900)
	dir := t.TempDir()
	write := func(name string, lo, hi int) string {
		var csv strings.Builder
		csv.WriteString("before,after,cell\n")
		for i := lo; i < hi; i++ {
			fmt.Fprintf(&csv, "%v,%v,%s\n", before[i], after[i], []string{"a", "b", "c"}[i%3])
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	path, control := write("pairs.csv", 0, 700), write("control.csv", 700, 900)
	same := func(what string, o analysis.TestOptions) *analysis.NoiseAware {
		t.Helper()
		streamed, inMemory := testBothWays(t, path, o)
		a, _ := json.Marshal(streamed)
		b, _ := json.Marshal(inMemory)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: streamed and in-memory documents differ:\n%.2000s\n%.2000s", what, a, b)
		}
		return streamed.Paired.NoiseAware
	}
	o := testOptions(t)
	o.Ingest.Group = "cell"
	o.Noise.CV, o.Noise.Replicates, o.Noise.Bootstrap, o.Noise.Control = 0.1, 4, 0, control
	n := same("a control table", o)
	if n == nil || n.Correction == nil || n.Control == nil || n.Groups == nil || len(n.GroupCorrection) != 3 || n.Note != "" {
		t.Fatalf("noise-aware part %+v: want a correction, a control comparison, the groups compared, three group corrections and no note", n)
	}
	// A control group: the learning pairs are the other groups'.
	o.Noise.Control, o.Noise.ControlGroup = "", "b"
	n = same("a control group", o)
	if n == nil || n.Control == nil || n.Control.Learning.N != 467 || n.Control.Control.N != 233 || n.Groups != nil || len(n.GroupCorrection) != 2 {
		t.Fatalf("control group: %+v; want 467 learning and 233 control pairs, no group comparison, two groups corrected", n)
	}
	o.Noise.Control, o.Noise.ControlGroup = control, ""
	// Second passes that keep about 150 of the 700 pairs, and of each
	// group's 233 or 234.
	o.Test.SampleMax = 150
	n = same("subsampled", o)
	if n == nil || n.Correction == nil || n.Correction.N >= 700 || n.Correction.N < 100 || !strings.Contains(n.Note, "random subsample of the 700 pairs") {
		t.Fatalf("subsampled: correction on %v pairs, note %q", n.Correction.N, n.Note)
	}
	if g := n.Groups; g == nil || g.Note == "" || g.Groups[1].ShiftN != 233 || g.StepModelTest == nil || !strings.HasPrefix(g.StepModelTest.Note, "not run") {
		t.Errorf("subsampled groups compared: note %q, step model test %+v, group b's shift of %d pairs; want them profiled from their passes, with the shift of all 233 pairs and no Student-t fit", g.Note, g.StepModelTest, g.Groups[1].ShiftN)
	}
}

// testBothWays is Test on the file (streamed, for a table of independent
// pairs) and TestData on the file read into memory.
func testBothWays(t *testing.T, path string, o analysis.TestOptions) (streamed, inMemory *analysis.TestDocument) {
	t.Helper()
	streamed, err := analysis.Test(context.Background(), []string{path}, o)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ingest.Load([]string{path}, o.Ingest)
	if err != nil {
		t.Fatal(err)
	}
	if inMemory, err = analysis.TestData(context.Background(), d, o); err != nil {
		t.Fatal(err)
	}
	return streamed, inMemory
}

// A wide table whose synapse ids never repeat streams by default and gives
// the in-memory document, its id column and notes included; with a
// repeated id it is read into memory, where the pairs of that id are one
// synapse's.
func TestDistinctIDsStream(t *testing.T) {
	before, after := pairs(600)
	dir := t.TempDir()
	write := func(name string, id func(i int) int) string {
		var csv strings.Builder
		csv.WriteString("synapse_id,before,after\n")
		for i := range before {
			fmt.Fprintf(&csv, "s%d,%v,%v\n", id(i), before[i], after[i])
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	o := testOptions(t)
	o.Test.SampleMax = 200 // the second pass keeps a subsample
	streamed, inMemory := testBothWays(t, write("distinct.csv", func(i int) int { return i }), o)
	a, _ := json.Marshal(streamed)
	b, _ := json.Marshal(inMemory)
	if !bytes.Equal(a, b) {
		t.Errorf("streamed and in-memory documents differ:\n%.2000s\n%.2000s", a, b)
	}
	if streamed.Paired.Input.Columns["id"] != "synapse_id" {
		t.Errorf("the id column is not reported: %v", streamed.Paired.Input.Columns)
	}
	repeated, err := analysis.Test(context.Background(), []string{write("repeated.csv", func(i int) int { return i / 2 })}, o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(repeated.Paired.Input.Notes, func(n string) bool { return strings.Contains(n, "come from 300 synapses") }) {
		t.Errorf("repeated ids: notes %q, want the 600 pairs of 300 synapses", repeated.Paired.Input.Notes)
	}
}
