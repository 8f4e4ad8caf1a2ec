package testgeom

import (
	"fmt"
	"math"
	"strings"
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
	// For a robust version: the profile, its maximum, the lower limit of
	// λ, the model SE and the sandwich scales (NaN when not computed).
	f                   func(float64) float64
	logLikMax, lo, se   float64
	scale, clusterScale float64
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
		stat, pv := LikelihoodRatio(lmax, l0)
		t.test.Stat, t.test.PValue = num(stat), num(pv)
		t.test.PAtFloor = pv < MinPValue
		if math.IsInf(stat, 1) {
			t.test.Status = "impossible: " + signChanges(flips)
		}
	}
	return out
}

// The subsampled step models' note says which estimate is the headline:
// the first until adoptStepModel adopts the Student-t model's.
const (
	gaussianHeadNote = "the Gaussian estimate on every pair is the headline"
	studentTHeadNote = "the headline is the Student-t estimate of this subsample, with its interval"
)

// adoptStepModel makes the Student-t model's estimate the headline when the
// data prefer it (see above); clustered says the pairs carry synapse labels.
func (r *Result) adoptStepModel() {
	sm, li := r.StepModels, r.LambdaInterval
	if sm != nil {
		defer func() { sm.tHead = nil }() // not part of the result
	}
	if sm == nil || sm.Status != StatusOK || sm.Preferred != "student_t" || sm.tHead == nil || li == nil || r.LambdaHat == nil {
		return
	}
	th := sm.tHead
	clustered := li.Method == "cluster_robust_lr"
	if clustered && !(th.clusterScale > 0) {
		li.Note = joinNotes(li.Note, "the data prefer Student-t dual steps, but the headline interval stays the synapse-robust Gaussian one: the Student-t sandwich per synapse could not be computed")
		return
	}
	g := *r.LambdaHat
	li.GaussianMethod = li.Method
	li.GaussianLambdaHat = num(g)
	li.GaussianCI = []*float64{r.LambdaCI[0], r.LambdaCI[1]}
	li.Method = "student_t_lr"
	sm.Note = strings.Replace(sm.Note, gaussianHeadNote, studentTHeadNote, 1)
	gt := r.LRTests
	sm.Gaussian.LRTests = &gt
	r.LRTests = th.tests
	r.LambdaHat, r.PHat = num(th.lambdaHat), num(th.lambdaHat+1)
	r.LambdaCI = th.ci
	if clustered {
		// Pairs of one synapse: the t profile's cut-off is multiplied by
		// its sandwich scale with scores summed per synapse, as the
		// Gaussian one is (never narrower than the t LR interval).
		li.Method = "cluster_robust_student_t_lr"
		k := math.Max(th.clusterScale, 1)
		lo, hi := stepInterval(th.f, th.lambdaHat, th.logLikMax, k, th.lo, lambdaLimit)
		r.LambdaCI = [2]*float64{num(lo), num(hi)}
		for _, t := range []*LRTest{&r.LRTests.Euclidean, &r.LRTests.NegativeEntropy} {
			if t.Stat != nil && !math.IsInf(*t.Stat, 1) {
				st := *t.Stat / k
				t.StatRobust, t.PValueRobust = num(st), num(math.Erfc(math.Sqrt(st/2)))
			} else if t.PValue != nil && *t.PValue == 0 {
				t.PValueRobust = num(0)
			}
		}
	}
	d := LambdaDecimals(r.LambdaCI, 3)
	note := fmt.Sprintf("the data prefer Student-t dual steps (ν̂ = %s, LR p %s): λ̂, its interval and the LR tests are the Student-t model's; the Gaussian model gives λ̂ = %s (λ̂ moves by %s)",
		nuText(sm.StudentT.Nu), PValueText(*sm.LRPValue, false, 0), FormatFixed(g, d), FormatSigned(th.lambdaHat-g, d))
	if sm.Subsampled {
		note += fmt.Sprintf("; the Student-t fit uses a random subsample of %d of the %d pairs and its interval is that of the subsample (not rescaled: λ̂ itself varies as on %d pairs)", sm.N, r.LikelihoodN, sm.N)
	}
	if li.Note != "" {
		note = joinNotes(note, li.Note)
	}
	li.Note = note
	if math.IsNaN(val0(r.LambdaCI[0])) || math.IsNaN(val0(r.LambdaCI[1])) {
		li.Note = joinNotes(li.Note, fmt.Sprintf("the Student-t interval is unbounded within |λ| ≤ %d", lambdaLimit))
	}
}

// headlineSentence is the verdict's sentence on the step models: which
// model the headline comes from and how far λ̂ moves.
func (r *Result) headlineSentence() string {
	sm, li := r.StepModels, r.LambdaInterval
	if li == nil || !li.StudentT() || li.GaussianLambdaHat == nil {
		return sm.sentence()
	}
	gci := [2]*float64{li.GaussianCI[0], li.GaussianCI[1]}
	d := LambdaDecimals(gci, LambdaDecimals(r.LambdaCI, 3))
	s := fmt.Sprintf(" The estimate comes from the Student-t step model (%s interval), which the data prefer (ν̂ = %s, LR p %s); under Gaussian steps λ̂ = %s, %s CI %s (λ̂ moves by %s).",
		li.Label(), nuText(sm.StudentT.Nu), PValueText(*sm.LRPValue, false, 0), FormatFixed(*li.GaussianLambdaHat, d),
		(&LambdaInterval{Method: li.GaussianMethod}).Label(), FormatCI(gci, d), FormatSigned(*r.LambdaHat-*li.GaussianLambdaHat, d))
	if sm.Subsampled {
		s += fmt.Sprintf(" The Student-t fit uses a random subsample of %d pairs.", sm.N)
	}
	return s
}

// nuText writes ν̂ ("∞" at its upper bound).
func nuText(nu *float64) string {
	if nu == nil || nuAtUpper(*nu) {
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

// GaussianEstimate is the Gaussian step model's λ̂, its interval (the
// robust, synapse-robust or LR interval that is the headline when the data
// do not prefer Student-t steps), the kind of that interval for a sentence
// and its LR tests of λ = 1 and λ = 0, whichever model the headline comes
// from: what a plot of the Gaussian profile likelihood shows.
func (r *Result) GaussianEstimate() (lhat *float64, ci [2]*float64, label string, tests LRTests) {
	li := r.LambdaInterval
	if li == nil || !li.StudentT() || li.GaussianLambdaHat == nil || len(li.GaussianCI) != 2 || r.StepModels == nil || r.StepModels.Gaussian.LRTests == nil {
		return r.LambdaHat, r.LambdaCI, li.Label(), r.LRTests
	}
	return li.GaussianLambdaHat, [2]*float64{li.GaussianCI[0], li.GaussianCI[1]},
		(&LambdaInterval{Method: li.GaussianMethod}).Label(), *r.StepModels.Gaussian.LRTests
}

// StudentT says that the headline interval is the Student-t step model's.
func (li *LambdaInterval) StudentT() bool {
	return li != nil && (li.Method == "student_t_lr" || li.Method == "cluster_robust_student_t_lr")
}
