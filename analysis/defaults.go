package analysis

import (
	"strings"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/testgeom"
)

// DefaultSeed is the seed of every syngeom command unless --seed says
// otherwise.
const DefaultSeed = testgeom.DefaultSeed

// ShiftBest is the ShiftGeometry that fits the dual shifts of the best
// candidate (by likelihood, else by ΔCDF).
const ShiftBest = "best"

// DefaultOptions are the settings of syngeom analyze without flags: the
// paper's candidates, families chosen by the sign of the data, the shifts
// of the best candidate, DefaultSeed and the Default resampling counts. The
// zero Options differ: they resample nothing, so no calibrated p-value,
// bootstrap interval or goodness-of-fit p-value is computed.
func DefaultOptions() Options {
	return Options{
		Test:          testgeom.Options{Seed: DefaultSeed, Bootstrap: DefaultBootstrap, NullReplicates: DefaultNullReplicates},
		ShiftGeometry: ShiftBest,
		GOFSamples:    DefaultGOFSamples,
		GOFMaxN:       DefaultGOFMaxN,
		FitMaxN:       DefaultFitMaxN,
	}
}

// Validate reports settings no analysis can use, as an OptionError. Zero
// GOFMaxN and FitMaxN mean their defaults; ShiftGeometry is checked against
// the candidates by Analyze.
func (o Options) Validate() error {
	if err := o.Test.Validate(); err != nil {
		return inputerr.Within("Test", err)
	}
	if o.GOFSamples < 0 {
		return optionErrorf("%s must be ≥ 0, not %d", setting("GOFSamples"), o.GOFSamples)
	}
	if o.GOFMaxN < 0 {
		return optionErrorf("%s must be ≥ 1 (0: the default %d), not %d", setting("GOFMaxN"), DefaultGOFMaxN, o.GOFMaxN)
	}
	if o.FitMaxN < 0 || (o.FitMaxN > 0 && o.FitMaxN < 10) {
		return optionErrorf("%s must be ≥ 10 (0: the default %d), not %d", setting("FitMaxN"), DefaultFitMaxN, o.FitMaxN)
	}
	if _, err := ParseShiftGeometry(o.ShiftGeometry); err != nil {
		return err
	}
	return nil
}

// ParseShiftGeometry turns "best" (or ""), "NE", a p-norm exponent such as
// "2" or "p=2", or "hypentropy:0.1" into the ShiftGeometry of that
// candidate ("best", "NE", "p=2.0", …); anything else is an OptionError.
func ParseShiftGeometry(s string) (string, error) {
	if t := strings.TrimSpace(s); t == "" || strings.EqualFold(t, ShiftBest) {
		return ShiftBest, nil
	}
	c, err := geometry.ParseCandidates(s)
	if err != nil || len(c) != 1 {
		return "", optionErrorf(`%s wants "best", "NE" or one p-norm exponent such as 2, not %q`, setting("ShiftGeometry"), s)
	}
	return c[0].Name(), nil
}
