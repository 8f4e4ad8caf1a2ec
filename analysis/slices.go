package analysis

import (
	"context"

	"github.com/syngeom/syngeom/ingest"
)

// AnalyzeSlices analyses weights held in memory: pairs (Before[i] and
// After[i] one synapse), two unpaired samples (in.Unpaired) or one sample
// (in.After nil), with optional group labels. The values go through the
// checks of the file readers (ingest.FromSlices): NaN, ±Inf and, with
// in.Zero = ingest.ZeroMissing, zeros are excluded and counted in
// Result.Input.Excluded, never dropped silently; zeros, negative values and
// sign flips that are kept are counted in Result.Input.Counts. The Result
// holds copies of the values: it does not alias in's slices, which the
// caller may reuse at once. Input.Name is in.Name (or
// ingest.DefaultSlicesName) and Input.Files is empty. It stops when ctx is
// done, as AnalyzeContext.
//
// Start from DefaultOptions for the settings of syngeom analyze.
func AnalyzeSlices(ctx context.Context, in ingest.Slices, opts Options) (*Result, error) {
	d, err := ingest.FromSlices(in)
	if err != nil {
		return nil, err
	}
	res, err := AnalyzeContext(ctx, d, opts)
	if err != nil {
		return nil, err
	}
	res.Input.Name = in.Name
	if res.Input.Name == "" {
		res.Input.Name = ingest.DefaultSlicesName
	}
	res.Settings.ZeroPolicy = zeroPolicy(ingest.Options{Zero: in.Zero})
	return res, nil
}
