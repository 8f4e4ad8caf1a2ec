package testgeom

import (
	"fmt"
	"math"
)

// The parts of the verdict and the warnings that tell a reader how far a
// number can be taken: p-values at the floor of their calibration, the
// signature of measurement noise, a ΔCDF winner at the edge of the grid,
// and what λ̂ describes.

// MinPValue is the smallest p-value written as a value; one below it (an
// underflow to 0, say) is written as a bound.
const MinPValue = 1e-300

// manyZeroShare is the share of pairs with a zero weight above which the
// zeros are worth a warning.
const manyZeroShare = 0.05

// AllChangesNote ends every paired verdict (and the grouped one): λ̂ is fitted to all that
// differs between the two measurements.
const AllChangesNote = "λ̂ describes every change between the two measurements (learning, intrinsic fluctuations and measurement noise), not learning alone; only a no-learning control (--control) separates them."

// AllChangesShort is AllChangesNote for the grouped verdict, which must
// stay short at hundreds of groups.
const AllChangesShort = "Without a no-learning control, λ̂ covers all change, not learning alone."

// ExactWeightsNote replaces both for weights known exactly (network
// checkpoints): no measurement noise or intrinsic fluctuation enters.
const ExactWeightsNote = "The weights are exact (a network checkpoint), so λ̂ describes the training's changes; only rounding to the stored precision adds noise (see the precision warnings)."

// ChangesNote is the note on what λ̂ describes that ends the verdict of r
// (short: the grouped verdict's form): AllChangesNote, or ExactWeightsNote
// when the weights are exact (Options.ExactWeights).
func (r *Result) ChangesNote(short bool) string {
	switch {
	case r.exactWeights:
		return ExactWeightsNote
	case short:
		return AllChangesShort
	}
	return AllChangesNote
}

// markFloors flags the p-values at the floor of their calibration: a
// calibrated ΔCDF p that no null simulation reached, and asymptotic p-values
// below MinPValue.
func (r *Result) markFloors() {
	floor := calibrationFloor(r.NullReplicates)
	atFloor := func(p *float64) bool { return p != nil && floor > 0 && *p <= floor*(1+1e-9) }
	for i := range r.Candidates {
		c := &r.Candidates[i]
		c.DCDFPAtFloor = atFloor(c.DCDFPValue)
		c.DCDFCenteredPAtFloor = atFloor(c.DCDFCenteredPValue)
		c.ADPAtFloor = c.ADPValue != nil && *c.ADPValue < MinPValue
	}
	for _, t := range []*LRTest{&r.LRTests.Euclidean, &r.LRTests.NegativeEntropy} {
		t.PAtFloor = t.PValue != nil && *t.PValue < MinPValue
	}
}

// calibrationFloor is the smallest calibrated p-value of sims simulations,
// 1/(sims + 1); 0 without simulations.
func calibrationFloor(sims int) float64 {
	if sims <= 0 {
		return 0
	}
	return 1 / float64(sims+1)
}

// PValueText writes a p-value for a sentence, after "p": "= 0.012"; at
// the floor of a calibration of sims simulations "< 0.005, 200
// simulations"; an asymptotic p at its floor (sims = 0) "< 1e-300". It
// never writes "= 0".
func PValueText(p float64, atFloor bool, sims int) string {
	switch {
	case atFloor && sims > 0:
		return fmt.Sprintf("< %s, %d simulations", boundText(calibrationFloor(sims)), sims)
	case atFloor || p < MinPValue:
		return "< 1e-300"
	}
	return fmt.Sprintf("= %.2g", p)
}

// PValueCell writes a p-value for a table cell with the given format:
// "0.012", or at its floor "<0.005" (calibrated with sims simulations) or
// "<1e-300".
func PValueCell(p float64, atFloor bool, sims int, format string) string {
	switch {
	case atFloor && sims > 0:
		return "<" + boundText(calibrationFloor(sims))
	case atFloor || p < MinPValue:
		return "<1e-300"
	}
	return fmt.Sprintf(format, p)
}

// boundText rounds an upper bound up to two significant digits, so that
// the printed bound is still a bound (1/201 → 0.005).
func boundText(x float64) string {
	e := math.Pow(10, math.Floor(math.Log10(x))-1)
	return fmt.Sprintf("%.2g", math.Ceil(x/e*(1-1e-12))*e)
}

// zeroWarning is the warning about many pairs with a zero weight, which
// are counted but not compared.
func (r *Result) zeroWarning() string {
	z := r.Counts["zero_pairs"]
	if r.N == 0 || float64(z) <= manyZeroShare*float64(r.N) {
		return ""
	}
	return fmt.Sprintf("%d of %d pairs (%.1f%%) have a zero weight. Zeros usually mean turnover (a synapse absent in one measurement), not a small weight. "+
		"They are counted, not compared: negative entropy and the likelihood cannot use them, so every candidate is scored on the same %d pairs with both weights nonzero. "+
		"--zero missing would drop them as absent synapses and change no comparison",
		z, r.N, 100*float64(z)/float64(r.N), r.ComparedN)
}

// dcdfRanking is the clause on the paper's ΔCDF winner, with what limits
// it: a winner at the edge of the candidate grid (the minimum may lie
// beyond it) or rejected by its own calibrated test.
func (r *Result) dcdfRanking() string {
	c := r.find(r.BestByDCDF)
	if c == nil {
		return "the paper's ΔCDF ranks no candidate"
	}
	s := "the paper's ΔCDF ranks " + c.Name + " first"
	var limits []string
	if r.atGridEdge(c) {
		limits = append(limits, "it is at the edge of the candidate grid, so the ΔCDF minimum may lie beyond the grid")
	}
	if c.DCDFPValue != nil && *c.DCDFPValue < adequacyAlpha {
		limits = append(limits, "its own calibrated ΔCDF test rejects it, p "+PValueText(*c.DCDFPValue, c.DCDFPAtFloor, r.NullReplicates))
	}
	switch len(limits) {
	case 1:
		s += ", but " + limits[0]
	case 2:
		s += ", but " + limits[0] + ", and " + limits[1]
	}
	return s
}

// atGridEdge reports whether c has the smallest or the largest λ of the
// scored candidates with a λ (of at least three).
func (r *Result) atGridEdge(c *Candidate) bool {
	if c.Lambda == nil {
		return false
	}
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, o := range r.Candidates {
		if o.Lambda == nil || o.DCDF == nil {
			continue
		}
		lo, hi, n = math.Min(lo, *o.Lambda), math.Max(hi, *o.Lambda), n+1
	}
	return n >= 3 && (*c.Lambda == lo || *c.Lambda == hi)
}

// regressionToMean names the signature of measurement noise: every scored
// candidate's shift falls with w0, by about the same amount (the largest
// |ρ| at most twice the smallest). Under the right geometry of a process
// without noise ρ is near 0; noise in the measured w0 enters
// d = g(w1) − g(w0) with the opposite sign, so d falls with w0 under every
// geometry. Empty when the pattern is absent.
func (r *Result) regressionToMean() string {
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, c := range r.Candidates {
		if c.DCDF == nil {
			continue
		}
		if c.SpearmanShiftW0 == nil || c.SpearmanShiftW0P == nil {
			return ""
		}
		rho := *c.SpearmanShiftW0
		if rho > -strongRho || *c.SpearmanShiftW0P >= adequacyAlpha {
			return ""
		}
		lo, hi, n = math.Min(lo, rho), math.Max(hi, rho), n+1
	}
	if n < 2 || lo < 2*hi {
		return ""
	}
	rho := fmt.Sprintf("from %.2f to %.2f", lo, hi)
	if a, b := fmt.Sprintf("%.2f", lo), fmt.Sprintf("%.2f", hi); a == b {
		rho = "≈ " + a + " for every candidate"
	}
	if r.exactWeights {
		// No measurement noise in a checkpoint: the pattern is the training's.
		return "Every candidate's shift falls with w0 by about the same amount (Spearman ρ(d, w0) " + rho + "), which no geometry removes. " +
			"The weights are exact, so this is not measurement noise: the training pulled large weights down (weight decay and other regularisers do) " +
			"beyond what any candidate geometry predicts, and no candidate describes these changes fully."
	}
	return "Every candidate's shift falls with w0 by about the same amount (Spearman ρ(d, w0) " + rho + "), which no geometry removes: " +
		"that is what measurement noise does (regression to the mean: a weight measured too large at first tends to measure smaller the next time). " +
		"Give the noise level (--noise-cv, or repeated measurements with --noise-from) or compare with a no-learning control (--control) before reading this as a failure of every geometry."
}

// PValueEq writes an asymptotic p-value after "p" with three significant
// digits, "= 0.245", or "< 1e-300" when it underflowed.
func PValueEq(p float64) string {
	if p < MinPValue {
		return "< 1e-300"
	}
	return fmt.Sprintf("= %.3g", p)
}

// maxLambdaDecimals bounds LambdaDecimals: 10 decimals resolve intervals
// of 10^-9, far below what any data set gives.
const maxLambdaDecimals = 10

// LambdaDecimals is the number of decimals that shows an estimate on the λ
// scale beside its interval ci: enough for two significant digits of the
// interval's width, and never fewer than least. A λ̂ of 0.0001 with the
// interval [−0.0001, 0.0002] would read "0.000 [−0.000, 0.000]" at three
// decimals, an interval that looks empty; with this it reads "0.00006
// [−0.00007, 0.00019]". An open interval gets least.
func LambdaDecimals(ci [2]*float64, least int) int {
	if ci[0] == nil || ci[1] == nil {
		return least
	}
	width := *ci[1] - *ci[0]
	if !(width > 0) || math.IsInf(width, 0) {
		return least
	}
	d := int(math.Ceil(-math.Log10(width))) + 1
	return min(max(d, least), maxLambdaDecimals)
}

// signChanges is "1 pair changes sign" or "n pairs change sign".
func signChanges(n int64) string {
	if n == 1 {
		return "1 pair changes sign"
	}
	return fmt.Sprintf("%d pairs change sign", n)
}
