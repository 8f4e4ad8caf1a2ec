package fit

import (
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

// PowerNormal is the power-normal (Box–Cox normal) law of Freeman and
// Modarres (2006): the Box–Cox transform y = (x^λ − 1)/λ (log x at λ = 0)
// of the weight is normal with mean Mu and standard deviation Sigma,
// truncated to the range the transform can reach (y > −1/λ for λ > 0,
// y < −1/λ for λ < 0). The density is the exact truncated one,
//
//	f(x) = x^(λ−1) φ((y − μ)/σ) / (σ K),  K = Φ((1 + λμ)/(|λ|σ)),
//
// so CDF, quantile and random draws are consistent with the likelihood.
// K is 1 to within rounding whenever the normal puts negligible mass beyond
// the boundary (the usual case), where the law equals the textbook Box–Cox
// model that ignores the truncation. Lambda = 0 is the log-normal law.
type PowerNormal struct {
	Lambda float64 // λ, the Box–Cox exponent
	Mu     float64 // μ, the mean of the untruncated normal
	Sigma  float64 // σ > 0, its standard deviation
}

// boxCox is (x^λ − 1)/λ from log x, accurate for λ near 0.
func boxCox(lambda, logx float64) float64 {
	if lambda == 0 {
		return logx
	}
	return math.Expm1(lambda*logx) / lambda
}

// bound is the standardised boundary of the transform's range.
func (d PowerNormal) bound() float64 { return (-1/d.Lambda - d.Mu) / d.Sigma }

// logK is the log of the normal mass inside the transform's range.
func (d PowerNormal) logK() float64 {
	if d.Lambda == 0 {
		return 0
	}
	return NormalLogCDF((1 + d.Lambda*d.Mu) / (math.Abs(d.Lambda) * d.Sigma))
}

func (d PowerNormal) z(x float64) float64 {
	return (boxCox(d.Lambda, math.Log(x)) - d.Mu) / d.Sigma
}

// LogProb is the log density at x.
func (d PowerNormal) LogProb(x float64) float64 {
	if x <= 0 || math.IsInf(x, 1) {
		return math.Inf(-1)
	}
	lx := math.Log(x)
	z := (boxCox(d.Lambda, lx) - d.Mu) / d.Sigma
	return -0.5*z*z - math.Log(d.Sigma) - logSqrt2Pi + (d.Lambda-1)*lx - d.logK()
}

// Prob is the density at x.
func (d PowerNormal) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

func (d PowerNormal) logTails(x float64) (float64, float64) {
	if lf, ls, edge := positiveEdge(x); edge {
		return lf, ls
	}
	z := d.z(x)
	lk := d.logK()
	switch {
	case d.Lambda == 0:
		return NormalLogCDF(z), NormalLogSurvival(z)
	case d.Lambda > 0:
		// z − z0 = x^λ/(λσ) exactly, which keeps the mass between the
		// boundary and z accurate when it is tiny.
		z0 := d.bound()
		lf := logNormalMass(z0, z, math.Exp(d.Lambda*math.Log(x))/(d.Lambda*d.Sigma))
		return math.Min(lf-lk, 0), math.Min(NormalLogSurvival(z)-lk, 0)
	}
	// z1 − z = x^λ/(|λ|σ); by symmetry Φ(z1) − Φ(z) = mass(−z1, z1 − z).
	z1 := d.bound()
	ls := logNormalMass(-z1, -z, math.Exp(d.Lambda*math.Log(x))/(-d.Lambda*d.Sigma))
	return math.Min(NormalLogCDF(z)-lk, 0), math.Min(ls-lk, 0)
}

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d PowerNormal) LogCDF(x float64) float64 { f, _ := d.logTails(x); return f }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d PowerNormal) LogSurvival(x float64) float64 { _, s := d.logTails(x); return s }

// CDF is P(X ≤ x).
func (d PowerNormal) CDF(x float64) float64 { return math.Exp(d.LogCDF(x)) }

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d PowerNormal) Survival(x float64) float64 { return math.Exp(d.LogSurvival(x)) }

// fromZ maps a standardised Box–Cox value back to the weight.
func (d PowerNormal) fromZ(z float64) float64 {
	y := d.Mu + d.Sigma*z
	if d.Lambda == 0 {
		return math.Exp(y)
	}
	return math.Exp(math.Log1p(d.Lambda*y) / d.Lambda)
}

// Quantile is the inverse of CDF at p; see Distribution.
func (d PowerNormal) Quantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return 0
	case p == 1:
		return math.Inf(1)
	}
	k := math.Exp(d.logK())
	var z float64
	switch {
	case d.Lambda == 0:
		z = mathext.NormalQuantile(p)
	case d.Lambda > 0:
		lower := NormalCDF(d.bound()) + p*k
		if lower < 0.5 {
			// Adding p·K to Φ(z0) loses the low digits of small p; Newton
			// steps on log F restore them.
			z = mathext.NormalQuantile(lower)
			return polishQuantile(d, p, d.fromZ(z))
		} else {
			z = -mathext.NormalQuantile((1 - p) * k)
		}
	default:
		z = mathext.NormalQuantile(p * k)
	}
	return d.fromZ(z)
}

// Rand draws by rejection from the untruncated normal, which accepts with
// probability K (near 1 in practice), and falls back to inversion when K is
// small.
func (d PowerNormal) Rand(r *rand.Rand) float64 {
	if d.Lambda != 0 && d.logK() > math.Log(0.5) {
		zb := d.bound()
		for {
			z := r.NormFloat64()
			if (d.Lambda > 0 && z > zb) || (d.Lambda < 0 && z < zb) {
				return d.fromZ(z)
			}
		}
	}
	if d.Lambda == 0 {
		return d.fromZ(r.NormFloat64())
	}
	u := r.Float64()
	for u == 0 {
		u = r.Float64()
	}
	return d.Quantile(u)
}

// NumParameters is the number of free parameters.
func (PowerNormal) NumParameters() int { return 3 }

// Params are the parameters with R's names, in the family's order.
func (d PowerNormal) Params() []Param {
	return []Param{{"lambda", d.Lambda}, {"mu", d.Mu}, {"sigma", d.Sigma}}
}

// PowerNormalFamily is the power-normal (Box–Cox normal) family: Newton's
// method with exact derivatives from the log-normal fit (λ = 0), on logs
// centred at their mean. Its λ = 0 is the log-normal family.
func PowerNormalFamily() *Family { return powerNormalFamily }

// powerNormalFamily is the descriptor PowerNormalFamily returns, unexported
// so that no caller can replace it.
var powerNormalFamily = &Family{
	Name: "powernormal", ParamNames: []string{"lambda", "mu", "sigma"}, Positive: true,
	Method:   "Newton with exact derivatives on centred logs from the log-normal fit",
	aliases:  []string{"boxcox", "box-cox"},
	usesLogs: true,
	kinds:    []paramKind{kindFree, kindFree, kindLog},
	build:    func(p []float64) Distribution { return PowerNormal{p[0], p[1], p[2]} },
	mle: func(_ *Family, s *sample) ([]float64, error) {
		if s.sdLog == 0 {
			return nil, errConstant
		}
		if s.distinct3 < 3 {
			return nil, errFewDistinct
		}
		if p, err := powerNormalNewton(s, nil); err == nil {
			return p, nil
		}
		// Where Newton fails, the untruncated Box–Cox profile maximum
		// stands as the estimate.
		return boxCoxProfile(s)
	},
	numeric: true,
	loglik: func(p []float64, s *sample) float64 {
		d := PowerNormal{p[0], p[1], p[2]}
		q := s.sumFn(func(i int) float64 {
			z := (boxCox(d.Lambda, s.logx[i]) - d.Mu) / d.Sigma
			return z * z
		})
		n := float64(s.n)
		return -0.5*q - n*(math.Log(d.Sigma)+logSqrt2Pi+d.logK()) + (d.Lambda-1)*s.sumLog
	},
	info:  powerNormalInfo,
	refit: powerNormalNewton,
	truncRefit: func(f *Family, s *sample, start []float64) ([]float64, error) {
		c := s.meanLog
		toP := func(q []float64) []float64 { return powerNormalFromScaled(q, c) }
		q, err := newtonAnalytic(truncatedDerivs(f, powerNormalDerivs(c), toP, s.lower), s, powerNormalToScaled(start, c), powerNormalValid)
		if err != nil {
			return nil, err
		}
		return toP(q), nil
	},
	nests: logNormalFamily, nestNull: "powernormal lambda = 0",
}

// logNormalMass is log(Φ(b) − Φ(a)) for b = a + h > a, with h given
// separately because it is known more accurately than b − a. When the interval is
// short on the scale of the density's variation it integrates φ directly
// (16-point Gauss–Legendre on e^{−(a u + u²/2)}), so the result keeps full
// relative accuracy however small h is; otherwise it subtracts tails on the
// side where they are small.
func logNormalMass(a, b, h float64) float64 {
	if !(h > 0) {
		return math.Inf(-1)
	}
	if h*math.Max(1, math.Abs(a)+h) < 0.5 {
		v := quad.Fixed(func(u float64) float64 { return math.Exp(-(a*u + u*u/2)) }, 0, h, 16, quad.Legendre{}, 1)
		return -0.5*a*a - logSqrt2Pi + math.Log(v)
	}
	if a > 0 {
		return logDiffExp(NormalLogSurvival(a), NormalLogSurvival(b))
	}
	return logDiffExp(NormalLogCDF(b), NormalLogCDF(a))
}

// The power-normal likelihood is fitted on x/e^c, c = mean(log x): the Box–
// Cox family is closed under rescaling, with
//
//	boxCox(e^c v) = e^{λc} boxCox(v) + boxCox(e^c),
//
// so (λ, μ′, σ′) fitted to v give μ = e^{λc} μ′ + boxCox(λ, c) and
// σ = e^{λc} σ′, the log-likelihoods differ by the constant n·c, and K is
// unchanged. Centred logs keep x^λ in range at any magnitude of the data.

// Power-series coefficients of the Box–Cox derivatives near λl = 0.
var bcC0, bcC1, bcC2 = func() (c0, c1, c2 [11]float64) {
	fact := func(n int) float64 {
		f := 1.0
		for i := 2; i <= n; i++ {
			f *= float64(i)
		}
		return f
	}
	for j := range c0 {
		c0[j] = 1 / fact(j+1)
		c1[j] = float64(j+1) / fact(j+2)
		c2[j] = float64((j+1)*(j+2)) / fact(j+3)
	}
	return
}()

// boxCoxDerivs returns y = (e^{λl} − 1)/λ and its first two derivatives in
// λ, by their power series where the closed forms cancel (|λl| < 0.1).
func boxCoxDerivs(lambda, l float64) (y, y1, y2 float64) {
	a := lambda * l
	if math.Abs(a) < 0.1 {
		// y = l Σ a^j/(j+1)!, y′ = l² Σ (j+1) a^j/(j+2)!,
		// y″ = l³ Σ (j+1)(j+2) a^j/(j+3)!, by Horner from a^10 down
		// (the remainder is below 1e-17 for |a| < 0.1).
		var s0, s1, s2 float64
		for j := len(bcC0) - 1; j >= 0; j-- {
			s0 = s0*a + bcC0[j]
			s1 = s1*a + bcC1[j]
			s2 = s2*a + bcC2[j]
		}
		return l * s0, l * l * s1, l * l * l * s2
	}
	e := math.Exp(a)
	em1 := math.Expm1(a)
	y = em1 / lambda
	n1 := a*e - em1
	y1 = n1 / (lambda * lambda)
	y2 = (a*a*e - 2*n1) / (lambda * lambda * lambda)
	return y, y1, y2
}

// powerNormalDerivs is the log-likelihood of (λ, μ′, σ′) on centred logs
// (the sample's logx minus shift) with its exact derivatives.
func powerNormalDerivs(shift float64) derivsFunc {
	return func(p []float64, s *sample) (float64, []float64, [][]float64) {
		lam, mu, sg := p[0], p[1], p[2]
		r := reduce(s.n, s.workers, 7, func(lo, hi int, acc []float64) {
			var a [7]float64
			for i := lo; i < hi; i++ {
				l := s.logx[i] - shift
				y, y1, y2 := boxCoxDerivs(lam, l)
				d := y - mu
				a[0] += d
				a[1] += d * d
				a[2] += d * y1
				a[3] += y1
				a[4] += y1 * y1
				a[5] += d * y2
				a[6] += l
			}
			copy(acc, a[:])
		})
		n := float64(s.n)
		s2, s3 := sg*sg, sg*sg*sg
		ll := -r[1]/(2*s2) - n*(math.Log(sg)+logSqrt2Pi) + (lam-1)*r[6]
		g := []float64{-r[2]/s2 + r[6], r[0] / s2, r[1]/s3 - n/sg}
		h := [][]float64{
			{-(r[4] + r[5]) / s2, r[3] / s2, 2 * r[2] / s3},
			{r[3] / s2, -n / s2, -2 * r[0] / s3},
			{2 * r[2] / s3, -2 * r[0] / s3, -3*r[1]/(s2*s2) + n/s2},
		}
		// −n log K, K = Φ(w), w = (1 + λμ)/(|λ|σ), by the chain rule with
		// the inverse Mills ratio m = φ(w)/Φ(w) and m′ = −m(w + m).
		if lam != 0 {
			sgn := math.Copysign(1, lam)
			w := (1 + lam*mu) / (math.Abs(lam) * sg)
			lk := NormalLogCDF(w)
			m := math.Exp(-0.5*w*w - logSqrt2Pi - lk)
			m1 := -m * (w + m)
			dw := []float64{-sgn / (lam * lam * sg), sgn / sg, -w / sg}
			d2w := [][]float64{
				{2 * sgn / (lam * lam * lam * sg), 0, sgn / (lam * lam * s2)},
				{0, 0, -sgn / s2},
				{sgn / (lam * lam * s2), -sgn / s2, 2 * w / s2},
			}
			ll -= n * lk
			for i := range g {
				g[i] -= n * m * dw[i]
				for j := range g {
					h[i][j] -= n * (m1*dw[i]*dw[j] + m*d2w[i][j])
				}
			}
		}
		return ll, g, h
	}
}

func powerNormalValid(p []float64) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0) && p[2] > 0 && !math.IsInf(p[2], 0)
}

// powerNormalFromScaled maps (λ, μ′, σ′) on x/e^c to (λ, μ, σ) on x.
func powerNormalFromScaled(q []float64, c float64) []float64 {
	f := math.Exp(q[0] * c)
	return []float64{q[0], f*q[1] + boxCox(q[0], c), f * q[2]}
}

func powerNormalToScaled(p []float64, c float64) []float64 {
	f := math.Exp(p[0] * c)
	return []float64{p[0], (p[1] - boxCox(p[0], c)) / f, p[2] / f}
}

// powerNormalNewton fits by Newton's method with exact derivatives from
// start (natural parameters; nil = the log-normal fit, λ = 0).
func powerNormalNewton(s *sample, start []float64) ([]float64, error) {
	c := s.meanLog
	q0 := []float64{0, 0, s.sdLog}
	if start != nil {
		q0 = powerNormalToScaled(start, c)
	}
	q, err := newtonAnalytic(powerNormalDerivs(c), s, q0, powerNormalValid)
	if err != nil {
		return nil, err
	}
	return powerNormalFromScaled(q, c), nil
}

// powerNormalInfo is the observed information in (λ, μ, σ), from the exact
// one in the centred coordinates q: Cov_p = J Cov_q Jᵀ with J = ∂p/∂q.
func powerNormalInfo(p []float64, s *sample) [][]float64 {
	c := s.meanLog
	q := powerNormalToScaled(p, c)
	_, _, h := powerNormalDerivs(c)(q, s)
	for i := range h {
		for j := range h[i] {
			h[i][j] = -h[i][j]
		}
	}
	covQ, ok := invertSPD(h)
	if !ok {
		return h // not positive definite: the caller reports it
	}
	f := math.Exp(q[0] * c)
	_, dbc, _ := boxCoxDerivs(q[0], c)
	j := [][]float64{
		{1, 0, 0},
		{c*f*q[1] + dbc, f, 0},
		{c * f * q[2], 0, f},
	}
	cov := make([][]float64, 3)
	for a := range cov {
		cov[a] = make([]float64, 3)
		for b := range cov[a] {
			for k := 0; k < 3; k++ {
				for m := 0; m < 3; m++ {
					cov[a][b] += j[a][k] * covQ[k][m] * j[b][m]
				}
			}
		}
	}
	info, ok := invertSPD(cov)
	if !ok {
		return h
	}
	return info
}

// boxCoxProfile maximises the classical Box–Cox profile likelihood
// −n/2 log σ̂²(λ) + (λ − 1) Σ log x (normal errors, truncation ignored, as
// in scipy.stats.boxcox) over λ by golden section and returns (λ, μ̂, σ̂).
func boxCoxProfile(s *sample) ([]float64, error) {
	// Work on x / exp(mean log x) so x^λ stays in range; the fit is mapped
	// back at the end (the Box–Cox family is closed under rescaling).
	c := s.meanLog
	prof := func(lambda float64) (ll, mu, sigma float64) {
		r := reduce(s.n, s.workers, 1, func(lo, hi int, acc []float64) {
			a := 0.0
			for i := lo; i < hi; i++ {
				a += boxCox(lambda, s.logx[i]-c)
			}
			acc[0] = a
		})
		mu = r[0] / float64(s.n)
		r = reduce(s.n, s.workers, 1, func(lo, hi int, acc []float64) {
			a := 0.0
			for i := lo; i < hi; i++ {
				d := boxCox(lambda, s.logx[i]-c) - mu
				a += d * d
			}
			acc[0] = a
		})
		sigma = math.Sqrt(r[0] / float64(s.n))
		ll = -float64(s.n)*math.Log(sigma) + (lambda-1)*(s.sumLog-float64(s.n)*c)
		if math.IsNaN(ll) {
			ll = math.Inf(-1)
		}
		return ll, mu, sigma
	}
	lo, hi := -4.0, 4.0
	for i := 0; i < 6; i++ { // widen while the optimum sits on an edge
		a, _, _ := prof(lo)
		b, _, _ := prof(lo + 0.01)
		if a > b {
			lo -= 4
			continue
		}
		break
	}
	for i := 0; i < 6; i++ {
		a, _, _ := prof(hi)
		b, _, _ := prof(hi - 0.01)
		if a > b {
			hi += 4
			continue
		}
		break
	}
	const invPhi = 0.6180339887498949
	x1, x2 := hi-invPhi*(hi-lo), lo+invPhi*(hi-lo)
	f1, _, _ := prof(x1)
	f2, _, _ := prof(x2)
	for i := 0; i < 200 && hi-lo > 1e-11; i++ {
		if f1 > f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - invPhi*(hi-lo)
			f1, _, _ = prof(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + invPhi*(hi-lo)
			f2, _, _ = prof(x2)
		}
	}
	lambda := 0.5 * (lo + hi)
	_, mu, sigma := prof(lambda)
	// Undo the rescaling: for x = e^c·v, boxCox(x) = e^{λc}·boxCox(v) + boxCox(e^c).
	scale := math.Exp(lambda * c)
	start := []float64{lambda, mu*scale + boxCox(lambda, c), sigma * scale}
	if math.IsNaN(start[1]) || math.IsInf(start[1], 0) || !(start[2] > 0) || math.IsInf(start[2], 0) {
		return nil, errors.New("the Box–Cox transform overflows at the profile optimum")
	}
	return start, nil
}
