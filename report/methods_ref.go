package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/testgeom"
)

// The parts of the methods that a referee needs to repeat the analysis:
// provenance, the pairing, the λ search, how each p-value is computed and
// the multiple-testing statement. Every threshold is taken from the
// constants the code decides with.

// num formats a threshold constant as it is written in the text.
func num(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'g', -1, 64), "-", "−", 1)
}

// provenanceText names the program version, the command line and the data
// citation.
func provenanceText(r *analysis.Result, o AnalysisPageOptions) string {
	v := o.Version
	if v == "" {
		v = "unknown"
	}
	t := fmt.Sprintf("Software: %s, version %s.", o.Software, v)
	if o.CommandLine != "" {
		t += " Command line: " + o.CommandLine + "."
	} else {
		t += " Command line: not recorded (the report was made by a program calling the library)."
	}
	if r.Input.Citation != "" {
		t += " Data: " + r.Input.Citation
		if !strings.HasSuffix(r.Input.Citation, ".") {
			t += "."
		}
	} else if !r.Input.Demo {
		t += " Data citation: none given (use --cite, or the Parquet key-value metadata \"citation\")."
	}
	return t
}

// consecutivePairs reports whether the pairs are every two consecutive
// times of a long table (ingest's pairing note says so).
func consecutivePairs(in analysis.Input) bool {
	for _, n := range in.Notes {
		if strings.HasPrefix(n, "pairs: ") && strings.Contains(n, "consecutive") {
			return true
		}
	}
	return false
}

// pairingText says what a pair is, from the ingest's own account of the
// pairing; consecutive sessions are changes between imaging sessions, not
// before and after learning.
func pairingText(in analysis.Input) string {
	if in.Shape != "paired" {
		return ""
	}
	var how string
	for _, n := range in.Notes {
		if strings.HasPrefix(n, "pairs: ") {
			how = strings.TrimPrefix(n, "pairs: ")
		}
	}
	c := in.Columns
	switch {
	case how != "" && strings.Contains(how, "consecutive"):
		return fmt.Sprintf("Pairs: %s of the same %s (%s). These are changes between consecutive measurements, not before and after a learning episode, and a synapse measured k times contributes k − 1 overlapping pairs; the likelihood interval sums its scores per synapse and the bootstrap resamples whole synapses.", how, c["id"], "value "+c["value"])
	case how != "":
		return fmt.Sprintf("Pairs: the %s of the same %s at %s (%s). Whether these two measurements bracket learning is a property of the experiment, not of the table.", c["value"], c["id"], how, "long table")
	case c["before"] != "" && c["after"] != "":
		return fmt.Sprintf("Pairs: columns %s (first measurement) and %s (second) of each row, read as the same synapse measured twice. Whether the two measurements bracket learning is a property of the experiment, not of the table.", c["before"], c["after"])
	}
	return "Pairs: the two measurements of each synapse, as read from the input."
}

// lambdaSearchText states the λ search range and the optimiser.
func lambdaSearchText() string {
	lo, hi := testgeom.ProfileGridRange()
	return fmt.Sprintf("λ search: the profile log-likelihood is evaluated on a grid of λ from %s to %s in steps of %s (p = λ + 1 from %s to %s), which brackets the maximum and the two crossings of the interval's threshold; Brent's method then refines λ̂ and each interval end on the exact likelihood, stepping off the grid when needed but never beyond |λ| = %s (an interval end at that bound is reported as unbounded).",
		num(lo), num(hi), num(testgeom.ProfileGridStep), num(lo+1), num(hi+1), num(testgeom.LambdaLimit))
}

// pValuesText says how each p-value shown is computed, and its floor.
func pValuesText(s analysis.Settings, paired bool) string {
	var parts []string
	if paired && s.NullReplicates > 0 {
		parts = append(parts, fmt.Sprintf("ΔCDF (uncentred and centred): Monte Carlo, (1 + #{null ΔCDF ≥ observed})/(B + 1) with B = %d simulated Gaussian-shift data sets, floor 1/%d = %s", s.NullReplicates, s.NullReplicates+1, FormatFloat(1/float64(s.NullReplicates+1), 2)))
	} else if paired {
		parts = append(parts, "ΔCDF: not calibrated (--null-replicates 0), so no ΔCDF p-value")
	}
	if s.GOFSamples > 0 {
		parts = append(parts, fmt.Sprintf("KS and AD of the fitted distributions: parametric bootstrap, (1 + #{resampled statistic ≥ observed})/(B + 1) with B = %d, %s", s.GOFSamples, gofFloorText(s.GOFSamples)))
	}
	if paired {
		parts = append(parts,
			"Anderson–Darling normality of the dual shifts: the case-3 formula of D'Agostino & Stephens (1986), mean and sd estimated",
			"Spearman ρ: two-sided, from the t approximation with n − 2 degrees of freedom",
			"likelihood-ratio tests of λ = 0 and λ = 1: χ²₁ on the statistic divided by the sandwich ratio k (the Gaussian-model test beside it without k); of ν = ∞: ½χ²₀ + ½χ²₁")
	}
	parts = append(parts, fmt.Sprintf("p-values below %s are written as bounds", num(testgeom.MinPValue)))
	return "p-values: " + strings.Join(parts, "; ") + "."
}

// multipleTestingText states how many tests are run and what is and is not
// corrected.
func multipleTestingText(r *analysis.Result) string {
	k := len(r.Settings.Candidates)
	t := fmt.Sprintf("Multiple testing: %d candidate geometries are compared, each with several tests (ΔCDF and its centred variant with calibrated p-values, Anderson–Darling normality, two Spearman correlations). The best candidate is chosen first, by likelihood, and only then judged by its adequacy tests at %s, without a correction for the choice: a selected candidate passes more easily than a pre-specified one, and the other candidates' p-values are descriptive. The tests of λ = 0 and λ = 1 are two pre-specified hypotheses, each at 5%%, not corrected for each other.", k, num(testgeom.AdequacyAlpha))
	if len(r.Groups) > 0 {
		t += " With groups, each group's own tests are uncorrected; only the naming of groups that deviate from the common λ̂ is corrected (" + compare.DeviationCorrection + ", family-wise " + num(compare.DeviationAlpha) + ")."
	}
	return t
}

// referenceMethods are the paragraphs above: provenance (first), the
// pairing (after the data) and the rest (after the geometry test).
func referenceMethods(r *analysis.Result, o AnalysisPageOptions) (first, pairing string, rest []string) {
	first, pairing = provenanceText(r, o), pairingText(r.Input)
	if r.Input.Shape == "paired" {
		rest = append(rest, lambdaSearchText())
	}
	pv := pValuesText(r.Settings, r.Input.Shape == "paired")
	if r.GroupComparison != nil {
		pv += " With groups, the likelihood-ratio test of a common λ and Cochran's Q are referred to χ² with groups − 1 degrees of freedom, and each group's deviation from the common λ̂ is " + compare.DeviationCorrection + "-adjusted."
	}
	rest = append(rest, pv)
	if r.Input.Shape == "paired" {
		rest = append(rest, multipleTestingText(r))
	}
	return first, pairing, rest
}
