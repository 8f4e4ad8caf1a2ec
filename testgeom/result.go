package testgeom

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/internal/parallel"
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
	// synapse. λ̂'s interval then sums scores per synapse and the bootstrap
	// resamples whole synapses (robust.go, clusterboot.go). It does not
	// encode to JSON.
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

// Candidate is one geometry's scores on paired data. Pointers are null
// when a value does not exist (Status says why); no NaN or Inf is stored.
type Candidate struct {
	Name   string   `json:"name"`           // the potential's name: "NE", "p=1.1", "hypentropy(beta=…)"
	P      *float64 `json:"p"`              // p-norm exponent; null for NE and hypentropy
	Lambda *float64 `json:"lambda"`         // Box–Cox λ = p − 1 (0 for NE); null for hypentropy
	Beta   *float64 `json:"beta,omitempty"` // the hypentropy's β; absent for other potentials
	N      int64    `json:"n"`              // pairs in the paper's statistics: the compared pairs, the same for every candidate
	// Excluded counts the pairs left out of N (pairs with a zero weight,
	// which not every candidate can use).
	Excluded map[string]int64 `json:"excluded,omitempty"`
	// UsableNotCompared counts the pairs with a zero weight this potential
	// could use (p-norms, hypentropy), left out so that every candidate is
	// scored on the same pairs.
	UsableNotCompared int64  `json:"usable_not_compared,omitempty"`
	SignFlips         int64  `json:"sign_flips"` // pairs whose weight changes sign
	Status            string `json:"status"`     // StatusOK, or why the candidate was not scored

	DCDF               *float64 `json:"dcdf"`                  // the paper's uncentred ΔCDF
	DCDFCentered       *float64 `json:"dcdf_centered"`         // centred variant
	DCDFPValue         *float64 `json:"dcdf_p_value"`          // calibrated, Gaussian null at n and mean/sd
	DCDFCenteredPValue *float64 `json:"dcdf_centered_p_value"` // calibrated like DCDFPValue
	// DCDFNullRange is the central 95% range of the uncentred ΔCDF in the
	// calibration's simulations (Gaussian shifts at this n and mean/sd):
	// candidates whose ΔCDF differ by less than its width are not told apart.
	DCDFNullRange *[2]float64 `json:"dcdf_null_range,omitempty"`
	// DCDFPAtFloor and DCDFCenteredPAtFloor say that no null simulation
	// reached the observed ΔCDF: the p-value is 1/(null_replicates + 1),
	// and the true p is below it.
	DCDFPAtFloor         bool     `json:"dcdf_p_at_floor,omitempty"`
	DCDFCenteredPAtFloor bool     `json:"dcdf_centered_p_at_floor,omitempty"` // the same for DCDFCenteredPValue
	Magnitude            *float64 `json:"magnitude"`                          // ‖d‖₂ / ‖g(w0)‖₂
	// RelativeStep is the root mean square of the dual step d relative to
	// the standard deviation of g(w0), on the diagnostics sample. Unlike
	// Magnitude it does not depend on the unit of the weights (under NE,
	// g = 1 + log w moves by log c when the unit changes), so the
	// large-change warning uses it.
	RelativeStep *float64 `json:"relative_step"`

	ShiftMean      *float64 `json:"shift_mean"`      // mean of the dual shifts d
	ShiftSD        *float64 `json:"shift_sd"`        // standard deviation of d
	Skewness       *float64 `json:"skewness"`        // skewness of d
	ExcessKurtosis *float64 `json:"excess_kurtosis"` // excess kurtosis of d

	LogLik       *float64 `json:"loglik"`                  // log-likelihood of w1 given w0, Jacobian included
	LogLikStatus string   `json:"loglik_status,omitempty"` // why LogLik is null, when it is

	DiagnosticsN       int      `json:"diagnostics_n"`              // pairs behind the diagnostics below (a random subsample above SampleMax)
	AD                 *float64 `json:"ad"`                         // Anderson–Darling statistic of the normality of d
	ADPValue           *float64 `json:"ad_p_value"`                 // case 3, D'Agostino & Stephens (1986)
	ADPAtFloor         bool     `json:"ad_p_at_floor,omitempty"`    // ad_p_value underflowed: p < 1e-300
	SpearmanShiftW0    *float64 `json:"spearman_shift_w0"`          // Spearman's ρ between d and w0 (independence of the step from the weight)
	SpearmanShiftW0P   *float64 `json:"spearman_shift_w0_p_value"`  // its p-value
	SpearmanSpreadW0   *float64 `json:"spearman_spread_w0"`         // Spearman's ρ between |d − median d| and w0
	SpearmanSpreadW0P  *float64 `json:"spearman_spread_w0_p_value"` // its p-value
	Bins               []Bin    `json:"bins,omitempty"`             // shift means and sds in quantile bins of w0, for the shift plots
	dcdfV, logLikValue float64
}

// LRTest is a likelihood-ratio test of a fixed λ against the profile maximum.
type LRTest struct {
	Lambda float64  `json:"lambda"`  // the λ tested
	Stat   *float64 `json:"stat"`    // 2Δℓ, χ² with one degree of freedom
	PValue *float64 `json:"p_value"` // under Gaussian steps
	// PAtFloor says that p_value underflowed: p < 1e-300.
	PAtFloor bool   `json:"p_at_floor,omitempty"`
	Status   string `json:"status,omitempty"` // why there is no statistic, when there is none
	// StatRobust is Stat divided by the sandwich scale k of LambdaInterval
	// (the robust LR statistic), PValueRobust its χ²₁ p-value: the test for
	// non-Gaussian steps (and, with clusters, for chains) that the verdict
	// uses.
	StatRobust   *float64 `json:"stat_robust,omitempty"`
	PValueRobust *float64 `json:"p_value_robust,omitempty"` // χ²₁ p-value of StatRobust
}

// LRTests holds the tests of the two named geometries.
type LRTests struct {
	Euclidean       LRTest `json:"euclidean"`        // λ = 1
	NegativeEntropy LRTest `json:"negative_entropy"` // λ = 0
}

// ProfilePoint is ℓ(λ) on the coarse grid, for plots.
type ProfilePoint struct {
	Lambda float64  `json:"lambda"` // a point of the λ grid
	LogLik *float64 `json:"loglik"` // the profile log-likelihood there; null where not finite
}

// Bootstrap summarises resampling of synapses.
type Bootstrap struct {
	Replicates     int                `json:"replicates"`      // resamples drawn
	SampleN        int                `json:"sample_n"`        // pairs drawn per replicate
	Subsampled     bool               `json:"subsampled"`      // SampleN is below the number of compared pairs
	WinsDCDF       map[string]float64 `json:"wins_dcdf"`       // fraction of resamples each candidate wins by ΔCDF
	WinsLikelihood map[string]float64 `json:"wins_likelihood"` // fraction of resamples each candidate wins by likelihood
	LambdaCI       [2]*float64        `json:"lambda_ci"`       // 95% percentile interval of λ̂
	Note           string             `json:"note,omitempty"`  // how the resampling went, e.g. whole synapses under clustering
}

// Result is the paired geometry test: the "geometry" object of the JSON
// contract.
type Result struct {
	Status string `json:"status"` // StatusOK, or why the test could not run (e.g. too few pairs)
	N      int64  `json:"n"`      // pairs with finite weights
	// ComparedN is the number of pairs every candidate is scored on (both
	// weights finite and nonzero): the n of every statistic that ranks or
	// compares candidates, the likelihood and the bootstrap.
	ComparedN int64            `json:"compared_n"`
	Excluded  map[string]int64 `json:"excluded"` // pairs dropped, by reason
	Counts    map[string]int64 `json:"counts"`   // zero_pairs (counted, not compared), sign_flips

	Candidates         []Candidate `json:"candidates"`            // one per candidate geometry, in the order of Options.Candidates
	BestByDCDF         string      `json:"best_by_dcdf"`          // the paper's choice: the smallest uncentred ΔCDF
	BestByDCDFCentered string      `json:"best_by_dcdf_centered"` // the smallest centred ΔCDF
	BestByLikelihood   string      `json:"best_by_likelihood"`    // the highest log-likelihood of w1 given w0

	LikelihoodN   int64          `json:"likelihood_n"`   // pairs in the likelihood (= ComparedN)
	LambdaHat     *float64       `json:"lambda_hat"`     // profile-likelihood estimate of the Box–Cox exponent λ = p − 1
	LambdaCI      [2]*float64    `json:"lambda_ci"`      // robust 95% interval; how: LambdaInterval
	PHat          *float64       `json:"p_hat"`          // p̂ = λ̂ + 1
	ProfileStatus string         `json:"profile_status"` // status of the estimate of λ
	Profile       []ProfilePoint `json:"profile"`        // ℓ(λ) on the coarse λ grid, for plots
	LRTests       LRTests        `json:"lr_tests"`       // tests of λ = 1 (Euclidean) and λ = 0 (negative entropy)

	LambdaInterval *LambdaInterval `json:"lambda_interval,omitempty"` // which interval LambdaCI is

	NullReplicates int   `json:"null_replicates"`      // simulations behind the calibrated ΔCDF p-values
	NullSimN       int64 `json:"null_sim_n,omitempty"` // their sample size (NullMaxN caps it)
	DiagnosticsN   int   `json:"diagnostics_n"`        // compared pairs behind the rank and Anderson–Darling diagnostics and the bootstrap

	Bootstrap     *Bootstrap         `json:"bootstrap,omitempty"`    // resampling of synapses; nil without Options.Bootstrap
	BootstrapWins map[string]float64 `json:"bootstrap_wins"`         // = Bootstrap.WinsDCDF (the name in the original JSON contract)
	StepModels    *StepModels        `json:"step_models,omitempty"`  // Gaussian and Student-t step models on the same pairs; nil without λ̂
	EffectSizes   *EffectSizes       `json:"effect_sizes,omitempty"` // sizes of the change in the chosen geometry

	Adequate bool     `json:"model_adequate"` // false when the best candidate's shifts are not Gaussian or depend on w0
	Warnings []string `json:"warnings"`       // the test's own warnings
	Verdict  string   `json:"verdict"`        // the test's one-sentence conclusion

	exactWeights bool // Options.ExactWeights: the verdict's note on what λ̂ describes
}

// num is a result's number, nil (JSON null) when not finite.
func num(x float64) *float64 { return numeric.OrNil(x) }

// quantileSorted is the linearly interpolated quantile of sorted values
// (numpy's default).
func quantileSorted(x []float64, q float64) float64 { return numeric.QuantileSorted(x, q) }

// inputError marks errors caused by the data or the call.
type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return inputerr.Is(target) }

// TestPaired runs the whole paired analysis on in-memory pairs (w0[i],
// w1[i]): both passes of the scan (the second also evaluates the exact
// likelihood on the fine λ ladder), the likelihood profile, the
// calibration, the diagnostics, the optional bootstrap and the verdict.
func TestPaired(w0, w1 []float64, opts Options) (*Result, error) {
	r, _, _, err := TestPairedSample(w0, w1, opts)
	return r, err
}

// TestPairedContext is TestPaired that stops when ctx is done and then
// returns ctx.Err(). It looks at ctx between blocks of pairs in the passes,
// between the stages of the analysis and between resamples.
func TestPairedContext(ctx context.Context, w0, w1 []float64, opts Options) (*Result, error) {
	r, _, _, err := TestPairedSampleContext(ctx, w0, w1, opts)
	return r, err
}

// TestPairedSample is TestPaired that also returns the subsample of pairs
// behind the diagnostics and the bootstrap (see SecondPass.Sample), so that
// other estimates (distribution fits) can use the pairs a streaming run
// would use.
func TestPairedSample(w0, w1 []float64, opts Options) (r *Result, s0, s1 []float64, err error) {
	return TestPairedSampleContext(context.Background(), w0, w1, opts)
}

// cancelBlock is the number of pairs a pass reads between two looks at the
// context: a fraction of a second.
const cancelBlock = 1 << 20

// TestPairedSampleContext is TestPairedSample that stops when ctx is done
// (see TestPairedContext).
func TestPairedSampleContext(ctx context.Context, w0, w1 []float64, opts Options) (r *Result, s0, s1 []float64, err error) {
	run, err := TestPairedRunContext(ctx, w0, w1, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	return run.Result, run.W0, run.W1, nil
}

// PairedRun is a paired test with what its passes hold beside the Result:
// the kept subsample and the profile log-likelihood, for the figures of an
// analysis, which then need no further pass over the pairs.
type PairedRun struct {
	Result *Result // the test's result
	// W0 and W1 are the kept subsample of pairs (SecondPass.Sample).
	W0, W1 []float64
	// LogLik is ℓ(λ) from the passes' sums (SecondPass.LogLik): NaN off
	// the coarse grid and the fine ladder, as when streaming.
	LogLik func(lambda float64) float64
	// Pass is the finished second pass, for the comparison of groups from
	// their passes (compare.SecondPasses), as a streamed run makes it.
	Pass *SecondPass
}

// TestPairedRunContext is TestPairedSampleContext returning the PairedRun.
func TestPairedRunContext(ctx context.Context, w0, w1 []float64, opts Options) (*PairedRun, error) {
	sc, err := FirstPassContext(ctx, w0, w1, opts)
	if err != nil {
		return nil, err
	}
	return TestPairedFromContext(ctx, sc, w0, w1, opts)
}

// FirstPassContext is the first pass over pairs in memory, shard by shard
// (Options.Shards), as a streamed reading makes it: the Scan that
// TestPairedFromContext finishes. It stops when ctx is done and then
// returns ctx.Err().
func FirstPassContext(ctx context.Context, w0, w1 []float64, opts Options) (*Scan, error) {
	if err := checkPairs(w0, w1, opts); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	sc := NewScan(opts.Candidates, opts.Workers)
	err := eachShard(opts.Shards, len(w0), func(lo, hi int) error {
		if opts.Shards == nil {
			return feedPairs(ctx, w0[lo:hi], w1[lo:hi], sc.Add)
		}
		shard := NewScan(opts.Candidates, opts.Workers)
		if err := feedPairs(ctx, w0[lo:hi], w1[lo:hi], shard.Add); err != nil {
			return err
		}
		return sc.Merge(shard)
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// TestPairedFromContext is TestPairedRunContext from the first pass sc:
// FirstPassContext of the same pairs and options, or the merge (Scan.Merge)
// of the first passes of the groups that partition them, which is how the
// pooled first pass of grouped pairs is made, in memory and streamed.
func TestPairedFromContext(ctx context.Context, sc *Scan, w0, w1 []float64, opts Options) (*PairedRun, error) {
	if err := checkPairs(w0, w1, opts); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if n := sc.Pairs() + sc.final().nonFinite; n != int64(len(w0)) {
		return nil, &inputError{fmt.Sprintf("testgeom: a first pass of %d pairs for %d pairs", n, len(w0))}
	}
	if err := sameCandidates(sc.cands, opts.Candidates); err != nil {
		return nil, &inputError{"testgeom: the first pass was made for other candidates than the options'"}
	}
	opts.ctx = ctx
	sec := sc.SecondPass(opts.SampleMax, opts.Seed)
	err := eachShard(opts.Shards, len(w0), func(lo, hi int) error {
		if opts.Shards == nil {
			return feedPairs(ctx, w0[lo:hi], w1[lo:hi], sec.Add)
		}
		shard := sc.SecondPass(opts.SampleMax, opts.Seed)
		shard.SetPosition(int64(lo)) // as a streamed pass numbers the pairs
		if err := feedPairs(ctx, w0[lo:hi], w1[lo:hi], shard.Add); err != nil {
			return err
		}
		return sec.Merge(shard)
	})
	if err != nil {
		return nil, err
	}
	if opts.Clusters != nil {
		sec.mem = &clusterPairs{w0, w1, opts.Clusters}
	}
	r, err := sec.Result(lazyExact(w0, w1, opts.Workers), opts)
	if err != nil {
		return nil, err
	}
	s0, s1 := sec.Sample()
	return &PairedRun{Result: r, W0: s0, W1: s1, LogLik: sec.LogLik(), Pass: sec}, nil
}

// checkPairs refuses columns of different lengths, and cluster labels or
// shard sizes that do not fit the pairs.
func checkPairs(w0, w1 []float64, opts Options) error {
	if len(w0) != len(w1) {
		return &inputError{fmt.Sprintf("testgeom: %d before values but %d after values", len(w0), len(w1))}
	}
	if opts.Clusters != nil && len(opts.Clusters) != len(w0) {
		return &inputError{fmt.Sprintf("testgeom: %d cluster labels for %d pairs", len(opts.Clusters), len(w0))}
	}
	return checkShards(opts.Shards, len(w0))
}

// feedPairs hands the pairs to add in blocks, looking at ctx before each.
// The passes cut their input into fixed chunks whatever the blocks they
// are fed, so the blocks change no result.
func feedPairs(ctx context.Context, w0, w1 []float64, add func(a, b []float64)) error {
	for lo := 0; lo < len(w0) || lo == 0; lo += cancelBlock {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(len(w0), lo+cancelBlock)
		add(w0[lo:hi], w1[lo:hi])
	}
	return nil
}

// checkShards refuses shard sizes that do not add up to the n pairs.
func checkShards(shards []int, n int) error {
	total := 0
	for _, s := range shards {
		if s < 0 {
			return &inputError{fmt.Sprintf("testgeom: a shard of %d pairs", s)}
		}
		total += s
	}
	if shards != nil && total != n {
		return &inputError{fmt.Sprintf("testgeom: shards of %d pairs in all for %d pairs", total, n)}
	}
	return nil
}

// eachShard calls fn with the bounds of each shard of n pairs in order
// (Options.Shards; nil: one shard of all n).
func eachShard(shards []int, n int, fn func(lo, hi int) error) error {
	if shards == nil {
		return fn(0, n)
	}
	lo := 0
	for _, s := range shards {
		if err := fn(lo, lo+s); err != nil {
			return err
		}
		lo += s
	}
	return nil
}

// SubsetShards is the Shards of the pairs idx (increasing positions) of
// pairs split into shards: how many of them each shard holds. nil for nil.
func SubsetShards(shards []int, idx []int) []int {
	if shards == nil {
		return nil
	}
	out := make([]int, len(shards))
	s, end := 0, 0
	if len(shards) > 0 {
		end = shards[0]
	}
	for _, i := range idx {
		for i >= end && s < len(shards)-1 {
			s++
			end += shards[s]
		}
		out[s]++
	}
	return out
}

// LogLikelihood is the profile log-likelihood ℓ(λ) of w1 given w0 under the
// Box–Cox geometry λ (see the package notes on the likelihood); −Inf when a
// pair changes sign and λ ≤ 0.
func LogLikelihood(w0, w1 []float64, lambda float64) float64 {
	return exactLogLik(w0, w1, lambda, 0)
}

// Result finishes the analysis after both passes. λ̂ and its interval come
// from the fine λ ladder of the second pass; exact evaluates the profile
// log-likelihood at any other λ on the full data (as LogLikelihood does),
// which is needed only when the ladder does not cover the interval (λ̂ at
// the edge of the grid, say). With nil those values are interpolated from
// the coarse grid, and the profile status says so. When the pass kept every
// pair, ℓ is evaluated on its kept sample instead, with or without exact:
// the pairs are then in their canonical order, so that a pass over pairs
// in memory and a streamed one give the same result to the bit. opts must
// be those the passes were started with (candidates, sample size and
// seed).
func (g *SecondPass) Result(exact func(float64) float64, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	g.finish()
	if g.keptAll() {
		exact = lazyExact(g.sample0, g.sample1, g.scan.workers)
	}
	s := g.scan
	p := g.p
	r := &Result{Status: StatusOK, N: p.finite, Excluded: map[string]int64{"non_finite": p.nonFinite},
		Counts:    map[string]int64{"zero_pairs": p.zeroPairs, "sign_flips": p.flips},
		ComparedN: p.compared(), LikelihoodN: p.compared(), Warnings: []string{}, exactWeights: opts.ExactWeights}
	c0, c1 := g.comparedSample()
	r.DiagnosticsN = len(c0)
	if p.compared() < MinPairs {
		r.Status = fmt.Sprintf("too few usable pairs: %d (need at least %d)", p.compared(), MinPairs)
		r.Verdict = "There are too few usable pairs to compare geometries."
		for c := range s.plans {
			r.Candidates = append(r.Candidates, g.candidate(c))
		}
		return r, nil
	}
	ratios := map[int64][]int{}
	for c := range s.plans {
		cand := g.candidate(c)
		r.Candidates = append(r.Candidates, cand)
		if cand.DCDF != nil {
			ratios[cand.N] = append(ratios[cand.N], c)
		}
	}
	g.calibrate(r, ratios, opts)
	if err := opts.err(); err != nil {
		return nil, err
	}
	fp := g.fineProfile(exact)
	g.fitLikelihood(r, fp)
	if err := opts.err(); err != nil {
		return nil, err
	}
	g.robustInterval(r, fp, g.mem)
	if err := opts.err(); err != nil {
		return nil, err
	}
	// The step models read only the estimate and its interval, set above,
	// and write nothing shared: they run beside the diagnostics and the
	// bootstrap, which write other fields of r. Their fits are serial, so
	// on a second core they overlap instead of following.
	g.comparedMem() // cached now, not lazily by two goroutines
	var steps chan *StepModels
	if !opts.NoStepModels && r.LambdaHat != nil {
		steps = make(chan *StepModels, 1)
		go func() { steps <- g.stepModels(r) }()
	}
	g.diagnostics(r, c0, c1, opts)
	r.bestOf()
	if opts.Bootstrap > 0 && g.mem != nil {
		r.Bootstrap = bootstrapClusters(s.cands, g.comparedMem(), r.LambdaHat, opts)
		r.BootstrapWins = r.Bootstrap.WinsDCDF
	} else if opts.Bootstrap > 0 && len(c0) >= MinPairs {
		r.Bootstrap = bootstrapPairs(s.cands, c0, c1, p.compared(), r.LambdaHat, opts)
		r.BootstrapWins = r.Bootstrap.WinsDCDF
	}
	if steps != nil {
		r.StepModels = <-steps
	}
	if err := opts.err(); err != nil {
		return nil, err
	}
	if r.StepModels != nil {
		r.adoptStepModel()
	}
	if g.mem != nil {
		m := g.comparedMem()
		r.EffectSizes = effectSizes(r, s.cands, m.w0, m.w1, m.clusters)
	} else {
		r.EffectSizes = effectSizes(r, s.cands, c0, c1, nil)
	}
	r.markFloors()
	r.decide()
	if p.changed == 0 {
		markNoChange(r)
	}
	return r, nil
}

func (g *SecondPass) candidate(c int) Candidate {
	s := g.scan
	pl := s.plans[c]
	cand := Candidate{Name: pl.pot.Name(), Status: StatusOK, SignFlips: g.p.flips}
	cand.dcdfV, cand.logLikValue = math.NaN(), math.NaN()
	switch q := pl.pot.(type) {
	case geometry.PNorm:
		cand.P, cand.Lambda = num(q.P), num(q.P-1)
	case geometry.NegEntropy:
		cand.Lambda = num(0)
	case geometry.Hypentropy:
		cand.Beta = num(q.Beta)
	default:
		if l, ok := geometry.Lambda(pl.pot); ok {
			cand.Lambda = num(l)
		}
	}
	if g.p.zeroPairs > 0 {
		cand.Excluded = map[string]int64{"zero": g.p.zeroPairs}
	}
	cand.UsableNotCompared = g.p.cand[c].zeroN
	m, g0sq := s.candTotals(c)
	cand.N = m.n
	if m.n < MinPairs {
		cand.Status = fmt.Sprintf("too few usable pairs: %d (need at least %d)", m.n, MinPairs)
		return cand
	}
	sd := math.Sqrt(m.variance())
	if !finite(m.mean) || !finite(sd) || !finite(g0sq) {
		cand.Status = "overflow: the weights are too large or too small for this potential in float64; rescale them"
		return cand
	}
	if !(sd > 0) {
		cand.Status = sameShiftStatus(m.mean)
		return cand
	}
	cand.ShiftMean, cand.ShiftSD = num(m.mean), num(sd)
	cand.dcdfV = g.unc[c].dcdf(m.n)
	cand.DCDF = num(cand.dcdfV)
	cand.DCDFCentered = num(g.cen[c].dcdf(m.n))
	den := math.Sqrt(g0sq)
	if den < 1e-10 {
		den += 1e-10
	}
	cand.Magnitude = num(math.Sqrt(m.sumSquares()) / den)
	fn := float64(m.n)
	v := m.m2 / fn
	cand.Skewness = num(g.m3[c].Float() / fn / math.Pow(v, 1.5))
	cand.ExcessKurtosis = num(g.m4[c].Float()/fn/(v*v) - 3)
	ll, status := s.candLogLik(c)
	cand.logLikValue = ll
	cand.LogLik, cand.LogLikStatus = num(ll), status
	return cand
}

// candLogLik is the log-likelihood of w1 given w0 under candidate c on the
// likelihood set (pairs with both weights nonzero).
func (s *Scan) candLogLik(c int) (float64, string) {
	p := s.final()
	pl, cs := s.plans[c], p.cand[c]
	switch pl.kind {
	case kindGrid:
		return profileLogLik(p.grid[pl.k], pl.lambda, p.sumL1, p.flips), ""
	case kindPow:
		return profileLogLik(cs.lik, pl.lambda, p.sumL1, p.flips), ""
	case kindNE:
		if p.flips > 0 {
			return math.Inf(-1), signChanges(p.flips) + ", which negative entropy cannot produce"
		}
		return profileLogLik(cs.lik, 0, p.sumL1, 0), ""
	}
	if cs.lik.n < 2 || !(cs.lik.m2 > 0) {
		return math.NaN(), "too few pairs"
	}
	n := float64(cs.lik.n)
	return -n/2*(math.Log(2*math.Pi*cs.lik.m2/n)+1) + cs.likJac, ""
}

func (g *SecondPass) calibrate(r *Result, groups map[int64][]int, opts Options) {
	if opts.NullReplicates <= 0 {
		return
	}
	r.NullReplicates = opts.NullReplicates
	for n, cs := range groups {
		if opts.err() != nil {
			return // Result returns the error
		}
		rs := make([]float64, len(cs))
		for i, c := range cs {
			rs[i] = *r.Candidates[c].ShiftMean / *r.Candidates[c].ShiftSD
		}
		cen, unc, ok := opts.nulls.lookup(n, rs, opts)
		if !ok {
			cen, unc = nullDCDF(n, rs, opts.NullReplicates, opts.NullMaxN, opts.Seed, opts.Workers, func() bool { return opts.err() != nil })
		}
		r.NullSimN = max(r.NullSimN, min(n, int64(opts.NullMaxN)))
		for i, c := range cs {
			cand := &r.Candidates[c]
			cand.DCDFPValue = num(upperPValue(unc[i], *cand.DCDF))
			cand.DCDFCenteredPValue = num(upperPValue(cen, *cand.DCDFCentered))
			cand.DCDFNullRange = nullRange(unc[i])
		}
	}
}

func (g *SecondPass) fitLikelihood(r *Result, fp *fineProfile) {
	p := g.p
	grid := fp.grid
	for k, v := range grid {
		r.Profile = append(r.Profile, ProfilePoint{Lambda: math.Round(profileLambda(k)*10) / 10, LogLik: num(v)})
	}
	if r.LikelihoodN < MinPairs {
		r.ProfileStatus = "too few pairs with both weights nonzero"
		return
	}
	f := fp.logLik
	fit := fitProfile(grid, f, true)
	r.ProfileStatus = fit.status
	if fp.interpolated && fp.exactCalls > 0 && fit.ok {
		r.ProfileStatus += " (partly interpolated from the λ grid)"
	}
	if !fit.ok {
		return
	}
	r.LambdaHat, r.PHat = num(fit.lambdaHat), num(fit.lambdaHat+1)
	r.LambdaCI = [2]*float64{num(fit.lo), num(fit.hi)}
	for _, t := range []struct {
		test *LRTest
		lam  float64
	}{{&r.LRTests.Euclidean, 1}, {&r.LRTests.NegativeEntropy, 0}} {
		t.test.Lambda = t.lam
		stat, pv := LikelihoodRatio(fit.logLikMax, f(t.lam))
		t.test.PValue = num(pv)
		t.test.Stat = num(stat)
		if math.IsInf(stat, 1) {
			t.test.Status = "impossible: " + signChanges(p.flips)
		}
	}
}

// gridInterpolator is a cubic (four-point Lagrange) interpolant of the
// coarse profile, −Inf outside the grid.
func gridInterpolator(grid [profileN]float64) func(float64) float64 {
	return func(x float64) float64 {
		t := x/profileStep + profileZero
		k := int(math.Floor(t)) - 1
		if k < 0 || k+3 >= profileN {
			return math.Inf(-1)
		}
		return lagrange4(grid[k:k+4], t-float64(k))
	}
}

// lagrange4 is the cubic through (0, y[0]), …, (3, y[3]) at u.
func lagrange4(y []float64, u float64) float64 {
	v := 0.0
	for i := 0; i < 4; i++ {
		w := 1.0
		for j := 0; j < 4; j++ {
			if j != i {
				w *= (u - float64(j)) / float64(i-j)
			}
		}
		v += w * y[i]
	}
	return v
}

func (g *SecondPass) diagnostics(r *Result, s0, s1 []float64, opts Options) {
	res := make([]candDiagnostics, len(g.scan.plans))
	shared := newW0Order(s0).withLogs(s0, s1)
	scratch := make([]diagScratch, parallel.Workers(opts.Workers))
	parallel.For(len(res), opts.Workers, func(c, w int) {
		res[c] = diagnose(g.scan.plans[c], s0, s1, opts.Bins, shared, &scratch[w])
	})
	for c := range res {
		cand, d := &r.Candidates[c], res[c]
		if cand.DCDF == nil {
			continue
		}
		cand.DiagnosticsN = d.n
		cand.AD, cand.ADPValue = num(d.ad), num(d.adP)
		cand.SpearmanShiftW0, cand.SpearmanShiftW0P = num(d.rhoShift), num(d.pShift)
		cand.SpearmanSpreadW0, cand.SpearmanSpreadW0P = num(d.rhoSpread), num(d.pSpre)
		cand.RelativeStep = num(d.relStep)
		cand.Bins = d.bins
	}
}

func (r *Result) bestOf() {
	bd, bc, bl := -1, -1, -1
	for i, c := range r.Candidates {
		if c.DCDF != nil && (bd < 0 || c.dcdfV < r.Candidates[bd].dcdfV) {
			bd = i
		}
		if c.DCDFCentered != nil && (bc < 0 || *c.DCDFCentered < *r.Candidates[bc].DCDFCentered) {
			bc = i
		}
		if c.LogLik != nil && (bl < 0 || c.logLikValue > r.Candidates[bl].logLikValue) {
			bl = i
		}
	}
	if bd >= 0 {
		r.BestByDCDF = r.Candidates[bd].Name
	}
	if bc >= 0 {
		r.BestByDCDFCentered = r.Candidates[bc].Name
	}
	if bl >= 0 {
		r.BestByLikelihood = r.Candidates[bl].Name
	}
}

func (r *Result) find(name string) *Candidate {
	for i := range r.Candidates {
		if r.Candidates[i].Name == name {
			return &r.Candidates[i]
		}
	}
	return nil
}

// Thresholds of the adequacy check and the warnings.
const (
	adequacyAlpha = 0.01
	strongRho     = 0.1
	largeStep     = 0.5 // RelativeStep above which the changes are called large
)

// decide sets the adequacy flag, the warnings and the verdict sentence.
// The centred ΔCDF p-value is not part of the adequacy rule: the
// Anderson–Darling test (mean and sd estimated) tests the same centred
// shape, and using both would test one hypothesis twice at adequacyAlpha.
func (r *Result) decide() {
	best := r.BestByLikelihood
	if best == "" {
		best = r.BestByDCDF
	}
	c := r.find(best)
	if c == nil {
		r.Verdict = "No candidate geometry could be scored on these data."
		return
	}
	var reasons []string
	if c.DCDFPValue != nil && *c.DCDFPValue < adequacyAlpha {
		reasons = append(reasons, "calibrated ΔCDF p "+PValueText(*c.DCDFPValue, c.DCDFPAtFloor, r.NullReplicates))
	}
	if c.ADPValue != nil && *c.ADPValue < adequacyAlpha {
		reasons = append(reasons, "Anderson–Darling p "+PValueText(*c.ADPValue, c.ADPAtFloor, 0))
	}
	for _, t := range []struct {
		rho, p *float64
		what   string
	}{{c.SpearmanShiftW0, c.SpearmanShiftW0P, "shift"}, {c.SpearmanSpreadW0, c.SpearmanSpreadW0P, "spread of the shift"}} {
		if t.rho != nil && t.p != nil && math.Abs(*t.rho) >= strongRho && *t.p < adequacyAlpha {
			reasons = append(reasons, fmt.Sprintf("the %s depends on w0 (Spearman ρ = %.2f)", t.what, *t.rho))
		}
	}
	r.Adequate = len(reasons) == 0
	if c.RelativeStep != nil && *c.RelativeStep > largeStep {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the changes are large (rms dual step %.2f × the sd of g(w0) under %s, above %.1f); the theory assumes small changes", *c.RelativeStep, c.Name, largeStep))
	}
	if r.Counts["sign_flips"] > 0 {
		r.Warnings = append(r.Warnings, signChanges(r.Counts["sign_flips"])+": impossible under negative entropy (λ ≤ 0)")
	}
	if w := r.zeroWarning(); w != "" {
		r.Warnings = append(r.Warnings, w)
	}
	if r.ComparedN > int64(r.DiagnosticsN) && r.DiagnosticsN > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("rank, Anderson–Darling and bootstrap results use a random subsample of %d of the %d compared pairs", r.DiagnosticsN, r.ComparedN))
	}
	if r.ComparedN < 100 {
		r.Warnings = append(r.Warnings, "fewer than 100 pairs: ΔCDF cannot separate neighbouring exponents")
	}
	geom, est := "", ""
	if r.LambdaHat != nil {
		geom = DescribeLambda(*r.LambdaHat, r.LambdaCI)
		d := LambdaDecimals(r.LambdaCI, 3)
		est = fmt.Sprintf("λ̂ = %s, 95%% %s CI %s, p̂ = %s", FormatFixed(*r.LambdaHat, d), r.LambdaInterval.Label(), FormatCI(r.LambdaCI, d), FormatFixed(*r.PHat, d))
	} else {
		geom = describeCandidate(best)
		est = "no likelihood estimate: " + r.ProfileStatus
	}
	rej := r.rejections()
	if r.Adequate {
		r.Verdict = fmt.Sprintf("The changes are most consistent with %s (%s)%s; %s.", geom, est, rej, r.dcdfRanking())
	} else {
		r.Verdict = fmt.Sprintf("The Gaussian dual-shift model fits poorly (%s under %s), so %s is only the least inconsistent geometry (%s)%s; %s.",
			strings.Join(reasons, "; "), best, geom, est, rej, r.dcdfRanking())
		if s := r.regressionToMean(); s != "" {
			r.Verdict += " " + s
		}
	}
	r.Verdict += r.headlineSentence()
	r.Verdict += " " + r.ChangesNote(false)
}

func (r *Result) rejections() string {
	var parts []string
	for _, t := range []struct {
		name string
		lr   LRTest
	}{{"Euclidean", r.LRTests.Euclidean}, {"negative entropy", r.LRTests.NegativeEntropy}} {
		if t.lr.PValue == nil {
			continue
		}
		p, test, floor := t.lr.PValue, "LR p", t.lr.PAtFloor
		if t.lr.PValueRobust != nil {
			p, test, floor = t.lr.PValueRobust, "robust LR p", false
		}
		if r.LambdaInterval.StudentT() {
			test = "Student-t " + test
		}
		if *p < 0.05 {
			parts = append(parts, fmt.Sprintf("%s is rejected (%s %s)", t.name, test, PValueText(*p, floor, 0)))
		} else {
			parts = append(parts, fmt.Sprintf("%s is not rejected (%s %s)", t.name, test, PValueText(*p, floor, 0)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}

// FormatFixed writes x with d decimals, as %.*f does, except that a value
// which rounds to zero reads 0, not -0: an estimate of -0.0001 printed
// with three decimals has no sign to show.
func FormatFixed(x float64, d int) string {
	s := strconv.FormatFloat(x, 'f', d, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return s
}

// FormatSigned is FormatFixed with a sign always written, as %+.*f does,
// and none for a value that rounds to zero.
func FormatSigned(x float64, d int) string {
	s := FormatFixed(x, d)
	if strings.HasPrefix(s, "-") || strings.Trim(s, "0.") == "" || math.IsNaN(x) {
		return s
	}
	return "+" + s
}

// FormatCI writes a 95% interval as "[lo, hi]" with d decimals, −∞ or ∞
// for a missing end: the form of the verdicts (LambdaDecimals chooses d).
func FormatCI(ci [2]*float64, d int) string {
	f := func(x *float64, inf string) string {
		if x == nil {
			return inf
		}
		return FormatFixed(*x, d)
	}
	return "[" + f(ci[0], "−∞") + ", " + f(ci[1], "∞") + "]"
}

// DescribeLambda names the geometry an estimate l of λ points to, from
// which named geometries (negative entropy, λ = 0; Euclidean, λ = 1) its
// interval ci contains: the wording of the verdicts.
func DescribeLambda(l float64, ci [2]*float64) string {
	lo, hi := math.Inf(-1), math.Inf(1)
	if ci[0] != nil {
		lo = *ci[0]
	}
	if ci[1] != nil {
		hi = *ci[1]
	}
	has0, has1 := lo <= 0 && 0 <= hi, lo <= 1 && 1 <= hi
	switch {
	case has0 && has1:
		return fmt.Sprintf("a geometry between negative entropy and Euclidean that the data cannot pin down (p ≈ %.2f)", l+1)
	case has0:
		return "negative entropy (multiplicative updates)"
	case has1:
		return "the Euclidean geometry (additive updates)"
	case hi < 0:
		return fmt.Sprintf("a geometry more multiplicative than negative entropy (p ≈ %.2f)", l+1)
	case lo > 1:
		return fmt.Sprintf("a p-norm beyond Euclidean (p ≈ %.2f)", l+1)
	}
	return fmt.Sprintf("a p-norm between negative entropy and Euclidean (p ≈ %.2f)", l+1)
}

func describeCandidate(name string) string {
	switch {
	case name == "NE":
		return "negative entropy (multiplicative updates)"
	case name == "p=2.0":
		return "the Euclidean geometry (additive updates)"
	case strings.HasPrefix(name, "p="):
		return "the p-norm " + name
	}
	return name
}
