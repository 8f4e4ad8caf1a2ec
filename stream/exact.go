package stream

import (
	"context"
	"math"
	"sync"

	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// exactReader evaluates ℓ(λ) of a scope from a further read of the files
// (EachBatch), where the passes' λ grid and fine ladder do not reach (λ̂
// at the edge of the grid, say): what a test of the pairs in memory
// evaluates on them. Each file's pairs are summed apart and the files
// merged in order (testgeom.LogLikAccumulator), as the in-memory test sums
// the shards of a table in several files, so both give the same to the
// bit. Each evaluation reads every file again; the searches need it rarely,
// and then a few dozen times. The first error (a file changed or gone,
// ctx done) is kept, and ℓ is then NaN.
type exactReader struct {
	ctx     context.Context
	cfg     Config
	workers int
	mu      sync.Mutex
	err     error
}

// logLik returns ℓ(λ) of all pairs (group "") or of one group's.
func (r *exactReader) logLik(group string) func(float64) float64 {
	return func(lambda float64) float64 {
		var files []*testgeom.LogLikAccumulator
		acc := func(file int) *testgeom.LogLikAccumulator {
			for len(files) <= file {
				files = append(files, testgeom.NewLogLikAccumulator(lambda, r.workers))
			}
			return files[file]
		}
		var split groupSplitter
		_, err := EachBatch(r.ctx, r.cfg, func(b *ingest.Batch) error {
			if group == "" {
				acc(b.File).Add(b.Before, b.After)
				return nil
			}
			split.split(b, func(name string, w0, w1 []float64) {
				if name == group {
					acc(b.File).Add(w0, w1)
				}
			})
			return nil
		})
		if err != nil {
			r.mu.Lock()
			if r.err == nil {
				r.err = err
			}
			r.mu.Unlock()
			return math.NaN()
		}
		total := testgeom.NewLogLikAccumulator(lambda, r.workers)
		for _, f := range files {
			total.Merge(f)
		}
		return total.LogLik()
	}
}

// failed is the first error of an evaluation, if any.
func (r *exactReader) failed() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}
