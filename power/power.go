package power

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/internal/splitmix"
	"github.com/syngeom/syngeom/testgeom"
)

// Methods compared by the planner.
const (
	MethodDCDF               = "dcdf"                // paired: the paper's ΔCDF argmin
	MethodLikelihood         = "likelihood"          // paired: profile-likelihood λ̂
	MethodUnpairedDistance   = "unpaired_distance"   // unpaired: smallest scaled distance
	MethodUnpairedLikelihood = "unpaired_likelihood" // unpaired, refined: λ̂ of the (λ, μ, σ) likelihood
)

// Design is the experiment to plan.
type Design struct {
	Ns    []int              // sample sizes: synapses per experiment (per sample when unpaired)
	Init  datasets.Law       // law of the weights before learning
	Truth geometry.Potential // the true geometry (NE or a p-norm)
	Step  float64            // sd of the dual step ξ
	Shift float64            // mean of the dual step ξ
	// NoiseCV and NoiseSD are multiplicative and additive measurement noise,
	// applied independently before and after.
	NoiseCV, NoiseSD float64
	// Unpaired measures different synapses before and after.
	Unpaired bool
	Sims     int // simulated experiments per sample size
	// Test are the options of the geometry test run on every simulated
	// experiment, as for real data: Test.Candidates are the geometries it
	// compares (nil: the paper's grid, NE and p = 1.1 … 3.0; the unpaired
	// test uses them too), Test.NullReplicates > 0 calibrates the paired
	// ΔCDF (its test of Euclidean; 0, the zero value, skips it, as it
	// dominates the cost). Test.Seed is the seed of the whole plan: each
	// simulation's data and test use SimSeed(Test.Seed, n, sim). Test.Workers
	// (≤ 0: GOMAXPROCS) is the number of simulations run at once, each test
	// on one goroutine; the step models are always skipped.
	Test testgeom.Options
	// Refine adds the unpaired likelihood fit over (λ, μ, σ) (slow).
	Refine bool
}

// Row is one sample size and method.
type Row struct {
	N      int    `json:"n"`      // the sample size n
	Method string `json:"method"` // the method, one of Design.Methods
	Sims   int    `json:"sims"`   // simulated experiments
	// NoAnswer counts simulations where the method named no geometry.
	NoAnswer int `json:"no_answer"`
	// PRightFamily is the fraction of simulations whose answer lies in the
	// true family; PRejectEuclidean the fraction that reject p = 2 at 5%
	// (null when the method has no such test); MedianCIWidth the median
	// width of the 95% interval of λ̂ (null for methods without one).
	PRightFamily     *float64 `json:"p_right_family"`
	PRejectEuclidean *float64 `json:"p_reject_euclidean"`     // fraction that reject p = 2; null: no test
	MedianCIWidth    *float64 `json:"median_lambda_ci_width"` // median 95% interval width of λ̂; null: none
	// RejectNote says what "rejecting Euclidean" means for this method.
	RejectNote string `json:"reject_note,omitempty"`
}

// Schema names the JSON document of a plan (Result). The plan is its own
// document, not the analysis document of docs/json.md, so it has its own
// constant: the two versions change independently.
const Schema = "syngeom/1"

// Result is the plan's table.
type Result struct {
	Schema      string `json:"schema"`      // Schema
	Description string `json:"description"` // the simulated design in words (Design.Describe)
	TrueFamily  string `json:"true_family"` // the true geometry's family (Family)
	Design      string `json:"design"`      // "paired" or "unpaired"
	Sims        int    `json:"sims"`        // simulations per sample size
	Seed        uint64 `json:"seed"`        // seed of every simulation
	Rows        []Row  `json:"rows"`        // one per sample size and method
}

// ParamError is an impossible plan; the command line reports it as an
// input error.
type ParamError struct {
	Msg string // the message shown to the user
}

// Error returns the message.
func (e *ParamError) Error() string { return e.Msg }

// Is makes the error match analysis.ErrInput (exit code 2 in the CLI).
func (e *ParamError) Is(target error) bool { return inputerr.Is(target) }

func paramErrorf(format string, a ...any) error { return &ParamError{fmt.Sprintf(format, a...)} }

// Exponent is the p-norm exponent of a candidate (1 for NE) and false for
// geometries outside the p-norm family.
func Exponent(p geometry.Potential) (float64, bool) {
	l, ok := geometry.Lambda(p)
	return l + 1, ok
}

// Family names the named geometry nearest to the exponent p (NE is p = 1;
// ties go to the lower one): "NE", "p=2" or "p=3"; "" for NaN.
func Family(p float64) string {
	switch {
	case math.IsNaN(p):
		return ""
	case p <= 1.5:
		return "NE"
	case p <= 2.5:
		return "p=2"
	}
	return "p=3"
}

// SimSeed is the seed of simulation sim at sample size n. The unpaired
// design draws its after sample from SimSeed(...) ^ AfterSeedTag.
func SimSeed(seed uint64, n, sim int) uint64 {
	return splitmix.Mix(splitmix.Mix(seed^0x706f776572) ^ splitmix.Mix(uint64(n)<<32|uint64(sim)))
}

// AfterSeedTag separates the after sample's seed from the before sample's
// in the unpaired design.
const AfterSeedTag = 0xaf7e

// Simulator is the data generator of one simulation.
func (d Design) Simulator(n int, seed uint64) datasets.DualShift {
	return datasets.DualShift{Potential: d.Truth, Init: d.Init, Step: d.Step, Shift: d.Shift,
		NoiseCV: d.NoiseCV, NoiseSD: d.NoiseSD, N: n, Seed: seed, Name: "power"}
}

// Experiment simulates simulation sim at size n: the paired columns, or
// the before column of one simulated table and the after column of
// another (different synapses) when unpaired.
func (d Design) Experiment(n, sim int) (before, after []float64, err error) {
	s := SimSeed(d.Test.Seed, n, sim)
	p, err := d.Simulator(n, s).Simulate()
	if err != nil {
		return nil, nil, err
	}
	if !d.Unpaired {
		return p.Before, p.After, nil
	}
	q, err := d.Simulator(n, s^AfterSeedTag).Simulate()
	if err != nil {
		return nil, nil, err
	}
	return p.Before, q.After, nil
}

// PairedOptions are the options of the paired analysis of simulation sim.
func (d Design) PairedOptions(n, sim int) testgeom.Options {
	o := d.Test
	o.Seed, o.Workers, o.NoStepModels = SimSeed(d.Test.Seed, n, sim), 1, true
	return o
}

// UnpairedOptions are the options of the unpaired analysis of simulation sim.
func (d Design) UnpairedOptions(n, sim int) testgeom.UnpairedOptions {
	return testgeom.UnpairedOptions{Candidates: d.Test.Candidates, Seed: SimSeed(d.Test.Seed, n, sim), Workers: 1, Refine: d.Refine}
}

// Methods lists the methods of the design, in table order.
func (d Design) Methods() []string {
	if d.Unpaired {
		if d.Refine {
			return []string{MethodUnpairedDistance, MethodUnpairedLikelihood}
		}
		return []string{MethodUnpairedDistance}
	}
	return []string{MethodDCDF, MethodLikelihood}
}

// Outcome is what one method concluded from one simulated experiment.
type Outcome struct {
	Answered       bool    // a geometry was named
	Exponent       float64 // p of the answer (1 for NE; NaN when none)
	RejectTested   bool    // the method tested Euclidean
	RejectEuclid   bool    // … and rejected it at 5%
	CIWidth        float64 // width of the 95% interval of λ̂ (NaN when none)
	HasCIWidthStat bool    // the method reports an interval at all
}

func candExponent(cands []geometry.Potential, name string) float64 {
	for _, c := range cands {
		if c.Name() == name {
			if p, ok := Exponent(c); ok {
				return p
			}
		}
	}
	return math.NaN()
}

func noAnswer() Outcome { return Outcome{Exponent: math.NaN(), CIWidth: math.NaN()} }

// PairedOutcomes reads the two paired methods' answers off a result.
func PairedOutcomes(r *testgeom.Result, cands []geometry.Potential) (dcdf, lik Outcome) {
	dcdf = rankedOutcome(r.BestByDCDF, cands, r.Candidates, func(c testgeom.Candidate) (string, bool, bool) {
		return c.Name, c.DCDFPValue != nil, c.DCDFPValue != nil && *c.DCDFPValue < 0.05
	})
	return dcdf, likelihoodOutcome(r.LambdaHat, r.LambdaCI, r.LRTests.Euclidean)
}

// rankedOutcome reads the answer of a method that ranks the candidates, the
// same in both designs: the exponent of its best (none when best is empty)
// and its verdict on Euclidean, which euclid reads off each scored
// candidate as its name, whether the method tested it and whether it
// rejected it.
func rankedOutcome[C any](best string, cands []geometry.Potential, scored []C, euclid func(C) (name string, tested, rejected bool)) Outcome {
	o := noAnswer()
	if best != "" {
		o.Answered, o.Exponent = true, candExponent(cands, best)
	}
	for _, c := range scored {
		if name, tested, rejected := euclid(c); name == "p=2.0" && tested {
			o.RejectTested, o.RejectEuclid = true, rejected
		}
	}
	return o
}

// likelihoodOutcome reads the profile-likelihood method's answer, the same
// in both designs: λ̂ with its 95% interval and the LR test of Euclidean.
func likelihoodOutcome(lambdaHat *float64, ci [2]*float64, euclid testgeom.LRTest) Outcome {
	lik := noAnswer()
	lik.HasCIWidthStat = true
	if lambdaHat != nil {
		lik.Answered, lik.Exponent = true, *lambdaHat+1
	}
	if pv := euclid.PValue; pv != nil {
		lik.RejectTested, lik.RejectEuclid = true, *pv < 0.05
	}
	if ci[0] != nil && ci[1] != nil {
		lik.CIWidth = *ci[1] - *ci[0]
	} else if lambdaHat != nil {
		lik.CIWidth = math.Inf(1) // an unbounded interval
	}
	return lik
}

// UnpairedOutcomes reads the unpaired methods' answers off a result.
func UnpairedOutcomes(r *testgeom.UnpairedResult, cands []geometry.Potential) (dist, lik Outcome) {
	dist = rankedOutcome(r.BestByDistance, cands, r.Candidates, func(c testgeom.UnpairedCandidate) (string, bool, bool) {
		return c.Name, c.ShiftVariance != nil, !c.CanExplain
	})
	return dist, likelihoodOutcome(r.LambdaHat, r.LambdaCI, r.LRTests.Euclidean)
}

// Simulate runs one simulated experiment through the real analysis and
// returns each method's outcome, in the order of Methods.
func (d Design) Simulate(n, sim int) ([]Outcome, error) {
	return d.simulate(context.Background(), n, sim)
}

// simulate is Simulate whose test stops when ctx is done.
func (d Design) simulate(ctx context.Context, n, sim int) ([]Outcome, error) {
	before, after, err := d.Experiment(n, sim)
	if err != nil {
		return nil, err
	}
	cands := d.Test.Candidates
	if cands == nil {
		cands = geometry.DefaultCandidates()
	}
	if d.Unpaired {
		r, err := testgeom.TestUnpairedContext(ctx, before, after, d.UnpairedOptions(n, sim))
		if err != nil {
			return nil, err
		}
		dist, lik := UnpairedOutcomes(r, cands)
		if d.Refine {
			return []Outcome{dist, lik}, nil
		}
		return []Outcome{dist}, nil
	}
	r, err := testgeom.TestPairedContext(ctx, before, after, d.PairedOptions(n, sim))
	if err != nil {
		return nil, err
	}
	dcdf, lik := PairedOutcomes(r, cands)
	return []Outcome{dcdf, lik}, nil
}

func (d Design) validate() error {
	if err := d.Test.Validate(); err != nil {
		return paramErrorf("power: %v", err)
	}
	switch {
	case len(d.Ns) == 0:
		return paramErrorf("power: no sample sizes")
	case d.Init == nil:
		return paramErrorf("power: no initial law")
	case d.Truth == nil:
		return paramErrorf("power: no true geometry")
	case d.Sims < 1:
		return paramErrorf("power: at least one simulation per sample size is needed, got %d", d.Sims)
	}
	if _, ok := Exponent(d.Truth); !ok {
		return paramErrorf("power: the true geometry must be NE or a p-norm, not %s", d.Truth.Name())
	}
	for _, n := range d.Ns {
		if n < testgeom.MinPairs {
			return paramErrorf("power: sample size %d is below the minimum of %d", n, testgeom.MinPairs)
		}
	}
	return nil
}

// Run simulates every (n, simulation) cell on up to Test.Workers goroutines
// (each simulation single-threaded, results stored by index) and tallies
// the table.
func (d Design) Run() (*Result, error) {
	return d.RunContext(context.Background())
}

// RunContext is Run that stops when ctx is done and then returns
// ctx.Err(): it looks at ctx before each simulation and within each test
// (testgeom.TestPairedContext or TestUnpairedContext).
func (d Design) RunContext(ctx context.Context) (*Result, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	jobs := len(d.Ns) * d.Sims
	outs := make([][]Outcome, jobs)
	errs := make([]error, jobs)
	parallel.For(jobs, parallel.Workers(d.Test.Workers), func(j, _ int) {
		if errs[j] = ctx.Err(); errs[j] == nil {
			outs[j], errs[j] = d.simulate(ctx, d.Ns[j/d.Sims], j%d.Sims)
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	pTrue, _ := Exponent(d.Truth)
	res := &Result{Schema: Schema, Description: d.Describe(), TrueFamily: Family(pTrue), Design: "paired", Sims: d.Sims, Seed: d.Test.Seed}
	if d.Unpaired {
		res.Design = "unpaired"
	}
	for i, n := range d.Ns {
		for m, method := range d.Methods() {
			col := make([]Outcome, d.Sims)
			for s := 0; s < d.Sims; s++ {
				col[s] = outs[i*d.Sims+s][m]
			}
			res.Rows = append(res.Rows, Tally(n, method, Family(pTrue), col))
		}
	}
	return res, nil
}

// Tally summarises one method's outcomes at one sample size.
func Tally(n int, method, family string, col []Outcome) Row {
	row := Row{N: n, Method: method, Sims: len(col)}
	right, tested, rejected := 0, 0, 0
	var widths []float64
	hasWidth := false
	for _, o := range col {
		if !o.Answered {
			row.NoAnswer++
		} else if Family(o.Exponent) == family {
			right++
		}
		if o.RejectTested {
			tested++
			if o.RejectEuclid {
				rejected++
			}
		}
		if o.HasCIWidthStat {
			hasWidth = true
			if o.Answered {
				widths = append(widths, o.CIWidth)
			}
		}
	}
	row.PRightFamily = frac(right, len(col))
	if tested > 0 {
		row.PRejectEuclidean = frac(rejected, tested)
	}
	if hasWidth && len(widths) > 0 {
		slices.Sort(widths)
		var med float64
		if k := len(widths); k%2 == 1 {
			med = widths[k/2]
		} else {
			med = (widths[k/2-1] + widths[k/2]) / 2
		}
		if !math.IsInf(med, 0) {
			row.MedianCIWidth = &med
		}
	}
	switch method {
	case MethodDCDF:
		row.RejectNote = "calibrated ΔCDF p < 0.05 at p = 2"
	case MethodLikelihood, MethodUnpairedLikelihood:
		row.RejectNote = "likelihood-ratio test of λ = 1, p < 0.05"
	case MethodUnpairedDistance:
		row.RejectNote = "p = 2 cannot explain the change (dual variance shrinks, z < −2.33)"
	}
	return row
}

func frac(k, n int) *float64 {
	if n == 0 {
		return nil
	}
	v := float64(k) / float64(n)
	return &v
}

// Describe says in one line what is simulated.
func (d Design) Describe() string {
	var b strings.Builder
	design := "paired"
	if d.Unpaired {
		design = "unpaired (different synapses before and after)"
	}
	fmt.Fprintf(&b, "%s experiments: initial law %s, true geometry %s, dual step ξ ~ N(%g, %g²)", design, d.Init, d.Truth.Name(), d.Shift, d.Step)
	if d.NoiseCV > 0 {
		fmt.Fprintf(&b, ", multiplicative noise CV %g", d.NoiseCV)
	}
	if d.NoiseSD > 0 {
		fmt.Fprintf(&b, ", additive noise sd %g", d.NoiseSD)
	}
	fmt.Fprintf(&b, "; %d simulations per sample size, seed %d", d.Sims, d.Test.Seed)
	return b.String()
}

// Empirical is the law that resamples given weights (e.g. a measured
// sample used as the initial law of a plan).
type Empirical struct {
	Values []float64 // the weights resampled
	Source string    // where they came from, for String
}

// Rand draws one of the values uniformly, with replacement.
func (e Empirical) Rand(r *rand.Rand) float64 { return e.Values[r.IntN(len(e.Values))] }

// String names the source and the number of values.
func (e Empirical) String() string {
	return fmt.Sprintf("empirical:%s (%d values)", e.Source, len(e.Values))
}
