package report

import (
	"fmt"
	"strings"

	"github.com/syngeom/syngeom/ingest"
)

// countWords name the counts of ingest in words.
var countWords = map[string][2]string{ // singular, plural
	"zero":       {"zero weight", "zero weights"},
	"negative":   {"negative weight", "negative weights"},
	"sign_flip":  {"pair that changes sign", "pairs that change sign"},
	"missing":    {"missing value", "missing values"},
	"non_finite": {"infinite value", "infinite values"},
	"unmatched":  {"synapse seen at one time only", "synapses seen at one time only"},
}

// wordsList writes counts as "12 zero weights, 3 pairs that change sign",
// sorted by key, zeros left out; "" when every count is zero.
func wordsList(m map[string]int64) string {
	return ingest.JoinCounts(m, func(k string, v int64) string {
		w, ok := countWords[k]
		if !ok {
			w = [2]string{strings.ReplaceAll(k, "_", " "), strings.ReplaceAll(k, "_", " ")}
		}
		name := w[1]
		if v == 1 {
			name = w[0]
		}
		return fmt.Sprintf("%d %s", v, name)
	})
}

// ExcludedText says in plain words what was left out of the analysis and
// why ("zero" with --zero missing: an absent synapse), or that nothing was.
func ExcludedText(m map[string]int64, shape string) string {
	if s := ingest.CountsList(m); s != "" {
		unit := "pairs"
		if shape != "paired" {
			unit = "values"
		}
		return fmt.Sprintf("%s (%s left out, by reason)", s, unit)
	}
	if shape == "paired" {
		return "nothing: every pair in the table was complete and used"
	}
	return "nothing: every value in the table was used"
}

// FlaggedText says in plain words what was kept in the table but counted,
// because it matters to the geometry tests (zero and negative weights,
// pairs that change sign), and what each kind does in the paired
// comparisons, or that there was none of it.
func FlaggedText(m map[string]int64, shape string) string {
	if s := wordsList(m); s != "" {
		if shape == "paired" {
			return s + " (kept in the table and counted: " + strings.Join(flaggedPaired(m), "; ") + ")"
		}
		return s + " (kept in the table and counted: the fits and tests that need positive weights, such as negative entropy and the positive distributions, leave them out)"
	}
	if shape == "paired" {
		return "none: no weight used is zero or negative, and no pair used changes sign"
	}
	return "none: no weight used is zero or negative"
}

// flaggedPaired says what each kind of flagged count does in the paired
// comparisons: only a zero weight takes its pair out of them (testgeom.Compared).
func flaggedPaired(m map[string]int64) []string {
	var out []string
	if m["zero"] > 0 {
		out = append(out, "a pair with a zero weight is left out of every comparison of candidates, since negative entropy cannot use it")
	}
	if m["negative"] > 0 {
		out = append(out, "negative weights are compared through each geometry's sign-aware dual map; distribution families for positive values leave them out")
	}
	if m["sign_flip"] > 0 {
		out = append(out, "a pair that changes sign is compared, and counts against negative entropy, which cannot change a sign")
	}
	if m["unchanged"] > 0 {
		out = append(out, "unchanged pairs are compared like the others")
	}
	if len(out) == 0 {
		out = append(out, "they enter the comparisons like the other pairs")
	}
	return out
}
