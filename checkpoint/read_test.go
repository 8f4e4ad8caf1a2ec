package checkpoint

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"slices"
	"testing"
)

// readAll reads a tensor's values (tests only: real use streams them).
func readAll(t *testing.T, x *Tensor) []float64 {
	t.Helper()
	it, err := x.Iter()
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var out []float64
	buf := make([]float64, 3) // small batches exercise the batch boundaries
	for {
		n, err := it.Next(buf)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, buf[:n]...)
	}
}

func openT(t *testing.T, path string) *Checkpoint {
	t.Helper()
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func byName(c *Checkpoint) map[string]*Tensor {
	m := map[string]*Tensor{}
	for _, t := range c.Tensors {
		m[t.Name] = t
	}
	return m
}

func TestDTypesExact(t *testing.T) {
	b, err := os.ReadFile("testdata/dtypes_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][]float64
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"testdata/dtypes.pt", "testdata/dtypes.safetensors", "testdata/dtypes.npz"} {
		c := openT(t, file)
		ts := byName(c)
		for name, w := range want {
			x := ts[name]
			if x == nil {
				if file == "testdata/dtypes.npz" && name == "bf16" {
					continue // NumPy has no bfloat16
				}
				t.Errorf("%s: no tensor %s", file, name)
				continue
			}
			if got := readAll(t, x); !slices.Equal(got, w) {
				t.Errorf("%s %s (%s): got %v, want %v", file, name, x.DType, got, w)
			}
		}
		ints := ts["ints"]
		if ints == nil || ints.Unreadable == "" {
			t.Errorf("%s: the integer tensor should be listed as unreadable", file)
		} else if _, err := ints.Iter(); err == nil {
			t.Errorf("%s: reading an integer tensor should fail", file)
		}
		if file == "testdata/dtypes.npz" {
			if got := readAll(t, ts["big_endian"]); !slices.Equal(got, want["f32"]) {
				t.Errorf("big-endian npz: %v", got)
			}
		}
	}
	if got := readAll(t, openT(t, "testdata/f32.npy").Tensors[0]); !slices.Equal(got, want["f32"]) {
		t.Errorf("f32.npy: %v", got)
	}
}

func TestSameWeightsInEveryFormat(t *testing.T) {
	for _, stem := range []string{"testdata/cnn_before", "testdata/cnn_after"} {
		ref := openT(t, stem+".pt")
		for _, ext := range []string{".safetensors", ".npz"} {
			c := openT(t, stem+ext)
			ts := byName(c)
			if len(ts) != len(ref.Tensors) {
				t.Errorf("%s%s: %d tensors, the .pt has %d", stem, ext, len(ts), len(ref.Tensors))
			}
			for _, r := range ref.Tensors {
				x := ts[r.Name]
				if x == nil {
					t.Errorf("%s%s lacks %s", stem, ext, r.Name)
					continue
				}
				if !slices.Equal(x.Shape, r.Shape) || (x.Unreadable == "") != (r.Unreadable == "") {
					t.Errorf("%s%s %s: shape %v (%q), .pt %v (%q)", stem, ext, r.Name, x.Shape, x.Unreadable, r.Shape, r.Unreadable)
					continue
				}
				if r.Unreadable == "" && !slices.Equal(readAll(t, x), readAll(t, r)) {
					t.Errorf("%s%s %s: values differ from the .pt", stem, ext, r.Name)
				}
			}
		}
	}
}
