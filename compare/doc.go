// Package compare tests whether data sets share one plasticity geometry:
// its one job is the joint fits of the Box–Cox exponent λ across
// conditions and groups.
//
// Control compares learning with a no-learning control measured the same
// way: each condition's λ̂, a likelihood-ratio test of a shared λ and, at
// the shared λ̂, a test of the change size σ (control.go). Groups and
// GroupsClustered compare groups of pairs in memory (groups.go): each
// group's λ̂, the likelihood-ratio and robust (sandwich) tests of a common
// λ, the shared estimate with its interval widened by the groups' sandwich
// ratio (groups_robust.go), the DerSimonian–Laird spread of λ across
// groups, each group's deviation from the others with Holm's correction
// (groups_deviation.go), and a joint test of Gaussian against Student-t
// steps that makes the Student-t comparison the result when it rejects
// (groups_studentt.go). SecondPasses does the same for groups read in two
// passes (package stream), and Profiles on any groups' profile
// log-likelihoods (groups_stream.go). Each has a …Context variant that
// returns ctx.Err() soon after ctx is done.
//
// The likelihoods are testgeom's (testgeom.PairLikelihood, the second
// pass's profile), fitted by testgeom.MaximizeProfile. It imports
// testgeom, internal/inputerr, internal/numeric and internal/parallel;
// testgeom does not import it.
package compare
