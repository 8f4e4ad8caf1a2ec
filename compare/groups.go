package compare

import (
	"context"
	"fmt"
	"math"

	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/testgeom"
	"gonum.org/v1/gonum/stat/distuv"
)

// GroupLambda is one group's profile-likelihood estimate of λ.
type GroupLambda struct {
	Group     string      `json:"group"`      // the group's label
	N         int         `json:"n"`          // pairs in the likelihood
	Status    string      `json:"status"`     // testgeom.StatusOK, or why the group has no estimate
	LambdaHat *float64    `json:"lambda_hat"` // the group's λ̂
	LambdaCI  [2]*float64 `json:"lambda_ci"`  // its 95% likelihood-ratio interval (Gaussian model)
	// SE is 1/√(−ℓ″(λ̂)), the curvature of the profile; it weights the
	// group in the random-effects summary.
	SE     *float64 `json:"se"`
	LogLik *float64 `json:"loglik"` // ℓ at λ̂
	// SERobust is the sandwich standard error (valid for non-Gaussian
	// steps); when present it replaces SE in the random-effects summary
	// and the robust test of a common λ.
	SERobust *float64 `json:"se_robust"`
	// ShiftMean and ShiftSD are the group's own shift parameters in the
	// model with one shared λ: the mean and sd of its Box–Cox steps
	// u_λ(w1) − u_λ(w0) at the shared λ̂, over ShiftN pairs (omitted when
	// there is no shared estimate).
	ShiftN    int      `json:"shift_n,omitempty"`
	ShiftMean *float64 `json:"shift_mean,omitempty"` // mean Box–Cox step at the shared λ̂
	ShiftSD   *float64 `json:"shift_sd,omitempty"`   // sd of the Box–Cox steps at the shared λ̂
	// DeviationZ and DeviationPValue test whether the group's λ̂ differs
	// from the common λ of the other groups (see deviationTests);
	// DeviationPAdjusted is the p-value after the correction over groups
	// (GroupComparison.DeviationCorrection), and Deviates says it is below
	// DeviationAlpha. Absent for groups without an estimate.
	DeviationZ         *float64 `json:"deviation_z,omitempty"`
	DeviationPValue    *float64 `json:"deviation_p_value,omitempty"`    // the p-value of DeviationZ
	DeviationPAdjusted *float64 `json:"deviation_p_adjusted,omitempty"` // after the correction over groups
	Deviates           bool     `json:"deviates"`                       // DeviationPAdjusted < DeviationAlpha
}

// RandomEffects is the DerSimonian–Laird summary of group estimates: the
// spread τ of the true λ across groups, the random-effects mean, Cochran's
// Q test of τ = 0 and a Q-profile interval of τ (Viechtbauer 2007).
type RandomEffects struct {
	Groups   int         `json:"groups"`         // groups with an estimate and a standard error
	Q        float64     `json:"q"`              // Cochran's Q
	QPValue  float64     `json:"q_p_value"`      // test of τ = 0
	I2       float64     `json:"i2"`             // share of the spread beyond sampling error
	Tau      float64     `json:"tau"`            // τ̂, the standard deviation of the true λ across groups
	TauCI    [2]*float64 `json:"tau_ci"`         // Q-profile 95% interval of τ; an end is null when not found
	Mean     float64     `json:"lambda_mean"`    // the random-effects mean of λ
	MeanSE   float64     `json:"lambda_mean_se"` // its standard error
	MeanCI   [2]float64  `json:"lambda_mean_ci"` // its 95% interval
	Note     string      `json:"note,omitempty"` // why there is no summary, when there is none
	Included []string    `json:"included"`       // the groups in the summary
}

// GroupComparison tests whether groups share one geometry.
type GroupComparison struct {
	Status string        `json:"status"` // testgeom.StatusOK, or why the groups could not be compared
	Groups []GroupLambda `json:"groups"` // each group's own estimate
	// Shared is the fit with one λ for all groups (each group keeps its own
	// μ and σ); Separate is every group with its own λ.
	SharedLambda   *float64    `json:"shared_lambda_hat"`
	SharedLambdaCI [2]*float64 `json:"shared_lambda_ci"` // its 95% interval (SharedInterval says which)
	// SharedInterval says which interval SharedLambdaCI is: the Gaussian
	// model's LR interval, or that interval widened by the pooled sandwich
	// ratio of the groups (groups_robust.go).
	SharedInterval *testgeom.LambdaInterval `json:"shared_lambda_interval,omitempty"`
	// SharedGeometry names the geometry the shared estimate points to.
	SharedGeometry string   `json:"shared_geometry,omitempty"`
	LogLikShared   *float64 `json:"loglik_shared"`   // ℓ of the shared model
	LogLikSeparate *float64 `json:"loglik_separate"` // ℓ of the separate model
	// SharedLRTests test λ = 1 (Euclidean) and λ = 0 (negative entropy)
	// in the shared model.
	SharedLRTests *testgeom.LRTests `json:"shared_lr_tests,omitempty"`
	// LRTest of a common λ: 2(ℓ_separate − ℓ_shared) against χ² with
	// (groups − 1) degrees of freedom.
	LRStat        *float64       `json:"lr_stat"`
	LRDF          int            `json:"lr_df"`                    // groups − 1
	LRPValue      *float64       `json:"lr_p_value"`               // Gaussian steps assumed
	RandomEffects *RandomEffects `json:"random_effects,omitempty"` // the spread of λ across groups
	// RobustStat is Cochran's Q of the group estimates with their sandwich
	// standard errors, a test of a common λ that does not assume Gaussian
	// steps (χ² with groups − 1 df); see Assumptions.
	RobustStat   *float64 `json:"robust_stat"`
	RobustPValue *float64 `json:"robust_p_value"` // p-value of RobustStat
	Assumptions  string   `json:"assumptions"`    // what the tests above assume, in words
	// Differ is true when the test of a common λ rejects at the 5% level:
	// the robust test when there is one, else the likelihood ratio.
	Differ bool `json:"groups_differ"`
	// DeviationCorrection states the multiple-comparison correction of the
	// per-group deviation tests; Deviating lists the groups that deviate
	// (both absent with fewer than two groups with a standard error).
	DeviationCorrection string   `json:"deviation_correction,omitempty"`
	Deviating           []string `json:"deviating"`      // the groups that deviate
	Note                string   `json:"note,omitempty"` // how the profiles were obtained, when not exactly
	// StepModel is the law of the dual step behind every number above:
	// StepGaussian or StepStudentT (each group with its own location,
	// scale and ν). StepModelTest tests Gaussian steps in all groups; the
	// Student-t comparison is the result when it rejects, and Gaussian then
	// holds the Gaussian-step comparison for reference (groups_studentt.go).
	StepModel     string           `json:"step_model"`
	StepModelTest *StepModelTest   `json:"step_model_test,omitempty"` // the test of Gaussian steps in all groups
	Gaussian      *GroupComparison `json:"gaussian,omitempty"`        // with StepStudentT: the Gaussian-step comparison, for reference
	Verdict       string           `json:"verdict"`                   // the comparison's one-sentence conclusion
}

// Groups fits λ per group and with one λ shared by all groups, and
// tests a common geometry by a likelihood ratio (the per-pair likelihood of
// testgeom.TestPaired, Jacobian included, with group-specific μ and σ in both
// fits). With three or more groups it adds a random-effects summary of
// the spread of λ across groups. group[i] indexes names for pair i; groups
// with fewer than testgeom.MinPairs usable pairs or no likelihood maximum are
// reported and left out of the tests.
func Groups(w0, w1 []float64, group []int32, names []string, workers int) (*GroupComparison, error) {
	return GroupsClusteredContext(context.Background(), w0, w1, group, names, nil, workers)
}

// GroupsContext is Groups that stops when ctx is done (see
// GroupsClusteredContext).
func GroupsContext(ctx context.Context, w0, w1 []float64, group []int32, names []string, workers int) (*GroupComparison, error) {
	return GroupsClusteredContext(ctx, w0, w1, group, names, nil, workers)
}

// GroupsClustered is Groups for pairs that share synapses:
// clusters[i] is pair i's synapse (nil: independent pairs), and the
// sandwich standard errors sum the scores per synapse.
func GroupsClustered(w0, w1 []float64, group []int32, names []string, clusters []int32, workers int) (*GroupComparison, error) {
	return GroupsClusteredContext(context.Background(), w0, w1, group, names, clusters, workers)
}

// GroupsClusteredContext is GroupsClustered that stops when
// ctx is done and then returns ctx.Err(). It looks at ctx between groups
// and before each evaluation of a likelihood profile (one pass over a
// group's pairs).
func GroupsClusteredContext(ctx context.Context, w0, w1 []float64, group []int32, names []string, clusters []int32, workers int) (*GroupComparison, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stop := func() bool { return ctx.Err() != nil }
	if clusters != nil && len(clusters) != len(w0) {
		return nil, &inputError{fmt.Sprintf("compare: %d cluster labels for %d pairs", len(clusters), len(w0))}
	}
	if len(w0) != len(w1) || len(group) != len(w0) {
		return nil, &inputError{fmt.Sprintf("compare: %d before values, %d after values and %d group labels", len(w0), len(w1), len(group))}
	}
	workers = parallel.Workers(workers)
	idx := make([][]int, len(names))
	for i, g := range group {
		if g < 0 || int(g) >= len(names) {
			return nil, &inputError{fmt.Sprintf("compare: group index %d of pair %d is out of range", g, i)}
		}
		idx[g] = append(idx[g], i)
	}
	profiles := make([]GroupProfile, len(names))
	sets, cls := make([]*pairSet, len(names)), make([][]int32, len(names))
	for g, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a, b := make([]float64, len(idx[g])), make([]float64, len(idx[g]))
		var cl []int32
		for j, i := range idx[g] {
			a[j], b[j] = w0[i], w1[i]
			if clusters != nil {
				cl = append(cl, clusters[i])
			}
		}
		s := newPairSet(testgeom.NewPairLikelihood(a, b, workers))
		s.f = stoppable(s.f, stop)
		lik := s.lik
		profiles[g] = GroupProfile{Group: name, N: s.n, LogLik: s.f, Shift: lik.Shift,
			RobustScale: func(lhat, se float64) float64 { return lik.SandwichScale(cl, lhat, se) }}
		sets[g], cls[g] = s, cl
	}
	gc := Profiles(profiles, "")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gc = chooseStepModel(gc, sets, cls, names, stop)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return gc, nil
}

// Profiles is Groups on each group's profile
// log-likelihood: the same fits and tests from ℓ_g(λ) alone, as a
// streaming run holds them. note, if not empty, says how the profiles were
// obtained and goes into the result.
func Profiles(profiles []GroupProfile, note string) *GroupComparison {
	return compareProfiles(profiles, note, StepGaussian)
}

// compareProfiles is Profiles for profiles of the step model
// named by model (StepGaussian or StepStudentT).
func compareProfiles(profiles []GroupProfile, note, model string) *GroupComparison {
	r := &GroupComparison{Status: testgeom.StatusOK, Note: note, StepModel: model}
	var fs []func(float64) float64
	var used []GroupProfile
	var sepLL float64
	for _, p := range profiles {
		gl, ll := fitGroup(p)
		r.Groups = append(r.Groups, gl)
		if gl.LambdaHat != nil {
			fs, used = append(fs, p.LogLik), append(used, p)
			sepLL += ll
		}
	}
	if len(fs) < 2 {
		r.Status = fmt.Sprintf("fewer than two groups with an estimate (%d)", len(fs))
		r.Verdict = "A common geometry cannot be tested: fewer than two groups have a likelihood estimate."
		return r
	}
	shared := fitSum(fs, true)
	if !shared.OK {
		r.Status = "no shared estimate: " + shared.Status
		r.Verdict = "A common geometry cannot be tested: the joint likelihood has no maximum."
		return r
	}
	r.SharedLambda = numeric.OrNil(shared.LambdaHat)
	r.SharedGeometry = testgeom.DescribeLambda(shared.LambdaHat, [2]*float64{numeric.OrNil(shared.Lo), numeric.OrNil(shared.Hi)})
	r.SharedLambdaCI = [2]*float64{numeric.OrNil(shared.Lo), numeric.OrNil(shared.Hi)}
	r.LogLikShared, r.LogLikSeparate = numeric.OrNil(shared.LogLikMax), numeric.OrNil(sepLL)
	for i := range r.Groups {
		for _, p := range used {
			if p.Group == r.Groups[i].Group && p.Shift != nil {
				r.Groups[i].setShift(p.Shift(shared.LambdaHat))
			}
		}
	}
	r.SharedLRTests = &testgeom.LRTests{}
	for _, t := range []struct {
		test *testgeom.LRTest
		lam  float64
	}{{&r.SharedLRTests.Euclidean, 1}, {&r.SharedLRTests.NegativeEntropy, 0}} {
		var l0 float64
		for _, f := range fs {
			l0 += f(t.lam)
		}
		st, pv := testgeom.LikelihoodRatio(shared.LogLikMax, l0)
		t.test.Lambda, t.test.Stat, t.test.PValue = t.lam, numeric.OrNil(st), numeric.OrNil(pv)
		if math.IsInf(st, 1) {
			t.test.Status = "impossible: some pairs change sign"
		}
	}
	stat := math.Max(0, 2*(sepLL-shared.LogLikMax))
	r.LRStat, r.LRDF = numeric.OrNil(stat), len(fs)-1
	r.LRPValue = numeric.OrNil(chi2Survival(stat, r.LRDF))
	if len(fs) >= 3 {
		r.RandomEffects = randomEffects(r.Groups)
	}
	r.robustTest()
	r.robustShared(fs, shared)
	r.deviationTests()
	r.Differ = *r.LRPValue < 0.05
	if r.RobustPValue != nil {
		r.Differ = *r.RobustPValue < 0.05
	}
	if r.Differ {
		r.Verdict = fmt.Sprintf("The groups' geometries differ: likelihood-ratio test of a common λ across %d groups, statistic %.2f on %d df, p %s.%s%s No single λ describes them; read each group's own λ̂.",
			len(fs), stat, r.LRDF, testgeom.PValueEq(*r.LRPValue), r.robustSentence(), r.DeviationSentence(5))
		return r
	}
	d := testgeom.LambdaDecimals(r.SharedLambdaCI, 3)
	r.Verdict = fmt.Sprintf("Likelihood-ratio test of a common λ across %d groups: statistic %.2f on %d df, p %s: the data are consistent with one geometry for all groups (shared λ̂ = %s, 95%% CI %s).",
		len(fs), stat, r.LRDF, testgeom.PValueEq(*r.LRPValue), testgeom.FormatFixed(shared.LambdaHat, d), testgeom.FormatCI(r.SharedLambdaCI, d)) + r.robustSentence() + r.DeviationSentence(5)
	return r
}

// GroupProfile is one group's profile log-likelihood, the input of
// Profiles.
type GroupProfile struct {
	Group  string                // the group's label
	N      int                   // pairs in the likelihood
	LogLik func(float64) float64 // ℓ(λ), Jacobian included
	// Shift, if set, gives the number, mean and sd of the group's Box–Cox
	// steps u_λ(w1) − u_λ(w0) at λ: the group's own shift parameters at the
	// shared λ̂.
	Shift func(lambda float64) (n int, mean, sd float64)
	// RobustScale, if set, is the sandwich-to-model variance ratio k of the
	// group's λ̂ (se its model standard error), which gives SERobust; NaN
	// when it cannot be computed.
	RobustScale func(lambdaHat, se float64) float64
}

func (g *GroupLambda) setShift(n int, mean, sd float64) {
	if n == 0 {
		return
	}
	g.ShiftN, g.ShiftMean, g.ShiftSD = n, numeric.OrNil(mean), numeric.OrNil(sd)
}

// fitGroup fits one group's λ; ll is ℓ(λ̂), and LambdaHat is nil when the
// group has no estimate.
func fitGroup(p GroupProfile) (gl GroupLambda, ll float64) {
	gl = GroupLambda{Group: p.Group, Status: testgeom.StatusOK, N: p.N}
	if p.N < testgeom.MinPairs || p.LogLik == nil {
		gl.Status = fmt.Sprintf("too few pairs with both weights nonzero: %d (need at least %d)", p.N, testgeom.MinPairs)
		return gl, 0
	}
	fit := fitSum([]func(float64) float64{p.LogLik}, true)
	if !fit.OK {
		gl.Status = fit.Status
		return gl, 0
	}
	gl.LambdaHat, gl.LogLik = numeric.OrNil(fit.LambdaHat), numeric.OrNil(fit.LogLikMax)
	gl.LambdaCI = [2]*float64{numeric.OrNil(fit.Lo), numeric.OrNil(fit.Hi)}
	se := testgeom.CurvatureSE(p.LogLik, fit.LambdaHat, fit.LogLikMax)
	gl.SE = numeric.OrNil(se)
	if p.RobustScale != nil {
		if k := p.RobustScale(fit.LambdaHat, se); k > 0 && numeric.Finite(k) {
			gl.SERobust = numeric.OrNil(se * math.Sqrt(math.Max(k, 1)))
		}
	}
	return gl, fit.LogLikMax
}

// randomEffects is the DerSimonian–Laird summary of the groups with an
// estimate and a standard error.
func randomEffects(groups []GroupLambda) *RandomEffects {
	var y, v []float64
	re := &RandomEffects{Included: []string{}}
	for _, g := range groups {
		se := g.SE
		if g.SERobust != nil {
			se = g.SERobust
		}
		if g.LambdaHat != nil && se != nil && *se > 0 {
			y, v = append(y, *g.LambdaHat), append(v, *se**se)
			re.Included = append(re.Included, g.Group)
		}
	}
	k := len(y)
	re.Groups = k
	if k < 2 {
		re.Note = "fewer than two groups with a standard error"
		return re
	}
	// Generalised Q at τ²: Σ (y − μ̂(τ²))²/(v + τ²), decreasing in τ².
	qAt := func(t2 float64) (q, mu, se float64) {
		var sw, swy float64
		for i := range y {
			w := 1 / (v[i] + t2)
			sw, swy = sw+w, swy+w*y[i]
		}
		mu = swy / sw
		for i := range y {
			q += (y[i] - mu) * (y[i] - mu) / (v[i] + t2)
		}
		return q, mu, 1 / math.Sqrt(sw)
	}
	q, _, _ := qAt(0)
	var sw, sw2 float64
	for i := range v {
		sw, sw2 = sw+1/v[i], sw2+1/(v[i]*v[i])
	}
	df := float64(k - 1)
	t2 := math.Max(0, (q-df)/(sw-sw2/sw))
	_, mu, se := qAt(t2)
	re.Q, re.QPValue = q, chi2Survival(q, k-1)
	if q > 0 {
		re.I2 = math.Max(0, (q-df)/q)
	}
	re.Tau, re.Mean, re.MeanSE = math.Sqrt(t2), mu, se
	re.MeanCI = [2]float64{mu - 1.96*se, mu + 1.96*se}
	// Q-profile interval: τ² where Q(τ²) equals the χ²_{k−1} quantiles.
	chi := distuv.ChiSquared{K: df}
	end := func(target float64) *float64 {
		if q <= target {
			return numeric.OrNil(0)
		}
		lo, hi := 0.0, 1.0
		for qh, _, _ := qAt(hi); qh > target; qh, _, _ = qAt(hi) {
			hi *= 4
			if hi > 1e12 {
				return nil
			}
		}
		for range 100 {
			mid := (lo + hi) / 2
			if qm, _, _ := qAt(mid); qm > target {
				lo = mid
			} else {
				hi = mid
			}
		}
		return numeric.OrNil(math.Sqrt((lo + hi) / 2))
	}
	re.TauCI = [2]*float64{end(chi.Quantile(0.975)), end(chi.Quantile(0.025))}
	return re
}
