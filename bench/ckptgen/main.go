// Command ckptgen writes a pair of synthetic transformer-like checkpoints
// (safetensors, optionally sharded with a Hugging Face index) for the
// benchmarks of `syngeom test` and `syngeom analyze` on checkpoints.
//
// Each of -layers blocks holds attention q, k, v, o (d×d) and MLP up and
// down (4d×d, d×4d) weights, 12·d² values. Before: N(0, 0.02²). After:
// w1 = w0·exp(0.01·ε), ε ~ N(0, 1) (a negative-entropy dual step), both
// rounded to the dtype. Values are generated and written in batches, so
// memory stays small whatever the size.
//
//	go run ./bench/ckptgen -d 1024 -layers 8 -dtype F32 -out bench/out/ckpt-1e8
//	go run ./bench/ckptgen -d 2048 -layers 30 -dtype BF16 -shards 6 -out bench/out/ckpt-1.5e9
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/syngeom/syngeom/checkpoint"
)

func main() {
	d := flag.Int64("d", 1024, "model width")
	layers := flag.Int("layers", 8, "blocks")
	dtype := flag.String("dtype", "F32", "F32, BF16 or F64")
	shards := flag.Int("shards", 1, "files per checkpoint (> 1: a directory with model.safetensors.index.json)")
	out := flag.String("out", "ckpt", "output directory")
	seed := flag.Uint64("seed", 1, "seed")
	flag.Parse()
	if err := run(*d, *layers, checkpoint.DType(*dtype), *shards, *out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "ckptgen:", err)
		os.Exit(1)
	}
}

func run(d int64, layers int, dt checkpoint.DType, shards int, out string, seed uint64) error {
	var specs []checkpoint.TensorSpec
	for l := range layers {
		p := fmt.Sprintf("model.layers.%d.", l)
		for _, n := range []string{"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"} {
			specs = append(specs, checkpoint.TensorSpec{Name: p + n + ".weight", DType: dt, Shape: []int64{d, d}})
		}
		specs = append(specs, checkpoint.TensorSpec{Name: p + "mlp.up_proj.weight", DType: dt, Shape: []int64{4 * d, d}},
			checkpoint.TensorSpec{Name: p + "mlp.down_proj.weight", DType: dt, Shape: []int64{d, 4 * d}})
	}
	// Shards split the tensors evenly, in order.
	parts := make([][]checkpoint.TensorSpec, shards)
	for i, s := range specs {
		k := i * shards / len(specs)
		parts[k] = append(parts[k], s)
	}
	var total int64
	for _, s := range specs {
		total += s.Shape[0] * s.Shape[1]
	}
	for side, name := range []string{"before", "after"} {
		r := rand.New(rand.NewPCG(seed, 7)) // the same w0 on both sides
		dir := out
		files := []string{filepath.Join(out, name+".safetensors")}
		if shards > 1 {
			dir = filepath.Join(out, name)
			files = files[:0]
			for k := range shards {
				files = append(files, filepath.Join(dir, fmt.Sprintf("model-%05d-of-%05d.safetensors", k+1, shards)))
			}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		weightMap := map[string]string{}
		buf := make([]float64, 1<<16)
		for k, part := range parts {
			w, err := checkpoint.CreateSafetensors(files[k], part)
			if err != nil {
				return err
			}
			for _, s := range part {
				weightMap[s.Name] = filepath.Base(files[k])
				n := s.Shape[0] * s.Shape[1]
				for done := int64(0); done < n; {
					m := min(int64(len(buf)), n-done)
					for i := range buf[:m] {
						w0 := 0.02 * r.NormFloat64()
						e := r.NormFloat64()
						if side == 1 {
							w0 = round(w0, dt) * math.Exp(0.01*e)
						}
						buf[i] = w0
					}
					if err := w.Write(buf[:m]); err != nil {
						return err
					}
					done += m
				}
			}
			if err := w.Close(); err != nil {
				return err
			}
		}
		if shards > 1 {
			b, _ := json.MarshalIndent(map[string]any{"metadata": map[string]any{"total_parameters": total}, "weight_map": weightMap}, "", " ")
			if err := os.WriteFile(filepath.Join(dir, checkpoint.IndexName), b, 0o644); err != nil {
				return err
			}
		}
	}
	fmt.Printf("wrote %d tensors, %d parameters per checkpoint (%s, %d shards) to %s\n", len(specs), total, dt, shards, out)
	return nil
}

// round is v as the dtype stores it.
func round(v float64, dt checkpoint.DType) float64 {
	switch dt {
	case checkpoint.F32:
		return float64(float32(v))
	case checkpoint.BF16:
		return float64(math.Float32frombits(uint32(checkpoint.ToBFloat16(v)) << 16))
	}
	return v
}
