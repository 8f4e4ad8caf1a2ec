package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// runDesign loads path with the ingest options and runs analysis.TestData
// with the design flags in args, printing as syngeom test does for
// non-paired shapes.
func runDesign(t *testing.T, path string, io ingest.Options, o testgeom.Options, args ...string) (string, error) {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	df := addDesignFlags(fs)
	jsonPath := fs.String("json", "", "")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	data, err := ingest.Load([]string{path}, io)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := analysis.TestData(context.Background(), data, analysis.TestOptions{Test: o,
		Refine: *df.refine, MomentsOnly: *df.momentsOnly, DetectionLimit: *df.detectionLimit})
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	err = emitTestDocument(&runEnv{stdout: &out, stderr: &bytes.Buffer{}}, *jsonPath, doc)
	return out.String(), err
}

// TestUnpairedCommand: a before and an after column of different synapses
// (multiplicative change, log-sd 0.3) are analysed by the unpaired test:
// NE is named, the JSON says "design": "unpaired", and the text report has
// the table and the verdict.
func TestUnpairedCommand(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("before,after\n")
	for i := 0; i < 900; i++ {
		after := ""
		if i < 800 {
			after = fmt.Sprint(math.Exp(0.6*rng.NormFloat64() + 0.3*rng.NormFloat64()))
		}
		fmt.Fprintf(&b, "%v,%s\n", math.Exp(0.6*rng.NormFloat64()), after)
	}
	path := filepath.Join(t.TempDir(), "unpaired.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cands := []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}}
	out, err := runDesign(t, path, ingest.Options{Unpaired: true}, testgeom.Options{Candidates: cands, Bootstrap: 8, Seed: 1}, "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Input struct {
			Shape   string `json:"shape"`
			NBefore int    `json:"n_before"`
			NAfter  int    `json:"n_after"`
		} `json:"input"`
		Geometry struct {
			Design         string             `json:"design"`
			BestByDistance string             `json:"best_by_distance"`
			BootstrapWins  map[string]float64 `json:"bootstrap_wins"`
			Verdict        string             `json:"verdict"`
		} `json:"geometry"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	g := doc.Geometry
	if doc.Input.Shape != "unpaired" || doc.Input.NBefore != 900 || doc.Input.NAfter != 800 || g.Design != "unpaired" ||
		g.BestByDistance != "NE" || len(g.BootstrapWins) != 3 || !strings.Contains(g.Verdict, "most consistent with") {
		t.Fatalf("unexpected result: %+v", doc)
	}
	text, err := runDesign(t, path, ingest.Options{Unpaired: true}, testgeom.Options{Candidates: cands}, "--moments-only")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"unpaired samples", "best by distance", "distance", "most consistent with"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
}

// TestSnapshotCommand: one column of sizes in two groups, truncated at a
// detection limit: pooled and per-group snapshot results, Euclidean ruled
// out, and the conditional wording.
func TestSnapshotCommand(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("cell,size\n")
	for i := 0; i < 1200; i++ {
		c := 1.0
		if rng.Float64() < 0.6 {
			c = 0.3
		}
		w := c * math.Exp(0.4*rng.NormFloat64())
		if w < 0.1 {
			continue
		}
		fmt.Fprintf(&b, "%s,%v\n", []string{"a", "b"}[i%2], w)
	}
	path := filepath.Join(t.TempDir(), "sizes.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cands := []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}
	out, err := runDesign(t, path, ingest.Options{Column: "size", Group: "cell"}, testgeom.Options{Candidates: cands}, "--detection-limit", "0.1", "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Geometry struct {
			Design         string   `json:"design"`
			DetectionLimit *float64 `json:"detection_limit"`
			RuledOut       []string `json:"ruled_out"`
			Conditional    string   `json:"conditional_on"`
			Best           string   `json:"best_by_bic"`
		} `json:"geometry"`
		Groups []struct {
			Group    string `json:"group"`
			Snapshot struct {
				RuledOut []string `json:"ruled_out"`
			} `json:"snapshot"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	g := doc.Geometry
	if g.Design != "single" || g.DetectionLimit == nil || *g.DetectionLimit != 0.1 || g.Best != "NE" ||
		len(g.RuledOut) != 1 || g.RuledOut[0] != "p=2.0" || g.Conditional == "" || len(doc.Groups) != 2 {
		t.Fatalf("unexpected result: %s", out)
	}
	text, err := runDesign(t, path, ingest.Options{Column: "size"}, testgeom.Options{Candidates: cands}, "--detection-limit", "0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"single snapshot", "p=2.0 ruled out", "Conditional on", "cannot identify the geometry"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
}

// TestTestCommandDesigns: syngeom test picks the unpaired test for
// --unpaired and the snapshot analysis for a single column.
func TestTestCommandDesigns(t *testing.T) {
	path := writeMultiplicativePairs(t, 300)
	code, out, errs := runTest(path, "--unpaired", "--candidates", "NE,2", "--bootstrap", "0", "--json", "-")
	if code != 0 || !strings.Contains(out, `"design": "unpaired"`) {
		t.Fatalf("--unpaired: exit %d, stderr %s\n%s", code, errs, out)
	}
	code, out, errs = runTest(path, "--column", "before", "--candidates", "NE,2")
	if code != 0 || !strings.Contains(out, "single snapshot") || !strings.Contains(out, "Conditional on") {
		t.Fatalf("one column: exit %d, stderr %s\n%s", code, errs, out)
	}
	if code, _, errs := runTest(path, "--column", "before", "--detection-limit", "-1"); code != 2 || !strings.Contains(errs, "detection limit") {
		t.Fatalf("negative detection limit: exit %d, stderr %s", code, errs)
	}
}
