package analysis

import (
	"fmt"
	"strings"

	"github.com/syngeom/syngeom/fit"
)

// warn collects the warnings of a scope: the geometry test's own, then
// those about the analysis as a whole.
func (sc *Scope) warn() {
	add := func(format string, a ...any) { sc.Warnings = append(sc.Warnings, fmt.Sprintf(format, a...)) }
	switch {
	case sc.Geometry.Paired != nil:
		g := sc.Geometry.Paired
		sc.Warnings = append(sc.Warnings, g.Warnings...)
		if sc.N.Pairs < smallN && !containsText(g.Warnings, "fewer than") {
			add("only %d pairs: the distribution fits and the comparison of geometries are coarse or impossible", sc.N.Pairs)
		}
		if g.N > 0 {
			// Many zero pairs: the geometry test's own warning says it.
			if f := g.Counts["sign_flips"]; float64(f) > manySignFlips*float64(g.N) {
				add("%.1f%% of the pairs change sign: the weights are signed, so only p-norm geometries apply", 100*float64(f)/float64(g.N))
			}
		}
		if rejected, scored := rejectedCandidates(sc); scored > 0 && rejected == scored {
			add("every candidate geometry is rejected by the calibrated ΔCDF test (p < %.2g): none predicts Gaussian dual shifts", poorFitAlpha)
		}
	case sc.Geometry.Unpaired != nil:
		g := sc.Geometry.Unpaired
		sc.Warnings = append(sc.Warnings, g.Warnings...)
		if sc.N.Before < smallN || sc.N.After < smallN {
			add("small samples (%d before, %d after): unpaired comparisons of geometries are coarse", sc.N.Before, sc.N.After)
		}
		if z := g.Counts["zero_before"] + g.Counts["zero_after"]; z > 0 && float64(z) > manyZeros*float64(sc.N.Before+sc.N.After) {
			add("%d values are zero: zeros usually mean absent synapses (turnover), not small weights; they are counted, not compared, since negative entropy cannot use them (--zero missing would drop them and change no comparison)", z)
		}
	default:
		if n := sc.N.Before; n < smallN {
			add("only %d values: the distribution fits are imprecise", n)
		}
	}
	for _, s := range []struct {
		name string
		fits []fit.Result
	}{{"before", sc.Fits.Before}, {"after", sc.Fits.After}, {"dual-shift", sc.Fits.Shift}, {"", sc.Fits.Sample}} {
		if allFitPoorly(s.fits) {
			what := "sample"
			if s.name != "" {
				what = s.name + " sample"
			}
			add("every fitted distribution of the %s is rejected by its Anderson–Darling bootstrap test (p < %.2g); rank them by AIC only", what, poorFitAlpha)
		}
	}
}

func containsText(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// rejectedCandidates counts the paired candidates with a calibrated ΔCDF
// p-value, and those among them below poorFitAlpha.
func rejectedCandidates(sc *Scope) (rejected, scored int) {
	for _, c := range sc.Geometry.Paired.Candidates {
		if c.DCDFPValue == nil {
			continue
		}
		scored++
		if *c.DCDFPValue < poorFitAlpha {
			rejected++
		}
	}
	return rejected, scored
}

// allFitPoorly reports whether every fitted family has an AD bootstrap
// p-value and all of them are below poorFitAlpha.
func allFitPoorly(fits []fit.Result) bool {
	n := 0
	for _, r := range fits {
		if r.Status != fit.StatusOK {
			continue
		}
		if r.PValues == nil || r.PValues.AD == nil {
			return false
		}
		if *r.PValues.AD >= poorFitAlpha {
			return false
		}
		n++
	}
	return n > 0
}

// decide sets the scope's verdict sentence.
func (sc *Scope) decide() {
	switch {
	case sc.Geometry.Paired != nil:
		sc.Verdict = sc.Geometry.Paired.Verdict
	case sc.Geometry.Unpaired != nil:
		sc.Verdict = sc.Geometry.Unpaired.Verdict
	default:
		c := sc.FitComparisons["sample"]
		best := ""
		if c.Best != "" {
			best = fmt.Sprintf("The best-fitting distribution is %s%s. ", c.Best, akaikeText(sc.Fits.Sample, c.Best))
		}
		sc.Verdict = best + "A single snapshot cannot identify the geometry of plasticity: give weights measured before and after learning to test it."
	}
}

func akaikeText(fits []fit.Result, family string) string {
	for _, r := range fits {
		if r.Family == family && r.AkaikeWeight != nil {
			return fmt.Sprintf(" (Akaike weight %.2f)", *r.AkaikeWeight)
		}
	}
	return ""
}

// overallVerdict is the pooled verdict, followed by the estimate in each
// group when there are groups; with paired groups, the verdict of the
// common-λ model (groupedVerdict).
func overallVerdict(res *Result) string {
	v := res.Scope.Verdict
	if len(res.Groups) == 0 {
		return v
	}
	if res.GroupComparison != nil {
		res.PooledVerdict = v
		return groupedVerdict(res)
	}
	var parts []string
	for i := range res.Groups {
		parts = append(parts, res.Groups[i].Group+": "+res.Groups[i].shortAnswer())
	}
	return v + " By group: " + strings.Join(parts, "; ") + "."
}

// shortAnswer is a scope's estimate in a few words, for the per-group
// summary of the verdict.
func (sc *Scope) shortAnswer() string {
	switch {
	case sc.Geometry.Paired != nil:
		g := sc.Geometry.Paired
		if g.PHat != nil {
			return fmt.Sprintf("p̂ = %.3f, 95%% CI %s (n = %d)", *g.PHat, pCI(g.LambdaCI), g.ComparedN)
		}
		if g.BestByDCDF != "" {
			return fmt.Sprintf("best by ΔCDF %s (n = %d)", g.BestByDCDF, g.ComparedN)
		}
		return g.Status
	case sc.Geometry.Unpaired != nil:
		g := sc.Geometry.Unpaired
		if g.PHat != nil {
			return fmt.Sprintf("p̂ = %.3f, 95%% CI %s", *g.PHat, pCI(g.LambdaCI))
		}
		if g.BestByDistance != "" {
			return "best by distance " + g.BestByDistance
		}
		return g.Status
	}
	return "best distribution " + sc.FitComparisons["sample"].Best
}

// pCI writes a λ interval as an interval of p = λ + 1.
func pCI(ci [2]*float64) string {
	f := func(x *float64, inf string) string {
		if x == nil {
			return inf
		}
		return fmt.Sprintf("%.3f", *x+1)
	}
	return "[" + f(ci[0], "−∞") + ", " + f(ci[1], "∞") + "]"
}
