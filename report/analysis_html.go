package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/testgeom"
)

// AnalysisPageOptions tune AnalysisDocument.
type AnalysisPageOptions struct {
	// Footer is shown at the bottom (program version, say).
	Footer string
	// Software names the program in the methods paragraph; "" means
	// "syngeom".
	Software string
	// Title is the page's title; "" means "Geometry of plasticity: " and
	// the file names, or Input.Name for data given in memory.
	Title string
	// Version is the program's version (module version or VCS commit);
	// "" is written as "unknown".
	Version string
	// CommandLine is the command that made the report, quoted for a shell.
	CommandLine string
	// Unit of the weights on the figures' axes; "" means "a.u.".
	Unit string
	// Layers, for two network checkpoints, adds the per-layer section
	// after the data.
	Layers *LayerReport
}

// shiftBins is the number of initial-weight bins of the shift figures.
const shiftBins = 20

// AnalysisDocument builds the HTML report of an analysis: the verdict, the
// data, the geometry test with ΔCDF against the exponent, the profile
// likelihood and the dual shifts against the initial weight (best candidate
// and Euclidean), the distribution fits with histograms (linear and log
// axes) and QQ plots, one panel per group, and a methods paragraph with
// every setting and the references.
func AnalysisDocument(r *analysis.Result, o AnalysisPageOptions) (*Document, error) {
	if o.Software == "" {
		o.Software = "syngeom"
	}
	doc := &Document{
		Title:    pageTitle(r, o.Title),
		Subtitle: subtitle(r),
		Verdict:  r.Verdict,
		Warnings: topWarnings(r),
		Footer:   o.Footer,
		Data:     embeddedResult(r),
	}
	if r.Input.Demo {
		doc.Banner = DemoBanner
	}
	b := &builder{unit: axisUnit(o.Unit)}
	doc.Sections = append(doc.Sections, dataSection(r))
	if o.Layers != nil {
		doc.Sections = append(doc.Sections, b.layersSection(o.Layers))
	}
	if s := b.groupsOverview(r); s != nil {
		doc.Sections = append(doc.Sections, *s)
	}
	dist := Section{ID: "distributions", Title: "Distributions"}
	geo := Section{ID: "geometry", Title: "Geometry of plasticity"}
	if r.GroupComparison != nil {
		geo.Title += ": " + pooledTitle(r)
		dist.Title += ": " + pooledTitle(r)
	}
	// Figures are numbered in page order: geometry before distributions.
	geo.Blocks = b.geometryBlocks(&r.Scope, true)
	dist.Blocks = b.distributionBlocks(&r.Scope)
	doc.Sections = append(doc.Sections, geo, dist)
	if len(r.Groups) > 0 {
		gs := Section{ID: "groups", Title: "Per group (" + r.Input.Columns["group"] + ")"}
		gs.Blocks = []Block{Paragraph("Every analysis above is repeated on the synapses of each group alone; open a group to read it.")}
		drawGroups := len(r.Groups) <= groupPanelFigureMax
		if !drawGroups {
			gs.Blocks = append(gs.Blocks, Paragraph(fmt.Sprintf("With %d groups the panels below hold the tables and verdicts only; the profile and shift figures are drawn per group up to %d groups, so that the page stays light. The summary table above compares the groups' estimates.", len(r.Groups), groupPanelFigureMax)))
		}
		for i := range r.Groups {
			sc := &r.Groups[i]
			if !drawGroups {
				bare := *sc
				bare.Figures = nil
				sc = &bare
			}
			sub := Section{Title: sc.Group, Collapsed: true}
			sub.Blocks = append(sub.Blocks, Paragraph("Verdict: "+sc.Verdict))
			for _, w := range sc.Warnings {
				sub.Blocks = append(sub.Blocks, Note{Text: w, Warning: true})
			}
			sub.Blocks = append(sub.Blocks, bestFitsTable(sc))
			sub.Blocks = append(sub.Blocks, b.geometryBlocks(sc, false)...)
			gs.Sections = append(gs.Sections, sub)
		}
		doc.Sections = append(doc.Sections, gs)
	}
	if b.err != nil {
		return nil, b.err
	}
	doc.Methods = methods(r, o)
	return doc, nil
}

func subtitle(r *analysis.Result) string {
	in := r.Input
	var s string
	switch in.Shape {
	case "paired":
		s = fmt.Sprintf("%d pairs of synapses measured before and after", in.PairsUsed)
		if consecutivePairs(in) {
			s = fmt.Sprintf("%d pairs of consecutive measurements of the same synapses", in.PairsUsed)
		}
	case "unpaired":
		s = fmt.Sprintf("unpaired samples: %d synapses before, %d after", in.NBefore, in.NAfter)
	default:
		s = fmt.Sprintf("a single sample of %d synapses", in.NBefore)
	}
	if len(in.Groups) > 0 {
		s += fmt.Sprintf(", %d groups", len(in.Groups))
	}
	return s
}

func dataSection(r *analysis.Result) Section {
	in := r.Input
	sum := Summary{
		dataName(in),
		{"format", in.Format},
		{"shape", in.Shape},
		{"columns", columnsText(in.Columns)},
		{"rows read", fmt.Sprint(in.Rows)},
	}
	switch in.Shape {
	case "paired":
		sum = append(sum, KV{"pairs used", fmt.Sprint(in.PairsUsed)})
	case "unpaired":
		sum = append(sum, KV{"values used", fmt.Sprintf("%d before, %d after", in.NBefore, in.NAfter)})
	default:
		sum = append(sum, KV{"values used", fmt.Sprint(in.NBefore)})
	}
	sum = append(sum, KV{"excluded", ExcludedText(in.Excluded, in.Shape)}, KV{"kept but flagged", FlaggedText(in.Counts, in.Shape)})
	if len(in.Groups) > 0 {
		sum = append(sum, KV{"groups", strings.Join(in.Groups, ", ")})
	}
	s := Section{ID: "data", Title: "Data"}
	if in.Demo {
		s.Blocks = append(s.Blocks, Paragraph(in.Description))
	}
	s.Blocks = append(s.Blocks, sum)
	if len(in.Notes) > 0 {
		s.Blocks = append(s.Blocks, Paragraph("Reading notes: "+strings.Join(in.Notes, "; ")+"."))
	}
	return s
}

// builder renders figures and keeps the first error.
type builder struct {
	err  error
	n    int
	unit string // of the weights, on the axes
}

func (b *builder) fig(caption string, svg []byte, err error) Figure {
	if err != nil && b.err == nil {
		b.err = err
	}
	b.n++
	return Figure{ID: fmt.Sprintf("fig-%d", b.n), SVG: svg, Caption: fmt.Sprintf("Figure %d. %s", b.n, caption)}
}

// topFits are the fitted families of a sample by AIC, best first, at most k.
func topFits(fits []fit.Result, ranking []string, k int) []*fit.Result {
	var out []*fit.Result
	for i := 0; i < len(ranking) && len(out) < k; i++ {
		if f := rankedFit(fits, ranking, i); f != nil && f.Estimate != nil {
			out = append(out, f)
		}
	}
	return out
}

func densities(fs []*fit.Result) []Density {
	var out []Density
	for i, f := range fs {
		label := f.Family
		if f.AkaikeWeight != nil {
			label += fmt.Sprintf(" (Akaike weight %s)", FormatFloat(*f.AkaikeWeight, 2))
		}
		if i == 0 {
			label += ", best"
		}
		out = append(out, Density{Label: label, PDF: f.Estimate.Dist.Prob})
	}
	return out
}

func quantiles(fs []*fit.Result) []Quantile {
	var out []Quantile
	for _, f := range fs {
		out = append(out, Quantile{Label: f.Family, Quantile: f.Estimate.Dist.Quantile})
	}
	return out
}

// mostlyPositive reports whether at least 90% of x is positive: then a
// log axis shows the data (the few zeros, if any, are counted in a note).
func mostlyPositive(x []float64) bool {
	pos := 0
	for _, v := range x {
		if v > 0 {
			pos++
		}
	}
	return len(x) > 0 && pos >= len(x)-len(x)/10
}

// distributionBlocks are the fits of a scope: the summary table, and per
// sample the histograms, the QQ plot and the full comparison.
func (b *builder) distributionBlocks(sc *analysis.Scope) []Block {
	blocks := []Block{bestFitsTable(sc)}
	f := sc.Figures
	if f == nil {
		// A Result decoded from JSON, say: the fits without their values.
		f = &analysis.ScopeFigures{}
		if sc.Design != "single" {
			blocks = append(blocks, Paragraph("This result carries no values to draw: the tables give every fit, and the histograms and QQ plots are left out."))
		}
	}
	samples := []struct {
		key   string
		x     analysis.FigureSample
		fits  []fit.Result
		label string
	}{
		{"sample", f.Before, sc.Fits.Sample, "weight (" + b.unit + ")"},
		{"before", f.Before, sc.Fits.Before, "weight before (" + b.unit + ")"},
		{"after", f.After, sc.Fits.After, "weight after (" + b.unit + ")"},
		{"shift", f.Shift, sc.Fits.Shift, "dual shift under " + sc.ShiftGeometry + " (" + dualUnit(sc.ShiftGeometry, b.unit) + ")"},
	}
	for _, s := range samples {
		if len(s.fits) == 0 {
			continue
		}
		x := s.x.Values
		if len(x) == 0 {
			blocks = append(blocks, fitTable(sc, s.key, s.fits))
			continue
		}
		cmp := sc.FitComparisons[s.key]
		top := topFits(s.fits, cmp.Ranking, 3)
		name := sampleLabel(s.key, sc.ShiftGeometry)
		row := FigureRow{}
		svg, err := HistogramFigure{Title: "Histogram: " + name, XLabel: s.label, Sample: x, Densities: densities(top)}.SVG()
		row = append(row, b.fig(fmt.Sprintf("Histogram of the %s values (%s) with the three best fitted densities.", name, drawnText(len(x), s.x.N)), svg, err))
		positive := mostlyPositive(x)
		if positive {
			svg, err = HistogramFigure{Title: "Histogram, log axis: " + name, XLabel: s.label, Sample: x, Densities: densities(top), LogX: true}.SVG()
			row = append(row, b.fig("The same on a logarithmic axis (density of ln x): a log-normal sample looks Gaussian here.", svg, err))
		}
		qunit := b.unit
		if s.key == "shift" {
			qunit = dualUnit(sc.ShiftGeometry, b.unit)
		}
		svg, err = QQFigure{Title: "QQ plot: " + name, Sample: x, Fits: quantiles(top[:min(2, len(top))]), LogAxes: positive, Unit: qunit, Band: true}.SVG()
		row = append(row, b.fig(fmt.Sprintf("Sample quantiles of the %s values (%s) against the two best fits; points on the diagonal mean a good fit. The dotted curves are the pointwise 95%% band of each order statistic under the best fit; points outside it are marked by red crosses. About 1 point in 20 falls outside by chance, so a run of red crosses in a tail, not a single one, marks where the fitted law misses.", name, drawnText(len(x), s.x.N)), svg, err))
		blocks = append(blocks, row, fitTable(sc, s.key, s.fits))
	}
	return blocks
}

// geometryBlocks are the geometry test of a scope; full adds the ECDF
// comparison and the estimate lines (the group panels are shorter).
func (b *builder) geometryBlocks(sc *analysis.Scope, full bool) []Block {
	switch {
	case sc.Geometry.Paired != nil:
		return b.pairedBlocks(sc, full)
	case sc.Geometry.Unpaired != nil:
		return b.unpairedBlocks(sc)
	}
	return []Block{Paragraph("A single sample cannot identify the geometry of plasticity; the power-normal (Box–Cox) fit above gives the exponent under which the weights look Gaussian (λ = 0: log-normal).")}
}

func (b *builder) pairedBlocks(sc *analysis.Scope, full bool) []Block {
	g := sc.Geometry.Paired
	if g.Status != testgeom.StatusOK {
		return []Block{Note{Text: "Geometry test not run: " + g.Status, Warning: true}}
	}
	var blocks []Block
	blocks = append(blocks, geometryTable(g))
	if full {
		for _, l := range estimateLines(g) {
			blocks = append(blocks, Paragraph(l))
		}
	}
	var scores []CandidateScore
	for _, c := range g.Candidates {
		if c.DCDF == nil || c.Lambda == nil {
			continue
		}
		p := *c.Lambda + 1
		if c.Name == "NE" {
			p = math.NaN()
		}
		lo, hi := math.NaN(), math.NaN()
		if c.DCDFNullRange != nil {
			lo, hi = c.DCDFNullRange[0], c.DCDFNullRange[1]
		}
		scores = append(scores, CandidateScore{Name: c.Name, P: p, DCDF: *c.DCDF, NullLo: lo, NullHi: hi})
	}
	row := FigureRow{}
	// A group's panel keeps the profile and its best candidate's shifts:
	// the geometry table has the ΔCDF of every candidate, and a page of
	// hundreds of groups must stay light.
	if full {
		svg, err := DeltaCDFFigure{Title: titled("ΔCDF against the candidate exponent", sc.Group), Candidates: scores, Best: g.BestByDCDF}.SVG()
		row = append(row, b.fig("The paper's ΔCDF for each candidate: the distance of d/sd(d) from N(0, 1), with d not centred, so it includes the mean shift and is not a distance from the nearest Gaussian; its calibrated p-value holds the observed mean/sd ratio fixed, so it tests the shape. Smallest is best. It shrinks like 1/√n, so compare candidates, not datasets."+nullBandCaption(scores), svg, err))
	}
	f := sc.Figures
	if f == nil {
		f = &analysis.ScopeFigures{}
	}
	if pc := f.Profile; pc != nil {
		p, rel := pc.P, pc.RelLogLik
		lhat, ci, label, tests := g.GaussianEstimate()
		lo, hi := math.NaN(), math.NaN()
		if ci[0] != nil {
			lo = *ci[0] + 1
		}
		if ci[1] != nil {
			hi = *ci[1] + 1
		}
		svg, err := ProfileFigure{Title: titled("Profile log-likelihood of the geometry", sc.Group), P: p, RelLogLik: rel,
			PHat: *lhat + 1, CILo: lo, CIHi: hi, NELogLik: relFromLR(tests.NegativeEntropy), EuclidLogLik: relFromLR(tests.Euclidean)}.SVG()
		caption := fmt.Sprintf("Profile log-likelihood of w1 given w0 against the exponent p = λ + 1, relative to its maximum at p̂ = %s; the shaded band is the 95%% %s interval %s%s.",
			pHatText(*g.PHat, g.LambdaCI), g.LambdaInterval.Label(), ciText(g.LambdaCI, 1), lrBeside(g.LambdaInterval, 1))
		if lhat != g.LambdaHat {
			caption = fmt.Sprintf("Profile log-likelihood of w1 given w0 under Gaussian dual steps against the exponent p = λ + 1, relative to its maximum at p̂ = %s; the shaded band is its 95%% %s interval %s. The data prefer Student-t steps, and the headline estimate is that model's: p̂ = %s, 95%% %s interval %s.",
				pHatText(*lhat+1, ci), label, ciText(ci, 1), pHatText(*g.PHat, g.LambdaCI), g.LambdaInterval.Label(), ciText(g.LambdaCI, 1))
		}
		row = append(row, b.fig(caption+profileCaptionTail, svg, err))
	}
	blocks = append(blocks, row)
	row = FigureRow{}
	names := []string{g.BestByLikelihood}
	if g.BestByLikelihood != "p=2.0" && full {
		names = append(names, "p=2.0")
	}
	for _, name := range names {
		cs := f.ShiftsOf(name)
		if cs == nil || len(cs.D) == 0 {
			continue
		}
		what := name
		if name == "p=2.0" {
			what = "Euclidean (p = 2)"
		}
		svg, err := ShiftFigure{Title: titled("Dual shift against initial weight: "+what, sc.Group), W0: cs.W0, D: cs.D,
			Bins: ShiftBins(cs.W0, cs.D, shiftBins), LogX: mostlyPositive(cs.W0), XLabel: "initial weight w0 (" + b.unit + ")", YLabel: "dual shift g(w1) − g(w0) (" + dualUnit(name, b.unit) + ")"}.SVG()
		row = append(row, b.fig(fmt.Sprintf("Dual shifts under %s against the initial weight (%s), with the binned mean and 10–90%% band. Under the right geometry without measurement noise the band is flat and of constant width; noise in w0 tilts the mean downwards at large w0 (regression to the mean).", what, drawnText(len(cs.D), cs.N)), svg, err))
	}
	if len(row) > 0 {
		blocks = append(blocks, row)
	}
	if full {
		var curves []ECDFCurve
		n, of := 0, int64(0)
		for _, name := range names {
			c := findCandidate(g, name)
			cs := f.ShiftsOf(name)
			if c == nil || c.ShiftSD == nil || cs == nil || len(cs.D) == 0 {
				continue
			}
			z := make([]float64, len(cs.D))
			for i, v := range cs.D {
				z[i] = v / *c.ShiftSD
			}
			curves = append(curves, NewECDFCurve(name, z))
			n, of = len(cs.D), cs.N
		}
		if len(curves) > 0 {
			svg, err := ECDFFigure{Title: "Standardised dual shifts against Φ", Curves: curves, Difference: true}.SVG()
			blocks = append(blocks, b.fig(fmt.Sprintf("Empirical CDF of d/sd(d) (%s) minus the standard normal CDF Φ (the paper's uncentred standardisation: a mean shift moves the curve as much as a change of shape); ΔCDF is the area between a curve and zero.", drawnText(n, of)), svg, err))
		}
	}
	return blocks
}

// groupPanelFigureMax is the number of groups up to which each group's
// panel draws its profile and shift figures: two figures of about 40 kB
// each, so a checkpoint of hundreds of tensors would otherwise make a page
// of tens of megabytes.
const groupPanelFigureMax = 64

// drawnText says how many values a figure draws: all n, or a random
// subsample of n of all N.
func drawnText(n int, all int64) string {
	if int64(n) >= all {
		return fmt.Sprintf("n = %d", n)
	}
	return fmt.Sprintf("a random subsample of n = %d of the %d values", n, all)
}

// zerosLeftOut reports whether any fit of the analysis left zeros out.
func zerosLeftOut(r *analysis.Result) bool {
	scopes := append([]analysis.Scope{r.Scope}, r.Groups...)
	for _, sc := range scopes {
		for _, c := range sc.FitComparisons {
			if c.ZerosExcluded > 0 {
				return true
			}
		}
	}
	return false
}

// relFromLR turns an LR statistic into ℓ − ℓ(λ̂).
func relFromLR(t testgeom.LRTest) float64 {
	if t.Stat == nil {
		return math.NaN()
	}
	return -*t.Stat / 2
}

func titled(s, group string) string {
	if group == "" {
		return s
	}
	return s + " (" + group + ")"
}

func (b *builder) unpairedBlocks(sc *analysis.Scope) []Block {
	g := sc.Geometry.Unpaired
	if g.Status != testgeom.StatusOK {
		return []Block{Note{Text: "Geometry test not run: " + g.Status, Warning: true}}
	}
	blocks := []Block{unpairedTable(g)}
	for _, l := range unpairedLines(g) {
		blocks = append(blocks, Paragraph(l))
	}
	var scores []CandidateScore
	for _, c := range g.Candidates {
		if c.Distance == nil || c.Lambda == nil {
			continue
		}
		p := *c.Lambda + 1
		if c.Name == "NE" {
			p = math.NaN()
		}
		scores = append(scores, CandidateScore{Name: c.Name, P: p, DCDF: *c.Distance, NullLo: math.NaN(), NullHi: math.NaN()})
	}
	svg, err := DeltaCDFFigure{Title: titled("Distance of the after law from its prediction", sc.Group), Candidates: scores,
		Best: g.BestByDistance, YLabel: "distance / after sd"}.SVG()
	blocks = append(blocks, b.fig("For each candidate, the distance between the observed after distribution and the before distribution shifted by a Gaussian in dual space; smallest is best.", svg, err))
	return blocks
}

// methods writes the paragraph a paper can reuse, the settings and the
// references.
func methods(r *analysis.Result, o AnalysisPageOptions) *Methods {
	in, s := r.Input, r.Settings
	first, pairing, more := referenceMethods(r, o)
	p := []string{first}
	data := fmt.Sprintf("Synaptic weights were analysed with %s. Of %s, ", o.Software, rowsText(in))
	switch in.Shape {
	case "paired":
		data += fmt.Sprintf("%d pairs (the same synapse measured twice; what the two measurements are is stated below) were used", in.PairsUsed)
	case "unpaired":
		data += fmt.Sprintf("%d values before and %d after learning (different synapses) were used", in.NBefore, in.NAfter)
	default:
		data += fmt.Sprintf("%d values were used", in.NBefore)
	}
	data += "; excluded: " + countsText(in.Excluded) + "."
	if s.ZeroPolicy == "missing" {
		data += " Zero weights were read as absent synapses (turnover) and their pairs excluded."
	}
	if len(in.Groups) > 0 {
		data += fmt.Sprintf(" Every analysis was run on all synapses pooled and separately for each value of %s (%s).", in.Columns["group"], strings.Join(in.Groups, ", "))
		if r.GroupComparison != nil {
			data += " The groups were also fitted jointly with one λ shared by all groups and a shift mean and sd of their own; a likelihood-ratio test against a λ per group (χ² with groups − 1 degrees of freedom) tested a common λ. This joint model is the estimate; the pooled fit, with one shift distribution for all groups, is shown for reference only."
		}
	}
	p = append(p, data)
	if pairing != "" {
		p = append(p, pairing)
	}
	fams := "positive-support families (normal, log-normal, gamma, Weibull, exponential, log-logistic, inverse Gaussian and power-normal, i.e. Box–Cox normal) for positive samples and the normal, Student-t, Laplace and logistic laws for signed ones"
	if len(s.Families) > 0 {
		fams = "the families " + strings.Join(s.Families, ", ")
	}
	fitText := "The weights before and after learning were fitted by maximum likelihood with " + fams
	if in.Shape == "paired" {
		fitText += fmt.Sprintf(", and the dual shifts of the best-supported geometry with the %s laws", strings.Join(s.ShiftFamilies, ", "))
	}
	fitText += fmt.Sprintf("; standard errors come from the observed information, and samples above %d values were fitted on a random subsample of that size.", s.FitMaxN)
	if zerosLeftOut(r) {
		fitText += " Zero weights (absent synapses) were left out of the fits of samples without negative values."
	}
	fitText += " Models were compared by AIC and Akaike weights (Akaike 1974; Burnham & Anderson 2002)"
	if s.GOFSamples > 0 {
		fitText += fmt.Sprintf("; goodness of fit was assessed by the Kolmogorov–Smirnov (KS) and Anderson–Darling (AD) statistics with parametric-bootstrap p-values (%d resamples, each refitted; %s; on a random subsample of %d values for larger samples; every family judged on the same subsample and the same random numbers per resample)", s.GOFSamples, gofFloorText(s.GOFSamples), s.GOFMaxN)
	}
	p = append(p, fitText+".")
	cands := candidatesText(s.Candidates)
	switch in.Shape {
	case "paired":
		t := fmt.Sprintf("Following Pogodin et al. (2024), each candidate geometry of plasticity — %s — was represented by the dual map g of its mirror-descent potential: g(w) = sign(w)|w|^(p−1) for the p-norms (p = 2 is Euclidean gradient descent) and g(w) = sign(w)(1 + log|w|) for negative entropy (multiplicative updates). For each candidate the dual shifts d = g(w1) − g(w0) were standardised by their standard deviation and compared with N(0, 1) by ΔCDF, the integrated absolute difference of the empirical and normal CDFs on 1000 points in [−5, 5]; the candidate with the smallest ΔCDF is the paper's choice. Because d is not centred, ΔCDF measures the distance of d/sd(d) from N(0, 1), mean shift included, not the distance from the nearest Gaussian; the centred variant uses (d − mean)/sd.", cands)
		if s.NullReplicates > 0 {
			t += fmt.Sprintf(" ΔCDF was calibrated into a p-value by %d simulations of Gaussian shifts of the same size and mean-to-sd ratio; holding the observed ratio fixed, it tests the shape of the shifts, not their mean.", s.NullReplicates)
		}
		t += " Beyond the paper, the geometry was estimated by maximising the profile log-likelihood of w1 given w0 under Gaussian dual shifts independent of w0 over the Box–Cox exponent λ = p − 1 (λ = 0 is negative entropy, λ = 1 Euclidean), including the Jacobian of the dual map, with a 95% interval and tests of λ = 1 and λ = 0 (Wilks 1938; Box & Cox 1964). The interval is the likelihood-ratio interval recalibrated by the sandwich (Huber–White) variance of λ̂: the drop in log-likelihood that bounds it is multiplied by k, the ratio of the sandwich to the model-based variance (at least 1), so that it holds when the dual step is not Gaussian (White 1982); when consecutive pairs share a synapse the scores are summed per synapse and the bootstrap resamples whole synapses. The Gaussian-model likelihood-ratio interval and tests are reported beside the robust ones. A second step model lets the dual step follow a Student-t with estimated degrees of freedom (Lange, Little & Taylor 1989); when a likelihood-ratio test of ν = ∞ rejects the Gaussian step at 5% (boundary mixture ½χ²₀ + ½χ²₁; Self & Liang 1987), the reported λ̂, its interval (the Student-t profile-likelihood-ratio interval, with a per-synapse sandwich recalibration for consecutive pairs) and the tests of λ = 1 and λ = 0 are that model's, and the Gaussian estimate is given beside them. Normality of the shifts was checked by the Anderson–Darling test (D'Agostino & Stephens 1986) and their independence from the initial weight by Spearman correlations of d and of |d − median(d)| with w0 (near zero under the right geometry without measurement noise; noise in w0 makes the first negative, by regression to the mean). The model is called inadequate when, for the best geometry, the calibrated uncentred ΔCDF p or the Anderson–Darling p is below " + num(testgeom.AdequacyAlpha) + ", or a Spearman |ρ| ≥ " + num(testgeom.StrongRho) + " has p < " + num(testgeom.AdequacyAlpha) + "; the centred ΔCDF p is reported but not part of this rule, because the Anderson–Darling test, with mean and sd estimated, already tests the same centred shape, and adding it would test one hypothesis twice without a correction. Changes are reported as large when the rms dual step exceeds " + num(testgeom.LargeStep) + " times the sd of g(w0), a ratio that does not depend on the unit of the weights (the paper's magnitude ‖d‖₂/‖g(w0)‖₂ does under negative entropy). Effect sizes are given beside the tests: the sd of the best geometry's dual step, with a 95% interval from the delta method with the steps' excess kurtosis, and the least-squares slope of log|w1 − w0| on log|w0| (1 for multiplicative, 0 for additive changes), with a 95% interval from the heteroscedasticity-robust standard error; both intervals treat pairs as independent, and noise in w0 pulls the slope towards 0."
		if s.Bootstrap > 0 {
			t += fmt.Sprintf(" A bootstrap over synapses (%d resamples; Efron & Tibshirani 1993) gave how often each candidate ranks first and a percentile interval of the Gaussian step model's λ̂.", s.Bootstrap)
		}
		if g := r.Geometry.Paired; g != nil && g.Counts["zero_pairs"] > 0 {
			t += fmt.Sprintf(" Every candidate, the likelihood and the bootstrap used the same %d pairs, those with both weights nonzero; the %d pairs with a zero weight were counted but not compared, since negative entropy and the likelihood cannot use them.", g.ComparedN, g.Counts["zero_pairs"])
		}
		t += " The estimate describes every change between the two measurements — learning, intrinsic fluctuations and measurement noise; only a comparison with a no-learning control separates learning from the rest."
		p = append(p, t)
	case "unpaired":
		t := fmt.Sprintf("Following Pogodin et al. (2024), each candidate geometry — %s — predicts that the after distribution in dual space is the before distribution convolved with a Gaussian. For each candidate the shift mean and variance were estimated from the dual means and variances (a significantly negative variance means the geometry cannot explain the change), and the candidates were ranked by the distance between the observed after distribution and the predicted one, in units of the after dual standard deviation.", cands)
		if s.Bootstrap > 0 {
			t += fmt.Sprintf(" Intervals and win frequencies come from %d bootstrap resamples of both samples (Efron & Tibshirani 1993).", s.Bootstrap)
		}
		p = append(p, t)
	}
	p = append(p, more...)
	p = append(p, fmt.Sprintf("All random draws used the seed %d, so the analysis is exactly reproducible.", s.Seed))
	return &Methods{
		Paragraphs: p,
		Settings:   settingsSummary(r),
		References: []Reference{
			{Text: "Pogodin R, Cornford J, Ghosh A, Gidel G, Lajoie G, Richards BA (2024). Synaptic weight distributions depend on the geometry of plasticity. International Conference on Learning Representations (ICLR). arXiv:2305.19394.", URL: "https://arxiv.org/abs/2305.19394"},
			{Text: "Akaike H (1974). A new look at the statistical model identification. IEEE Transactions on Automatic Control 19:716–723."},
			{Text: "Burnham KP, Anderson DR (2002). Model Selection and Multimodel Inference, 2nd ed. Springer."},
			{Text: "Wilks SS (1938). The large-sample distribution of the likelihood ratio for testing composite hypotheses. Annals of Mathematical Statistics 9:60–62."},
			{Text: "Box GEP, Cox DR (1964). An analysis of transformations. Journal of the Royal Statistical Society B 26:211–252."},
			{Text: "D'Agostino RB, Stephens MA (1986). Goodness-of-Fit Techniques. Marcel Dekker."},
			{Text: "Efron B, Tibshirani RJ (1993). An Introduction to the Bootstrap. Chapman & Hall."},
			{Text: "Lange KL, Little RJA, Taylor JMG (1989). Robust statistical modeling using the t distribution. Journal of the American Statistical Association 84:881–896."},
			{Text: "Self SG, Liang K-Y (1987). Asymptotic properties of maximum likelihood estimators and likelihood ratio tests under nonstandard conditions. Journal of the American Statistical Association 82:605–610."},
		},
	}
}
