package main

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/checkpoint"
)

// gpt2Fixture writes a two-block GPT-2-like pair of safetensors files:
// additive (Euclidean) changes in attention and the embedding,
// multiplicative (negative-entropy) changes in the MLP.
func gpt2Fixture(t *testing.T) (before, after string) {
	t.Helper()
	specs := []checkpoint.TensorSpec{
		{Name: "transformer.wte.weight", DType: checkpoint.F32, Shape: []int64{40, 20}},
		{Name: "transformer.h.0.ln_1.weight", DType: checkpoint.F32, Shape: []int64{20}},
		{Name: "transformer.h.0.attn.c_attn.weight", DType: checkpoint.F32, Shape: []int64{20, 30}},
		{Name: "transformer.h.0.attn.c_proj.weight", DType: checkpoint.F32, Shape: []int64{20, 20}},
		{Name: "transformer.h.0.mlp.c_fc.weight", DType: checkpoint.F32, Shape: []int64{20, 40}},
		{Name: "transformer.h.0.mlp.c_proj.weight", DType: checkpoint.F32, Shape: []int64{40, 20}},
		{Name: "transformer.h.1.attn.c_attn.weight", DType: checkpoint.F32, Shape: []int64{20, 30}},
		{Name: "transformer.h.1.mlp.c_fc.weight", DType: checkpoint.F32, Shape: []int64{20, 40}},
	}
	rng := rand.New(rand.NewPCG(7, 11))
	var w0, w1 []float64
	for _, s := range specs {
		n := s.Shape[0]
		if len(s.Shape) > 1 {
			n *= s.Shape[1]
		}
		mult := strings.Contains(s.Name, "mlp")
		for range n {
			v := math.Exp(rng.NormFloat64()*0.5 - 3)
			w0 = append(w0, v)
			if mult {
				w1 = append(w1, v*math.Exp(0.2*rng.NormFloat64()))
			} else {
				w1 = append(w1, v+0.01*rng.NormFloat64())
			}
		}
	}
	dir := t.TempDir()
	before, after = filepath.Join(dir, "before.safetensors"), filepath.Join(dir, "after.safetensors")
	writeSafetensorsPair(t, [2]string{before, after}, specs, [2][]float64{w0, w1})
	return before, after
}

// ckptDoc is the part of the JSON of test and analyze on checkpoints that
// the grouping changes.
type ckptDoc struct {
	Checkpoint analysis.CheckpointReport `json:"checkpoint"`
}

func checkpointJSON(t *testing.T, args ...string) (ckptDoc, string) {
	t.Helper()
	args = append(args, "--bootstrap", "20", "--null-replicates", "0", "--json", "-")
	code, out, errOut := runCLI(args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	var d ckptDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	return d, out
}

// TestCheckpointGroupBy: --group-by kind and block form the expected
// groups in the order of their first tensor, report each group's tensors,
// and a group holding one tensor has that tensor's numbers under
// --group-by tensor.
func TestCheckpointGroupBy(t *testing.T) {
	before, after := gpt2Fixture(t)
	for _, cmd := range []string{"test", "analyze"} {
		byTensor, _ := checkpointJSON(t, cmd, before, after)
		tensorGeom := map[string]analysis.LayerGeometry{}
		for _, g := range byTensor.Checkpoint.Groups {
			tensorGeom[g.Name] = g.LayerGeometry
		}
		if len(tensorGeom) != 7 || byTensor.Checkpoint.GroupBy != "tensor" {
			t.Fatalf("%s --group-by tensor: %d groups, group_by %q", cmd, len(tensorGeom), byTensor.Checkpoint.GroupBy)
		}
		for _, c := range []struct {
			by     string
			groups map[string][]string
			order  []string
		}{
			{"kind", map[string][]string{
				"embedding":     {"transformer.wte.weight"},
				"attention.qkv": {"transformer.h.0.attn.c_attn.weight", "transformer.h.1.attn.c_attn.weight"},
				"attention.o":   {"transformer.h.0.attn.c_proj.weight"},
				"mlp":           {"transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_proj.weight", "transformer.h.1.mlp.c_fc.weight"},
			}, []string{"embedding", "attention.qkv", "attention.o", "mlp"}},
			{"block", map[string][]string{
				"no block": {"transformer.wte.weight"},
				"block 0":  {"transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_proj.weight", "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_proj.weight"},
				"block 1":  {"transformer.h.1.attn.c_attn.weight", "transformer.h.1.mlp.c_fc.weight"},
			}, []string{"no block", "block 0", "block 1"}},
		} {
			d, _ := checkpointJSON(t, cmd, before, after, "--group-by", c.by)
			r := d.Checkpoint
			if r.GroupBy != c.by || len(r.Groups) != len(c.order) {
				t.Fatalf("%s --group-by %s: group_by %q, groups %+v", cmd, c.by, r.GroupBy, r.Groups)
			}
			for i, g := range r.Groups {
				if g.Name != c.order[i] || g.Position != i || !reflect.DeepEqual(g.Tensors, c.groups[g.Name]) {
					t.Errorf("%s --group-by %s: group %d is %q with %v", cmd, c.by, i, g.Name, g.Tensors)
				}
				if g.LambdaHat == nil {
					t.Errorf("%s --group-by %s: group %s has no λ̂ (%s)", cmd, c.by, g.Name, g.Status)
				}
				if len(g.Tensors) == 1 && !reflect.DeepEqual(g.LayerGeometry, tensorGeom[g.Tensors[0]]) {
					t.Errorf("%s --group-by %s: group %s: %+v, its tensor alone: %+v", cmd, c.by, g.Name, g.LayerGeometry, tensorGeom[g.Tensors[0]])
				}
			}
			for _, tr := range r.Tensors {
				if !slicesContain(c.groups[tr.Group], tr.Name) || tr.LambdaHat != nil {
					t.Errorf("%s --group-by %s: tensor %s in group %q with λ̂ %v", cmd, c.by, tr.Name, tr.Group, tr.LambdaHat)
				}
			}
		}
	}
	// The multiplicative MLP changes reject Euclidean, the additive
	// attention changes reject negative entropy.
	d, _ := checkpointJSON(t, "test", before, after, "--group-by", "kind")
	for _, g := range d.Checkpoint.Groups {
		if g.Name == "mlp" && (!g.RejectsEuc || g.RejectsNE) || g.Name == "attention.qkv" && (g.RejectsEuc || !g.RejectsNE) {
			t.Errorf("group %s: rejects Euclidean %v, negative entropy %v", g.Name, g.RejectsEuc, g.RejectsNE)
		}
	}
}

func slicesContain(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestCheckpointGroupByText: the text names the groups, the tensors of
// each and which reject each geometry; the same seed gives the same text.
func TestCheckpointGroupByText(t *testing.T) {
	before, after := gpt2Fixture(t)
	args := []string{"test", before, after, "--group-by", "kind", "--bootstrap", "20", "--null-replicates", "20", "--seed", "3"}
	code, out, errOut := runCLI(args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"grouped by kind: 4 groups of the 7 tensors", "per kind, in the order of its first tensor",
		"  mlp: 3 tensors: transformer.h.0.mlp.c_fc.weight, transformer.h.0.mlp.c_proj.weight, transformer.h.1.mlp.c_fc.weight",
		"  embedding: transformer.wte.weight", "reject Euclidean: ", "mlp", "lazy regime"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if _, again, _ := runCLI(args...); again != out {
		t.Errorf("two runs with --seed 3 differ")
	}
}

func TestCheckpointGroupByUsage(t *testing.T) {
	before, after := gpt2Fixture(t)
	for _, args := range [][]string{
		{"test", before, after, "--group-by", "layer"},
		{"analyze", before, after, "--group-by", "Kind"},
	} {
		code, out, errOut := runCLI(args...)
		if code != 2 || !strings.Contains(errOut, "--group-by") || !strings.Contains(errOut, "tensor, kind or block") {
			t.Errorf("%v: exit %d:\n%s%s", args, code, out, errOut)
		}
	}
	code, _, errOut := runCLI("test", "testdata/golden/analyze_pairs.csv", "--group-by", "kind")
	if code != 2 || !strings.Contains(errOut, "--group COLUMN") {
		t.Errorf("--group-by on a table: exit %d: %s", code, errOut)
	}
}

// TestCheckpointAnalyzeHTML: analyze --html on checkpoints writes the
// page with the per-layer figure and table and the paper's expectation,
// leaves out the figures that need the pairs in memory, and the JSON
// written beside it carries the per-layer fields.
func TestCheckpointAnalyzeHTML(t *testing.T) {
	before, after := gpt2Fixture(t)
	dir := t.TempDir()
	page, js := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.json")
	code, out, errOut := runCLI("analyze", before, after, "--group-by", "block", "--html", page, "--json", js,
		"--bootstrap", "20", "--null-replicates", "0", "--gof-samples", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "per block, in the order of its first tensor") || !strings.Contains(out, "lazy regime") {
		t.Errorf("text without the per-block table or the expectation:\n%s", out)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{"Per layer (one group per block)", "λ̂ by layer", "Figure 1. λ̂ and its 95% interval for each block",
		"Geometry of each block", "block 0", "no block", "Reject Euclidean:", "lazy regime", "Histogram of the before values", "Profile log-likelihood of w1 given w0"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page has no %q", want)
		}
	}
	if strings.Contains(html, "(n = 0)") {
		t.Errorf("the page draws figures of values it does not hold")
	}
	var doc map[string]any
	if b, err = os.ReadFile(js); err != nil || json.Unmarshal(b, &doc) != nil {
		t.Fatalf("JSON: %v", err)
	}
	ck, _ := doc["checkpoint"].(map[string]any)
	groups, _ := ck["groups"].([]any)
	tensors, _ := ck["tensors"].([]any)
	if ck["group_by"] != "block" || len(groups) != 3 || len(tensors) != 7 {
		t.Fatalf("checkpoint: group_by %v, %d groups, %d tensors", ck["group_by"], len(groups), len(tensors))
	}
	for _, key := range []string{"position", "name", "tensors", "pairs", "lambda_hat", "lambda_ci", "lr_p_euclidean",
		"lr_p_negative_entropy", "rejects_euclidean", "rejects_negative_entropy", "best_by_likelihood", "status"} {
		if _, ok := groups[0].(map[string]any)[key]; !ok {
			t.Errorf("checkpoint.groups[0] has no %q", key)
		}
	}
	if g := tensors[1].(map[string]any)["group"]; g != "block 0" {
		t.Errorf("checkpoint.tensors[1].group = %v", g)
	}
	code, _, errOut = runCLI("analyze", before, after, "--shifts", filepath.Join(dir, "s.csv"))
	if code != 2 || !strings.Contains(errOut, "--shifts") {
		t.Errorf("--shifts on checkpoints: exit %d: %s", code, errOut)
	}
}
