package analysis

import (
	"context"
	"fmt"

	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// RunStream analyses wide paired files that need not fit in memory: the
// geometry test runs in two passes over the files (package stream, each
// file a shard), and the distribution fits use the pairs the test keeps
// for its diagnostics, as the in-memory analysis does, so a single file
// gives the document of Run. cfg gives the input (files, columns or a
// Source, the groups' subsample cap); opts gives everything else, the
// test's options included (opts.Test: cfg.Test is not read). The result
// has the figures of Run (Scope.Figures, from the pairs the second pass
// keeps and its profile log-likelihood) but no per-pair data: WriteShifts
// reads the pairs a third time.
func RunStream(cfg stream.Config, opts Options) (*Result, error) {
	return RunStreamContext(context.Background(), cfg, opts)
}

// RunStreamContext is RunStream that stops when ctx is done and then
// returns ctx.Err(). It looks at ctx after every batch read in the
// passes, between null simulations and resamples, and between fits.
func RunStreamContext(ctx context.Context, cfg stream.Config, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if err := checkShiftGeometry(opts); err != nil {
		return nil, err
	}
	cfg.Test = opts.Test
	cfg.Summaries = true
	cfg.Progress = opts.Progress
	first, second, err := stream.PassesContext(ctx, cfg)
	if err != nil {
		return nil, err
	}
	// The pooled weights are fitted while the tests are assembled (their
	// diagnostics, bootstrap and null simulations leave a core idle at
	// times): the fits need only the kept pairs, which Sample puts in
	// order here once, and the first pass's statistics, which nothing else
	// reads.
	s0, s1 := second.Sample("")
	sums := first.Summaries("")
	type weights struct {
		sc  *Scope
		err error
	}
	fitted := make(chan weights, 1)
	go func() {
		sc, err := streamedWeights(ctx, "", s0, s1, sums, opts)
		fitted <- weights{sc, err}
	}()
	out, err := stream.AssembleContext(ctx, cfg, first, second)
	w := <-fitted
	if err != nil {
		return nil, err
	}
	if w.err != nil {
		return nil, w.err
	}
	in := out.Input
	n := int64(in.Pairs)
	res := &Result{Schema: Schema, Settings: settingsOf(opts), streamed: &cfg,
		Input: Input{Files: in.Files, Format: in.Format, Shape: string(ingest.ShapePaired), Columns: in.Columns,
			Rows: in.Rows, PairsUsed: n, NBefore: n, NAfter: n, Excluded: in.Excluded, Counts: in.Counts,
			Notes: in.Notes, Groups: []string{}}}
	res.Settings.ZeroPolicy = zeroPolicy(cfg.Ingest)
	if err := w.sc.completeStreamed(ctx, out.Geometry, s0, s1, second.LogLik(""), sums != nil, opts); err != nil {
		return nil, err
	}
	res.Scope = *w.sc
	// The groups' scopes are independent: they are completed several at
	// once, since one alone leaves cores idle between its fits (a
	// checkpoint has a group per tensor).
	scopes := make([]*Scope, len(out.Groups))
	errs := make([]error, len(out.Groups))
	parallel.For(len(out.Groups), parallel.Workers(opts.Test.Workers), func(i, _ int) {
		g := out.Groups[i]
		s0, s1 := second.Sample(g.Group)
		scopes[i], errs[i] = streamedScope(ctx, g.Group, g.Geometry, s0, s1, second.LogLik(g.Group), first.Summaries(g.Group), opts)
	})
	res.Groups = []Scope{}
	for i, g := range out.Groups {
		if errs[i] != nil {
			return nil, fmt.Errorf("group %s: %w", g.Group, errs[i])
		}
		res.Input.Groups = append(res.Input.Groups, g.Group)
		res.Groups = append(res.Groups, *scopes[i])
	}
	if err := compareStreamedGroups(ctx, res, cfg, first, second); err != nil {
		return nil, err
	}
	res.Verdict = overallVerdict(res)
	return res, nil
}

// streamedScope completes a scope from its paired test, kept pairs and
// profile log-likelihood.
func streamedScope(ctx context.Context, name string, r *testgeom.Result, s0, s1 []float64, loglik func(float64) float64, sums *[2]fit.SummaryAccumulator, opts Options) (*Scope, error) {
	sc, err := streamedWeights(ctx, name, s0, s1, sums, opts)
	if err != nil {
		return nil, err
	}
	if err := sc.completeStreamed(ctx, r, s0, s1, loglik, sums != nil, opts); err != nil {
		return nil, err
	}
	return sc, nil
}

// streamedWeights starts a scope with the fits of its before and after
// weights, which need only the kept pairs and the first pass's statistics
// (sums), not the paired test.
func streamedWeights(ctx context.Context, name string, s0, s1 []float64, sums *[2]fit.SummaryAccumulator, opts Options) (*Scope, error) {
	sc := &Scope{Group: name, Design: string(ingest.ShapePaired), FitComparisons: map[string]FitComparison{}, Warnings: []string{}}
	sc.data.candidates = opts.Test.Candidates
	if err := sc.fitWeights(streamedLabel(name), s0, s1, sums, opts, streamedFitOptions(ctx, opts)); err != nil {
		return nil, err
	}
	return sc, nil
}

// completeStreamed adds the paired test r to a scope of streamedWeights,
// then the fits of the dual shifts, the figures and the verdict. summed
// says the weights were fitted with the first pass's statistics: their
// comparisons then count every pair, which only the test knows.
func (sc *Scope) completeStreamed(ctx context.Context, r *testgeom.Result, s0, s1 []float64, loglik func(float64) float64, summed bool, opts Options) error {
	sc.N = NCount{Pairs: r.N, Before: r.N, After: r.N}
	if summed {
		for _, k := range []string{"before", "after"} {
			c := sc.FitComparisons[k]
			c.N = int(r.N)
			sc.FitComparisons[k] = c
		}
	}
	sc.Geometry.Paired = r
	if err := sc.fitShifts(streamedLabel(sc.Group), s0, s1, opts, streamedFitOptions(ctx, opts)); err != nil {
		return err
	}
	sc.pairedFigures(s0, s1, loglik, sc.Group == "", opts.Test.Seed)
	sc.warn()
	sc.decide()
	return nil
}

// streamedLabel names a scope in progress messages.
func streamedLabel(group string) string {
	if group == "" {
		return "all synapses"
	}
	return "group " + group
}

// streamedFitOptions are the fits' options of a streamed analysis.
func streamedFitOptions(ctx context.Context, opts Options) fitOptions {
	return fitOptions{Options: fit.Options{GOFSamples: opts.GOFSamples, GOFMaxN: opts.GOFMaxN, Seed: opts.Test.Seed}, ctx: ctx}
}
