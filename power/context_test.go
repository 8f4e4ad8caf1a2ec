package power

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/testgeom"
)

// A cancelled context stops the plan promptly with an error matching
// ctx.Err(), before it starts and within a simulation.
func TestRunContextCancelled(t *testing.T) {
	// Far longer than the wait: a million simulated experiments.
	d := Design{Ns: []int{200}, Init: song, Truth: geometry.NegEntropy{}, Step: 0.15, Sims: 1_000_000,
		Test: testgeom.Options{Seed: 1, Workers: 2}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.RunContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: got %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := d.RunContext(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled during: got %v, want context.Canceled", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("returned %v after the start, 100ms after which it was cancelled", el)
	}
}

// The unpaired design's test looks at the context too: one large
// simulated experiment stops within its test.
func TestRunContextCancelledUnpaired(t *testing.T) {
	d := Design{Ns: []int{1_000_000}, Init: song, Truth: geometry.NegEntropy{}, Step: 0.15, Sims: 1,
		Unpaired: true, Refine: true, Test: testgeom.Options{Seed: 1, Workers: 2}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(500*time.Millisecond, cancel)
	start := time.Now()
	_, err := d.RunContext(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled during: got %v, want context.Canceled", err)
	}
	t.Logf("returned %v after the start (cancelled at 500ms)", time.Since(start))
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("returned %v after the start, 500ms after which it was cancelled", el)
	}
}
