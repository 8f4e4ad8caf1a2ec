package fit

import (
	"fmt"
	"math"
)

// Statuses of a Result. A family that could not be fitted at all has the
// reason as its Status instead.
const (
	// StatusOK is a complete fit: a maximum of the likelihood inside the
	// parameter space.
	StatusOK = "ok"
	// StatusNotIdentified is a fit whose likelihood has no maximum inside
	// the parameter space: it keeps growing as the parameters run to a
	// boundary, and the estimates are only where the optimiser stopped.
	// Result.Limit says which law the fits tend to. Such a fit is not
	// ranked, compared or bootstrapped.
	StatusNotIdentified = "not identified"
	// StatusNotInformative marks a Vuong or likelihood-ratio test between
	// two fits that coincide (or one of which is not identified): its
	// statistic would measure rounding, not a difference between the
	// models. The test's Reason says why.
	StatusNotInformative = "not informative"
)

// minKeptLogMass is the log of the smallest parent mass above the
// truncation point that a proper truncated fit keeps. Below it (e^-20 ≈
// 2·10⁻⁹) the data only see the parent's far tail: the truncated law is
// then its limit (for the normal, an exponential), and the parent's
// parameters run off without bound along a ridge of the likelihood.
const minKeptLogMass = -20

// boundaryTheta bounds the data-scaled optimisation coordinates of a proper
// fit: a scale e^25 ≈ 7·10¹⁰ times that of the data, or a location 10⁶
// standard deviations from the mean, is a parameter run to the edge of its
// space.
const (
	boundaryLogTheta      = 25
	boundaryLocationTheta = 1e6
)

// notIdentified returns, for a fit whose likelihood has no maximum, a
// description of the law the fits tend to; "" for a proper fit.
func notIdentified(f *Family, e *Estimate, s *sample) string {
	if s.truncated {
		lm := e.Dist.LogSurvival(s.lower)
		if lm < minKeptLogMass {
			if f.limit != nil {
				return f.limit(e, s.lower, lm)
			}
			// Far in the upper tail the truncated law is locally an
			// exponential whose rate is the hazard at the limit.
			rate := math.Exp(e.Dist.LogProb(s.lower) - lm)
			return fmt.Sprintf("the parameters run to the edge of their space (keeping e^%.0f of the %s above %g): the truncated law tends to the far tail of the family, near %g an exponential with rate %.6g",
				lm, f.Name, s.lower, s.lower, rate)
		}
	}
	th := f.toTheta(e.Params, s)
	for i, k := range f.kinds {
		bound := float64(boundaryLogTheta)
		switch k {
		case kindFree, kindLog, kindPosScale:
			// Not on the data's scale (λ, μ of the power-normal, shapes,
			// rates), or legitimately far from the geometric mean when
			// the data span many orders of magnitude.
			continue
		case kindLocation:
			bound = boundaryLocationTheta
		}
		if math.Abs(th[i]) > bound {
			return fmt.Sprintf("the likelihood has no maximum inside the parameter space: %s runs to %.4g (the optimiser stopped there)", f.ParamNames[i], e.Params[i])
		}
	}
	return ""
}

// methodText says how a fit was computed: the family's own method, or the
// numerical maximisation of the truncated likelihood.
func methodText(f *Family, s *sample) string {
	if s.truncated {
		return fmt.Sprintf("numerical MLE of the law truncated at %g, f(x)/S(%g): Nelder–Mead from the untruncated estimate, then Newton with finite-difference derivatives", s.lower, s.lower)
	}
	return f.Method
}
