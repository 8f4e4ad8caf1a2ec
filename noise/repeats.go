package noise

import (
	"fmt"
	"math"

	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/testgeom"
)

// Noise kinds for EstimateFromRepeats.
const (
	Multiplicative = "cv"   // noise proportional to the weight (a coefficient of variation)
	Additive       = "sd"   // noise of constant standard deviation
	Both           = "both" // both parts
)

// Estimate is a noise model estimated from repeated measurements.
type Estimate struct {
	Model  Model    `json:"model"`          // the estimated noise
	Kind   string   `json:"kind"`           // cv, sd or both: the parts that were fitted
	N      int      `json:"n"`              // repeated pairs used
	CVSE   *float64 `json:"cv_se"`          // standard error of Model.CV; null when not fitted or zero
	SDSE   *float64 `json:"sd_se"`          // standard error of Model.SD; null when not fitted or zero
	Status string   `json:"status"`         // testgeom.StatusOK, or why there is no estimate
	Note   string   `json:"note,omitempty"` // a caveat, e.g. a part estimated below zero and set to zero
}

// EstimateFromRepeats estimates the noise model from two measurements a[i], b[i]
// of the same synapse with no change in between (two readings in one
// session). With a control table (two sessions without learning) the
// estimate also holds the synapses' intrinsic fluctuations, so it is an
// upper bound of the measurement noise.
//
// Under the model, y = (a − b)²/2 has mean CV²·w² + SD² given the true
// weight w. The fit regresses y on s² = ((a + b)/2)² by iteratively
// reweighted least squares (var y = 2·mean², as for a χ²₁ variable), then
// undoes the known inflation E[s² | w] = w²(1 + CV²/2) + SD²/2 (the
// regressor is itself measured, which leaves a small attenuation for
// widely spread noise; see the tests). kind chooses the parts fitted:
// Multiplicative, Additive or Both; a part estimated below
// zero is set to zero and the other refitted. Pairs with a zero or a
// non-finite value are skipped.
func EstimateFromRepeats(a, b []float64, kind string) (*Estimate, error) {
	if len(a) != len(b) {
		return nil, &inputError{fmt.Sprintf("noise: %d first and %d repeated measurements", len(a), len(b))}
	}
	switch kind {
	case Multiplicative, Additive, Both:
	default:
		return nil, &inputError{fmt.Sprintf("noise: kind %q: want cv, sd or both", kind)}
	}
	var x, y []float64
	for i := range a {
		if a[i] == 0 || b[i] == 0 || !numeric.Finite(a[i]) || !numeric.Finite(b[i]) {
			continue
		}
		s := (a[i] + b[i]) / 2
		if s == 0 {
			continue
		}
		d := a[i] - b[i]
		x, y = append(x, s*s), append(y, d*d/2)
	}
	est := &Estimate{Kind: kind, N: len(x), Status: testgeom.StatusOK}
	if len(x) < testgeom.MinPairs {
		est.Status = fmt.Sprintf("too few repeated pairs: %d (need at least %d)", len(x), testgeom.MinPairs)
		return est, nil
	}
	fitSlope, fitIcpt := kind != Additive, kind != Multiplicative
	beta, alpha, cov := irlsNoise(x, y, fitSlope, fitIcpt)
	if fitSlope && fitIcpt && (beta < 0 || alpha < 0) {
		if beta < 0 {
			fitSlope = false
		} else {
			fitIcpt = false
		}
		beta, alpha, cov = irlsNoise(x, y, fitSlope, fitIcpt)
		est.Note = "one part was estimated below zero and is set to zero"
	}
	// Undo the inflation of the regressor: β = c²/(1 + c²/2), α = v(1 − β/2).
	k := 1 - beta/2
	if !(k > 0) {
		est.Status = "the repeated measurements differ by more than the model allows (CV² ≥ 2)"
		return est, nil
	}
	c2, v := beta/k, alpha/k
	est.Model = Model{CV: math.Sqrt(c2), SD: math.Sqrt(v)}
	// Delta method: dc²/dβ = 1/k², then c = √c².
	if fitSlope && c2 > 0 {
		est.CVSE = numeric.OrNil(math.Sqrt(cov[0]) / (k * k) / (2 * est.Model.CV))
	}
	if fitIcpt && v > 0 {
		est.SDSE = numeric.OrNil(math.Sqrt(cov[1]) / k / (2 * est.Model.SD))
	}
	return est, nil
}

// irlsNoise fits E[y] = β·x + α with weights 1/(2·mean²); it returns the
// variances of β and α (zero for a part not fitted).
func irlsNoise(x, y []float64, slope, icpt bool) (beta, alpha float64, cov [2]float64) {
	// Start from unweighted means, which are consistent.
	switch {
	case slope && !icpt:
		var s float64
		for i := range x {
			s += y[i] / x[i]
		}
		beta = s / float64(len(x))
	case icpt && !slope:
		for i := range y {
			alpha += y[i]
		}
		alpha /= float64(len(y))
	default:
		var sx, sy, sxx, sxy float64
		for i := range x {
			sx, sy, sxx, sxy = sx+x[i], sy+y[i], sxx+x[i]*x[i], sxy+x[i]*y[i]
		}
		n := float64(len(x))
		beta = (n*sxy - sx*sy) / (n*sxx - sx*sx)
		alpha = (sy - beta*sx) / n
		beta, alpha = math.Max(beta, 0), math.Max(alpha, 1e-12*sy/n)
	}
	for iter := 0; iter < 50; iter++ {
		var a11, a12, a22, b1, b2 float64
		for i := range x {
			mu := beta*x[i] + alpha
			if !(mu > 0) {
				mu = 1e-300
			}
			w := 1 / (2 * mu * mu)
			a11 += w * x[i] * x[i]
			a12 += w * x[i]
			a22 += w
			b1 += w * x[i] * y[i]
			b2 += w * y[i]
		}
		nb, na := beta, alpha
		switch {
		case slope && icpt:
			det := a11*a22 - a12*a12
			nb = (a22*b1 - a12*b2) / det
			na = (a11*b2 - a12*b1) / det
			cov = [2]float64{a22 / det, a11 / det}
		case slope:
			nb = b1 / a11
			cov = [2]float64{1 / a11, 0}
		default:
			na = b2 / a22
			cov = [2]float64{0, 1 / a22}
		}
		done := math.Abs(nb-beta) <= 1e-10*math.Abs(nb) && math.Abs(na-alpha) <= 1e-10*math.Abs(na)+1e-300
		beta, alpha = nb, na
		if done || (slope && icpt && (beta < 0 || alpha < 0)) {
			break
		}
	}
	return beta, alpha, cov
}
