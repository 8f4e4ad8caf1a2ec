// Package power plans experiments: how many synapses are needed to tell the
// plasticity geometries apart? It simulates whole experiments under a known
// geometry (datasets.DualShift: an initial law, one Gaussian step in the
// dual space of the true potential, measurement noise) and runs the real
// analysis of package testgeom on each, exactly as the syngeom test command
// does, then reports per sample size and method how often the right family
// is named, how often Euclidean is rejected, and how wide the interval of
// the exponent is. With Design.Unpaired each experiment measures different
// synapses before and after and runs the unpaired test (Refine adds its
// likelihood estimate of λ); the initial law may be a measured sample
// (Empirical). PairedOutcomes and UnpairedOutcomes read each method's
// answer off one result, and Tally sums them into a Row.
//
// A family is the named geometry nearest to an exponent p (NE is p = 1):
// negative entropy, Euclidean (p = 2) or p = 3. Every simulation has its
// own seed, SimSeed(Design.Test.Seed, n, sim), so the numbers can be
// reproduced by a plain loop and do not depend on the number of cores.
// Design.Test are the options of each simulated test (testgeom.Options).
package power
