package testgeom

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// pairSet is one data set's likelihood, with what joint fits need: ℓ(λ)
// and the profiled σ̂²(λ), recovered from ℓ.
type pairSet struct {
	lik *likPairs
	n   int
	f   func(float64) float64 // memoized ℓ
}

func newPairSet(w0, w1 []float64, workers int) *pairSet {
	lp := newLikPairs(w0, w1, workers)
	s := &pairSet{lik: lp, f: memoize(lp.logLik)}
	for _, c := range lp.code {
		if c != 0 {
			s.n++
		}
	}
	return s
}

// variance is σ̂²(λ), from ℓ = −(n/2)(log 2πσ̂² + 1) + (λ − 1)Σ log|w1|.
func (s *pairSet) variance(lambda float64) float64 {
	l := s.f(lambda)
	n := float64(s.n)
	return math.Exp(-2*(l-(lambda-1)*s.lik.sumL1)/n-1) / (2 * math.Pi)
}

// fitSum maximises Σ_k f_k(λ) over λ, with its 95% LR interval.
func fitSum(fs []func(float64) float64, withCI bool) profileFit {
	f := func(x float64) float64 {
		var s float64
		for _, g := range fs {
			s += g(x)
		}
		return s
	}
	var grid [profileN]float64
	for k := range grid {
		grid[k] = f(profileLambda(k))
	}
	return fitProfile(grid, f, withCI)
}

// chi2Survival is P(χ²_k > x).
func chi2Survival(x float64, k int) float64 {
	return distuv.ChiSquared{K: float64(k)}.Survival(x)
}

// GroupLambda is one group's profile-likelihood estimate of λ.
type GroupLambda struct {
	Group     string      `json:"group"`
	N         int         `json:"n"` // pairs in the likelihood
	Status    string      `json:"status"`
	LambdaHat *float64    `json:"lambda_hat"`
	LambdaCI  [2]*float64 `json:"lambda_ci"`
	// SE is 1/√(−ℓ″(λ̂)), the curvature of the profile; it weights the
	// group in the random-effects summary.
	SE     *float64 `json:"se"`
	LogLik *float64 `json:"loglik"` // ℓ at λ̂
}

// RandomEffects is the DerSimonian–Laird summary of group estimates: the
// spread τ of the true λ across groups, the random-effects mean, Cochran's
// Q test of τ = 0 and a Q-profile interval of τ (Viechtbauer 2007).
type RandomEffects struct {
	Groups   int         `json:"groups"`
	Q        float64     `json:"q"`
	QPValue  float64     `json:"q_p_value"` // test of τ = 0
	I2       float64     `json:"i2"`        // share of the spread beyond sampling error
	Tau      float64     `json:"tau"`
	TauCI    [2]*float64 `json:"tau_ci"`
	Mean     float64     `json:"lambda_mean"`
	MeanSE   float64     `json:"lambda_mean_se"`
	MeanCI   [2]float64  `json:"lambda_mean_ci"`
	Note     string      `json:"note,omitempty"`
	Included []string    `json:"included"`
}

// GroupComparison tests whether groups share one geometry.
type GroupComparison struct {
	Status string        `json:"status"`
	Groups []GroupLambda `json:"groups"`
	// Shared is the fit with one λ for all groups (each group keeps its own
	// μ and σ); Separate is every group with its own λ.
	SharedLambda   *float64    `json:"shared_lambda_hat"`
	SharedLambdaCI [2]*float64 `json:"shared_lambda_ci"`
	LogLikShared   *float64    `json:"loglik_shared"`
	LogLikSeparate *float64    `json:"loglik_separate"`
	// LRTest of a common λ: 2(ℓ_separate − ℓ_shared) against χ² with
	// (groups − 1) degrees of freedom.
	LRStat        *float64       `json:"lr_stat"`
	LRDF          int            `json:"lr_df"`
	LRPValue      *float64       `json:"lr_p_value"`
	RandomEffects *RandomEffects `json:"random_effects,omitempty"`
	Verdict       string         `json:"verdict"`
}

// CompareGroups fits λ per group and with one λ shared by all groups, and
// tests a common geometry by a likelihood ratio (the per-pair likelihood of
// TestPaired, Jacobian included, with group-specific μ and σ in both
// fits). With three or more groups it adds a random-effects summary of
// the spread of λ across groups. group[i] indexes names for pair i; groups
// with fewer than MinPairs usable pairs or no likelihood maximum are
// reported and left out of the tests.
func CompareGroups(w0, w1 []float64, group []int32, names []string, workers int) (*GroupComparison, error) {
	if len(w0) != len(w1) || len(group) != len(w0) {
		return nil, &inputError{fmt.Sprintf("testgeom: %d before values, %d after values and %d group labels", len(w0), len(w1), len(group))}
	}
	workers = workerCount(workers)
	idx := make([][]int, len(names))
	for i, g := range group {
		if g < 0 || int(g) >= len(names) {
			return nil, &inputError{fmt.Sprintf("testgeom: group index %d of pair %d is out of range", g, i)}
		}
		idx[g] = append(idx[g], i)
	}
	r := &GroupComparison{Status: "ok"}
	var fs []func(float64) float64
	var sepLL float64
	for g, name := range names {
		a, b := make([]float64, len(idx[g])), make([]float64, len(idx[g]))
		for j, i := range idx[g] {
			a[j], b[j] = w0[i], w1[i]
		}
		gl, f, ll := fitGroup(name, a, b, workers)
		r.Groups = append(r.Groups, gl)
		if f != nil {
			fs = append(fs, f)
			sepLL += ll
		}
	}
	return compareShared(r, fs, sepLL), nil
}

// compareShared fits one λ shared by the groups whose profiles fs are
// given (sepLL is the sum of their maxima) and tests it against separate
// λs.
func compareShared(r *GroupComparison, fs []func(float64) float64, sepLL float64) *GroupComparison {
	if len(fs) < 2 {
		r.Status = fmt.Sprintf("fewer than two groups with an estimate (%d)", len(fs))
		r.Verdict = "A common geometry cannot be tested: fewer than two groups have a likelihood estimate."
		return r
	}
	shared := fitSum(fs, true)
	if !shared.ok {
		r.Status = "no shared estimate: " + shared.status
		r.Verdict = "A common geometry cannot be tested: the joint likelihood has no maximum."
		return r
	}
	r.SharedLambda = num(shared.lambdaHat)
	r.SharedLambdaCI = [2]*float64{num(shared.lo), num(shared.hi)}
	r.LogLikShared, r.LogLikSeparate = num(shared.logLikMax), num(sepLL)
	stat := math.Max(0, 2*(sepLL-shared.logLikMax))
	r.LRStat, r.LRDF = num(stat), len(fs)-1
	r.LRPValue = num(chi2Survival(stat, r.LRDF))
	if len(fs) >= 3 {
		r.RandomEffects = randomEffects(r.Groups)
	}
	verdict := "the groups' geometries differ"
	if *r.LRPValue >= 0.05 {
		verdict = "the data are consistent with one geometry for all groups"
	}
	r.Verdict = fmt.Sprintf("Likelihood-ratio test of a common λ across %d groups: statistic %.2f on %d df, p = %.3g: %s (shared λ̂ = %.3f, 95%% CI %s).",
		len(fs), stat, r.LRDF, *r.LRPValue, verdict, shared.lambdaHat, formatCI(r.SharedLambdaCI))
	return r
}

// fitGroup fits one group; f is nil when the group has no estimate.
func fitGroup(name string, w0, w1 []float64, workers int) (GroupLambda, func(float64) float64, float64) {
	s := newPairSet(w0, w1, workers)
	return fitProfiled(name, s.n, s.f)
}

// fitProfiled fits one group from its profile likelihood f over n pairs.
func fitProfiled(name string, n int, f func(float64) float64) (GroupLambda, func(float64) float64, float64) {
	gl := GroupLambda{Group: name, Status: "ok", N: n}
	if n < MinPairs {
		gl.Status = fmt.Sprintf("too few pairs with both weights nonzero: %d (need at least %d)", n, MinPairs)
		return gl, nil, 0
	}
	fit := fitSum([]func(float64) float64{f}, true)
	if !fit.ok {
		gl.Status = fit.status
		return gl, nil, 0
	}
	gl.LambdaHat, gl.LogLik = num(fit.lambdaHat), num(fit.logLikMax)
	gl.LambdaCI = [2]*float64{num(fit.lo), num(fit.hi)}
	gl.SE = num(curvatureSE(f, fit.lambdaHat, fit.logLikMax))
	return gl, f, fit.logLikMax
}

// randomEffects is the DerSimonian–Laird summary of the groups with an
// estimate and a standard error.
func randomEffects(groups []GroupLambda) *RandomEffects {
	var y, v []float64
	re := &RandomEffects{Included: []string{}}
	for _, g := range groups {
		if g.LambdaHat != nil && g.SE != nil && *g.SE > 0 {
			y, v = append(y, *g.LambdaHat), append(v, *g.SE**g.SE)
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
			return num(0)
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
		return num(math.Sqrt((lo + hi) / 2))
	}
	re.TauCI = [2]*float64{end(chi.Quantile(0.975)), end(chi.Quantile(0.025))}
	return re
}
