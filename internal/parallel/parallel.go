// Package parallel runs indexed work on a bounded number of goroutines, so
// that every package splits work the same way and results do not depend on
// the number of cores: each index owns its output, and callers combine the
// outputs in index order.
package parallel

import (
	"sync"
	"sync/atomic"
)

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
