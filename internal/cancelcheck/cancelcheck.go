// Package cancelcheck holds, for tests, the check that a long-running call
// stops when its context is cancelled, and the pairs such tests run on, so
// that testgeom and the analyses built on it (compare) test cancellation
// the same way. It imports no project package.
package cancelcheck

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// Pairs are n pairs with a multiplicative change, labelled alternately
// into two groups.
func Pairs(n int) (w0, w1 []float64, group []int32) {
	rng := rand.New(rand.NewPCG(5, 6))
	w0, w1, group = make([]float64, n), make([]float64, n), make([]int32, n)
	for i := range w0 {
		w0[i] = 0.5 + rng.ExpFloat64()
		w1[i] = w0[i] * (1 + 0.1*rng.NormFloat64())
		group[i] = int32(i % 2)
	}
	return w0, w1, group
}

// Check runs call under a context cancelled before the call and under one
// cancelled after wait, and wants context.Canceled from both, the second
// well before the uncancelled run would end.
func Check(t *testing.T, wait time.Duration, call func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := call(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: got %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(wait, cancel)
	start := time.Now()
	err := call(ctx)
	elapsed := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled during: got %v, want context.Canceled", err)
	}
	t.Logf("returned %v after the call began (cancelled at %v)", elapsed, wait)
	if elapsed > 5*time.Second {
		t.Fatalf("cancelled during: returned after %v", elapsed)
	}
}
