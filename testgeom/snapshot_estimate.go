package testgeom

import (
	"context"
	"fmt"
	"math"

	"github.com/syngeom/syngeom/fit"
)

// SnapshotEstimate is a continuous estimate of the geometry from one
// snapshot, under the one-point initial law (K = 1): every synapse starts at
// the same weight c and moves by Gaussian noise in dual space, so
// g(w) = w^λ (the p-norm dual on positive weights, λ = p − 1; log w for
// λ = 0, negative entropy) is Gaussian, which is the Box–Cox normal law of
// exponent λ. Its maximum-likelihood λ̂ has a 95% Wald interval from the
// observed information.
type SnapshotEstimate struct {
	Status   string      `json:"status"`    // StatusOK, or why there is no estimate
	Lambda   *float64    `json:"lambda"`    // λ̂ of the Box–Cox normal fit of the weights
	LambdaCI [2]*float64 `json:"lambda_ci"` // its 95% Wald interval
	P        *float64    `json:"p"`         // λ̂ + 1
	// Conditional names the assumption the estimate rests on.
	Conditional string `json:"conditional_on"`
}

// snapshotEstimate fits the Box–Cox normal law to the positive weights x
// (left-truncated at L > 0).
func snapshotEstimate(ctx context.Context, x []float64, L float64) *SnapshotEstimate {
	e := &SnapshotEstimate{Status: StatusOK, Conditional: "a one-point initial law (K = 1): the dual map of the geometry makes the weights Gaussian"}
	o := fit.Options{Workers: 1}
	if L > 0 {
		o.TruncateBelow = &L
	}
	rep, err := fit.FitContext(ctx, x, []*fit.Family{fit.PowerNormalFamily()}, o)
	if err != nil || len(rep.Fits) == 0 {
		e.Status = fmt.Sprintf("the Box–Cox normal fit failed: %v", err)
		return e
	}
	f := rep.Fits[0]
	lam, ok := f.Params["lambda"]
	if f.Status != StatusOK || !ok {
		e.Status = "the Box–Cox normal fit failed: " + f.Status
		return e
	}
	e.Lambda, e.P = num(lam), num(lam+1)
	if se, ok := f.SE["lambda"]; ok && se > 0 && !math.IsInf(se, 0) {
		e.LambdaCI = [2]*float64{num(lam - 1.959963984540054*se), num(lam + 1.959963984540054*se)}
	} else {
		e.Status = "no standard error of λ̂: the interval is unknown"
	}
	return e
}

// sentence is the continuous estimate in the verdict ("" without one).
func (e *SnapshotEstimate) sentence() string {
	if e == nil || e.Lambda == nil {
		return ""
	}
	d := LambdaDecimals(e.LambdaCI, 3)
	return fmt.Sprintf(" Under a one-point initial law (K = 1) the geometry is estimated continuously: λ̂ = %s, 95%% CI %s (p̂ = %s).",
		FormatFixed(*e.Lambda, d), FormatCI(e.LambdaCI, d), FormatFixed(*e.P, d))
}
