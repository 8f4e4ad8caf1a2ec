package analysis

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/testgeom"
)

// bf16Pair writes a bfloat16 checkpoint pair of two tensors whose changes
// are about the size of the rounding step and opens it.
func bf16Pair(t *testing.T) *checkpoint.Source {
	t.Helper()
	var specs []checkpoint.TensorSpec
	for _, name := range []string{"layers.0.mlp.weight", "layers.1.mlp.weight"} {
		specs = append(specs, checkpoint.TensorSpec{Name: name, DType: checkpoint.BF16, Shape: []int64{40, 50}})
	}
	rng := rand.New(rand.NewPCG(5, 6))
	w := [2][]float64{make([]float64, 4000), make([]float64, 4000)}
	for i := range w[0] { // near 0.05, moved by about the bfloat16 step there
		w[0][i] = 0.05 * math.Exp(0.5*rng.NormFloat64())
		w[1][i] = w[0][i] + 0.0005*rng.NormFloat64()
	}
	dir := t.TempDir()
	paths := [2]string{filepath.Join(dir, "b.safetensors"), filepath.Join(dir, "a.safetensors")}
	for k, p := range paths {
		sw, err := checkpoint.CreateSafetensors(p, specs)
		if err == nil {
			err = sw.Write(w[k])
		}
		if err == nil {
			err = sw.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	src, err := checkpoint.NewSource(paths[0], paths[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// The options of the checkpoint documents are checked in the library:
// values out of range are OptionErrors that match ErrInput and name the
// flag, before any file is read.
func TestCheckpointOptionsValidate(t *testing.T) {
	if err := DefaultCheckpointTestOptions().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if err := (CheckpointAnalysisOptions{Analysis: DefaultOptions(), GroupSample: DefaultGroupSample}).Validate(); err != nil {
		t.Fatalf("analysis defaults: %v", err)
	}
	bad := func(f func(*CheckpointTestOptions)) CheckpointTestOptions {
		o := DefaultCheckpointTestOptions()
		f(&o)
		return o
	}
	for _, c := range []struct {
		opts    CheckpointTestOptions
		setting string
	}{
		{bad(func(o *CheckpointTestOptions) { o.RoundingPairs = MaxRoundingPairs + 1 }), "RoundingPairs"},
		{bad(func(o *CheckpointTestOptions) { o.RoundingPairs = testgeom.MinPairs - 1 }), "RoundingPairs"},
		{bad(func(o *CheckpointTestOptions) { o.GroupSample = testgeom.MinPairs - 1 }), "GroupSample"},
		{bad(func(o *CheckpointTestOptions) { o.Test.Bootstrap = -1 }), "Test.Bootstrap"},
		{bad(func(o *CheckpointTestOptions) { o.RoundingNoise, o.Noise.Method = true, "magic" }), "Noise.Method"},
	} {
		err := c.opts.Validate()
		var oe *OptionError
		if !errors.Is(err, ErrInput) || !errors.As(err, &oe) || !slices.Contains(oe.Settings(), c.setting) || !strings.HasPrefix(err.Error(), c.setting) {
			t.Errorf("%s: got %v, want an OptionError naming it", c.setting, err)
		}
		if _, err := TestCheckpoints(context.Background(), nil, c.opts); !errors.Is(err, ErrInput) {
			t.Errorf("%s: TestCheckpoints returned %v", c.setting, err)
		}
	}
	if err := bad(func(o *CheckpointTestOptions) { o.Noise.Method = "magic" }).Validate(); err != nil {
		t.Errorf("the correction's settings are checked without RoundingNoise: %v", err)
	}
	err := (CheckpointAnalysisOptions{Analysis: DefaultOptions(), GroupSample: 1}).Validate()
	if !errors.Is(err, ErrInput) || !strings.HasPrefix(err.Error(), "GroupSample:") {
		t.Errorf("analysis group sample: %v", err)
	}
}

// TestCheckpoints builds the whole document: the paired test, one group
// per tensor, the per-tensor report with its precision warnings and, on
// request, the rounding-noise correction on a subsample of the stated size;
// a cancelled context stops it.
func TestTestCheckpoints(t *testing.T) {
	src := bf16Pair(t)
	opts := DefaultCheckpointTestOptions()
	opts.Test.Bootstrap, opts.Test.NullReplicates = 0, 0
	doc, err := TestCheckpoints(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	rep := doc.Checkpoint
	if doc.Geometry == nil || len(rep.Tensors) != 2 || len(rep.Groups) != 2 || rep.GroupBy != "tensor" || rep.Expect != LazyRegimeNote {
		t.Fatalf("document incomplete: %+v", rep)
	}
	if len(doc.Input.Files) != 2 || len(doc.Notes) == 0 || rep.RoundingNoise != nil {
		t.Errorf("files %v, notes %v, rounding %v", doc.Input.Files, doc.Notes, rep.RoundingNoise)
	}
	if w := strings.Join(rep.Warnings, "\n"); !strings.Contains(w, "--rounding-noise adds") {
		t.Errorf("no hint to the rounding-noise correction among the warnings:\n%s", w)
	}

	opts.RoundingNoise, opts.RoundingPairs = true, 3000
	opts.Noise.Replicates, opts.Noise.Bootstrap = 4, 0
	doc, err = TestCheckpoints(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	rn := doc.Checkpoint.RoundingNoise
	if rn == nil || rn.Correction == nil || rn.Sample.Used != 3000 || rn.Sample.Eligible != 4000 || !rn.Sample.Subsampled || len(rn.Groups) != 2 {
		t.Fatalf("rounding noise: %+v", rn)
	}
	if rn.CV != checkpoint.BF16.RoundingCV() {
		t.Errorf("CV %g, want bfloat16's %g", rn.CV, checkpoint.BF16.RoundingCV())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := TestCheckpoints(ctx, src, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := AnalyzeCheckpoints(ctx, src, CheckpointAnalysisOptions{Analysis: DefaultOptions(), GroupSample: DefaultGroupSample}); !errors.Is(err, context.Canceled) {
		t.Errorf("analysis cancelled: %v", err)
	}
}
