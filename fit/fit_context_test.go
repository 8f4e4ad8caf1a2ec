package fit

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
)

// A cancelled context stops the goodness-of-fit bootstrap and is reported.
func TestFitContextCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 300)
	for i := range x {
		x[i] = 1 + rng.ExpFloat64()
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := FitContext(ctx, x, nil, Options{GOFSamples: 1000})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if _, err := FitContext(context.Background(), x, nil, Options{GOFSamples: 19}); err != nil {
		t.Fatal(err)
	}
}
