package main

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/report"
)

// twoLayerMirror trains y = w2·tanh(W1 x) by mirror descent under pot on
// n random points with ±1 labels (full batch, squared loss) and returns
// the weights before and after, W1 row-major then w2. Each step moves the
// dual coordinates g(w) by −η∇L, with η set from the first gradient so
// that a step moves the duals of W1 by 0.05% of their size.
func twoLayerMirror(pot geometry.Potential, d, h, n, steps int, seed uint64) (before, after []float64) {
	r := rand.New(rand.NewPCG(seed, 99))
	x := make([]float64, n*d)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(2*r.IntN(2) - 1)
	}
	w := make([]float64, h*d+h)
	for i := range w {
		w[i] = r.NormFloat64() / math.Sqrt(float64(d))
	}
	before = append([]float64{}, w...)
	grad := make([]float64, len(w))
	a, dh := make([]float64, h), make([]float64, h)
	eta := 0.0
	for range steps {
		clear(grad)
		for i := range n {
			xi := x[i*d : (i+1)*d]
			out := 0.0
			for k := range h {
				s := 0.0
				for j, v := range xi {
					s += w[k*d+j] * v
				}
				a[k] = math.Tanh(s)
				out += w[h*d+k] * a[k]
			}
			e := (out - y[i]) / float64(n)
			for k := range h {
				grad[h*d+k] += e * a[k]
				dh[k] = e * w[h*d+k] * (1 - a[k]*a[k])
				for j, v := range xi {
					grad[k*d+j] += dh[k] * v
				}
			}
		}
		if eta == 0 {
			var gg, dd float64
			for i := range h * d {
				gg += grad[i] * grad[i]
				g := pot.Dual(w[i])
				dd += g * g
			}
			eta = 0.0005 * math.Sqrt(dd/gg)
		}
		for i := range w {
			w[i] = pot.Inverse(pot.Dual(w[i])-eta*grad[i], math.Copysign(1, w[i]))
		}
	}
	return before, w
}

// TestCheckpointRecovery: two-layer networks trained by mirror descent
// under negative entropy, the Euclidean geometry and the 3-norm, written
// as checkpoints, give λ̂ within 0.1 of p − 1 of the true geometry in the first layer,
// and reject the other named geometries there.
func TestCheckpointRecovery(t *testing.T) {
	const d, h, n = 100, 60, 10
	dir := t.TempDir()
	for _, c := range []struct {
		pot    geometry.Potential
		lambda float64
	}{{geometry.NegEntropy{}, 0}, {geometry.PNorm{P: 2}, 1}, {geometry.PNorm{P: 3}, 2}} {
		w0, w1 := twoLayerMirror(c.pot, d, h, n, 20, 3)
		specs := []checkpoint.TensorSpec{{Name: "layer1.weight", DType: checkpoint.F64, Shape: []int64{h, d}},
			{Name: "layer2.weight", DType: checkpoint.F64, Shape: []int64{1, h}}}
		paths := [2]string{filepath.Join(dir, c.pot.Name()+"-before.safetensors"), filepath.Join(dir, c.pot.Name()+"-after.safetensors")}
		writeSafetensorsPair(t, paths, specs, [2][]float64{w0, w1})
		code, out, errOut := runCLI("test", paths[0], paths[1], "--bootstrap", "0", "--null-replicates", "0", "--json", "-")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.pot.Name(), code, errOut)
		}
		var doc struct {
			Checkpoint analysis.CheckpointReport `json:"checkpoint"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		row := doc.Checkpoint.Tensors[0]
		if row.Name != "layer1.weight" || row.LambdaHat == nil {
			t.Fatalf("%s: first tensor %s, λ̂ %v (%s)", c.pot.Name(), row.Name, row.LambdaHat, row.Status)
		}
		t.Logf("%s: layer1 λ̂ = %.3f %s", c.pot.Name(), *row.LambdaHat, report.CIText(row.LambdaCI))
		if math.Abs(*row.LambdaHat-c.lambda) > 0.1 {
			t.Errorf("%s: layer1 λ̂ = %.3f, want %.0f ± 0.1", c.pot.Name(), *row.LambdaHat, c.lambda)
		}
		// The other named geometries are rejected. (The true one can be too:
		// a hidden unit's weights share its gradient scale, so the shifts
		// are a Gaussian scale mixture across rows, and with 6000 pairs the
		// resulting bias of about −0.02 in λ̂ is significant.)
		if c.lambda != 0 && !row.RejectsNE || c.lambda != 1 && !row.RejectsEuc {
			t.Errorf("%s: rejects NE %v, rejects Euclidean %v", c.pot.Name(), row.RejectsNE, row.RejectsEuc)
		}
	}
}
