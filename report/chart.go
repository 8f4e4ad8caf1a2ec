package report

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"image/color"
	"math"
	"regexp"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure size: two figures fit side by side on a wide screen, one per row
// on a narrow one or on paper.
const (
	figWidth  = 5.4 * vg.Inch
	figHeight = 3.5 * vg.Inch
)

// Font sizes in points.
const (
	titleSize  = 11
	labelSize  = 10
	tickSize   = 9
	legendSize = 9
	noteSize   = 8
)

// Okabe–Ito colours (Okabe & Ito 2008): distinguishable with every common
// colour-vision deficiency. Lines also differ by dash pattern, so figures
// survive greyscale printing.
var (
	colBlack      = color.NRGBA{0, 0, 0, 255}
	colBlue       = color.NRGBA{0x00, 0x72, 0xB2, 255}
	colVermillion = color.NRGBA{0xD5, 0x5E, 0x00, 255}
	colGreen      = color.NRGBA{0x00, 0x9E, 0x73, 255}
	colPurple     = color.NRGBA{0xCC, 0x79, 0xA7, 255}
	colOrange     = color.NRGBA{0xE6, 0x9F, 0x00, 255}
	colSky        = color.NRGBA{0x56, 0xB4, 0xE9, 255}
	colGrey       = color.NRGBA{0x80, 0x80, 0x80, 255}
	colBar        = color.NRGBA{0xD4, 0xD4, 0xD4, 255}
	colBand       = color.NRGBA{0x56, 0xB4, 0xE9, 90}
	colInterval   = color.NRGBA{0xE6, 0x9F, 0x00, 80}

	// seriesColors orders the palette for successive series.
	seriesColors = []color.Color{colBlue, colVermillion, colGreen, colPurple, colOrange, colSky, colBlack}
	// seriesDashes pairs a dash pattern with each series colour.
	seriesDashes = [][]vg.Length{
		nil,
		{vg.Points(5), vg.Points(2.5)},
		{vg.Points(1.5), vg.Points(1.5)},
		{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
		{vg.Points(3), vg.Points(3)},
		{vg.Points(8), vg.Points(3)},
		{vg.Points(1), vg.Points(3)},
	}
	seriesGlyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}}
)

func seriesLine(i int) draw.LineStyle {
	return draw.LineStyle{
		Color:  seriesColors[i%len(seriesColors)],
		Width:  vg.Points(1.6),
		Dashes: seriesDashes[i%len(seriesDashes)],
	}
}

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

func sans(size vg.Length) font.Font { return font.From(sansFont, size) }

func sansBold(size vg.Length) font.Font {
	f := sans(size)
	f.Weight = xfont.WeightBold
	return f
}

// newPlot returns a plot with the house style: sans-serif fonts, light
// grid-free axes, title and axis labels.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = oneLine(title)
	p.Title.TextStyle.Font = sansBold(titleSize)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(labelSize)
		a.Tick.Label.Font = sans(tickSize)
		a.Tick.Length = vg.Points(5)
		a.Padding = vg.Points(2)
		a.Tick.Marker = readableTicks{}
	}
	p.X.Label.Text = oneLine(xlabel)
	p.Y.Label.Text = oneLine(ylabel)
	return p
}

// oneLine keeps user text (column names, group labels) on one line: a
// newline would split a plot title in two.
func oneLine(s string) string {
	return string(bytes.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, []byte(s)))
}

// legendEntry is one item of the legend drawn under the plot.
type legendEntry struct {
	label  string
	lazy   func() string // if set, the label drawn (label is its widest form)
	thumbs []plot.Thumbnailer
}

// chart is a plot plus the legend and notes drawn beneath it.
type chart struct {
	p      *plot.Plot
	legend []legendEntry
	notes  []string
}

func (ch *chart) addLegend(label string, thumbs ...plot.Thumbnailer) {
	ch.legend = append(ch.legend, legendEntry{label: oneLine(label), thumbs: thumbs})
}

func (ch *chart) note(format string, args ...any) {
	ch.notes = append(ch.notes, fmt.Sprintf(format, args...))
}

// legendLayout places the entries in rows under the plot, wrapping when a
// row is full, and returns the rows and the height they need.
func (ch *chart) legendLayout(width vg.Length) (rows [][]legendEntry, height vg.Length) {
	sty := legendStyle()
	thumb := vg.Points(22)
	gap := vg.Points(14)
	var row []legendEntry
	var used vg.Length
	for _, e := range ch.legend {
		w := thumb + vg.Points(4) + sty.Width(e.label) + gap
		if len(row) > 0 && used+w > width {
			rows = append(rows, row)
			row, used = nil, 0
		}
		row = append(row, e)
		used += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	lineH := sty.Height("Mg") + vg.Points(4)
	height = vg.Length(len(rows)) * lineH
	if len(ch.notes) > 0 {
		ns := noteStyle()
		height += vg.Length(len(ch.notes)) * (ns.Height("Mg") + vg.Points(2))
	}
	if height > 0 {
		height += vg.Points(6)
	}
	return rows, height
}

func legendStyle() draw.TextStyle {
	return draw.TextStyle{Color: colBlack, Font: sans(legendSize), Handler: plot.DefaultTextHandler}
}

func noteStyle() draw.TextStyle {
	return draw.TextStyle{Color: colGrey, Font: sans(noteSize), Handler: plot.DefaultTextHandler}
}

// render draws the chart at the standard size and returns a standalone SVG
// document (no XML prolog, so it can also be inlined in HTML).
func (ch *chart) render() ([]byte, error) {
	return ch.renderSize(figWidth, figHeight)
}

func (ch *chart) renderSize(w, h vg.Length) (out []byte, err error) {
	defer func() {
		// gonum/plot panics on some degenerate inputs; a figure that
		// cannot be drawn must not take the whole report down.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("report: drawing figure %q: %v", ch.p.Title.Text, r)
		}
	}()
	sanitizeAxis(&ch.p.X)
	sanitizeAxis(&ch.p.Y)

	cv := vgsvg.New(w, h)
	dc := draw.New(cv)
	// White background for the whole image, legend included.
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())

	margin := vg.Points(6)
	inner := draw.Crop(dc, margin, -margin, margin, -margin)
	rows, legendH := ch.legendLayout(inner.Max.X - inner.Min.X)
	plotArea := draw.Crop(inner, 0, 0, legendH, 0)
	if _, logY := ch.p.Y.Scale.(plot.LogScale); logY && ch.p.Y.Label.Text != "" {
		// gonum/plot centres the y label in data space, which on a log
		// axis pushes it (and the whole plot) down; draw it ourselves.
		label := ch.p.Y.Label.Text
		ch.p.Y.Label.Text = ""
		sty := ch.p.Y.Label.TextStyle
		h := sty.Height(label)
		ch.p.Draw(draw.Crop(plotArea, h+ch.p.Y.Label.Padding+vg.Points(6), 0, 0, 0))
		data := ch.p.DataCanvas(draw.Crop(plotArea, h+ch.p.Y.Label.Padding+vg.Points(6), 0, 0, 0))
		sty.Rotation = math.Pi / 2
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		dc.FillText(sty, vg.Point{X: plotArea.Min.X, Y: (data.Min.Y + data.Max.Y) / 2}, label)
		ch.p.Y.Label.Text = label
	} else {
		ch.p.Draw(plotArea)
	}

	sty := legendStyle()
	lineH := sty.Height("Mg") + vg.Points(4)
	y := inner.Min.Y + legendH - vg.Points(2) - lineH
	for _, row := range rows {
		x := inner.Min.X + vg.Points(4)
		for _, e := range row {
			icon := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y + vg.Points(1)},
				Max: vg.Point{X: x + vg.Points(22), Y: y + lineH - vg.Points(3)},
			}}
			for _, t := range e.thumbs {
				t.Thumbnail(&icon)
			}
			x += vg.Points(26)
			label := e.label
			if e.lazy != nil {
				label = e.lazy()
			}
			dc.FillText(sty, vg.Point{X: x, Y: y + vg.Points(2)}, label)
			x += sty.Width(e.label) + vg.Points(14)
		}
		y -= lineH
	}
	ns := noteStyle()
	for _, n := range ch.notes {
		dc.FillText(ns, vg.Point{X: inner.Min.X + vg.Points(4), Y: y + vg.Points(6)}, oneLine(n))
		y -= ns.Height("Mg") + vg.Points(2)
	}

	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, err
	}
	out, err = finishSVG(buf.Bytes())
	if err != nil {
		return nil, err
	}
	return withTitle(out, ch.p.Title.Text), nil
}

// withTitle adds a <title> element, which screen readers announce and
// browsers show as a tooltip.
func withTitle(svg []byte, title string) []byte {
	i := bytes.IndexByte(svg, '>')
	if title == "" || i < 0 {
		return svg
	}
	var b bytes.Buffer
	b.Write(svg[:i+1])
	b.WriteString("\n<title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title>")
	b.Write(svg[i+1:])
	return b.Bytes()
}

var (
	svgProlog     = regexp.MustCompile(`^(?s)\s*<\?xml[^>]*\?>\s*(<!--.*?-->\s*)?`)
	nonFiniteAttr = regexp.MustCompile(`="[^"]*(NaN|Inf)[^"]*"`)
	libSans       = []byte("font-family:Liberation Sans;")
)

// finishSVG strips the XML prolog (an HTML parser would treat it as a
// bogus comment), gives the font a fallback list with the same metrics
// (Arial and Helvetica are metric-compatible with Liberation Sans), and
// refuses non-finite coordinates, which browsers reject with console
// errors.
func finishSVG(b []byte) ([]byte, error) {
	b = svgProlog.ReplaceAll(b, nil)
	b = bytes.ReplaceAll(b, libSans, []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	if m := nonFiniteAttr.Find(b); m != nil {
		return nil, fmt.Errorf("report: non-finite coordinate in figure: %s", m)
	}
	if !bytes.HasPrefix(b, []byte("<svg")) {
		return nil, errors.New("report: unexpected SVG output")
	}
	return compactSVG(b), nil
}

// sanitizeAxis makes an axis range drawable: finite, non-empty and
// positive on a log scale.
func sanitizeAxis(a *plot.Axis) {
	_, isLog := a.Scale.(plot.LogScale)
	lo, hi := a.Min, a.Max
	if !isFinite(lo) || !isFinite(hi) || lo > hi {
		lo, hi = 0, 1
		if isLog {
			lo, hi = 0.1, 10
		}
	}
	if isLog {
		if hi <= 0 {
			lo, hi = 0.1, 10
		} else if lo <= 0 {
			lo = hi / 100
		}
		if lo == hi {
			lo, hi = lo/2, hi*2
		}
	} else if lo == hi {
		d := math.Abs(lo) * 0.1
		if d == 0 {
			d = 1
		}
		lo, hi = lo-d, hi+d
	}
	a.Min, a.Max = lo, hi
}

// plotterFunc adapts a drawing function to plot.Plotter, for annotations.
type plotterFunc func(c draw.Canvas, p *plot.Plot)

func (f plotterFunc) Plot(c draw.Canvas, p *plot.Plot) { f(c, p) }

// thumbFunc adapts a drawing function to plot.Thumbnailer.
type thumbFunc func(c *draw.Canvas)

func (f thumbFunc) Thumbnail(c *draw.Canvas) { f(c) }

func lineThumb(sty draw.LineStyle) plot.Thumbnailer {
	return thumbFunc(func(c *draw.Canvas) {
		y := c.Center().Y
		c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
	})
}

func fillThumb(clr color.Color) plot.Thumbnailer {
	return thumbFunc(func(c *draw.Canvas) {
		c.FillPolygon(clr, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
	})
}

func glyphThumb(sty draw.GlyphStyle) plot.Thumbnailer {
	return thumbFunc(func(c *draw.Canvas) { c.DrawGlyphNoClip(sty, c.Center()) })
}

// segments splits a polyline at non-finite points (and, on log axes, at
// non-positive coordinates) so that nothing undrawable reaches the SVG.
func segments(xs, ys []float64, logX, logY bool) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for i := range xs {
		x, y := xs[i], ys[i]
		ok := isFinite(x) && isFinite(y) && (!logX || x > 0) && (!logY || y > 0)
		if !ok {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: x, Y: y})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// addLine adds a polyline (split at undrawable points) with a style and
// returns whether anything was drawn.
func addLine(p *plot.Plot, xs, ys []float64, sty draw.LineStyle, logX, logY bool) bool {
	segs := segments(xs, ys, logX, logY)
	for _, s := range segs {
		l := &plotter.Line{XYs: s, LineStyle: sty}
		p.Add(l)
	}
	return len(segs) > 0
}

// textAt draws a label on a white patch at data coordinates (offset by
// dx, dy), if the anchor point lies in the data area.
func textAt(x, y float64, label string, sty draw.TextStyle, dx, dy vg.Length) plot.Plotter {
	label = oneLine(label)
	return plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		if !isFinite(x) || !isFinite(y) {
			return
		}
		trX, trY := p.Transforms(&c)
		if !c.Contains(vg.Point{X: trX(x), Y: trY(y)}) {
			return
		}
		pt := vg.Point{X: trX(x) + dx, Y: trY(y) + dy}
		r := sty.Rectangle(label).Add(pt)
		m := vg.Points(1.5)
		c.FillPolygon(color.NRGBA{255, 255, 255, 220}, c.ClipPolygonXY([]vg.Point{
			{X: r.Min.X - m, Y: r.Min.Y - m}, {X: r.Max.X + m, Y: r.Min.Y - m},
			{X: r.Max.X + m, Y: r.Max.Y + m}, {X: r.Min.X - m, Y: r.Max.Y + m},
		}))
		c.FillText(sty, pt, label)
	})
}

// vline draws a vertical reference line across the data area with a label
// near the top.
func vline(x float64, sty draw.LineStyle, label string) plot.Plotter {
	return refLine(x, true, sty, label)
}

// hline draws a horizontal reference line across the data area.
func hline(y float64, sty draw.LineStyle, label string) plot.Plotter {
	return refLine(y, false, sty, label)
}

// refLine draws a reference line at v across the data area, vertical (v on
// the x axis, label near the top, on the left of the line where it would
// not fit on the right) or horizontal (label at the right end, above it).
func refLine(v float64, vertical bool, sty draw.LineStyle, label string) plot.Plotter {
	return plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		ax, tr := &p.Y, trY
		if vertical {
			ax, tr = &p.X, trX
		}
		if !isFinite(v) || v < ax.Min || v > ax.Max {
			return
		}
		pv := tr(v)
		ts := draw.TextStyle{Color: sty.Color, Font: sans(noteSize), Handler: plot.DefaultTextHandler}
		var at vg.Point
		if vertical {
			c.StrokeLine2(sty, pv, c.Min.Y, pv, c.Max.Y)
			ts.YAlign = draw.YTop
			if pv+ts.Width(label)+vg.Points(3) > c.Max.X {
				ts.XAlign = draw.XRight
				pv -= vg.Points(3)
			} else {
				pv += vg.Points(3)
			}
			at = vg.Point{X: pv, Y: c.Max.Y - vg.Points(2)}
		} else {
			c.StrokeLine2(sty, c.Min.X, pv, c.Max.X, pv)
			ts.XAlign = draw.XRight
			at = vg.Point{X: c.Max.X - vg.Points(3), Y: pv + vg.Points(2)}
		}
		if label != "" {
			label = oneLine(label)
			haloText(c, ts, at, label)
		}
	})
}

// haloText writes a label over a translucent white box, so that a curve or
// a band drawn before it does not hide its digits.
func haloText(c draw.Canvas, ts draw.TextStyle, at vg.Point, label string) {
	w, h := ts.Width(label), ts.Height(label)
	pad := vg.Points(1)
	lo := vg.Point{X: at.X + vg.Length(ts.XAlign)*w - pad, Y: at.Y + vg.Length(ts.YAlign)*h - pad}
	box := vg.Rectangle{Min: lo, Max: vg.Point{X: lo.X + w + 2*pad, Y: lo.Y + h + 2*pad}}
	c.SetColor(color.NRGBA{R: 255, G: 255, B: 255, A: 170})
	c.Fill(box.Path())
	c.FillText(ts, at, label)
}

// xband shades the data area between x0 and x1.
func xband(x0, x1 float64, clr color.Color) plot.Plotter {
	return plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		if !isFinite(x0) || !isFinite(x1) {
			return
		}
		trX, _ := p.Transforms(&c)
		a, b := trX(max(x0, p.X.Min)), trX(min(x1, p.X.Max))
		if b < a {
			return
		}
		if b-a < vg.Points(1) { // keep a very narrow interval visible
			m := (a + b) / 2
			a, b = m-vg.Points(0.5), m+vg.Points(0.5)
		}
		c.FillPolygon(clr, []vg.Point{{X: a, Y: c.Min.Y}, {X: b, Y: c.Min.Y}, {X: b, Y: c.Max.Y}, {X: a, Y: c.Max.Y}})
	})
}

// message writes a centred message in an otherwise empty data area.
func message(text string) plot.Plotter {
	return plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		ts := draw.TextStyle{Color: colGrey, Font: sans(labelSize), Handler: plot.DefaultTextHandler, XAlign: draw.XCenter, YAlign: draw.YCenter}
		c.FillText(ts, c.Center(), text)
	})
}

// readableTicks is the linear-axis ticker: DefaultTicks' positions with
// labels in FormatFloat's style (no "1e+00" surprises).
type readableTicks struct{}

func (readableTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	// The fewest decimals that show every labelled value exactly.
	dec := 0
	for _, t := range ticks {
		if t.Label == "" {
			continue
		}
		a := math.Abs(t.Value)
		for dec < 10 && a > 0 && math.Abs(math.Round(a*math.Pow10(dec))/math.Pow10(dec)-a) > 1e-9*math.Max(a, math.Abs(hi-lo)) {
			dec++
		}
	}
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = tickLabel(ticks[i].Value, dec, hi-lo)
		}
	}
	return ticks
}

// tickLabel formats a tick value with dec decimals, or in exponent form
// for very large or small magnitudes.
func tickLabel(v float64, dec int, span float64) string {
	if math.Abs(v) < math.Abs(span)*1e-9 {
		return "0"
	}
	if a := math.Abs(v); a >= 1e6 || a < 1e-4 {
		return minus(strconv.FormatFloat(v, 'g', 3, 64))
	}
	return minus(strconv.FormatFloat(v, 'f', dec, 64))
}

// minus sets a leading minus sign as U+2212, as typeset figures do.
func minus(s string) string {
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}

// figFloat is FormatFloat for text inside figures.
func figFloat(x float64, sig int) string { return minus(FormatFloat(x, sig)) }

// logTicks labels a log axis: powers of ten (with unlabelled 2–9 minor
// ticks) when the range spans two decades or more, otherwise 1-2-5 steps.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	k0 := int(math.Floor(math.Log10(lo)))
	k1 := int(math.Ceil(math.Log10(hi)))
	var ticks []plot.Tick
	dense := hi/lo < 100
	for k := k0; k <= k1; k++ {
		base := math.Pow10(k)
		for m := 1; m <= 9; m++ {
			v := float64(m) * base
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			label := ""
			if m == 1 || (dense && (m == 2 || m == 5)) {
				label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	labelled := 0
	for _, t := range ticks {
		if t.Label != "" {
			labelled++
		}
	}
	if labelled < 2 { // a narrow range: label every tick
		for i := range ticks {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'g', -1, 64)
		}
		if len(ticks) < 2 {
			ticks = []plot.Tick{
				{Value: lo, Label: FormatFloat(lo, 2)},
				{Value: hi, Label: FormatFloat(hi, 2)},
			}
		}
	}
	return ticks
}

func setLogX(p *plot.Plot) {
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = logTicks{}
}

func setLogY(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
}
