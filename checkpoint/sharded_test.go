package checkpoint

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func writeST(t *testing.T, path string, specs []TensorSpec, vals []float64) {
	t.Helper()
	w, err := CreateSafetensors(path, specs)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(vals); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func seq(n int, f func(i int) float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = f(i)
	}
	return v
}

// TestSharded: a sharded checkpoint (index plus two shards), opened by its
// directory or its index, lists the tensors of both shards with their
// values; a shard that lacks a mapped tensor, or a shard path leaving the
// directory, is an error.
func TestSharded(t *testing.T) {
	dir := t.TempDir()
	a := []TensorSpec{{"layers.0.w", F32, []int64{3, 4}}, {"layers.0.b", BF16, []int64{4}}}
	b := []TensorSpec{{"layers.1.w", F64, []int64{2, 2}}}
	va := seq(16, func(i int) float64 { return float64(i) / 8 })
	vb := seq(4, func(i int) float64 { return -float64(i) / 3 })
	writeST(t, filepath.Join(dir, "model-00001-of-00002.safetensors"), a, va)
	writeST(t, filepath.Join(dir, "model-00002-of-00002.safetensors"), b, vb)
	index := map[string]any{"metadata": map[string]any{"total_size": 100}, "weight_map": map[string]string{
		"layers.0.w": "model-00001-of-00002.safetensors", "layers.0.b": "model-00001-of-00002.safetensors",
		"layers.1.w": "model-00002-of-00002.safetensors"}}
	ib, _ := json.Marshal(index)
	if err := os.WriteFile(filepath.Join(dir, IndexName), ib, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, filepath.Join(dir, IndexName)} {
		c := openT(t, p)
		var names []string
		for _, x := range c.Tensors {
			names = append(names, x.Name)
		}
		if !slices.Equal(names, []string{"layers.0.w", "layers.0.b", "layers.1.w"}) || c.Format != "safetensors (sharded)" {
			t.Fatalf("%s: %s %v", p, c.Format, names)
		}
		ts := byName(c)
		if got := readAll(t, ts["layers.0.w"]); !slices.Equal(got, va[:12]) {
			t.Errorf("layers.0.w = %v", got)
		}
		if got := readAll(t, ts["layers.0.b"]); !slices.Equal(got, va[12:]) { // k/8 is exact in bfloat16
			t.Errorf("layers.0.b = %v", got)
		}
		if got := readAll(t, ts["layers.1.w"]); !slices.Equal(got, vb) {
			t.Errorf("layers.1.w = %v", got)
		}
	}
	index["weight_map"].(map[string]string)["layers.2.w"] = "model-00002-of-00002.safetensors"
	ib, _ = json.Marshal(index)
	os.WriteFile(filepath.Join(dir, IndexName), ib, 0o644)
	if _, err := Open(dir); err == nil {
		t.Error("a tensor mapped to a shard that lacks it should be an error")
	}
	index["weight_map"] = map[string]string{"x": "../outside.safetensors"}
	ib, _ = json.Marshal(index)
	os.WriteFile(filepath.Join(dir, IndexName), ib, 0o644)
	if _, err := Open(dir); err == nil {
		t.Error("a shard outside the directory should be an error")
	}
}

// TestBFloat16Rounding: ToBFloat16 rounds to nearest, ties to even, and
// Step is the spacing of bfloat16 and float16 numbers.
func TestBFloat16Rounding(t *testing.T) {
	for _, c := range []struct {
		in, want float64
	}{{1, 1}, {1 + 1.0/256, 1}, {1 + 3.0/256, 1 + 4.0/256}, {1 + 1.0/256 + 1e-6, 1 + 1.0/128}, {-3.14159, -3.140625}} {
		got := float64(math.Float32frombits(uint32(ToBFloat16(c.in)) << 16))
		if got != c.want {
			t.Errorf("bfloat16(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if s := BF16.Step(1.5); s != 1.0/128 {
		t.Errorf("bfloat16 step at 1.5 = %v", s)
	}
	if s := F16.Step(1); s != 1.0/1024 {
		t.Errorf("float16 step at 1 = %v", s)
	}
	if s := F32.Step(0.25); s != math.Ldexp(1, -25) {
		t.Errorf("float32 step at 0.25 = %v", s)
	}
}
