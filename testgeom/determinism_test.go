package testgeom

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// TestDeterminismWorkers requires byte-identical JSON from the paired,
// unpaired and snapshot tests at 1, 2 and 8 workers and on a second run.
func TestDeterminismWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	n := 3000
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = math.Exp(0.5 * rng.NormFloat64())
		w1[i] = w0[i] * math.Exp(0.2*rng.NormFloat64())
	}
	runs := map[string]func(workers int) any{
		"paired": func(k int) any {
			r, err := TestPaired(w0, w1, Options{Bootstrap: 20, NullReplicates: 20, Seed: 4, Workers: k})
			if err != nil {
				t.Fatal(err)
			}
			return r
		},
		"unpaired": func(k int) any {
			r, err := TestUnpaired(w0[:400], w1[:300], UnpairedOptions{Bootstrap: 3, GridPoints: 128, Seed: 4, Workers: k})
			if err != nil {
				t.Fatal(err)
			}
			return r
		},
		"snapshot": func(k int) any {
			r, err := TestSnapshot(w1[:300], SnapshotOptions{Workers: k})
			if err != nil {
				t.Fatal(err)
			}
			return r
		},
	}
	for name, run := range runs {
		t.Run(name, func(t *testing.T) {
			var first []byte
			for i, k := range []int{1, 2, 8, 2} {
				b, err := json.Marshal(run(k))
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = b
				} else if !bytes.Equal(b, first) {
					t.Fatalf("%d workers (run %d) differ from 1 worker", k, i+1)
				}
			}
		})
	}
}
