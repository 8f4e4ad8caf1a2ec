// Package noise corrects the geometry estimate λ̂ of the paired test for
// measurement noise of a known model: its one job is the noise-aware
// estimate of `syngeom test` (docs/noise.md).
//
// A Model is the noise on each measured weight: w·m + e with m log-normal
// of mean 1 and coefficient of variation CV, and e ~ N(0, SD²).
// EstimateFromRepeats estimates it from two measurements of the same
// synapses without learning in between. Correct (CorrectContext to stop
// when a context is done) returns the corrected λ̂ next to the naive one:
// by indirect inference through the simulator by default (indirect.go:
// the experiment is simulated under each candidate λ, and the corrected λ̂
// solves mean simulated naive λ̂ = observed naive λ̂), or by SIMEX
// (simex.go), offered for comparison. The naive λ̂ is testgeom's
// Gaussian-step profile-likelihood estimate (testgeom.FitLambda).
//
// It imports testgeom (the naive fit, StatusOK, MinPairs and the wording
// of verdicts), geometry (the sign of a weight), internal/inputerr,
// internal/numeric, internal/parallel and internal/splitmix; testgeom does
// not import it.
package noise
