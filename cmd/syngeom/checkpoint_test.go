package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

const ckptData = "../../checkpoint/testdata/"

// geometryPart is what must agree between runs on the same weights: the
// pooled test, each group's test and the common-λ test.
type geometryPart struct {
	Geometry   json.RawMessage `json:"geometry"`
	Groups     json.RawMessage `json:"groups"`
	NoiseAware struct {
		Groups json.RawMessage `json:"group_comparison"`
	} `json:"noise_aware"`
}

func testJSON(t *testing.T, args ...string) geometryPart {
	t.Helper()
	return testJSONEdited(t, func(s string) string { return s }, args...)
}

// testJSONEdited is testJSON with the output edited before it is decoded.
func testJSONEdited(t *testing.T, edit func(string) string, args ...string) geometryPart {
	t.Helper()
	args = append([]string{"test"}, append(args, "--bootstrap", "20", "--null-replicates", "50", "--json", "-")...)
	code, out, errOut := runCLI(args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	out = edit(out)
	var g geometryPart
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestCheckpointFormatsAgree: the same weights as torch.save archives,
// safetensors and .npz files give identical per-tensor results, and these
// equal the results on a Parquet table of the pairs with a tensor-name
// column used as --group (whose groups are resampled as all pairs are:
// --group-bootstrap 20, the --bootstrap of testJSON).
func TestCheckpointFormatsAgree(t *testing.T) {
	ref := testJSON(t, ckptData+"cnn_before.pt", ckptData+"cnn_after.pt", "--group-sample", "100000", "--group-bootstrap", "20")
	if len(ref.Groups) < 10 || len(ref.NoiseAware.Groups) < 10 {
		t.Fatalf("no per-tensor groups or group comparison: %s", ref.Groups)
	}
	for _, ext := range []string{".safetensors", ".npz"} {
		got := testJSON(t, ckptData+"cnn_before"+ext, ckptData+"cnn_after"+ext, "--group-sample", "100000", "--group-bootstrap", "20")
		if !reflect.DeepEqual(got, ref) {
			t.Errorf("%s: results differ from those of the .pt files", ext)
		}
	}
	src, err := checkpoint.NewSource(ckptData+"cnn_before.pt", ckptData+"cnn_after.pt", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	table := filepath.Join(t.TempDir(), "pairs.parquet")
	w, err := ingest.NewWriter(table, []ingest.ColumnSpec{{Name: "before", Kind: ingest.Float64Column},
		{Name: "after", Kind: ingest.Float64Column}, {Name: "tensor", Kind: ingest.StringColumn}}, ingest.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Plan.Read(func(i int, w0, w1 []float64) error {
		names := make([]string, len(w0))
		for k := range names {
			names[k] = src.Plan.Pairs[i].Name
		}
		return w.Write([]ingest.ColumnData{{Float: w0}, {Float: w1}, {String: names}})
	}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Only the verdict's note differs: the checkpoints' weights are exact.
	exact := func(s string) string {
		return strings.ReplaceAll(s, testgeom.AllChangesNote, testgeom.ExactWeightsNote)
	}
	got := testJSONEdited(t, exact, table, "--group", "tensor")
	if !reflect.DeepEqual(got.Geometry, ref.Geometry) || !reflect.DeepEqual(got.Groups, ref.Groups) {
		t.Errorf("the Parquet table with --group tensor gives other results than the checkpoints")
	}
	// The common-λ test sums the likelihood over the pairs in another order
	// (streamed passes keep them in a canonical order): equal to 1e-9.
	var a, b any
	if json.Unmarshal(got.NoiseAware.Groups, &a) != nil || json.Unmarshal(ref.NoiseAware.Groups, &b) != nil || !approxJSON(a, b, 1e-9) {
		t.Errorf("common-λ test: table %s, checkpoints %s", got.NoiseAware.Groups, ref.NoiseAware.Groups)
	}
}

// TestCheckpointGroupSample: --group-sample caps each group's subsample
// (diagnostics, bootstrap: a Bernoulli subsample of about that many pairs)
// and leaves the pooled test and every group's likelihood profile on all
// pairs alone; the notes say so.
func TestCheckpointGroupSample(t *testing.T) {
	type doc struct {
		Input    struct{ Notes []string }
		Geometry json.RawMessage
		Groups   []struct {
			Geometry struct {
				N            int64           `json:"n"`
				DiagnosticsN int             `json:"diagnostics_n"`
				Profile      json.RawMessage `json:"profile"`
				Bootstrap    struct {
					SampleN int `json:"sample_n"`
				}
			}
		}
	}
	run := func(m string) doc {
		code, out, errOut := runCLI("test", ckptData+"cnn_before.pt", ckptData+"cnn_after.pt", "--bootstrap", "20",
			"--null-replicates", "50", "--group-sample", m, "--json", "-")
		if code != 0 {
			t.Fatalf("--group-sample %s: exit %d: %s", m, code, errOut)
		}
		var d doc
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	full, capped := run("100000"), run("200")
	if !reflect.DeepEqual(full.Geometry, capped.Geometry) {
		t.Error("the pooled test depends on --group-sample")
	}
	if !strings.Contains(strings.Join(capped.Input.Notes, "\n"), "about 200 of its pairs") {
		t.Errorf("notes do not state the cap: %q", capped.Input.Notes)
	}
	var bigger int
	for i, g := range capped.Groups {
		f := full.Groups[i].Geometry
		if g.Geometry.DiagnosticsN > 260 || g.Geometry.Bootstrap.SampleN > 260 {
			t.Errorf("group %d: %d diagnostic and %d bootstrap pairs above the cap", i, g.Geometry.DiagnosticsN, g.Geometry.Bootstrap.SampleN)
		}
		if g.Geometry.N != f.N || !reflect.DeepEqual(g.Geometry.Profile, f.Profile) {
			t.Errorf("group %d: n or the likelihood profile depend on --group-sample", i)
		}
		if f.DiagnosticsN > 260 {
			bigger++
		}
	}
	if bigger == 0 {
		t.Fatal("no group above 200 pairs: the test tests nothing")
	}
	if code, _, errOut := runCLI("test", ckptData+"cnn_before.pt", ckptData+"cnn_after.pt", "--group-sample", "5"); code != 2 || !strings.Contains(errOut, "--group-sample") {
		t.Errorf("--group-sample 5: exit %d: %s", code, errOut)
	}
}

func TestCheckpointMessages(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"cnn_before.pt", "cnn_after.pt", "--tensors", "bias$"}, 0, "features.0.bias"},
		{[]string{"cnn_before.pt", "cnn_after.pt", "--tensors", "num_batches"}, 2, "integer tensor"},
		{[]string{"cnn_before.pt", "cnn_after.pt", "--tensors", "nothing"}, 2, `no tensor in both checkpoints matches --tensors "nothing"`},
		{[]string{"cnn_before.pt", "dtypes.pt"}, 2, "no tensor with two or more dimensions"},
		{[]string{"cnn_before.pt"}, 2, "two at a time"},
		{[]string{"cnn_before.pt", "cnn_after.pt", "--tensors", "("}, 2, "--tensors"},
	} {
		args := []string{"test"}
		for _, a := range c.args {
			if strings.HasPrefix(a, "cnn") || strings.HasPrefix(a, "dtypes") {
				a = ckptData + a
			}
			args = append(args, a)
		}
		args = append(args, "--bootstrap", "0", "--null-replicates", "0")
		code, out, errOut := runCLI(args...)
		if code != c.code || !strings.Contains(out+errOut, c.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s%s", c.args, code, c.code, c.want, out, errOut)
		}
	}
}

// approxJSON compares decoded JSON, numbers to a relative tolerance.
func approxJSON(a, b any, tol float64) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Abs(x-y) <= tol*math.Max(1, math.Abs(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !approxJSON(x[i], y[i], tol) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if !approxJSON(v, y[k], tol) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// TestCheckpointRoundingWarning: bfloat16 checkpoints whose changes are
// below the rounding step get a warning, before the verdict, naming the
// tensor, the unchanged share and the step relative to the change.
// writeSafetensorsPair writes the before and after weights w[0], w[1] as
// two safetensors files of the same tensors, paths[0] and paths[1].
func writeSafetensorsPair(t *testing.T, paths [2]string, specs []checkpoint.TensorSpec, w [2][]float64) {
	t.Helper()
	for k, p := range paths {
		sw, err := checkpoint.CreateSafetensors(p, specs)
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.Write(w[k]); err != nil {
			t.Fatal(err)
		}
		if err := sw.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckpointRoundingWarning(t *testing.T) {
	dir := t.TempDir()
	specs := []checkpoint.TensorSpec{{Name: "layer.weight", DType: checkpoint.BF16, Shape: []int64{40, 50}}}
	var w0, w1 []float64
	for i := range 2000 {
		v := 0.05 * math.Sin(float64(i)*1.7+0.3)
		w0 = append(w0, v)
		w1 = append(w1, v*(1+0.002*math.Cos(float64(i)*2.9)))
	}
	paths := [2]string{filepath.Join(dir, "b.safetensors"), filepath.Join(dir, "a.safetensors")}
	writeSafetensorsPair(t, paths, specs, [2][]float64{w0, w1})
	code, out, errOut := runCLI("test", paths[0], paths[1], "--bootstrap", "0", "--null-replicates", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	warn := strings.Index(out, "tensor layer.weight: ")
	verdict := strings.Index(out, "λ̂ = ")
	if warn < 0 || verdict >= 0 && verdict < warn || !strings.Contains(out, "pairs are unchanged") || !strings.Contains(out, "BF16 rounding step") {
		t.Errorf("no rounding warning before the verdict:\n%s", out)
	}
}

// TestCheckpointGroupBootstrap: by default only all pairs pooled are
// resampled, and the input's notes say so; --group-bootstrap N resamples
// each tensor N times.
func TestCheckpointGroupBootstrap(t *testing.T) {
	var doc struct {
		Input    struct{ Notes []string } `json:"input"`
		Geometry struct {
			Bootstrap *struct{ Replicates int } `json:"bootstrap"`
		} `json:"geometry"`
		Groups []struct {
			Geometry struct {
				Bootstrap *struct{ Replicates int } `json:"bootstrap"`
			} `json:"geometry"`
		} `json:"groups"`
	}
	for _, c := range []struct {
		args []string
		each int // resamples of each tensor; 0: none
	}{{nil, 0}, {[]string{"--group-bootstrap", "7"}, 7}} {
		args := append([]string{"test", ckptData + "cnn_before.safetensors", ckptData + "cnn_after.safetensors",
			"--bootstrap", "20", "--null-replicates", "20", "--json", "-"}, c.args...)
		code, out, errOut := runCLI(args...)
		if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		if doc.Geometry.Bootstrap == nil || doc.Geometry.Bootstrap.Replicates != 20 || len(doc.Groups) < 2 {
			t.Fatalf("%v: pooled bootstrap %+v, %d groups", c.args, doc.Geometry.Bootstrap, len(doc.Groups))
		}
		for _, g := range doc.Groups {
			if b := g.Geometry.Bootstrap; (b == nil) != (c.each == 0) || (b != nil && b.Replicates != c.each) {
				t.Errorf("%v: a tensor's bootstrap %+v, want %d resamples", c.args, b, c.each)
				break
			}
		}
		noted := slices.Contains(doc.Input.Notes, stream.GroupBootstrapOffNote)
		if noted != (c.each == 0) {
			t.Errorf("%v: the note that tensors are not resampled is there: %v", c.args, noted)
		}
	}
	if code, _, errOut := runCLI("test", ckptData+"cnn_before.safetensors", ckptData+"cnn_after.safetensors", "--group-bootstrap", "-1"); code != 2 || !strings.Contains(errOut, "--group-bootstrap") {
		t.Errorf("--group-bootstrap -1: exit %d, %q", code, errOut)
	}
}
