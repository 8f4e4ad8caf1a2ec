package testgeom

// DefaultSeed is the seed of every syngeom command unless --seed says
// otherwise.
const DefaultSeed = 1

// DefaultBootstrap is the number of resamples of synapses of syngeom test.
const DefaultBootstrap = 200

// DefaultOptions are the settings of syngeom test without flags: the
// paper's candidates, DefaultBootstrap resamples of synapses,
// DefaultNullReplicates null simulations and DefaultSeed. (syngeom analyze,
// which also fits distributions, resamples less by default: see
// analysis.DefaultOptions.) The zero Options differ in resampling nothing
// (no bootstrap, no calibrated p-values) and in seed 0.
func DefaultOptions() Options {
	return Options{Bootstrap: DefaultBootstrap, NullReplicates: DefaultNullReplicates, Seed: DefaultSeed}
}
