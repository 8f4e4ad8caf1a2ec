// Package parallel runs indexed work on a bounded number of goroutines, so
// that every package splits work the same way and results do not depend on
// the number of cores: each index owns its output, and callers combine the
// outputs in index order.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers is the number of workers meant by a requested count w: w itself,
// or runtime.GOMAXPROCS(0) for w ≤ 0 (the default everywhere).
func Workers(w int) int {
	if w <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w
}

// Chunks cuts [0, n) into consecutive chunks of size elements (the last
// may be shorter) and calls fn(c, lo, hi, w) for chunk c = [lo, hi) through
// For. The cut depends only on n and size, so per-chunk results combined in
// chunk order do not depend on workers.
func Chunks(n, size, workers int, fn func(c, lo, hi, w int)) {
	nc := (n + size - 1) / size
	For(nc, workers, func(c, w int) { fn(c, c*size, min((c+1)*size, n), w) })
}

// For calls fn(i, w) for every i in [0, n) on min(workers, n) goroutines
// (at least one). Indices are handed out in increasing order as goroutines
// become free; w in [0, workers) identifies the goroutine, so that it can
// own reusable buffers. With one worker fn runs on the calling goroutine,
// in index order. Callers choose the default (runtime.GOMAXPROCS) for
// workers ≤ 0 themselves; For treats it as one.
func For(n, workers int, fn func(i, w int)) {
	workers = max(1, min(workers, n))
	if workers == 1 {
		for i := 0; i < n; i++ {
			fn(i, 0)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i, w)
			}
		}()
	}
	wg.Wait()
}
