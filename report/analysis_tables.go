package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// The tables of an analysis, shared by the text and HTML renderings.

// val turns a nullable number into a float for Table.AddRow (NA when nil).
func val(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// pval formats a p-value: 3 significant digits, "< 1e-300" style for
// underflow, NA when missing.
func pval(p *float64) string {
	if p == nil {
		return Missing
	}
	if *p == 0 {
		return "<1e-300"
	}
	return FormatFloat(*p, 2)
}

// floorPval is pval for a calibrated p-value: at the floor of sims
// simulations it is the bound "<0.005".
func floorPval(p *float64, atFloor bool, sims int) string {
	if p != nil && atFloor {
		return testgeom.PValueCell(*p, true, sims, "")
	}
	return pval(p)
}

// pclause is pval for a sentence: "= 0.24", "< 1e-300" or "= NA".
func pclause(p *float64) string {
	if p != nil && *p == 0 {
		return "< 1e-300"
	}
	return "= " + pval(p)
}

// sampleLabel names a fitted sample for people.
func sampleLabel(key, shiftGeometry string) string {
	switch key {
	case "shift":
		return "dual shift (" + shiftGeometry + ")"
	case "sample":
		return "sample"
	}
	return key
}

// fitSamples lists the fitted samples of a scope in reading order.
func fitSamples(sc *analysis.Scope) []struct {
	key  string
	fits []fit.Result
} {
	all := []struct {
		key  string
		fits []fit.Result
	}{{"sample", sc.Fits.Sample}, {"before", sc.Fits.Before}, {"after", sc.Fits.After}, {"shift", sc.Fits.Shift}}
	var out []struct {
		key  string
		fits []fit.Result
	}
	for _, s := range all {
		if len(s.fits) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// bestFitsTable is one row per sample: the best family by AIC with its
// Akaike weight, the runner-up, and the best family's AD bootstrap p.
func bestFitsTable(sc *analysis.Scope) *Table {
	t := &Table{Caption: "Best distribution per sample (by AIC; Akaike weights; AD p from the parametric bootstrap)",
		Header: []string{"sample", "n", "best", "weight", "parameters", "AD p", "runner-up", "weight"}}
	for _, s := range fitSamples(sc) {
		cmp := sc.FitComparisons[s.key]
		best, second := rankedFit(s.fits, cmp.Ranking, 0), rankedFit(s.fits, cmp.Ranking, 1)
		// n is the n behind the fit: after zeros are left out and any subsample.
		row := []any{sampleLabel(s.key, sc.ShiftGeometry), int64(cmp.FittedN), "none fitted", math.NaN(), "", Missing, "", math.NaN()}
		if best != nil {
			row[2], row[3], row[4] = best.Family, val(best.AkaikeWeight), paramText(best)
			if best.PValues != nil {
				row[5] = gofPval(best.PValues, "ad")
			}
		}
		if second != nil {
			row[6], row[7] = second.Family, val(second.AkaikeWeight)
		}
		t.AddRow(row...)
	}
	if notes := subsampleNotes(sc); len(notes) > 0 {
		t.Notes = append(t.Notes, notes...)
	}
	// Only the best fit's AD p is shown, so only it can need the note.
	var shown []fit.Result
	for _, s := range fitSamples(sc) {
		if best := rankedFit(s.fits, sc.FitComparisons[s.key].Ranking, 0); best != nil {
			shown = append(shown, *best)
		}
	}
	if note := gofFloorNote(shown, "ad"); note != "" {
		t.Notes = append(t.Notes, note)
	}
	return t
}

func subsampleNotes(sc *analysis.Scope) []string {
	var notes []string
	for _, s := range fitSamples(sc) {
		c := sc.FitComparisons[s.key]
		if c.ZerosExcluded > 0 {
			notes = append(notes, fmt.Sprintf("The %s fits leave out %d zero weights (absent synapses).", sampleLabel(s.key, sc.ShiftGeometry), c.ZerosExcluded))
		}
		if c.FittedN < c.N-c.ZerosExcluded {
			notes = append(notes, fmt.Sprintf("The %s fits use a random subsample of %d of the %d values.", sampleLabel(s.key, sc.ShiftGeometry), c.FittedN, c.N-c.ZerosExcluded))
		}
		var full []string
		n := 0
		for i := range c.FullData {
			if r := &c.FullData[i]; r.Status == fit.StatusOK {
				full, n = append(full, r.Family+" "+paramSEText(r)), r.N
			}
		}
		if len(full) > 0 {
			notes = append(notes, fmt.Sprintf("Fitted on all %d %s values from exact sufficient statistics: %s.", n, sampleLabel(s.key, sc.ShiftGeometry), strings.Join(full, "; ")))
		}
	}
	return notes
}

func rankedFit(fits []fit.Result, ranking []string, i int) *fit.Result {
	if i >= len(ranking) {
		return nil
	}
	for k := range fits {
		if fits[k].Family == ranking[i] {
			return &fits[k]
		}
	}
	return nil
}

// paramText writes a fit's estimates as "meanlog = −0.70, sdlog = 0.94".
func paramText(r *fit.Result) string {
	var parts []string
	for _, name := range r.ParamNames {
		if v, ok := r.Params[name]; ok {
			parts = append(parts, name+" = "+FormatFloat(v, 4))
		}
	}
	return strings.Join(parts, ", ")
}

// fitTable is the full comparison of the families fitted to one sample.
func fitTable(sc *analysis.Scope, key string, fits []fit.Result) *Table {
	cmp := sc.FitComparisons[key]
	t := &Table{Caption: fmt.Sprintf("Distribution fits: %s (n = %d)", sampleLabel(key, sc.ShiftGeometry), cmp.N),
		Header: []string{"family", "parameters (± s.e.)", "log-lik", "AIC", "ΔAIC", "Akaike weight", "BIC", "KS", "KS p", "AD", "AD p"}}
	order := append([]string(nil), cmp.Ranking...)
	for _, r := range fits {
		if r.Status != fit.StatusOK {
			order = append(order, r.Family)
		}
	}
	for _, name := range order {
		for k := range fits {
			r := &fits[k]
			if r.Family != name {
				continue
			}
			if r.Status != fit.StatusOK {
				t.AddRow(r.Family, notFittedText(r), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), Missing, math.NaN(), Missing)
				continue
			}
			t.AddRow(r.Family, paramSEText(r), val(r.LogLik), val(r.AIC), val(r.DeltaAIC), val(r.AkaikeWeight), val(r.BIC),
				val(r.KS), gofPval(r.PValues, "ks"), val(r.AD), gofPval(r.PValues, "ad"))
			if name == cmp.Best {
				t.Emphasize(len(t.Rows) - 1)
			}
		}
	}
	if note := gofFloorNote(fits, "ks", "ad"); note != "" {
		t.Notes = append(t.Notes, note)
	}
	if cmp.ZerosExcluded > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d zero weights (absent synapses) are left out of the fits.", cmp.ZerosExcluded))
	}
	if cmp.FittedN < cmp.N-cmp.ZerosExcluded {
		t.Notes = append(t.Notes, fmt.Sprintf("Fitted to a random subsample of %d of the %d values.", cmp.FittedN, cmp.N-cmp.ZerosExcluded))
	}
	for i := range cmp.FullData {
		if r := &cmp.FullData[i]; r.Status == fit.StatusOK {
			t.Notes = append(t.Notes, fmt.Sprintf("On all %d values, from exact sufficient statistics: %s %s, log-likelihood %s.",
				r.N, r.Family, paramSEText(r), formatCell(val(r.LogLik), 6)))
		}
	}
	return t
}

func paramSEText(r *fit.Result) string {
	var parts []string
	for _, name := range r.ParamNames {
		v, ok := r.Params[name]
		if !ok {
			continue
		}
		s := name + " = " + FormatFloat(v, 4)
		if se, ok := r.SE[name]; ok {
			s += " ± " + FormatFloat(se, 2)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// shownCandidates picks the rows of the geometry table: the five best by
// likelihood (or by ΔCDF without likelihoods), plus NE and Euclidean, in
// the candidates' order.
func shownCandidates(g *testgeom.Result) []int {
	idx := make([]int, 0, len(g.Candidates))
	for i := range g.Candidates {
		idx = append(idx, i)
	}
	score := func(i int) float64 {
		c := g.Candidates[i]
		if c.LogLik != nil {
			return *c.LogLik
		}
		if c.DCDF != nil {
			return -1e300 - *c.DCDF // below every likelihood, ordered by ΔCDF
		}
		return math.Inf(-1)
	}
	sort.SliceStable(idx, func(a, b int) bool { return score(idx[a]) > score(idx[b]) })
	keep := map[int]bool{}
	for _, i := range idx[:min(5, len(idx))] {
		keep[i] = true
	}
	for i, c := range g.Candidates {
		if c.Name == "NE" || c.Name == "p=2.0" || c.Name == g.BestByDCDF {
			keep[i] = true
		}
	}
	var out []int
	for i := range g.Candidates {
		if keep[i] {
			out = append(out, i)
		}
	}
	return out
}

// geometryTable lists the top candidates of a paired test.
func geometryTable(g *testgeom.Result) *Table {
	t := &Table{Caption: fmt.Sprintf("Geometry candidates (%d pairs compared; top 5 by likelihood, with NE and Euclidean)", g.ComparedN),
		Header: []string{"candidate", "n", "ΔCDF", "p", "ΔCDF centred", "p", "magnitude", "rel. step", "Δlog-lik", "AD p", "ρ(d, w0)", "ρ(|d−m|, w0)", "wins"}}
	top := math.Inf(-1)
	for _, c := range g.Candidates {
		if c.LogLik != nil {
			top = math.Max(top, *c.LogLik)
		}
	}
	for _, i := range shownCandidates(g) {
		c := g.Candidates[i]
		if c.DCDF == nil {
			t.AddRow(c.Name, c.N, c.Status, "", "", "", "", "", "", "", "", "", "")
			continue
		}
		rel := math.NaN()
		if c.LogLik != nil {
			rel = *c.LogLik - top
		}
		wins := Missing
		if g.Bootstrap != nil {
			wins = fmt.Sprintf("%.0f%%", 100*g.Bootstrap.WinsLikelihood[c.Name])
		}
		t.AddRow(c.Name, c.N, val(c.DCDF), floorPval(c.DCDFPValue, c.DCDFPAtFloor, g.NullReplicates), val(c.DCDFCentered), floorPval(c.DCDFCenteredPValue, c.DCDFCenteredPAtFloor, g.NullReplicates),
			val(c.Magnitude), val(c.RelativeStep), rel, pval(c.ADPValue), val(c.SpearmanShiftW0), val(c.SpearmanSpreadW0), wins)
		if c.Name == g.BestByLikelihood {
			t.Emphasize(len(t.Rows) - 1)
		}
	}
	t.Notes = append(t.Notes,
		DCDFNote,
		MagnitudeNote,
		"Δlog-lik: log-likelihood of w1 given w0 relative to the best candidate; "+RhoNote)
	if g.Bootstrap != nil {
		t.Notes = append(t.Notes, fmt.Sprintf("wins: share of %d bootstrap resamples of %d pairs in which the candidate has the highest likelihood.", g.Bootstrap.Replicates, g.Bootstrap.SampleN))
	}
	return t
}

// estimateLines are the λ̂, LR-test and bootstrap lines of a paired test.
// NamedLRTest is a likelihood-ratio test of one named geometry, with the
// name reports print for it.
type NamedLRTest struct {
	Name string          // the geometry's name as printed
	Test testgeom.LRTest // its likelihood-ratio test
}

// NamedLRTests lists the tests of Euclidean (λ = 1) and negative entropy
// (λ = 0), in the order every report prints them.
func NamedLRTests(t testgeom.LRTests) []NamedLRTest {
	return []NamedLRTest{{"Euclidean (λ = 1)", t.Euclidean}, {"negative entropy (λ = 0)", t.NegativeEntropy}}
}

func estimateLines(g *testgeom.Result) []string {
	var out []string
	out = append(out, fmt.Sprintf("Best by ΔCDF: %s (centred: %s); best by likelihood: %s.", orNone(g.BestByDCDF), orNone(g.BestByDCDFCentered), orNone(g.BestByLikelihood)))
	if g.LambdaHat != nil {
		out = append(out, fmt.Sprintf("Geometry estimate: λ̂ = %s (95%% %s interval %s%s), i.e. p̂ = λ̂ + 1 = %s.",
			FormatFloat(*g.LambdaHat, 4), g.LambdaInterval.Label(), ciText(g.LambdaCI, 0), lrBeside(g.LambdaInterval, 0), pHatText(*g.PHat, g.LambdaCI)))
	} else {
		out = append(out, "No likelihood estimate of the geometry: "+g.ProfileStatus+".")
	}
	for _, t := range NamedLRTests(g.LRTests) {
		if t.Test.PValue == nil && t.Test.Status == "" {
			continue
		}
		s := fmt.Sprintf("LR test of %s%s: χ²₁ = %s, p %s", t.Name, lrModel(g.LambdaInterval), FormatFloat(val(t.Test.Stat), 4), pclause(t.Test.PValue))
		if t.Test.Status != "" {
			s += " (" + t.Test.Status + ")"
		}
		out = append(out, s+".")
	}
	if b := g.Bootstrap; b != nil {
		s := fmt.Sprintf("Bootstrap over synapses (%d resamples of %d pairs): Gaussian-model λ̂ percentile interval %s; wins by likelihood: %s; by ΔCDF: %s.",
			b.Replicates, b.SampleN, ciText(b.LambdaCI, 0), WinsText(b.WinsLikelihood), WinsText(b.WinsDCDF))
		if b.Note != "" {
			s += " " + b.Note
		}
		out = append(out, s)
	}
	out = append(out, StepModelsLines(g.StepModels)...)
	if l := effectSizeLine(g.EffectSizes); l != "" {
		out = append(out, l)
	}
	if c := findCandidate(g, g.BestByLikelihood); c != nil && c.SpearmanShiftW0 != nil {
		out = append(out, fmt.Sprintf("Independence under %s: Spearman ρ(d, w0) = %s (p %s), ρ(|d − median|, w0) = %s (p %s), on %d pairs.",
			c.Name, FormatFloat(*c.SpearmanShiftW0, 3), pclause(c.SpearmanShiftW0P), FormatFloat(val(c.SpearmanSpreadW0), 3), pclause(c.SpearmanSpreadW0P), c.DiagnosticsN))
	}
	return out
}

func findCandidate(g *testgeom.Result, name string) *testgeom.Candidate {
	for i := range g.Candidates {
		if g.Candidates[i].Name == name {
			return &g.Candidates[i]
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// narrowDecimals is the number of decimals for a value beside the
// interval ci when ci is narrower than 0.01 (testgeom.LambdaDecimals: two
// significant digits of its width), else 0: beside wider or open
// intervals the tables and figures keep their significant digits.
func narrowDecimals(ci [2]*float64) int {
	if d := testgeom.LambdaDecimals(ci, 0); d > 3 {
		return d
	}
	return 0
}

// pHatText writes p̂ = λ̂ + 1 with four significant digits, or, beside a
// λ interval narrower than 0.01, with narrowDecimals: p̂ = 1.00014, not
// 1.000, when λ̂ = 0.00014 [−0.00026, 0.00054].
func pHatText(p float64, ci [2]*float64) string {
	if d := narrowDecimals(ci); d > 0 {
		return fmt.Sprintf("%.*f", d, p)
	}
	return FormatFloat(p, 4)
}

// ciText writes an interval, shifted by add (1 turns λ into p): with four
// significant digits, or on the p scale beside a λ interval narrower than
// 0.01 with the decimals pHatText gives p̂ ([0.99974, 1.00054], not
// [0.9997, 1.001]).
func ciText(ci [2]*float64, add float64) string {
	if ci[0] == nil && ci[1] == nil {
		return Missing
	}
	f := func(x *float64, inf string) string {
		if x == nil {
			return inf
		}
		if add != 0 {
			return pHatText(*x+add, ci)
		}
		return FormatFloat(*x+add, 4)
	}
	return "[" + f(ci[0], "−∞") + ", " + f(ci[1], "∞") + "]"
}

// WinsText lists bootstrap win frequencies: the candidates that won at least
// once, most often first, or "none".
func WinsText(m map[string]float64) string {
	type kv struct {
		k string
		v float64
	}
	var l []kv
	for k, v := range m {
		if v > 0 {
			l = append(l, kv{k, v})
		}
	}
	sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v || l[i].v == l[j].v && l[i].k < l[j].k })
	parts := make([]string, 0, len(l))
	for _, e := range l {
		parts = append(parts, fmt.Sprintf("%s %.0f%%", e.k, 100*e.v))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// unpairedTable lists the candidates of an unpaired test.
func unpairedTable(g *testgeom.UnpairedResult) *Table {
	t := &Table{Caption: fmt.Sprintf("Geometry candidates, unpaired samples (%d before, %d after)", g.NBefore, g.NAfter),
		Header: []string{"candidate", "distance", "95% interval", "μ̂", "σ̂²", "σ̂² z", "can explain", "Δskewness", "Δkurtosis", "log-lik", "wins"}}
	for _, c := range g.Candidates {
		if c.Distance == nil {
			t.AddRow(c.Name, c.Status, "", "", "", "", c.CanExplain, "", "", "", "")
			continue
		}
		wins := Missing
		if g.Bootstrap != nil {
			wins = fmt.Sprintf("%.0f%%", 100*g.Bootstrap.WinsDistance[c.Name])
		}
		t.AddRow(c.Name, val(c.Distance), ciText(c.DistanceCI, 0), val(c.ShiftMean), val(c.ShiftVariance), val(c.ShiftVarianceZ),
			c.CanExplain, val(c.SkewnessChange), val(c.KurtosisChange), val(c.LogLik), wins)
		if c.Name == g.BestByDistance {
			t.Emphasize(len(t.Rows) - 1)
		}
	}
	t.Notes = append(t.Notes, "distance: ∫|F_after − F_predicted| in dual space over the after sd (0 when the after law is the before law shifted by a Gaussian); "+
		"σ̂² < 0 significantly means the geometry cannot explain the change; Δskewness and Δkurtosis must be 0 under the model.")
	return t
}

// unpairedLines are the estimate lines of an unpaired test.
func unpairedLines(g *testgeom.UnpairedResult) []string {
	out := []string{fmt.Sprintf("Best by distance: %s; best by likelihood: %s.", orNone(g.BestByDistance), orNone(g.BestByLikelihood))}
	if g.LambdaHat != nil {
		out = append(out, fmt.Sprintf("Geometry estimate: λ̂ = %s (95%% interval %s), p̂ = %s.", FormatFloat(*g.LambdaHat, 4), ciText(g.LambdaCI, 0), pHatText(val(g.PHat), g.LambdaCI)))
	} else if g.ProfileStatus != "" {
		out = append(out, "No likelihood estimate of the geometry: "+g.ProfileStatus+".")
	}
	for _, t := range NamedLRTests(g.LRTests) {
		if t.Test.PValue == nil {
			continue
		}
		out = append(out, fmt.Sprintf("LR test of %s: χ²₁ = %s, p %s.", t.Name, FormatFloat(val(t.Test.Stat), 4), pclause(t.Test.PValue)))
	}
	if b := g.Bootstrap; b != nil {
		out = append(out, fmt.Sprintf("Bootstrap (%d resamples): wins by distance: %s.", b.Replicates, WinsText(b.WinsDistance)))
	}
	return out
}

// countsText is CountsList for a summary line: "none" when empty.
func countsText(m map[string]int64) string {
	if s := ingest.CountsList(m); s != "" {
		return s
	}
	return "none"
}

// candidatesText abbreviates the paper's grid.
func candidatesText(c []string) string {
	if len(c) > 6 {
		return fmt.Sprintf("%s, %s, %s, …, %s (%d candidates)", c[0], c[1], c[2], c[len(c)-1], len(c))
	}
	return strings.Join(c, ", ")
}

// settingsSummary lists every setting of the run.
func settingsSummary(r *analysis.Result) Summary {
	s := r.Settings
	fams := "by the sign of each sample (positive or signed families)"
	if len(s.Families) > 0 {
		fams = strings.Join(s.Families, ", ")
	}
	boot := "none"
	if s.Bootstrap > 0 {
		boot = fmt.Sprintf("%d resamples of synapses", s.Bootstrap)
	}
	null := "none"
	if s.NullReplicates > 0 {
		null = fmt.Sprintf("%d simulations of Gaussian shifts", s.NullReplicates)
	}
	gof := "none"
	if s.GOFSamples > 0 {
		gof = fmt.Sprintf("%d refitted resamples (%s; on a random subsample of %d above %d values, the same for every family)", s.GOFSamples, gofFloorText(s.GOFSamples), s.GOFMaxN, s.GOFMaxN)
	}
	return Summary{
		{"seed", fmt.Sprint(s.Seed)},
		{"candidate geometries", candidatesText(s.Candidates)},
		{"families (weights)", fams},
		{"families (dual shifts)", strings.Join(s.ShiftFamilies, ", ")},
		{"dual shifts fitted under", s.ShiftGeometry},
		{"bootstrap over synapses", boot},
		{"ΔCDF calibration", null},
		{"GOF bootstrap", gof},
		{"distribution fits", fmt.Sprintf("maximum likelihood, on a random subsample of %d above %d values", s.FitMaxN, s.FitMaxN)},
		{"zeros", zeroText(s.ZeroPolicy)},
	}
}

func zeroText(p string) string {
	switch p {
	case "missing":
		return "read as absent synapses (turnover): the pair is excluded"
	case "keep":
		return "kept as weights (negative entropy skips pairs with a zero)"
	}
	return "as given by the caller"
}
