package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// demoData is a synthetic paired experiment under negative entropy:
// log-normal initial weights and multiplicative (log-space Gaussian)
// changes, as in the paper's prediction for NE.
type demoData struct {
	w0, w1 []float64
}

func newDemoData(n int, seed uint64) demoData {
	rng := rand.New(rand.NewPCG(seed, 2))
	d := demoData{w0: make([]float64, n), w1: make([]float64, n)}
	for i := range n {
		l0 := -0.702 + 0.9355*rng.NormFloat64()
		d.w0[i] = math.Exp(l0)
		d.w1[i] = math.Exp(l0 + 0.01 + 0.25*rng.NormFloat64())
	}
	return d
}

// boxCox is the dual map of the Box–Cox family, λ = p − 1 (λ = 0: NE).
func boxCox(w, lambda float64) float64 {
	if lambda == 0 {
		return math.Log(w)
	}
	return math.Expm1(lambda*math.Log(w)) / lambda // Expm1: exact as λ → 0
}

func (d demoData) shifts(lambda float64) []float64 {
	out := make([]float64, len(d.w0))
	for i := range out {
		out[i] = boxCox(d.w1[i], lambda) - boxCox(d.w0[i], lambda)
	}
	return out
}

func standardise(d []float64) []float64 {
	var s, ss float64
	for _, v := range d {
		s += v
		ss += v * v
	}
	n := float64(len(d))
	sd := math.Sqrt((ss - s*s/n) / (n - 1))
	z := make([]float64, len(d))
	for i, v := range d {
		z[i] = v / sd
	}
	return z
}

// deltaCDF is the paper's statistic on the 1000-point grid (test-only
// reimplementation to give the demo figures realistic values).
func deltaCDF(z []float64) float64 {
	c := NewECDFCurve("", z)
	s := 0.0
	for k, x := range c.X {
		s += math.Abs(c.F[k] - 0.5*math.Erfc(-x/math.Sqrt2))
	}
	return s * 10 / 999
}

// profile is ℓ(λ) for the likelihood geometry estimate.
func (d demoData) profile(lambda float64) float64 {
	sh := d.shifts(lambda)
	var s, ss, jac float64
	for i, v := range sh {
		s += v
		ss += v * v
		jac += math.Log(d.w1[i])
	}
	n := float64(len(sh))
	v := ss/n - (s/n)*(s/n)
	return -n/2*(math.Log(2*math.Pi*v)+1) + (lambda-1)*jac
}

// buildDemoDocument assembles a full report page from synthetic data, the
// way analyze will: it exercises every figure and block type.
func buildDemoDocument(t testing.TB, n int) *Document {
	t.Helper()
	data := newDemoData(n, 1)
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	fitLN := func(xs []float64) distuv.LogNormal {
		var s, ss float64
		for _, x := range xs {
			s += math.Log(x)
			ss += math.Log(x) * math.Log(x)
		}
		m := s / float64(len(xs))
		return distuv.LogNormal{Mu: m, Sigma: math.Sqrt(ss/float64(len(xs)) - m*m)}
	}
	ln := fitLN(data.w0)
	gm := distuv.Gamma{Alpha: 1.6, Beta: 1.6 / 0.77}
	wb := distuv.Weibull{K: 1.2, Lambda: 0.8}
	guard := func(f func(float64) float64) func(float64) float64 {
		return func(x float64) float64 {
			if x <= 0 {
				return 0
			}
			return f(x)
		}
	}
	dens := []Density{
		{"log-normal (best, Akaike weight 0.99)", guard(ln.Prob)},
		{"gamma", guard(gm.Prob)},
		{"Weibull", guard(wb.Prob)},
	}

	// Geometry statistics over the paper's 21 candidates.
	var cands []CandidateScore
	best, bestV := "", math.Inf(1)
	nullHi := 1.16/math.Sqrt(float64(n))*1.75 + 0.003
	for k := 0; k <= 20; k++ {
		p, name := 1.0+0.1*float64(k), fmt.Sprintf("p=%.1f", 1+0.1*float64(k))
		if k == 0 {
			name = "NE"
		}
		v := deltaCDF(standardise(data.shifts(p - 1)))
		cands = append(cands, CandidateScore{Name: name, P: p, DCDF: v, NullLo: 0.35 * nullHi, NullHi: nullHi})
		if v < bestV {
			best, bestV = name, v
		}
	}
	var ps, ll []float64
	// A coarse grid over the whole range plus a fine one near NE, as a
	// caller would pass to show the interval magnified.
	for k := 0; k <= 110; k++ {
		ps = append(ps, 0.8+0.02*float64(k))
	}
	for k := 0; k <= 80; k++ {
		ps = append(ps, 0.96+0.001*float64(k))
	}
	slices.Sort(ps)
	ps = slices.Compact(ps)
	for _, p := range ps {
		ll = append(ll, data.profile(p-1))
	}
	top := slices.Max(ll)
	phat := ps[slices.Index(ll, top)]
	for i := range ll {
		ll[i] -= top
	}
	lo, hi := phat, phat
	for i := range ps {
		if ll[i] >= -chiSq1Half95 {
			lo, hi = math.Min(lo, ps[i]), math.Max(hi, ps[i])
		}
	}

	hLin := must(HistogramFigure{Title: "Before: spine volume", XLabel: "weight (µm³)", Sample: data.w0, Densities: dens}.SVG())
	hLog := must(HistogramFigure{Title: "Before: spine volume, log axis", XLabel: "weight (µm³)", Sample: data.w0, Densities: dens, LogX: true}.SVG())
	qq := must(QQFigure{Title: "QQ plot, before", Sample: data.w0, LogAxes: true, Unit: "µm³",
		Fits: []Quantile{{"log-normal", ln.Quantile}, {"gamma", gm.Quantile}}}.SVG())
	dc := must(DeltaCDFFigure{Title: "ΔCDF against the candidate exponent", Candidates: cands, Best: best}.SVG())
	pr := must(ProfileFigure{Title: "Profile log-likelihood of the geometry", P: ps, RelLogLik: ll, PHat: phat, CILo: lo, CIHi: hi,
		NELogLik: math.NaN(), EuclidLogLik: math.NaN()}.SVG())
	dNE, dEu := data.shifts(0), data.shifts(1)
	shNE := must(ShiftFigure{Title: "Dual shift against initial weight: NE", W0: data.w0, D: dNE, Bins: ShiftBins(data.w0, dNE, 12), LogX: true, XLabel: "initial weight w0 (µm³)", YLabel: "log(w1) − log(w0)"}.SVG())
	shEu := must(ShiftFigure{Title: "Dual shift against initial weight: Euclidean", W0: data.w0, D: dEu, Bins: ShiftBins(data.w0, dEu, 12), LogX: true, XLabel: "initial weight w0 (µm³)", YLabel: "w1 − w0 (µm³)"}.SVG())
	curves := []ECDFCurve{
		NewECDFCurve("NE", standardise(dNE)),
		NewECDFCurve("p=1.5", standardise(data.shifts(0.5))),
		NewECDFCurve("p=2.0 (Euclidean)", standardise(dEu)),
	}
	ec := must(ECDFFigure{Title: "Standardised shifts against Φ", Curves: curves}.SVG())
	ecd := must(ECDFFigure{Title: "Difference from Φ", Curves: curves, Difference: true}.SVG())

	geom := &Table{Caption: "Geometry candidates (best five by ΔCDF, and the named geometries)",
		Header: []string{"candidate", "p", "ΔCDF", "calibrated p-value", "Δℓ", "Spearman(d, w0)"}}
	for _, c := range cands {
		if c.Name == "NE" || c.Name == "p=1.1" || c.Name == "p=1.5" || c.Name == "p=2.0" || c.Name == "p=3.0" {
			geom.AddRow(c.Name, c.P, c.DCDF, math.Exp(-c.DCDF*40), data.profile(c.P-1)-(top+0), math.NaN())
			if c.Name == best {
				geom.Emphasize(len(geom.Rows) - 1)
			}
		}
	}
	geom.Notes = []string{"NA: not computed in this demo. Δℓ is ℓ(λ) − ℓ(λ̂)."}

	fits := &Table{Caption: "Distribution fits, before", Header: []string{"family", "parameters", "log-lik", "AIC", "Akaike weight"}}
	fits.AddRow("log-normal", fmt.Sprintf("μ = %.3f, σ = %.3f", ln.Mu, ln.Sigma), -812.4, 1628.8, 0.991)
	fits.AddRow("gamma", "shape = 1.6, rate = 2.08", -818.1, 1640.2, 0.009)
	fits.AddRow("Weibull", "shape = 1.2, scale = 0.8", -840.7, 1685.4, 1.5e-13)
	fits.Emphasize(0)

	groupSection := func(name string) Section {
		return Section{Title: "Group " + name, Blocks: []Block{
			Summary{{"pairs used", "500"}, {"best by ΔCDF", best}, {"p̂ (95% interval)", "1.02 [0.96, 1.09]"}},
			FigureRow{{SVG: dc, Caption: "ΔCDF for group " + name + "."}},
		}}
	}

	return &Document{
		Title:    "syngeom report: demo data",
		Subtitle: "Paired before/after weights, " + strconv.Itoa(n) + " synapses, 2 groups",
		Banner:   DemoBanner,
		Verdict:  fmt.Sprintf("The changes are most consistent with negative entropy (multiplicative plasticity): p̂ = %.2f, 95%% interval %.2f to %.2f; Euclidean (p = 2) is rejected.", phat, lo, hi),
		Warnings: []string{"Demo warning: 3 pairs with after = 0 were excluded (synapse elimination).", "Column <b>\"w&0\"</b> names are escaped."},
		Sections: []Section{
			{Title: "Data", Blocks: []Block{
				Summary{{"input", "built-in demo (synthetic)"}, {"rows read", strconv.Itoa(n + 3)}, {"pairs used", strconv.Itoa(n)}, {"excluded: after = 0", "3"}},
				Paragraph("Weights before and after learning were paired by synapse id. Nothing else was excluded."),
			}},
			{Title: "Distributions", Blocks: []Block{
				fits,
				FigureRow{
					{SVG: hLin, Caption: "Histogram of the initial weights with fitted densities (linear axis)."},
					{SVG: hLog, Caption: "The same on a log axis: density of ln w, x·f(x)."},
				},
				Figure{SVG: qq, Caption: "Sample against fitted quantiles, 1000 plotting positions."},
			}},
			{Title: "Geometry", Blocks: []Block{
				geom,
				FigureRow{
					{ID: "fig-dcdf", SVG: dc, Caption: "ΔCDF of the standardised dual shifts for each candidate geometry; shaded: 95% range under Gaussian shifts at this n."},
					{ID: "fig-profile", SVG: pr, Caption: "Relative profile log-likelihood; shaded: 95% likelihood-ratio interval."},
				},
				FigureRow{
					{SVG: shNE, Caption: "Shifts in NE dual coordinates do not depend on w0."},
					{SVG: shEu, Caption: "Euclidean shifts grow with w0: the geometry is more multiplicative."},
				},
				FigureRow{
					{SVG: ec, Caption: "Empirical CDFs of standardised shifts."},
					{SVG: ecd, Caption: "F_n − Φ; ΔCDF is the area under the absolute value."},
				},
				Note{Text: "ΔCDF shrinks like 1/√n under the null; compare it with the calibrated band, not across data sets."},
			}},
			{Title: "Groups", Sections: []Section{groupSection("L2/3"), groupSection("L5 <deep>")}},
		},
		Methods: &Methods{
			Paragraphs: []string{"Dual shifts d = g(w1) − g(w0) were computed for negative entropy and p-norms p = 1.1, …, 3.0 and compared with a Gaussian by ΔCDF (Pogodin et al., 2024)."},
			Settings:   Summary{{"seed", "1"}, {"candidates", "NE, p = 1.1 … 3.0"}},
			References: []Reference{{Text: "Pogodin R, Cornford J, Ghosh A, Gidel G, Lajoie G, Richards BA. Synaptic weight distributions depend on the geometry of plasticity. ICLR 2024.", URL: "https://arxiv.org/abs/2305.19394"}},
		},
		Footer: "syngeom (test build). Figures: gonum/plot.",
		Data:   map[string]any{"schema": "syngeom/1", "note": "</script><script>alert(1)</script>"},
	}
}

// TestDemoPage renders the demo page. With SYNGEOM_REPORT_DEMO=DIR it also
// writes DIR/report.html for inspection in a browser (see
// scripts/screenshot-report.sh).
func TestDemoPage(t *testing.T) {
	doc := buildDemoDocument(t, 5000)
	dir := os.Getenv("SYNGEOM_REPORT_DEMO")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "report.html")
	if err := WriteFileAtomic(path, doc.WriteHTML); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("SYNGEOM_REPORT_DEMO") != "" {
		writeDemoFigures(t, dir)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, b)
}

// writeDemoFigures saves each figure of the demo page as its own SVG file.
func writeDemoFigures(t *testing.T, dir string) {
	doc := buildDemoDocument(t, 5000)
	k := 0
	var walk func([]Section)
	walk = func(ss []Section) {
		for _, s := range ss {
			for _, b := range s.Blocks {
				var figs []Figure
				switch x := b.(type) {
				case Figure:
					figs = []Figure{x}
				case FigureRow:
					figs = x
				}
				for _, f := range figs {
					k++
					if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("fig%02d.svg", k)), f.SVG, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			walk(s.Sections)
		}
	}
	walk(doc.Sections)
}
