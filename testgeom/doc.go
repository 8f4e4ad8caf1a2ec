// Package testgeom tests which plasticity geometry is most consistent with
// synaptic weights measured before and after learning, following Pogodin et
// al., "Synaptic Weight Distributions Depend on the Geometry of Plasticity"
// (ICLR 2024).
//
// A geometry is a mirror-descent potential (geometry.Potential): the p-norms
// (p = 2 is Euclidean gradient descent), negative entropy (NE,
// multiplicative updates), the continuous Box–Cox family joining them
// (λ = p − 1, λ = 0 is NE) and hypentropy. Under a potential with dual map
// g the theory predicts g(w1) = g(w0) + ξ with ξ Gaussian and independent of
// w0; the package measures how well each candidate meets that prediction.
//
// # Paired data
//
// TestPaired scores each candidate on pairs (w0, w1) by its dual shifts
// d = g(w1) − g(w0):
//   - the paper's ΔCDF (uncentred and centred) and change magnitude, equal
//     to the authors' code to rounding (1000-point grid on [−5, 5], strict <,
//     unbiased standard deviation), with p-values from a parametric
//     bootstrap of the Gaussian null at the observed n (the uncentred one
//     holding the observed mean/sd ratio fixed);
//   - Anderson–Darling normality of d (case 3 p-value), skewness, excess
//     kurtosis, Spearman correlations of d and of |d − median d| with w0,
//     and binned shifts by quantile of w0;
//   - the log-likelihood of w1 given w0, Jacobian included.
//
// Across candidates a profile likelihood over the continuous λ gives λ̂,
// a 95% interval and LR tests of Euclidean (λ = 1) and NE (λ = 0), both
// recalibrated by the sandwich variance of λ̂ so that they hold for
// non-Gaussian steps (robust.go; per synapse with Options.Clusters); a
// bootstrap over synapses counts how often each candidate wins and gives a
// percentile interval of λ̂ (bootstrap.go: each replicate walks only its
// candidates' coarse rungs and finds λ̂ on one fine ladder shared by the
// replicates, the one a replicate would plan about the sample's interval
// widened for a subsample, and is scanned whole when its maximum is not
// inside).
// A second step model (StepModels) lets the dual step be Student-t with
// estimated degrees of freedom, profiled over λ in the same way, with its
// own interval and a likelihood-ratio test of the Gaussian (ν = ∞).
// The verdict says which geometry the data are "most consistent with", or
// that the Gaussian dual-shift model fits poorly.
//
// # Groups and other designs
//
// TestGroups runs TestPaired on all pairs pooled and on each group
// (package compare tests one λ shared by the groups); the pooled first pass
// is the merge of the groups' (GroupFirstPasses), so each pair is scanned
// once in it, as in a streamed test. Options.Shards makes the in-memory
// passes cut their chunks at the files' boundaries, as streamed passes do. TestUnpaired compares a before
// and an after sample of different synapses: the after sample must follow
// the before sample convolved with a Gaussian step in dual space, and the
// 1-Wasserstein distance to that prediction ranks the candidates.
// TestSnapshot fits a K-point initial law moved by a Gaussian dual step to
// a single sample, per geometry, compared by BIC. Measurement noise and
// the no-learning control are handled by packages noise and compare.
//
// # Zeros and sign changes
//
// The paper's statistics use every pair on which g is defined: a zero
// weight drops the pair for NE only; a pair that changes sign is kept, as
// the authors' code keeps it (NE's sign-aware g gives it a large shift). The
// likelihood uses the pairs with both weights nonzero. A sign change has
// zero probability when λ ≤ 0 (each half-line is mapped onto the whole
// line), so with any flip ℓ(λ) = −∞ there, the NE log-likelihood is null
// and the NE LR test rejects with p = 0. For λ > 0 a flipping pair uses
// u_λ(w) = sign(w)|w|^λ/λ, the monotone dual of the p-norm p = λ + 1; it
// differs from the Box–Cox form sign(w)(|w|^λ − 1)/λ by a constant on each
// half-line, which cancels in d for the pairs that keep their sign.
//
// # Scale
//
// The analysis is two passes of mergeable accumulators: Scan (moments of
// every candidate's shifts and of the Box–Cox shifts on a λ ladder, with
// Σ log|w1|) and SecondPass (counts of the standardised shifts on the ΔCDF
// grid, which make ΔCDF exact without sorting, higher moments and a
// deterministic subsample for the rank diagnostics and the bootstrap).
// |w|^λ is computed as exp(λ log|w|) once and stepped along the ladder by
// multiplication (exp and log themselves are table-driven versions accurate
// to a few ulp). λ̂ and its interval are refined on a fine ladder of the
// exact likelihood around the coarse interval, evaluated in one more pass
// and interpolated by cubics; an exact evaluation is the fallback outside
// it. Batches are cut into fixed chunks processed on all cores
// and merged in order, so results do not depend on the number of cores;
// partial results of different batches or machines combine with Merge.
//
// On amd64 processors with AVX2 and FMA the hot loops (the ladder walks,
// exp and log by blocks, the grid positions of the binning, the robust
// score's shifts and their derivatives) run four pairs
// to a vector register, in assembly (kernels_amd64.s, fastmath_amd64.s);
// with AVX-512, exp and log by blocks and the binning run eight values to
// a register, and the coarse and fine ladder walks two groups of four
// pairs at once.
// They do the Go loops' operations in the Go loops' order, so the results
// are the same bits with or without them; the Go loops are the fallback
// elsewhere and with the build tag purego, and the tests compare the two.
//
// # Cancellation
//
// Each long-running test has a …Context variant that returns ctx.Err()
// soon after ctx is done, and the name without it runs under
// context.Background(): TestPairedContext (TestPairedSampleContext,
// TestPairedRunContext), ResultsContext, TestGroupsContext,
// TestUnpairedContext, TestSnapshotContext and TestSnapshotGroupsContext.
// They look at ctx between blocks of pairs, stages, resamples and
// likelihood evaluations; a cancelled call's partial work is discarded.
//
// # Analyses built on the test
//
// Two packages build on this one and are not imported by it: compare (a
// shared λ across conditions and groups: the control comparison and the
// group comparisons) and noise (λ̂ corrected for measurement noise). They
// use the profile likelihood of λ through a small API: FitLambda,
// MaximizeProfile, ScaledInterval, CurvatureSE and LikelihoodRatio with
// LambdaFit; PairLikelihood (and its StudentTLikelihood) for in-memory
// pairs; SecondPass.LogLikInterpolated, Compared and SampleLikelihood for
// groups read in two passes; FormatCI and DescribeLambda for their
// verdicts, and ClusterMembers for their cluster bootstraps.
package testgeom
