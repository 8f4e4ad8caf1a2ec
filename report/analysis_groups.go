package report

import (
	"fmt"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/testgeom"
)

// commonLambdaTable is the headline of a grouped paired analysis: each
// group's own λ̂ and its shift mean and sd in the model with one λ shared
// by the groups, then the shared row.
func commonLambdaTable(gc *compare.GroupComparison) *Table {
	mean, sd := "shift mean", "shift sd"
	if gc.StepModel == compare.StepStudentT {
		mean, sd = "step location", "step scale"
	}
	t := &Table{Caption: "Groups analysed jointly: one λ shared by the groups, each group with its " + gc.ShiftWords(),
		Header: []string{"group", "n", "own λ̂", "own 95% CI", mean + " at shared λ̂", sd + " at shared λ̂", "n (shift)"}}
	for _, g := range gc.Groups {
		if g.LambdaHat == nil {
			t.AddRow(g.Group, g.N, g.Status, "", "", "", "")
			continue
		}
		t.AddRow(g.Group, g.N, *g.LambdaHat, ciText(g.LambdaCI, 0), val(g.ShiftMean), val(g.ShiftSD), g.ShiftN)
	}
	if gc.SharedLambda != nil {
		n := 0
		for _, g := range gc.Groups {
			if g.LambdaHat != nil {
				n += g.N
			}
		}
		t.AddRow("shared", n, *gc.SharedLambda, ciText(gc.SharedLambdaCI, 0), "", "", "")
		if !gc.Differ {
			t.Emphasize(len(t.Rows) - 1)
		}
	}
	t.Notes = append(t.Notes, "shift: the Box–Cox step u_λ(w1) − u_λ(w0) at the shared λ̂ (the log ratio at λ = 0); n: pairs with both weights nonzero.")
	if gc.Note != "" {
		t.Notes = append(t.Notes, gc.Note+".")
	}
	return t
}

// commonLambdaLines state the shared estimate, its tests and the test of a
// common λ.
func commonLambdaLines(gc *compare.GroupComparison) []string {
	var out []string
	if gc.SharedLambda == nil {
		return []string{"No shared estimate: " + gc.Status + "."}
	}
	what := "likelihood-ratio interval " + ciText(gc.SharedLambdaCI, 0)
	if li := gc.SharedInterval; li != nil && li.Scale != nil {
		what = fmt.Sprintf("%s interval %s, scale k = %s; %s-model likelihood-ratio interval %s",
			li.Label(), ciText(gc.SharedLambdaCI, 0), FormatFloat(*li.Scale, 3), gc.StepWord(), ciText(li.LRCI, 0))
	}
	out = append(out, fmt.Sprintf("Shared estimate: λ̂ = %s (95%% %s), i.e. p̂ = %s.",
		FormatFloat(*gc.SharedLambda, 4), what, pHatText(*gc.SharedLambda+1, gc.SharedLambdaCI)))
	if st := gc.StepModelSentence(); st != "" {
		out = append(out, st)
	}
	if t := gc.SharedLRTests; t != nil {
		out = append(out, fmt.Sprintf("In the shared model, LR test of Euclidean (λ = 1): χ²₁ = %s, p %s%s; of negative entropy (λ = 0): χ²₁ = %s, p %s%s.",
			FormatFloat(val(t.Euclidean.Stat), 4), pclause(t.Euclidean.PValue), robustClause(t.Euclidean),
			FormatFloat(val(t.NegativeEntropy.Stat), 4), pclause(t.NegativeEntropy.PValue), robustClause(t.NegativeEntropy)))
	}
	if gc.LRStat != nil {
		what := "consistent with one λ for all groups"
		if gc.Differ {
			what = "the groups differ: read each group's own λ̂"
		}
		if gc.RobustPValue != nil {
			df := -1
			for _, g := range gc.Groups {
				if g.LambdaHat != nil && g.SERobust != nil && *g.SERobust > 0 {
					df++
				}
			}
			out = append(out, fmt.Sprintf("Test of a common λ: robust (Cochran's Q with sandwich standard errors, any step law) Q = %s on %d df, p %s, which decides: %s; the likelihood-ratio test, which assumes %s steps, gives χ²_%d = %s, p %s.",
				FormatFloat(*gc.RobustStat, 4), df, pclause(gc.RobustPValue), what, gc.StepWord(), gc.LRDF, FormatFloat(*gc.LRStat, 4), pclause(gc.LRPValue)))
		} else {
			out = append(out, fmt.Sprintf("LR test of a common λ: χ²_%d = %s, p %s: %s.", gc.LRDF, FormatFloat(*gc.LRStat, 4), pclause(gc.LRPValue), what))
		}
	}
	if re := gc.RandomEffects; re != nil && re.Groups >= 2 {
		out = append(out, fmt.Sprintf("Spread of λ across groups (DerSimonian–Laird): τ̂ = %s %s, I² = %s, Q p %s.",
			FormatFloat(re.Tau, 3), ciText(re.TauCI, 0), FormatFloat(re.I2, 2), pclause(&re.QPValue)))
	}
	if s := gc.DeviationSentence(10); s != "" {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// pooledTitle is the title of the top-level analysis: all synapses, or,
// with groups, the pooled fit labelled as such.
func pooledTitle(r *analysis.Result) string {
	if r.GroupComparison != nil {
		return "Pooled, one shift for all groups (for reference; not the estimate)"
	}
	return "All synapses"
}

// commonLambdaSection is the HTML section of the common-λ model; nil
// without it.
func commonLambdaSection(r *analysis.Result) *Section {
	gc := r.GroupComparison
	if gc == nil {
		return nil
	}
	s := &Section{ID: "groups-joint", Title: "Groups analysed jointly (" + r.Input.Columns["group"] + ")"}
	s.Blocks = append(s.Blocks, Paragraph(gc.Verdict), commonLambdaTable(gc))
	for _, l := range commonLambdaLines(gc) {
		s.Blocks = append(s.Blocks, Paragraph(l))
	}
	return s
}

// topWarnings are the warnings shown under the verdict: those of the
// top-level analysis, which with groups is the pooled fit and says so.
func topWarnings(r *analysis.Result) []string {
	if r.GroupComparison == nil {
		return r.Warnings
	}
	out := make([]string, len(r.Warnings))
	for i, w := range r.Warnings {
		out[i] = "pooled fit (one shift for all groups): " + w
	}
	return out
}

// robustClause adds a test's robust p-value, when it has one.
func robustClause(t testgeom.LRTest) string {
	if t.PValueRobust == nil {
		return ""
	}
	return ", robust p " + testgeom.PValueText(*t.PValueRobust, false, 0)
}
