package testgeom

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// NoiseModel is measurement noise on each measured weight, independent
// between measurements: the measured value is w·m + e with m log-normal of
// mean 1 and coefficient of variation CV (multiplicative part) and
// e ~ N(0, SD²) (additive part, in the units of the weights). It is the
// noise of datasets.DualShift.
type NoiseModel struct {
	CV float64 `json:"cv"` // coefficient of variation of the multiplicative part
	SD float64 `json:"sd"` // standard deviation of the additive part, in the units of the weights
}

// logSigma is the sd of log m.
func (m NoiseModel) logSigma() float64 { return math.Sqrt(math.Log1p(m.CV * m.CV)) }

func (m NoiseModel) validate() error {
	if !(m.CV >= 0) || !(m.SD >= 0) || math.IsInf(m.CV, 0) || math.IsInf(m.SD, 0) {
		return &inputError{fmt.Sprintf("testgeom: noise CV and SD must be finite and ≥ 0, got %v and %v", m.CV, m.SD)}
	}
	if m.CV == 0 && m.SD == 0 {
		return &inputError{"testgeom: the noise model is zero: give a CV, an SD or both"}
	}
	return nil
}

// String describes the model for people.
func (m NoiseModel) String() string {
	switch {
	case m.CV > 0 && m.SD > 0:
		return fmt.Sprintf("multiplicative CV %.3g and additive SD %.3g", m.CV, m.SD)
	case m.CV > 0:
		return fmt.Sprintf("multiplicative CV %.3g", m.CV)
	}
	return fmt.Sprintf("additive SD %.3g", m.SD)
}

// addExtra adds SIMEX pseudo-noise of level ζ to a measured value x so
// that, if x carries noise m, the result carries noise of the same form
// with (1 + ζ) times the variance of log m and (1 + ζ) times the additive
// variance: x·m′ + e′ with log m′ ~ N(−ζs²/2, ζs²), s² = var log m, and
// var e′ = SD²(1 + ζ − e^{ζs²}) (the original additive part is itself
// multiplied by m′, which adds SD²(e^{ζs²} − 1)). Zeros (absent synapses)
// and non-finite values are left alone.
func (m NoiseModel) addExtra(x, zeta float64, rng *rand.Rand) float64 {
	if x == 0 || !finite(x) {
		return x
	}
	if m.CV > 0 {
		s2 := zeta * math.Log1p(m.CV*m.CV)
		x *= math.Exp(math.Sqrt(s2)*rng.NormFloat64() - s2/2)
	}
	if m.SD > 0 {
		v := m.SD * m.SD * (1 + zeta - math.Exp(zeta*math.Log1p(m.CV*m.CV)))
		if v > 0 {
			x += math.Sqrt(v) * rng.NormFloat64()
		}
	}
	return x
}

// Noise kinds for EstimateNoise.
const (
	NoiseMultiplicative = "cv"   // noise proportional to the weight (a coefficient of variation)
	NoiseAdditive       = "sd"   // noise of constant standard deviation
	NoiseBoth           = "both" // both parts
)

// NoiseEstimate is a noise model estimated from repeated measurements.
type NoiseEstimate struct {
	Model  NoiseModel `json:"model"`          // the estimated noise
	Kind   string     `json:"kind"`           // cv, sd or both: the parts that were fitted
	N      int        `json:"n"`              // repeated pairs used
	CVSE   *float64   `json:"cv_se"`          // standard error of Model.CV; null when not fitted or zero
	SDSE   *float64   `json:"sd_se"`          // standard error of Model.SD; null when not fitted or zero
	Status string     `json:"status"`         // StatusOK, or why there is no estimate
	Note   string     `json:"note,omitempty"` // a caveat, e.g. a part estimated below zero and set to zero
}

// EstimateNoise estimates the noise model from two measurements a[i], b[i]
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
// NoiseMultiplicative, NoiseAdditive or NoiseBoth; a part estimated below
// zero is set to zero and the other refitted. Pairs with a zero or a
// non-finite value are skipped.
func EstimateNoise(a, b []float64, kind string) (*NoiseEstimate, error) {
	if len(a) != len(b) {
		return nil, &inputError{fmt.Sprintf("testgeom: %d first and %d repeated measurements", len(a), len(b))}
	}
	switch kind {
	case NoiseMultiplicative, NoiseAdditive, NoiseBoth:
	default:
		return nil, &inputError{fmt.Sprintf("testgeom: noise kind %q: want cv, sd or both", kind)}
	}
	var x, y []float64
	for i := range a {
		if a[i] == 0 || b[i] == 0 || !finite(a[i]) || !finite(b[i]) {
			continue
		}
		s := (a[i] + b[i]) / 2
		if s == 0 {
			continue
		}
		d := a[i] - b[i]
		x, y = append(x, s*s), append(y, d*d/2)
	}
	est := &NoiseEstimate{Kind: kind, N: len(x), Status: StatusOK}
	if len(x) < MinPairs {
		est.Status = fmt.Sprintf("too few repeated pairs: %d (need at least %d)", len(x), MinPairs)
		return est, nil
	}
	fitSlope, fitIcpt := kind != NoiseAdditive, kind != NoiseMultiplicative
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
	est.Model = NoiseModel{CV: math.Sqrt(c2), SD: math.Sqrt(v)}
	// Delta method: dc²/dβ = 1/k², then c = √c².
	if fitSlope && c2 > 0 {
		est.CVSE = num(math.Sqrt(cov[0]) / (k * k) / (2 * est.Model.CV))
	}
	if fitIcpt && v > 0 {
		est.SDSE = num(math.Sqrt(cov[1]) / k / (2 * est.Model.SD))
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
