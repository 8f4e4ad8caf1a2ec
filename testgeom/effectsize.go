package testgeom

import (
	"math"

	"github.com/syngeom/syngeom/geometry"
)

// EffectSizes put sizes next to the tests: how large the dual step is under
// the best geometry, and a model-free exponent of the changes.
type EffectSizes struct {
	// StepGeometry is the candidate whose dual step StepSD describes (the
	// best by likelihood, else by ΔCDF).
	StepGeometry string `json:"step_geometry"`
	// StepSD is the standard deviation of the dual step d = g(w1) − g(w0)
	// (unit-free under NE, in the unit of g(w) otherwise), with a 95%
	// interval from the delta method with the sample's excess kurtosis, so
	// that it does not assume Gaussian steps; pairs are treated as
	// independent.
	StepSD   *float64    `json:"step_sd"`
	StepSDCI [2]*float64 `json:"step_sd_ci"` // 95% interval of StepSD
	// ChangeSlope is the least-squares slope of log|w1 − w0| on log|w0|
	// over the diagnostics sample (pairs with w0 ≠ 0 and w1 ≠ w0): 1 for
	// multiplicative changes (|Δw| ∝ w0), 0 for additive ones, whatever the
	// geometry candidates. Its 95% interval uses the heteroscedasticity-
	// robust (HC0) standard error; pairs are treated as independent.
	ChangeSlope   *float64    `json:"change_slope"`
	ChangeSlopeCI [2]*float64 `json:"change_slope_ci"` // 95% interval of ChangeSlope
	ChangeSlopeN  int         `json:"change_slope_n"`  // pairs behind ChangeSlope
	// Synapses, when pairs share synapses (consecutive pairs of one
	// chain), is how many synapses the pairs come from; both intervals then
	// sum their variance terms per synapse instead of treating the pairs as
	// independent.
	Synapses int `json:"synapses,omitempty"`
}

// z975 is the 97.5% point of N(0, 1).
const z975 = 1.959963984540054

// effectSizes computes the effect sizes of r from its best candidate and
// the diagnostics sample w0, w1. clusters, when not nil, gives each pair's
// synapse: the variance terms are then summed per synapse.
func effectSizes(r *Result, cands []geometry.Potential, w0, w1 []float64, clusters []int32) *EffectSizes {
	e := &EffectSizes{}
	if clusters != nil {
		e.Synapses = len(ClusterMembers(clusters))
	}
	best := r.BestByLikelihood
	if best == "" {
		best = r.BestByDCDF
	}
	if c := r.find(best); c != nil && c.ShiftSD != nil {
		e.StepGeometry, e.StepSD = best, c.ShiftSD
		s, n := *c.ShiftSD, float64(c.N)
		k := 0.0
		if c.ExcessKurtosis != nil {
			k = *c.ExcessKurtosis
		}
		// Var(s²) ≈ σ⁴(2/(n−1) + κ/n); se(log s) = se(s²)/(2s²).
		v := 2/(n-1) + k/n
		if pot := potentialNamed(cands, best); clusters != nil && pot != nil {
			v = clusteredRelVarOfVariance(pot, w0, w1, clusters)
		}
		if v > 0 && n > 1 {
			h := z975 * math.Sqrt(v) / 2
			e.StepSDCI = [2]*float64{num(s * math.Exp(-h)), num(s * math.Exp(h))}
		}
	}
	e.ChangeSlope, e.ChangeSlopeCI, e.ChangeSlopeN = changeSlope(w0, w1, clusters)
	return e
}

// potentialNamed is the candidate called name, or nil.
func potentialNamed(cands []geometry.Potential, name string) geometry.Potential {
	for _, c := range cands {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

// clusteredRelVarOfVariance is Var(s²)/s⁴ of the dual steps of pot when
// pairs share synapses: the influence (d − m)² − s² of each pair is summed
// per synapse before squaring, so that correlated steps of one synapse
// widen the interval as they should.
func clusteredRelVarOfVariance(pot geometry.Potential, w0, w1 []float64, clusters []int32) float64 {
	n := len(w0)
	if n < 2 {
		return math.NaN()
	}
	d := make([]float64, n)
	var m float64
	for i := range w0 {
		d[i] = pot.Dual(w1[i]) - pot.Dual(w0[i])
		m += d[i]
	}
	m /= float64(n)
	var s2 float64
	for _, x := range d {
		s2 += (x - m) * (x - m)
	}
	s2 /= float64(n)
	var v float64
	for _, c := range ClusterMembers(clusters) {
		var t float64
		for _, i := range c {
			t += (d[i]-m)*(d[i]-m) - s2
		}
		v += t * t
	}
	return v / (float64(n) * float64(n) * s2 * s2)
}

// changeSlope regresses log|w1 − w0| on log|w0|; with clusters the
// robust variance sums the scores per synapse.
func changeSlope(w0, w1 []float64, clusters []int32) (*float64, [2]*float64, int) {
	var x, y []float64
	var cl []int32
	for i := range w0 {
		if d := math.Abs(w1[i] - w0[i]); w0[i] != 0 && d > 0 && finite(d) {
			x, y = append(x, math.Log(math.Abs(w0[i]))), append(y, math.Log(d))
			if clusters != nil {
				cl = append(cl, clusters[i])
			}
		}
	}
	n := len(x)
	if n < 3 {
		return nil, [2]*float64{}, n
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/float64(n), my/float64(n)
	var sxx, sxy float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	if !(sxx > 0) {
		return nil, [2]*float64{}, n
	}
	b := sxy / sxx
	a := my - b*mx
	var meat float64
	if cl != nil {
		members := ClusterMembers(cl)
		for _, c := range members {
			var u float64
			for _, i := range c {
				u += (x[i] - mx) * (y[i] - a - b*x[i])
			}
			meat += u * u
		}
		if g := float64(len(members)); g > 1 {
			meat *= g / (g - 1)
		}
	} else {
		for i := range x {
			e := y[i] - a - b*x[i]
			meat += (x[i] - mx) * (x[i] - mx) * e * e
		}
	}
	// HC0 with the n/(n−2) small-sample factor (HC1).
	se := math.Sqrt(meat*float64(n)/float64(n-2)) / sxx
	return num(b), [2]*float64{num(b - z975*se), num(b + z975*se)}, n
}
