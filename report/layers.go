package report

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LazyRegimeNote is the paper's expectation for trained networks, stated
// with every per-layer result (analysis.LazyRegimeNote, which the
// checkpoint report's JSON carries).
const LazyRegimeNote = analysis.LazyRegimeNote

// LayerRow is one layer (a group of tensors) of two network checkpoints:
// its geometry test, in the order of the layer's first tensor in the file.
type LayerRow struct {
	Name                        string   // the layer's (group's) name
	Tensors                     []string // its tensors' names
	Pairs                       int64    // weight pairs tested
	Est, Lo, Hi                 float64  // λ̂ and its 95% interval; NaN: none, or unbounded
	PEuclidean                  float64  // LR p of λ = 1; NaN: not tested
	PNegEntropy                 float64  // LR p of λ = 0
	RejectsEuclidean, RejectsNE bool     // the LR tests reject λ = 1, λ = 0
	Best                        string   // best candidate by likelihood
	Status                      string   // why there is no estimate
}

// LayerReport is the per-layer result of two network checkpoints, shown by
// AnalysisDocument in a section of its own.
type LayerReport struct {
	GroupBy string     // "tensor", "kind" or "block": what a row is
	Rows    []LayerRow // in file order
}

// layerClass is how a layer's tests come out, with its colour and glyph.
type layerClass struct {
	label string
	color color.Color
	glyph draw.GlyphDrawer
}

var layerClasses = [4]layerClass{
	{"rejects neither", colGrey, draw.RingGlyph{}},
	{"rejects NE only", colBlue, draw.TriangleGlyph{}},
	{"rejects Euclidean only", colGreen, draw.SquareGlyph{}},
	{"rejects both", colVermillion, draw.CircleGlyph{}},
}

func (r LayerRow) class() int {
	c := 0
	if r.RejectsNE {
		c |= 1
	}
	if r.RejectsEuclidean {
		c |= 2
	}
	return c
}

// LayerFigure draws each layer's λ̂ and 95% interval against its position
// in the network (the order of its first tensor in the checkpoint), with
// reference lines at λ = 0 (negative entropy) and λ = 1 (Euclidean); the
// marker says which of the two geometries the layer's LR tests reject.
type LayerFigure struct {
	Title, XLabel string     // title and x-axis label
	Rows          []LayerRow // in file order
}

// layerTicksEach is the most layers given a tick each.
const layerTicksEach = 24

// SVG renders the figure.
func (f LayerFigure) SVG() ([]byte, error) {
	n := len(f.Rows)
	xlabel := f.XLabel
	if xlabel == "" {
		xlabel = "layer position (order of its first tensor in the checkpoint)"
	}
	p := newPlot(f.Title, xlabel, "λ̂ = p − 1")
	lo, hi := 0.0, 1.0 // both reference geometries always in view
	for _, r := range f.Rows {
		for _, v := range []float64{r.Est, r.Lo, r.Hi} {
			if isFinite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	pad := 0.06 * (hi - lo)
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	p.X.Min, p.X.Max = -0.6, math.Max(float64(n)-0.4, 0.6)
	if n <= layerTicksEach {
		ticks := make([]plot.Tick, n)
		for i := range ticks {
			ticks[i] = plot.Tick{Value: float64(i), Label: fmt.Sprint(i)}
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	ch := &chart{p: p}
	p.Add(hline(0, geometryRefStyle, "NE (λ = 0)"), hline(1, geometryRefStyle, "Euclidean (λ = 1)"))
	radius := vg.Points(math.Min(3, math.Max(1.2, 200/math.Max(float64(n), 1))))
	p.Add(intervals(false, n, func(i int) (intervalMark, bool) {
		r := f.Rows[i]
		k := layerClasses[r.class()]
		return intervalMark{est: r.Est, lo: r.Lo, hi: r.Hi, at: float64(i),
			line:  draw.LineStyle{Color: k.color, Width: vg.Points(1)},
			glyph: draw.GlyphStyle{Color: k.color, Radius: radius, Shape: k.glyph}}, isFinite(r.Est)
	}))
	var present [4]bool
	missing := 0
	for _, r := range f.Rows {
		if isFinite(r.Est) {
			present[r.class()] = true
		} else {
			missing++
		}
	}
	for i, k := range layerClasses {
		if present[i] {
			ch.addLegend(k.label, glyphThumb(draw.GlyphStyle{Color: k.color, Radius: vg.Points(2.5), Shape: k.glyph}))
		}
	}
	switch {
	case n == 0 || missing == n:
		p.Add(message("no layer has an estimate"))
	case missing > 0:
		ch.note("%d of %d layers have no estimate and are not drawn.", missing, n)
	}
	return ch.render()
}

// layersSection is the per-layer part of a checkpoint report: the figure,
// the table, which layers reject each geometry and the paper's
// expectation.
func (b *builder) layersSection(l *LayerReport) Section {
	what := "layer"
	switch l.GroupBy {
	case "tensor":
		what = "tensor"
	case "kind":
		what = "layer kind"
	case "block":
		what = "block"
	}
	s := Section{ID: "layers", Title: "Per layer (one group per " + what + ")"}
	svg, err := LayerFigure{Title: "λ̂ by layer", Rows: l.Rows}.SVG()
	s.Blocks = append(s.Blocks, b.fig(fmt.Sprintf("λ̂ and its 95%% interval for each %s against its position in the network (the order of its first tensor in the checkpoint; the table below names each position). Dashed lines: negative entropy (λ = 0) and Euclidean (λ = 1). The marker says which of the two the %s's likelihood-ratio tests reject at α = 0.05; interval ends beyond the panel are drawn to its edge.", what, what), svg, err))
	t := &Table{Caption: "Geometry of each " + what, Header: []string{"#", what, "tensors", "pairs", "λ̂", "95% CI", "p (Euclidean)", "p (NE)", "rejects", "best"}}
	var rejE, rejN []string
	for i, r := range l.Rows {
		lam, ci := r.Status, "–"
		if isFinite(r.Est) {
			lam = FormatFloat(r.Est, 4)
			ci = "[" + boundText(r.Lo, "−∞") + ", " + boundText(r.Hi, "∞") + "]"
		}
		var rej []string
		if r.RejectsNE {
			rej = append(rej, "NE")
			rejN = append(rejN, r.Name)
		}
		if r.RejectsEuclidean {
			rej = append(rej, "Euclidean")
			rejE = append(rejE, r.Name)
		}
		t.AddRow(i, r.Name, tensorsText(r.Tensors), r.Pairs, lam, ci, pCell(r.PEuclidean), pCell(r.PNegEntropy), joinOr(rej, "neither"), r.Best)
	}
	s.Blocks = append(s.Blocks, t,
		Paragraph("Reject Euclidean: "+joinOr(rejE, "none")+". Reject negative entropy: "+joinOr(rejN, "none")+"."),
		Paragraph(LazyRegimeNote))
	return s
}

func boundText(x float64, inf string) string {
	if !isFinite(x) {
		return inf
	}
	return FormatFloat(x, 4)
}

func pCell(p float64) string {
	switch {
	case math.IsNaN(p):
		return "–"
	case p < 1e-300:
		return "< 1e-300"
	}
	return FormatFloat(p, 3)
}

func joinOr(s []string, none string) string {
	if len(s) == 0 {
		return none
	}
	return strings.Join(s, ", ")
}

// tensorsText is a layer's tensors: the name of one, else a count and the
// first few.
func tensorsText(names []string) string {
	const few = 4
	switch {
	case len(names) == 1:
		return names[0]
	case len(names) <= few:
		return fmt.Sprintf("%d: %s", len(names), strings.Join(names, ", "))
	}
	return fmt.Sprintf("%d: %s, … (%d more)", len(names), strings.Join(names[:few], ", "), len(names)-few)
}
