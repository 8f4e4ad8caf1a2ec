package testgeom

import (
	"context"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/inputerr"
)

// Defaults of Options (DefaultOptions) and of its caps.
const (
	DefaultNullReplicates = 200    // Options.NullReplicates of DefaultOptions
	DefaultSampleMax      = 100000 // Options.SampleMax
	DefaultNullMaxN       = 100000 // Options.NullMaxN
	DefaultBins           = 20     // Options.Bins
	// MinPairs is the fewest usable pairs for which a candidate is scored.
	MinPairs = 10
)

// Options tune TestPaired and SecondPass.Result: the one set of options of
// the paired geometry test, carried unchanged by package stream
// (stream.Config.Test), package analysis (analysis.Options.Test), package
// power (power.Design.Test) and the command line. A zero field means the
// same everywhere: no resampling (Bootstrap, NullReplicates), the paper's
// candidates, seed 0 and the documented default of each cap.
// DefaultOptions are the settings of syngeom test. Options encode to JSON
// (candidates by name), so that they travel to distributed workers.
type Options struct {
	// Candidates are the geometries compared; nil means the paper's grid,
	// NE and p = 1.1, 1.2, …, 3.0 (DefaultCandidates).
	Candidates geometry.Potentials `json:"candidates"`
	// Bootstrap is the number of resamples of synapses for win frequencies
	// and a percentile interval of λ̂; 0 skips it.
	Bootstrap int `json:"bootstrap"`
	// NullReplicates is the number of Gaussian-null simulations behind the
	// calibrated ΔCDF p-values; 0 skips them (Validate refuses < 0).
	NullReplicates int    `json:"null_replicates"`
	Seed           uint64 `json:"seed"` // seeds every random choice (DefaultSeed in DefaultOptions)
	// Workers is the number of goroutines (≤ 0: GOMAXPROCS); it does not
	// change the result.
	Workers int `json:"workers"`
	// SampleMax caps the pairs used for the rank and Anderson–Darling
	// diagnostics and resampled by the bootstrap; larger data use a
	// deterministic random subsample (0: DefaultSampleMax).
	SampleMax int `json:"sample_max,omitempty"`
	// NullMaxN caps the simulated sample size of the null; beyond it the
	// null is rescaled by √(n_sim/n) (0: DefaultNullMaxN).
	NullMaxN int `json:"null_max_n,omitempty"`
	// Bins is the number of quantile bins of w0 for the shift plots (0:
	// DefaultBins).
	Bins int `json:"bins,omitempty"`
	// NoStepModels skips the Gaussian and Student-t step-model comparison
	// (StepModels), for simulation studies that do not report it.
	NoStepModels bool `json:"no_step_models,omitempty"`
	// Clusters, when set (in-memory data only), marks pairs that share a
	// synapse (consecutive pairs of one chain): Clusters[i] is pair i's
	// synapse. The second pass then takes them with their labels
	// (SecondPass.AddSynapses) and keeps whole synapses; λ̂'s interval
	// sums scores per synapse and the bootstrap resamples whole synapses
	// (robust.go, clusterboot.go). It does not encode to JSON.
	Clusters []int32 `json:"-"`
	// Shards, when set (in-memory data only), are the sizes of consecutive
	// runs of the pairs that are shards of their own, such as the files of
	// a table read from several files. The passes restart their chunks at
	// each shard, as a streamed reading of the files does, so both give the
	// same result to the bit. nil: the pairs are one shard. It does not
	// encode to JSON.
	Shards []int `json:"-"`
	// ExactWeights says the weights are known exactly (network
	// checkpoints): the verdict then says λ̂ is the training's change, not
	// a mix of learning, fluctuations and measurement noise.
	ExactWeights bool `json:"exact_weights,omitempty"`

	ctx context.Context // set by TestPairedContext and ResultsContext; nil = never cancelled
	// nulls, set by Results, holds null replicates simulated for many scopes.
	nulls *nullBank
}

// err is the error of a cancelled run (TestPairedContext), else nil.
func (o *Options) err() error {
	if o.ctx == nil {
		return nil
	}
	return o.ctx.Err()
}

func (o Options) withDefaults() Options {
	if o.Candidates == nil {
		o.Candidates = geometry.DefaultCandidates()
	}
	if o.SampleMax <= 0 {
		o.SampleMax = DefaultSampleMax
	}
	if o.NullMaxN <= 0 {
		o.NullMaxN = DefaultNullMaxN
	}
	if o.Bins <= 0 {
		o.Bins = DefaultBins
	}
	o.Workers = workerCount(o.Workers)
	return o
}

// Validate reports options no test can use, as an *inputerr.OptionError
// (analysis.OptionError) naming the settings by their Go names; it matches
// analysis.ErrInput.
func (o Options) Validate() error {
	for _, c := range []struct {
		name string
		v    int
	}{{"Bootstrap", o.Bootstrap}, {"NullReplicates", o.NullReplicates}} {
		if c.v < 0 {
			return inputerr.Optionf("%s must be ≥ 0, not %d", inputerr.Setting(c.name), c.v)
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"SampleMax", o.SampleMax}, {"NullMaxN", o.NullMaxN}, {"Bins", o.Bins}} {
		if c.v < 0 {
			return inputerr.Optionf("%s must be ≥ 1 (0: the default), not %d", inputerr.Setting(c.name), c.v)
		}
	}
	if o.Candidates != nil && len(o.Candidates) == 0 {
		return inputerr.Optionf("%s is empty (nil means the paper's grid)", inputerr.Setting("Candidates"))
	}
	return nil
}

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
