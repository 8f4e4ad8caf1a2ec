package fit

import (
	"errors"
	"fmt"
	"math"
)

// Estimate is a maximum-likelihood fit of one family to one sample.
type Estimate struct {
	Family *Family      // the family fitted
	Dist   Distribution // the fitted law, untruncated
	Params []float64    // in the order of Family.ParamNames
	// Cov is the inverse observed information; nil (with SE nil) when the
	// information matrix is not positive definite.
	Cov    [][]float64
	SE     []float64 // standard errors, √ of Cov's diagonal
	LogLik float64   // conditional on x ≥ the truncation point when truncated
	N      int       // the number of values fitted
	// Truncated fits condition on x ≥ Lower.
	Truncated bool
	Lower     float64  // the truncation point, when Truncated
	Notes     []string // caveats, e.g. why there are no standard errors
}

// EstimateOptions control a single fit (Family.Fit, which returns an
// Estimate).
type EstimateOptions struct {
	// TruncateBelow, when set, fits the law of x given x ≥ *TruncateBelow
	// (a detection limit): the likelihood is f(x)/S(L). Values below L are
	// an input error.
	TruncateBelow *float64
	// Workers bounds the goroutines of the per-element passes (0 = GOMAXPROCS).
	// Results do not depend on it.
	Workers int
}

// Fit fits the family to x by maximum likelihood, with standard errors
// from the observed information. Errors for data the family cannot use
// (too few values, zeros for a positive family, constant data) are plain
// errors; non-finite values and values below the truncation point are
// InputErrors.
func (f *Family) Fit(x []float64, opts EstimateOptions) (*Estimate, error) {
	if err := checkData(x, opts.TruncateBelow); err != nil {
		return nil, err
	}
	s := newSample(x, opts.Workers)
	if opts.TruncateBelow != nil {
		s.truncated, s.lower = true, *opts.TruncateBelow
	}
	e, err := f.fitSample(s, nil)
	if err != nil {
		return nil, err
	}
	f.withCovariance(e, s)
	return e, nil
}

// checkData rejects what no family can use: non-finite values and values
// below the truncation point.
func checkData(x []float64, lower *float64) error {
	below := 0
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &InputError{Msg: fmt.Sprintf("value %d is %g: drop missing and infinite values before fitting", i+1, v)}
		}
		if lower != nil && v < *lower {
			below++
		}
	}
	if lower != nil {
		if math.IsNaN(*lower) || math.IsInf(*lower, 0) {
			return &InputError{Msg: fmt.Sprintf("truncation point %g is not finite", *lower)}
		}
		if below > 0 {
			return &InputError{Msg: fmt.Sprintf("%d values are below the truncation point %g: a detection limit must be at or below every measured value", below, *lower)}
		}
	}
	return nil
}

// fitSample fits on a prepared sample. start, when given, is a nearby
// parameter vector (the truth of a parametric-bootstrap resample): families
// without a closed form then skip the global search.
func (f *Family) fitSample(s *sample, start []float64) (*Estimate, error) {
	p, err := f.estimate(s, start)
	if err != nil {
		return nil, err
	}
	e := &Estimate{Family: f, Dist: f.build(p), Params: p, N: s.n, Truncated: s.truncated, Lower: s.lower}
	e.LogLik = f.logLik(p, s)
	if math.IsNaN(e.LogLik) || math.IsInf(e.LogLik, 0) {
		return nil, fmt.Errorf("the log-likelihood at the estimate is %g", e.LogLik)
	}
	return e, nil
}

// estimate returns the maximum-likelihood parameters, or why there are none.
func (f *Family) estimate(s *sample, start []float64) ([]float64, error) {
	k := f.NumParameters()
	switch {
	case s.n == 0:
		return nil, errors.New("no data")
	case f.Positive && s.nonPositive > 0:
		return nil, fmt.Errorf("needs positive values; %d of %d are zero or negative", s.nonPositive, s.n)
	case f.Positive && s.truncated && s.lower < 0:
		return nil, fmt.Errorf("truncation point %g is below the support (0, ∞)", s.lower)
	case s.n < k:
		return nil, fmt.Errorf("needs at least %d values, has %d", k, s.n)
	case k >= 2 && s.distinct3 < 2:
		return nil, errConstant
	}
	if f.usesLogs {
		s.ensureLogs()
	}
	var p []float64
	var err error
	switch {
	case start != nil && s.truncated && f.truncRefit != nil:
		p, err = f.truncRefit(f, s, start)
		if err != nil {
			p, err = polishNumeric(f, s, start)
		}
	case start != nil && f.refit != nil && !s.truncated:
		p, err = f.refit(s, start)
		if err != nil {
			p, err = polishNumeric(f, s, start)
		}
	case start != nil && (f.numeric || s.truncated):
		p, err = polishNumeric(f, s, start)
	default:
		p, err = f.mle(f, s)
		if err == nil && s.truncated {
			p, err = fitNumeric(f, s, p)
		}
	}
	if err != nil {
		return nil, err
	}
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("the estimate of %s is %g", f.ParamNames[i], v)
		}
	}
	return p, nil
}

// withCovariance adds the covariance and standard errors from the observed
// information.
func (f *Family) withCovariance(e *Estimate, s *sample) {
	var info [][]float64
	if f.info != nil && !s.truncated {
		info = f.info(e.Params, s)
	} else {
		// Finite differences in the optimisation coordinates θ, mapped to
		// natural parameters with the diagonal Jacobian D = dp/dθ: at the
		// optimum the Hessian in p is D⁻¹ H_θ D⁻¹.
		obj := f.objective(s)
		th := f.toTheta(e.Params, s)
		h := fdHessian(obj, th, 1e-4)
		d := f.jacobian(e.Params, s)
		n := float64(s.n)
		info = make([][]float64, len(h))
		for i := range h {
			info[i] = make([]float64, len(h))
			for j := range h {
				info[i][j] = n * h[i][j] / (d[i] * d[j])
			}
		}
	}
	cov, ok := invertSPD(info)
	if !ok {
		e.Notes = append(e.Notes, "the observed information is not positive definite: no standard errors")
		return
	}
	e.Cov = cov
	e.SE = make([]float64, len(cov))
	for i := range cov {
		e.SE[i] = math.Sqrt(cov[i][i])
	}
}

// jacobian is the diagonal of dp/dθ, the derivatives of the natural
// parameters in the optimisation coordinates.
func (f *Family) jacobian(p []float64, s *sample) []float64 {
	d := make([]float64, len(p))
	for i, k := range f.kinds {
		switch k {
		case kindFree:
			d[i] = 1
		case kindLocation:
			d[i] = s.sd
		default:
			d[i] = p[i]
		}
	}
	return d
}

// logLik is the log-likelihood, conditional on x ≥ lower when truncated.
// Truncated fits are numerical, so their many evaluations take the
// log-likelihood from the sufficient statistics where the family has them.
func (f *Family) logLik(p []float64, s *sample) float64 {
	if !s.truncated {
		return f.loglik(p, s)
	}
	return f.statLogLik(p, s) - float64(s.n)*f.build(p).LogSurvival(s.lower)
}

// statLogLik is the untruncated log-likelihood, from the sufficient
// statistics where the family has them.
func (f *Family) statLogLik(p []float64, s *sample) float64 {
	if f.summary != nil {
		return f.summary(p, s)
	}
	return f.loglik(p, s)
}

// objective is the mean negative log-likelihood in θ coordinates.
func (f *Family) objective(s *sample) objective {
	p := make([]float64, f.NumParameters())
	n := float64(s.n)
	return func(t []float64) float64 {
		f.fromTheta(t, s, p)
		for i, k := range f.kinds {
			if math.IsNaN(p[i]) || math.IsInf(p[i], 0) || (k != kindFree && k != kindLocation && !(p[i] > 0)) {
				return math.Inf(1)
			}
		}
		v := -f.logLik(p, s) / n
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
}

// numericSearchN is the sample size above which the global (Nelder–Mead)
// search runs on an evenly strided subsample; Newton then polishes on all
// the data.
const numericSearchN = 20_000

// fitNumeric maximises the likelihood from start by a global search and
// Newton polishing.
func fitNumeric(f *Family, s *sample, start []float64) ([]float64, error) {
	searchOn := s
	if s.n > numericSearchN {
		stride := s.n / numericSearchN
		sub := make([]float64, 0, numericSearchN+1)
		for i := 0; i < s.n; i += stride {
			sub = append(sub, s.x[i])
		}
		searchOn = newSample(sub, s.workers)
		searchOn.truncated, searchOn.lower = s.truncated, s.lower
		if f.usesLogs {
			searchOn.ensureLogs()
		}
	}
	th, err := minimize(f.objective(searchOn), f.toTheta(start, searchOn), false)
	if err != nil {
		return nil, err
	}
	p := make([]float64, len(start))
	f.fromTheta(th, searchOn, p)
	if searchOn != s {
		return polishNumeric(f, s, p)
	}
	return p, nil
}

// polishNumeric runs Newton's method from a start close to the optimum.
// A sample that carries the Hessian of a nearby fit (refits of the
// bootstrap) reuses it and needs only gradients.
func polishNumeric(f *Family, s *sample, start []float64) ([]float64, error) {
	if s.nearHessian != nil {
		if th, ok := newtonFixed(f.objective(s), f.toTheta(start, s), s.nearHessian); ok {
			p := make([]float64, len(start))
			f.fromTheta(th, s, p)
			return p, nil
		}
	}
	th, err := minimize(f.objective(s), f.toTheta(start, s), true)
	if err != nil {
		return nil, err
	}
	p := make([]float64, len(start))
	f.fromTheta(th, s, p)
	return p, nil
}
