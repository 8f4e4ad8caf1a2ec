package report

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CandidateScore is one candidate geometry's ΔCDF, with the optional 95%
// range of ΔCDF under the null (Gaussian shifts at the same n, from the
// calibration). P is the p-norm exponent; negative entropy has P = 1
// (λ = 0 in the Box–Cox family) or P = NaN. NaN values are skipped.
type CandidateScore struct {
	Name           string  // the candidate's name
	P              float64 // its p-norm exponent; NE: 1 or NaN
	DCDF           float64 // its ΔCDF
	NullLo, NullHi float64 // null 95% range; NaN: none
}

func (c CandidateScore) isNE() bool { return math.IsNaN(c.P) || c.P <= 1 }

// DeltaCDFFigure plots ΔCDF against the candidate exponent p in the style
// of Pogodin et al. (2024): the p-norm candidates joined by a line,
// negative entropy as a separate point at the left labelled "NE", the null
// 95% range shaded when given, and the best candidate ringed.
type DeltaCDFFigure struct {
	Title      string           // the figure's title
	Candidates []CandidateScore // the points to plot
	Best       string           // Name of the candidate to highlight
	// YLabel defaults to "ΔCDF".
	YLabel string
}

// SVG renders the figure.
func (f DeltaCDFFigure) SVG() ([]byte, error) {
	ylabel := f.YLabel
	if ylabel == "" {
		ylabel = "ΔCDF"
	}
	p := newPlot(f.Title, "candidate exponent p", ylabel)
	ch := &chart{p: p}

	var pn []CandidateScore
	var ne *CandidateScore
	pmin, pmax := math.Inf(1), math.Inf(-1)
	for i, c := range f.Candidates {
		if c.isNE() {
			if ne == nil {
				ne = &f.Candidates[i]
			}
			continue
		}
		if !isFinite(c.P) {
			continue
		}
		pn = append(pn, c)
		pmin, pmax = math.Min(pmin, c.P), math.Max(pmax, c.P)
	}
	if len(pn) == 0 && ne == nil {
		p.Add(message("no candidates"))
		return ch.render()
	}
	if len(pn) == 0 {
		pmin, pmax = 1.5, 3
	}
	// NE sits left of the smallest p-norm, two grid steps away.
	step := 0.1
	if len(pn) > 1 {
		step = (pmax - pmin) / float64(len(pn)-1)
	}
	neX := pmin - 2*step
	xOf := func(c CandidateScore) float64 {
		if c.isNE() {
			return neX
		}
		return c.P
	}

	ymax := 0.0
	grow := func(v float64) {
		if isFinite(v) {
			ymax = math.Max(ymax, v)
		}
	}

	// Null band: a shaded polygon over the p-norms, an error bar at NE.
	hasBand := false
	var upper, lower plotter.XYs
	for _, c := range pn {
		if isFinite(c.NullLo) && isFinite(c.NullHi) {
			upper = append(upper, plotter.XY{X: c.P, Y: c.NullHi})
			lower = append(lower, plotter.XY{X: c.P, Y: c.NullLo})
			grow(c.NullHi)
		}
	}
	if len(upper) > 1 {
		ring := append(plotter.XYs{}, lower...)
		for i := len(upper) - 1; i >= 0; i-- {
			ring = append(ring, upper[i])
		}
		p.Add(&plotter.Polygon{XYs: []plotter.XYs{ring}, Color: colBand})
		hasBand = true
	}
	if ne != nil && isFinite(ne.NullLo) && isFinite(ne.NullHi) {
		lo, hi := ne.NullLo, ne.NullHi
		p.Add(plotterFunc(func(c draw.Canvas, plt *plot.Plot) {
			trX, trY := plt.Transforms(&c)
			x := trX(neX)
			w := vg.Points(5)
			c.FillPolygon(colBand, c.ClipPolygonXY([]vg.Point{{X: x - w, Y: trY(lo)}, {X: x + w, Y: trY(lo)}, {X: x + w, Y: trY(hi)}, {X: x - w, Y: trY(hi)}}))
		}))
		grow(hi)
		hasBand = true
	}
	if hasBand {
		ch.addLegend("null 95% range (Gaussian shifts, same n)", fillThumb(colBand))
	}

	lineSty := draw.LineStyle{Color: colBlue, Width: vg.Points(1.4)}
	xs := make([]float64, len(pn))
	ys := make([]float64, len(pn))
	for i, c := range pn {
		xs[i], ys[i] = c.P, c.DCDF
		grow(c.DCDF)
	}
	addLine(p, xs, ys, lineSty, false, false)
	dot := draw.GlyphStyle{Color: colBlue, Radius: vg.Points(2.4), Shape: draw.CircleGlyph{}}
	var pts plotter.XYs
	for _, c := range pn {
		if isFinite(c.DCDF) {
			pts = append(pts, plotter.XY{X: c.P, Y: c.DCDF})
		}
	}
	if len(pts) > 0 {
		p.Add(&plotter.Scatter{XYs: pts, GlyphStyle: dot})
		ch.addLegend("p-norm candidates", lineThumb(lineSty), glyphThumb(dot))
	}
	neSty := draw.GlyphStyle{Color: colVermillion, Radius: vg.Points(3.2), Shape: draw.BoxGlyph{}}
	if ne != nil && isFinite(ne.DCDF) {
		p.Add(&plotter.Scatter{XYs: plotter.XYs{{X: neX, Y: ne.DCDF}}, GlyphStyle: neSty})
		grow(ne.DCDF)
		ch.addLegend("negative entropy (NE)", glyphThumb(neSty))
	}
	ring := draw.GlyphStyle{Color: colBlack, Radius: vg.Points(6), Shape: draw.RingGlyph{}}
	for _, c := range f.Candidates {
		if c.Name != f.Best || f.Best == "" || !isFinite(c.DCDF) {
			continue
		}
		x := xOf(c)
		p.Add(&plotter.Scatter{XYs: plotter.XYs{{X: x, Y: c.DCDF}}, GlyphStyle: ring})
		ts := draw.TextStyle{Color: colBlack, Font: sansBold(noteSize), Handler: plot.DefaultTextHandler, XAlign: draw.XCenter}
		p.Add(textAt(x, c.DCDF, "best: "+c.Name, ts, 0, vg.Points(10)))
		ch.addLegend("lowest ΔCDF ("+c.Name+")", glyphThumb(ring))
		break
	}

	// Ticks: "NE", then the p-norm range in steps of 0.5 with minor ticks
	// at every candidate.
	var ticks []plot.Tick
	if ne != nil {
		ticks = append(ticks, plot.Tick{Value: neX, Label: "NE"})
	}
	for _, c := range pn {
		ticks = append(ticks, plot.Tick{Value: c.P})
	}
	for v := math.Ceil(pmin*2) / 2; v <= pmax+1e-9; v += 0.5 {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 1, 64)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	left := pmin - step
	if ne != nil {
		left = neX - 2*step // room for the "best: NE" label
	}
	p.X.Min, p.X.Max = left, pmax+step
	if ne != nil && len(pn) > 0 {
		// A break mark between NE and the p-norm axis.
		gap := (neX + pmin) / 2
		p.Add(vline(gap, draw.LineStyle{Color: colBar, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}, ""))
	}
	if ymax <= 0 {
		ymax = 1
	}
	p.Y.Min, p.Y.Max = 0, ymax*1.18
	return ch.render()
}

// chiSq1Half95 is half the 95% quantile of χ²(1): the drop in
// log-likelihood that bounds a 95% likelihood-ratio interval.
const chiSq1Half95 = 1.920729410347062

// ProfileFigure plots the relative profile log-likelihood ℓ(λ) − ℓ(λ̂)
// against p = λ + 1, with the 95% likelihood-ratio interval shaded, the
// −1.92 threshold, and p = 1 (negative entropy) and p = 2 (Euclidean)
// marked. Values far below the threshold are clipped at YMin; the labels
// of the NE and Euclidean lines give their exact Δℓ.
type ProfileFigure struct {
	Title     string    // the figure's title
	P         []float64 // grid of p = λ + 1
	RelLogLik []float64 // ℓ − ℓ(λ̂) on the grid (≤ 0)
	PHat      float64   // NaN if unknown
	CILo      float64   // NaN if unknown
	CIHi      float64   // NaN if unknown
	// NELogLik and EuclidLogLik are ℓ − ℓ(λ̂) at p = 1 and p = 2; NaN if
	// unknown (then they are read off the grid when it contains them).
	NELogLik, EuclidLogLik float64
	// YMin is the bottom of the y axis; 0 means max(min(RelLogLik), −12).
	YMin float64
}

// pText writes a value on the p scale for the legend: three significant
// digits, or beside an interval narrower than 0.01 its narrowDecimals, so
// that p̂ = 1.00014 in [0.99974, 1.00054] does not read "1.00 to 1.00".
func (f ProfileFigure) pText(x float64) string {
	if d := narrowDecimals([2]*float64{&f.CILo, &f.CIHi}); d > 0 {
		return minus(fmt.Sprintf("%.*f", d, x))
	}
	return figFloat(x, 3)
}

// SVG renders the figure.
func (f ProfileFigure) SVG() ([]byte, error) {
	p := newPlot(f.Title, "exponent p = λ + 1", "ℓ(λ) − ℓ(λ̂)")
	ch := &chart{p: p}
	n := min(len(f.P), len(f.RelLogLik))
	if n == 0 {
		p.Add(message("no likelihood profile"))
		return ch.render()
	}
	xs, ys := f.P[:n], f.RelLogLik[:n]
	xlo, xhi, ylo := math.Inf(1), math.Inf(-1), 0.0
	for i := range n {
		if isFinite(xs[i]) {
			xlo, xhi = math.Min(xlo, xs[i]), math.Max(xhi, xs[i])
		}
		if isFinite(xs[i]) && isFinite(ys[i]) {
			ylo = math.Min(ylo, ys[i])
		}
	}
	ymin := f.YMin
	if ymin >= 0 || !isFinite(ymin) {
		ymin = math.Max(ylo, -12)
		ymin = math.Min(ymin, -2.5) // always show the threshold
	}
	lookup := func(v, at float64) float64 {
		if isFinite(v) {
			return v
		}
		for i := range n {
			if math.Abs(xs[i]-at) < 1e-9 {
				return ys[i]
			}
		}
		return math.NaN()
	}
	neLL, euLL := lookup(f.NELogLik, 1), lookup(f.EuclidLogLik, 2)

	if isFinite(f.CILo) && isFinite(f.CIHi) {
		p.Add(xband(f.CILo, f.CIHi, colInterval))
		ch.addLegend("95% interval for p: "+f.pText(f.CILo)+" to "+f.pText(f.CIHi), fillThumb(colInterval))
	}
	thr := draw.LineStyle{Color: colGrey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	p.Add(hline(-chiSq1Half95, thr, "−1.92 (95%)"))

	ref := draw.LineStyle{Color: colGreen, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2)}}
	label := func(name string, v float64) string {
		if isFinite(v) {
			return name + ", Δℓ = " + figFloat(v, 3)
		}
		return name
	}
	sty := draw.LineStyle{Color: colBlue, Width: vg.Points(1.6)}
	addLine(p, xs, ys, sty, false, false)
	ch.addLegend("profile log-likelihood", lineThumb(sty))
	if isFinite(f.PHat) {
		dot := draw.GlyphStyle{Color: colVermillion, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(&plotter.Scatter{XYs: plotter.XYs{{X: f.PHat, Y: 0}}, GlyphStyle: dot})
		ch.addLegend("p̂ = "+f.pText(f.PHat), glyphThumb(dot))
	}
	// The reference lines last: their labels sit near the top, where the
	// curve peaks when p̂ is close to 1 or 2, and their Δℓ must stay
	// legible (the dot shows through the label's translucent box, and again
	// in the zoom).
	p.Add(vline(1, ref, label("NE", neLL)))
	p.Add(vline(2, ref, label("Euclidean", euLL)))
	if !(xhi > xlo) {
		xlo, xhi = 0.8, 3.2
	} else {
		xlo, xhi = profileRange(xs, ys, ymin, f.CILo, f.CIHi)
	}
	if off := belowPanel(xs, ys, xlo, xhi, ymin); len(off) > 0 {
		mark := draw.GlyphStyle{Color: colBlue, Radius: vg.Points(3), Shape: draw.TriangleGlyph{}}
		p.Add(plotterFunc(func(c draw.Canvas, plt *plot.Plot) {
			trX, trY := plt.Transforms(&c)
			for _, q := range off {
				c.DrawGlyph(mark, vg.Point{X: trX(q.X), Y: trY(q.Y) + vg.Points(3)})
			}
		}))
		ch.addLegend("grid point below the panel", glyphThumb(mark))
	}
	p.X.Min, p.X.Max = xlo, xhi
	p.Y.Min, p.Y.Max = ymin, 0.06*(-ymin)
	f.addZoom(ch, xs, ys, xhi-xlo)
	return ch.render()
}

// addZoom adds an inset that magnifies the interval when it is too narrow
// to read on the full axis (large n). The inset shows only grid points,
// so it needs a grid that is fine near p̂; otherwise a note says so.
func (f ProfileFigure) addZoom(ch *chart, xs, ys []float64, span float64) {
	if !isFinite(f.CILo) || !isFinite(f.CIHi) || !isFinite(f.PHat) || f.CIHi-f.CILo > 0.1*span {
		return
	}
	w := math.Max(f.CIHi-f.CILo, 1e-12)
	lo, hi := f.CILo-1.5*w, f.CIHi+1.5*w
	var zx, zy []float64
	ymin := -2 * chiSq1Half95
	for i := range xs {
		if isFinite(xs[i]) && isFinite(ys[i]) && xs[i] >= lo && xs[i] <= hi {
			zx, zy = append(zx, xs[i]), append(zy, ys[i])
			ymin = math.Min(ymin, ys[i])
		}
	}
	if len(zx) < 5 {
		ch.note("The 95%% interval is narrower than the grid spacing; a finer grid near p̂ would show it magnified.")
		return
	}
	ymin = math.Max(ymin, -4*chiSq1Half95)
	p := ch.p
	right := (f.PHat-p.X.Min)/(p.X.Max-p.X.Min) < 0.5
	p.Add(plotterFunc(func(c draw.Canvas, _ *plot.Plot) {
		q := newPlot("", "", "")
		q.Title.TextStyle.Font = sans(noteSize)
		for _, a := range []*plot.Axis{&q.X, &q.Y} {
			a.Tick.Label.Font = sans(noteSize)
			a.Tick.Length = vg.Points(3)
		}
		q.Title.Text = "zoom on the 95% interval"
		q.Add(xband(f.CILo, f.CIHi, colInterval))
		q.Add(vline(1, draw.LineStyle{Color: colGreen, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2)}}, "NE"))
		q.Add(vline(2, draw.LineStyle{Color: colGreen, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2)}}, "Euclidean"))
		q.Add(hline(-chiSq1Half95, draw.LineStyle{Color: colGrey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}, ""))
		addLine(q, zx, zy, draw.LineStyle{Color: colBlue, Width: vg.Points(1.4)}, false, false)
		q.Add(&plotter.Scatter{XYs: plotter.XYs{{X: f.PHat, Y: 0}}, GlyphStyle: draw.GlyphStyle{Color: colVermillion, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}})
		q.X.Min, q.X.Max = lo, hi
		q.Y.Min, q.Y.Max = ymin, 0.08*(-ymin)
		q.X.Tick.Marker = sparseTicks{}
		sanitizeAxis(&q.X)
		sanitizeAxis(&q.Y)

		iw, ih := 0.46*(c.Max.X-c.Min.X), 0.58*(c.Max.Y-c.Min.Y)
		pad := vg.Points(6)
		x0 := c.Min.X + pad
		if right {
			x0 = c.Max.X - iw - pad
		}
		box := vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y + pad}, Max: vg.Point{X: x0 + iw, Y: c.Min.Y + pad + ih}}
		c.FillPolygon(color.White, []vg.Point{box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}})
		c.StrokeLines(draw.LineStyle{Color: colGrey, Width: vg.Points(0.6)}, []vg.Point{box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}, box.Min})
		q.BackgroundColor = nil
		q.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: box.Min.X + vg.Points(2), Y: box.Min.Y + vg.Points(2)}, Max: vg.Point{X: box.Max.X - vg.Points(4), Y: box.Max.Y - vg.Points(3)}}})
	}))
}

// sparseTicks labels at most four ticks, for small insets.
type sparseTicks struct{}

func (sparseTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := readableTicks{}.Ticks(lo, hi)
	n := 0
	for _, t := range ticks {
		if t.Label != "" {
			n++
		}
	}
	if n <= 4 {
		return ticks
	}
	k := 0
	for i := range ticks {
		if ticks[i].Label != "" {
			if k%2 == 1 {
				ticks[i].Label = ""
			}
			k++
		}
	}
	return ticks
}
