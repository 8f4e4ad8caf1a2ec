package fit

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mathext"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// paramKind says how a parameter is mapped to an unbounded, data-scaled
// coordinate for numerical optimisation.
type paramKind int

const (
	kindFree     paramKind = iota // θ = p
	kindLog                       // θ = log p (shapes, df)
	kindLocation                  // θ = (p − mean)/sd
	kindScale                     // θ = log(p/sd)
	kindPosScale                  // θ = log p − mean(log x)
)

// Family is a parametric family that can be fitted to a sample by maximum
// likelihood. Use the package-level values (NormalFamily, …) or Lookup.
type Family struct {
	Name       string   // as accepted by Lookup and shown in results
	ParamNames []string // R's names, in the order of Distribution.Params
	Positive   bool     // support is (0, ∞); zeros and negatives are errors
	usesLogs   bool     // the fit works on log x (computed once per sample)
	Method     string   // how the MLE is found, for the docs and reports

	kinds  []paramKind
	build  func(p []float64) Distribution
	mle    func(s *sample) ([]float64, error)
	loglik func(p []float64, s *sample) float64
	// info is the observed information (minus the Hessian of the
	// log-likelihood) in natural parameters; nil means finite differences.
	info func(p []float64, s *sample) [][]float64
	// refit, for families without a closed form, re-estimates from a
	// nearby start (a bootstrap resample's truth) by Newton's method with
	// exact derivatives; nil means finite-difference Newton.
	refit func(s *sample, start []float64) ([]float64, error)
}

// String returns the family's name.
func (f *Family) String() string { return f.Name }

// NumParameters is the number of free parameters.
func (f *Family) NumParameters() int { return len(f.ParamNames) }

// New returns the family's distribution with the given parameters, in the
// order of ParamNames.
func (f *Family) New(params ...float64) (Distribution, error) {
	if len(params) != len(f.ParamNames) {
		return nil, fmt.Errorf("%s takes %d parameters (%s), got %d", f.Name, len(f.ParamNames), strings.Join(f.ParamNames, ", "), len(params))
	}
	for i, k := range f.kinds {
		v := params[i]
		if math.IsNaN(v) || math.IsInf(v, 0) || (k != kindFree && k != kindLocation && !(v > 0)) {
			return nil, fmt.Errorf("%s: invalid %s = %g", f.Name, f.ParamNames[i], v)
		}
	}
	return f.build(params), nil
}

func (f *Family) toTheta(p []float64, s *sample) []float64 {
	t := make([]float64, len(p))
	for i, k := range f.kinds {
		switch k {
		case kindFree:
			t[i] = p[i]
		case kindLog:
			t[i] = math.Log(p[i])
		case kindLocation:
			t[i] = (p[i] - s.mean) / s.sd
		case kindScale:
			t[i] = math.Log(p[i] / s.sd)
		case kindPosScale:
			t[i] = math.Log(p[i]) - s.meanLog
		}
	}
	return t
}

func (f *Family) fromTheta(t []float64, s *sample, p []float64) {
	for i, k := range f.kinds {
		switch k {
		case kindFree:
			p[i] = t[i]
		case kindLog:
			p[i] = math.Exp(t[i])
		case kindLocation:
			p[i] = s.mean + s.sd*t[i]
		case kindScale:
			p[i] = s.sd * math.Exp(t[i])
		case kindPosScale:
			p[i] = math.Exp(t[i] + s.meanLog)
		}
	}
}

// Families, with R's parameterisations (see the package documentation).
var (
	NormalFamily = &Family{
		Name: "normal", ParamNames: []string{"mean", "sd"}, Method: "closed form",
		kinds: []paramKind{kindLocation, kindScale},
		build: func(p []float64) Distribution { return Normal{p[0], p[1]} },
		mle: func(s *sample) ([]float64, error) {
			if s.sd == 0 {
				return nil, errConstant
			}
			return []float64{s.mean, s.sd}, nil
		},
		loglik: func(p []float64, s *sample) float64 {
			m, sd := p[0], p[1]
			q := s.sumFn(func(i int) float64 { z := (s.x[i] - m) / sd; return z * z })
			return -0.5*q - float64(s.n)*(math.Log(sd)+logSqrt2Pi)
		},
		info: func(p []float64, s *sample) [][]float64 {
			n, sd := float64(s.n), p[1]
			d := (s.mean - p[0]) / sd
			v := (s.sd / sd) * (s.sd / sd)
			return [][]float64{
				{n / (sd * sd), 2 * n * d / sd},
				{2 * n * d / sd, n * (3*(v+d*d) - 1) / (sd * sd)},
			}
		},
	}

	LogNormalFamily = &Family{
		Name: "lognormal", ParamNames: []string{"meanlog", "sdlog"}, Positive: true, usesLogs: true, Method: "closed form",
		kinds: []paramKind{kindFree, kindLog},
		build: func(p []float64) Distribution { return LogNormal{p[0], p[1]} },
		mle: func(s *sample) ([]float64, error) {
			if s.sdLog == 0 {
				return nil, errConstant
			}
			return []float64{s.meanLog, s.sdLog}, nil
		},
		loglik: func(p []float64, s *sample) float64 {
			m, sd := p[0], p[1]
			q := s.sumFn(func(i int) float64 { z := (s.logx[i] - m) / sd; return z * z })
			return -0.5*q - float64(s.n)*(math.Log(sd)+logSqrt2Pi) - s.sumLog
		},
		info: func(p []float64, s *sample) [][]float64 {
			n, sd := float64(s.n), p[1]
			d := (s.meanLog - p[0]) / sd
			v := (s.sdLog / sd) * (s.sdLog / sd)
			return [][]float64{
				{n / (sd * sd), 2 * n * d / sd},
				{2 * n * d / sd, n * (3*(v+d*d) - 1) / (sd * sd)},
			}
		},
	}

	ExponentialFamily = &Family{
		Name: "exponential", ParamNames: []string{"rate"}, Positive: true, Method: "closed form",
		kinds: []paramKind{kindLog},
		build: func(p []float64) Distribution { return Exponential{p[0]} },
		mle: func(s *sample) ([]float64, error) {
			return []float64{1 / s.mean}, nil
		},
		loglik: func(p []float64, s *sample) float64 {
			n := float64(s.n)
			return n*math.Log(p[0]) - p[0]*n*s.mean
		},
		info: func(p []float64, s *sample) [][]float64 {
			return [][]float64{{float64(s.n) / (p[0] * p[0])}}
		},
	}

	GammaFamily = &Family{
		Name: "gamma", ParamNames: []string{"shape", "rate"}, Positive: true, usesLogs: true,
		Method: "Newton on the profile score from sufficient statistics",
		kinds:  []paramKind{kindLog, kindLog},
		build:  func(p []float64) Distribution { return Gamma{p[0], p[1]} },
		mle:    gammaMLE,
		loglik: func(p []float64, s *sample) float64 {
			a, b, n := p[0], p[1], float64(s.n)
			lg, _ := math.Lgamma(a)
			return n*(a*math.Log(b)-lg) + (a-1)*s.sumLog - b*n*s.mean
		},
		info: func(p []float64, s *sample) [][]float64 {
			a, b, n := p[0], p[1], float64(s.n)
			return [][]float64{{n * trigamma(a), -n / b}, {-n / b, n * a / (b * b)}}
		},
	}

	WeibullFamily = &Family{
		Name: "weibull", ParamNames: []string{"shape", "scale"}, Positive: true, usesLogs: true,
		Method: "safeguarded Newton on the profile score in the shape",
		kinds:  []paramKind{kindLog, kindPosScale},
		build:  func(p []float64) Distribution { return Weibull{p[0], p[1]} },
		mle:    weibullMLE,
		loglik: func(p []float64, s *sample) float64 {
			k, ls := p[0], math.Log(p[1])
			t, _, _ := weibullTSums(p[0], p[1], s)
			n := float64(s.n)
			return n*(math.Log(k)-ls) + (k-1)*(s.sumLog-n*ls) - t
		},
		info: weibullInfo,
	}

	LogLogisticFamily = &Family{
		Name: "loglogistic", ParamNames: []string{"shape", "scale"}, Positive: true, usesLogs: true,
		Method: "Newton with exact derivatives (logistic law of log x)",
		kinds:  []paramKind{kindLog, kindPosScale},
		build:  func(p []float64) Distribution { return LogLogistic{p[0], p[1]} },
		info:   logLogisticInfo,
		loglik: func(p []float64, s *sample) float64 {
			k, ls := p[0], math.Log(p[1])
			v := s.sumFn(func(i int) float64 { t := k * (s.logx[i] - ls); return t - 2*softplus(t) })
			return float64(s.n)*math.Log(k) - s.sumLog + v
		},
	}

	InverseGaussianFamily = &Family{
		Name: "invgauss", ParamNames: []string{"mean", "shape"}, Positive: true, usesLogs: true, Method: "closed form",
		kinds: []paramKind{kindPosScale, kindLog},
		build: func(p []float64) Distribution { return InverseGaussian{p[0], p[1]} },
		mle: func(s *sample) ([]float64, error) {
			v := s.invGaussInvShape()
			if v == 0 {
				return nil, errConstant
			}
			return []float64{s.mean, 1 / v}, nil
		},
		loglik: func(p []float64, s *sample) float64 {
			mu, lam, n := p[0], p[1], float64(s.n)
			q := s.sumFn(func(i int) float64 { r := (s.x[i] - mu) / mu; return r * r * (mu / s.x[i]) })
			return 0.5*n*math.Log(lam) - n*logSqrt2Pi - 1.5*s.sumLog - lam*q/(2*mu)
		},
		info: func(p []float64, s *sample) [][]float64 {
			mu, lam, n, xb := p[0], p[1], float64(s.n), s.mean
			c := n * (xb/(mu*mu*mu) - 1/(mu*mu))
			return [][]float64{
				{lam * (3*n*xb/(mu*mu*mu*mu) - 2*n/(mu*mu*mu)), -c},
				{-c, n / (2 * lam * lam)},
			}
		},
	}

	PowerNormalFamily = &Family{
		Name: "powernormal", ParamNames: []string{"lambda", "mu", "sigma"}, Positive: true, usesLogs: true,
		Method: "Newton with exact derivatives on centred logs from the log-normal fit",
		kinds:  []paramKind{kindFree, kindFree, kindLog},
		build:  func(p []float64) Distribution { return PowerNormal{p[0], p[1], p[2]} },
		info:   powerNormalInfo,
		loglik: func(p []float64, s *sample) float64 {
			d := PowerNormal{p[0], p[1], p[2]}
			q := s.sumFn(func(i int) float64 {
				z := (boxCox(d.Lambda, s.logx[i]) - d.Mu) / d.Sigma
				return z * z
			})
			n := float64(s.n)
			return -0.5*q - n*(math.Log(d.Sigma)+logSqrt2Pi+d.logK()) + (d.Lambda-1)*s.sumLog
		},
	}

	StudentTFamily = &Family{
		Name: "student-t", ParamNames: []string{"location", "scale", "df"},
		Method: "Newton with exact derivatives from df = 3 and 30",
		kinds:  []paramKind{kindLocation, kindScale, kindLog},
		build:  func(p []float64) Distribution { return StudentT{p[0], p[1], p[2]} },
		info:   negHessian(studentDerivs),
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
	}

	LaplaceFamily = &Family{
		Name: "laplace", ParamNames: []string{"location", "scale"},
		Method: "closed form (median, mean absolute deviation)",
		kinds:  []paramKind{kindLocation, kindScale},
		build:  func(p []float64) Distribution { return Laplace{p[0], p[1]} },
		mle: func(s *sample) ([]float64, error) {
			m := s.median()
			b := s.sumFn(func(i int) float64 { return math.Abs(s.x[i] - m) }) / float64(s.n)
			if b == 0 {
				return nil, errConstant
			}
			return []float64{m, b}, nil
		},
		loglik: func(p []float64, s *sample) float64 {
			m, b := p[0], p[1]
			a := s.sumFn(func(i int) float64 { return math.Abs(s.x[i] - m) })
			return -a/b - float64(s.n)*math.Log(2*b)
		},
		// The Laplace likelihood is not twice differentiable in the location;
		// the expected information (1/b² for both parameters, per observation)
		// gives the standard errors.
		info: func(p []float64, s *sample) [][]float64 {
			v := float64(s.n) / (p[1] * p[1])
			return [][]float64{{v, 0}, {0, v}}
		},
	}

	LogisticFamily = &Family{
		Name: "logistic", ParamNames: []string{"location", "scale"},
		Method: "Newton with exact derivatives from moment estimates",
		kinds:  []paramKind{kindLocation, kindScale},
		build:  func(p []float64) Distribution { return Logistic{p[0], p[1]} },
		info:   negHessian(logisticDerivs),
		loglik: func(p []float64, s *sample) float64 {
			m, sc := p[0], p[1]
			v := s.sumFn(func(i int) float64 { z := (s.x[i] - m) / sc; return -z - 2*softplus(-z) })
			return v - float64(s.n)*math.Log(sc)
		},
	}
)

// The numerical fits refer to their own family, so they are attached here
// rather than in the literals (which would be an initialisation cycle).
func init() {
	LogLogisticFamily.mle = func(s *sample) ([]float64, error) {
		if s.sdLog == 0 {
			return nil, errConstant
		}
		if p, err := logLogisticViaLogs(s, nil); err == nil {
			return p, nil
		}
		return fitNumeric(LogLogisticFamily, s, []float64{math.Pi / (math.Sqrt(3) * s.sdLog), math.Exp(s.meanLog)})
	}
	LogLogisticFamily.refit = func(s *sample, start []float64) ([]float64, error) {
		return logLogisticViaLogs(s, start)
	}
	StudentTFamily.mle = func(s *sample) ([]float64, error) {
		if s.distinct3 < 3 {
			return nil, errFewDistinct
		}
		// The median starts the location: the mean is unstable for df ≤ 2.
		med := s.median()
		best, bestLL := []float64(nil), math.Inf(-1)
		var lastErr error
		for _, df := range []float64{3, 30} {
			start := []float64{med, s.sd * math.Sqrt((df-2)/df), df}
			p, err := newtonAnalytic(studentDerivs, s, start, studentValid)
			if err != nil || p[2] > maxStudentDF/10 {
				p, err = fitNumeric(StudentTFamily, s, start)
			}
			if err != nil {
				lastErr = err
				continue
			}
			if ll := StudentTFamily.loglik(p, s); ll > bestLL {
				best, bestLL = p, ll
			}
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
	LogisticFamily.mle = func(s *sample) ([]float64, error) {
		if s.sd == 0 {
			return nil, errConstant
		}
		start := []float64{s.mean, s.sd * math.Sqrt(3) / math.Pi}
		if p, err := newtonAnalytic(logisticDerivs, s, start, positiveAfter(1)); err == nil {
			return p, nil
		}
		return fitNumeric(LogisticFamily, s, start)
	}
	LogisticFamily.refit = func(s *sample, start []float64) ([]float64, error) {
		return newtonAnalytic(logisticDerivs, s, start, positiveAfter(1))
	}
	StudentTFamily.refit = func(s *sample, start []float64) ([]float64, error) {
		return newtonAnalytic(studentDerivs, s, start, studentValid)
	}
	PowerNormalFamily.mle = func(s *sample) ([]float64, error) {
		if s.sdLog == 0 {
			return nil, errConstant
		}
		if s.distinct3 < 3 {
			return nil, errFewDistinct
		}
		if p, err := powerNormalNewton(s, nil); err == nil {
			return p, nil
		}
		return powerNormalMLE(s)
	}
	PowerNormalFamily.refit = powerNormalNewton
}

func studentValid(p []float64) bool {
	return positiveAfter(1)(p) && p[2] <= maxStudentDF
}

// negHessian turns exact derivatives into an observed-information function.
func negHessian(d derivsFunc) func(p []float64, s *sample) [][]float64 {
	return func(p []float64, s *sample) [][]float64 {
		_, _, h := d(p, s)
		for i := range h {
			for j := range h[i] {
				h[i][j] = -h[i][j]
			}
		}
		return h
	}
}

// maxStudentDF bounds the Student-t degrees of freedom during the search;
// beyond it the law is a normal one to float64 precision.
const maxStudentDF = 1e7

var (
	errConstant    = errors.New("all values are equal: the scale estimate is zero")
	errFewDistinct = errors.New("fewer than 3 distinct values")
)

// PositiveFamilies are the default candidates for positive data.
func PositiveFamilies() []*Family {
	return []*Family{NormalFamily, LogNormalFamily, GammaFamily, WeibullFamily, ExponentialFamily,
		LogLogisticFamily, InverseGaussianFamily, PowerNormalFamily}
}

// SignedFamilies are the default candidates for data of either sign.
func SignedFamilies() []*Family {
	return []*Family{NormalFamily, StudentTFamily, LaplaceFamily, LogisticFamily}
}

// AllFamilies lists every family.
func AllFamilies() []*Family {
	return append(PositiveFamilies(), StudentTFamily, LaplaceFamily, LogisticFamily)
}

var aliases = map[string]string{
	"norm": "normal", "lnorm": "lognormal", "exp": "exponential", "llogis": "loglogistic",
	"fisk": "loglogistic", "inversegaussian": "invgauss", "inverse-gaussian": "invgauss", "wald": "invgauss",
	"t": "student-t", "studentt": "student-t", "student": "student-t", "boxcox": "powernormal",
	"box-cox": "powernormal", "logis": "logistic", "weibull_min": "weibull", "lognorm": "lognormal",
}

// Lookup returns the family with the given name; R's and scipy's short
// names (norm, lnorm, exp, llogis, t, …) are accepted too.
func Lookup(name string) (*Family, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[key]; ok {
		key = a
	}
	for _, f := range AllFamilies() {
		if f.Name == key {
			return f, nil
		}
	}
	names := make([]string, 0)
	for _, f := range AllFamilies() {
		names = append(names, f.Name)
	}
	return nil, &InputError{Msg: fmt.Sprintf("unknown family %q (known: %s)", name, strings.Join(names, ", "))}
}

// ParseFamilies turns a comma-separated list of names into families.
func ParseFamilies(list string) ([]*Family, error) {
	var out []*Family
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		if strings.TrimSpace(name) == "" {
			continue
		}
		f, err := Lookup(name)
		if err != nil {
			return nil, err
		}
		if !seen[f.Name] {
			seen[f.Name] = true
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, &InputError{Msg: "no family named"}
	}
	return out, nil
}

// InputError is an error caused by the data or the options given, as
// opposed to a failure of the method.
type InputError struct{ Msg string }

// Error returns the message.
func (e *InputError) Error() string { return e.Msg }

// Is makes the error match analysis.ErrInput: it is the caller's input.
func (e *InputError) Is(target error) bool { return inputerr.Is(target) }

func (s *sample) sortedX() []float64 {
	if s.sorted == nil {
		s.sorted = slices.Clone(s.x)
		slices.Sort(s.sorted)
	}
	return s.sorted
}

// median uses the sorted copy when there is one and otherwise selects the
// middle values in linear time.
func (s *sample) median() float64 {
	if s.sorted != nil {
		return medianSorted(s.sorted)
	}
	w := slices.Clone(s.x)
	n := len(w)
	hi := selectKth(w, n/2)
	if n%2 == 1 {
		return hi
	}
	// The lower middle value is the largest of the part left of n/2.
	return slices.Max(w[:n/2])/2 + hi/2
}

// selectKth partially orders w so that w[k] is its k-th smallest value
// (Hoare's quickselect with a median-of-three pivot) and returns it.
func selectKth(w []float64, k int) float64 {
	lo, hi := 0, len(w)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if w[mid] < w[lo] {
			w[mid], w[lo] = w[lo], w[mid]
		}
		if w[hi] < w[lo] {
			w[hi], w[lo] = w[lo], w[hi]
		}
		if w[hi] < w[mid] {
			w[hi], w[mid] = w[mid], w[hi]
		}
		pivot := w[mid]
		i, j := lo, hi
		for i <= j {
			for w[i] < pivot {
				i++
			}
			for w[j] > pivot {
				j--
			}
			if i <= j {
				w[i], w[j] = w[j], w[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return w[k]
		}
	}
	return w[k]
}

func medianSorted(x []float64) float64 {
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return x[n/2-1]/2 + x[n/2]/2
}

// trigamma is ψ′(a), the Hurwitz zeta function ζ(2, a).
func trigamma(a float64) float64 { return mathext.Zeta(2, a) }

// gammaMLE solves log a − ψ(a) = log(mean) − mean(log x) by Newton's method
// on log a from Minka's closed-form start; the rate is then shape/mean.
func gammaMLE(s *sample) ([]float64, error) {
	c := math.Log(s.mean) - s.meanLog
	if !(c > 0) || s.sdLog == 0 {
		return nil, errConstant
	}
	a := (3 - c + math.Sqrt((c-3)*(c-3)+24*c)) / (12 * c)
	for i := 0; i < 100; i++ {
		// g(a) = log a − ψ(a) − c is decreasing and convex in a; Newton in
		// log a converges from either side.
		g := math.Log(a) - mathext.Digamma(a) - c
		dg := 1/a - trigamma(a) // derivative in a
		step := g / (dg * a)    // Newton step in log a
		step = math.Max(math.Min(step, 1), -1)
		a *= math.Exp(-step)
		if math.Abs(step) < 1e-15 {
			break
		}
	}
	if math.IsNaN(a) || math.IsInf(a, 0) || a <= 0 {
		return nil, errors.New("the shape equation has no finite root")
	}
	return []float64{a, a / s.mean}, nil
}

// weibullMLE solves the profile score in the shape k,
//
//	g(k) = Σ x^k log x / Σ x^k − 1/k − mean(log x) = 0,
//
// which is increasing in k, by Newton's method kept inside a bracket (with
// bisection as the fallback). Logs are centred and the exponentials shifted
// by the largest log, so x^k never overflows.
func weibullMLE(s *sample) ([]float64, error) {
	if s.sdLog == 0 {
		return nil, errConstant
	}
	c := s.meanLog
	umax := math.Log(s.max) - c
	sums := func(k float64) (a0, a1, a2 float64) {
		r := reduce(s.n, s.workers, 3, func(lo, hi int, acc []float64) {
			var b0, b1, b2 float64
			for i := lo; i < hi; i++ {
				u := s.logx[i] - c
				e := math.Exp(k * (u - umax))
				b0 += e
				b1 += e * u
				b2 += e * u * u
			}
			acc[0], acc[1], acc[2] = b0, b1, b2
		})
		return r[0], r[1], r[2]
	}
	// Sums at the last k scored: Σ e^{k(u−umax)} and the weighted moments
	// of u under the weights e^{ku}.
	var lastA0, lastM1, lastM2 float64
	score := func(k float64) (g, dg float64) {
		a0, a1, a2 := sums(k)
		m1 := a1 / a0
		lastA0, lastM1, lastM2 = a0, m1, a2/a0
		return m1 - 1/k, a2/a0 - m1*m1 + 1/(k*k)
	}
	k := math.Pi / (math.Sqrt(6) * s.sdLog)
	lo, hi := 0.0, math.Inf(1)
	for i := 0; i < 200; i++ {
		g, dg := score(k)

		if g > 0 {
			hi = k
		} else {
			lo = k
		}
		next := k - g/dg
		if !(next > lo && next < hi) || math.IsNaN(next) {
			if math.IsInf(hi, 1) {
				next = 2 * k
			} else {
				next = 0.5 * (lo + hi)
			}
		}
		if math.Abs(next-k) <= 1e-13*k || g == 0 {
			// Stay at the k just scored (within 1e-13 of the root) and
			// reuse its sum for the scale.
			break
		}
		k = next
	}
	d := umax + math.Log(lastA0/float64(s.n))/k // log(scale) − c
	scale := math.Exp(c + d)
	if math.IsNaN(k) || math.IsInf(k, 0) || !(scale > 0) || math.IsInf(scale, 0) {
		return nil, errors.New("the shape equation has no finite root")
	}
	// With t = (x/scale)^k, the scale makes Σ t = n exactly, and
	// Σ t·log(x/scale) and Σ t·log²(x/scale) follow from the moments above:
	// the log-likelihood and the information need no further pass.
	n := float64(s.n)
	s.weibull = &weibullSums{k: k, scale: scale, s0: n, s1: n * (lastM1 - d), s2: n * (lastM2 - 2*d*lastM1 + d*d)}
	return []float64{k, scale}, nil
}

// weibullSums caches Σ t, Σ t·l and Σ t·l² (t = (x/scale)^shape,
// l = log(x/scale)) at the fitted parameters.
type weibullSums struct{ k, scale, s0, s1, s2 float64 }

// weibullTSums returns the sums at (k, scale), from the cache when the
// parameters are the ones just fitted, otherwise by a pass.
func weibullTSums(k, sc float64, s *sample) (s0, s1, s2 float64) {
	if w := s.weibull; w != nil && w.k == k && w.scale == sc {
		return w.s0, w.s1, w.s2
	}
	ls := math.Log(sc)
	r := reduce(s.n, s.workers, 3, func(lo, hi int, acc []float64) {
		var a0, a1, a2 float64
		for i := lo; i < hi; i++ {
			l := s.logx[i] - ls
			t := math.Exp(k * l)
			a0 += t
			a1 += t * l
			a2 += t * l * l
		}
		acc[0], acc[1], acc[2] = a0, a1, a2
	})
	return r[0], r[1], r[2]
}

// weibullInfo is the analytic observed information of the Weibull
// log-likelihood in (shape, scale).
func weibullInfo(p []float64, s *sample) [][]float64 {
	k, sc := p[0], p[1]
	s0, s1, s2 := weibullTSums(k, sc, s)
	r := []float64{s0, s1, s2}
	n := float64(s.n)
	hkk := -n/(k*k) - r[2]
	hss := n*k/(sc*sc) - k*(k+1)/(sc*sc)*r[0]
	hks := (-n + r[0] + k*r[1]) / sc
	return [][]float64{{-hkk, -hks}, {-hks, -hss}}
}

// powerNormalMLE is the fallback fit of the power-normal: the untruncated
// Box–Cox profile maximum, polished on the exact likelihood by
// finite-difference Newton.
func powerNormalMLE(s *sample) ([]float64, error) {
	start, err := boxCoxProfile(s)
	if err != nil {
		return nil, err
	}
	return start, nil
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
