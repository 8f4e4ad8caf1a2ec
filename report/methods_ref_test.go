package report

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
	"gonum.org/v1/gonum/stat/distuv"
)

// namedTests are the statistical tests and procedures a methods text may
// name, each with the spellings under which the report body shows it.
var namedTests = map[string][]string{
	"Kolmogorov–Smirnov": {"Kolmogorov–Smirnov", "KS"},
	"Cramér–von Mises":   {"Cramér–von Mises", "CvM"},
	"Anderson–Darling":   {"Anderson–Darling", "AD"},
	"Vuong":              {"Vuong"},
	"Spearman":           {"Spearman"},
	"likelihood-ratio":   {"likelihood-ratio", "likelihood ratio", "LR test"},
	"ΔCDF":               {"ΔCDF"},
	"Cochran":            {"Cochran"},
	"Holm":               {"Holm"},
	"bootstrap":          {"bootstrap"},
	"AIC":                {"AIC"},
	"Akaike weight":      {"Akaike weight"},
	"BIC":                {"BIC"},
	"Shapiro":            {"Shapiro"},
	"Wald":               {"Wald"},
	"Kruskal":            {"Kruskal"},
	"t-test":             {"t-test"},
	"sandwich":           {"sandwich"},
}

// TestMethodsNameOnlyShownTests checks that every test the methods name is
// shown in the report itself (tables, figures, captions, notes), not only
// in the JSON.
func TestMethodsNameOnlyShownTests(t *testing.T) {
	for _, shape := range []ingest.Shape{ingest.ShapePaired, ingest.ShapeUnpaired} {
		t.Run(string(shape), func(t *testing.T) {
			r := analysisFixture(t, shape)
			doc, err := AnalysisDocument(r, AnalysisPageOptions{})
			if err != nil {
				t.Fatal(err)
			}
			methods := strings.Join(doc.Methods.Paragraphs, " ")
			body := *doc
			body.Methods, body.Data = nil, nil
			var b bytes.Buffer
			if err := body.WriteHTML(&b); err != nil {
				t.Fatal(err)
			}
			shown := textOf(checkPage(t, b.Bytes()))
			named := 0
			for name, aliases := range namedTests {
				if !strings.Contains(methods, name) {
					continue
				}
				named++
				if !slices.ContainsFunc(aliases, func(a string) bool { return strings.Contains(shown, a) }) {
					t.Errorf("the methods name %s, which the report does not show", name)
				}
			}
			if named < 4 {
				t.Errorf("the methods name only %d known tests: the list is out of date", named)
			}
		})
	}
}

func TestMethodsThresholdsFromCode(t *testing.T) {
	r := analysisFixture(t, ingest.ShapePaired)
	doc, err := AnalysisDocument(r, AnalysisPageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := strings.Join(doc.Methods.Paragraphs, " ")
	lo, hi := testgeom.ProfileGridRange()
	for _, s := range []string{
		"p is below " + num(testgeom.AdequacyAlpha),
		"|ρ| ≥ " + num(testgeom.StrongRho),
		"exceeds " + num(testgeom.LargeStep) + " times",
		"λ from " + num(lo) + " to " + num(hi),
		"|λ| = " + num(testgeom.LambdaLimit),
		"Brent",
		"floor 1/11", // 10 null replicates in the fixture
		"Multiple testing: 3 candidate geometries",
		compare.DeviationCorrection,
		"version unknown",
		"Command line: not recorded",
		"Data citation: none given",
		"Pairs: columns w_pre (first measurement) and w_post",
	} {
		if !strings.Contains(m, s) {
			t.Errorf("methods lack %q", s)
		}
	}
	for _, s := range []string{"Vuong", "Cramér"} {
		if strings.Contains(m, s) {
			t.Errorf("methods name %q, which the report does not show", s)
		}
	}
}

func TestMethodsProvenance(t *testing.T) {
	r := analysisFixture(t, ingest.ShapeSingle)
	r.Input.Citation = "Doe J (2020). Spines. Zenodo 10.5281/zenodo.1"
	doc, err := AnalysisDocument(r, AnalysisPageOptions{Version: "v1.2.3", CommandLine: "syngeom analyze 'my file.csv'"})
	if err != nil {
		t.Fatal(err)
	}
	m := doc.Methods.Paragraphs[0]
	for _, s := range []string{"version v1.2.3", "Command line: syngeom analyze 'my file.csv'.", "Data: Doe J (2020). Spines. Zenodo 10.5281/zenodo.1."} {
		if !strings.Contains(m, s) {
			t.Errorf("provenance %q lacks %q", m, s)
		}
	}
}

func TestPairingText(t *testing.T) {
	in := analysis.Input{Shape: "paired", Columns: map[string]string{"id": "synapse_id", "time": "session", "value": "green_raw"},
		Notes: []string{"read 10 rows", "pairs: every two consecutive values of session"}}
	got := pairingText(in)
	for _, s := range []string{"every two consecutive values of session of the same synapse_id", "not before and after a learning episode", "whole synapses"} {
		if !strings.Contains(got, s) {
			t.Errorf("consecutive pairing %q lacks %q", got, s)
		}
	}
	in.PairsUsed = 10
	if got := subtitle(&analysis.Result{Input: in}); !strings.Contains(got, "consecutive measurements") || strings.Contains(got, "before and after") {
		t.Errorf("subtitle of consecutive pairs: %q", got)
	}
	in.Notes = []string{"pairs: session 0 → 4"}
	if got := pairingText(in); !strings.Contains(got, "at session 0 → 4") || strings.Contains(got, "consecutive") {
		t.Errorf("two-time pairing: %q", got)
	}
	if pairingText(analysis.Input{Shape: "single"}) != "" {
		t.Error("a single sample has a pairing")
	}
}

func TestFiguresNumberedWithUnits(t *testing.T) {
	r := analysisFixture(t, ingest.ShapePaired)
	for _, unit := range []string{"", "µm³"} {
		doc, err := AnalysisDocument(r, AnalysisPageOptions{Unit: unit})
		if err != nil {
			t.Fatal(err)
		}
		var caps []string
		var svgs []string
		var walk func([]Section)
		walk = func(ss []Section) {
			for _, s := range ss {
				for _, b := range s.Blocks {
					switch x := b.(type) {
					case Figure:
						caps, svgs = append(caps, x.Caption), append(svgs, string(x.SVG))
					case FigureRow:
						for _, f := range x {
							caps, svgs = append(caps, f.Caption), append(svgs, string(f.SVG))
						}
					}
				}
				walk(s.Sections)
			}
		}
		walk(doc.Sections)
		if len(caps) == 0 {
			t.Fatal("no figures")
		}
		want := axisUnit(unit)
		withUnit := 0
		for i, c := range caps {
			if prefix := "Figure " + itoa(i+1) + ". "; !strings.HasPrefix(c, prefix) {
				t.Errorf("figure %d caption %.40q does not start with %q", i+1, c, prefix)
			}
			if strings.Contains(svgs[i], "("+want+")") {
				withUnit++
			}
			if strings.Contains(svgs[i], ">p = λ") {
				t.Errorf("figure %d labels the exponent as a bare p", i+1)
			}
		}
		if withUnit < 4 {
			t.Errorf("unit %q: only %d figures carry it on an axis", want, withUnit)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestDualUnit(t *testing.T) {
	for _, c := range [][3]string{{"NE", "nm", "dimensionless"}, {"p=2.0", "nm", "nm"}, {"p=1.5", "nm", "nm^0.5"}, {"p=3.0", "a.u.", "(a.u.)^2"}} {
		if got := dualUnit(c[0], c[1]); got != c[2] {
			t.Errorf("dualUnit(%s, %s) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

// TestQQBand: under the sampled law about 5% of points fall outside the
// pointwise band, spread out; under a law with lighter tails than the
// sample the outside points are the extreme ones.
func TestQQBand(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 3000
	x := make([]float64, n)
	tdist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 2, Src: rng}
	for i := range x {
		x[i] = tdist.Rand()
	}
	slices.Sort(x)
	idx := plottingPositions(n, QQMaxPoints)
	keep := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	in, out, lower, upper := qqBand(distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 2}.Quantile, x, idx, keep)
	if frac := float64(len(out)) / float64(len(in)+len(out)); frac > 0.2 {
		t.Errorf("true law: %.2f of the points outside the 95%% band", frac)
	}
	if len(lower) != len(upper) || len(lower) < len(idx)/2 {
		t.Errorf("band of %d/%d points for %d positions", len(lower), len(upper), len(idx))
	}
	for i := range lower {
		if !(lower[i].Y < upper[i].Y) {
			t.Fatalf("band inverted at %v", lower[i])
		}
	}
	sd := 0.0
	for _, v := range x[n/10 : n-n/10] {
		sd += v * v
	}
	sd = math.Sqrt(sd / float64(n-2*(n/10)))
	_, out, _, _ = qqBand(distuv.Normal{Mu: 0, Sigma: sd}.Quantile, x, idx, keep)
	extreme := 0
	for _, q := range out {
		if q.Y < x[n/50] || q.Y > x[n-1-n/50] {
			extreme++
		}
	}
	if extreme < 10 {
		t.Errorf("normal fit to Student-t(2): only %d tail points marked outside", extreme)
	}
}

func TestProfileRange(t *testing.T) {
	var xs, ys []float64
	for k := 0; k <= 50; k++ {
		p := -0.5 + 0.1*float64(k)
		xs = append(xs, p)
		ys = append(ys, -200*(p-1.3)*(p-1.3))
	}
	lo, hi := profileRange(xs, ys, -12, 1.2, 1.4)
	if !(lo >= 0.85 && lo <= 1.0 && hi >= 2.0 && hi <= 2.15) {
		t.Errorf("range [%g, %g], want about [0.9, 2.1] (NE and Euclidean kept, the flat tails cut)", lo, hi)
	}
	off := belowPanel(xs, ys, lo, hi, -12)
	if len(off) == 0 {
		t.Error("no point below the panel marked, though p = 2 is at Δℓ = −98")
	}
	for _, q := range off {
		if q.Y != -12 || q.X < lo || q.X > hi {
			t.Errorf("marker %v off the bottom edge", q)
		}
	}
}
