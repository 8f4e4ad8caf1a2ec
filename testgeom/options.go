package testgeom

import (
	"context"
	"fmt"
)

// Validate reports options no test can use, as an error matching
// analysis.ErrInput that names the setting as the command line's flag does.
func (o Options) Validate() error {
	for _, c := range []struct {
		name string
		v    int
	}{{"bootstrap", o.Bootstrap}, {"null-replicates", o.NullReplicates}} {
		if c.v < 0 {
			return &inputError{fmt.Sprintf("%s must be ≥ 0, not %d", c.name, c.v)}
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"sample-max", o.SampleMax}, {"null-max-n", o.NullMaxN}, {"bins", o.Bins}} {
		if c.v < 0 {
			return &inputError{fmt.Sprintf("%s must be ≥ 1 (0: the default), not %d", c.name, c.v)}
		}
	}
	if o.Candidates != nil && len(o.Candidates) == 0 {
		return &inputError{"no candidates (nil means the paper's grid)"}
	}
	return nil
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
