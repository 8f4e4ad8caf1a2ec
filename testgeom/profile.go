package testgeom

import (
	"math"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
)

// The likelihood of w1 given w0 under the Box–Cox geometry λ (the likelihood estimate of the geometry):
// with u_λ(w) = sign(w)(|w|^λ − 1)/λ (sign(w)·log|w| at λ = 0) and
// d = u_λ(w1) − u_λ(w0) ~ N(μ, σ²) independently of w0, the density of w1
// is N(d; μ, σ²)·|w1|^(λ−1). Profiling out μ and σ² gives
//
//	ℓ(λ) = −(n/2)(log 2πσ̂²_λ + 1) + (λ − 1) Σ log|w1|,
//
// comparable across λ because of the Jacobian term. Pairs with a zero weight
// are left out (log|w| = −∞). A sign flip is impossible for λ ≤ 0, where
// u_λ maps each half-line onto the whole line, so with any flip ℓ = −∞ there.
// For λ > 0 the pairs that flip use u_λ(w) = sign(w)|w|^λ/λ, the monotone
// dual of the p-norm p = λ + 1 (the constant −1/λ cancels in d for pairs
// that keep their sign, so both forms give the same shifts there).

// profileLogLik turns the moments of the Box–Cox shifts into ℓ. m holds the
// moments of e = λ·d (of d itself at λ = 0).
func profileLogLik(m moments, lambda, sumL1 float64, flips int64) float64 {
	if m.n < 2 || (lambda <= 0 && flips > 0) {
		return math.Inf(-1)
	}
	n := float64(m.n)
	v := m.m2 / n
	if lambda != 0 {
		v /= lambda * lambda
	}
	if !(v > 0) {
		return math.NaN()
	}
	return -n/2*(math.Log(2*math.Pi*v)+1) + (lambda-1)*sumL1
}

// gridLogLik is ℓ on the coarse ladder from the first pass.
func (p *pass1) gridLogLik() [profileN]float64 {
	var ll [profileN]float64
	for k := range ll {
		lam := profileLambda(k)
		ll[k] = profileLogLik(p.grid[k], lam, p.sumL1, p.flips)
	}
	return ll
}

// LogLikAccumulator evaluates the profile log-likelihood ℓ(λ) at one λ in
// a single pass over batches of pairs, for drivers that stream data and
// want the exact evaluation where the passes' grid and fine ladder do not
// reach (SecondPass.SetExact). The pairs are summed in chunks of chunkSize
// counted from the first pair added, whatever the batches, so a shard fed
// in any batches gives the sums of the same pairs in one slice to the bit.
// Accumulators of consecutive shards merge like Scans.
type LogLikAccumulator struct {
	lambda  float64
	workers int
	m       moments
	sumL1   float64
	flips   int64
	part    logLikChunk // the chunk being filled
	partN   int         // its pairs so far
}

// logLikChunk holds the sums of one chunk of pairs.
type logLikChunk struct {
	s     shiftedSums
	sumL1 float64
	flips int64
}

// NewLogLikAccumulator starts an evaluation of ℓ(lambda); workers ≤ 0 uses
// GOMAXPROCS.
func NewLogLikAccumulator(lambda float64, workers int) *LogLikAccumulator {
	return &LogLikAccumulator{lambda: lambda, workers: workerCount(workers)}
}

// Add accumulates a batch, with one exp and one expm1 per pair so that
// small λ keeps full accuracy; whole chunks run in parallel and merge in
// order.
func (a *LogLikAccumulator) Add(w0, w1 []float64) {
	if a.partN > 0 {
		k := min(chunkSize-a.partN, len(w0))
		a.part.add(w0[:k], w1[:k], a.lambda)
		a.partN += k
		w0, w1 = w0[k:], w1[k:]
		if a.partN == chunkSize {
			a.flush()
		}
	}
	whole := len(w0) / chunkSize * chunkSize
	parts := make([]logLikChunk, whole/chunkSize)
	parallel.Chunks(whole, chunkSize, a.workers, func(c, lo, hi, _ int) {
		parts[c].add(w0[lo:hi], w1[lo:hi], a.lambda)
	})
	for c := range parts {
		a.merge(parts[c])
	}
	if whole < len(w0) {
		a.part.add(w0[whole:], w1[whole:], a.lambda)
		a.partN = len(w0) - whole
	}
}

// add sums the pairs of (part of) a chunk.
func (c *logLikChunk) add(w0, w1 []float64, lambda float64) {
	for i := range w0 {
		x0, x1 := w0[i], w1[i]
		if !finite(x0) || !finite(x1) || x0 == 0 || x1 == 0 {
			continue
		}
		s0, s1 := geometry.Sign(x0), geometry.Sign(x1)
		l0, l1 := math.Log(math.Abs(x0)), math.Log(math.Abs(x1))
		c.sumL1 += l1
		var d float64
		switch {
		case s0 != s1:
			c.flips++
			if lambda <= 0 {
				continue
			}
			d = (s1*math.Exp(lambda*l1) - s0*math.Exp(lambda*l0)) / lambda
		case lambda == 0:
			d = s0 * (l1 - l0)
		default:
			d = s0 * math.Exp(lambda*l0) * math.Expm1(lambda*(l1-l0)) / lambda
		}
		c.s.add(d)
	}
}

func (a *LogLikAccumulator) merge(c logLikChunk) {
	a.m.merge(c.s.moments())
	a.sumL1 += c.sumL1
	a.flips += c.flips
}

// flush ends the chunk being filled: a shard's last chunk, or a full one.
func (a *LogLikAccumulator) flush() {
	if a.partN > 0 {
		a.merge(a.part)
	}
	a.part, a.partN = logLikChunk{}, 0
}

// Merge adds the pairs of another accumulator (same λ), a shard that
// follows this one's: each ends its last chunk there, as the passes end a
// shard's.
func (a *LogLikAccumulator) Merge(o *LogLikAccumulator) {
	a.flush()
	o.flush()
	a.m.merge(o.m)
	a.sumL1 += o.sumL1
	a.flips += o.flips
}

// LogLik returns ℓ(λ): −Inf when a pair changes sign and λ ≤ 0, NaN with
// fewer than two usable pairs or no spread. It ends the last chunk, so
// pairs added after it start a new one.
func (a *LogLikAccumulator) LogLik() float64 {
	a.flush()
	if a.lambda <= 0 && a.flips > 0 {
		return math.Inf(-1)
	}
	return logLikOf(a.m, a.lambda, a.sumL1)
}

// logLikOf is ℓ(λ) from the moments m of the shifts d (not of λ·d) and
// Σ log|w1|; NaN with fewer than two pairs or no spread.
func logLikOf(m moments, lambda, sumL1 float64) float64 {
	if m.n < 2 || !(m.m2 > 0) {
		return math.NaN()
	}
	n := float64(m.n)
	return -n/2*(math.Log(2*math.Pi*m.m2/n)+1) + (lambda-1)*sumL1
}

// exactLogLik is ℓ(λ) on in-memory pairs.
func exactLogLik(w0, w1 []float64, lambda float64, workers int) float64 {
	a := NewLogLikAccumulator(lambda, workers)
	a.Add(w0, w1)
	return a.LogLik()
}

// chi2Crit95Half is half the 95% quantile of χ²₁: the likelihood drop that
// bounds a 95% likelihood-ratio interval.
const chi2Crit95Half = 3.841458820694124 / 2

// profileFit is the profile-likelihood estimate of λ.
type profileFit struct {
	lambdaHat, logLikMax float64
	lo, hi               float64 // NaN when unbounded within the search range
	ok                   bool
	status               string
}

// lambdaLimit bounds the search outside the coarse grid.
const lambdaLimit = 10

// fitProfile finds λ̂ and its 95% LR interval: the coarse grid brackets the
// maximum and the two crossings of ℓ̂ − χ²₁,0.95/2; Brent's methods then
// refine them on the exact function f.
func fitProfile(grid [profileN]float64, f func(float64) float64, withCI bool) profileFit {
	f = memoize(f)
	best := -1
	for k, v := range grid {
		if !math.IsNaN(v) && !math.IsInf(v, -1) && (best < 0 || v > grid[best]) {
			best = k
		}
	}
	if best < 0 {
		return profileFit{status: "the likelihood is not finite for any λ on the grid", lo: math.NaN(), hi: math.NaN()}
	}
	// Bracket [a, c] around the maximum, stepping outside the grid if needed.
	a, c := profileLambda(best)-profileStep, profileLambda(best)+profileStep
	b := profileLambda(best)
	fb := grid[best]
	if best == 0 || best == profileN-1 {
		dir := 1.0
		if best == 0 {
			dir = -1
		}
		for {
			next := b + dir*0.5
			if math.Abs(next) > lambdaLimit {
				return profileFit{status: "the likelihood keeps increasing towards the search limit |λ| = 10", lo: math.NaN(), hi: math.NaN()}
			}
			fn := f(next)
			if !(fn > fb) {
				a, c = math.Min(b-0.5, next), math.Max(b+0.5, next)
				if dir > 0 {
					a = b - profileStep
				} else {
					c = b + profileStep
				}
				break
			}
			b, fb = next, fn
		}
	}
	var lhat float64
	if best > 0 && best < profileN-1 {
		// Locate the maximum on the cubic interpolant of the grid (free),
		// then confirm and polish it on the exact function in a small bracket.
		interp := gridInterpolator(grid)
		lhat = refineMax(f, brentMax(interp, a, c, math.NaN(), 1e-9), a, c)
	} else {
		lhat = brentMax(f, a, c, math.NaN(), profileTol)
	}
	lmax := f(lhat)
	if fb > lmax { // guard: Brent converged to the bracket edge
		lhat, lmax = b, fb
	}
	target := lmax - chi2Crit95Half
	g := func(x float64) float64 { return f(x) - target }
	fit := profileFit{lambdaHat: lhat, logLikMax: lmax, ok: true, status: StatusOK, lo: math.NaN(), hi: math.NaN()}
	if !withCI {
		return fit
	}
	se := CurvatureSE(f, lhat, lmax)
	fit.lo = crossing(grid, g, lhat, -1, target, se)
	fit.hi = crossing(grid, g, lhat, +1, target, se)
	if math.IsNaN(fit.lo) || math.IsNaN(fit.hi) {
		fit.status = "the 95% interval is unbounded within |λ| ≤ 10"
	}
	return fit
}

// profileTol is the accuracy of λ̂ and of the interval ends.
const profileTol = 1e-6

// memoize caches f: the searches revisit bracket ends, and on the exact
// likelihood every call is a pass over the data.
func memoize(f func(float64) float64) func(float64) float64 {
	seen := map[float64]float64{}
	return func(x float64) float64 {
		if v, ok := seen[x]; ok {
			return v
		}
		v := f(x)
		seen[x] = v
		return v
	}
}

// refineMax polishes a guess x0 of the maximiser of f in [a, c]: it walks
// uphill from x0 in doubling steps until f falls again, then runs Brent's
// method from the best point inside that bracket.
func refineMax(f func(float64) float64, x0, a, c float64) float64 {
	clamp := func(x float64) float64 { return math.Max(a, math.Min(c, x)) }
	h := 2e-3
	f0 := f(x0)
	up := clamp(x0 + h)
	if f(up) < f0 {
		down := clamp(x0 - h)
		if f(down) < f0 {
			return brentMax(f, down, up, x0, profileTol)
		}
		h = -h
	}
	prev, mid := x0, clamp(x0+h)
	for {
		h *= 2
		next := clamp(mid + h)
		if next == mid || f(next) < f(mid) {
			return brentMax(f, math.Min(prev, next), math.Max(prev, next), mid, profileTol)
		}
		prev, mid = mid, next
	}
}

// CurvatureSE is the standard error 1/√(−ℓ″(λ̂)) of the maximum lmax of a
// profile log-likelihood f at lhat, from a central second difference; NaN
// if f is not concave there.
func CurvatureSE(f func(float64) float64, lhat, lmax float64) float64 {
	const d = 1e-3
	c := (f(lhat+d) + f(lhat-d) - 2*lmax) / (d * d)
	if !(c < 0) {
		return math.NaN()
	}
	return 1 / math.Sqrt(-c)
}

// crossing finds where ℓ falls to target on one side of λ̂.
func crossing(grid [profileN]float64, g func(float64) float64, lhat, dir, target, se float64) float64 {
	// Near λ̂ the profile is close to a parabola, so ℓ̂ − 1.92 is reached
	// near λ̂ ± 1.96·SE: try a tight bracket around that first.
	if se > 0 {
		in, out := lhat+dir*0.8*1.96*se, lhat+dir*1.25*1.96*se
		if g(in) >= 0 && g(out) < 0 {
			return brentRoot(g, in, out, profileTol)
		}
	}
	inner := lhat
	outer := math.NaN()
	// Walk the grid outwards from λ̂.
	k := int(math.Floor((lhat)/profileStep)) + profileZero
	if dir > 0 {
		k++
	}
	for ; k >= 0 && k < profileN; k += int(dir) {
		lam := profileLambda(k)
		if (lam-lhat)*dir <= 0 {
			continue
		}
		if grid[k] < target || math.IsInf(grid[k], -1) {
			outer = lam
			break
		}
		inner = lam
	}
	if math.IsNaN(outer) {
		for x := inner + dir*0.5; math.Abs(x) <= lambdaLimit; x += dir * 0.5 {
			if v := g(x); v < 0 || math.IsInf(v, -1) {
				outer = x
				break
			}
			inner = x
		}
		if math.IsNaN(outer) {
			return math.NaN()
		}
	}
	if g(inner) < 0 { // the grid and the exact function disagree near λ̂
		inner = lhat
	}
	// A guess from the interpolated grid gives a small exact bracket.
	interp := gridInterpolator(grid)
	gIn, gOut := interp(inner)-target, interp(outer)-target
	if finite(gIn) && finite(gOut) && gIn >= 0 && gOut < 0 {
		{
			r := brentRoot(func(x float64) float64 { return interp(x) - target }, inner, outer, 1e-9)
			const h = 2e-3
			in, out := r-dir*h, r+dir*h
			if (in-inner)*dir < 0 {
				in = inner
			}
			if (outer-out)*dir < 0 {
				out = outer
			}
			if g(in) >= 0 && g(out) < 0 {
				return brentRoot(g, in, out, profileTol)
			}
		}
	}
	return brentRoot(g, inner, outer, profileTol)
}

// brentMax maximises f on [a, b] by Brent's method (golden section with
// parabolic steps), to absolute tolerance tol in x, starting from x0 (NaN:
// the golden-section point).
func brentMax(f func(float64) float64, a, b, x0, tol float64) float64 {
	x := a + cgold*(b-a)
	if x0 > a && x0 < b {
		x = x0
	}
	w, v := x, x
	fx := -f(x)
	fw, fv := fx, fx
	var d, e float64
	for iter := 0; iter < 100; iter++ {
		m := (a + b) / 2
		tol1 := tol + 1e-10*math.Abs(x)
		tol2 := 2 * tol1
		if math.Abs(x-m) <= tol2-(b-a)/2 {
			break
		}
		if math.Abs(e) > tol1 {
			r := (x - w) * (fx - fv)
			q := (x - v) * (fx - fw)
			p := (x-v)*q - (x-w)*r
			q = 2 * (q - r)
			if q > 0 {
				p = -p
			}
			q = math.Abs(q)
			if math.Abs(p) < math.Abs(q*e/2) && p > q*(a-x) && p < q*(b-x) {
				e, d = d, p/q
				if u := x + d; u-a < tol2 || b-u < tol2 {
					d = math.Copysign(tol1, m-x)
				}
			} else {
				e, d = goldenStep(x, m, a, b)
			}
		} else {
			e, d = goldenStep(x, m, a, b)
		}
		u := x + d
		if math.Abs(d) < tol1 {
			u = x + math.Copysign(tol1, d)
		}
		fu := -f(u)
		if math.IsNaN(fu) {
			fu = math.Inf(1)
		}
		if fu <= fx {
			if u >= x {
				a = x
			} else {
				b = x
			}
			v, fv, w, fw, x, fx = w, fw, x, fx, u, fu
		} else {
			if u < x {
				a = u
			} else {
				b = u
			}
			if fu <= fw || w == x {
				v, fv, w, fw = w, fw, u, fu
			} else if fu <= fv || v == x || v == w {
				v, fv = u, fu
			}
		}
	}
	return x
}

// cgold is (3 − √5)/2, the golden-section fraction.
const cgold = 0.3819660112501051

// goldenStep is Brent's golden-section step from x into the larger of the
// intervals [a, x] and [x, b] (m their midpoint): the step d and the e
// the next parabolic step is measured against.
func goldenStep(x, m, a, b float64) (e, d float64) {
	if x >= m {
		e = a - x
	} else {
		e = b - x
	}
	return e, cgold * e
}

// brentRoot finds a root of g between a and b, where g(a) ≥ 0 > g(b) (g may
// be −Inf at b), by Brent's method with bisection as the safeguard.
func brentRoot(g func(float64) float64, a, b, tol float64) float64 {
	fa, fb := g(a), g(b)
	if math.IsInf(fb, -1) {
		// Bisect until the far end is finite, keeping the sign change.
		for i := 0; i < 60 && math.IsInf(fb, -1); i++ {
			m := (a + b) / 2
			fm := g(m)
			if fm >= 0 {
				a, fa = m, fm
			} else {
				b, fb = m, fm
			}
		}
		if math.IsInf(fb, -1) {
			return b
		}
	}
	c, fc := a, fa
	d := b - a
	e := d
	for iter := 0; iter < 100; iter++ {
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol1 := 2*2.2e-16*math.Abs(b) + tol/2
		xm := (c - b) / 2
		if math.Abs(xm) <= tol1 || fb == 0 {
			return b
		}
		if math.Abs(e) >= tol1 && math.Abs(fa) > math.Abs(fb) {
			s := fb / fa
			var p, q float64
			if a == c {
				p = 2 * xm * s
				q = 1 - s
			} else {
				q0 := fa / fc
				r := fb / fc
				p = s * (2*xm*q0*(q0-r) - (b-a)*(r-1))
				q = (q0 - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			}
			p = math.Abs(p)
			if 2*p < math.Min(3*xm*q-math.Abs(tol1*q), math.Abs(e*q)) {
				e, d = d, p/q
			} else {
				d, e = xm, xm
			}
		} else {
			d, e = xm, xm
		}
		a, fa = b, fb
		if math.Abs(d) > tol1 {
			b += d
		} else {
			b += math.Copysign(tol1, xm)
		}
		fb = g(b)
		if math.IsInf(fb, -1) {
			fb = -math.MaxFloat64
		}
	}
	return b
}

// LikelihoodRatio tests λ = λ0 against the profile maximum: from the
// maximum lmax and the profile's value l0 at λ0 it returns the statistic
// 2(lmax − l0) (at least 0) and its χ²₁ p-value; +Inf and 0 when l0 is −∞
// (λ0 impossible, as λ ≤ 0 is for pairs that change sign).
func LikelihoodRatio(lmax, l0 float64) (stat, p float64) {
	if math.IsInf(l0, -1) {
		return math.Inf(1), 0
	}
	stat = math.Max(0, 2*(lmax-l0))
	return stat, math.Erfc(math.Sqrt(stat / 2))
}

// likPairs hold the likelihood set of in-memory pairs reduced to what ℓ(λ)
// needs, so that each exact evaluation costs one exp and one expm1 per pair
// instead of also two logs. code is 0 for a pair left out, ±1 for a pair
// keeping the sign ±1 of w0 and ±2 for a pair changing sign from ±1.
type likPairs struct {
	l0, l1  []float64
	code    []int8
	sumL1   float64
	flips   int64
	workers int
}

func newLikPairs(w0, w1 []float64, workers int) *likPairs {
	n := len(w0)
	p := &likPairs{l0: make([]float64, n), l1: make([]float64, n), code: make([]int8, n), workers: workers}
	nc := (n + chunkSize - 1) / chunkSize
	sums := make([]float64, nc)
	flips := make([]int64, nc)
	parallel.Chunks(n, chunkSize, workers, func(c, lo, hi, _ int) {
		for i := lo; i < hi; i++ {
			x0, x1 := w0[i], w1[i]
			if !finite(x0) || !finite(x1) || x0 == 0 || x1 == 0 {
				continue
			}
			p.l0[i], p.l1[i] = math.Log(math.Abs(x0)), math.Log(math.Abs(x1))
			sums[c] += p.l1[i]
			code := int8(geometry.Sign(x0))
			if geometry.Sign(x1) != geometry.Sign(x0) {
				code *= 2
				flips[c]++
			}
			p.code[i] = code
		}
	})
	for c := range sums {
		p.sumL1 += sums[c]
		p.flips += flips[c]
	}
	return p
}

// logLik is ℓ(λ), equal to LogLikelihood on the original pairs.
func (p *likPairs) logLik(lambda float64) float64 {
	if lambda <= 0 && p.flips > 0 {
		return math.Inf(-1)
	}
	return logLikOf(p.shiftMoments(lambda), lambda, p.sumL1)
}

// shiftMoments are the moments of the Box–Cox shifts d at λ of the pairs
// in the likelihood.
func (p *likPairs) shiftMoments(lambda float64) moments {
	n := len(p.code)
	parts := make([]moments, (n+chunkSize-1)/chunkSize)
	parallel.Chunks(n, chunkSize, p.workers, func(c, lo, hi, _ int) {
		var s shiftedSums
		for i := lo; i < hi; i++ {
			var d float64
			switch code := p.code[i]; {
			case code == 0:
				continue
			case code == 1 || code == -1:
				if lambda == 0 {
					d = float64(code) * (p.l1[i] - p.l0[i])
				} else {
					d = float64(code) * math.Exp(lambda*p.l0[i]) * math.Expm1(lambda*(p.l1[i]-p.l0[i])) / lambda
				}
			default:
				s0 := float64(code / 2)
				d = (-s0*math.Exp(lambda*p.l1[i]) - s0*math.Exp(lambda*p.l0[i])) / lambda
			}
			s.add(d)
		}
		parts[c] = s.moments()
	})
	var m moments
	for _, part := range parts {
		m.merge(part)
	}
	return m
}
