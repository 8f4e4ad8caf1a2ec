package testgeom

import (
	"fmt"
	"math"
)

// The headline estimate comes from the step model the data prefer. Under
// heavy-tailed dual steps the Gaussian λ̂ of a p-norm truth is biased (the
// Box–Cox transform that makes the steps most Gaussian is not the true
// one), and no widening of its interval fixes a bias that grows with n.
// When the LR test of ν = ∞ rejects the Gaussian step (StepModels.Preferred
// is "student_t"), λ̂, its interval, p̂ and the LR tests of λ = 0 and λ = 1
// are therefore those of the Student-t profile likelihood; the Gaussian
// numbers stay in LambdaInterval (gaussian_lambda_hat, gaussian_ci,
// lr_ci) and in StepModels.Gaussian (with its LR tests). With cluster
// labels (chains of one synapse) the cluster-robust Gaussian interval stays
// the headline: the t likelihood treats pairs as independent.

// tHeadline is what the Student-t fit offers the headline: λ̂_t, its
// profile-LR interval on the pairs fitted (not rescaled), and the LR tests
// of the two named geometries under the t model.
type tHeadline struct {
	lambdaHat float64
	ci        [2]*float64
	tests     LRTests
}

// tLRTests profiles the t likelihood at λ = 1 and λ = 0 against its
// maximum ℓmax (with sign changes, λ ≤ 0 is impossible, as for the
// Gaussian model).
func tLRTests(ts *tSteps, lmax float64, flips int64) LRTests {
	var out LRTests
	for _, t := range []struct {
		test *LRTest
		lam  float64
	}{{&out.Euclidean, 1}, {&out.NegativeEntropy, 0}} {
		t.test.Lambda = t.lam
		l0 := ts.logLik(t.lam)
		if math.IsNaN(l0) {
			t.test.Status = "the Student-t fit failed at this λ"
			continue
		}
		stat, pv := lrTest(lmax, l0)
		t.test.Stat, t.test.PValue = num(stat), num(pv)
		t.test.PAtFloor = pv < MinPValue
		if math.IsInf(stat, 1) {
			t.test.Status = fmt.Sprintf("impossible: %d pairs change sign", flips)
		}
	}
	return out
}

// adoptStepModel makes the Student-t model's estimate the headline when the
// data prefer it (see above); clustered says the pairs carry synapse labels.
func (r *Result) adoptStepModel() {
	sm, li := r.StepModels, r.LambdaInterval
	if sm == nil || sm.Status != "ok" || sm.Preferred != "student_t" || sm.tHead == nil || li == nil || r.LambdaHat == nil {
		return
	}
	if li.Method == "cluster_robust_lr" {
		li.Note = joinNotes(li.Note, "the data prefer Student-t dual steps, but the headline interval stays the synapse-robust Gaussian one: the Student-t likelihood treats pairs as independent")
		return
	}
	th := sm.tHead
	g := *r.LambdaHat
	li.GaussianMethod = li.Method
	li.GaussianLambdaHat = num(g)
	li.GaussianCI = []*float64{r.LambdaCI[0], r.LambdaCI[1]}
	li.Method = "student_t_lr"
	gt := r.LRTests
	sm.Gaussian.LRTests = &gt
	r.LRTests = th.tests
	r.LambdaHat, r.PHat = num(th.lambdaHat), num(th.lambdaHat+1)
	r.LambdaCI = th.ci
	note := fmt.Sprintf("the data prefer Student-t dual steps (ν̂ = %s, LR p %s): λ̂, its interval and the LR tests are the Student-t model's; the Gaussian model gives λ̂ = %.3f (λ̂ moves by %+.3f)",
		nuText(sm.StudentT.Nu), PValueText(*sm.LRPValue, false, 0), g, th.lambdaHat-g)
	if sm.Subsampled {
		note += fmt.Sprintf("; the Student-t fit uses a random subsample of %d of the %d pairs and its interval is that of the subsample (not rescaled: λ̂ itself varies as on %d pairs)", sm.N, r.LikelihoodN, sm.N)
	}
	li.Note = joinNotes(note, li.Note)
	if math.IsNaN(val0(r.LambdaCI[0])) || math.IsNaN(val0(r.LambdaCI[1])) {
		li.Note = joinNotes(li.Note, fmt.Sprintf("the Student-t interval is unbounded within |λ| ≤ %d", lambdaLimit))
	}
}

// headlineSentence is the verdict's sentence on the step models: which
// model the headline comes from and how far λ̂ moves.
func (r *Result) headlineSentence() string {
	sm, li := r.StepModels, r.LambdaInterval
	if li == nil || li.Method != "student_t_lr" || li.GaussianLambdaHat == nil {
		return sm.sentence()
	}
	s := fmt.Sprintf(" The estimate comes from the Student-t step model, which the data prefer (ν̂ = %s, LR p %s); under Gaussian steps λ̂ = %.3f, %s CI %s (λ̂ moves by %+.3f).",
		nuText(sm.StudentT.Nu), PValueText(*sm.LRPValue, false, 0), *li.GaussianLambdaHat,
		(&LambdaInterval{Method: li.GaussianMethod}).Label(), formatCI([2]*float64{li.GaussianCI[0], li.GaussianCI[1]}), *r.LambdaHat-*li.GaussianLambdaHat)
	if sm.Subsampled {
		s += fmt.Sprintf(" The Student-t fit uses a random subsample of %d pairs.", sm.N)
	}
	return s
}

// nuText writes ν̂ ("∞" at its upper bound).
func nuText(nu *float64) string {
	if nu == nil || *nu >= stepNuMax*0.999 {
		return "∞"
	}
	return fmt.Sprintf("%.3g", *nu)
}

func val0(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}
