package main

import (
	"github.com/spf13/pflag"
)

// designFlags are the flags of syngeom test that concern unpaired samples
// and single snapshots.
type designFlags struct {
	refine         *bool
	momentsOnly    *bool
	detectionLimit *float64
}

// addDesignFlags declares them on the test command's flag set.
func addDesignFlags(fs *pflag.FlagSet) *designFlags {
	return &designFlags{
		refine:         fs.Bool("refine", false, "unpaired: add the maximum-likelihood fit over (λ, μ, σ) with a profile interval for λ (positive weights; slower)"),
		momentsOnly:    fs.Bool("moments-only", false, "unpaired: score each geometry at the moment estimates of the dual shift instead of the (μ, σ) that minimise the distance (faster)"),
		detectionLimit: fs.Float64("detection-limit", 0, "single snapshot: smallest observable weight (e.g. a minimum EM cleft size); the fit is truncated there (0 = none)"),
	}
}
