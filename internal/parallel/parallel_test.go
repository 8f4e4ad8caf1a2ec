package parallel

import (
	"sync/atomic"
	"testing"
)

func TestForVisitsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		for _, workers := range []int{-1, 0, 1, 2, 3, 64} {
			seen := make([]atomic.Int32, n)
			maxW := max(1, min(workers, n))
			For(n, workers, func(i, w int) {
				if w < 0 || w >= maxW {
					t.Errorf("n=%d workers=%d: worker id %d out of [0, %d)", n, workers, w, maxW)
				}
				seen[i].Add(1)
			})
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Fatalf("n=%d workers=%d: index %d visited %d times", n, workers, i, c)
				}
			}
		}
	}
}

func TestForOneWorkerRunsInOrder(t *testing.T) {
	var got []int
	For(5, 1, func(i, w int) { got = append(got, i) })
	for i, v := range got {
		if v != i {
			t.Fatalf("order %v", got)
		}
	}
	if len(got) != 5 {
		t.Fatalf("got %d calls", len(got))
	}
}
