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
	out, err := stream.AssembleContext(ctx, cfg, first, second)
	if err != nil {
		return nil, err
	}
	in := out.Input
	n := int64(in.Pairs)
	res := &Result{Schema: Schema, Settings: settingsOf(opts), streamed: &cfg,
		Input: Input{Files: in.Files, Format: in.Format, Shape: string(ingest.ShapePaired), Columns: in.Columns,
			Rows: in.Rows, PairsUsed: n, NBefore: n, NAfter: n, Excluded: in.Excluded, Counts: in.Counts,
			Notes: in.Notes, Groups: []string{}}}
	res.Settings.ZeroPolicy = zeroPolicy(cfg.Ingest)
	s0, s1 := second.Sample("")
	pooled, err := streamedScope(ctx, "", out.Geometry, s0, s1, second.LogLik(""), first.Summaries(""), opts)
	if err != nil {
		return nil, err
	}
	res.Scope = *pooled
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
	sc := &Scope{Group: name, Design: string(ingest.ShapePaired), FitComparisons: map[string]FitComparison{}, Warnings: []string{}}
	sc.data.candidates = opts.Test.Candidates
	label := "all synapses"
	if name != "" {
		label = "group " + name
	}
	sc.N = NCount{Pairs: r.N, Before: r.N, After: r.N}
	sc.Geometry.Paired = r
	fo := fitOptions{Options: fit.Options{GOFSamples: opts.GOFSamples, GOFMaxN: opts.GOFMaxN, Seed: opts.Test.Seed}, ctx: ctx}
	if err := sc.fitPaired(label, s0, s1, sums, opts, fo); err != nil {
		return nil, err
	}
	sc.pairedFigures(s0, s1, loglik, name == "", opts.Test.Seed)
	sc.warn()
	sc.decide()
	return sc, nil
}
