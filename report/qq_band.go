package report

import (
	"image/color"

	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot/plotter"
)

// qqBandLevel is the pointwise coverage of the QQ band.
const qqBandLevel = 0.95

// orderStatBand is the pointwise qqBandLevel range of the k-th (0-based)
// of n order statistics under the quantile function q: U_(k+1) follows
// Beta(k + 1, n − k), so its quantiles map through q to the sample scale.
func orderStatBand(q func(float64) float64, k, n int) (lo, hi float64) {
	b := distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}
	a := (1 - qqBandLevel) / 2
	return q(b.Quantile(a)), q(b.Quantile(1 - a))
}

// qqBand splits the plotted points of the first fit into those inside and
// outside the band, and returns the band's lower and upper curves (against
// the fitted quantile, as the points). keep filters values a log axis
// cannot show.
func qqBand(q func(float64) float64, sorted []float64, idx []int, keep func(float64) bool) (in, out, lower, upper plotter.XYs) {
	n := len(sorted)
	for _, k := range idx {
		x := q((float64(k) + 0.5) / float64(n))
		y := sorted[k]
		if !keep(x) || !keep(y) {
			continue
		}
		lo, hi := orderStatBand(q, k, n)
		if keep(lo) && keep(hi) {
			lower = append(lower, plotter.XY{X: x, Y: lo})
			upper = append(upper, plotter.XY{X: x, Y: hi})
		}
		if y < lo || y > hi {
			out = append(out, plotter.XY{X: x, Y: y})
		} else {
			in = append(in, plotter.XY{X: x, Y: y})
		}
	}
	return in, out, lower, upper
}

// colMiss marks QQ points outside the band of the best fit.
var colMiss = color.NRGBA{0xCC, 0x00, 0x00, 255}

func xyX(p plotter.XYs) []float64 {
	out := make([]float64, len(p))
	for i, q := range p {
		out[i] = q.X
	}
	return out
}

func xyY(p plotter.XYs) []float64 {
	out := make([]float64, len(p))
	for i, q := range p {
		out[i] = q.Y
	}
	return out
}
