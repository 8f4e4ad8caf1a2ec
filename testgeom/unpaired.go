package testgeom

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
	"gonum.org/v1/gonum/optimize"
)

// The unpaired test compares a before sample and an after sample of
// different synapses. Under a geometry g every synapse's dual coordinate
// moves by ξ ~ N(μ, σ²) independent of its size, so the law of g(w) after
// learning is the law before convolved with N(μ, σ²) in dual space:
//   - μ̂ = mean g(after) − mean g(before), σ̂² = var g(after) − var g(before);
//     a σ̂² significantly below zero means the geometry cannot explain the
//     change (learning would have to narrow the dual distribution);
//   - the cumulants of order ≥ 3 do not change, so the changes of κ₃ and κ₄,
//     scaled by the after sd (the observed minus the predicted skewness and
//     excess kurtosis), must vanish;
//   - the after sample must follow the predicted law: the 1-Wasserstein
//     distance ∫|F_after − F_pred| between its empirical CDF and the before
//     sample convolved with N(μ, σ²), divided by the after sd so that
//     candidates compare, ranks the geometries. By default (μ, σ) are those
//     that minimise the distance, searched from (μ̂, √max(σ̂², 0)): dual
//     variances of heavy-tailed samples (p = 3 of log-normal weights) are
//     dominated by a few large values and pin σ poorly. The distance at the
//     moment estimates is reported too.
//
// The predicted CDF is computed on a uniform grid: the before duals are
// binned linearly and convolved with the Gaussian cell masses by FFT, and
// the distance to the after sample's empirical CDF is integrated exactly
// for the piecewise-linear prediction, so each evaluation costs
// O(n + m log m) for a grid of m points.

// DesignUnpaired is the "design" of an unpaired result.
const DesignUnpaired = "unpaired"

// Defaults of UnpairedOptions.
const (
	DefaultUnpairedGrid = 8192 // UnpairedOptions.GridPoints
	// unpairedZCrit is the one-sided 1% point of N(0, 1): σ̂² below
	// −unpairedZCrit standard errors counts as a narrowing of the dual law.
	unpairedZCrit = 2.3263478740408408
	// adequacyZ is the two-sided 1% point: a cumulant change this many
	// bootstrap standard errors away from 0 makes the model fit poorly.
	adequacyZ = 2.5758293035489004
)

// UnpairedOptions tune TestUnpaired. The zero value gives the paper's
// candidates, no bootstrap and no likelihood refinement.
type UnpairedOptions struct {
	Candidates []geometry.Potential // nil: DefaultCandidates
	// Bootstrap is the number of resamples of both samples for win
	// frequencies and intervals; 0 skips it.
	Bootstrap int
	Seed      uint64 // seeds every random choice
	Workers   int    // ≤ 0: GOMAXPROCS
	// Refine adds the maximum-likelihood fit over (λ, μ, σ) with the
	// smoothed before law and a profile interval for λ (positive weights).
	Refine bool
	// SampleMax caps the values drawn per sample and bootstrap replicate
	// (m-out-of-n above it; 0: DefaultSampleMax).
	SampleMax int
	// MomentsOnly scores each candidate at the moment estimates (μ̂, σ̂)
	// instead of the (μ, σ) that minimise the distance.
	MomentsOnly bool
	// GridPoints is the size of the dual-space grid of the predicted law
	// (0: DefaultUnpairedGrid).
	GridPoints int

	ctx context.Context // set by TestUnpairedContext; nil = never cancelled
}

// stopped says whether the run was cancelled (TestUnpairedContext).
func (o UnpairedOptions) stopped() bool { return o.ctx != nil && o.ctx.Err() != nil }

func (o UnpairedOptions) withDefaults() UnpairedOptions {
	if o.Candidates == nil {
		o.Candidates = geometry.DefaultCandidates()
	}
	if o.SampleMax <= 0 {
		o.SampleMax = DefaultSampleMax
	}
	if o.GridPoints < 64 {
		o.GridPoints = DefaultUnpairedGrid
	}
	o.Workers = workerCount(o.Workers)
	return o
}

// UnpairedCandidate is one geometry's scores on unpaired samples. Pointers
// are null when a value does not exist (Status says why).
type UnpairedCandidate struct {
	Name    string   `json:"name"`           // the potential's name
	P       *float64 `json:"p"`              // p-norm exponent; null for NE and hypentropy
	Lambda  *float64 `json:"lambda"`         // Box–Cox λ = p − 1 (0 for NE); null for hypentropy
	Beta    *float64 `json:"beta,omitempty"` // the hypentropy's β; absent for other potentials
	NBefore int64    `json:"n_before"`       // values scored before
	NAfter  int64    `json:"n_after"`        // values scored after
	// Excluded counts values the potential cannot use (zeros under NE).
	Excluded map[string]int64 `json:"excluded,omitempty"`
	Status   string           `json:"status"` // StatusOK, or why the candidate was not scored
	// CanExplain is false when σ̂² is significantly negative (the dual law
	// would have to narrow) or the candidate could not be scored.
	CanExplain bool `json:"can_explain"`

	ShiftMean      *float64 `json:"shift_mean"`       // μ̂
	ShiftVariance  *float64 `json:"shift_variance"`   // σ̂² (may be negative)
	ShiftVarianceZ *float64 `json:"shift_variance_z"` // σ̂² / its standard error
	ShiftSD        *float64 `json:"shift_sd"`         // √max(σ̂², 0), used for the prediction
	DualSD         *float64 `json:"dual_sd"`          // sd of the after duals: the distance's unit

	// Distance is ∫|F_after − F_pred| / dual sd at the (μ, σ) that minimise
	// it (FitShiftMean, FitShiftSD); DistanceAtMoments uses (μ̂, √max(σ̂², 0)).
	Distance          *float64    `json:"distance"`
	DistanceAtMoments *float64    `json:"distance_at_moments"` // the distance at (μ̂, √max(σ̂², 0))
	FitShiftMean      *float64    `json:"fit_shift_mean"`      // the μ that minimises the distance
	FitShiftSD        *float64    `json:"fit_shift_sd"`        // the σ that minimises the distance
	DistanceCI        [2]*float64 `json:"distance_ci"`         // bootstrap percentile interval of Distance

	SkewnessBefore       *float64    `json:"skewness_before"`           // skewness of the before duals
	SkewnessAfter        *float64    `json:"skewness_after"`            // skewness of the after duals
	ExcessKurtosisBefore *float64    `json:"excess_kurtosis_before"`    // excess kurtosis of the before duals
	ExcessKurtosisAfter  *float64    `json:"excess_kurtosis_after"`     // excess kurtosis of the after duals
	SkewnessChange       *float64    `json:"skewness_change"`           // (κ₃ after − κ₃ before)/sd³; 0 under the model
	SkewnessChangeCI     [2]*float64 `json:"skewness_change_ci"`        // its interval
	KurtosisChange       *float64    `json:"excess_kurtosis_change"`    // (κ₄ after − κ₄ before)/sd⁴
	KurtosisChangeCI     [2]*float64 `json:"excess_kurtosis_change_ci"` // its interval

	LogLik *float64 `json:"loglik"` // refined: profile log-likelihood of the after sample at this λ

	distanceV float64
	seSkew    float64
	seKurt    float64
}

// UnpairedBootstrap summarises the resampling of both samples.
type UnpairedBootstrap struct {
	Replicates   int                `json:"replicates"`     // resamples drawn
	SampleBefore int                `json:"sample_before"`  // values drawn per replicate
	SampleAfter  int                `json:"sample_after"`   // values drawn per replicate after
	Subsampled   bool               `json:"subsampled"`     // a sample was larger than what each replicate draws
	WinsDistance map[string]float64 `json:"wins_distance"`  // fraction of resamples each candidate wins by distance
	Note         string             `json:"note,omitempty"` // how the resampling went
}

// UnpairedResult is the geometry test on unpaired samples: the "geometry"
// object of the JSON contract with "design": "unpaired".
type UnpairedResult struct {
	Design   string           `json:"design"`   // DesignUnpaired
	Status   string           `json:"status"`   // StatusOK, or why the test could not run
	NBefore  int64            `json:"n_before"` // finite values
	NAfter   int64            `json:"n_after"`  // finite values after
	Excluded map[string]int64 `json:"excluded"` // values dropped, by reason
	Counts   map[string]int64 `json:"counts"`   // zero and negative values, before and after

	Candidates       []UnpairedCandidate `json:"candidates"`         // one per candidate geometry
	BestByDistance   string              `json:"best_by_distance"`   // the candidate with the smallest Distance
	BestByLikelihood string              `json:"best_by_likelihood"` // with Refine: the highest profile log-likelihood

	Refined       bool           `json:"refined"`        // the maximum-likelihood fit over (λ, μ, σ) ran (UnpairedOptions.Refine)
	LambdaHat     *float64       `json:"lambda_hat"`     // with Refine: the estimate of λ
	LambdaCI      [2]*float64    `json:"lambda_ci"`      // with Refine: its profile interval
	PHat          *float64       `json:"p_hat"`          // λ̂ + 1
	ProfileStatus string         `json:"profile_status"` // status of the estimate of λ
	Profile       []ProfilePoint `json:"profile"`        // ℓ(λ) on the coarse λ grid, for plots
	LRTests       LRTests        `json:"lr_tests"`       // with Refine: tests of λ = 1 and λ = 0
	// LambdaCIAssumes states what the refined interval assumes.
	LambdaCIAssumes string `json:"lambda_ci_assumes,omitempty"`

	Bootstrap     *UnpairedBootstrap `json:"bootstrap,omitempty"` // resampling of both samples; nil without UnpairedOptions.Bootstrap
	BootstrapWins map[string]float64 `json:"bootstrap_wins"`      // = Bootstrap.WinsDistance

	Adequate bool     `json:"model_adequate"` // false when the best candidate's dual skewness or kurtosis changes significantly (bootstrap z); true without a bootstrap
	Warnings []string `json:"warnings"`       // the test's own warnings
	Verdict  string   `json:"verdict"`        // the test's one-sentence conclusion
}

// unpairedDuals holds one candidate's dual values of both samples: before
// in sample order (NaN where undefined), after sorted, with the sample
// index of each sorted value.
type unpairedDuals struct {
	before   []float64
	after    []float64
	afterIdx []int32
	nb, na   int64
	exclB    int64
	exclA    int64
}

func dualsOfSamples(pot geometry.Potential, before, after []float64) *unpairedDuals {
	d := &unpairedDuals{before: make([]float64, len(before))}
	for i, w := range before {
		if !pot.Defined(w) {
			d.before[i] = math.NaN()
			d.exclB++
			continue
		}
		d.before[i] = pot.Dual(w)
		d.nb++
	}
	idx := make([]int32, 0, len(after))
	vals := make([]float64, len(after))
	for i, w := range after {
		if !pot.Defined(w) {
			d.exclA++
			continue
		}
		vals[i] = pot.Dual(w)
		idx = append(idx, int32(i))
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		switch {
		case vals[a] < vals[b]:
			return -1
		case vals[a] > vals[b]:
			return 1
		}
		return 0
	})
	d.after = make([]float64, len(idx))
	for k, i := range idx {
		d.after[k] = vals[i]
	}
	d.afterIdx = idx
	d.na = int64(len(idx))
	return d
}

// wMoments are weighted central moments (weights are bootstrap counts).
type wMoments struct {
	n, mean, m2, m3, m4 float64
	min, max            float64
}

// counted yields the values of x that count, with their weights: all but
// NaN, with weight 1 when w is nil, else w[i] when not 0.
func counted(x, w []float64) iter.Seq2[float64, float64] {
	return func(yield func(v, wt float64) bool) {
		for i, v := range x {
			wt := 1.0
			if w != nil {
				wt = w[i]
			}
			if wt == 0 || math.IsNaN(v) {
				continue
			}
			if !yield(v, wt) {
				return
			}
		}
	}
}

func weightedMoments(x, w []float64) wMoments {
	var m wMoments
	m.min, m.max = math.Inf(1), math.Inf(-1)
	var s float64
	for v, wt := range counted(x, w) {
		m.n += wt
		s += wt * v
		m.min = math.Min(m.min, v)
		m.max = math.Max(m.max, v)
	}
	if m.n == 0 {
		return m
	}
	m.mean = s / m.n
	for v, wt := range counted(x, w) {
		d := v - m.mean
		d2 := d * d
		m.m2 += wt * d2
		m.m3 += wt * d2 * d
		m.m4 += wt * d2 * d2
	}
	return m
}

func (m wMoments) variance() float64 { return m.m2 / (m.n - 1) }

// varianceSE is the large-sample standard error of the unbiased variance,
// √((μ₄ − σ⁴(n−3)/(n−1))/n).
func (m wMoments) varianceSE() float64 {
	mu4, s2 := m.m4/m.n, m.m2/m.n
	v := (mu4 - s2*s2*(m.n-3)/(m.n-1)) / m.n
	return math.Sqrt(math.Max(v, 0))
}

func (m wMoments) k3() float64 { return m.m3 / m.n }
func (m wMoments) k4() float64 {
	s2 := m.m2 / m.n
	return m.m4/m.n - 3*s2*s2
}
func (m wMoments) skewness() float64 { return m.k3() / math.Pow(m.m2/m.n, 1.5) }
func (m wMoments) excessKurtosis() float64 {
	s2 := m.m2 / m.n
	return m.k4() / (s2 * s2)
}

// unpairedScore is one candidate's statistics on one pair of samples.
type unpairedScore struct {
	ok               bool
	status           string
	b, a             wMoments
	mu, s2, z, sigma float64
	explains         bool
	dSkew, dKurt     float64
	distance, dualSD float64
	momentDistance   float64
	fitMu, fitSigma  float64
}

// scoreDuals scores a candidate. wb weights the before duals in sample
// order, wa the sorted after duals (nil: weight 1 each).
func scoreDuals(d *unpairedDuals, wb, wa []float64, gridM int, fitted bool, start *unpairedScore) unpairedScore {
	var sc unpairedScore
	sc.b = weightedMoments(d.before, wb)
	sc.a = weightedMoments(d.after, wa)
	if sc.b.n < MinPairs || sc.a.n < MinPairs {
		sc.status = fmt.Sprintf("too few usable values: %g before and %g after (need at least %d each)", sc.b.n, sc.a.n, MinPairs)
		return sc
	}
	vb, va := sc.b.variance(), sc.a.variance()
	if !(va > 0) || !(vb > 0) {
		sc.status = "no spread: every value of one sample is the same"
		return sc
	}
	sc.ok = true
	sc.mu = sc.a.mean - sc.b.mean
	sc.s2 = va - vb
	se := math.Hypot(sc.b.varianceSE(), sc.a.varianceSE())
	sc.z = sc.s2 / se
	sc.explains = !(sc.z < -unpairedZCrit)
	sc.sigma = math.Sqrt(math.Max(sc.s2, 0))
	sc.dualSD = math.Sqrt(va)
	sc.dSkew = (sc.a.k3() - sc.b.k3()) / math.Pow(sc.a.m2/sc.a.n, 1.5)
	s2a := sc.a.m2 / sc.a.n
	sc.dKurt = (sc.a.k4() - sc.b.k4()) / (s2a * s2a)
	switch {
	case !sc.explains:
		sc.status = fmt.Sprintf("cannot explain the change: the dual variance shrinks (σ̂² = %.4g, z = %.2f), so learning would have to narrow the dual distribution", sc.s2, sc.z)
	case sc.s2 < 0:
		sc.status = fmt.Sprintf("ok (σ̂² = %.3g < 0 is within sampling noise, z = %.2f)", sc.s2, sc.z)
	default:
		sc.status = StatusOK
	}
	// The grid leaves room for every (μ, σ) the search may try: σ up to the
	// after sd (σ̂ < sd always) and μ within 2 sd of its start (μ̂, or in a
	// resample the full-sample fit, at most ~1 sd from μ̂), with 8σ of tail.
	span := 12 * sc.dualSD
	lo := math.Min(sc.b.min+sc.mu, sc.a.min) - span
	hi := math.Max(sc.b.max+sc.mu, sc.a.max) + span
	distOn := func(m int) func(mu, sigma float64) float64 {
		g := newLawGrid(lo, hi, m)
		mass := make([]float64, m)
		tot := g.bin(d.before, wb, mass)
		for k := range mass {
			mass[k] /= tot
		}
		conv := newConvolver(g, mass)
		return func(mu, sigma float64) float64 {
			return g.cdfDistance(conv.predictedCDF(mu, sigma), d.after, wa, sc.a.n) / sc.dualSD
		}
	}
	dist := distOn(gridM)
	sc.momentDistance = dist(sc.mu, sc.sigma)
	sc.distance, sc.fitMu, sc.fitSigma = sc.momentDistance, sc.mu, sc.sigma
	if !fitted {
		return sc
	}
	mu0, sig0 := sc.mu, sc.sigma
	if start != nil && start.ok { // a resample starts from the full-sample fit
		mu0, sig0 = start.fitMu+sc.mu-start.mu, start.fitSigma
	}
	search := dist
	if gridM > searchGrid {
		// Search on a coarser grid, then score the optimum on the fine one.
		search = distOn(searchGrid)
	}
	v, mu, sigma := minimumDistance(search, mu0, sig0, sc.dualSD)
	if gridM > searchGrid {
		v = dist(mu, sigma)
	}
	if v < sc.distance {
		sc.distance, sc.fitMu, sc.fitSigma = v, mu, sigma
	}
	return sc
}

// searchGrid is the grid size of the minimum-distance search.
const searchGrid = 1024

// minimumDistance minimises dist over (μ, σ ≥ 0) by Nelder–Mead from the
// moment estimates, in units of the after sd: the distance of the best
// Gaussian shift. Dual variances of heavy-tailed samples are too noisy to
// pin σ (a few large weights dominate them), while the distance weighs the
// whole law.
func minimumDistance(dist func(mu, sigma float64) float64, mu0, sig0, sd float64) (d, mu, sigma float64) {
	f := func(p []float64) float64 {
		if math.Abs(p[0]) > 2 || math.Abs(p[1]) > 1 { // outside the grid's room
			return math.Inf(1)
		}
		return dist(mu0+sd*p[0], sd*math.Abs(p[1]))
	}
	start := math.Max(sig0/sd, 0.02)
	res, err := optimize.Minimize(optimize.Problem{Func: f}, []float64{0, start},
		&optimize.Settings{Converger: &optimize.FunctionConverge{Absolute: 1e-4, Iterations: 8}, MajorIterations: 100},
		&optimize.NelderMead{SimplexSize: 0.05})
	if err != nil && res == nil {
		return math.NaN(), mu0, sig0
	}
	return res.F, mu0 + sd*res.X[0], sd * math.Abs(res.X[1])
}

// TestUnpaired runs the unpaired analysis on a before sample and an after
// sample of different synapses.
func TestUnpaired(before, after []float64, opts UnpairedOptions) (*UnpairedResult, error) {
	return TestUnpairedContext(context.Background(), before, after, opts)
}

// TestUnpairedContext is TestUnpaired that stops when ctx is done and then
// returns ctx.Err(). It looks at ctx between candidates, between bootstrap
// resamples and between points of the refinement's profile.
func TestUnpairedContext(ctx context.Context, before, after []float64, opts UnpairedOptions) (*UnpairedResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	opts.ctx = ctx
	b, a, excl, counts := cleanSamples(before, after)
	b, counts["not_compared_before"] = commonValues(opts.Candidates, b)
	a, counts["not_compared_after"] = commonValues(opts.Candidates, a)
	r := &UnpairedResult{Design: DesignUnpaired, Status: StatusOK, NBefore: int64(len(b)), NAfter: int64(len(a)),
		Excluded: excl, Counts: counts, Warnings: []string{}}
	if len(b) < MinPairs || len(a) < MinPairs {
		r.Status = fmt.Sprintf("too few values: %d before and %d after (need at least %d each)", len(b), len(a), MinPairs)
		r.Verdict = "There are too few values to compare geometries."
		return r, nil
	}
	duals := make([]*unpairedDuals, len(opts.Candidates))
	scores := make([]unpairedScore, len(opts.Candidates))
	parallel.For(len(opts.Candidates), opts.Workers, func(c, _ int) {
		if opts.stopped() {
			return
		}
		duals[c] = dualsOfSamples(opts.Candidates[c], b, a)
		scores[c] = scoreDuals(duals[c], nil, nil, opts.GridPoints, !opts.MomentsOnly, nil)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for c, pot := range opts.Candidates {
		r.Candidates = append(r.Candidates, unpairedCandidate(pot, duals[c], scores[c]))
	}
	r.BestByDistance = bestByDistance(r.Candidates, func(c int) float64 { return r.Candidates[c].distanceV })
	if opts.Bootstrap > 0 {
		bootstrapUnpaired(r, duals, scores, len(b), len(a), opts)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.BootstrapWins = r.Bootstrap.WinsDistance
	}
	if opts.Refine {
		refineUnpaired(r, b, a, opts)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	r.decide(opts.Bootstrap > 0)
	return r, nil
}

// cleanSamples drops non-finite values and counts zeros and negatives.
func cleanSamples(before, after []float64) (b, a []float64, excl, counts map[string]int64) {
	excl = map[string]int64{"non_finite_before": 0, "non_finite_after": 0}
	counts = map[string]int64{"zero_before": 0, "zero_after": 0, "negative_before": 0, "negative_after": 0}
	keep := func(x []float64, tag string) []float64 {
		out := make([]float64, 0, len(x))
		for _, v := range x {
			if !finite(v) {
				excl["non_finite_"+tag]++
				continue
			}
			if v == 0 {
				counts["zero_"+tag]++
			} else if v < 0 {
				counts["negative_"+tag]++
			}
			out = append(out, v)
		}
		return out
	}
	return keep(before, "before"), keep(after, "after"), excl, counts
}

// commonValues keeps the values every candidate can use (zeros are left
// out when negative entropy is a candidate), so that the candidates are
// compared on the same values, and counts the others.
func commonValues(cands []geometry.Potential, x []float64) (out []float64, dropped int64) {
	out = make([]float64, 0, len(x))
	for _, v := range x {
		ok := true
		for _, c := range cands {
			if !c.Defined(v) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, v)
		} else {
			dropped++
		}
	}
	return out, dropped
}

// namedLRTest is the likelihood-ratio test of a named geometry.
type namedLRTest struct {
	name string
	lr   LRTest
}

// named lists the tests of the Euclidean and the negative-entropy
// geometries, in that order, with the names the verdicts use.
func (t LRTests) named() []namedLRTest {
	return []namedLRTest{{"Euclidean", t.Euclidean}, {"negative entropy", t.NegativeEntropy}}
}

// potentialParams are the parameters that name a candidate's potential:
// p and λ = p − 1 of a p-norm, β of a hypentropy, else λ when it has one.
func potentialParams(pot geometry.Potential) (p, lambda, beta *float64) {
	switch q := pot.(type) {
	case geometry.PNorm:
		return num(q.P), num(q.P - 1), nil
	case geometry.Hypentropy:
		return nil, nil, num(q.Beta)
	}
	if l, ok := geometry.Lambda(pot); ok {
		return nil, num(l), nil
	}
	return nil, nil, nil
}

func unpairedCandidate(pot geometry.Potential, d *unpairedDuals, sc unpairedScore) UnpairedCandidate {
	c := UnpairedCandidate{Name: pot.Name(), NBefore: d.nb, NAfter: d.na, Status: sc.status}
	c.distanceV = math.NaN()
	c.P, c.Lambda, c.Beta = potentialParams(pot)
	if d.exclB+d.exclA > 0 {
		c.Excluded = map[string]int64{"undefined_before": d.exclB, "undefined_after": d.exclA}
	}
	if !sc.ok {
		return c
	}
	c.CanExplain = sc.explains
	c.ShiftMean, c.ShiftVariance, c.ShiftVarianceZ = num(sc.mu), num(sc.s2), num(sc.z)
	c.ShiftSD, c.DualSD = num(sc.sigma), num(sc.dualSD)
	c.Distance, c.DistanceAtMoments = num(sc.distance), num(sc.momentDistance)
	c.FitShiftMean, c.FitShiftSD = num(sc.fitMu), num(sc.fitSigma)
	if sc.explains {
		c.distanceV = sc.distance
	}
	c.SkewnessBefore, c.SkewnessAfter = num(sc.b.skewness()), num(sc.a.skewness())
	c.ExcessKurtosisBefore, c.ExcessKurtosisAfter = num(sc.b.excessKurtosis()), num(sc.a.excessKurtosis())
	c.SkewnessChange, c.KurtosisChange = num(sc.dSkew), num(sc.dKurt)
	return c
}

// bestByDistance is the name of the candidate with the smallest finite
// value (candidates that cannot explain the change carry NaN).
func bestByDistance(cands []UnpairedCandidate, v func(int) float64) string {
	best := -1
	for i := range cands {
		if x := v(i); !math.IsNaN(x) && (best < 0 || x < v(best)) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return cands[best].Name
}

const streamUnpaired = 0x756e7061 // "unpa"

// bootstrapUnpaired resamples both samples with replacement (m-out-of-n
// above SampleMax) and rescores every candidate: how often each wins by
// distance, and percentile intervals of the distance and the cumulant
// changes. Replicates are scored on the coarser search grid (the
// resolution of a resample's distance need not exceed its noise). Replicate
// b draws from its own stream and runs single-threaded, so the result does
// not depend on the number of workers.
func bootstrapUnpaired(r *UnpairedResult, duals []*unpairedDuals, scores []unpairedScore, nb, na int, opts UnpairedOptions) {
	reps := opts.Bootstrap
	mb, ma := min(nb, opts.SampleMax), min(na, opts.SampleMax)
	nc := len(duals)
	win := make([]int, reps)
	dist := make([][]float64, nc)
	dSkew := make([][]float64, nc)
	dKurt := make([][]float64, nc)
	for c := range duals {
		dist[c], dSkew[c], dKurt[c] = make([]float64, reps), make([]float64, reps), make([]float64, reps)
	}
	parallel.For(reps, opts.Workers, func(rep, _ int) {
		if opts.stopped() { // the caller discards the replicates
			return
		}
		rng := stream(opts.Seed, streamUnpaired, uint64(rep))
		cb, ca := make([]float64, nb), make([]float64, na)
		for i := 0; i < mb; i++ {
			cb[rng.IntN(nb)]++
		}
		for i := 0; i < ma; i++ {
			ca[rng.IntN(na)]++
		}
		best, bestV := -1, math.Inf(1)
		for c, d := range duals {
			wa := make([]float64, len(d.afterIdx))
			for k, i := range d.afterIdx {
				wa[k] = ca[i]
			}
			sc := scoreDuals(d, cb, wa, min(opts.GridPoints, searchGrid), !opts.MomentsOnly, &scores[c])
			dist[c][rep], dSkew[c][rep], dKurt[c][rep] = math.NaN(), math.NaN(), math.NaN()
			if !sc.ok {
				continue
			}
			dist[c][rep], dSkew[c][rep], dKurt[c][rep] = sc.distance, sc.dSkew, sc.dKurt
			if sc.explains && sc.distance < bestV {
				best, bestV = c, sc.distance
			}
		}
		win[rep] = best
	})
	if opts.stopped() {
		// The replicates not run hold zeros: summing them up would only
		// delay the caller, which returns the context's error.
		return
	}
	out := &UnpairedBootstrap{Replicates: reps, SampleBefore: mb, SampleAfter: ma, Subsampled: mb < nb || ma < na,
		WinsDistance: map[string]float64{}}
	counts := make([]int, nc)
	for _, w := range win {
		if w >= 0 {
			counts[w]++
		}
	}
	for c := range r.Candidates {
		cand := &r.Candidates[c]
		out.WinsDistance[cand.Name] = float64(counts[c]) / float64(reps)
		if cand.Distance == nil {
			continue
		}
		cand.DistanceCI, _ = percentileCI(dist[c])
		cand.SkewnessChangeCI, cand.seSkew = percentileCI(dSkew[c])
		cand.KurtosisChangeCI, cand.seKurt = percentileCI(dKurt[c])
	}
	if out.Subsampled {
		out.Note = fmt.Sprintf("each replicate draws %d of %d before and %d of %d after values (m-out-of-n); intervals and win frequencies are those of samples of that size", mb, nb, ma, na)
	}
	r.Bootstrap = out
}

// percentileCI is the 95% percentile interval of the finite values and
// their standard deviation (NaN with fewer than 20).
func percentileCI(v []float64) ([2]*float64, float64) {
	var ok []float64
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			ok = append(ok, x)
		}
	}
	if len(ok) < 20 {
		return [2]*float64{}, math.NaN()
	}
	slices.Sort(ok)
	m := weightedMoments(ok, nil)
	return [2]*float64{num(quantileSorted(ok, 0.025)), num(quantileSorted(ok, 0.975))}, math.Sqrt(m.variance())
}

func (r *UnpairedResult) find(name string) *UnpairedCandidate {
	for i := range r.Candidates {
		if r.Candidates[i].Name == name {
			return &r.Candidates[i]
		}
	}
	return nil
}

// decide sets the adequacy flag, the warnings and the verdict sentence.
func (r *UnpairedResult) decide(boot bool) {
	var cannot []string
	for _, c := range r.Candidates {
		if c.ShiftVariance != nil && !c.CanExplain {
			cannot = append(cannot, c.Name)
		}
	}
	best := r.BestByDistance
	if r.Refined && r.BestByLikelihood != "" {
		best = r.BestByLikelihood
	}
	c := r.find(best)
	if c == nil {
		r.Verdict = "No candidate geometry can explain the change: under every candidate the dual distribution would have to narrow."
		if len(cannot) == 0 {
			r.Verdict = "No candidate geometry could be scored on these samples."
		}
		return
	}
	var reasons []string
	if boot {
		for _, t := range []struct {
			v    *float64
			se   float64
			what string
		}{{c.SkewnessChange, c.seSkew, "skewness"}, {c.KurtosisChange, c.seKurt, "excess kurtosis"}} {
			if t.v != nil && t.se > 0 && math.Abs(*t.v)/t.se > adequacyZ {
				reasons = append(reasons, fmt.Sprintf("the dual %s changes by %+.3f (bootstrap z = %.1f)", t.what, *t.v, *t.v/t.se))
			}
		}
		r.Adequate = len(reasons) == 0
	} else {
		r.Adequate = true
		r.Warnings = append(r.Warnings, "without a bootstrap the cumulant checks of model adequacy are not made")
	}
	if r.NBefore < 1000 || r.NAfter < 1000 {
		r.Warnings = append(r.Warnings, "fewer than 1000 values per sample: unpaired comparisons separate geometries only when the change is large")
	}
	geom, est := describeCandidate(best), fmt.Sprintf("scaled distance %.4f", *c.Distance)
	if r.Refined && r.LambdaHat != nil {
		geom = DescribeLambda(*r.LambdaHat, r.LambdaCI)
		d := LambdaDecimals(r.LambdaCI, 3)
		est = fmt.Sprintf("λ̂ = %s, 95%% CI %s, p̂ = %s; %s", FormatFixed(*r.LambdaHat, d), FormatCI(r.LambdaCI, d), FormatFixed(*r.PHat, d), est)
	}
	var tail []string
	if len(cannot) > 0 {
		tail = append(tail, fmt.Sprintf("%s cannot explain the change (the dual distribution would have to narrow)", nameList(cannot)))
	}
	if r.Refined {
		for _, t := range r.LRTests.named() {
			if t.lr.PValue == nil {
				continue
			}
			word := "is not rejected"
			if *t.lr.PValue < 0.05 {
				word = "is rejected"
			}
			tail = append(tail, fmt.Sprintf("%s %s (LR p %s)", t.name, word, PValueText(*t.lr.PValue, false, 0)))
		}
	}
	rest := ""
	if len(tail) > 0 {
		rest = "; " + strings.Join(tail, "; ")
	}
	if r.Adequate {
		r.Verdict = fmt.Sprintf("Comparing unpaired before and after samples, the change is most consistent with %s (%s)%s; the smallest distance is %s's.", geom, est, rest, r.BestByDistance)
	} else {
		r.Verdict = fmt.Sprintf("Comparing unpaired before and after samples, a Gaussian dual shift fits poorly (%s under %s), so %s is only the least inconsistent geometry (%s)%s; the smallest distance is %s's.",
			strings.Join(reasons, "; "), best, geom, est, rest, r.BestByDistance)
	}
}

// nameList shortens a long list of candidate names for a sentence.
func nameList(names []string) string {
	for i, n := range names {
		if n == "p=2.0" {
			names[i] = "Euclidean (p=2.0)"
		}
	}
	if len(names) > 6 {
		return fmt.Sprintf("%s and %d other candidates", strings.Join(names[:5], ", "), len(names)-5)
	}
	return strings.Join(names, ", ")
}
