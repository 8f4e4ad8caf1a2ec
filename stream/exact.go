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
// and then a few dozen times. A long table is pivoted once, at the first
// evaluation, and its pivoted pairs read back at each (close removes
// them). The first error (a file changed or gone, ctx done) is kept, and ℓ
// is then NaN.
type exactReader struct {
	ctx     context.Context
	cfg     Config
	workers int

	once  sync.Once
	read  Config          // cfg, reading the pivoted pairs of a long table
	pivot *ingest.Pivoted // nil for other inputs

	mu  sync.Mutex
	err error
}

// source is the configuration the evaluations read.
func (r *exactReader) source() (Config, error) {
	r.once.Do(func() {
		r.read = r.cfg
		p, err := pivotOnce(r.ctx, r.cfg)
		if err != nil {
			r.fail(err)
			return
		}
		if p != nil {
			r.pivot, r.read.Source = p, pivotedSource(r.ctx, p)
		}
	})
	return r.read, r.failed()
}

// close removes the pivoted pairs of a long table, if any.
func (r *exactReader) close() {
	if r.pivot != nil {
		r.pivot.Close()
	}
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
		cfg, err := r.source()
		if err != nil {
			return math.NaN()
		}
		var split groupSplitter
		_, err = EachBatch(r.ctx, cfg, func(b *ingest.Batch) error {
			if group == "" {
				acc(b.File).Add(b.Before, b.After)
				return nil
			}
			split.split(b, func(name string, w0, w1 []float64, _ []uint64) {
				if name == group {
					acc(b.File).Add(w0, w1)
				}
			})
			return nil
		})
		if err != nil {
			r.fail(err)
			return math.NaN()
		}
		total := testgeom.NewLogLikAccumulator(lambda, r.workers)
		for _, f := range files {
			total.Merge(f)
		}
		return total.LogLik()
	}
}

// fail keeps err unless an earlier error was kept.
func (r *exactReader) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

// failed is the first error of an evaluation, if any.
func (r *exactReader) failed() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}
