package noise_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/syngeom/syngeom/noise"
)

// A cancelled context stops both noise corrections promptly with an error
// matching ctx.Err(): before they start, and within their simulations.
func TestCorrectContextCancelled(t *testing.T) {
	s := noiseScenarios[0]
	p := s.simulate(t, 2000, 3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := noise.CorrectContext(ctx, p.Before, p.After, s.noise, "given", noise.Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: got %v, want context.Canceled", err)
	}
	// Each far longer than the wait: thousands of simulated data sets.
	for _, o := range []noise.Options{
		{Method: noise.MethodIndirect, Replicates: 5000, Bootstrap: 5000, Seed: 1},
		{Method: noise.MethodSimex, Replicates: 5000, Bootstrap: 5000, Seed: 1},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := noise.CorrectContext(ctx, p.Before, p.After, s.noise, "given", o)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s, cancelled during: got %v, want context.Canceled", o.Method, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: returned %v after the start, 100ms after which it was cancelled", o.Method, d)
		}
	}
}
