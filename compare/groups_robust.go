package compare

import (
	"fmt"
	"math"

	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/testgeom"
)

// groupAssumptions states what the numbers of a group comparison assume.
const groupAssumptions = "The group intervals, the shared interval and the likelihood-ratio test of a common λ assume a Gaussian dual step and independent pairs. " +
	"The robust test (Cochran's Q with sandwich standard errors, summed per synapse when synapse ids are known) and the random-effects summary (Q, I², τ, with sandwich standard errors when available) hold for any step law but assume independent groups: " +
	"groups that share synapses (the steps of one chain) are not independent. " +
	"The group λ̂ here are the Gaussian step model's. " + gaussianUntested

// gaussianUntested, gaussianKept and gaussianRejected end groupAssumptions:
// whether Gaussian steps were tested against Student-t steps, and how the
// test came out (groups_studentt.go).
const (
	gaussianUntested = "Gaussian steps were not tested against Student-t steps here (a group with more pairs than the second pass keeps, or more than 200,000 pairs in all); under heavy-tailed steps and a p-norm truth the Gaussian λ̂ is biased, and in simulation under Student-t(3) steps the Gaussian comparison's shared interval covered only 76–85% and its likelihood-ratio test rejected a true common λ in 44–63% of data sets at level 0.05 (docs/intervals.md); prefer the robust Q test then."
	gaussianKept     = "The joint test of Gaussian against Student-t steps does not reject them (step_model_test)."
	gaussianRejected = "The joint test of Gaussian against Student-t steps rejects them (step_model_test): this Gaussian-step comparison is given for reference, and the Student-t one is the result."
)

// groupAssumptionsT is groupAssumptions for the Student-t comparison.
const groupAssumptionsT = "The group intervals, the shared interval and the likelihood-ratio test of a common λ assume Student-t dual steps (each group with its own location, scale and degrees of freedom) and independent pairs; the shared interval is widened by the groups' pooled Student-t sandwich ratio, summed per synapse when synapse ids are known. " +
	"The robust test (Cochran's Q with Student-t sandwich standard errors) and the random-effects summary (Q, I², τ) assume independent groups: groups that share synapses (the steps of one chain) are not independent. " +
	"Simulated with two independent groups of 1,000 pairs (Gaussian and Student-t(3) steps, NE and p-norm truths), the shared interval covered 94.5–97% and the common-λ tests rejected a true common λ in 4–5.5% at level 0.05 (docs/intervals.md); more groups, unequal groups and shared synapses were not simulated."

// robustTest is Cochran's Q of the group estimates with their sandwich
// standard errors: a test of a common λ that does not assume Gaussian
// steps.
func (r *GroupComparison) robustTest() {
	r.Assumptions = groupAssumptions
	if r.StepModel == StepStudentT {
		r.Assumptions = groupAssumptionsT
	}
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
	r.RobustStat, r.RobustPValue = numeric.OrNil(q), numeric.OrNil(chi2Survival(q, len(y)-1))
}

// robustShared widens the shared interval and the shared tests of NE and
// Euclidean by the pooled sandwich ratio of the groups used. With one λ
// and separate shift parameters the shared score is the sum of the groups'
// scores, so its robust variance is Σ k_g H_g / (Σ H_g)², H_g = 1/se_g² the
// group's information and k_g = (se_robust_g / se_g)² its sandwich ratio:
// the pooled ratio is k = Σ k_g H_g / Σ H_g. Each k_g is taken at the
// group's own λ̂, not at the shared one: close when the groups agree, which
// is when the shared model is read. Nothing changes unless every group
// used has a robust standard error.
func (r *GroupComparison) robustShared(fs []func(float64) float64, shared testgeom.LambdaFit) {
	var sumKH, sumH float64
	for _, g := range r.Groups {
		if g.LambdaHat == nil {
			continue
		}
		if g.SE == nil || g.SERobust == nil || !(*g.SE > 0) {
			return
		}
		h := 1 / (*g.SE * *g.SE)
		k := (*g.SERobust / *g.SE) * (*g.SERobust / *g.SE)
		sumKH, sumH = sumKH+k*h, sumH+h
	}
	if !(sumH > 0) {
		return
	}
	k := math.Max(sumKH/sumH, 1)
	lhat, lmax := shared.LambdaHat, shared.LogLikMax
	lo, hi, se := testgeom.ScaledInterval(sum(fs), lhat, lmax, k)
	r.SharedInterval = &testgeom.LambdaInterval{Method: "robust_lr", LRCI: r.SharedLambdaCI, Scale: numeric.OrNil(k), SEModel: numeric.OrNil(se), SERobust: numeric.OrNil(se * math.Sqrt(k)),
		Note: "the Gaussian-model interval widened by the pooled sandwich ratio of the groups (each group's ratio at its own λ̂)"}
	if r.StepModel == StepStudentT {
		r.SharedInterval.Method = "robust_student_t_lr"
		r.SharedInterval.Note = "the Student-t model's likelihood-ratio interval widened by the pooled sandwich ratio of the groups (each group's ratio at its own λ̂)"
	}
	r.SharedLambdaCI = [2]*float64{numeric.OrNil(lo), numeric.OrNil(hi)}
	if r.SharedLRTests != nil {
		for _, t := range []*testgeom.LRTest{&r.SharedLRTests.Euclidean, &r.SharedLRTests.NegativeEntropy} {
			if t.Stat != nil && numeric.Finite(*t.Stat) {
				st := *t.Stat / k
				t.StatRobust, t.PValueRobust = numeric.OrNil(st), numeric.OrNil(math.Erfc(math.Sqrt(st/2)))
			}
		}
	}
}

// robustSentence adds the robust test to the verdict.
func (r *GroupComparison) robustSentence() string {
	if r.RobustPValue == nil {
		return ""
	}
	return fmt.Sprintf(" Robust test (sandwich standard errors, any step law): Q = %.2f, p %s.", *r.RobustStat, testgeom.PValueEq(math.Max(*r.RobustPValue, 0)))
}
