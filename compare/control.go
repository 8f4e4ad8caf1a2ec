package compare

import (
	"context"
	"fmt"
	"math"

	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/testgeom"
)

// ConditionFit is one condition's geometry and change size.
type ConditionFit struct {
	N         int         `json:"n"`          // pairs in the likelihood
	Status    string      `json:"status"`     // testgeom.StatusOK, or why there is no estimate
	LambdaHat *float64    `json:"lambda_hat"` // the condition's own λ̂
	LambdaCI  [2]*float64 `json:"lambda_ci"`  // its 95% likelihood-ratio interval
	// StepSD is σ̂ of the dual shifts at the condition's own λ̂, and
	// StepSDShared at the λ̂ shared by both conditions, where the two
	// conditions' σ̂ are on one scale and can be compared.
	StepSD       *float64 `json:"step_sd"`
	StepSDShared *float64 `json:"step_sd_shared_lambda"` // σ̂ at the shared λ̂
}

// ControlComparison compares learning with a no-learning control measured
// the same way (the same synapses imaged twice without learning, or another
// group of synapses).
type ControlComparison struct {
	Status   string       `json:"status"`   // testgeom.StatusOK, or why the conditions could not be compared
	Learning ConditionFit `json:"learning"` // the learning condition's own fit
	Control  ConditionFit `json:"control"`  // the control condition's own fit

	SharedLambda   *float64    `json:"shared_lambda_hat"` // λ̂ shared by both conditions
	SharedLambdaCI [2]*float64 `json:"shared_lambda_ci"`  // its 95% likelihood-ratio interval
	// SameLambda: shared λ (each condition with its own μ, σ) against
	// separate λ; 1 df.
	SameLambda testgeom.LRTest `json:"same_lambda"`
	// SameSigma: shared λ and σ against shared λ with separate σ; 1 df.
	SameSigma testgeom.LRTest `json:"same_sigma"`
	// VarianceRatio is σ̂²_learning/σ̂²_control at the shared λ̂;
	// ExtraVariance is σ̂²_learning − σ̂²_control, the dual-space variance
	// learning adds if its steps are independent of the control's
	// fluctuations; AddsChangePValue is the one-sided test of
	// σ²_learning > σ²_control (signed root of the SameSigma statistic).
	VarianceRatio    *float64 `json:"variance_ratio"`
	ExtraVariance    *float64 `json:"extra_variance"`      // σ̂²_learning − σ̂²_control
	AddsChangePValue *float64 `json:"adds_change_p_value"` // one-sided, of σ²_learning > σ²_control
	Verdict          string   `json:"verdict"`             // the comparison's one-sentence conclusion
}

// Control fits the learning pairs (l0, l1) and the control pairs
// (c0, c1) separately and jointly with the per-pair likelihood of
// testgeom.TestPaired (Jacobian included) and tests whether the two share the
// geometry λ and, at the shared λ, the size σ of the dual changes. Both
// must be measured in the same units.
func Control(l0, l1, c0, c1 []float64, workers int) (*ControlComparison, error) {
	return ControlContext(context.Background(), l0, l1, c0, c1, workers)
}

// ControlContext is Control that stops when ctx is done and
// then returns ctx.Err(). It looks at ctx between the fits and before each
// evaluation of a likelihood profile (one pass over a condition's pairs).
func ControlContext(ctx context.Context, l0, l1, c0, c1 []float64, workers int) (*ControlComparison, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(l0) != len(l1) || len(c0) != len(c1) {
		return nil, &inputError{fmt.Sprintf("compare: learning has %d/%d and control %d/%d before/after values", len(l0), len(l1), len(c0), len(c1))}
	}
	workers = parallel.Workers(workers)
	r := &ControlComparison{Status: testgeom.StatusOK}
	sl, sc := newPairSet(testgeom.NewPairLikelihood(l0, l1, workers)), newPairSet(testgeom.NewPairLikelihood(c0, c1, workers))
	stop := func() bool { return ctx.Err() != nil }
	sl.f, sc.f = stoppable(sl.f, stop), stoppable(sc.f, stop)
	fl, fc := fitCondition(&r.Learning, sl), fitCondition(&r.Control, sc)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !fl.OK || !fc.OK {
		r.Status = "a condition has no estimate of λ"
		r.Verdict = "Learning and control cannot be compared: " + r.Learning.Status + " (learning); " + r.Control.Status + " (control)."
		return r, nil
	}
	shared := fitSum([]func(float64) float64{sl.f, sc.f}, true)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !shared.OK {
		r.Status = "no shared estimate: " + shared.Status
		r.Verdict = "Learning and control cannot be compared: the joint likelihood has no maximum."
		return r, nil
	}
	lam := shared.LambdaHat
	r.SharedLambda = numeric.OrNil(lam)
	r.SharedLambdaCI = [2]*float64{numeric.OrNil(shared.Lo), numeric.OrNil(shared.Hi)}
	stat := math.Max(0, 2*(fl.LogLikMax+fc.LogLikMax-shared.LogLikMax))
	r.SameLambda = testgeom.LRTest{Lambda: lam, Stat: numeric.OrNil(stat), PValue: numeric.OrNil(chi2Survival(stat, 1))}

	// Shared λ and σ: the pooled variance replaces each condition's own.
	nl, nc := float64(sl.n), float64(sc.n)
	pooledLL := func(x float64) float64 {
		vl, vc := sl.variance(x), sc.variance(x)
		if !numeric.Finite(vl) || !numeric.Finite(vc) {
			return math.Inf(-1)
		}
		v := (nl*vl + nc*vc) / (nl + nc)
		return -(nl+nc)/2*(math.Log(2*math.Pi*v)+1) + (x-1)*(sl.lik.SumLogW1()+sc.lik.SumLogW1())
	}
	both := fitSum([]func(float64) float64{pooledLL}, false)
	vl, vc := sl.variance(lam), sc.variance(lam)
	r.Learning.StepSDShared, r.Control.StepSDShared = numeric.OrNil(math.Sqrt(vl)), numeric.OrNil(math.Sqrt(vc))
	r.VarianceRatio, r.ExtraVariance = numeric.OrNil(vl/vc), numeric.OrNil(vl-vc)
	if both.OK {
		s2 := math.Max(0, 2*(shared.LogLikMax-both.LogLikMax))
		r.SameSigma = testgeom.LRTest{Lambda: both.LambdaHat, Stat: numeric.OrNil(s2), PValue: numeric.OrNil(chi2Survival(s2, 1))}
		z := math.Sqrt(s2)
		if vl < vc {
			z = -z
		}
		r.AddsChangePValue = numeric.OrNil(math.Erfc(z/math.Sqrt2) / 2)
	} else {
		r.SameSigma = testgeom.LRTest{Status: "no maximum of the likelihood with a shared σ: " + both.Status}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.decide()
	return r, nil
}

func fitCondition(c *ConditionFit, s *pairSet) testgeom.LambdaFit {
	c.N, c.Status = s.n, testgeom.StatusOK
	if s.n < testgeom.MinPairs {
		c.Status = fmt.Sprintf("too few pairs with both weights nonzero: %d (need at least %d)", s.n, testgeom.MinPairs)
		return testgeom.LambdaFit{}
	}
	fit := fitSum([]func(float64) float64{s.f}, true)
	if !fit.OK {
		c.Status = fit.Status
		return fit
	}
	c.LambdaHat = numeric.OrNil(fit.LambdaHat)
	c.LambdaCI = [2]*float64{numeric.OrNil(fit.Lo), numeric.OrNil(fit.Hi)}
	c.StepSD = numeric.OrNil(math.Sqrt(s.variance(fit.LambdaHat)))
	return fit
}

func (r *ControlComparison) decide() {
	geom := "the same geometry"
	if *r.SameLambda.PValue < 0.05 {
		geom = "different geometries"
	}
	var size string
	switch p := r.AddsChangePValue; {
	case p == nil:
		size = "the change sizes could not be compared"
	case *p < 0.05:
		size = fmt.Sprintf("learning adds change beyond the control (σ² ratio %.2f, one-sided p %s)", *r.VarianceRatio, testgeom.PValueEq(*p))
	default:
		size = fmt.Sprintf("learning does not change synapses more than the control does (σ² ratio %.2f, one-sided p %s)", *r.VarianceRatio, testgeom.PValueEq(*p))
	}
	if *r.SameLambda.PValue < 0.05 {
		size += " (a caution: the sizes are compared at a λ that suits neither condition well)"
	}
	// One number of decimals for the three estimates, from the narrower interval.
	d := max(testgeom.LambdaDecimals(r.Learning.LambdaCI, 3), testgeom.LambdaDecimals(r.Control.LambdaCI, 3))
	r.Verdict = fmt.Sprintf("Learning (λ̂ = %s, 95%% CI %s) and control (λ̂ = %s, 95%% CI %s) are most consistent with %s (same-λ LR p %s); at the shared λ̂ = %s %s.",
		testgeom.FormatFixed(*r.Learning.LambdaHat, d), testgeom.FormatCI(r.Learning.LambdaCI, d), testgeom.FormatFixed(*r.Control.LambdaHat, d), testgeom.FormatCI(r.Control.LambdaCI, d),
		geom, testgeom.PValueEq(*r.SameLambda.PValue), testgeom.FormatFixed(*r.SharedLambda, d), size)
}
