package report

import (
	"cmp"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/compare"
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
	Fit      *compare.GroupLambda
	Flags    []string
}

// groupRows summarises each group of r, sorted by λ̂ from smallest to
// largest (groups without an estimate last, in their input order).
func groupRows(r *analysis.Result) []groupRow {
	var fits map[string]*compare.GroupLambda
	if gc := r.GroupComparison; gc != nil {
		fits = map[string]*compare.GroupLambda{}
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
			if ok = g.Status == testgeom.StatusOK; ok {
				row.N = int64(g.ComparedN)
				row.Lambda, row.CI, row.Best, lr, adequate = g.LambdaHat, g.LambdaCI, g.BestByLikelihood, g.LRTests, g.Adequate
			}
		case sc.Geometry.Unpaired != nil:
			g := sc.Geometry.Unpaired
			row.N = min(sc.N.Before, sc.N.After)
			if ok = g.Status == testgeom.StatusOK; ok {
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
			}
			cells = append(cells, dev)
		}
		cells = append(cells, strings.Join(row.Flags, ", "))
		t.AddRow(cells...)
		if row.Fit != nil && row.Fit.Deviates {
			t.Emphasize(i)
		}
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

// forestFigure is the forest plot of a grouped analysis: each group's λ̂
// and interval in the order of the summary table, the common λ̂ with its
// interval, and the reference geometries.
func (b *builder) forestFigure(r *analysis.Result) Figure {
	rows := groupRows(r)
	f := ForestFigure{Title: "λ̂ by group (" + r.Input.Columns["group"] + ")", XLabel: "λ = exponent p − 1 (0: negative entropy, 1: Euclidean)",
		Common: math.NaN(), CommonLo: math.NaN(), CommonHi: math.NaN()}
	for _, row := range rows {
		if row.Lambda == nil {
			continue
		}
		fr := ForestRow{Label: row.Group, N: row.N, Est: *row.Lambda, Lo: val(row.CI[0]), Hi: val(row.CI[1])}
		if row.Fit != nil && row.Fit.Deviates {
			fr.Highlight = true
		}
		f.Rows = append(f.Rows, fr)
	}
	gc := r.GroupComparison
	caption := fmt.Sprintf("Forest plot: each group's λ̂ (dot) and 95%% interval (bar), sorted by λ̂ from smallest (top) to largest; the label gives the group and its number of pairs in brackets. Dashed lines: negative entropy (λ = 0) and Euclidean (λ = 1). %d of %d groups have an estimate.", len(f.Rows), len(rows))
	if gc != nil && gc.SharedLambda != nil {
		f.Common, f.CommonLo, f.CommonHi = *gc.SharedLambda, val(gc.SharedLambdaCI[0]), val(gc.SharedLambdaCI[1])
		f.CommonLabel = fmt.Sprintf("common λ̂ = %s and 95%% interval", figFloat(*gc.SharedLambda, 3))
		caption += fmt.Sprintf(" Blue line and band: the λ shared by all groups (each with its %s) and its 95%% %s interval.", gc.ShiftWords(), gc.SharedInterval.Label())
	}
	if gc != nil && gc.DeviationCorrection != "" {
		f.HighlightLegend = "deviates from the common λ (" + DeviationShort + ")"
		caption += " Vermillion: groups whose λ̂ deviates from the common λ of the other groups (" + gc.DeviationCorrection + ")."
	}
	svg, err := f.SVG()
	return b.fig(caption, svg, err)
}

// DeviationShort names the correction in the forest plot's legend.
const DeviationShort = "Holm-corrected"

// groupsOverview is the HTML section that leads a grouped analysis: the
// forest plot, the summary table and, with paired data, the common-λ
// model; nil without groups.
func (b *builder) groupsOverview(r *analysis.Result) *Section {
	if len(r.Groups) == 0 {
		return nil
	}
	s := commonLambdaSection(r)
	if s == nil {
		s = &Section{ID: "groups-overview", Title: "Groups (" + r.Input.Columns["group"] + ")"}
	}
	blocks := []Block{b.forestFigure(r), groupSummaryTable(r)}
	s.Blocks = append(blocks, s.Blocks...)
	return s
}

// baseNames lists the files' base names, for a title that fits on the
// screen; the Data section gives the full paths.
func baseNames(files []string) string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Base(f)
	}
	if len(out) > 3 {
		return fmt.Sprintf("%s and %d more files", strings.Join(out[:3], ", "), len(out)-3)
	}
	return strings.Join(out, ", ")
}

// embeddedResult is the copy of r that the HTML page embeds for tools.
// With groups it leaves out the bulk of each group's detail, which would
// make a page of many groups slow to open: the group's distribution fits
// and its per-candidate results (its estimate, tests, warnings and
// verdict stay). The --json output keeps everything.
func embeddedResult(r *analysis.Result) *analysis.Result {
	if len(r.Groups) == 0 {
		return r
	}
	cp := *r
	cp.Groups = make([]analysis.Scope, len(r.Groups))
	for i, sc := range r.Groups {
		sc.Fits = analysis.Fits{}
		sc.FitComparisons = nil
		if g := sc.Geometry.Paired; g != nil {
			gg := *g
			gg.Candidates = nil
			sc.Geometry.Paired = &gg
		}
		cp.Groups[i] = sc
	}
	return &cp
}
