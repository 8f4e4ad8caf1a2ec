package testgeom

import (
	"fmt"
	"math"
)

// groupAssumptions states what the numbers of a group comparison assume.
const groupAssumptions = "The group intervals, the shared interval and the likelihood-ratio test of a common λ assume a Gaussian dual step and independent pairs. " +
	"The robust test (Cochran's Q with sandwich standard errors) and the random-effects summary (Q, I², τ, with sandwich standard errors when available) hold for any step law but assume independent groups: " +
	"groups that share synapses (the steps of one chain) are not independent."

// robustTest is Cochran's Q of the group estimates with their sandwich
// standard errors: a test of a common λ that does not assume Gaussian
// steps.
func (r *GroupComparison) robustTest() {
	r.Assumptions = groupAssumptions
	var sw, swy float64
	var y, w []float64
	for _, g := range r.Groups {
		if g.LambdaHat == nil || g.SERobust == nil || !(*g.SERobust > 0) {
			continue
		}
		wi := 1 / (*g.SERobust * *g.SERobust)
		y, w = append(y, *g.LambdaHat), append(w, wi)
		sw, swy = sw+wi, swy+wi**g.LambdaHat
	}
	if len(y) < 2 {
		return
	}
	mu := swy / sw
	var q float64
	for i := range y {
		q += w[i] * (y[i] - mu) * (y[i] - mu)
	}
	r.RobustStat, r.RobustPValue = num(q), num(chi2Survival(q, len(y)-1))
}

// robustSentence adds the robust test to the verdict.
func (r *GroupComparison) robustSentence() string {
	if r.RobustPValue == nil {
		return ""
	}
	return fmt.Sprintf(" Robust test (sandwich standard errors, any step law): Q = %.2f, p = %.3g.", *r.RobustStat, math.Max(*r.RobustPValue, 0))
}
