package analysis

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/syngeom/syngeom/ingest"
)

// TestData returns context.Canceled soon after its context is cancelled,
// whatever the design: each case would run for minutes uncancelled.
func TestTestDataCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	sample := func(n int) (before, after []float64, group []string) {
		before, after, group = make([]float64, n), make([]float64, n), make([]string, n)
		for i := range before {
			before[i] = math.Exp(rng.NormFloat64())
			after[i] = before[i] * math.Exp(0.3*rng.NormFloat64())
			group[i] = []string{"a", "b"}[i%2]
		}
		return before, after, group
	}
	b, a, g := sample(5_000)
	big, _, _ := sample(400_000)
	for _, c := range []struct {
		name string
		in   ingest.Slices
		boot int
	}{
		{"grouped pairs", ingest.Slices{Before: b, After: a, Group: g}, 100_000},
		{"unpaired", ingest.Slices{Before: b, After: a, Unpaired: true}, 1_000_000},
		{"single sample", ingest.Slices{Before: big}, 0},
	} {
		d, err := ingest.FromSlices(c.in)
		if err != nil {
			t.Fatal(err)
		}
		opts := TestOptions{Noise: DefaultTestNoise()}
		opts.Test.Bootstrap = c.boot
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err = TestData(ctx, d, opts)
		elapsed := time.Since(start)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: got %v, want context.Canceled", c.name, err)
		}
		t.Logf("%s: returned after %v (cancelled at 100ms)", c.name, elapsed)
		if elapsed > 5*time.Second {
			t.Fatalf("%s: returned after %v", c.name, elapsed)
		}
	}
}
