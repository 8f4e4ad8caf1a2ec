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

// cancelPairs are n pairs with a multiplicative change, labelled into two
// groups.
func cancelPairs(n int) (w0, w1 []float64, group []int32) {
	rng := rand.New(rand.NewPCG(5, 6))
	w0, w1, group = make([]float64, n), make([]float64, n), make([]int32, n)
	for i := range w0 {
		w0[i] = 0.5 + rng.ExpFloat64()
		w1[i] = w0[i] * (1 + 0.1*rng.NormFloat64())
		group[i] = int32(i % 2)
	}
	return w0, w1, group
}

// checkCancelled runs call under a context cancelled before the call and
// under one cancelled after wait, and wants context.Canceled from both,
// the second well before the uncancelled run would end.
func checkCancelled(t *testing.T, wait time.Duration, call func(ctx context.Context) error) {
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

func TestGroupsContextCancelled(t *testing.T) {
	w0, w1, group := cancelPairs(5_000)
	checkCancelled(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, _, err := TestGroupsContext(ctx, w0, w1, group, []string{"a", "b"}, Options{Bootstrap: 100_000})
		return err
	})
}

func TestUnpairedContextCancelled(t *testing.T) {
	w0, w1, _ := cancelPairs(5_000)
	// Many resamples and the refinement: minutes if not cancelled.
	checkCancelled(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := TestUnpairedContext(ctx, w0, w1, UnpairedOptions{Bootstrap: 1_000_000, Refine: true})
		return err
	})
}

func TestSnapshotContextCancelled(t *testing.T) {
	w0, _, group := cancelPairs(400_000) // about half a minute of fits
	checkCancelled(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := TestSnapshotContext(ctx, w0, SnapshotOptions{})
		return err
	})
	checkCancelled(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, _, err := TestSnapshotGroupsContext(ctx, w0, group, []string{"a", "b"}, SnapshotOptions{})
		return err
	})
}

func TestCompareControlContextCancelled(t *testing.T) {
	w0, w1, _ := cancelPairs(4_000_000) // seconds of profile evaluations
	h := len(w0) / 2
	checkCancelled(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := CompareControlContext(ctx, w0[:h], w1[:h], w0[h:], w1[h:], 0)
		return err
	})
}

func TestCompareGroupsContextCancelled(t *testing.T) {
	w0, w1, group := cancelPairs(4_000_000)
	checkCancelled(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := CompareGroupsClusteredContext(ctx, w0, w1, group, []string{"a", "b"}, nil, 0)
		return err
	})
	// The Student-t refit runs on groups of at most groupStudentTMax pairs.
	s0, s1, sg := w0[:groupStudentTMax/2], w1[:groupStudentTMax/2], group[:groupStudentTMax/2]
	checkCancelled(t, 300*time.Millisecond, func(ctx context.Context) error {
		_, err := CompareGroupsContext(ctx, s0, s1, sg, []string{"a", "b"}, 0)
		return err
	})
}

func TestCompareSecondPassesContextCancelled(t *testing.T) {
	// Two groups of groupStudentTMax/2 pairs, all kept by the passes: the
	// exact profiles and the Student-t refit run as in memory.
	w0, w1, _ := cancelPairs(groupStudentTMax)
	h := len(w0) / 2
	passes := make([]*SecondPass, 2)
	for g := range passes {
		a, b := w0[g*h:(g+1)*h], w1[g*h:(g+1)*h]
		sc := NewScan(nil, 0)
		sc.Add(a, b)
		passes[g] = sc.SecondPass(h, 1)
		passes[g].Add(a, b)
	}
	checkCancelled(t, 200*time.Millisecond, func(ctx context.Context) error {
		_, err := CompareSecondPassesContext(ctx, []string{"a", "b"}, passes)
		return err
	})
}
