package testgeom

import (
	"context"
	"fmt"
)

// TestPaired runs the whole paired analysis on in-memory pairs (w0[i],
// w1[i]): both passes of the scan (the second also evaluates the exact
// likelihood on the fine λ ladder), the likelihood profile, the
// calibration, the diagnostics, the optional bootstrap and the verdict.
func TestPaired(w0, w1 []float64, opts Options) (*Result, error) {
	r, _, _, err := TestPairedSample(w0, w1, opts)
	return r, err
}

// TestPairedContext is TestPaired that stops when ctx is done and then
// returns ctx.Err(). It looks at ctx between blocks of pairs in the passes,
// between the stages of the analysis and between resamples.
func TestPairedContext(ctx context.Context, w0, w1 []float64, opts Options) (*Result, error) {
	r, _, _, err := TestPairedSampleContext(ctx, w0, w1, opts)
	return r, err
}

// TestPairedSample is TestPaired that also returns the subsample of pairs
// behind the diagnostics and the bootstrap (see SecondPass.Sample), so that
// other estimates (distribution fits) can use the pairs a streaming run
// would use.
func TestPairedSample(w0, w1 []float64, opts Options) (r *Result, s0, s1 []float64, err error) {
	return TestPairedSampleContext(context.Background(), w0, w1, opts)
}

// TestPairedSampleContext is TestPairedSample that stops when ctx is done
// (see TestPairedContext).
func TestPairedSampleContext(ctx context.Context, w0, w1 []float64, opts Options) (r *Result, s0, s1 []float64, err error) {
	run, err := TestPairedRunContext(ctx, w0, w1, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	return run.Result, run.W0, run.W1, nil
}

// PairedRun is a paired test with what its passes hold beside the Result:
// the kept subsample and the profile log-likelihood, for the figures of an
// analysis, which then need no further pass over the pairs.
type PairedRun struct {
	Result *Result // the test's result
	// W0 and W1 are the kept subsample of pairs (SecondPass.Sample).
	W0, W1 []float64
	// LogLik is ℓ(λ) from the passes' sums (SecondPass.LogLik): NaN off
	// the coarse grid and the fine ladder, as when streaming.
	LogLik func(lambda float64) float64
	// Pass is the finished second pass, for the comparison of groups from
	// their passes (compare.SecondPasses), as a streamed run makes it.
	Pass *SecondPass
}

// TestPairedRunContext is TestPairedSampleContext returning the PairedRun.
func TestPairedRunContext(ctx context.Context, w0, w1 []float64, opts Options) (*PairedRun, error) {
	sc, err := FirstPassContext(ctx, w0, w1, opts)
	if err != nil {
		return nil, err
	}
	return TestPairedFromContext(ctx, sc, w0, w1, opts)
}

// FirstPassContext is the first pass over pairs in memory, shard by shard
// (Options.Shards), as a streamed reading makes it: the Scan that
// TestPairedFromContext finishes. It stops when ctx is done and then
// returns ctx.Err().
func FirstPassContext(ctx context.Context, w0, w1 []float64, opts Options) (*Scan, error) {
	if err := checkPairs(w0, w1, opts); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	sc := NewScan(opts.Candidates, opts.Workers)
	err := eachShard(opts.Shards, len(w0), func(lo, hi int) error {
		if opts.Shards == nil {
			return feedPairs(ctx, w0[lo:hi], w1[lo:hi], sc.Add)
		}
		shard := NewScan(opts.Candidates, opts.Workers)
		if err := feedPairs(ctx, w0[lo:hi], w1[lo:hi], shard.Add); err != nil {
			return err
		}
		return sc.Merge(shard)
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// TestPairedFromContext is TestPairedRunContext from the first pass sc:
// FirstPassContext of the same pairs and options, or the merge (Scan.Merge)
// of the first passes of the groups that partition them, which is how the
// pooled first pass of grouped pairs is made, in memory and streamed.
func TestPairedFromContext(ctx context.Context, sc *Scan, w0, w1 []float64, opts Options) (*PairedRun, error) {
	if err := checkPairs(w0, w1, opts); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if n := sc.Pairs() + sc.final().nonFinite; n != int64(len(w0)) {
		return nil, &inputError{fmt.Sprintf("testgeom: a first pass of %d pairs for %d pairs", n, len(w0))}
	}
	if err := sameCandidates(sc.cands, opts.Candidates); err != nil {
		return nil, &inputError{"testgeom: the first pass was made for other candidates than the options'"}
	}
	opts.ctx = ctx
	sec := sc.SecondPass(opts.SampleMax, opts.Seed)
	// Pairs that share synapses go in with their labels, as a streamed
	// reading of consecutive pairs gives them.
	feed := func(g *SecondPass, lo, hi int) error {
		if opts.Clusters == nil {
			return feedPairs(ctx, w0[lo:hi], w1[lo:hi], g.Add)
		}
		syn := opts.Clusters[lo:hi]
		return feedPairs(ctx, w0[lo:hi], w1[lo:hi], func(a, b []float64) {
			g.AddSynapses(a, b, syn[:len(a)])
			syn = syn[len(a):]
		})
	}
	err := eachShard(opts.Shards, len(w0), func(lo, hi int) error {
		if opts.Shards == nil {
			return feed(sec, lo, hi)
		}
		shard := sc.SecondPass(opts.SampleMax, opts.Seed)
		shard.SetPosition(int64(lo)) // as a streamed pass numbers the pairs
		if err := feed(shard, lo, hi); err != nil {
			return err
		}
		return sec.Merge(shard)
	})
	if err != nil {
		return nil, err
	}
	r, err := sec.Result(shardExact(w0, w1, opts.Shards, opts.Workers), opts)
	if err != nil {
		return nil, err
	}
	s0, s1 := sec.Sample()
	return &PairedRun{Result: r, W0: s0, W1: s1, LogLik: sec.LogLik(), Pass: sec}, nil
}

// checkPairs refuses columns of different lengths, and cluster labels or
// shard sizes that do not fit the pairs.
func checkPairs(w0, w1 []float64, opts Options) error {
	if len(w0) != len(w1) {
		return &inputError{fmt.Sprintf("testgeom: %d before values but %d after values", len(w0), len(w1))}
	}
	if opts.Clusters != nil && len(opts.Clusters) != len(w0) {
		return &inputError{fmt.Sprintf("testgeom: %d cluster labels for %d pairs", len(opts.Clusters), len(w0))}
	}
	return checkShards(opts.Shards, len(w0))
}

// feedPairs hands the pairs to add in blocks, looking at ctx before each.
// The passes cut their input into fixed chunks whatever the blocks they
// are fed, so the blocks change no result.
func feedPairs(ctx context.Context, w0, w1 []float64, add func(a, b []float64)) error {
	for lo := 0; lo < len(w0) || lo == 0; lo += cancelBlock {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(len(w0), lo+cancelBlock)
		add(w0[lo:hi], w1[lo:hi])
	}
	return nil
}

// checkShards refuses shard sizes that do not add up to the n pairs.
func checkShards(shards []int, n int) error {
	total := 0
	for _, s := range shards {
		if s < 0 {
			return &inputError{fmt.Sprintf("testgeom: a shard of %d pairs", s)}
		}
		total += s
	}
	if shards != nil && total != n {
		return &inputError{fmt.Sprintf("testgeom: shards of %d pairs in all for %d pairs", total, n)}
	}
	return nil
}

// eachShard calls fn with the bounds of each shard of n pairs in order
// (Options.Shards; nil: one shard of all n).
func eachShard(shards []int, n int, fn func(lo, hi int) error) error {
	if shards == nil {
		return fn(0, n)
	}
	lo := 0
	for _, s := range shards {
		if err := fn(lo, lo+s); err != nil {
			return err
		}
		lo += s
	}
	return nil
}

// SubsetShards is the Shards of the pairs idx (increasing positions) of
// pairs split into shards: how many of them each shard holds. nil for nil.
func SubsetShards(shards []int, idx []int) []int {
	if shards == nil {
		return nil
	}
	out := make([]int, len(shards))
	s, end := 0, 0
	if len(shards) > 0 {
		end = shards[0]
	}
	for _, i := range idx {
		for i >= end && s < len(shards)-1 {
			s++
			end += shards[s]
		}
		out[s]++
	}
	return out
}

// LogLikelihood is the profile log-likelihood ℓ(λ) of w1 given w0 under the
// Box–Cox geometry λ (see the package notes on the likelihood); −Inf when a
// pair changes sign and λ ≤ 0.
func LogLikelihood(w0, w1 []float64, lambda float64) float64 {
	return exactLogLik(w0, w1, lambda, 0)
}
