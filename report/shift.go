package report

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ShiftBin summarises the dual shifts d of the synapses in one bin of
// initial weight: W0 is the bin's median initial weight, Mean the mean
// shift, Lo and Hi the 10th and 90th percentiles, N the count.
type ShiftBin struct {
	W0, Mean, Lo, Hi float64 // median w0; mean, 10th and 90th percentile of d
	N                int     // pairs in the bin
}

// shiftBinSample caps the number of pairs ShiftBins sorts.
const shiftBinSample = 200_000

// ShiftBins groups pairs (w0[i], d[i]) into nbins bins of equal count by
// w0 and summarises d in each (see ShiftBin). Pairs with a non-finite
// value are skipped. Above 200 000 pairs it summarises a systematic
// sample (every k-th pair), which keeps the cost to a sort of 200 000
// values and leaves each bin thousands of pairs; the input is not
// modified.
func ShiftBins(w0, d []float64, nbins int) []ShiftBin {
	n := min(len(w0), len(d))
	if nbins < 1 || n == 0 {
		return nil
	}
	stride := 1
	if n > shiftBinSample {
		stride = (n + shiftBinSample - 1) / shiftBinSample
	}
	type pair struct{ w, d float64 }
	ps := make([]pair, 0, n/stride+1)
	for i := 0; i < n; i += stride {
		if isFinite(w0[i]) && isFinite(d[i]) {
			ps = append(ps, pair{w0[i], d[i]})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.w, b.w) })
	nbins = min(nbins, len(ps))
	out := make([]ShiftBin, 0, nbins)
	ds := make([]float64, 0, len(ps)/nbins+1)
	for b := range nbins {
		i0, i1 := b*len(ps)/nbins, (b+1)*len(ps)/nbins
		if i1 <= i0 {
			continue
		}
		ds = ds[:0]
		sum := 0.0
		for _, q := range ps[i0:i1] {
			ds = append(ds, q.d)
			sum += q.d
		}
		slices.Sort(ds)
		m := i1 - i0
		out = append(out, ShiftBin{
			W0:   ps[i0+m/2].w,
			Mean: sum / float64(m),
			Lo:   sortedQuantile(ds, 0.1),
			Hi:   sortedQuantile(ds, 0.9),
			N:    m * stride,
		})
	}
	return out
}

// sortedQuantile is the linear-interpolation quantile (R type 7).
func sortedQuantile(s []float64, q float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	h := q * float64(len(s)-1)
	i := int(math.Floor(h))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// ScatterLimit is the largest number of points a ShiftFigure draws one by
// one; above it the points become a hexagonal-bin density.
const ScatterLimit = 2000

// ShiftFigure plots dual shifts d against the initial weight w0: the
// points (as dots up to ScatterLimit, as a hexbin density above), the
// binned mean shift and its 10–90% band (Bins, e.g. from ShiftBins), and
// the zero line. Under the right geometry the band is flat: shifts do not
// depend on w0.
//
// W0 and D may be nil (bins only) or hold all pairs or a sample; they are
// read without copying. The y range covers the central 99% of the points
// and the bands; points outside are counted in a note.
type ShiftFigure struct {
	Title  string     // the figure's title
	XLabel string     // default "initial weight w0"
	YLabel string     // default "dual shift d"
	W0, D  []float64  // initial weights and shifts of the points
	Bins   []ShiftBin // the binned band (ShiftBins)
	LogX   bool       // logarithmic w0 axis, positive w0 only
}

// SVG renders the figure.
func (f ShiftFigure) SVG() ([]byte, error) {
	xl, yl := f.XLabel, f.YLabel
	if xl == "" {
		xl = "initial weight w0"
	}
	if yl == "" {
		yl = "dual shift d"
	}
	p := newPlot(f.Title, xl, yl)
	ch := &chart{p: p}
	if f.LogX {
		setLogX(p)
	}
	n := min(len(f.W0), len(f.D))
	ok := func(w, d float64) bool { return isFinite(w) && isFinite(d) && (!f.LogX || w > 0) }

	// Ranges from the points (x: all; y: central 99% of a sample) and bins.
	xlo, xhi := math.Inf(1), math.Inf(-1)
	count := 0
	for i := range n {
		if ok(f.W0[i], f.D[i]) {
			count++
			xlo, xhi = math.Min(xlo, f.W0[i]), math.Max(xhi, f.W0[i])
		}
	}
	ylo, yhi := math.Inf(1), math.Inf(-1)
	if count > 0 {
		stride := max(1, n/50_000)
		var ys []float64
		for i := 0; i < n; i += stride {
			if ok(f.W0[i], f.D[i]) {
				ys = append(ys, f.D[i])
			}
		}
		slices.Sort(ys)
		ylo, yhi = sortedQuantile(ys, 0.005), sortedQuantile(ys, 0.995)
	}
	var bins []ShiftBin
	for _, b := range f.Bins {
		if ok(b.W0, b.Mean) {
			bins = append(bins, b)
			xlo, xhi = math.Min(xlo, b.W0), math.Max(xhi, b.W0)
			for _, v := range []float64{b.Mean, b.Lo, b.Hi} {
				if isFinite(v) {
					ylo, yhi = math.Min(ylo, v), math.Max(yhi, v)
				}
			}
		}
	}
	if count == 0 && len(bins) == 0 {
		p.Add(message("no data to show"))
		return ch.render()
	}
	if yhi <= ylo {
		d := math.Max(math.Abs(ylo)*0.1, 1e-3)
		if !isFinite(d) {
			d = 1
		}
		ylo, yhi = ylo-d, yhi+d
	}
	pad := 0.05 * (yhi - ylo)
	ylo, yhi = ylo-pad, yhi+pad
	if f.LogX {
		xlo, xhi = xlo/1.05, xhi*1.05
	} else {
		xp := 0.03 * (xhi - xlo)
		xlo, xhi = xlo-xp, xhi+xp
	}
	p.X.Min, p.X.Max = xlo, xhi
	p.Y.Min, p.Y.Max = ylo, yhi

	outside := 0
	for i := range n {
		if ok(f.W0[i], f.D[i]) && (f.D[i] < ylo || f.D[i] > yhi) {
			outside++
		}
	}

	switch {
	case count > ScatterLimit:
		hb := &hexbin{w0: f.W0[:n], d: f.D[:n], ok: ok, radius: vg.Points(4.5)}
		p.Add(hb)
		hb.legend(ch, count)
	case count > 0:
		var pts plotter.XYs
		for i := range n {
			if ok(f.W0[i], f.D[i]) {
				pts = append(pts, plotter.XY{X: f.W0[i], Y: f.D[i]})
			}
		}
		dot := draw.GlyphStyle{Color: color.NRGBA{0x00, 0x72, 0xB2, 110}, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
		p.Add(&plotter.Scatter{XYs: pts, GlyphStyle: dot})
		big := dot
		big.Radius = vg.Points(2.5)
		ch.addLegend("synapses (n = "+strconv.Itoa(count)+")", glyphThumb(big))
	}

	zero := draw.LineStyle{Color: colGrey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2)}}
	p.Add(hline(0, zero, ""))

	if len(bins) > 0 {
		var upper, lower plotter.XYs
		for _, b := range bins {
			if isFinite(b.Lo) && isFinite(b.Hi) {
				upper = append(upper, plotter.XY{X: b.W0, Y: b.Hi})
				lower = append(lower, plotter.XY{X: b.W0, Y: b.Lo})
			}
		}
		band := color.NRGBA{0xE6, 0x9F, 0x00, 110}
		if len(upper) > 1 {
			ring := append(plotter.XYs{}, lower...)
			for i := len(upper) - 1; i >= 0; i-- {
				ring = append(ring, upper[i])
			}
			p.Add(&plotter.Polygon{XYs: []plotter.XYs{ring}, Color: band})
			edge := draw.LineStyle{Color: colOrange, Width: vg.Points(0.8)}
			p.Add(&plotter.Line{XYs: upper, LineStyle: edge}, &plotter.Line{XYs: lower, LineStyle: edge})
			ch.addLegend("10–90% of shifts per bin", fillThumb(band))
		}
		xs := make([]float64, len(bins))
		ys := make([]float64, len(bins))
		for i, b := range bins {
			xs[i], ys[i] = b.W0, b.Mean
		}
		mean := draw.LineStyle{Color: colVermillion, Width: vg.Points(1.8)}
		addLine(p, xs, ys, mean, f.LogX, false)
		dot := draw.GlyphStyle{Color: colVermillion, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
		pts := make(plotter.XYs, len(bins))
		for i := range bins {
			pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
		}
		p.Add(&plotter.Scatter{XYs: pts, GlyphStyle: dot})
		ch.addLegend("mean shift per bin of w0", lineThumb(mean), glyphThumb(dot))
	}
	if outside > 0 {
		ch.note("%s point(s) outside the plotted range (central 99%% of shifts) not shown.", strconv.Itoa(outside))
	}
	return ch.render()
}

// hexbin draws a density of points as hexagons of a fixed size on the
// page. It is a gonum/plot plotter rather than separate hand-written SVG
// so that it shares the axes, log scale and fonts of the other figures;
// the binning happens in page coordinates, so hexagons are regular on a
// log axis too. Memory and output size depend on the plot area, not on n.
type hexbin struct {
	w0, d  []float64
	ok     func(w, d float64) bool
	radius vg.Length
	max    int
}

// bin counts the points per hexagon. Hexagon centres form a triangular
// lattice, the union of two rectangular lattices offset by half a cell; a
// point belongs to the nearer of its two candidate centres. Centre (i, j)
// in half-cell units sits at (i·sx/2, j·sy/2) from the data area's corner.
func (h *hexbin) bin(c draw.Canvas, plt *plot.Plot) (counts map[[2]int]int, sx, sy float64) {
	r := float64(h.radius)
	sx, sy = math.Sqrt(3)*r, 3*r
	w, ht := float64(c.Max.X-c.Min.X), float64(c.Max.Y-c.Min.Y)
	// Page coordinates from data, with the axis logarithms hoisted out of
	// the loop (plot.Transforms recomputes them for every point).
	tx := axisTransform(plt.X, w)
	ty := axisTransform(plt.Y, ht)
	// Dense grid over half-cell indices -1 … n+1 in both directions.
	nx, ny := int(2*w/sx)+4, int(2*ht/sy)+4
	grid := make([]int, nx*ny)
	for i := range h.w0 {
		wv, dv := h.w0[i], h.d[i]
		if !h.ok(wv, dv) || wv < plt.X.Min || wv > plt.X.Max || dv < plt.Y.Min || dv > plt.Y.Max {
			continue
		}
		x, y := tx(wv), ty(dv)
		ia, ja := math.Round(x/sx), math.Round(y/sy)
		ib, jb := math.Floor(x/sx), math.Floor(y/sy)
		da := sq(x-ia*sx) + sq(y-ja*sy)
		db := sq(x-(ib+0.5)*sx) + sq(y-(jb+0.5)*sy)
		var ci, cj int
		if da <= db {
			ci, cj = 2*int(ia), 2*int(ja)
		} else {
			ci, cj = 2*int(ib)+1, 2*int(jb)+1
		}
		grid[(cj+1)*nx+ci+1]++
	}
	counts = make(map[[2]int]int)
	for k, v := range grid {
		if v > 0 {
			counts[[2]int{k%nx - 1, k/nx - 1}] = v
		}
	}
	return counts, sx, sy
}

// axisTransform maps data values on an axis to page offsets in [0, size].
func axisTransform(a plot.Axis, size float64) func(float64) float64 {
	if _, ok := a.Scale.(plot.LogScale); ok {
		lo := math.Log(a.Min)
		k := size / (math.Log(a.Max) - lo)
		return func(v float64) float64 { return (math.Log(v) - lo) * k }
	}
	k := size / (a.Max - a.Min)
	return func(v float64) float64 { return (v - a.Min) * k }
}

func sq(x float64) float64 { return x * x }

func (h *hexbin) Plot(c draw.Canvas, plt *plot.Plot) {
	counts, sx, sy := h.bin(c, plt)
	h.max = 0
	for _, k := range counts {
		h.max = max(h.max, k)
	}
	// Draw in a fixed order so that output is reproducible.
	keys := make([][2]int, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int {
		if a[1] != b[1] {
			return a[1] - b[1]
		}
		return a[0] - b[0]
	})
	r := float64(h.radius)
	for _, k := range keys {
		cx := float64(c.Min.X) + float64(k[0])*sx/2
		cy := float64(c.Min.Y) + float64(k[1])*sy/2
		hex := make([]vg.Point, 6)
		for j := range 6 {
			a := math.Pi/6 + float64(j)*math.Pi/3
			hex[j] = vg.Point{X: vg.Length(cx + r*math.Cos(a)), Y: vg.Length(cy + r*math.Sin(a))}
		}
		clipped := c.ClipPolygonXY(hex)
		if len(clipped) > 2 {
			c.FillPolygon(h.color(counts[k]), clipped)
		}
	}
}

// color maps a count to the viridis scale on a log axis, so single points
// stay visible next to dense cores.
func (h *hexbin) color(k int) color.Color {
	t := 0.0
	if h.max > 1 {
		t = math.Log(float64(k)) / math.Log(float64(h.max))
	}
	return viridis(t)
}

// legend adds the colour-scale entry. The densest hexagon's count is
// known only once the plot is drawn, so the label is filled in then; n
// bounds it for the layout.
func (h *hexbin) legend(ch *chart, n int) {
	label := func(max int) string {
		return "synapses per hexagon: 1 to " + strconv.Itoa(max) + " (log colour scale)"
	}
	ch.legend = append(ch.legend, legendEntry{
		label: label(n),
		lazy:  func() string { return label(h.max) },
		thumbs: []plot.Thumbnailer{thumbFunc(func(c *draw.Canvas) {
			const k = 5
			w := (c.Max.X - c.Min.X) / k
			for i := range k {
				x0 := c.Min.X + vg.Length(i)*w
				c.FillPolygon(viridis(float64(i)/(k-1)), []vg.Point{{X: x0, Y: c.Min.Y}, {X: x0 + w, Y: c.Min.Y}, {X: x0 + w, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
			}
		})},
	})
}

// viridisStops are nine evenly spaced colours of the viridis map (van der
// Walt & Smith, matplotlib), perceptually uniform and colour-blind safe.
var viridisStops = [][3]float64{
	{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
	{39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37},
}

func viridis(t float64) color.Color {
	if !(t > 0) {
		t = 0
	}
	if t > 1 {
		t = 1
	}
	x := t * float64(len(viridisStops)-1)
	i := min(int(x), len(viridisStops)-2)
	u := x - float64(i)
	var c [3]uint8
	for j := range 3 {
		c[j] = uint8(math.Round(viridisStops[i][j]*(1-u) + viridisStops[i+1][j]*u))
	}
	return color.NRGBA{c[0], c[1], c[2], 255}
}
