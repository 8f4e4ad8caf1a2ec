package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/testgeom"
)

// fewPairs flags a group with fewer pairs (or values) than this, the size
// below which the analysis warns that its comparisons are coarse.
const fewPairs = 100

// groupRow is one group's line of the summary of a grouped analysis.
type groupRow struct {
	Group    string
	N        int64
	Lambda   *float64
	CI       [2]*float64
	Best     string
	NEP, EuP *float64 // p-values of the tests of λ = 0 and λ = 1 (robust when available)
	Fit      *testgeom.GroupLambda
	Flags    []string
}

// groupRows summarises each group of r, sorted by λ̂ from smallest to
// largest (groups without an estimate last, in their input order).
func groupRows(r *analysis.Result) []groupRow {
	var fits map[string]*testgeom.GroupLambda
	if gc := r.GroupComparison; gc != nil {
		fits = map[string]*testgeom.GroupLambda{}
		for i := range gc.Groups {
			fits[gc.Groups[i].Group] = &gc.Groups[i]
		}
	}
	rows := make([]groupRow, 0, len(r.Groups))
	for i := range r.Groups {
		sc := &r.Groups[i]
		row := groupRow{Group: sc.Group, Fit: fits[sc.Group]}
		var lr testgeom.LRTests
		adequate, ok := true, false
		switch {
		case sc.Geometry.Paired != nil:
			g := sc.Geometry.Paired
			row.N = sc.N.Pairs
			if ok = g.Status == "ok"; ok {
				row.N = int64(g.ComparedN)
				row.Lambda, row.CI, row.Best, lr, adequate = g.LambdaHat, g.LambdaCI, g.BestByLikelihood, g.LRTests, g.Adequate
			}
		case sc.Geometry.Unpaired != nil:
			g := sc.Geometry.Unpaired
			row.N = min(sc.N.Before, sc.N.After)
			if ok = g.Status == "ok"; ok {
				row.Lambda, row.CI, row.Best, lr, adequate = g.LambdaHat, g.LambdaCI, g.BestByLikelihood, g.LRTests, g.Adequate
			}
		default:
			row.N = sc.N.Before
		}
		if ok {
			row.NEP, row.EuP = robustP(lr.NegativeEntropy), robustP(lr.Euclidean)
		}
		if row.N < fewPairs {
			row.Flags = append(row.Flags, "few pairs")
		}
		if row.Lambda == nil {
			row.Flags = append(row.Flags, "no estimate")
		} else if !adequate {
			row.Flags = append(row.Flags, "model fits poorly")
		}
		if containsAny(sc.Warnings, "changes are large") {
			row.Flags = append(row.Flags, "large changes")
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b groupRow) int {
		switch {
		case a.Lambda == nil && b.Lambda == nil:
			return 0
		case a.Lambda == nil:
			return 1
		case b.Lambda == nil:
			return -1
		}
		return cmp.Compare(*a.Lambda, *b.Lambda)
	})
	return rows
}

// robustP is the p-value of an LR test, the robust one when there is one.
func robustP(t testgeom.LRTest) *float64 {
	if t.PValueRobust != nil {
		return t.PValueRobust
	}
	return t.PValue
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// rejectedText says whether a test rejects at 5%, with its p-value.
func rejectedText(p *float64) string {
	if p == nil {
		return Missing
	}
	if *p < 0.05 {
		return "yes (" + pval(p) + ")"
	}
	return "no (" + pval(p) + ")"
}

// groupSummaryTable is the overview of a grouped analysis, one row per
// group, sorted by λ̂.
func groupSummaryTable(r *analysis.Result) *Table {
	rows := groupRows(r)
	gc := r.GroupComparison
	t := &Table{Caption: fmt.Sprintf("Summary by group (%s, %d groups), sorted by λ̂ from smallest to largest", r.Input.Columns["group"], len(rows)),
		Header: []string{"group", "n", "λ̂", "95% CI", "best", "NE rejected", "Euclidean rejected"}}
	if gc != nil && gc.DeviationCorrection != "" {
		t.Header = append(t.Header, "deviates")
	}
	t.Header = append(t.Header, "flags")
	for i, row := range rows {
		cells := []any{row.Group, row.N, row.Lambda, ciText(row.CI, 0), row.Best, rejectedText(row.NEP), rejectedText(row.EuP)}
		if gc != nil && gc.DeviationCorrection != "" {
			dev := ""
			if f := row.Fit; f != nil && f.DeviationPAdjusted != nil {
				dev = rejectedText(f.DeviationPAdjusted)
				if f.Deviates {
					t.Emphasize(i)
				}
			}
			cells = append(cells, dev)
		}
		cells = append(cells, strings.Join(row.Flags, ", "))
		t.AddRow(cells...)
	}
	t.Notes = append(t.Notes,
		"λ̂ and 95% CI: each group's own estimate and its headline interval (robust when the steps are not Gaussian); best: the candidate with the highest likelihood; "+
			"NE, Euclidean rejected: the group's likelihood-ratio tests of λ = 0 and λ = 1 at 5% (robust p-value in brackets).")
	if gc != nil && gc.DeviationCorrection != "" {
		t.Notes = append(t.Notes, "deviates (marked *): the group's λ̂ differs from the inverse-variance weighted mean of the other groups' λ̂ (z-test with robust standard errors when available); "+
			"p-values adjusted by "+gc.DeviationCorrection+" (adjusted p in brackets).")
	}
	t.Notes = append(t.Notes, fmt.Sprintf("flags: few pairs (fewer than %d), no estimate, model fits poorly (the Gaussian dual-shift model fails an adequacy check; see the group's verdict), large changes (the theory assumes small changes).", fewPairs))
	return t
}

// groupNamesText lists at most show group names, saying how many in all.
func groupNamesText(names []string, show int) string {
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%d groups: %s, … (all in the summary table)", len(names), strings.Join(names[:show], ", "))
}
