package analysis

import (
	"cmp"
	"math"
	"slices"

	"github.com/syngeom/syngeom/testgeom"
)

// FigureMaxN caps every sample a scope keeps for its figures: a histogram,
// QQ plot, scatter or ECDF of 10^5 values looks the same at screen
// resolution as one of all the values, and the Result stays small however
// large the data.
const FigureMaxN = testgeom.DefaultSampleMax

// profileFine is the number of intervals of the fine part of the profile
// curve, across the 95% interval with its width as margin on each side.
const profileFine = 16

// ScopeFigures are the values the figures of a scope draw, computed by the
// analysis so that a report only draws: samples of the weights and of the
// dual shifts, each of at most FigureMaxN values with the count it was
// drawn from, and the relative profile log-likelihood. They are the same
// whether the analysis held the data in memory or streamed them, because
// the samples of paired data are the pairs the geometry test keeps for its
// diagnostics (testgeom.SecondPass.Sample), the same pairs on both paths.
// Per-group scopes carry only what their panels draw: for paired data the
// profile and the shifts of the best candidate, otherwise nothing. Not part
// of the JSON.
type ScopeFigures struct {
	// Before and After are the weights before and after (Before alone
	// for a single sample); for paired data Before.Values[i] and
	// After.Values[i] are one synapse.
	Before, After FigureSample
	// Shift are the fitted dual shifts, those of Scope.ShiftGeometry.
	Shift FigureSample
	// Profile is the relative profile log-likelihood of paired data; nil
	// without a likelihood estimate.
	Profile *ProfileCurve
	// Shifts are the dual shifts against the initial weight of the
	// candidates the page draws: the best by likelihood and, for all
	// synapses pooled, Euclidean (p=2.0).
	Shifts []CandidateShifts
}

// FigureSample is a sample drawn for a figure.
type FigureSample struct {
	Values []float64 // the values drawn
	// N is the number of values Values were drawn from: len(Values) when
	// the figure shows them all.
	N int64
}

// ProfileCurve is ℓ(λ) − ℓ(λ̂) of the Gaussian step model against the
// exponent p = λ + 1, sorted by p: the coarse λ grid of the test, points
// across the 95% interval with its width as margin on each side, and λ̂.
type ProfileCurve struct {
	P, RelLogLik []float64 // the exponents p and ℓ(λ) − ℓ(λ̂) at each
}

// CandidateShifts are the dual shifts d = g(w1) − g(w0) of one candidate
// with the initial weight w0 of each pair, on the kept pairs where its dual
// map is defined.
type CandidateShifts struct {
	Name  string    // the candidate's name
	W0, D []float64 // initial weight and dual shift of each sampled pair
	// N is the number of pairs where the candidate's dual map is defined
	// among all pairs, of which W0 and D are a sample.
	N int64
}

// ShiftsOf returns the shifts of the named candidate, or nil.
func (f *ScopeFigures) ShiftsOf(name string) *CandidateShifts {
	if f == nil {
		return nil
	}
	for i := range f.Shifts {
		if f.Shifts[i].Name == name {
			return &f.Shifts[i]
		}
	}
	return nil
}

// pairedFigures fills Figures for paired data from the kept pairs s0, s1
// and ℓ(λ) of the test (loglik); pooled adds the samples of the weights
// and the Euclidean shifts, which only the page of all synapses draws.
func (sc *Scope) pairedFigures(s0, s1 []float64, loglik func(float64) float64, pooled bool, seed uint64) {
	s0, s1 = subsamplePairs(s0, s1, FigureMaxN, seed)
	f := &ScopeFigures{}
	g := sc.Geometry.Paired
	if loglik != nil {
		f.Profile = profileCurve(g, loglik)
	}
	if pooled {
		f.Before = FigureSample{Values: s0, N: sc.N.Pairs}
		f.After = FigureSample{Values: s1, N: sc.N.Pairs}
		if pot := sc.data.shiftPot; pot != nil {
			_, d := dualShifts(pot, s0, s1)
			f.Shift = FigureSample{Values: d, N: int64(sc.FitComparisons["shift"].N)}
		}
	}
	names := []string{g.BestByLikelihood}
	if pooled && g.BestByLikelihood != "p=2.0" {
		names = append(names, "p=2.0")
	}
	for _, name := range names {
		pot := findCandidate(sc.data.candidates, name)
		if pot == nil {
			continue
		}
		cs := CandidateShifts{Name: name}
		cs.W0, cs.D = dualShifts(pot, s0, s1)
		for _, c := range g.Candidates {
			if c.Name == name {
				cs.N = c.N
			}
		}
		f.Shifts = append(f.Shifts, cs)
	}
	sc.Figures = f
}

// sampleFigure is a sample of x for a figure.
func sampleFigure(x []float64, seed uint64) FigureSample {
	return FigureSample{Values: Subsample(x, FigureMaxN, seed), N: int64(len(x))}
}

// subsamplePairs returns m pairs of (x, y) drawn as Subsample draws
// values; x and y when there are no more.
func subsamplePairs(x, y []float64, m int, seed uint64) (xs, ys []float64) {
	if m >= len(x) {
		return x, y
	}
	xs, ys = make([]float64, 0, m), make([]float64, 0, m)
	selectSample(len(x), m, seed, func(i int) { xs, ys = append(xs, x[i]), append(ys, y[i]) })
	return xs, ys
}

// profileCurve is the relative profile log-likelihood of the Gaussian step
// model (also when the headline estimate is the Student-t model's) from
// ℓ(λ); nil when there is no estimate or ℓ(λ̂) is not finite.
func profileCurve(g *testgeom.Result, loglik func(float64) float64) *ProfileCurve {
	if g == nil || g.LambdaHat == nil {
		return nil
	}
	lhat, ci, _, _ := g.GaussianEstimate()
	top := loglik(*lhat)
	if math.IsNaN(top) || math.IsInf(top, 0) {
		return nil
	}
	type pt struct{ p, v float64 }
	var pts []pt
	for _, q := range g.Profile {
		if q.LogLik != nil {
			pts = append(pts, pt{q.Lambda + 1, math.Min(*q.LogLik-top, 0)})
		}
	}
	lo, hi := *lhat-0.05, *lhat+0.05
	if ci[0] != nil && ci[1] != nil {
		w := *ci[1] - *ci[0]
		lo, hi = *ci[0]-w, *ci[1]+w
	}
	for k := 0; k <= profileFine; k++ {
		l := lo + (hi-lo)*float64(k)/profileFine
		if v := loglik(l); !math.IsNaN(v) && !math.IsInf(v, 0) {
			pts = append(pts, pt{l + 1, math.Min(v-top, 0)})
		}
	}
	pts = append(pts, pt{*lhat + 1, 0})
	slices.SortFunc(pts, func(a, b pt) int { return cmp.Compare(a.p, b.p) })
	pts = slices.CompactFunc(pts, func(a, b pt) bool { return a.p == b.p })
	c := &ProfileCurve{}
	for _, q := range pts {
		c.P, c.RelLogLik = append(c.P, q.p), append(c.RelLogLik, q.v)
	}
	return c
}
