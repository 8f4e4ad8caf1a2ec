package testgeom

import (
	"fmt"
	"math"
	"strings"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/internal/parallel"
)

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

// cancelBlock is the number of pairs a pass reads between two looks at the
// context: a fraction of a second.
const cancelBlock = 1 << 20

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
	if exact == nil {
		exact = g.exact
	}
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
	mem := g.comparedMem()
	g.robustInterval(r, fp, mem)
	if err := opts.err(); err != nil {
		return nil, err
	}
	// The step models read only the estimate and its interval, set above,
	// and write nothing shared: they run beside the diagnostics and the
	// bootstrap, which write other fields of r. Their fits are serial, so
	// on a second core they overlap instead of following.
	var steps chan *StepModels
	if !opts.NoStepModels && r.LambdaHat != nil {
		steps = make(chan *StepModels, 1)
		go func() { steps <- g.stepModels(r) }()
	}
	g.diagnostics(r, c0, c1, opts)
	r.bestOf()
	if opts.Bootstrap > 0 && mem != nil {
		r.Bootstrap = bootstrapClusters(s.cands, mem, p.compared(), r.LambdaHat, g.replicatePlan(len(mem.w0), p.compared()), opts)
		r.BootstrapWins = r.Bootstrap.WinsDCDF
	} else if opts.Bootstrap > 0 && len(c0) >= MinPairs {
		r.Bootstrap = bootstrapPairs(s.cands, c0, c1, p.compared(), r.LambdaHat, g.replicatePlan(len(c0), p.compared()), opts)
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
	if mem != nil {
		r.EffectSizes = effectSizes(r, s.cands, mem.w0, mem.w1, mem.clusters)
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
