package noise

import (
	"cmp"
	"github.com/syngeom/syngeom/fit"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/internal/splitmix"
	"github.com/syngeom/syngeom/testgeom"
)

// Indirect inference through the simulator (Gouriéroux, Monfort & Renault
// 1993): the naive λ̂ is a statistic with a law that depends on the true λ,
// the initial law, the change size and the noise. For each candidate λ the
// experiment is simulated with the fitted initial law, the change size
// that reproduces the observed spread of the dual shifts at that λ, and the
// given noise; the naive estimator is applied to every simulated data set.
// The corrected λ̂ solves b(λ) = λ̂_obs, where b(λ) is the mean naive λ̂ of
// the simulations, and the 95% interval is the set of λ at which λ̂_obs
// lies within b(λ) ± 1.96·s(λ), s(λ) the simulated sd (a test inversion).
// Simulation r uses the same random numbers at every λ (common random
// numbers), which makes b smooth in λ.

const (
	streamIndirect      = 0x696e6469 // "indi"
	streamIndirectNoise = 0x696e646e // "indn"
)

// indirectStep is the spacing of the coarse λ grid of the binding
// function, and indirectHalfWidth its reach on each side of λ̂_obs.
const (
	indirectStep      = 0.25
	indirectHalfWidth = 1.5
)

// fitInitLaw matches a log-normal law to the true initial weights behind
// the measured w0, its moments deconvolved from the measured ones: E[w] is
// the measured mean and E[w²] = (E[x²] − SD²)/(1 + CV²).
func fitInitLaw(w0 []float64, noise Model) (fit.LogNormal, bool) {
	var m running
	for _, x := range w0 {
		if numeric.Finite(x) && x != 0 {
			m.add(x)
		}
	}
	if m.n < testgeom.MinPairs || !(m.mean > 0) {
		return fit.LogNormal{}, false
	}
	ex2 := (m.m2/float64(m.n) + m.mean*m.mean - noise.SD*noise.SD) / (1 + noise.CV*noise.CV)
	v := ex2 - m.mean*m.mean
	if !(v > 0) {
		return fit.LogNormal{}, false
	}
	s2 := math.Log1p(v / (m.mean * m.mean))
	return fit.LogNormal{MeanLog: math.Log(m.mean) - s2/2, SDLog: math.Sqrt(s2)}, true
}

// measureWith applies the noise model to a true weight from two standard
// normal draws.
func (m Model) measureWith(w, e, a float64) float64 {
	if m.CV > 0 {
		s := m.logSigma()
		w *= math.Exp(s*e - s*s/2)
	}
	return w + m.SD*a
}

// stepBoxCox moves a positive weight w by ξ in the dual space of λ. For
// λ > 0 a step below the dual's range crosses zero as the p-norm p = λ + 1
// does; for λ < 0 a step beyond the range has no image (+Inf).
func stepBoxCox(w, lambda, xi float64) float64 {
	if lambda == 0 {
		return w * math.Exp(xi)
	}
	v := math.Exp(lambda*math.Log(w)) + lambda*xi
	if lambda > 0 {
		return geometry.Sign(v) * math.Pow(math.Abs(v), 1/lambda)
	}
	if v <= 0 {
		return math.Inf(1)
	}
	return math.Pow(v, 1/lambda)
}

// bindingPoint is the law of the naive λ̂ simulated under one λ.
type bindingPoint struct {
	lambda, mean, sd float64
	fits             int
	stepSD           float64
	noStep           bool // the noise alone explains the observed spread
}

// indirectModel holds what the simulations need.
type indirectModel struct {
	noise   Model
	law     fit.LogNormal
	n       int
	reps    int
	seed    uint64
	workers int
	obs0    []float64 // measured pairs, for the observed dual shifts
	obs1    []float64
	base    [][6]float64 // standard normal draws of the calibration sample
	// stop, if set, says the run was cancelled: the simulations then skip
	// their work (CorrectContext discards the result).
	stop func() bool
}

func (m *indirectModel) stopped() bool { return m.stop != nil && m.stop() }

// calibrationN is the smallest size of the simulated sample that sets the
// step at each λ.
const calibrationN = 5000

func newIndirectModel(w0, w1 []float64, noise Model, law fit.LogNormal, reps int, seed uint64, workers int) *indirectModel {
	m := &indirectModel{noise: noise, law: law, reps: reps, seed: seed, workers: workers, obs0: w0, obs1: w1}
	for i := range w0 {
		if testgeom.Compared(w0[i], w1[i]) {
			m.n++
		}
	}
	rng := splitmix.Stream(seed, streamIndirectNoise, 0)
	m.base = make([][6]float64, max(m.n, calibrationN))
	for i := range m.base {
		for k := range 6 {
			m.base[i][k] = rng.NormFloat64()
		}
	}
	return m
}

// quartiles of the dual shifts d_λ over pairs with both values nonzero and
// of the same sign: the median and the interquartile range.
func shiftQuartiles(a, b []float64, lambda float64) (median, iqr float64) {
	d := make([]float64, 0, len(a))
	for i := range a {
		x0, x1 := a[i], b[i]
		if !numeric.Finite(x0) || !numeric.Finite(x1) || x0 == 0 || x1 == 0 || geometry.Sign(x0) != geometry.Sign(x1) {
			continue
		}
		l0, l1 := math.Log(math.Abs(x0)), math.Log(math.Abs(x1))
		if lambda == 0 {
			d = append(d, geometry.Sign(x0)*(l1-l0))
		} else {
			d = append(d, geometry.Sign(x0)*math.Exp(lambda*l0)*math.Expm1(lambda*(l1-l0))/lambda)
		}
	}
	if len(d) < 4 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(d)
	return numeric.QuantileSorted(d, 0.5), numeric.QuantileSorted(d, 0.75) - numeric.QuantileSorted(d, 0.25)
}

// calibrationQuartiles simulates the calibration sample under λ with a
// step N(mu, sd²) and returns the quartiles of its measured dual shifts.
func (m *indirectModel) calibrationQuartiles(lambda, mu, sd float64) (float64, float64) {
	a, b := make([]float64, len(m.base)), make([]float64, len(m.base))
	for i, z := range m.base {
		a[i], b[i] = m.drawFrom(z, lambda, mu, sd)
	}
	return shiftQuartiles(a, b, lambda)
}

// calibrate finds the step N(μ, s²) under λ whose simulated measured dual
// shifts have the observed median and interquartile range (robust
// statistics: additive noise on small weights gives the shifts heavy
// tails). noStep: the noise alone already spreads the shifts as much.
func (m *indirectModel) calibrate(lambda float64) (mu, sd float64, noStep bool) {
	return m.calibrateOn(m.obs0, m.obs1, lambda)
}

// calibrateOn is calibrate for other observed pairs (a bootstrap resample).
func (m *indirectModel) calibrateOn(obs0, obs1 []float64, lambda float64) (mu, sd float64, noStep bool) {
	medObs, iqrObs := shiftQuartiles(obs0, obs1, lambda)
	if !numeric.Finite(iqrObs) || !(iqrObs > 0) {
		return 0, 0, true
	}
	m0, q0 := m.calibrationQuartiles(lambda, 0, 0)
	if !(q0 < iqrObs) {
		return medObs - m0, 0, true
	}
	// Independent spreads add roughly in quadrature: a first guess, then
	// secant steps on the increasing IQR(s).
	sd = math.Sqrt(iqrObs*iqrObs-q0*q0) / 1.349
	med, q := m.calibrationQuartiles(lambda, 0, sd)
	mu = medObs - med
	s0, f0 := 0.0, q0-iqrObs
	for range 8 {
		med, q = m.calibrationQuartiles(lambda, mu, sd)
		f := q - iqrObs
		if !numeric.Finite(f) || math.Abs(f) <= 1e-3*iqrObs || f == f0 {
			break
		}
		next := sd - f*(sd-s0)/(f-f0)
		s0, f0 = sd, f
		if !numeric.Finite(next) {
			break
		}
		sd = math.Max(next, sd/4)
	}
	mu += medObs - med
	if !numeric.Finite(mu) || !numeric.Finite(sd) {
		return 0, 0, true
	}
	return mu, sd, noStep
}

// evaluate simulates the experiment under λ reps times and summarises the
// naive λ̂.
func (m *indirectModel) evaluate(lambda float64) bindingPoint {
	bp := bindingPoint{lambda: lambda}
	var mu float64
	mu, bp.stepSD, bp.noStep = m.calibrate(lambda)
	bp.mean, bp.sd, bp.fits = m.simulateMean(lambda, mu, bp.stepSD)
	return bp
}

// simulateMean is the mean and sd of the naive λ̂ over the simulated data
// sets under λ with the step N(mu, sd²).
func (m *indirectModel) simulateMean(lambda, mu, sd float64) (mean, sdv float64, fits int) {
	lams := make([]float64, m.reps)
	parallel.For(m.reps, m.workers, func(r, _ int) {
		if m.stopped() {
			lams[r] = math.NaN()
			return
		}
		lams[r] = m.simulateFit(lambda, mu, sd, uint64(r))
	})
	var s running
	for _, x := range lams {
		if numeric.Finite(x) {
			s.add(x)
		}
	}
	if s.n < 2 {
		return math.NaN(), math.NaN(), int(s.n)
	}
	return s.mean, math.Sqrt(s.variance()), int(s.n)
}

// linearizedSE is the bootstrap standard error of the corrected λ̂ with the
// uncertainty of the step calibration included, by linearising
// λ̃ = b⁻¹(λ̂_obs; ŝ): each resample of pairs (or of clusters) contributes
// (Δλ̂ − ∂b/∂log s · Δlog ŝ)/∂b/∂λ, where Δλ̂ is the change of its naive λ̂
// and Δlog ŝ of its calibrated step sd at λ̃. NaN if it cannot be formed.
func (m *indirectModel) linearizedSE(est, lamObs float64, members [][]int, reps int) float64 {
	const h, k = 0.05, 1.05
	mu, sd, noStep := m.calibrate(est)
	if noStep || !(sd > 0) {
		return math.NaN()
	}
	up, down := m.evaluate(est+h), m.evaluate(est-h)
	slope := (up.mean - down.mean) / (2 * h)
	bUp, _, _ := m.simulateMean(est, mu, sd*k)
	bDown, _, _ := m.simulateMean(est, mu, sd/k)
	dbdls := (bUp - bDown) / (2 * math.Log(k))
	if !(slope > 0) || !numeric.Finite(dbdls) {
		return math.NaN()
	}
	z := make([]float64, reps)
	parallel.For(reps, m.workers, func(b, _ int) {
		if m.stopped() {
			z[b] = math.NaN()
			return
		}
		rng := splitmix.Stream(m.seed, streamSimexBoot, uint64(b)|2<<40)
		var b0, b1 []float64
		if members == nil {
			for range m.obs0 {
				j := rng.IntN(len(m.obs0))
				b0, b1 = append(b0, m.obs0[j]), append(b1, m.obs1[j])
			}
		} else {
			for range members {
				for _, j := range members[rng.IntN(len(members))] {
					b0, b1 = append(b0, m.obs0[j]), append(b1, m.obs1[j])
				}
			}
		}
		z[b] = math.NaN()
		f := testgeom.FitLambda(b0, b1, 1, false)
		_, sdb, no := m.calibrateOn(b0, b1, est)
		if f.OK && !no && sdb > 0 {
			z[b] = (f.LambdaHat - lamObs - dbdls*math.Log(sdb/sd)) / slope
		}
	})
	var s running
	for _, v := range z {
		if numeric.Finite(v) {
			s.add(v)
		}
	}
	if s.n < 2 {
		return math.NaN()
	}
	return math.Sqrt(s.variance())
}

// simulateFit draws one data set of the observed size under λ and returns
// its naive λ̂ (NaN if none).
func (m *indirectModel) simulateFit(lambda, mu, sd float64, r uint64) float64 {
	rng := splitmix.Stream(m.seed, streamIndirect, r)
	a, b := make([]float64, m.n), make([]float64, m.n)
	for i := range a {
		a[i], b[i] = m.draw(rng, lambda, mu, sd)
	}
	f := testgeom.FitLambda(a, b, 1, false)
	if !f.OK {
		return math.NaN()
	}
	return f.LambdaHat
}

// draw makes one measured pair; it uses six normal draws whatever λ is.
func (m *indirectModel) draw(rng *rand.Rand, lambda, mu, sd float64) (float64, float64) {
	var z [6]float64
	for k := range z {
		z[k] = rng.NormFloat64()
	}
	return m.drawFrom(z, lambda, mu, sd)
}

// drawFrom makes one measured pair from six standard normal draws.
func (m *indirectModel) drawFrom(z [6]float64, lambda, mu, sd float64) (float64, float64) {
	z0, zx, e0, a0, e1, a1 := z[0], z[1], z[2], z[3], z[4], z[5]
	w0 := math.Exp(m.law.MeanLog + m.law.SDLog*z0)
	w1 := stepBoxCox(w0, lambda, mu+sd*zx)
	if !numeric.Finite(w1) {
		return math.NaN(), math.NaN()
	}
	return m.noise.measureWith(w0, e0, a0), m.noise.measureWith(w1, e1, a1)
}

// binding is the binding function on a sorted λ table.
type binding []bindingPoint

func (b binding) usable() binding {
	return slices.DeleteFunc(slices.Clone(b), func(p bindingPoint) bool { return !numeric.Finite(p.mean) || !numeric.Finite(p.sd) })
}

// solve returns the λ where h(point) crosses zero nearest to λ0, by linear
// interpolation between table points; NaN if h never changes sign.
func (b binding) solve(h func(p bindingPoint) float64, lambda0 float64) float64 {
	best := math.NaN()
	for i := 0; i+1 < len(b); i++ {
		h0, h1 := h(b[i]), h(b[i+1])
		if h0 == 0 {
			if math.IsNaN(best) || math.Abs(b[i].lambda-lambda0) < math.Abs(best-lambda0) {
				best = b[i].lambda
			}
			continue
		}
		if (h0 < 0) != (h1 < 0) {
			x := b[i].lambda + (b[i+1].lambda-b[i].lambda)*h0/(h0-h1)
			if math.IsNaN(best) || math.Abs(x-lambda0) < math.Abs(best-lambda0) {
				best = x
			}
		}
	}
	return best
}

// estimate runs the indirect inference and returns the corrected λ̂ and
// its interval (NaN where not found) with the binding table; the simulated
// sd of the naive λ̂ is multiplied by inflate (the square root of a design
// effect for clustered pairs).
func (m *indirectModel) estimate(lamObs, inflate float64) (est, lo, hi float64, table binding) {
	var grid []float64
	for x := lamObs - indirectHalfWidth; x <= lamObs+indirectHalfWidth+1e-9; x += indirectStep {
		grid = append(grid, math.Round(x*1e6)/1e6)
	}
	for _, x := range grid {
		table = append(table, m.evaluate(x))
	}
	solveAll := func() (float64, float64, float64) {
		u := table.usable()
		slices.SortFunc(u, func(a, b bindingPoint) int { return cmp.Compare(a.lambda, b.lambda) })
		e := u.solve(func(p bindingPoint) float64 { return p.mean - lamObs }, lamObs)
		l := u.solve(func(p bindingPoint) float64 { return p.mean + 1.96*inflate*p.sd - lamObs }, e)
		h := u.solve(func(p bindingPoint) float64 { return p.mean - 1.96*inflate*p.sd - lamObs }, e)
		if numeric.Finite(e) {
			// The interval ends lie on either side of the estimate.
			if l > e {
				l = math.NaN()
			}
			if h < e {
				h = math.NaN()
			}
		}
		return e, l, h
	}
	est, lo, hi = solveAll()
	// Refine: add the solutions to the table and solve again.
	for _, x := range []float64{est, lo, hi} {
		if numeric.Finite(x) {
			table = append(table, m.evaluate(x))
		}
	}
	est, lo, hi = solveAll()
	slices.SortFunc(table, func(a, b bindingPoint) int { return cmp.Compare(a.lambda, b.lambda) })
	return est, lo, hi, table
}

// designEffect is the variance of the naive λ̂ under a bootstrap of whole
// clusters divided by its variance under a bootstrap of pairs: how much
// pairs that share a synapse (consecutive sessions) inflate the variance
// over what independent pairs, as simulated, would give.
// stop, if set, makes the resamples skip their work (a cancelled run).
func designEffect(w0, w1 []float64, clusters []int32, reps int, seed uint64, workers int, stop func() bool) float64 {
	members := testgeom.ClusterMembers(clusters)
	est := make([]float64, 2*reps)
	parallel.For(2*reps, workers, func(b, _ int) {
		if stop != nil && stop() {
			est[b] = math.NaN()
			return
		}
		rng := splitmix.Stream(seed, streamSimexBoot, uint64(b)|1<<40)
		var b0, b1 []float64
		if b < reps {
			for range w0 {
				j := rng.IntN(len(w0))
				b0, b1 = append(b0, w0[j]), append(b1, w1[j])
			}
		} else {
			for range members {
				for _, j := range members[rng.IntN(len(members))] {
					b0, b1 = append(b0, w0[j]), append(b1, w1[j])
				}
			}
		}
		est[b] = math.NaN()
		if f := testgeom.FitLambda(b0, b1, 1, false); f.OK {
			est[b] = f.LambdaHat
		}
	})
	variance := func(x []float64) float64 {
		var m running
		for _, v := range x {
			if numeric.Finite(v) {
				m.add(v)
			}
		}
		return m.variance()
	}
	return variance(est[reps:]) / variance(est[:reps])
}

// running is the count, mean and sum of squared deviations of values added
// one at a time (Welford's update: the arithmetic of merging one value into
// moments by Chan et al.'s formula, as testgeom does).
type running struct {
	n        int64
	mean, m2 float64
}

func (r *running) add(x float64) {
	r.n++
	d := x - r.mean
	fn := float64(r.n)
	r.mean += d / fn
	r.m2 += d * d * float64(r.n-1) / fn
}

// variance is the unbiased (n − 1) variance.
func (r running) variance() float64 { return r.m2 / float64(r.n-1) }
