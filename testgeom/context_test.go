package testgeom

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/syngeom/syngeom/internal/cancelcheck"
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

func TestGroupsContextCancelled(t *testing.T) {
	w0, w1, group := cancelcheck.Pairs(5_000)
	cancelcheck.Check(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, _, err := TestGroupsContext(ctx, w0, w1, group, []string{"a", "b"}, Options{Bootstrap: 100_000})
		return err
	})
}

func TestUnpairedContextCancelled(t *testing.T) {
	w0, w1, _ := cancelcheck.Pairs(5_000)
	// Many resamples and the refinement: minutes if not cancelled.
	cancelcheck.Check(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := TestUnpairedContext(ctx, w0, w1, UnpairedOptions{Bootstrap: 1_000_000, Refine: true})
		return err
	})
}

func TestSnapshotContextCancelled(t *testing.T) {
	w0, _, group := cancelcheck.Pairs(400_000) // about half a minute of fits
	cancelcheck.Check(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := TestSnapshotContext(ctx, w0, SnapshotOptions{})
		return err
	})
	cancelcheck.Check(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, _, err := TestSnapshotGroupsContext(ctx, w0, group, []string{"a", "b"}, SnapshotOptions{})
		return err
	})
}
