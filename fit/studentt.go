package fit

import (
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// StudentT is Student's t law with location Location, scale Scale and DF
// degrees of freedom (scipy's t(df, loc, scale)).
type StudentT struct {
	Location float64 // the centre (the median)
	Scale    float64 // > 0
	DF       float64 // degrees of freedom ν > 0
}

// LogProb is the log density at x.
func (d StudentT) LogProb(x float64) float64 {
	z := (x - d.Location) / d.Scale
	nu := d.DF
	a, _ := math.Lgamma((nu + 1) / 2)
	b, _ := math.Lgamma(nu / 2)
	return a - b - 0.5*(math.Log(nu)+logPi) - math.Log(d.Scale) - (nu+1)/2*math.Log1p(z*z/nu)
}

// Prob is the density at x.
func (d StudentT) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// lowerTail is P(T < −|z|) = ½ I_{ν/(ν+z²)}(ν/2, ½).
func (d StudentT) lowerTail(z float64) float64 {
	if math.IsInf(z, 0) {
		return 0
	}
	z2 := z * z
	if z2 < d.DF {
		// I_x(a, b) = 1 − I_{1−x}(b, a): better when x is near 1.
		return 0.5 * (1 - mathext.RegIncBeta(0.5, d.DF/2, z2/(d.DF+z2)))
	}
	return 0.5 * mathext.RegIncBeta(d.DF/2, 0.5, d.DF/(d.DF+z2))
}
func (d StudentT) logTails(x float64) (float64, float64) {
	z := (x - d.Location) / d.Scale
	t := d.lowerTail(z)
	if z < 0 {
		return math.Log(t), math.Log1p(-t)
	}
	return math.Log1p(-t), math.Log(t)
}

// CDF is P(X ≤ x).
func (d StudentT) CDF(x float64) float64 {
	z := (x - d.Location) / d.Scale
	if z < 0 {
		return d.lowerTail(z)
	}
	return 1 - d.lowerTail(z)
}

// Survival is P(X > x), computed without 1 − CDF cancellation.
func (d StudentT) Survival(x float64) float64 {
	return StudentT{-d.Location, d.Scale, d.DF}.CDF(-x)
}

// LogCDF is log P(X ≤ x), accurate in the lower tail.
func (d StudentT) LogCDF(x float64) float64 { f, _ := d.logTails(x); return f }

// LogSurvival is log P(X > x), accurate in the upper tail.
func (d StudentT) LogSurvival(x float64) float64 { _, s := d.logTails(x); return s }

// Quantile is the inverse of CDF at p; see Distribution.
func (d StudentT) Quantile(p float64) float64 {
	if !isProb(p) {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: d.Location, Sigma: d.Scale, Nu: d.DF}.Quantile(p)
}

// Rand draws one value using r.
func (d StudentT) Rand(r *rand.Rand) float64 {
	return distuv.StudentsT{Mu: d.Location, Sigma: d.Scale, Nu: d.DF, Src: r}.Rand()
}

// NumParameters is the number of free parameters.
func (StudentT) NumParameters() int { return 3 }

// Params are the parameters with R's names, in the family's order.
func (d StudentT) Params() []Param {
	return []Param{{"location", d.Location}, {"scale", d.Scale}, {"df", d.DF}}
}

// StudentTFamily is the Student-t family with location and scale (scipy's
// t): Newton's method with exact derivatives from df = 3 and df = 30.
// A run stops where df passes maxStudentDF/10, and the fit fails with "df
// diverges" when that run's point is the most likely, or when the fitted
// normal law (the limit as df grows) is at least as likely as the other
// run's end: such data are as light-tailed as a normal law.
func StudentTFamily() *Family { return studentTFamily }

// studentTFamily is the descriptor StudentTFamily returns, unexported so
// that no caller can replace it.
var studentTFamily = &Family{
	Name: "student-t", ParamNames: []string{"location", "scale", "df"},
	Method:  "Newton with exact derivatives from df = 3 and 30",
	aliases: []string{"t", "studentt", "student"},
	kinds:   []paramKind{kindLocation, kindScale, kindLog},
	build:   func(p []float64) Distribution { return StudentT{p[0], p[1], p[2]} },
	mle:     studentMLE,
	numeric: true,
	loglik: func(p []float64, s *sample) float64 {
		m, sc, nu := p[0], p[1], p[2]
		if nu > maxStudentDF {
			return math.Inf(-1)
		}
		q := s.sumFn(func(i int) float64 { z := (s.x[i] - m) / sc; return math.Log1p(z * z / nu) })
		a, _ := math.Lgamma((nu + 1) / 2)
		b, _ := math.Lgamma(nu / 2)
		n := float64(s.n)
		return n*(a-b-0.5*(math.Log(nu)+logPi)-math.Log(sc)) - (nu+1)/2*q
	},
	info: negHessian(studentDerivs),
	refit: func(s *sample, start []float64) ([]float64, error) {
		return newtonAnalytic(studentDerivs, s, start, studentValid)
	},
	truncRefit: func(f *Family, s *sample, start []float64) ([]float64, error) {
		return newtonAnalytic(truncatedDerivs(f, studentDerivs, identity, s.lower), s, start, studentValid)
	},
}

// maxStudentDF bounds the Student-t degrees of freedom during the search;
// beyond it the law is a normal one to float64 precision.
const maxStudentDF = 1e7

// studentMLE tries Newton's method from df = 3 and df = 30 (a numerical
// search where Newton fails) and keeps the better fit. Newton's steps only
// go up the likelihood, so when df runs off past maxStudentDF/10 the
// supremum is the normal limit: the numerical search used to be retried
// then too, and at best stopped early on the flat ridge (df ≈ 10^5 to 10^6
// on normal samples, with a lower likelihood than Newton's point) at about
// three times the cost.
func studentMLE(f *Family, s *sample) ([]float64, error) {
	if s.distinct3 < 3 {
		return nil, errFewDistinct
	}
	// The median starts the location: the mean is unstable for df ≤ 2.
	med := s.median()
	best, bestLL := []float64(nil), math.Inf(-1)
	var lastErr error
	diverged := false
	for _, df := range []float64{3, 30} {
		start := []float64{med, s.sd * math.Sqrt((df-2)/df), df}
		p, err := newtonUntil(studentDerivs, s, start, studentValid, studentDiverged)
		if err != nil {
			p, err = fitNumeric(f, s, start)
		}
		if err != nil {
			lastErr = err
			continue
		}
		diverged = diverged || studentDiverged(p)
		if ll := f.loglik(p, s); ll > bestLL {
			best, bestLL = p, ll
		}
	}
	// A start stopped where df diverged was on its way to the normal limit,
	// whose likelihood is the fitted normal law's: the other start's point
	// is the fit only if it is more likely than that.
	if diverged && best != nil && !studentDiverged(best) && normalLogLik([]float64{s.mean, s.sd}, s, s.x) >= bestLL {
		best[2] = math.Inf(1)
	}
	if best == nil {
		if lastErr == nil {
			lastErr = errors.New("the likelihood is not finite at any estimate found")
		}
		return nil, lastErr
	}
	if best[2] > maxStudentDF/10 {
		return nil, errors.New("df diverges: the sample is as light-tailed as a normal law (fit normal instead)")
	}
	return best, nil
}

// studentDiverged says that Newton's method has taken df past
// maxStudentDF/10, where the fit fails with "df diverges". The method used
// to go on there: on a sample of normal values its steps in df ran on to
// about 2·10^6, where the likelihood is flat to rounding, and its step
// halvings then wandered along the ridge with gains of 1e-12 of the
// likelihood: on 10^5 normal values, 81 evaluations of the derivatives
// from df = 3, 41 of them to pass 10^6 (TestStudentStopsWhereDFDiverges).
func studentDiverged(p []float64) bool { return p[2] > maxStudentDF/10 }

// studentValid accepts a positive scale and df up to maxStudentDF.
func studentValid(p []float64) bool {
	return positiveAfter(1)(p) && p[2] <= maxStudentDF
}

// studentDerivs differentiates the Student-t log-likelihood in (location,
// scale, df).
func studentDerivs(p []float64, s *sample) (float64, []float64, [][]float64) {
	mu, sc, nu := p[0], p[1], p[2]
	r := reduce(s.n, s.workers, 10, func(lo, hi int, acc []float64) {
		var a [10]float64
		for i := lo; i < hi; i++ {
			z := (s.x[i] - mu) / sc
			z2 := z * z
			w := nu + z2
			l := math.Log1p(z2 / nu)
			hz := -(nu + 1) * z / w
			hzz := -(nu + 1) * (nu - z2) / (w * w)
			q := z2 / (nu * w)
			hnu := -l/2 + (nu+1)/2*q
			// d/dν of (ν+1)/2·z²/(ν w) plus d/dν of −log1p(z²/ν)/2.
			hnunu := q/2 + z2/2*(nu*w-(nu+1)*(2*nu+z2))/(nu*nu*w*w)
			hznu := -z * (z2 - 1) / (w * w)
			a[0] += -(nu + 1) / 2 * l
			a[1] += hz
			a[2] += hz * z
			a[3] += hzz
			a[4] += hzz * z
			a[5] += hzz * z2
			a[6] += hnu
			a[7] += hnunu
			a[8] += hznu
			a[9] += hznu * z
		}
		copy(acc, a[:])
	})
	n := float64(s.n)
	lgA, _ := math.Lgamma((nu + 1) / 2)
	lgB, _ := math.Lgamma(nu / 2)
	c := lgA - lgB - 0.5*(math.Log(nu)+logPi)
	c1 := 0.5*mathext.Digamma((nu+1)/2) - 0.5*mathext.Digamma(nu/2) - 1/(2*nu)
	c2 := 0.25*trigamma((nu+1)/2) - 0.25*trigamma(nu/2) + 1/(2*nu*nu)
	s2 := sc * sc
	ll := n*c + r[0] - n*math.Log(sc)
	g := []float64{-r[1] / sc, -r[2]/sc - n/sc, n*c1 + r[6]}
	h := [][]float64{
		{r[3] / s2, (r[4] + r[1]) / s2, -r[8] / sc},
		{(r[4] + r[1]) / s2, (r[5] + 2*r[2] + n) / s2, -r[9] / sc},
		{-r[8] / sc, -r[9] / sc, n*c2 + r[7]},
	}
	return ll, g, h
}
