package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// checkSVGOutput asserts that b is well-formed SVG that is safe to inline,
// contains no non-finite number anywhere, and is smaller than maxBytes.
func checkSVGOutput(t *testing.T, name string, b []byte, maxBytes int) {
	t.Helper()
	if err := checkSVG(b); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", name, err)
		}
	}
	for _, bad := range []string{"NaN", "Inf", "inf\"", "<?xml"} {
		if bytes.Contains(b, []byte(bad)) {
			i := bytes.Index(b, []byte(bad))
			t.Errorf("%s: output contains %q near %q", name, bad, b[max(0, i-60):min(len(b), i+20)])
		}
	}
	if len(b) > maxBytes {
		t.Errorf("%s: %d bytes, want at most %d", name, len(b), maxBytes)
	}
}

func lognormalSample(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Exp(-0.7 + 0.9*rng.NormFloat64())
	}
	return xs
}

// Densities that misbehave: NaN at 0 (gonum's LogNormal.Prob(0)), +Inf at
// 0, NaN everywhere, and a nil function.
func awkwardDensities() []Density {
	ln := distuv.LogNormal{Mu: -0.7, Sigma: 0.9}
	gm := distuv.Gamma{Alpha: 0.5, Beta: 1}
	return []Density{
		{"log-normal", ln.Prob},
		{"gamma shape 0.5", gm.Prob},
		{"broken", func(float64) float64 { return math.NaN() }},
		{"missing", nil},
	}
}

func figureCases() map[string][]float64 {
	return map[string][]float64{
		"empty":    nil,
		"one":      {0.5},
		"constant": {2, 2, 2, 2, 2},
		"nonfinite": {math.NaN(), math.Inf(1), math.Inf(-1), 0.3, 0.8, 1.2,
			math.NaN(), 0.01},
		"all-nan":    {math.NaN(), math.NaN()},
		"with-zeros": {0, 0, -1, 0.5, 1, 2, 3},
		"lognormal":  lognormalSample(2000, 1),
	}
}

func TestHistogramFigure(t *testing.T) {
	for name, xs := range figureCases() {
		for _, logX := range []bool{false, true} {
			b, err := HistogramFigure{Title: "Before", XLabel: "weight", Sample: xs, Densities: awkwardDensities(), LogX: logX}.SVG()
			if err != nil {
				t.Fatalf("%s log=%v: %v", name, logX, err)
			}
			checkSVGOutput(t, name, b, 150_000)
		}
	}
}

func TestDensityBinsUnitArea(t *testing.T) {
	xs := lognormalSample(10_000, 3)
	st := scanSample(xs)
	for _, logX := range []bool{false, true} {
		hb, _ := densityBins(xs, st.finite, st.minPos, st.max, 37, logX)
		area := 0.0
		for _, b := range hb {
			w := b.Max - b.Min
			if logX {
				w = math.Log(b.Max) - math.Log(b.Min)
			}
			area += b.Weight * w
		}
		if math.Abs(area-1) > 1e-9 {
			t.Errorf("logX=%v: histogram area %v, want 1", logX, area)
		}
		if len(hb) != 37 || hb[0].Min != st.minPos || math.Abs(hb[36].Max-st.max) > 1e-12*st.max {
			t.Errorf("logX=%v: bins %d from %v to %v, want 37 from %v to %v", logX, len(hb), hb[0].Min, hb[len(hb)-1].Max, st.minPos, st.max)
		}
	}
}

func TestApproxQuantile(t *testing.T) {
	xs := lognormalSample(50_000, 4)
	xs = append(xs, 1e9) // an outlier that defeats a single fine histogram
	st := scanSample(xs)
	s := slices.Clone(xs)
	slices.Sort(s)
	for _, q := range []float64{0.5, 0.9, 0.995} {
		got := st.quantile(xs, q)
		// Between the neighbouring order statistics, within the stated
		// resolution range/4096².
		k := int(q * float64(len(s)))
		tol := (st.max - st.min) / (4096 * 4096)
		if got < s[k-1]-tol || got > s[k]+tol {
			t.Errorf("q=%v: got %v, want within [%v, %v]", q, got, s[k-1], s[k])
		}
	}
}

func TestHistogramHugeSample(t *testing.T) {
	xs := lognormalSample(1_000_000, 2)
	for _, logX := range []bool{false, true} {
		b, err := HistogramFigure{Title: "Huge", Sample: xs, Densities: awkwardDensities()[:2], LogX: logX}.SVG()
		if err != nil {
			t.Fatal(err)
		}
		checkSVGOutput(t, "huge", b, 150_000)
	}
}

func TestQQFigure(t *testing.T) {
	ln := distuv.LogNormal{Mu: -0.7, Sigma: 0.9}
	fits := []Quantile{{"log-normal", ln.Quantile}, {"exponential", distuv.Exponential{Rate: 1}.Quantile}, {"nil", nil}}
	for name, xs := range figureCases() {
		for _, logAxes := range []bool{false, true} {
			b, err := QQFigure{Title: "QQ", Sample: xs, Fits: fits, LogAxes: logAxes}.SVG()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkSVGOutput(t, name, b, 250_000)
		}
	}
	huge := lognormalSample(1_000_000, 5)
	b, err := QQFigure{Title: "QQ huge", Sample: huge, Fits: fits[:1], LogAxes: true}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	checkSVGOutput(t, "huge", b, 250_000)
	// At most QQMaxPoints markers per series: count circles of the one fit.
	if c := bytes.Count(b, []byte("<path")); c > QQMaxPoints+200 {
		t.Errorf("%d paths for one series of at most %d points", c, QQMaxPoints)
	}
	if slices.IsSorted(huge) || huge[0] != lognormalSample(1, 5)[0] {
		t.Error("QQFigure modified its input")
	}
}

func TestPlottingPositions(t *testing.T) {
	for _, n := range []int{1, 2, 999, 1000, 1001, 12345, 10_000_000} {
		idx := plottingPositions(n, 1000)
		want := min(n, 1000)
		if n > 1000 && len(idx) < 600 {
			t.Errorf("n=%d: only %d positions", n, len(idx))
		}
		if len(idx) > want {
			t.Errorf("n=%d: %d positions, want at most %d", n, len(idx), want)
		}
		if idx[0] != 0 || idx[len(idx)-1] != n-1 {
			t.Errorf("n=%d: positions run from %d to %d, want 0 to %d", n, idx[0], idx[len(idx)-1], n-1)
		}
		for i := 1; i < len(idx); i++ {
			if idx[i] <= idx[i-1] {
				t.Fatalf("n=%d: positions not increasing at %d", n, i)
			}
		}
	}
}

func paperCandidates() []CandidateScore {
	cs := []CandidateScore{{Name: "NE", P: 1, DCDF: 0.04, NullLo: 0.01, NullHi: 0.06}}
	for k := 1; k <= 20; k++ {
		p := 1 + 0.1*float64(k)
		cs = append(cs, CandidateScore{Name: "p=" + FormatFloat(p, 2), P: p, DCDF: 0.04 + 0.3*(p-1)*(p-1), NullLo: 0.01, NullHi: 0.06})
	}
	return cs
}

func TestDeltaCDFFigure(t *testing.T) {
	nan := math.NaN()
	cases := map[string][]CandidateScore{
		"paper":   paperCandidates(),
		"empty":   nil,
		"ne-only": {{Name: "NE", P: nan, DCDF: 0.1, NullLo: nan, NullHi: nan}},
		"one-p":   {{Name: "p=2.0", P: 2, DCDF: 0.1, NullLo: nan, NullHi: nan}},
		"nan-values": {{Name: "NE", P: 1, DCDF: nan, NullLo: nan, NullHi: nan},
			{Name: "p=1.5", P: 1.5, DCDF: math.Inf(1), NullLo: nan, NullHi: 0.1},
			{Name: "p=2.0", P: 2, DCDF: 0.2, NullLo: 0.01, NullHi: 0.05}},
		"all-zero": {{Name: "NE", P: 1}, {Name: "p=2.0", P: 2}},
	}
	for name, cs := range cases {
		b, err := DeltaCDFFigure{Title: "ΔCDF", Candidates: cs, Best: "NE"}.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkSVGOutput(t, name, b, 100_000)
		if name == "paper" && !bytes.Contains(b, []byte(">NE<")) {
			t.Errorf("%s: no NE tick label", name)
		}
		if name == "paper" && !bytes.Contains(b, []byte("best: NE")) {
			t.Errorf("%s: best candidate not labelled", name)
		}
	}
}

func TestProfileFigure(t *testing.T) {
	var ps, ll []float64
	for k := 0; k <= 110; k++ {
		p := 0.8 + 0.02*float64(k)
		ps = append(ps, p)
		ll = append(ll, -400*(p-1.05)*(p-1.05))
	}
	nan := math.NaN()
	cases := map[string]ProfileFigure{
		"full":  {Title: "Profile", P: ps, RelLogLik: ll, PHat: 1.05, CILo: 0.98, CIHi: 1.12, NELogLik: nan, EuclidLogLik: nan},
		"empty": {Title: "Profile", PHat: nan, CILo: nan, CIHi: nan, NELogLik: nan, EuclidLogLik: nan},
		"one":   {P: []float64{1}, RelLogLik: []float64{0}, PHat: 1, CILo: nan, CIHi: nan, NELogLik: nan, EuclidLogLik: nan},
		"nonfinite": {P: []float64{1, 1.5, nan, 2}, RelLogLik: []float64{math.Inf(-1), 0, 1, nan},
			PHat: nan, CILo: math.Inf(-1), CIHi: 2, NELogLik: math.Inf(-1), EuclidLogLik: nan},
		"narrow": {P: ps, RelLogLik: ll, PHat: 1.05, CILo: 1.0499, CIHi: 1.0501, NELogLik: -1e6, EuclidLogLik: -3e7},
	}
	for name, f := range cases {
		b, err := f.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkSVGOutput(t, name, b, 100_000)
	}
	b, _ := cases["full"].SVG()
	if !bytes.Contains(b, []byte("Euclidean, Δℓ = −")) {
		t.Error("Euclidean line not labelled with its Δℓ read off the grid")
	}
}

func TestShiftBins(t *testing.T) {
	// 100 pairs, w0 = 1..100, d = w0 % 10: bins of 10 consecutive w0 each
	// hold d = 0..9 in some order.
	var w0, d []float64
	for i := 100; i >= 1; i-- {
		w0 = append(w0, float64(i))
		d = append(d, float64(i%10))
	}
	w0 = append(w0, math.NaN())
	d = append(d, 5)
	bins := ShiftBins(w0, d, 10)
	if len(bins) != 10 {
		t.Fatalf("%d bins, want 10", len(bins))
	}
	for k, b := range bins {
		wantW0 := float64(10*k + 6) // the upper median of 10k+1 … 10k+10
		if b.N != 10 || b.W0 != wantW0 || b.Mean != 4.5 || math.Abs(b.Lo-0.9) > 1e-12 || math.Abs(b.Hi-8.1) > 1e-12 {
			t.Errorf("bin %d = %+v, want N 10, W0 %v, mean 4.5, 10%% 0.9, 90%% 8.1", k, b, wantW0)
		}
	}
	if ShiftBins(nil, nil, 5) != nil || ShiftBins(w0, d, 0) != nil {
		t.Error("degenerate input should give no bins")
	}
	// Large n: systematic sample, counts scaled back to n.
	big := lognormalSample(1_000_000, 9)
	dd := make([]float64, len(big))
	bins = ShiftBins(big, dd, 20)
	total := 0
	for _, b := range bins {
		total += b.N
	}
	if total < 990_000 || total > 1_010_000 {
		t.Errorf("bins cover %d pairs, want about 10^6", total)
	}
}

func TestShiftFigure(t *testing.T) {
	for name, xs := range figureCases() {
		d := make([]float64, len(xs))
		for i := range d {
			d[i] = 0.1 * float64(i%7)
		}
		for _, logX := range []bool{false, true} {
			f := ShiftFigure{Title: "Shift", W0: xs, D: d, Bins: ShiftBins(xs, d, 8), LogX: logX}
			b, err := f.SVG()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkSVGOutput(t, name, b, 300_000)
		}
	}
	// Bins only, and bins with NaN.
	nan := math.NaN()
	b, err := ShiftFigure{Bins: []ShiftBin{{W0: 1, Mean: 0, Lo: -1, Hi: 1, N: 5}, {W0: 2, Mean: nan, Lo: nan, Hi: nan}, {W0: 3, Mean: 0.2, Lo: nan, Hi: 1}}, LogX: true}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	checkSVGOutput(t, "bins-only", b, 100_000)

	// 10^6 points: a hexbin whose size does not depend on n.
	w0 := lognormalSample(1_000_000, 11)
	rng := rand.New(rand.NewPCG(3, 3))
	dd := make([]float64, len(w0))
	for i := range dd {
		dd[i] = 0.3 * rng.NormFloat64()
	}
	dd[17] = 1e6 // an outlier outside the plotted range
	b, err = ShiftFigure{Title: "Hexbin", W0: w0, D: dd, Bins: ShiftBins(w0, dd, 15), LogX: true}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	checkSVGOutput(t, "hexbin", b, 300_000)
	if !bytes.Contains(b, []byte("synapses per hexagon: 1 to ")) || !bytes.Contains(b, []byte("not shown")) {
		t.Error("hexbin legend or outside-range note missing")
	}
}

// TestHexbinConservesPoints checks that every in-range point lands in
// exactly one hexagon and that the hexagon chosen is the nearest centre.
func TestHexbinConservesPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := 20_000
	w0, d := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = rng.Float64()
		d[i] = rng.NormFloat64()
	}
	p := plot.New()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, -1, 1
	inside := 0
	for i := range d {
		if d[i] >= -1 && d[i] <= 1 {
			inside++
		}
	}
	h := &hexbin{w0: w0, d: d, ok: func(w, d float64) bool { return isFinite(w) && isFinite(d) }, radius: vg.Points(5)}
	c := draw.New(vgsvg.New(300, 200))
	counts, sx, sy := h.bin(c, p)
	total := 0
	for _, k := range counts {
		total += k
	}
	if total != inside {
		t.Errorf("hexagons hold %d points, want %d", total, inside)
	}
	// Nearest-centre property against brute force for a few points.
	trX, trY := p.Transforms(&c)
	for i := range 200 {
		if d[i] < -1 || d[i] > 1 {
			continue
		}
		x, y := float64(trX(w0[i])-c.Min.X), float64(trY(d[i])-c.Min.Y)
		best, bestD := [2]int{}, math.Inf(1)
		for ci := -2; ci < 80; ci++ {
			for cj := -2; cj < 80; cj++ {
				if (ci+cj)%2 != 0 {
					continue
				}
				dist := sq(x-float64(ci)*sx/2) + sq(y-float64(cj)*sy/2)
				if dist < bestD {
					best, bestD = [2]int{ci, cj}, dist
				}
			}
		}
		if counts[best] == 0 {
			t.Errorf("point %d: nearest hexagon %v is empty", i, best)
		}
	}
}

func TestECDF(t *testing.T) {
	z := []float64{-1, 0, 0, 2.5, math.NaN(), 7}
	c := NewECDFCurve("x", z)
	for k, x := range c.X {
		n := 0
		for _, v := range z {
			if v < x { // strict, as in the paper
				n++
			}
		}
		if want := float64(n) / 5; c.F[k] != want {
			t.Fatalf("F(%v) = %v, want %v", x, c.F[k], want)
		}
	}
	if len(c.X) != 1000 || c.X[0] != -5 || c.X[999] != 5 {
		t.Errorf("grid %d points from %v to %v", len(c.X), c.X[0], c.X[len(c.X)-1])
	}
	empty := NewECDFCurve("empty", nil)
	for name, curves := range map[string][]ECDFCurve{
		"normal": {c, NewECDFCurve("normal", lognormalSample(1_000_000, 1))},
		"empty":  {empty},
		"none":   nil,
	} {
		for _, diff := range []bool{false, true} {
			b, err := ECDFFigure{Title: "ECDF", Curves: curves, Difference: diff}.SVG()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkSVGOutput(t, name, b, 200_000)
		}
	}
}

func TestFigureTextEscaped(t *testing.T) {
	title := `w0 <script>alert("x")</script> & "μm³"`
	b, err := HistogramFigure{Title: title, XLabel: title, Sample: []float64{1, 2, 3}, Densities: []Density{{Label: title, PDF: func(float64) float64 { return 0.3 }}}}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	checkSVGOutput(t, "escaped", b, 100_000)
	if bytes.Contains(b, []byte("<script")) {
		t.Error("title reached the SVG unescaped")
	}
	// The text survives XML decoding intact.
	var texts []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	inText := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(x))
			}
		}
	}
	if !slices.Contains(texts, title) {
		t.Errorf("title not found among the texts %q", texts)
	}
}

func TestFinishSVGRejectsNonFinite(t *testing.T) {
	if _, err := finishSVG([]byte(`<svg><path d="M NaN 0"/></svg>`)); err == nil {
		t.Error("NaN coordinate accepted")
	}
	b, err := finishSVG([]byte("<?xml version=\"1.0\"?>\n<!-- x -->\n<svg><text style=\"font-family:Liberation Sans;\">Info</text></svg>"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "<svg") || !strings.Contains(string(b), "Arial") {
		t.Errorf("finishSVG = %s", b)
	}
}
