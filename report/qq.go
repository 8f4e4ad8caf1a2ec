package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Quantile is a fitted quantile function (inverse CDF) for a QQ plot.
type Quantile struct {
	Label    string                  // legend entry
	Quantile func(p float64) float64 // the fit's inverse CDF
}

// QQMaxPoints is the most plotting positions a QQ plot draws, whatever n.
const QQMaxPoints = 400

// QQFigure plots sample quantiles (y) against fitted quantiles (x), one
// series per fit, with the identity line. For n above QQMaxPoints the
// plotting positions are order statistics spaced evenly on the normal
// probability scale, so the tails, where fits differ, stay resolved; the
// extreme order statistics are always included. Theoretical quantiles are
// taken at the Hazen positions (i − 0.5)/n.
//
// Sample may be in any order: a sorted sample is used in place, otherwise
// a sorted copy of its finite values is made (about a second for 10^7
// values), so pass the sorted sample if the caller holds one anyway. With LogAxes both axes are
// logarithmic and only positive quantiles are drawn.
type QQFigure struct {
	Title   string     // the figure's title
	Sample  []float64  // the values, sorted or not
	Fits    []Quantile // one series each
	LogAxes bool       // logarithmic axes, positive quantiles only
	// Unit is appended to the axis labels, e.g. "µm³".
	Unit string
	// Band draws the pointwise 95% band of the order statistics under the
	// first fit and marks its points outside the band.
	Band bool
}

// SVG renders the figure.
func (f QQFigure) SVG() ([]byte, error) {
	xl, yl := "fitted quantile", "sample quantile"
	if f.Unit != "" {
		xl += " (" + f.Unit + ")"
		yl += " (" + f.Unit + ")"
	}
	p := newPlot(f.Title, xl, yl)
	ch := &chart{p: p}
	if f.LogAxes {
		setLogX(p)
		setLogY(p)
	}
	sorted := sortedFinite(f.Sample)
	n := len(sorted)
	if n == 0 || len(f.Fits) == 0 {
		p.Add(message("no data to show"))
		return ch.render()
	}
	idx := plottingPositions(n, QQMaxPoints)

	lo, hi := math.Inf(1), math.Inf(-1)
	keep := func(x float64) bool { return isFinite(x) && (!f.LogAxes || x > 0) }
	for i, fit := range f.Fits {
		if fit.Quantile == nil {
			continue
		}
		var pts, out, lower, upper plotter.XYs
		if i == 0 && f.Band {
			pts, out, lower, upper = qqBand(fit.Quantile, sorted, idx, keep)
		} else {
			for _, k := range idx {
				x := fit.Quantile((float64(k) + 0.5) / float64(n))
				if y := sorted[k]; keep(x) && keep(y) {
					pts = append(pts, plotter.XY{X: x, Y: y})
				}
			}
		}
		for _, q := range append(pts[:len(pts):len(pts)], out...) {
			lo, hi = math.Min(lo, math.Min(q.X, q.Y)), math.Max(hi, math.Max(q.X, q.Y))
		}
		if len(lower) > 1 {
			band := draw.LineStyle{Color: colBlue, Width: vg.Points(0.7), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
			addLine(p, xyX(lower), xyY(lower), band, f.LogAxes, f.LogAxes)
			addLine(p, xyX(upper), xyY(upper), band, f.LogAxes, f.LogAxes)
			ch.addLegend("pointwise 95% band, "+fit.Label, lineThumb(band))
		}
		if len(out) > 0 {
			miss := draw.GlyphStyle{Color: colMiss, Radius: vg.Points(2.4), Shape: draw.CrossGlyph{}}
			p.Add(&plotter.Scatter{XYs: out, GlyphStyle: miss})
			ch.addLegend(fmt.Sprintf("outside the band (%d of %d)", len(out), len(out)+len(pts)), glyphThumb(miss))
		}
		if len(pts) == 0 {
			continue
		}
		sty := draw.GlyphStyle{
			Color:  seriesColors[i%len(seriesColors)],
			Radius: vg.Points(1.6),
			Shape:  seriesGlyphs[i%len(seriesGlyphs)],
		}
		s := &plotter.Scatter{XYs: pts, GlyphStyle: sty}
		p.Add(s)
		big := sty
		big.Radius = vg.Points(2.5)
		ch.addLegend(fit.Label, glyphThumb(big))
	}
	if !(hi >= lo) {
		p.Add(message("nothing drawable (all quantiles non-finite or ≤ 0)"))
		return ch.render()
	}
	ref := draw.LineStyle{Color: colGrey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	addLine(p, []float64{lo, hi}, []float64{lo, hi}, ref, f.LogAxes, f.LogAxes)
	ch.addLegend("y = x", lineThumb(ref))
	pad := 0.03 * (hi - lo)
	if f.LogAxes {
		p.X.Min, p.X.Max = lo/1.1, hi*1.1
	} else {
		p.X.Min, p.X.Max = lo-pad, hi+pad
	}
	p.Y.Min, p.Y.Max = p.X.Min, p.X.Max
	if n > len(idx) {
		ch.note("%d of %s order statistics shown (evenly spaced in rank and in normal probability).", len(idx), strconv.Itoa(n))
	}
	return ch.render()
}

// sortedFinite returns xs itself if it is sorted and finite, otherwise a
// sorted copy of its finite values.
func sortedFinite(xs []float64) []float64 {
	ok := true
	for i, x := range xs {
		if !isFinite(x) || (i > 0 && x < xs[i-1]) {
			ok = false
			break
		}
	}
	if ok {
		return xs
	}
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		if isFinite(x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// plottingPositions picks at most m distinct indices of n order
// statistics: all of them if n ≤ m, otherwise half spaced evenly in rank
// (the bulk) and half at probabilities spaced evenly on the probit scale
// (the tails), always including both extremes.
func plottingPositions(n, m int) []int {
	if n <= m {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	half := m / 2
	idx := make([]int, 0, m)
	for j := range half {
		idx = append(idx, int(math.Round(float64(j)*float64(n-1)/float64(half-1))))
	}
	zlo := mathext.NormalQuantile(0.5 / float64(n))
	zhi := -zlo
	for j := range m - half {
		z := zlo + (zhi-zlo)*float64(j)/float64(m-half-1)
		pr := 0.5 * math.Erfc(-z/math.Sqrt2)
		k := int(math.Round(pr*float64(n) - 0.5))
		idx = append(idx, min(max(k, 0), n-1))
	}
	slices.Sort(idx)
	return slices.Compact(idx)
}
