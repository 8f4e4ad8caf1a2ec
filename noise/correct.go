package noise

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/testgeom"
)

// Defaults of Options.
const (
	DefaultReplicates          = 50  // Options.Replicates
	DefaultSimexBootstrap      = 100 // Options.Bootstrap
	DefaultSimexBootReplicates = 10  // Options.BootReplicates
)

// DefaultSimexLevels are the extra-noise levels ζ of the extrapolation.
var DefaultSimexLevels = []float64{0.5, 1, 1.5, 2}

const (
	streamSimex     = 0x73696d78 // "simx"
	streamSimexBoot = 0x73696d62 // "simb"
)

// Options tune Correct.
type Options struct {
	Method string    // MethodIndirect (default) or MethodSimex
	Levels []float64 // extra-noise levels ζ > 0 (nil: DefaultSimexLevels)
	// Replicates is the number of simulated data sets per λ (indirect) or
	// of pseudo-data sets per level (SIMEX); 0: DefaultReplicates.
	Replicates int
	// Bootstrap is the number of resamples (0 or less: none, as for
	// testgeom.Options; DefaultOptions has DefaultSimexBootstrap). SIMEX: the resamples of synapses behind the interval, each
	// rerunning the whole correction with BootReplicates pseudo-data sets
	// per level (0: DefaultSimexBootReplicates). Indirect: the resamples
	// behind the linearised standard error (and the design effect, with
	// Clusters).
	Bootstrap      int
	BootReplicates int // see Bootstrap
	// Clusters, when set, marks pairs that are not independent (e.g. the
	// consecutive pairs of one synapse): Clusters[i] is pair i's cluster.
	// SIMEX then resamples whole clusters; the indirect method widens its
	// interval by the design effect of a cluster against a pair bootstrap of
	// the naive λ̂ (Bootstrap resamples each).
	Clusters []int32
	Seed     uint64 // seeds every random choice
	Workers  int    // ≤ 0: GOMAXPROCS

	ctx context.Context // set by CorrectContext; nil = never cancelled
}

// stopped says the run was cancelled (CorrectContext).
func (o Options) stopped() bool { return o.ctx != nil && o.ctx.Err() != nil }

// DefaultOptions are the settings of syngeom test's noise correction
// without flags: the indirect method, DefaultReplicates simulations per λ,
// DefaultSimexBootstrap resamples and testgeom.DefaultSeed. The zero
// Options differ in resampling nothing (no bootstrap: no interval from
// resampling) and in seed 0.
func DefaultOptions() Options {
	return Options{Method: MethodIndirect, Replicates: DefaultReplicates, Bootstrap: DefaultSimexBootstrap,
		BootReplicates: DefaultSimexBootReplicates, Seed: testgeom.DefaultSeed}
}

func (o Options) withDefaults() Options {
	if o.Levels == nil {
		o.Levels = DefaultSimexLevels
	}
	if o.Replicates <= 0 {
		o.Replicates = DefaultReplicates
	}
	o.Bootstrap = max(o.Bootstrap, 0)
	if o.BootReplicates <= 0 {
		o.BootReplicates = DefaultSimexBootReplicates
	}
	o.Workers = parallel.Workers(o.Workers)
	return o
}

// SimexPoint is the mean naive λ̂ at one noise level 1 + ζ (ζ = 0: the data).
type SimexPoint struct {
	Zeta       float64  `json:"zeta"`        // the extra-noise level ζ
	LambdaMean *float64 `json:"lambda_mean"` // mean naive λ̂ over the pseudo-data sets
	Fits       int      `json:"fits"`        // pseudo-data sets with a λ̂
}

// Noise-correction methods of Options.Method.
const (
	MethodIndirect = "indirect" // indirect inference through the simulator (the default)
	MethodSimex    = "simex"    // simulation–extrapolation
)

// Descriptions of the methods in results.
const (
	// DescriptionIndirect describes MethodIndirect.
	DescriptionIndirect = "indirect inference through the simulator: the experiment is simulated under each candidate λ with the fitted initial law, the matching change size and the given noise, and the corrected λ̂ solves mean simulated naive λ̂ = observed naive λ̂; the interval inverts the simulated law of the naive λ̂"
	// DescriptionSimex describes MethodSimex.
	DescriptionSimex = "SIMEX (Cook & Stefanski 1994): extra noise at levels ζ, naive λ̂ refitted, quadratic extrapolation to ζ = −1; interval from a bootstrap over synapses of the whole procedure"
)

// SimexDetail is the trace of a SIMEX correction.
type SimexDetail struct {
	// LinearLambda is the linear extrapolant at ζ = −1, for comparison.
	LinearLambda *float64 `json:"linear_lambda_hat"`
	// Extrapolant holds a, b, c of λ̂(ζ) ≈ a + bζ + cζ², fitted by least
	// squares to Curve; the corrected λ̂ is a − b + c.
	Extrapolant    [3]*float64  `json:"extrapolant"`
	Curve          []SimexPoint `json:"curve"`                // the mean naive λ̂ at each noise level ζ
	Replicates     int          `json:"replicates"`           // pseudo-data sets per level
	Bootstrap      int          `json:"bootstrap"`            // resamples behind the interval
	BootReplicates int          `json:"bootstrap_replicates"` // pseudo-data sets per level in each resample
	BootFailed     int          `json:"bootstrap_failed"`     // resamples without an estimate, left out
	Clustered      bool         `json:"clustered"`            // resampled by cluster
	Clusters       int          `json:"clusters,omitempty"`   // the number of clusters, when Clustered
}

// BindingPoint is the simulated law of the naive λ̂ under one true λ.
type BindingPoint struct {
	Lambda   float64  `json:"lambda"`                       // the true λ simulated
	Mean     *float64 `json:"naive_mean"`                   // mean of the naive λ̂ over the simulations
	SD       *float64 `json:"naive_sd"`                     // its standard deviation
	StepSD   *float64 `json:"step_sd"`                      // sd of the simulated dual step
	Fits     int      `json:"fits"`                         // simulations with a naive λ̂
	NoiseAll bool     `json:"noise_explains_all,omitempty"` // the noise alone spreads the shifts as much as observed
}

// IndirectDetail is the trace of an indirect-inference correction.
type IndirectDetail struct {
	// InitialLaw is the log-normal law of the true initial weights
	// (parameters of log w), its moments deconvolved from the measured ones.
	InitialLaw struct {
		Mu    float64 `json:"mu"`
		Sigma float64 `json:"sigma"`
	} `json:"initial_law"`
	Replicates int            `json:"replicates"` // simulations per λ
	Binding    []BindingPoint `json:"binding"`    // the simulated law of the naive λ̂ at each true λ of the grid
	// DesignEffect, with clusters, is the cluster-bootstrap variance of the
	// naive λ̂ over its pair-bootstrap variance; the interval widens by
	// its square root (never narrows).
	DesignEffect *float64 `json:"design_effect,omitempty"`
}

// Correction is the noise-corrected estimate of the geometry next to
// the naive one.
type Correction struct {
	Status      string `json:"status"`       // testgeom.StatusOK, or why there is no correction
	Method      string `json:"method"`       // MethodIndirect or MethodSimex
	Description string `json:"description"`  // DescriptionIndirect or DescriptionSimex
	Noise       Model  `json:"noise"`        // the noise model corrected for
	NoiseSource string `json:"noise_source"` // where the noise model comes from (Correct's source)
	N           int    `json:"n"`            // pairs with both weights finite and nonzero

	NaiveLambda *float64    `json:"naive_lambda_hat"` // the profile-likelihood λ̂, noise ignored
	NaiveCI     [2]*float64 `json:"naive_lambda_ci"`  // 95% LR interval, noise ignored
	Lambda      *float64    `json:"lambda_hat"`       // noise-corrected
	LambdaSE    *float64    `json:"lambda_se"`        // bootstrap standard error
	LambdaCI    [2]*float64 `json:"lambda_ci"`        // 95%
	PHat        *float64    `json:"p_hat"`            // λ̂ + 1, of the corrected λ̂

	// Assumptions says what the interval rests on (see assumptions).
	Assumptions string `json:"assumptions"`

	Simex    *SimexDetail    `json:"simex,omitempty"`    // the SIMEX trace, with MethodSimex
	Indirect *IndirectDetail `json:"indirect,omitempty"` // the indirect inference trace, with MethodIndirect
	Warnings []string        `json:"warnings"`           // the correction's own warnings
	Verdict  string          `json:"verdict"`            // the correction's one-sentence conclusion
}

// Correct corrects the profile-likelihood estimate of λ for
// measurement noise of a known model. source says where the model comes
// from (given, estimated from repeats, …) and is reported.
//
// The default method is indirect inference through the simulator (see the
// notes in indirect.go): it handles multiplicative and additive noise
// alike; its interval joins the inversion of the simulated law of the naive
// estimate with a linearised bootstrap that re-estimates the change size;
// it assumes a log-normal initial law. SIMEX (Method = MethodSimex) needs
// no initial law, but its quadratic extrapolation under-corrects when the
// noise is comparable to the changes (see docs/noise.md), so it is offered
// for comparison.
func Correct(w0, w1 []float64, noise Model, source string, opts Options) (*Correction, error) {
	return CorrectContext(context.Background(), w0, w1, noise, source, opts)
}

// CorrectContext is Correct that stops when ctx is done and then
// returns ctx.Err(). It looks at ctx before each simulated data set,
// pseudo-data set and resample.
func CorrectContext(ctx context.Context, w0, w1 []float64, noise Model, source string, opts Options) (*Correction, error) {
	opts.ctx = ctx
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(w0) != len(w1) {
		return nil, &inputError{fmt.Sprintf("noise: %d before values but %d after values", len(w0), len(w1))}
	}
	if err := noise.validate(); err != nil {
		return nil, err
	}
	if opts.Clusters != nil && len(opts.Clusters) != len(w0) {
		return nil, &inputError{fmt.Sprintf("noise: %d cluster labels for %d pairs", len(opts.Clusters), len(w0))}
	}
	if opts.Method == "" {
		opts.Method = MethodIndirect
	}
	if opts.Method != MethodIndirect && opts.Method != MethodSimex {
		return nil, &inputError{fmt.Sprintf("noise: correction method %q: want indirect or simex", opts.Method)}
	}
	opts = opts.withDefaults()
	for _, z := range opts.Levels {
		if !(z > 0) || math.IsInf(z, 0) {
			return nil, &inputError{fmt.Sprintf("noise: SIMEX levels must be finite and > 0, got %v", z)}
		}
	}
	if len(opts.Levels) < 2 {
		return nil, &inputError{"noise: SIMEX needs at least two noise levels for a quadratic extrapolant"}
	}
	r := &Correction{Status: testgeom.StatusOK, Method: opts.Method, Noise: noise, NoiseSource: source, Warnings: []string{}}
	r.Description = DescriptionIndirect
	if opts.Method == MethodSimex {
		r.Description = DescriptionSimex
	}
	r.Assumptions = assumptions(opts)
	for i := range w0 {
		if testgeom.Compared(w0[i], w1[i]) {
			r.N++
		}
	}
	if r.N < testgeom.MinPairs {
		r.Status = fmt.Sprintf("too few pairs with both weights nonzero: %d (need at least %d)", r.N, testgeom.MinPairs)
		r.Verdict = "There are too few usable pairs for a noise-corrected estimate."
		return r, nil
	}
	fit := testgeom.FitLambda(w0, w1, opts.Workers, true)
	if !fit.OK {
		r.Status = "no naive estimate: " + fit.Status
		r.Verdict = "The likelihood of the data has no maximum in λ, so there is nothing to correct."
		return r, nil
	}
	r.NaiveLambda = numeric.OrNil(fit.LambdaHat)
	r.NaiveCI = [2]*float64{numeric.OrNil(fit.Lo), numeric.OrNil(fit.Hi)}
	if opts.Method == MethodIndirect {
		r.indirect(w0, w1, fit.LambdaHat, opts)
	} else {
		r.simex(w0, w1, fit.LambdaHat, opts)
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the stopped simulations left the result incomplete
	}
	if r.Lambda != nil {
		r.decide()
	}
	return r, nil
}

func (r *Correction) indirect(w0, w1 []float64, lamObs float64, opts Options) {
	law, ok := fitInitLaw(w0, r.Noise)
	if !ok {
		r.Status = "no initial law: the measured weights before are not positive on average, or their spread is no larger than the noise"
		r.Verdict = "The noise-corrected estimate failed; the naive estimate stands alone."
		return
	}
	d := &IndirectDetail{Replicates: opts.Replicates}
	d.InitialLaw.Mu, d.InitialLaw.Sigma = law.MeanLog, law.SDLog
	r.Indirect = d
	inflate := 1.0
	if opts.Clusters != nil && opts.Bootstrap > 0 {
		deff := designEffect(w0, w1, opts.Clusters, opts.Bootstrap, opts.Seed, opts.Workers, opts.stopped)
		if numeric.Finite(deff) {
			d.DesignEffect = numeric.OrNil(deff)
			inflate = math.Sqrt(math.Max(1, deff))
		}
	}
	m := newIndirectModel(w0, w1, r.Noise, law, opts.Replicates, opts.Seed, opts.Workers)
	m.stop = opts.stopped
	est, lo, hi, table := m.estimate(lamObs, inflate)
	for _, p := range table {
		d.Binding = append(d.Binding, BindingPoint{Lambda: p.lambda, Mean: numeric.OrNil(p.mean), SD: numeric.OrNil(p.sd),
			StepSD: numeric.OrNil(p.stepSD), Fits: p.fits, NoiseAll: p.noStep})
	}
	if !numeric.Finite(est) {
		r.Status = fmt.Sprintf("the simulated naive λ̂ does not reach the observed %.3f for λ within ±%.1f of it", lamObs, indirectHalfWidth)
		if slices.ContainsFunc(table, func(p bindingPoint) bool { return p.noStep }) {
			r.Status += "; the assumed noise alone spreads the dual shifts as much as observed at some λ: the noise model is probably too large for these data"
		}
		r.Verdict = "The noise-corrected estimate failed; the naive estimate stands alone."
		return
	}
	// Where the noise alone spreads the shifts as much as observed, the
	// simulated experiment has no change left and says nothing about λ.
	for _, p := range table {
		inside := p.lambda >= lo || !numeric.Finite(lo)
		inside = inside && (p.lambda <= hi || !numeric.Finite(hi))
		if p.noStep && (inside || math.Abs(p.lambda-est) <= indirectStep) {
			r.Status = fmt.Sprintf("the assumed noise alone spreads the dual shifts as much as observed (at λ = %.2f): no change is left to estimate a geometry from; the noise model is too large for these data", p.lambda)
			r.Verdict = "The noise-corrected estimate is not identified under this noise model; the naive estimate stands alone."
			return
		}
	}
	r.Lambda, r.PHat = numeric.OrNil(est), numeric.OrNil(est+1)
	// The interval is the union of the inverted one (nuisance fixed) and
	// est ± 1.96·SE from the linearised bootstrap (nuisance re-estimated).
	if opts.Bootstrap > 0 {
		se := m.linearizedSE(est, lamObs, testgeom.ClusterMembers(opts.Clusters), opts.Bootstrap)
		if numeric.Finite(se) {
			r.LambdaSE = numeric.OrNil(se)
			lo = math.Min(lo, est-1.96*se)
			hi = math.Max(hi, est+1.96*se)
		} else {
			r.Warnings = append(r.Warnings, "no bootstrap standard error: the interval holds the initial law and the step size fixed")
		}
	}
	r.LambdaCI = [2]*float64{numeric.OrNil(lo), numeric.OrNil(hi)}
	if !numeric.Finite(lo) || !numeric.Finite(hi) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the interval reaches beyond the simulated range λ̂_obs ± %.1f; a missing end is unbounded there", indirectHalfWidth))
	}
}

func (r *Correction) decide() {
	d := testgeom.LambdaDecimals(r.LambdaCI, 3)
	est := "corrected λ̂ = " + testgeom.FormatFixed(*r.Lambda, d)
	ci := [2]*float64{r.Lambda, r.Lambda}
	if r.LambdaCI[0] != nil || r.LambdaCI[1] != nil {
		est += ", 95% CI " + testgeom.FormatCI(r.LambdaCI, d)
		ci = r.LambdaCI
	}
	dn := testgeom.LambdaDecimals(r.NaiveCI, 3)
	r.Verdict = fmt.Sprintf("Allowing for measurement noise (%s, %s), the corrected estimate points to %s (%s; naive Gaussian-step λ̂ = %s, 95%% CI %s); how well the model fits is judged by the naive analysis above.",
		r.Noise, r.NoiseSource, testgeom.DescribeLambda(*r.Lambda, ci), est, testgeom.FormatFixed(*r.NaiveLambda, dn), testgeom.FormatCI(r.NaiveCI, dn))
}

// assumptions is what the noise-corrected interval rests on.
func assumptions(o Options) string {
	s := "the noise model as given and Gaussian dual steps in the simulated experiment"
	if o.Method == MethodIndirect {
		s += ", with a log-normal initial law"
	}
	s += "; its coverage under heavy-tailed steps has not been measured. The naive λ̂ is the Gaussian step model's without noise correction (the headline above may be the Student-t model's)"
	if o.Bootstrap > 0 {
		s += "; the bootstrap over synapses"
		if o.Clusters != nil {
			s += " (whole synapses)"
		}
		s += " widens the interval for the sampling spread whatever the step law, but the bias correction itself assumes Gaussian steps"
	} else {
		s += "; without a bootstrap the interval holds the initial law and the step size fixed"
	}
	return s
}
