package fit

import (
	"errors"
	"fmt"
	"math"
	"strings"

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
// likelihood: the descriptor of a law, its estimator and its derivatives.
// Get one from the package's functions (NormalFamily, GammaFamily, …;
// AllFamilies lists them), Lookup or ParseFamilySet; a Family cannot be
// built outside the package. Each family has one descriptor, shared by all
// callers: its exported fields are for reading.
type Family struct {
	Name       string   // as accepted by Lookup and shown in results
	ParamNames []string // R's names, in the order of Distribution.Params
	Positive   bool     // support is (0, ∞); zeros and negatives are errors
	Method     string   // how the MLE is found, for the docs and reports

	// The fields below say everything the fitting code may assume of a
	// family, so that it never asks which family it holds. Each family's
	// file (normal.go, gamma.go, …) fills them in its descriptor.

	// aliases are other names Lookup accepts (R's and scipy's).
	aliases []string
	// alsoPositive puts a family of the real line among the default
	// candidates for positive data (PositiveFamilies): the normal.
	alsoPositive bool
	// usesLogs: the fit works on log x (computed once per sample).
	usesLogs bool
	// kinds map the parameters to optimisation coordinates (toTheta).
	kinds []paramKind
	build func(p []float64) Distribution
	// mle is the maximum-likelihood estimate; it receives its own
	// descriptor so that numerical fits can fall back on fitNumeric.
	mle func(f *Family, s *sample) ([]float64, error)
	// numeric: mle is an iterative search, so a bootstrap refit starts at
	// the fit it resamples (refit, or finite-difference Newton) instead
	// of searching again.
	numeric bool
	loglik  func(p []float64, s *sample) float64
	// summary, when set, is the log-likelihood from the sufficient
	// statistics of sample alone (n, mean, sd, meanLog, sdLog, sumLog),
	// and says that mle and info need no more: FitSummary fits such
	// families, and truncated fits evaluate it instead of loglik.
	summary func(p []float64, s *sample) float64
	// info is the observed information (minus the Hessian of the
	// log-likelihood) in natural parameters; nil means finite differences.
	info func(p []float64, s *sample) [][]float64
	// refit, for families without a closed form, re-estimates from a
	// nearby start (a bootstrap resample's truth) by Newton's method with
	// exact derivatives; nil means finite-difference Newton.
	refit func(s *sample, start []float64) ([]float64, error)
	// truncRefit does the same for a truncated fit, with the exact
	// derivatives of the untruncated part (truncatedDerivs); nil means
	// finite-difference Newton.
	truncRefit func(f *Family, s *sample, start []float64) ([]float64, error)
	// limit describes the law a truncated fit tends to when it keeps
	// almost none of the parent's mass (logMass = log S(lower) <
	// minKeptLogMass); nil gives the generic description of a far tail.
	limit func(e *Estimate, lower, logMass float64) string
	// nests is the family this one reduces to at the parameter value
	// nestNull (exponential ⊂ gamma): the pair gets a likelihood-ratio
	// test rather than a Vuong test.
	nests    *Family
	nestNull string
}

// registry lists every family, in the order of AllFamilies and of the
// default candidate sets.
var registry = []*Family{
	normalFamily, logNormalFamily, gammaFamily, weibullFamily, exponentialFamily,
	logLogisticFamily, inverseGaussianFamily, powerNormalFamily,
	studentTFamily, laplaceFamily, logisticFamily,
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

// HasSufficientStatistics reports whether FitSummary can fit the family.
func (f *Family) HasSufficientStatistics() bool { return f.summary != nil }

// coords are the optimisation coordinates of each paramKind: theta maps a
// parameter p to θ and param maps θ back, side by side so that each map
// stands next to its inverse.
var coords = [...]struct {
	theta func(p float64, s *sample) float64
	param func(t float64, s *sample) float64
}{
	kindFree: {
		func(p float64, _ *sample) float64 { return p },
		func(t float64, _ *sample) float64 { return t }},
	kindLog: {
		func(p float64, _ *sample) float64 { return math.Log(p) },
		func(t float64, _ *sample) float64 { return math.Exp(t) }},
	kindLocation: {
		func(p float64, s *sample) float64 { return (p - s.mean) / s.sd },
		func(t float64, s *sample) float64 { return s.mean + s.sd*t }},
	kindScale: {
		func(p float64, s *sample) float64 { return math.Log(p / s.sd) },
		func(t float64, s *sample) float64 { return s.sd * math.Exp(t) }},
	kindPosScale: {
		func(p float64, s *sample) float64 { return math.Log(p) - s.meanLog },
		func(t float64, s *sample) float64 { return math.Exp(t + s.meanLog) }},
}

// toTheta maps the parameters p to the optimisation coordinates θ.
func (f *Family) toTheta(p []float64, s *sample) []float64 {
	t := make([]float64, len(p))
	for i, k := range f.kinds {
		t[i] = coords[k].theta(p[i], s)
	}
	return t
}

// fromTheta maps the optimisation coordinates t back to parameters in p.
func (f *Family) fromTheta(t []float64, s *sample, p []float64) {
	for i, k := range f.kinds {
		p[i] = coords[k].param(t[i], s)
	}
}

var (
	errConstant    = errors.New("all values are equal: the scale estimate is zero")
	errFewDistinct = errors.New("fewer than 3 distinct values")
)

// PositiveFamilies are the default candidates for positive data.
func PositiveFamilies() []*Family {
	var out []*Family
	for _, f := range registry {
		if f.Positive || f.alsoPositive {
			out = append(out, f)
		}
	}
	return out
}

// SignedFamilies are the default candidates for data of either sign.
func SignedFamilies() []*Family {
	var out []*Family
	for _, f := range registry {
		if !f.Positive {
			out = append(out, f)
		}
	}
	return out
}

// AllFamilies lists every family.
func AllFamilies() []*Family { return append([]*Family(nil), registry...) }

// Lookup returns the family with the given name; R's and scipy's short
// names (norm, lnorm, exp, llogis, t, …) are accepted too.
func Lookup(name string) (*Family, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	for _, f := range registry {
		if f.Name == key {
			return f, nil
		}
	}
	for _, f := range registry {
		for _, a := range f.aliases {
			if a == key {
				return f, nil
			}
		}
	}
	names := make([]string, 0, len(registry))
	for _, f := range registry {
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

// ParseFamilySet reads the families of a --families setting: "" (nil: the
// families are chosen by the sign of the data), one of the keywords
// "positive", "signed" and "all", or a comma-separated list of names (see
// ParseFamilies). Unknown names are an InputError.
func ParseFamilySet(s string) ([]*Family, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return nil, nil
	case "positive":
		return PositiveFamilies(), nil
	case "signed":
		return SignedFamilies(), nil
	case "all":
		return AllFamilies(), nil
	}
	return ParseFamilies(s)
}

// InputError is an error caused by the data or the options given, as
// opposed to a failure of the method.
type InputError struct {
	Msg string // what is wrong with the input
}

// Error returns the message.
func (e *InputError) Error() string { return e.Msg }

// Is makes the error match analysis.ErrInput: it is the caller's input.
func (e *InputError) Is(target error) bool { return inputerr.Is(target) }
