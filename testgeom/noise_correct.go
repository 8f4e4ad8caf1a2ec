package testgeom

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
)

// Defaults of NoiseOptions.
const (
	DefaultNoiseReplicates     = 50  // NoiseOptions.Replicates
	DefaultSimexBootstrap      = 100 // NoiseOptions.Bootstrap
	DefaultSimexBootReplicates = 10  // NoiseOptions.BootReplicates
)

// DefaultSimexLevels are the extra-noise levels ζ of the extrapolation.
var DefaultSimexLevels = []float64{0.5, 1, 1.5, 2}

const (
	streamSimex     = 0x73696d78 // "simx"
	streamSimexBoot = 0x73696d62 // "simb"
)

// NoiseOptions tune CorrectNoise.
type NoiseOptions struct {
	Method string    // MethodIndirect (default) or MethodSimex
	Levels []float64 // extra-noise levels ζ > 0 (nil: DefaultSimexLevels)
	// Replicates is the number of simulated data sets per λ (indirect) or
	// of pseudo-data sets per level (SIMEX); 0: DefaultNoiseReplicates.
	Replicates int
	// Bootstrap is the number of resamples (0: DefaultSimexBootstrap, < 0:
	// none). SIMEX: the resamples of synapses behind the interval, each
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

	ctx context.Context // set by CorrectNoiseContext; nil = never cancelled
}

// stopped says the run was cancelled (CorrectNoiseContext).
func (o NoiseOptions) stopped() bool { return o.ctx != nil && o.ctx.Err() != nil }

func (o NoiseOptions) withDefaults() NoiseOptions {
	if o.Levels == nil {
		o.Levels = DefaultSimexLevels
	}
	if o.Replicates <= 0 {
		o.Replicates = DefaultNoiseReplicates
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = DefaultSimexBootstrap
	}
	if o.BootReplicates <= 0 {
		o.BootReplicates = DefaultSimexBootReplicates
	}
	o.Workers = workerCount(o.Workers)
	return o
}

// SimexPoint is the mean naive λ̂ at one noise level 1 + ζ (ζ = 0: the data).
type SimexPoint struct {
	Zeta       float64  `json:"zeta"`        // the extra-noise level ζ
	LambdaMean *float64 `json:"lambda_mean"` // mean naive λ̂ over the pseudo-data sets
	Fits       int      `json:"fits"`        // pseudo-data sets with a λ̂
}

// Noise-correction methods of NoiseOptions.Method.
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

// NoiseCorrection is the noise-corrected estimate of the geometry next to
// the naive one.
type NoiseCorrection struct {
	Status      string     `json:"status"`       // StatusOK, or why there is no correction
	Method      string     `json:"method"`       // MethodIndirect or MethodSimex
	Description string     `json:"description"`  // DescriptionIndirect or DescriptionSimex
	Noise       NoiseModel `json:"noise"`        // the noise model corrected for
	NoiseSource string     `json:"noise_source"` // where the noise model comes from (CorrectNoise's source)
	N           int        `json:"n"`            // pairs with both weights finite and nonzero

	NaiveLambda *float64    `json:"naive_lambda_hat"` // the profile-likelihood λ̂, noise ignored
	NaiveCI     [2]*float64 `json:"naive_lambda_ci"`  // 95% LR interval, noise ignored
	Lambda      *float64    `json:"lambda_hat"`       // noise-corrected
	LambdaSE    *float64    `json:"lambda_se"`        // bootstrap standard error
	LambdaCI    [2]*float64 `json:"lambda_ci"`        // 95%
	PHat        *float64    `json:"p_hat"`            // λ̂ + 1, of the corrected λ̂

	// Assumptions says what the interval rests on (see noiseAssumptions).
	Assumptions string `json:"assumptions"`

	Simex    *SimexDetail    `json:"simex,omitempty"`    // the SIMEX trace, with MethodSimex
	Indirect *IndirectDetail `json:"indirect,omitempty"` // the indirect inference trace, with MethodIndirect
	Warnings []string        `json:"warnings"`           // the correction's own warnings
	Verdict  string          `json:"verdict"`            // the correction's one-sentence conclusion
}

// CorrectNoise corrects the profile-likelihood estimate of λ for
// measurement noise of a known model. source says where the model comes
// from (given, estimated from repeats, …) and is reported.
//
// The default method is indirect inference through the simulator (see the
// notes in noise_indirect.go): it handles multiplicative and additive noise
// alike; its interval joins the inversion of the simulated law of the naive
// estimate with a linearised bootstrap that re-estimates the change size;
// it assumes a log-normal initial law. SIMEX (Method = MethodSimex) needs
// no initial law, but its quadratic extrapolation under-corrects when the
// noise is comparable to the changes (see docs/noise.md), so it is offered
// for comparison.
func CorrectNoise(w0, w1 []float64, noise NoiseModel, source string, opts NoiseOptions) (*NoiseCorrection, error) {
	return CorrectNoiseContext(context.Background(), w0, w1, noise, source, opts)
}

// CorrectNoiseContext is CorrectNoise that stops when ctx is done and then
// returns ctx.Err(). It looks at ctx before each simulated data set,
// pseudo-data set and resample.
func CorrectNoiseContext(ctx context.Context, w0, w1 []float64, noise NoiseModel, source string, opts NoiseOptions) (*NoiseCorrection, error) {
	opts.ctx = ctx
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(w0) != len(w1) {
		return nil, &inputError{fmt.Sprintf("testgeom: %d before values but %d after values", len(w0), len(w1))}
	}
	if err := noise.validate(); err != nil {
		return nil, err
	}
	if opts.Clusters != nil && len(opts.Clusters) != len(w0) {
		return nil, &inputError{fmt.Sprintf("testgeom: %d cluster labels for %d pairs", len(opts.Clusters), len(w0))}
	}
	if opts.Method == "" {
		opts.Method = MethodIndirect
	}
	if opts.Method != MethodIndirect && opts.Method != MethodSimex {
		return nil, &inputError{fmt.Sprintf("testgeom: noise correction method %q: want indirect or simex", opts.Method)}
	}
	opts = opts.withDefaults()
	for _, z := range opts.Levels {
		if !(z > 0) || math.IsInf(z, 0) {
			return nil, &inputError{fmt.Sprintf("testgeom: SIMEX levels must be finite and > 0, got %v", z)}
		}
	}
	if len(opts.Levels) < 2 {
		return nil, &inputError{"testgeom: SIMEX needs at least two noise levels for a quadratic extrapolant"}
	}
	r := &NoiseCorrection{Status: StatusOK, Method: opts.Method, Noise: noise, NoiseSource: source, Warnings: []string{}}
	r.Description = DescriptionIndirect
	if opts.Method == MethodSimex {
		r.Description = DescriptionSimex
	}
	r.Assumptions = noiseAssumptions(opts)
	for i := range w0 {
		if Compared(w0[i], w1[i]) {
			r.N++
		}
	}
	if r.N < MinPairs {
		r.Status = fmt.Sprintf("too few pairs with both weights nonzero: %d (need at least %d)", r.N, MinPairs)
		r.Verdict = "There are too few usable pairs for a noise-corrected estimate."
		return r, nil
	}
	fit := profileOf(w0, w1, opts.Workers, true)
	if !fit.ok {
		r.Status = "no naive estimate: " + fit.status
		r.Verdict = "The likelihood of the data has no maximum in λ, so there is nothing to correct."
		return r, nil
	}
	r.NaiveLambda = num(fit.lambdaHat)
	r.NaiveCI = [2]*float64{num(fit.lo), num(fit.hi)}
	if opts.Method == MethodIndirect {
		r.indirect(w0, w1, fit.lambdaHat, opts)
	} else {
		r.simex(w0, w1, fit.lambdaHat, opts)
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the stopped simulations left the result incomplete
	}
	if r.Lambda != nil {
		r.decide()
	}
	return r, nil
}

func (r *NoiseCorrection) indirect(w0, w1 []float64, lamObs float64, opts NoiseOptions) {
	law, ok := fitInitLaw(w0, r.Noise)
	if !ok {
		r.Status = "no initial law: the measured weights before are not positive on average, or their spread is no larger than the noise"
		r.Verdict = "The noise-corrected estimate failed; the naive estimate stands alone."
		return
	}
	d := &IndirectDetail{Replicates: opts.Replicates}
	d.InitialLaw.Mu, d.InitialLaw.Sigma = law.mu, law.sigma
	r.Indirect = d
	inflate := 1.0
	if opts.Clusters != nil && opts.Bootstrap > 0 {
		deff := designEffect(w0, w1, opts.Clusters, opts.Bootstrap, opts.Seed, opts.Workers, opts.stopped)
		if finite(deff) {
			d.DesignEffect = num(deff)
			inflate = math.Sqrt(math.Max(1, deff))
		}
	}
	m := newIndirectModel(w0, w1, r.Noise, law, opts.Replicates, opts.Seed, opts.Workers)
	m.stop = opts.stopped
	est, lo, hi, table := m.estimate(lamObs, inflate)
	for _, p := range table {
		d.Binding = append(d.Binding, BindingPoint{Lambda: p.lambda, Mean: num(p.mean), SD: num(p.sd),
			StepSD: num(p.stepSD), Fits: p.fits, NoiseAll: p.noStep})
	}
	if !finite(est) {
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
		inside := p.lambda >= lo || !finite(lo)
		inside = inside && (p.lambda <= hi || !finite(hi))
		if p.noStep && (inside || math.Abs(p.lambda-est) <= indirectStep) {
			r.Status = fmt.Sprintf("the assumed noise alone spreads the dual shifts as much as observed (at λ = %.2f): no change is left to estimate a geometry from; the noise model is too large for these data", p.lambda)
			r.Verdict = "The noise-corrected estimate is not identified under this noise model; the naive estimate stands alone."
			return
		}
	}
	r.Lambda, r.PHat = num(est), num(est+1)
	// The interval is the union of the inverted one (nuisance fixed) and
	// est ± 1.96·SE from the linearised bootstrap (nuisance re-estimated).
	if opts.Bootstrap > 0 {
		se := m.linearizedSE(est, lamObs, ClusterMembers(opts.Clusters), opts.Bootstrap)
		if finite(se) {
			r.LambdaSE = num(se)
			lo = math.Min(lo, est-1.96*se)
			hi = math.Max(hi, est+1.96*se)
		} else {
			r.Warnings = append(r.Warnings, "no bootstrap standard error: the interval holds the initial law and the step size fixed")
		}
	}
	r.LambdaCI = [2]*float64{num(lo), num(hi)}
	if !finite(lo) || !finite(hi) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the interval reaches beyond the simulated range λ̂_obs ± %.1f; a missing end is unbounded there", indirectHalfWidth))
	}
}

func (r *NoiseCorrection) simex(w0, w1 []float64, lamObs float64, opts NoiseOptions) {
	d := &SimexDetail{Replicates: opts.Replicates}
	r.Simex = d
	L, B := len(opts.Levels), opts.Replicates
	lams := make([]float64, L*B)
	parallel.For(L*B, opts.Workers, func(k, _ int) {
		if opts.stopped() {
			lams[k] = math.NaN()
			return
		}
		lams[k] = simexFit(w0, w1, r.Noise, opts.Levels[k/B], opts.Seed, 0, uint64(k))
	})
	means, fits := levelMeans(lams, L, B)
	d.Curve = append(d.Curve, SimexPoint{Zeta: 0, LambdaMean: num(lamObs), Fits: 1})
	for j, z := range opts.Levels {
		d.Curve = append(d.Curve, SimexPoint{Zeta: z, LambdaMean: num(means[j]), Fits: fits[j]})
		if fits[j] < B {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%d of %d pseudo-data sets at ζ = %g had no λ̂", B-fits[j], B, z))
		}
	}
	coef, lin, ok := extrapolate(lamObs, opts.Levels, means)
	if !ok {
		r.Status = "the extrapolation failed: λ̂ could not be refitted at every noise level"
		r.Verdict = "The noise-corrected estimate failed; the naive estimate stands alone."
		return
	}
	corr := coef[0] - coef[1] + coef[2]
	r.Lambda, r.PHat, d.LinearLambda = num(corr), num(corr+1), num(lin)
	d.Extrapolant = [3]*float64{num(coef[0]), num(coef[1]), num(coef[2])}
	if math.Abs(corr-lin) > 0.5*math.Abs(corr-lamObs)+0.05 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the quadratic (%.3f) and linear (%.3f) extrapolants disagree: the correction is uncertain beyond its interval", corr, lin))
	}
	if opts.Bootstrap > 0 {
		r.bootstrap(w0, w1, opts)
	}
}

// bootstrap reruns the correction on resamples of synapses (or clusters).
func (r *NoiseCorrection) bootstrap(w0, w1 []float64, opts NoiseOptions) {
	noise, d := r.Noise, r.Simex
	d.Bootstrap, d.BootReplicates = opts.Bootstrap, opts.BootReplicates
	members := ClusterMembers(opts.Clusters)
	if members != nil {
		d.Clustered, d.Clusters = true, len(members)
	}
	L, B := len(opts.Levels), opts.BootReplicates
	est := make([]float64, opts.Bootstrap)
	parallel.For(opts.Bootstrap, opts.Workers, func(b, _ int) {
		est[b] = math.NaN()
		if opts.stopped() {
			return
		}
		rng := stream(opts.Seed, streamSimexBoot, uint64(b))
		var b0, b1 []float64
		if members == nil {
			b0, b1 = make([]float64, len(w0)), make([]float64, len(w0))
			for i := range b0 {
				j := rng.IntN(len(w0))
				b0[i], b1[i] = w0[j], w1[j]
			}
		} else {
			for range members {
				for _, j := range members[rng.IntN(len(members))] {
					b0, b1 = append(b0, w0[j]), append(b1, w1[j])
				}
			}
		}
		est[b] = math.NaN()
		f := profileOf(b0, b1, 1, false)
		if !f.ok {
			return
		}
		lams := make([]float64, L*B)
		for k := range lams {
			if opts.stopped() {
				return
			}
			lams[k] = simexFit(b0, b1, noise, opts.Levels[k/B], opts.Seed, uint64(b+1), uint64(k))
		}
		means, _ := levelMeans(lams, L, B)
		if coef, _, ok := extrapolate(f.lambdaHat, opts.Levels, means); ok {
			est[b] = coef[0] - coef[1] + coef[2]
		}
	})
	good := slices.DeleteFunc(est, func(x float64) bool { return math.IsNaN(x) })
	d.BootFailed = opts.Bootstrap - len(good)
	if len(good) < 2 {
		r.Warnings = append(r.Warnings, "the bootstrap failed: no interval")
		return
	}
	var m, ss float64
	for _, x := range good {
		m += x
	}
	m /= float64(len(good))
	for _, x := range good {
		ss += (x - m) * (x - m)
	}
	se := math.Sqrt(ss / float64(len(good)-1))
	r.LambdaSE = num(se)
	r.LambdaCI = [2]*float64{num(*r.Lambda - 1.96*se), num(*r.Lambda + 1.96*se)}
	if d.BootFailed > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d of %d bootstrap resamples gave no corrected λ̂", d.BootFailed, opts.Bootstrap))
	}
}

func (r *NoiseCorrection) decide() {
	est := fmt.Sprintf("corrected λ̂ = %.3f", *r.Lambda)
	ci := [2]*float64{r.Lambda, r.Lambda}
	if r.LambdaCI[0] != nil || r.LambdaCI[1] != nil {
		est += ", 95% CI " + FormatCI(r.LambdaCI)
		ci = r.LambdaCI
	}
	r.Verdict = fmt.Sprintf("Allowing for measurement noise (%s, %s), the corrected estimate points to %s (%s; naive Gaussian-step λ̂ = %.3f, 95%% CI %s); how well the model fits is judged by the naive analysis above.",
		r.Noise, r.NoiseSource, DescribeLambda(*r.Lambda, ci), est, *r.NaiveLambda, FormatCI(r.NaiveCI))
}

// simexFit adds noise of level ζ to a copy of the pairs and returns the
// naive λ̂ (NaN if none). Pseudo-data set k of bootstrap resample boot
// draws from its own stream.
func simexFit(w0, w1 []float64, noise NoiseModel, zeta float64, seed, boot, k uint64) float64 {
	rng := stream(seed, streamSimex, boot<<40|k)
	a, b := make([]float64, len(w0)), make([]float64, len(w1))
	for i := range w0 {
		a[i] = noise.addExtra(w0[i], zeta, rng)
		b[i] = noise.addExtra(w1[i], zeta, rng)
	}
	f := profileOf(a, b, 1, false)
	if !f.ok {
		return math.NaN()
	}
	return f.lambdaHat
}

// profileOf is the profile-likelihood fit of λ on in-memory pairs.
func profileOf(w0, w1 []float64, workers int, withCI bool) profileFit {
	sc := NewScan([]geometry.Potential{}, workers)
	sc.Add(w0, w1)
	p := sc.final()
	if p.compared() < MinPairs {
		return profileFit{status: "too few pairs with both weights nonzero", lo: math.NaN(), hi: math.NaN()}
	}
	return fitProfile(p.gridLogLik(), newLikPairs(w0, w1, workers).logLik, withCI)
}

// levelMeans averages the fits of each level, skipping failures.
func levelMeans(lams []float64, levels, reps int) (means []float64, fits []int) {
	means, fits = make([]float64, levels), make([]int, levels)
	for j := range levels {
		var s float64
		for _, x := range lams[j*reps : (j+1)*reps] {
			if !math.IsNaN(x) {
				s += x
				fits[j]++
			}
		}
		means[j] = s / float64(fits[j])
		if fits[j] == 0 {
			means[j] = math.NaN()
		}
	}
	return means, fits
}

// extrapolate fits λ̂(ζ) = a + bζ + cζ² by least squares to ζ = 0 (the
// data) and the levels, and returns the coefficients and the linear
// extrapolant at ζ = −1.
func extrapolate(lam0 float64, levels, means []float64) (coef [3]float64, linear float64, ok bool) {
	z := append([]float64{0}, levels...)
	y := append([]float64{lam0}, means...)
	for _, v := range y {
		if !finite(v) {
			return coef, math.NaN(), false
		}
	}
	// Normal equations on centred ζ for stability.
	var zm float64
	for _, v := range z {
		zm += v
	}
	zm /= float64(len(z))
	var s [5]float64
	var t [3]float64
	for i := range z {
		u := z[i] - zm
		p := 1.0
		for k := 0; k < 5; k++ {
			s[k] += p
			if k < 3 {
				t[k] += p * y[i]
			}
			p *= u
		}
	}
	q, okq := solve3([3][3]float64{{s[0], s[1], s[2]}, {s[1], s[2], s[3]}, {s[2], s[3], s[4]}}, t)
	// Back to powers of ζ: a + b(ζ − m) + c(ζ − m)².
	coef = [3]float64{q[0] - q[1]*zm + q[2]*zm*zm, q[1] - 2*q[2]*zm, q[2]}
	lb := (s[0]*t[1] - s[1]*t[0]) / (s[0]*s[2] - s[1]*s[1])
	la := (t[0] - lb*s[1]) / s[0]
	linear = la + lb*(-1-zm)
	return coef, linear, okq && finite(coef[0]-coef[1]+coef[2])
}

// solve3 solves a 3×3 linear system by Cramer's rule.
func solve3(a [3][3]float64, b [3]float64) ([3]float64, bool) {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) - m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) + m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(a)
	if d == 0 || !finite(d) {
		return [3]float64{}, false
	}
	var x [3]float64
	for c := range 3 {
		m := a
		for r := range 3 {
			m[r][c] = b[r]
		}
		x[c] = det(m) / d
	}
	return x, true
}
