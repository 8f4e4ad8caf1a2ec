package testgeom

import (
	"math"

	"gonum.org/v1/gonum/optimize"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
)

// The likelihood refinement of the unpaired test. With u_λ the Box–Cox dual
// (as in the paired likelihood), the before sample's duals, smoothed by a
// Gaussian kernel of bandwidth b, stand for the before law; the after
// law in dual space is then that law convolved with N(μ, σ²), a mixture of
// N(u_λ(w0_i) + μ, b² + σ²). The log-likelihood of the after sample in
// weight space is
//
//	ℓ(λ, μ, σ) = Σ_j log f_λ(u_λ(w1_j); μ, σ) + (λ − 1) Σ_j log w1_j,
//
// a proper density of w1 for every λ, so values compare across λ. The
// mixture density is evaluated on a grid by one FFT convolution per (μ, σ)
// and interpolated at the after values. μ and σ are profiled out by
// Nelder–Mead; λ̂ and its 95% interval come from the profile as in the
// paired test. The weights must be positive (u_λ with λ ≤ 0 is only a
// bijection of one half-line).

const refineGrid = 2048

type unpairedLik struct {
	before, after []float64
	sumLogA       float64
}

// silvermanBandwidth is 1.06·sd·n^(−1/5), the normal-reference bandwidth.
func silvermanBandwidth(sd float64, n float64) float64 {
	return 1.06 * sd * math.Pow(n, -0.2)
}

// profile is max over (μ, σ) of ℓ(λ, μ, σ).
func (u *unpairedLik) profile(lambda float64) float64 {
	bc := geometry.BoxCox{Lambda: lambda}
	xb := make([]float64, len(u.before))
	ya := make([]float64, len(u.after))
	for i, w := range u.before {
		xb[i] = bc.Dual(w)
	}
	for i, w := range u.after {
		ya[i] = bc.Dual(w)
	}
	mb, ma := weightedMoments(xb, nil), weightedMoments(ya, nil)
	if !(mb.m2 > 0) || !(ma.m2 > 0) || math.IsInf(mb.max, 0) || math.IsInf(ma.max, 0) {
		return math.NaN()
	}
	sdA, sdB := math.Sqrt(ma.variance()), math.Sqrt(mb.variance())
	bw := silvermanBandwidth(sdB, mb.n)
	mu0 := ma.mean - mb.mean
	margin := 6 * math.Max(sdA, sdB)
	lo := math.Min(mb.min+math.Min(mu0, 0), ma.min) - margin
	hi := math.Max(mb.max+math.Max(mu0, 0), ma.max) + margin
	g := newLawGrid(lo, hi, refineGrid)
	mass := make([]float64, refineGrid)
	tot := g.bin(xb, nil, mass)
	for k := range mass {
		mass[k] /= tot
	}
	conv := newConvolver(g, mass)
	jac := (lambda - 1) * u.sumLogA
	negLL := func(p []float64) float64 {
		mu := mu0 + sdA*p[0]
		sig := sdA * math.Exp(p[1])
		s := math.Sqrt(bw*bw + sig*sig)
		dens := conv.predictedDensity(mu, s)
		ll := 0.0
		for _, y := range ya {
			f := g.interpolate(dens, y)
			ll += math.Log(math.Max(f, 1e-300))
		}
		return -(ll + jac) / ma.n
	}
	s20 := ma.variance() - mb.variance()
	sig0 := math.Sqrt(math.Max(s20, 0.01*sdA*sdA))
	// μ and σ are searched in units of the after sd, so one simplex size
	// suits both.
	res, err := optimize.Minimize(optimize.Problem{Func: negLL}, []float64{0, math.Log(sig0 / sdA)},
		&optimize.Settings{Converger: &optimize.FunctionConverge{Absolute: 1e-6, Iterations: 10}, MajorIterations: 200},
		&optimize.NelderMead{SimplexSize: 0.1})
	if err != nil && res == nil {
		return math.NaN()
	}
	return -res.F * ma.n
}

// refineUnpaired fits the likelihood over (λ, μ, σ) and fills λ̂, its
// interval, the LR tests and each Box–Cox candidate's profile likelihood.
func refineUnpaired(r *UnpairedResult, before, after []float64, opts UnpairedOptions) {
	r.Refined = true
	sign := 0.0
	for _, x := range [][]float64{before, after} {
		for _, w := range x {
			s := math.Copysign(1, w)
			if w == 0 || (sign != 0 && s != sign) {
				r.ProfileStatus = "the likelihood refinement needs nonzero weights of one sign"
				return
			}
			sign = s
		}
	}
	u := &unpairedLik{before: make([]float64, len(before)), after: make([]float64, len(after))}
	for i, w := range before {
		u.before[i] = math.Abs(w)
	}
	for i, w := range after {
		u.after[i] = math.Abs(w)
		u.sumLogA += math.Log(math.Abs(w))
	}
	var grid [profileN]float64
	parallel.For(profileN, opts.Workers, func(k, _ int) {
		if opts.stopped() { // the caller discards the result
			grid[k] = math.NaN()
			return
		}
		grid[k] = u.profile(profileLambda(k))
	})
	if opts.stopped() {
		return
	}
	for k, v := range grid {
		r.Profile = append(r.Profile, ProfilePoint{Lambda: math.Round(profileLambda(k)*10) / 10, LogLik: num(v)})
		if math.IsNaN(v) {
			grid[k] = math.Inf(-1)
		}
	}
	fitP := fitProfile(grid, u.profile, true)
	r.ProfileStatus = fitP.status
	bestL, bestV := -1, math.Inf(-1)
	lls := make([]float64, len(r.Candidates))
	parallel.For(len(r.Candidates), opts.Workers, func(c, _ int) {
		lls[c] = math.NaN()
		if l := r.Candidates[c].Lambda; l != nil && r.Candidates[c].Beta == nil {
			lls[c] = u.profile(*l)
		}
	})
	for c := range r.Candidates {
		r.Candidates[c].LogLik = num(lls[c])
		if !math.IsNaN(lls[c]) && lls[c] > bestV {
			bestL, bestV = c, lls[c]
		}
	}
	if bestL >= 0 {
		r.BestByLikelihood = r.Candidates[bestL].Name
	}
	if !fitP.ok {
		return
	}
	r.LambdaHat, r.PHat = num(fitP.lambdaHat), num(fitP.lambdaHat+1)
	r.LambdaCI = [2]*float64{num(fitP.lo), num(fitP.hi)}
	r.LambdaCIAssumes = unpairedAssumes
	for _, t := range []struct {
		test *LRTest
		lam  float64
	}{{&r.LRTests.Euclidean, 1}, {&r.LRTests.NegativeEntropy, 0}} {
		t.test.Lambda = t.lam
		stat, pv := LikelihoodRatio(fitP.logLikMax, u.profile(t.lam))
		t.test.Stat, t.test.PValue = num(stat), num(pv)
	}
}

// unpairedAssumes is what the interval of the unpaired refinement rests on;
// its coverage under heavy-tailed steps has not been studied.
const unpairedAssumes = "likelihood-ratio interval of a model with a Gaussian dual step and a log-normal before law, fitted to independent samples; " +
	"it is not corrected for non-Gaussian steps and its coverage under heavy-tailed steps has not been measured (the bootstrap percentile interval, when run, is not model-based)"
