package testgeom

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
	"gonum.org/v1/gonum/optimize"
)

// The single-snapshot model, as in the paper's own fit to EM data: before
// learning each synapse sits at one of K positions c_k (probabilities π_k);
// learning moves its dual coordinate by Gaussian noise, so the observed
// weight is w = g⁻¹(g(c_k) + N(0, σ²)). Its density is
//
//	f(w) = Σ_k π_k φ((g(w) − g(c_k))/σ)/σ · |g′(w)|,
//
// a Gaussian mixture with a common σ in dual space times the Jacobian,
// fitted by maximum likelihood per geometry for K = 1 and 2 (EM, then
// Nelder–Mead when the sample is left-truncated at a detection limit L:
// the likelihood is then divided by P(w ≥ L)). A geometry whose fit needs
// mass below zero is implausible for sizes that cannot be negative, and
// geometries compare by BIC. The answer is conditional on the assumed
// K-point initial law: from one snapshot the geometry is not identifiable
// without such an assumption (Pogodin et al. 2024, section 2).

// DesignSingle is the "design" of a single-snapshot result.
const DesignSingle = "single"

// Thresholds of the snapshot verdict.
const (
	// snapshotDeltaBIC: a geometry whose BIC exceeds the best by more than
	// this is "much less likely" (Kass & Raftery's "very strong").
	snapshotDeltaBIC = 10
	// snapshotNegMass: predicted fraction of negative weights above which a
	// fit to truncated data is ruled out (the data cannot show it).
	snapshotNegMass = 0.01
	// snapshotAlpha: without truncation, a fit is ruled out when seeing no
	// negative weight among n has probability (1 − P(w<0))^n below this.
	snapshotAlpha = 0.001
)

// SnapshotOptions tune TestSnapshot.
type SnapshotOptions struct {
	Candidates []geometry.Potential // nil: NE, p = 1.5, 2, 2.5, 3
	// DetectionLimit > 0 left-truncates the model at this weight: values
	// below it cannot be observed (e.g. the minimum EM cleft size).
	DetectionLimit float64
	Workers        int // ≤ 0: GOMAXPROCS
}

// SnapshotCandidates is the default candidate set of TestSnapshot (the
// paper's set for deep networks).
func SnapshotCandidates() []geometry.Potential {
	return []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 1.5}, geometry.PNorm{P: 2}, geometry.PNorm{P: 2.5}, geometry.PNorm{P: 3}}
}

// SnapshotFit is the maximum-likelihood K-point fit under one geometry.
type SnapshotFit struct {
	K         int       `json:"k"`          // the number of points of the initial law
	Status    string    `json:"status"`     // StatusOK, or why the fit failed
	Weights   []float64 `json:"weights"`    // π_k
	Positions []float64 `json:"positions"`  // c_k = g⁻¹(m_k), in weight units
	DualMeans []float64 `json:"dual_means"` // m_k = g(c_k)
	Sigma     *float64  `json:"sigma"`      // sd of the dual noise
	LogLik    *float64  `json:"loglik"`     // of the observed weights, Jacobian (and truncation) included
	BIC       *float64  `json:"bic"`        // Bayesian information criterion
	// PBelowZero is the fitted law's probability of a negative weight
	// (0 under sign-preserving NE); PBelowLimit that of a weight below the
	// detection limit (the fraction of synapses the data cannot show).
	PBelowZero  *float64 `json:"p_below_zero"`
	PBelowLimit *float64 `json:"p_below_limit,omitempty"` // see PBelowZero

	bic, ll float64
}

// SnapshotCandidate is one geometry's fits and judgement.
type SnapshotCandidate struct {
	Name     string           `json:"name"`               // the potential's name
	P        *float64         `json:"p"`                  // p-norm exponent; null for NE and hypentropy
	Lambda   *float64         `json:"lambda"`             // Box–Cox λ = p − 1 (0 for NE); null for hypentropy
	Beta     *float64         `json:"beta,omitempty"`     // the hypentropy's β; absent for other potentials
	N        int64            `json:"n"`                  // values this potential can use
	Excluded map[string]int64 `json:"excluded,omitempty"` // values it cannot use, by reason
	Fits     []SnapshotFit    `json:"fits"`               // K = 1 and K = 2
	BestK    int              `json:"best_k"`             // by BIC
	DeltaBIC *float64         `json:"delta_bic"`          // BIC of the best K minus the best BIC of all candidates
	RuledOut bool             `json:"ruled_out"`          // see SnapshotResult.RuledOutRule
	Reasons  []string         `json:"reasons"`            // why it is ruled out
}

// SnapshotResult is the single-snapshot analysis.
type SnapshotResult struct {
	Design         string              `json:"design"`          // "single"
	Status         string              `json:"status"`          // StatusOK, or why the test could not run
	N              int64               `json:"n"`               // values used
	Excluded       map[string]int64    `json:"excluded"`        // values dropped, by reason
	DetectionLimit *float64            `json:"detection_limit"` // the detection limit the fits are truncated at; null without one
	Candidates     []SnapshotCandidate `json:"candidates"`      // one per candidate geometry
	Best           string              `json:"best_by_bic"`     // the candidate with the smallest BIC
	RuledOut       []string            `json:"ruled_out"`       // the names of the candidates ruled out
	// RuledOutRule states when a geometry is ruled out.
	RuledOutRule string `json:"ruled_out_rule"`
	Conditional  string `json:"conditional_on"` // the assumption every fit rests on
	// Estimate is the continuous estimate of λ under a one-point initial
	// law; null when it could not be made.
	Estimate *SnapshotEstimate `json:"lambda_estimate"`
	Verdict  string            `json:"verdict"` // the test's one-sentence conclusion
}

// TestSnapshot fits the K-point model under each candidate geometry to one
// sample of positive weights.
func TestSnapshot(w []float64, opts SnapshotOptions) (*SnapshotResult, error) {
	return TestSnapshotContext(context.Background(), w, opts)
}

// TestSnapshotContext is TestSnapshot that stops when ctx is done and then
// returns ctx.Err(). It looks at ctx between candidates and fits and
// between iterations of each fit.
func TestSnapshotContext(ctx context.Context, w []float64, opts SnapshotOptions) (*SnapshotResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stop := func() bool { return ctx.Err() != nil }
	if opts.Candidates == nil {
		opts.Candidates = SnapshotCandidates()
	}
	if opts.DetectionLimit < 0 || math.IsNaN(opts.DetectionLimit) || math.IsInf(opts.DetectionLimit, 0) {
		return nil, &inputError{fmt.Sprintf("testgeom: detection limit %v must be a finite number ≥ 0", opts.DetectionLimit)}
	}
	r := &SnapshotResult{Design: DesignSingle, Status: StatusOK,
		Excluded:    map[string]int64{"non_finite": 0, "non_positive": 0},
		Conditional: "an initial law of at most two points (K = 1 or 2) moved by Gaussian noise in the dual space of each geometry; from one snapshot the geometry is identifiable only under such an assumption",
		RuledOut:    []string{}}
	L := opts.DetectionLimit
	if L > 0 {
		r.DetectionLimit = num(L)
		r.Excluded["below_detection_limit"] = 0
	}
	x := make([]float64, 0, len(w))
	for _, v := range w {
		switch {
		case !finite(v):
			r.Excluded["non_finite"]++
		case v <= 0:
			r.Excluded["non_positive"]++
		case v < L:
			r.Excluded["below_detection_limit"]++
		default:
			x = append(x, v)
		}
	}
	r.N = int64(len(x))
	if len(x) < 2*MinPairs {
		r.Status = fmt.Sprintf("too few positive values: %d (need at least %d)", len(x), 2*MinPairs)
		r.Verdict = "There are too few positive weights to fit the snapshot model."
		return r, nil
	}
	r.Candidates = make([]SnapshotCandidate, len(opts.Candidates))
	parallel.For(len(opts.Candidates), workerCount(opts.Workers), func(c, _ int) {
		if !stop() {
			r.Candidates[c] = fitSnapshotCandidate(opts.Candidates[c], x, L, stop)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Estimate = snapshotEstimate(ctx, x, L)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.judge(L > 0)
	return r, nil
}

// fitSnapshotCandidate fits K = 1 and 2 under pot; once stop says so it
// returns early with a result the caller discards.
func fitSnapshotCandidate(pot geometry.Potential, x []float64, L float64, stop func() bool) SnapshotCandidate {
	c := SnapshotCandidate{Name: pot.Name(), Reasons: []string{}}
	c.P, c.Lambda, c.Beta = potentialParams(pot)
	y := make([]float64, 0, len(x))
	jac := 0.0
	for _, v := range x {
		if !pot.Defined(v) {
			continue
		}
		y = append(y, pot.Dual(v))
		jac += pot.LogAbsDerivative(v)
	}
	c.N = int64(len(y))
	if d := int64(len(x)) - c.N; d > 0 {
		c.Excluded = map[string]int64{"undefined": d}
	}
	gL := math.Inf(-1)
	if L > 0 {
		gL = pot.Dual(L)
	}
	for k := 1; k <= 2 && !stop(); k++ {
		c.Fits = append(c.Fits, fitKPoint(pot, y, jac, k, gL, L > 0, stop))
	}
	c.BestK = 0
	for _, f := range c.Fits {
		if f.LogLik != nil && (c.BestK == 0 || f.bic < c.Fits[c.BestK-1].bic) {
			c.BestK = f.K
		}
	}
	return c
}

// mixture is a K-point model in dual space: weights, means, common sd.
type mixture struct {
	pi, m []float64
	sigma float64
}

func (mx mixture) logDensity(y float64) float64 {
	return mx.logKernel(y) - math.Log(mx.sigma) - 0.5*math.Log(2*math.Pi)
}

// logKernel is log Σ_k π_k exp(−z_k²/2) (K ≤ 2, computed without
// allocating).
func (mx mixture) logKernel(y float64) float64 {
	z := (y - mx.m[0]) / mx.sigma
	a := math.Log(mx.pi[0]) - z*z/2
	if len(mx.m) == 1 {
		return a
	}
	z = (y - mx.m[1]) / mx.sigma
	b := math.Log(mx.pi[1]) - z*z/2
	hi, lo := math.Max(a, b), math.Min(a, b)
	return hi + math.Log1p(math.Exp(lo-hi))
}

// logSurvival is log P(g(w) ≥ gL) under the mixture.
func (mx mixture) logSurvival(gL float64) float64 {
	if math.IsInf(gL, -1) {
		return 0
	}
	s := 0.0
	for k := range mx.m {
		s += mx.pi[k] * fit.NormalSurvival((gL-mx.m[k])/mx.sigma)
	}
	return math.Log(s)
}

func (mx mixture) cdf(g float64) float64 {
	s := 0.0
	for k := range mx.m {
		s += mx.pi[k] * fit.NormalCDF((g-mx.m[k])/mx.sigma)
	}
	return s
}

func (mx mixture) logLik(y []float64, jac, gL float64) float64 {
	n := float64(len(y))
	ll := jac - n*mx.logSurvival(gL) - n*(math.Log(mx.sigma)+0.5*math.Log(2*math.Pi))
	for _, v := range y {
		ll += mx.logKernel(v)
	}
	return ll
}

// emFit fits the K-point mixture with a common sd to y by EM (the
// untruncated maximum likelihood), from a few quantile starts.
func emFit(y []float64, k int, stop func() bool) mixture {
	m := weightedMoments(y, nil)
	sd := math.Sqrt(m.m2 / m.n)
	if k == 1 {
		return mixture{pi: []float64{1}, m: []float64{m.mean}, sigma: sd}
	}
	sorted := slices.Clone(y)
	slices.Sort(sorted)
	var best mixture
	bestLL := math.Inf(-1)
	for _, q := range [][2]float64{{0.25, 0.75}, {0.1, 0.6}, {0.4, 0.9}} {
		mx := mixture{pi: []float64{0.5, 0.5}, m: []float64{quantileSorted(sorted, q[0]), quantileSorted(sorted, q[1])}, sigma: sd / 2}
		prev := math.Inf(-1)
		resp := make([]float64, len(y))
		for it := 0; it < 500 && !stop(); it++ {
			var r0, r1, s0, s1 float64
			ll := 0.0
			for i, v := range y {
				z0, z1 := (v-mx.m[0])/mx.sigma, (v-mx.m[1])/mx.sigma
				a, b := math.Log(mx.pi[0])-z0*z0/2, math.Log(mx.pi[1])-z1*z1/2
				hi := math.Max(a, b)
				t := math.Exp(b-hi) / (math.Exp(a-hi) + math.Exp(b-hi))
				resp[i] = t
				ll += hi + math.Log(math.Exp(a-hi)+math.Exp(b-hi))
				r0 += 1 - t
				r1 += t
				s0 += (1 - t) * v
				s1 += t * v
			}
			ll -= float64(len(y)) * math.Log(mx.sigma)
			if r0 < 1e-9 || r1 < 1e-9 {
				break
			}
			mx.pi = []float64{r0 / float64(len(y)), r1 / float64(len(y))}
			mx.m = []float64{s0 / r0, s1 / r1}
			ss := 0.0
			for i, v := range y {
				d0, d1 := v-mx.m[0], v-mx.m[1]
				ss += (1-resp[i])*d0*d0 + resp[i]*d1*d1
			}
			mx.sigma = math.Max(math.Sqrt(ss/float64(len(y))), 1e-6*sd)
			if ll-prev < 1e-9*float64(len(y)) {
				break
			}
			prev = ll
		}
		if v := mx.logLik(y, 0, math.Inf(-1)); v > bestLL {
			best, bestLL = mx, v
		}
	}
	return best
}

// truncatedFit refines a mixture by Nelder–Mead on the truncated
// likelihood, in units of the sample's dual sd.
func truncatedFit(y []float64, k int, gL, gMin float64, start mixture, stop func() bool) mixture {
	m := weightedMoments(y, nil)
	sd := math.Sqrt(m.m2 / m.n)
	unpack := func(p []float64) mixture {
		mx := mixture{sigma: sd * math.Exp(p[k])}
		for j := 0; j < k; j++ {
			mx.m = append(mx.m, m.mean+sd*p[j])
		}
		if k == 1 {
			mx.pi = []float64{1}
		} else {
			t := 1 / (1 + math.Exp(-p[k+1]))
			mx.pi = []float64{1 - t, t}
		}
		return mx
	}
	f := func(p []float64) float64 {
		mx := unpack(p)
		for _, mk := range mx.m {
			if mk < gMin {
				return math.Inf(1)
			}
		}
		v := -mx.logLik(y, 0, gL) / m.n
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	pack := func(mx mixture) []float64 {
		p := make([]float64, 0, k+2)
		for j := 0; j < k; j++ {
			p = append(p, (mx.m[j]-m.mean)/sd)
		}
		p = append(p, math.Log(mx.sigma/sd))
		if k == 2 {
			t := math.Min(math.Max(mx.pi[1], 1e-6), 1-1e-6)
			p = append(p, math.Log(t/(1-t)))
		}
		return p
	}
	best := start
	bestV := f(pack(start))
	// Besides the untruncated fit, start with the lowest component moved
	// below the limit: truncation hides it.
	alt := mixture{pi: slices.Clone(start.pi), m: slices.Clone(start.m), sigma: start.sigma}
	alt.m[0] = math.Max(gL-start.sigma, gMin+0.01*start.sigma)
	for _, s := range []mixture{start, alt} {
		res, err := optimize.Minimize(optimize.Problem{Func: f}, pack(s),
			&optimize.Settings{Converger: stopConverger{&optimize.FunctionConverge{Absolute: 1e-8, Iterations: 15}, stop}, MajorIterations: 1500},
			&optimize.NelderMead{SimplexSize: 0.1})
		if (err == nil || res != nil) && res.F < bestV {
			best, bestV = unpack(res.X), res.F
		}
	}
	return best
}

func fitKPoint(pot geometry.Potential, y []float64, jac float64, k int, gL float64, truncated bool, stop func() bool) SnapshotFit {
	f := SnapshotFit{K: k, Status: StatusOK}
	if len(y) < 2*MinPairs {
		f.Status = fmt.Sprintf("too few usable values: %d", len(y))
		return f
	}
	mx := emFit(y, k, stop)
	if len(mx.m) != k || !(mx.sigma > 0) || math.IsInf(mx.sigma, 0) {
		// Constant (or float64-degenerate) duals: EM has no spread to fit.
		f.Status = "no spread: the values are all equal (or beyond float64) under this geometry"
		return f
	}
	if truncated {
		// The initial positions are weights of the sample's sign: c_k ≥ 0,
		// i.e. g(c_k) ≥ g(0) where g is defined at 0. Without this bound a
		// truncated fit can put a component far below zero and use its
		// Gaussian tail for the observed sizes.
		gMin := math.Inf(-1)
		if pot.Defined(0) {
			gMin = pot.Dual(0)
		}
		mx = truncatedFit(y, k, gL, gMin, mx, stop)
	}
	if k == 2 && mx.m[0] > mx.m[1] {
		mx.m[0], mx.m[1] = mx.m[1], mx.m[0]
		mx.pi[0], mx.pi[1] = mx.pi[1], mx.pi[0]
	}
	gLim := math.Inf(-1)
	if truncated {
		gLim = gL
	}
	f.ll = mx.logLik(y, jac, gLim)
	nPar := float64(2 * k) // K means, K−1 weights, σ
	f.bic = -2*f.ll + nPar*math.Log(float64(len(y)))
	f.LogLik, f.BIC = num(f.ll), num(f.bic)
	f.Weights, f.DualMeans = mx.pi, mx.m
	for _, mk := range mx.m {
		f.Positions = append(f.Positions, pot.Inverse(mk, 1))
	}
	f.Sigma = num(mx.sigma)
	if pot.SignPreserving() {
		f.PBelowZero = num(0)
	} else {
		f.PBelowZero = num(mx.cdf(pot.Dual(0)))
	}
	if truncated {
		f.PBelowLimit = num(mx.cdf(gL))
	}
	return f
}

// stopConverger ends a minimisation once stop says so (a cancelled run),
// else defers to the wrapped Converger.
type stopConverger struct {
	optimize.Converger
	stop func() bool
}

func (c stopConverger) Converged(l *optimize.Location) optimize.Status {
	if c.stop() {
		return optimize.RuntimeLimit
	}
	return c.Converger.Converged(l)
}

// judge compares the geometries and writes the verdict. A fit that needs
// negative weights is ruled out first; the best geometry is then the
// smallest BIC among the others (among all when every fit needs negative
// weights), and geometries far behind it by BIC are ruled out too.
func (r *SnapshotResult) judge(truncated bool) {
	r.RuledOutRule = snapshotRule(truncated)
	negative := make([]string, len(r.Candidates))
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.BestK == 0 {
			continue
		}
		if q := *c.Fits[c.BestK-1].PBelowZero; q > 0 {
			pNone := math.Exp(float64(c.N) * math.Log1p(-q))
			switch {
			case !truncated && pNone < snapshotAlpha:
				negative[i] = fmt.Sprintf("needs mass below zero: the fit puts %.2g%% of weights below 0, yet none of %d is (chance %s)", 100*q, c.N, chanceText(pNone))
			case truncated && q > snapshotNegMass:
				negative[i] = fmt.Sprintf("needs mass below zero: the fit puts %.2g%% of weights below 0, impossible for sizes", 100*q)
			}
		}
	}
	best, bestBIC := -1, math.Inf(1)
	for _, allowNegative := range []bool{false, true} {
		for i, c := range r.Candidates {
			if c.BestK > 0 && (allowNegative || negative[i] == "") && c.Fits[c.BestK-1].bic < bestBIC {
				best, bestBIC = i, c.Fits[c.BestK-1].bic
			}
		}
		if best >= 0 {
			break
		}
	}
	if best < 0 {
		r.Verdict = "No geometry could be fitted to this sample."
		return
	}
	r.Best = r.Candidates[best].Name
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.BestK == 0 {
			c.RuledOut = true
			c.Reasons = append(c.Reasons, "could not be fitted")
			r.RuledOut = append(r.RuledOut, c.Name)
			continue
		}
		d := c.Fits[c.BestK-1].bic - bestBIC
		c.DeltaBIC = num(d)
		if negative[i] != "" {
			c.Reasons = append(c.Reasons, negative[i])
		}
		if d > snapshotDeltaBIC {
			c.Reasons = append(c.Reasons, fmt.Sprintf("much less likely than %s (ΔBIC = %.1f)", r.Best, d))
		}
		c.RuledOut = len(c.Reasons) > 0
		if c.RuledOut {
			r.RuledOut = append(r.RuledOut, c.Name)
		}
	}
	var b strings.Builder
	b.WriteString("Conditional on an initial law of at most two points moved by Gaussian dual noise, ")
	bc := r.Candidates[best]
	if negative[best] != "" {
		fmt.Fprintf(&b, "every geometry needs negative weights to fit this snapshot; the least implausible is %s (K = %d, best BIC)", describeCandidate(r.Best), bc.BestK)
	} else {
		fmt.Fprintf(&b, "this snapshot is most consistent with %s (K = %d, best BIC among the geometries that need no negative weights)", describeCandidate(r.Best), bc.BestK)
	}
	if e := r.find("p=2.0"); e != nil && e.RuledOut {
		fmt.Fprintf(&b, "; the Euclidean geometry is ruled out (%s)", strings.Join(e.Reasons, "; "))
	}
	var others []string
	for _, c := range r.RuledOut {
		if c != "p=2.0" {
			others = append(others, c)
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(&b, "; also ruled out: %s", nameList(others))
	}
	b.WriteString(". Rule: " + r.RuledOutRule + ".")
	b.WriteString(r.Estimate.sentence())
	b.WriteString(" A different initial law could change this answer: one snapshot cannot identify the geometry on its own.")
	r.Verdict = b.String()
}

// chanceText writes a probability, as a bound when it underflows.
func chanceText(p float64) string {
	if p < MinPValue {
		return "< 1e-300"
	}
	return fmt.Sprintf("%.2g", p)
}

// snapshotRule states the rule for "ruled out" in words.
func snapshotRule(truncated bool) string {
	neg := fmt.Sprintf("its fit puts so much mass below zero that seeing no negative weight among the n observed has chance (1 − P(w < 0))^n below %g", snapshotAlpha)
	if truncated {
		neg = fmt.Sprintf("its fit puts more than %g%% of the weights below zero (with a detection limit the data cannot show such mass, so it is judged by size)", 100*snapshotNegMass)
	}
	return fmt.Sprintf("a geometry is ruled out when %s, or when its BIC exceeds the best by more than %g", neg, float64(snapshotDeltaBIC))
}

func (r *SnapshotResult) find(name string) *SnapshotCandidate {
	for i := range r.Candidates {
		if r.Candidates[i].Name == name {
			return &r.Candidates[i]
		}
	}
	return nil
}

// SnapshotGroup is the snapshot analysis of one group.
type SnapshotGroup struct {
	Group    string          `json:"group"`    // the group's label
	Snapshot *SnapshotResult `json:"snapshot"` // the test on the group's values
}

// TestSnapshotGroups runs TestSnapshot on all values pooled and on each
// group (group[i] indexes names).
func TestSnapshotGroups(w []float64, group []int32, names []string, opts SnapshotOptions) (*SnapshotResult, []SnapshotGroup, error) {
	return TestSnapshotGroupsContext(context.Background(), w, group, names, opts)
}

// TestSnapshotGroupsContext is TestSnapshotGroups that stops when ctx is
// done (see TestSnapshotContext).
func TestSnapshotGroupsContext(ctx context.Context, w []float64, group []int32, names []string, opts SnapshotOptions) (*SnapshotResult, []SnapshotGroup, error) {
	if len(group) != len(w) {
		return nil, nil, &inputError{fmt.Sprintf("testgeom: %d group labels for %d values", len(group), len(w))}
	}
	pooled, err := TestSnapshotContext(ctx, w, opts)
	if err != nil {
		return nil, nil, err
	}
	parts := make([][]float64, len(names))
	for i, g := range group {
		if g < 0 || int(g) >= len(names) {
			return nil, nil, &inputError{fmt.Sprintf("testgeom: group index %d of value %d is out of range", g, i)}
		}
		parts[g] = append(parts[g], w[i])
	}
	out := make([]SnapshotGroup, len(names))
	for g, name := range names {
		s, err := TestSnapshotContext(ctx, parts[g], opts)
		if err != nil {
			return nil, nil, err
		}
		out[g] = SnapshotGroup{Group: name, Snapshot: s}
	}
	return pooled, out, nil
}
