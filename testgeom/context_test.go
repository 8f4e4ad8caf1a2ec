package testgeom

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// A context cancelled before or during the test stops it with ctx.Err().
func TestPairedContextCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 5_000
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = 0.5 + rng.ExpFloat64()
		w1[i] = w0[i] * (1 + 0.1*rng.NormFloat64())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := TestPairedContext(ctx, w0, w1, Options{Bootstrap: 10}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: got %v, want context.Canceled", err)
	}
	// Cancelled during a run far longer than the wait: the bootstrap
	// alone would take minutes.
	for _, o := range []Options{{Bootstrap: 100_000}, {NullReplicates: 1_000_000}} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, err := TestPairedContext(ctx, w0, w1, o)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("cancelled during: got %v, want context.DeadlineExceeded", err)
		}
	}
}
