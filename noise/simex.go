package noise

import (
	"fmt"
	"math"
	"slices"

	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/internal/splitmix"
	"github.com/syngeom/syngeom/testgeom"
)

// SIMEX (Cook & Stefanski 1994): pseudo-data sets with extra noise of
// level ζ are refitted naively, and λ̂(ζ) is extrapolated back to ζ = −1,
// no noise; the interval comes from a bootstrap over synapses of the whole
// procedure (MethodSimex).

func (r *Correction) simex(w0, w1 []float64, lamObs float64, opts Options) {
	d := &SimexDetail{Replicates: opts.Replicates}
	r.Simex = d
	L, B := len(opts.Levels), opts.Replicates
	lams := make([]float64, L*B)
	parallel.For(L*B, opts.Workers, func(k, _ int) {
		if opts.stopped() {
			lams[k] = math.NaN()
			return
		}
		lams[k] = simexFit(w0, w1, r.Noise, opts.Levels[k/B], opts.Seed, 0, uint64(k))
	})
	means, fits := levelMeans(lams, L, B)
	d.Curve = append(d.Curve, SimexPoint{Zeta: 0, LambdaMean: numeric.OrNil(lamObs), Fits: 1})
	for j, z := range opts.Levels {
		d.Curve = append(d.Curve, SimexPoint{Zeta: z, LambdaMean: numeric.OrNil(means[j]), Fits: fits[j]})
		if fits[j] < B {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%d of %d pseudo-data sets at ζ = %g had no λ̂", B-fits[j], B, z))
		}
	}
	coef, lin, ok := extrapolate(lamObs, opts.Levels, means)
	if !ok {
		r.Status = "the extrapolation failed: λ̂ could not be refitted at every noise level"
		r.Verdict = "The noise-corrected estimate failed; the naive estimate stands alone."
		return
	}
	corr := coef[0] - coef[1] + coef[2]
	r.Lambda, r.PHat, d.LinearLambda = numeric.OrNil(corr), numeric.OrNil(corr+1), numeric.OrNil(lin)
	d.Extrapolant = [3]*float64{numeric.OrNil(coef[0]), numeric.OrNil(coef[1]), numeric.OrNil(coef[2])}
	if math.Abs(corr-lin) > 0.5*math.Abs(corr-lamObs)+0.05 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the quadratic (%.3f) and linear (%.3f) extrapolants disagree: the correction is uncertain beyond its interval", corr, lin))
	}
	if opts.Bootstrap > 0 {
		r.bootstrap(w0, w1, opts)
	}
}

// bootstrap reruns the correction on resamples of synapses (or clusters).
func (r *Correction) bootstrap(w0, w1 []float64, opts Options) {
	noise, d := r.Noise, r.Simex
	d.Bootstrap, d.BootReplicates = opts.Bootstrap, opts.BootReplicates
	members := testgeom.ClusterMembers(opts.Clusters)
	if members != nil {
		d.Clustered, d.Clusters = true, len(members)
	}
	L, B := len(opts.Levels), opts.BootReplicates
	est := make([]float64, opts.Bootstrap)
	parallel.For(opts.Bootstrap, opts.Workers, func(b, _ int) {
		est[b] = math.NaN()
		if opts.stopped() {
			return
		}
		rng := splitmix.Stream(opts.Seed, streamSimexBoot, uint64(b))
		var b0, b1 []float64
		if members == nil {
			b0, b1 = make([]float64, len(w0)), make([]float64, len(w0))
			for i := range b0 {
				j := rng.IntN(len(w0))
				b0[i], b1[i] = w0[j], w1[j]
			}
		} else {
			for range members {
				for _, j := range members[rng.IntN(len(members))] {
					b0, b1 = append(b0, w0[j]), append(b1, w1[j])
				}
			}
		}
		est[b] = math.NaN()
		f := testgeom.FitLambda(b0, b1, 1, false)
		if !f.OK {
			return
		}
		lams := make([]float64, L*B)
		for k := range lams {
			if opts.stopped() {
				return
			}
			lams[k] = simexFit(b0, b1, noise, opts.Levels[k/B], opts.Seed, uint64(b+1), uint64(k))
		}
		means, _ := levelMeans(lams, L, B)
		if coef, _, ok := extrapolate(f.LambdaHat, opts.Levels, means); ok {
			est[b] = coef[0] - coef[1] + coef[2]
		}
	})
	good := slices.DeleteFunc(est, func(x float64) bool { return math.IsNaN(x) })
	d.BootFailed = opts.Bootstrap - len(good)
	if len(good) < 2 {
		r.Warnings = append(r.Warnings, "the bootstrap failed: no interval")
		return
	}
	var m, ss float64
	for _, x := range good {
		m += x
	}
	m /= float64(len(good))
	for _, x := range good {
		ss += (x - m) * (x - m)
	}
	se := math.Sqrt(ss / float64(len(good)-1))
	r.LambdaSE = numeric.OrNil(se)
	r.LambdaCI = [2]*float64{numeric.OrNil(*r.Lambda - 1.96*se), numeric.OrNil(*r.Lambda + 1.96*se)}
	if d.BootFailed > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d of %d bootstrap resamples gave no corrected λ̂", d.BootFailed, opts.Bootstrap))
	}
}

// simexFit adds noise of level ζ to a copy of the pairs and returns the
// naive λ̂ (NaN if none). Pseudo-data set k of bootstrap resample boot
// draws from its own stream.
func simexFit(w0, w1 []float64, noise Model, zeta float64, seed, boot, k uint64) float64 {
	rng := splitmix.Stream(seed, streamSimex, boot<<40|k)
	a, b := make([]float64, len(w0)), make([]float64, len(w1))
	for i := range w0 {
		a[i] = noise.addExtra(w0[i], zeta, rng)
		b[i] = noise.addExtra(w1[i], zeta, rng)
	}
	f := testgeom.FitLambda(a, b, 1, false)
	if !f.OK {
		return math.NaN()
	}
	return f.LambdaHat
}

// levelMeans averages the fits of each level, skipping failures.
func levelMeans(lams []float64, levels, reps int) (means []float64, fits []int) {
	means, fits = make([]float64, levels), make([]int, levels)
	for j := range levels {
		var s float64
		for _, x := range lams[j*reps : (j+1)*reps] {
			if !math.IsNaN(x) {
				s += x
				fits[j]++
			}
		}
		means[j] = s / float64(fits[j])
		if fits[j] == 0 {
			means[j] = math.NaN()
		}
	}
	return means, fits
}

// extrapolate fits λ̂(ζ) = a + bζ + cζ² by least squares to ζ = 0 (the
// data) and the levels, and returns the coefficients and the linear
// extrapolant at ζ = −1.
func extrapolate(lam0 float64, levels, means []float64) (coef [3]float64, linear float64, ok bool) {
	z := append([]float64{0}, levels...)
	y := append([]float64{lam0}, means...)
	for _, v := range y {
		if !numeric.Finite(v) {
			return coef, math.NaN(), false
		}
	}
	// Normal equations on centred ζ for stability.
	var zm float64
	for _, v := range z {
		zm += v
	}
	zm /= float64(len(z))
	var s [5]float64
	var t [3]float64
	for i := range z {
		u := z[i] - zm
		p := 1.0
		for k := 0; k < 5; k++ {
			s[k] += p
			if k < 3 {
				t[k] += p * y[i]
			}
			p *= u
		}
	}
	q, okq := solve3([3][3]float64{{s[0], s[1], s[2]}, {s[1], s[2], s[3]}, {s[2], s[3], s[4]}}, t)
	// Back to powers of ζ: a + b(ζ − m) + c(ζ − m)².
	coef = [3]float64{q[0] - q[1]*zm + q[2]*zm*zm, q[1] - 2*q[2]*zm, q[2]}
	lb := (s[0]*t[1] - s[1]*t[0]) / (s[0]*s[2] - s[1]*s[1])
	la := (t[0] - lb*s[1]) / s[0]
	linear = la + lb*(-1-zm)
	return coef, linear, okq && numeric.Finite(coef[0]-coef[1]+coef[2])
}

// solve3 solves a 3×3 linear system by Cramer's rule.
func solve3(a [3][3]float64, b [3]float64) ([3]float64, bool) {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) - m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) + m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(a)
	if d == 0 || !numeric.Finite(d) {
		return [3]float64{}, false
	}
	var x [3]float64
	for c := range 3 {
		m := a
		for r := range 3 {
			m[r][c] = b[r]
		}
		x[c] = det(m) / d
	}
	return x, true
}
