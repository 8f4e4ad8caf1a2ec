package testgeom

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// The heavy-tailed step model. The headline likelihood assumes a Gaussian
// dual step; real shifts have heavier tails, and then the Gaussian profile's
// interval is too narrow. This model lets the step d = u_λ(w1) − u_λ(w0)
// follow a location-scale Student-t with ν degrees of freedom,
//
//	ℓ_t(λ) = max over μ, σ, ν of Σ log t_ν((d_i − μ)/σ)/σ + (λ − 1) Σ log|w1|,
//
// with the same Box–Cox Jacobian as the Gaussian ℓ(λ), so the two are
// comparable; ν → ∞ is the Gaussian model. At each λ the nuisance
// parameters are fitted by Fisher scoring in (μ, log σ, log ν) with step
// halving; λ̂_t and its 95% profile-LR interval come from Brent's methods on
// ℓ_t. It runs on the pairs the second pass keeps (SecondPass.Sample: all
// pairs up to Options.SampleMax, else a deterministic random subsample); on
// a subsample both models are fitted to it and their intervals are the
// subsample's.

// Bounds of ν: below 0.3 the t has no useful scale; above 10⁴ it is
// indistinguishable from the Gaussian at any sample size the subsample has.
const (
	stepNuMin = 0.3
	stepNuMax = 1e4
)

// nuAtLower and nuAtUpper report a fitted ν at one of its bounds (to the
// optimiser's tolerance): at the lower the likelihood has no maximum, at
// the upper the steps are Gaussian; either way ν is not a free parameter.
func nuAtLower(nu float64) bool { return nu <= stepNuMin*1.001 }
func nuAtUpper(nu float64) bool { return nu >= stepNuMax*0.999 }

// StepModel is one step model's profile-likelihood estimate of λ.
type StepModel struct {
	LambdaHat *float64    `json:"lambda_hat"`       // λ̂ under this model
	LambdaCI  [2]*float64 `json:"lambda_ci"`        // 95% profile-LR interval under this model
	Nu        *float64    `json:"nu_hat,omitempty"` // ν̂, the Student-t entry's degrees of freedom
	LogLik    *float64    `json:"loglik"`           // at λ̂, on the pairs used, Jacobian included
	AIC       *float64    `json:"aic"`              // 2·Params − 2·LogLik
	Params    int         `json:"params"`           // λ, μ, σ (and ν)
	// LRTests are this model's LR tests of λ = 1 and λ = 0, set on the
	// Gaussian entry when the headline moved to the Student-t model (the
	// headline lr_tests are then the Student-t model's).
	LRTests *LRTests `json:"lr_tests,omitempty"`
	// For the Student-t entry: SE is 1/√(−ℓ_t″(λ̂_t)), Scale the ratio k_t
	// of its sandwich to its model variance (about 1 when the t model
	// holds), ClusterScale the same with scores summed per synapse (with
	// synapse labels); on the pairs fitted (studentt_robust.go).
	SE           *float64 `json:"se,omitempty"`
	Scale        *float64 `json:"scale,omitempty"`         // k_t, of the Student-t entry
	ClusterScale *float64 `json:"cluster_scale,omitempty"` // k_t with scores summed per synapse
}

// StepModels compares the Gaussian and the Student-t step models on the
// same pairs: the "step_models" object of the JSON contract.
type StepModels struct {
	Status     string    `json:"status"`     // StatusOK, or why the step models were not compared
	N          int       `json:"n"`          // pairs used (both weights nonzero)
	Subsampled bool      `json:"subsampled"` // N is a random subsample of the compared pairs
	Gaussian   StepModel `json:"gaussian"`   // the Gaussian step model
	StudentT   StepModel `json:"student_t"`  // the Student-t step model
	// LRStat is 2(ℓ_t − ℓ_G) at the two maxima, the test of ν = ∞; its null
	// law is the boundary mixture ½χ²₀ + ½χ²₁.
	LRStat   *float64 `json:"lr_stat"`
	LRPValue *float64 `json:"lr_p_value"` // under the boundary mixture
	// Preferred is "student_t" when the LR test rejects ν = ∞ at 5%, else
	// "gaussian".
	Preferred   string   `json:"preferred"`
	LambdaShift *float64 `json:"lambda_shift"`   // λ̂_t − λ̂_G
	Note        string   `json:"note,omitempty"` // the subsample and ν̂ at its bound, when they apply

	tHead *tHeadline // the Student-t estimate for the headline
}

// stepModels fits both step models to the second pass's subsample. The
// Gaussian entry is the headline estimate when the subsample is all pairs.
//
// With synapse labels (SecondPass.AddSynapses) and every pair kept, the fit
// runs on the labelled pairs so that the Student-t sandwich can sum scores
// per synapse. Beyond, it runs on the sample of pairs, whose pairs rarely
// share a synapse: on a sample of whole synapses the likelihood-ratio test
// of Student-t steps, which takes pairs as independent, would reject
// Gaussian steps too often.
func (g *SecondPass) stepModels(r *Result) *StepModels {
	w0, w1 := g.sample0, g.sample1
	var clusters []int32
	if m := g.comparedMem(); m != nil && g.keptAll() && g.synapsesKeptAll() {
		w0, w1, clusters = m.w0, m.w1, m.clusters
	}
	lp := newLikPairs(w0, w1, 1)
	ci := r.LambdaCI
	if r.LambdaInterval != nil {
		ci = r.LambdaInterval.LRCI // the Gaussian model's own LR interval
	}
	return fitStepModels(lp, r.LikelihoodN, r.LambdaHat, ci, clusters)
}

// fitStepModels fits both models on lp, which stand for nFull pairs of the
// likelihood set; lhat and ci are the headline Gaussian estimate on all
// pairs (nil when there is none); clusters, when not nil, label the pairs
// of lp with their synapse.
func fitStepModels(lp *likPairs, nFull int64, lhat *float64, ci [2]*float64, clusters []int32) *StepModels {
	ts := newTSteps(lp)
	m := len(ts.idx)
	out := &StepModels{Status: StatusOK, N: m, Subsampled: int64(m) < nFull}
	if m < MinPairs {
		out.Status = fmt.Sprintf("too few usable pairs: %d (need at least %d)", m, MinPairs)
		return out
	}
	lo := -float64(lambdaLimit)
	if lp.flips > 0 {
		lo = 1e-6 // ℓ = −∞ for λ ≤ 0
	}
	gauss := lp.logLik
	var gfit stepProfile
	if lhat != nil && !out.Subsampled {
		gfit = stepProfile{ok: true, lambdaHat: *lhat, logLikMax: gauss(*lhat), lo: math.NaN(), hi: math.NaN()}
		if ci[0] != nil {
			gfit.lo = *ci[0]
		}
		if ci[1] != nil {
			gfit.hi = *ci[1]
		}
	} else {
		x0 := 1.0
		if lhat != nil {
			x0 = *lhat
		}
		gfit = stepProfileFit(memoize(gauss), x0, lo, lambdaLimit)
	}
	if !gfit.ok {
		out.Status = "Gaussian step model: " + gfit.status
		return out
	}
	tf := memoize(ts.logLik)
	tfit := stepProfileFit(tf, gfit.lambdaHat, lo, lambdaLimit)
	if !tfit.ok {
		out.Status = "Student-t step model: " + tfit.status
		return out
	}
	nu := ts.fitAt(tfit.lambdaHat).nu
	if nuAtLower(nu) {
		// An atom of identical steps (unchanged weights) lets the t
		// density's scale shrink onto it without bound: no maximum, so no
		// model to prefer. Many fine-tuned checkpoints leave a quarter of
		// their weights unchanged.
		unchanged := 0
		for _, i := range ts.idx {
			if lp.l0[i] == lp.l1[i] {
				unchanged++
			}
		}
		out.Status = fmt.Sprintf("Student-t step model: ν̂ reached its lower bound %g; %d of the %d steps (%.1f%%) are exactly zero (unchanged weights), an atom on which the Student-t likelihood has no maximum, so the Gaussian step model is kept",
			stepNuMin, unchanged, m, 100*float64(unchanged)/float64(m))
		return out
	}
	out.tHead = &tHeadline{lambdaHat: tfit.lambdaHat, ci: [2]*float64{num(tfit.lo), num(tfit.hi)},
		tests: tLRTests(ts, tfit.logLikMax, lp.flips), f: tf, logLikMax: tfit.logLikMax, lo: lo,
		se: CurvatureSE(tf, tfit.lambdaHat, tfit.logLikMax), scale: ts.sandwichScale(tfit.lambdaHat, nil), clusterScale: math.NaN()}
	if clusters != nil {
		out.tHead.clusterScale = ts.sandwichScale(tfit.lambdaHat, clusters)
	}
	// On a subsample the intervals stay the subsample's own: λ̂ itself
	// varies as on m pairs, so an interval narrowed to the full n around
	// it would cover the truth far less often than 95% (about a third at
	// n/m = 20) and could seem to reject a geometry the full data accept.
	if out.Subsampled {
		out.Note = fmt.Sprintf("both step models are fitted to a random subsample of %d of the %d pairs: their estimates, intervals and LR test are those of the subsample (λ̂ varies as on %d pairs), for comparing the two models; %s", m, nFull, m, gaussianHeadNote)
	}
	out.Gaussian = gfit.model(3, math.NaN())
	out.StudentT = tfit.model(4, nu)
	out.StudentT.SE, out.StudentT.Scale = num(out.tHead.se), num(out.tHead.scale)
	if clusters != nil {
		out.StudentT.ClusterScale = num(out.tHead.clusterScale)
	}
	if nuAtUpper(nu) {
		out.Note = joinNotes(out.Note, fmt.Sprintf("ν̂ reached its upper bound %g: the steps are as light-tailed as a Gaussian", float64(stepNuMax)))
	}
	stat := math.Max(0, 2*(tfit.logLikMax-gfit.logLikMax))
	p := 1.0
	if stat > 0 {
		p = 0.5 * math.Erfc(math.Sqrt(stat/2))
	}
	out.LRStat, out.LRPValue = num(stat), num(p)
	out.Preferred = "gaussian"
	if p < 0.05 {
		out.Preferred = "student_t"
	}
	out.LambdaShift = num(tfit.lambdaHat - gfit.lambdaHat)
	return out
}

// stepProfile is a profile-likelihood fit of λ.
type stepProfile struct {
	ok                   bool
	status               string
	lambdaHat, logLikMax float64
	lo, hi               float64 // NaN: unbounded within the search range
}

func (f stepProfile) model(params int, nu float64) StepModel {
	return StepModel{LambdaHat: num(f.lambdaHat), LambdaCI: [2]*float64{num(f.lo), num(f.hi)},
		Nu: num(nu), LogLik: num(f.logLikMax), AIC: num(2*float64(params) - 2*f.logLikMax), Params: params}
}

// stepTol is the accuracy of λ̂ and of the interval ends of the step
// models, far below their standard errors on the subsample, and fine
// enough that the printed digits agree with the group comparison's own
// Student-t fit of a group (at 1e-4 Melander's pv interval ended at 0.2613
// in one and 0.2614 in the other). At 10^5 pairs 1e-6 costs no more CPU
// time than 1e-4 (0.81–0.86 s for the scan either way); 1e-7 costs 0.2 s
// more.
const stepTol = 1e-6

// stepProfileFit maximises a profile ℓ over λ in (lo, hi) starting from x0 and
// finds its 95% LR interval. Every call of f is a fit on all pairs used, so
// the search walks outwards from x0 in doubling steps rather than over a
// grid.
func stepProfileFit(f func(float64) float64, x0, lo, hi float64) stepProfile {
	bad := stepProfile{lo: math.NaN(), hi: math.NaN()}
	x0 = math.Max(lo+1e-3, math.Min(hi-1e-3, x0))
	f0 := f(x0)
	if !finite(f0) {
		bad.status = "the likelihood is not finite at the starting λ"
		return bad
	}
	clamp := func(x float64) float64 { return math.Max(lo, math.Min(hi, x)) }
	// Bracket the maximum: walk uphill in doubling steps until f falls.
	h := 0.01
	if !(f(clamp(x0+h)) > f0) {
		h = -h
	}
	prev, mid, fmid := x0-h, x0, f0
	for {
		next := clamp(mid + h)
		fn := f(next)
		if !(fn > fmid) {
			break
		}
		if next == lo || next == hi {
			bad.status = fmt.Sprintf("the likelihood keeps increasing towards the search limit λ = %g", next)
			return bad
		}
		prev, mid, fmid = mid, next, fn
		h *= 2
	}
	a, c := math.Min(prev, mid+h), math.Max(prev, mid+h)
	a, c = clamp(a), clamp(c)
	lh := brentMax(f, a, c, mid, stepTol)
	lmax := f(lh)
	if fmid > lmax {
		lh, lmax = mid, fmid
	}
	fit := stepProfile{ok: true, status: StatusOK, lambdaHat: lh, logLikMax: lmax}
	fit.lo, fit.hi = stepInterval(f, lh, lmax, 1, lo, hi)
	return fit
}

// stepInterval is the 95% LR interval of a profile f with maximum lmax at
// lh, its cut-off multiplied by k ≥ 1 (a robust interval; 1: the LR
// interval); NaN ends are unbounded within (lo, hi).
func stepInterval(f func(float64) float64, lh, lmax, k, lo, hi float64) (float64, float64) {
	target := lmax - k*chi2Crit95Half
	g := func(x float64) float64 {
		if x <= lo || x >= hi {
			return math.Inf(-1)
		}
		return f(x) - target
	}
	se := CurvatureSE(f, lh, lmax) * math.Sqrt(k)
	return stepCrossing(g, lh, -1, se, lo, hi), stepCrossing(g, lh, +1, se, lo, hi)
}

// stepCrossing finds where g (ℓ minus its target) turns negative on one
// side of λ̂: first in the bracket the curvature predicts, else by walking
// outwards in doubling steps.
func stepCrossing(g func(float64) float64, lh, dir, se, lo, hi float64) float64 {
	if !(se > 0) || !finite(se) {
		se = 0.01
	}
	in, out := lh+dir*0.8*1.96*se, lh+dir*1.25*1.96*se
	if g(in) >= 0 {
		if g(out) < 0 {
			return brentRoot(g, in, out, stepTol)
		}
	} else {
		in = lh
	}
	step := out - lh
	for x := out; ; x += step {
		if x <= lo || x >= hi {
			return math.NaN()
		}
		if g(x) < 0 {
			return brentRoot(g, in, x, stepTol)
		}
		in = x
		step *= 2
	}
}

// tSteps evaluates ℓ_t(λ) on the likelihood set of a likPairs: the fit of
// the nuisance parameters starts from the previous fit.
type tSteps struct {
	lp     *likPairs
	idx    []int     // the pairs with both weights nonzero
	l0, l1 []float64 // their log|w|
	e0, e1 []float64 // e^(λ·l) at the λ of the last shifts
	d, w   []float64
	prev   tFit
	start  bool
}

// tFit is a Student-t fit of the steps at one λ.
type tFit struct {
	mu, s, eta float64 // location, log scale, log ν
	nu         float64
	ll         float64 // Σ log-density of the steps (no Jacobian)
}

func newTSteps(lp *likPairs) *tSteps {
	m := 0
	for _, c := range lp.code {
		if c != 0 {
			m++
		}
	}
	t := &tSteps{lp: lp, idx: make([]int, 0, m), l0: make([]float64, 0, m), l1: make([]float64, 0, m)}
	for i, c := range lp.code {
		if c != 0 {
			t.idx = append(t.idx, i)
			t.l0, t.l1 = append(t.l0, lp.l0[i]), append(t.l1, lp.l1[i])
		}
	}
	t.e0, t.e1 = make([]float64, m), make([]float64, m)
	t.d, t.w = make([]float64, m), make([]float64, m)
	return t
}

// shifts fills t.d with the Box–Cox steps at λ, choosing as scoreShift
// does: (e1 − e0)/λ from e^(λ·l) of both weights, taken in blocks
// (expScaled, a few ulp from math.Exp), or e0·expm1(λ·Δl)/λ where the two
// would cancel (|λ·Δl| < 0.01). Each fit of the step models starts here;
// one exp and one expm1 a pair were half its time.
func (t *tSteps) shifts(lambda float64) {
	lp := t.lp
	expScaled(t.e0, t.l0, lambda)
	expScaled(t.e1, t.l1, lambda)
	for k, i := range t.idx {
		code := lp.code[i]
		e0, e1 := t.e0[k], t.e1[k]
		x := lambda * (t.l1[k] - t.l0[k])
		switch {
		case (code == 1 || code == -1) && lambda == 0:
			t.d[k] = float64(code) * (t.l1[k] - t.l0[k])
		case (code == 1 || code == -1) && math.Abs(x) < 0.01:
			t.d[k] = float64(code) * e0 * math.Expm1(x) / lambda
		case code == 1 || code == -1:
			t.d[k] = float64(code) * (e1 - e0) / lambda
		default:
			s0 := float64(code / 2)
			t.d[k] = (-s0*e1 - s0*e0) / lambda
		}
	}
}

// logLik is ℓ_t(λ).
func (t *tSteps) logLik(lambda float64) float64 {
	if lambda <= 0 && t.lp.flips > 0 {
		return math.Inf(-1)
	}
	f := t.fitAt(lambda)
	return f.ll + (lambda-1)*t.lp.sumL1
}

// fitAt fits μ, σ and ν to the steps at λ.
func (t *tSteps) fitAt(lambda float64) tFit {
	t.shifts(lambda)
	if !t.start {
		var s shiftedSums
		for _, x := range t.d {
			s.add(x)
		}
		m := s.moments()
		nu := 10.0
		sd := math.Sqrt(m.m2 / float64(m.n) * (nu - 2) / nu)
		t.prev = tFit{mu: m.mean, s: math.Log(sd), eta: math.Log(nu)}
		t.start = true
	}
	f := fitT(t.d, t.w, t.prev)
	if finite(f.ll) {
		t.prev = f
	}
	return f
}

// tEval is the log-likelihood of the steps d under t_ν(μ, σ) with its
// gradient in (μ, log σ, log ν); w is scratch.
func tEval(d, w []float64, mu, s, eta float64) (ll float64, grad [3]float64) {
	sigma, nu := math.Exp(s), math.Exp(eta)
	n := float64(len(d))
	inv, invNu, c := 1/sigma, 1/nu, (nu+1)/nu
	// w = 1 + z²/ν, then log w blockwise. One division a step (the
	// weight u = (ν + 1)/(ν·w) and q/w both take 1/w): three were a fifth
	// of the time.
	var suz, suz2, sq float64
	for i, x := range d {
		z := (x - mu) * inv
		q := z * z * invNu
		w[i] = 1 + q
		r := 1 / w[i]
		u := c * r
		suz += u * z
		suz2 += u * z * z
		sq += q * r
	}
	logAbs(w, w)
	var sl float64
	for _, v := range w {
		sl += v
	}
	lg1, _ := math.Lgamma((nu + 1) / 2)
	lg0, _ := math.Lgamma(nu / 2)
	ll = n*(lg1-lg0-0.5*math.Log(nu*math.Pi)-s) - (nu+1)/2*sl
	grad[0] = suz * inv
	grad[1] = suz2 - n
	gnu := n/2*(mathext.Digamma((nu+1)/2)-mathext.Digamma(nu/2)-1/nu) - sl/2 + (nu+1)/(2*nu)*sq
	grad[2] = nu * gnu
	return ll, grad
}

// tFisher is the expected information of n steps in (μ, log σ, log ν)
// (Lange, Little & Taylor 1989): μ is orthogonal to the other two.
func tFisher(n, s, nu float64) (imu, iss, ise, iee float64) {
	sigma := math.Exp(s)
	imu = n * (nu + 1) / ((nu + 3) * sigma * sigma)
	iss = n * 2 * nu / (nu + 3)
	ise = -n * nu * 2 / ((nu + 1) * (nu + 3))
	inn := 0.25*(mathext.Zeta(2, nu/2)-mathext.Zeta(2, (nu+1)/2)) - (nu+5)/(2*nu*(nu+1)*(nu+3))
	iee = n * nu * nu * inn
	// Keep the (log σ, log ν) block positive definite where inn loses its
	// digits to cancellation (large ν).
	iee = math.Max(iee, ise*ise/iss*1.01+1e-12*n)
	return
}

// stallStep ends a fit whose line search had to shorten the scoring step
// below it (20 halvings) to avoid a decrease of ℓ (a variable for tests).
var stallStep = 0x1p-20

// fitT maximises the t log-likelihood of d by Fisher scoring from f0, with
// step halving and ν kept in [stepNuMin, stepNuMax]. It ends when the
// predicted gain falls below 1e-8, when no step increases ℓ, or when the
// accepted step is shorter than stallStep (ℓ flat to its rounding error).
func fitT(d, w []float64, f0 tFit) tFit {
	n := float64(len(d))
	etaLo, etaHi := math.Log(stepNuMin), math.Log(stepNuMax)
	mu, s, eta := f0.mu, f0.s, math.Max(etaLo, math.Min(etaHi, f0.eta))
	if !finite(s) || !finite(mu) {
		return tFit{ll: math.NaN()}
	}
	ll, g := tEval(d, w, mu, s, eta)
	for iter := 0; iter < 200; iter++ {
		imu, iss, ise, iee := tFisher(n, s, math.Exp(eta))
		dmu := g[0] / imu
		var ds, de float64
		if (eta >= etaHi && g[2] > 0) || (eta <= etaLo && g[2] < 0) {
			ds = g[1] / iss // ν held at its bound
		} else {
			det := iss*iee - ise*ise
			ds = (iee*g[1] - ise*g[2]) / det
			de = (iss*g[2] - ise*g[1]) / det
		}
		gain := g[0]*dmu + g[1]*ds + g[2]*de
		if !(gain > 1e-8) {
			break
		}
		// Limit the step in log σ and log ν to a factor e^1.5.
		if r := math.Max(math.Abs(ds), math.Abs(de)) / 1.5; r > 1 {
			dmu, ds, de = dmu/r, ds/r, de/r
		}
		step, accepted := 1.0, false
		for k := 0; k < 40; k++ {
			m2, s2 := mu+step*dmu, s+step*ds
			e2 := math.Max(etaLo, math.Min(etaHi, eta+step*de))
			l2, g2 := tEval(d, w, m2, s2, e2)
			if l2 >= ll {
				mu, s, eta, ll, g = m2, s2, e2, l2, g2
				accepted = true
				break
			}
			step /= 2
		}
		// An accepted step this short leaves the parameters where they
		// were: ℓ is flat to its rounding error along the scoring direction
		// (the predicted gain is then only a few times that error). The
		// next iteration would start from the same point and take the same
		// tiny step, up to the iteration limit; stop here instead.
		if !accepted || step < stallStep {
			break
		}
	}
	return tFit{mu: mu, s: s, eta: eta, nu: math.Exp(eta), ll: ll}
}

// sentence is the verdict's sentence on the step models ("" without them).
func (s *StepModels) sentence() string {
	if s == nil || s.Status != StatusOK || s.StudentT.LambdaHat == nil {
		return ""
	}
	nu := nuText(s.StudentT.Nu)
	d := LambdaDecimals(s.StudentT.LambdaCI, 3)
	shift := FormatSigned(*s.LambdaShift, d)
	if s.Subsampled {
		shift += fmt.Sprintf(" from the Gaussian model on the same subsample of %d pairs", s.N)
	}
	if s.Preferred == "gaussian" {
		return fmt.Sprintf(" Gaussian dual steps suffice (Student-t ν̂ = %s, LR p %s; λ̂ moves by %s).", nu, PValueText(*s.LRPValue, false, 0), shift)
	}
	return fmt.Sprintf(" The data prefer Student-t dual steps (ν̂ = %s, LR p %s), under which λ̂ = %s, 95%% CI %s (%s).",
		nu, PValueText(*s.LRPValue, false, 0), FormatFixed(*s.StudentT.LambdaHat, d), FormatCI(s.StudentT.LambdaCI, d), shift)
}
