package main

import (
	"fmt"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
)

// roundingFlags ask for the rounding-noise correction of checkpoints
// (analysis.CheckpointTestOptions.RoundingNoise).
type roundingFlags struct {
	on    bool
	pairs int
}

func addRoundingFlags(fs *pflag.FlagSet) *roundingFlags {
	f := &roundingFlags{}
	fs.BoolVar(&f.on, "rounding-noise", false, "network checkpoints: add λ̂ corrected for rounding to the stored dtype (bfloat16, float16) as known multiplicative noise, on a seeded subsample of the pairs (--noise-method, --noise-replicates, --noise-bootstrap apply)")
	fs.IntVar(&f.pairs, "rounding-noise-pairs", analysis.DefaultRoundingPairs, fmt.Sprintf("with --rounding-noise: the most pairs held in memory for the correction (a uniform random subsample drawn from --seed; at most %d)", analysis.MaxRoundingPairs))
	return f
}

// notForTables refuses the flags on a table of weights; their values are
// checked by analysis.CheckpointTestOptions.Validate.
func (f *roundingFlags) notForTables(fs *pflag.FlagSet) error {
	if fs.Changed("rounding-noise") || fs.Changed("rounding-noise-pairs") {
		return usagef("--rounding-noise corrects for the rounding of two network checkpoints; for a table of weights give the noise with --noise-cv/--noise-sd")
	}
	return nil
}
