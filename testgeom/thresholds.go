package testgeom

import "slices"

// The thresholds behind the adequacy check and the warnings, exported so
// that a report states the values the code uses instead of retyping them.
const (
	// AdequacyAlpha is the level below which the calibrated ΔCDF p, the
	// Anderson–Darling p or a Spearman p of the best geometry call its
	// model inadequate.
	AdequacyAlpha = adequacyAlpha
	// StrongRho is the Spearman |ρ| from which a correlation of the dual
	// shifts with w0 counts against the model.
	StrongRho = strongRho
	// LargeStep is the relative step (rms dual step over sd of g(w0))
	// above which the changes are reported as large.
	LargeStep = largeStep
	// LambdaLimit bounds the search for λ̂ and its interval: |λ| ≤ LambdaLimit.
	LambdaLimit = lambdaLimit
	// ProfileGridStep is the spacing of the coarse λ grid.
	ProfileGridStep = profileStep
	// NullBandLevel is the coverage of the null range of ΔCDF reported
	// for each candidate (Candidate.DCDFNullRange).
	NullBandLevel = 0.95
)

// ProfileGridRange is the first and last λ of the coarse likelihood grid.
func ProfileGridRange() (lo, hi float64) {
	return profileLambda(0), profileLambda(profileN - 1)
}

// nullRange is the central NullBandLevel range of simulated null
// statistics (type-7 quantiles), or nil without simulations.
func nullRange(null []float64) *[2]float64 {
	if len(null) < 2 {
		return nil
	}
	s := slices.Clone(null)
	slices.Sort(s)
	q := func(p float64) float64 {
		h := p * float64(len(s)-1)
		i := int(h)
		if i+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[i] + (h-float64(i))*(s[i+1]-s[i])
	}
	a := (1 - NullBandLevel) / 2
	return &[2]float64{q(a), q(1 - a)}
}
