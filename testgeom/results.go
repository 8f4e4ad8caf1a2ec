package testgeom

import (
	"context"
	"maps"
	"slices"

	"github.com/syngeom/syngeom/internal/parallel"
)

// Results finishes the second passes of several scopes (all pairs and each
// group, say) with the same options, as Result(nil, opts) would one by one,
// with the same values. Two things make it cheaper than a loop: the ΔCDF
// null replicates are drawn and bucketed once for every scope whose capped
// sample size is the same (nullSims gives each scope exactly its own
// values), and the scopes run side by side on opts.Workers goroutines
// (their Student-t fits are serial within a scope).
func Results(passes []*SecondPass, opts Options) ([]*Result, error) {
	return results(passes, opts, nil)
}

func results(passes []*SecondPass, opts Options, each func(i int, o Options) Options) ([]*Result, error) {
	o := opts.withDefaults()
	if o.NullReplicates > 0 && len(passes) > 1 {
		opts.nulls = shareNull(passes, o)
	}
	out := make([]*Result, len(passes))
	errs := make([]error, len(passes))
	parallel.For(len(passes), o.Workers, func(i, _ int) {
		oi := opts
		if each != nil {
			oi = each(i, opts)
		}
		out[i], errs[i] = passes[i].Result(nil, oi)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// nullBank holds the null replicates of several scopes, simulated together.
type nullBank struct {
	reps, maxN int
	seed       uint64
	cen        map[int64][]float64
	unc        map[nullKey][]float64
}

type nullKey struct {
	n int64
	r float64
}

// lookup returns the replicates for sample size n and the ratios rs, if
// the bank holds them for the same replicates, cap and seed.
func (b *nullBank) lookup(n int64, rs []float64, o Options) (cen []float64, unc [][]float64, ok bool) {
	if b == nil || b.reps != o.NullReplicates || b.maxN != o.NullMaxN || b.seed != o.Seed {
		return nil, nil, false
	}
	if cen, ok = b.cen[n]; !ok {
		return nil, nil, false
	}
	unc = make([][]float64, len(rs))
	for i, r := range rs {
		if unc[i], ok = b.unc[nullKey{n, r}]; !ok {
			return nil, nil, false
		}
	}
	return cen, unc, true
}

// shareNull simulates the null replicates that the scopes' calibrations
// will ask for: one simulation per capped sample size.
func shareNull(passes []*SecondPass, o Options) *nullBank {
	b := &nullBank{reps: o.NullReplicates, maxN: o.NullMaxN, seed: o.Seed,
		cen: map[int64][]float64{}, unc: map[nullKey][]float64{}}
	want := map[int64][]float64{} // ratios by n, each once
	seen := map[nullKey]bool{}
	for _, g := range passes {
		g.finish()
		if g.p.compared() < MinPairs {
			continue
		}
		for c := range g.scan.plans {
			cand := g.candidate(c)
			if cand.DCDF == nil {
				continue
			}
			k := nullKey{cand.N, *cand.ShiftMean / *cand.ShiftSD}
			if _, ok := want[k.n]; !ok {
				want[k.n] = nil
			}
			if !seen[k] {
				seen[k] = true
				want[k.n] = append(want[k.n], k.r)
			}
		}
	}
	byCap := map[int][]int64{}
	for n := range want {
		c := int(min(n, int64(o.NullMaxN)))
		byCap[c] = append(byCap[c], n)
	}
	for _, nsim := range slices.Sorted(maps.Keys(byCap)) {
		ns := byCap[nsim]
		slices.Sort(ns)
		rs := make([][]float64, len(ns))
		for j, n := range ns {
			rs[j] = want[n]
		}
		cen, unc := nullSims(nsim, ns, rs, o.NullReplicates, o.Seed, o.Workers, func() bool { return o.err() != nil })
		for j, n := range ns {
			b.cen[n] = cen[j]
			for i, r := range rs[j] {
				b.unc[nullKey{n, r}] = unc[j][i]
			}
		}
	}
	return b
}

// ResultsContext is Results that stops when ctx is done and then returns
// ctx.Err(): it looks at ctx between null simulations, resamples and
// stages.
func ResultsContext(ctx context.Context, passes []*SecondPass, opts Options) ([]*Result, error) {
	return ResultsEachContext(ctx, passes, opts, nil)
}

// ResultsEachContext is ResultsContext with the options of passes[i]
// adjusted by each(i, opts) (nil: none): a bootstrap of some scopes only,
// say. each must keep the candidates, sample size, seed and null settings
// the passes were started with.
func ResultsEachContext(ctx context.Context, passes []*SecondPass, opts Options, each func(i int, o Options) Options) ([]*Result, error) {
	opts.ctx = ctx
	return results(passes, opts, each)
}
