package report

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ForestRow is one group of a forest plot: its estimate and interval
// (NaN ends: unbounded, drawn to the edge of the panel) and size.
type ForestRow struct {
	Label       string  // the group's name
	N           int64   // its size, shown after the label
	Est, Lo, Hi float64 // estimate and interval ends
	Highlight   bool    // drawn in the accent colour and always labelled
}

// ForestFigure draws one estimate with its interval per group, top to
// bottom in the order given, with the common estimate and its band and
// reference lines at λ = 0 (negative entropy) and λ = 1 (Euclidean). The
// height grows with the number of groups; above forestLabelled groups the
// labels thin out to every k-th group, highlighted groups always labelled.
type ForestFigure struct {
	Title, XLabel              string      // title and x-axis label
	Rows                       []ForestRow // one per group, top to bottom
	Common, CommonLo, CommonHi float64     // NaN: no common estimate
	CommonLabel                string      // legend entry of the common estimate
	// HighlightLegend describes the highlighted groups in the legend,
	// which names them (at most five).
	HighlightLegend string
}

// forestLabelled is the most groups labelled one by one.
const forestLabelled = 60

// SVG renders the figure.
func (f ForestFigure) SVG() ([]byte, error) {
	g := len(f.Rows)
	p := newPlot(f.Title, f.XLabel, "")
	// Row pitch: roomy for a few groups, at least 2.4 pt for hundreds, so
	// that 300 groups fit in about 10 inches.
	pitch := vg.Points(math.Max(2.4, math.Min(13, 720/math.Max(float64(g), 1))))
	height := math.Max(float64(figHeight), float64(pitch)*float64(g)+150)
	lo, hi := 0.0, 1.0 // both reference geometries always in view
	widen := func(x float64) {
		if isFinite(x) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	for _, r := range f.Rows {
		widen(r.Est)
		widen(r.Lo)
		widen(r.Hi)
	}
	widen(f.CommonLo)
	widen(f.CommonHi)
	pad := 0.04 * (hi - lo)
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.Y.Min, p.Y.Max = -0.7, float64(g)-0.3

	labelSize := vg.Length(tickSize)
	if pitch < vg.Points(9) {
		labelSize = 7
	}
	// Labels at least a label's height apart: the highlighted groups
	// first, then every step-th group where there is room.
	gap := int(math.Ceil(float64(labelSize) * 1.15 / float64(pitch)))
	step := max(1, gap)
	if g > forestLabelled {
		step = max(step, (g+forestLabelled-1)/forestLabelled)
	}
	labelled := make([]bool, g)
	free := func(i int) bool {
		for j := max(0, i-gap+1); j < min(g, i+gap); j++ {
			if labelled[j] {
				return false
			}
		}
		return true
	}
	for i, r := range f.Rows {
		if r.Highlight && free(i) {
			labelled[i] = true
		}
	}
	for i := 0; i < g; i += step {
		if free(i) {
			labelled[i] = true
		}
	}
	ticks := make([]plot.Tick, 0, g)
	for i, r := range f.Rows {
		label := ""
		if labelled[i] {
			label = fmt.Sprintf("%s (%d)", oneLine(r.Label), r.N)
		}
		ticks = append(ticks, plot.Tick{Value: float64(g - 1 - i), Label: label})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Label.Font = sans(labelSize)
	p.Y.Tick.Length = vg.Points(2)

	ch := &chart{p: p}
	if isFinite(f.Common) {
		p.Add(xband(f.CommonLo, f.CommonHi, colBand))
		common := draw.LineStyle{Color: colBlue, Width: vg.Points(1.2)}
		p.Add(vline(f.Common, common, ""))
		ch.addLegend(f.CommonLabel, fillThumb(colBand), lineThumb(common))
	}
	p.Add(vline(0, geometryRefStyle, "NE"), vline(1, geometryRefStyle, "Euclidean"))

	radius := vg.Points(math.Min(2.6, math.Max(1.1, float64(pitch)*0.35)))
	lineW := vg.Points(math.Min(1.2, math.Max(0.5, float64(pitch)*0.25)))
	p.Add(intervals(true, len(f.Rows), func(i int) (intervalMark, bool) {
		r := f.Rows[i]
		clr := colBlack
		if r.Highlight {
			clr = colVermillion
		}
		return intervalMark{est: r.Est, lo: r.Lo, hi: r.Hi, at: float64(g - 1 - i),
			line:  draw.LineStyle{Color: clr, Width: lineW},
			glyph: draw.GlyphStyle{Color: clr, Radius: radius, Shape: draw.CircleGlyph{}}}, isFinite(r.Est)
	}))
	ch.addLegend("group λ̂ and 95% interval", glyphThumb(draw.GlyphStyle{Color: colBlack, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}))
	var high []string
	for _, r := range f.Rows {
		if r.Highlight {
			high = append(high, oneLine(r.Label))
		}
	}
	if f.HighlightLegend != "" && len(high) > 0 {
		names := strings.Join(high[:min(5, len(high))], ", ")
		if len(high) > 5 {
			names += fmt.Sprintf(" and %d more", len(high)-5)
		}
		ch.addLegend(f.HighlightLegend+": "+names, glyphThumb(draw.GlyphStyle{Color: colVermillion, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}))
	}
	if g == 0 {
		p.Add(message("no group has an estimate"))
	}
	if step > 1 {
		ch.note("%d groups: about every %s labelled, highlighted ones first.", g, ordinal(step))
	}
	return ch.renderSize(figWidth, vg.Length(height))
}

// ordinal writes 2 as "2nd", 3 as "3rd" and so on.
func ordinal(k int) string {
	suffix := "th"
	switch {
	case k%100 >= 11 && k%100 <= 13:
	case k%10 == 1:
		suffix = "st"
	case k%10 == 2:
		suffix = "nd"
	case k%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprint(k) + suffix
}

// geometryRefStyle draws the lines of the named geometries (λ = 0 and 1).
var geometryRefStyle = draw.LineStyle{Color: colGrey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}

// clampedAt maps v to the canvas, kept within [lo, hi] so that an interval
// running off the axis ends at its edge; a missing end (NaN, ±Inf) is drawn
// at edge.
// intervalMark is an estimate with its interval, drawn at position at on
// the other axis than the values.
type intervalMark struct {
	est, lo, hi, at float64
	line            draw.LineStyle
	glyph           draw.GlyphStyle
}

// intervals draws the marks that mark(i) returns with ok, for i < n: values
// on the x axis when horizontal, else on the y axis. Interval ends beyond
// the panel are drawn to its edge.
func intervals(horizontal bool, n int, mark func(i int) (intervalMark, bool)) plot.Plotter {
	return plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		ax, trV, trAt := &p.Y, trY, trX
		if horizontal {
			ax, trV, trAt = &p.X, trX, trY
		}
		clamp := func(v, edge float64) vg.Length { return clampedAt(trV, ax.Min, ax.Max, v, edge) }
		point := func(v, at vg.Length) vg.Point {
			if horizontal {
				return vg.Point{X: v, Y: at}
			}
			return vg.Point{X: at, Y: v}
		}
		for i := range n {
			m, ok := mark(i)
			if !ok {
				continue
			}
			at := trAt(m.at)
			a, b := point(clamp(m.lo, ax.Min), at), point(clamp(m.hi, ax.Max), at)
			c.StrokeLine2(m.line, a.X, a.Y, b.X, b.Y)
			c.DrawGlyph(m.glyph, point(clamp(m.est, m.est), at))
		}
	})
}

func clampedAt(tr func(float64) vg.Length, lo, hi, v, edge float64) vg.Length {
	if !isFinite(v) {
		v = edge
	}
	return tr(math.Max(lo, math.Min(hi, v)))
}
