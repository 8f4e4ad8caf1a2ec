package fit

import (
	"math"
	"math/rand/v2"
)

// Truncated is the law of X given X ≥ Lower, for a detection limit. Its
// functions are computed in log space from the parent's, so a truncation
// point deep in either tail loses no accuracy.
type Truncated struct {
	Parent Distribution // the untruncated law
	Lower  float64      // the truncation point L
	logSL  float64      // log S(Lower) of the parent
}

// Truncate returns d conditioned on x ≥ lower.
func Truncate(d Distribution, lower float64) *Truncated {
	return &Truncated{Parent: d, Lower: lower, logSL: d.LogSurvival(lower)}
}

// LogProb is the log density at x.
func (t *Truncated) LogProb(x float64) float64 {
	if x < t.Lower {
		return math.Inf(-1)
	}
	return t.Parent.LogProb(x) - t.logSL
}

// Prob is the density at x.
func (t *Truncated) Prob(x float64) float64 { return math.Exp(t.LogProb(x)) }

// logTails: F_T(x) = (S(L) − S(x))/S(L) and S_T(x) = S(x)/S(L).
func (t *Truncated) logTails(x float64) (float64, float64) {
	if x <= t.Lower {
		return math.Inf(-1), 0
	}
	// Only the parent's survival is needed (its log F would be computed
	// and dropped).
	lsT := math.Min(t.Parent.LogSurvival(x)-t.logSL, 0)
	if lsT > -math.Ln2 {
		return math.Log(-math.Expm1(lsT)), lsT
	}
	return math.Log1p(-math.Exp(lsT)), lsT
}

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (t *Truncated) LogCDF(x float64) float64 { f, _ := t.logTails(x); return f }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (t *Truncated) LogSurvival(x float64) float64 { _, s := t.logTails(x); return s }

// CDF is P(X ≤ x).
func (t *Truncated) CDF(x float64) float64 { return math.Exp(t.LogCDF(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (t *Truncated) Survival(x float64) float64 { return math.Exp(t.LogSurvival(x)) }

// Quantile maps p to the parent's quantile of F(L) + p·S(L), taken from
// the upper tail when that is the more precise side.
func (t *Truncated) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	if p == 0 {
		return t.Lower
	}
	sl := math.Exp(t.logSL)
	q := 1 - sl + p*sl
	if q < 0.5 {
		return math.Max(t.Parent.Quantile(q), t.Lower)
	}
	// Upper form: parent survival (1 − p)·S(L).
	return math.Max(t.Parent.Quantile(1-(1-p)*sl), t.Lower)
}

// Rand draws by rejection when the kept mass is large and by inversion
// otherwise.
func (t *Truncated) Rand(r *rand.Rand) float64 {
	if t.logSL > math.Log(0.25) {
		for {
			if v := t.Parent.Rand(r); v >= t.Lower {
				return v
			}
		}
	}
	u := r.Float64()
	for u == 0 {
		u = r.Float64()
	}
	return t.Quantile(u)
}

// NumParameters is the parent's: the truncation point is given, not fitted.
func (t *Truncated) NumParameters() int { return t.Parent.NumParameters() }

// Params are the parent's parameters.
func (t *Truncated) Params() []Param { return t.Parent.Params() }
