package report

import (
	"math"

	"gonum.org/v1/plot/plotter"
)

// profileRange is the informative x range of a profile figure: the grid
// points whose relative log-likelihood is on the panel (≥ ymin), the
// interval, and p = 1 and p = 2 (NE and Euclidean), padded by one grid
// step and kept inside the grid.
func profileRange(xs, ys []float64, ymin, ciLo, ciHi float64) (lo, hi float64) {
	lo, hi = 1, 2
	glo, ghi := math.Inf(1), math.Inf(-1)
	for i := range xs {
		if !isFinite(xs[i]) {
			continue
		}
		glo, ghi = math.Min(glo, xs[i]), math.Max(ghi, xs[i])
		if isFinite(ys[i]) && ys[i] >= ymin {
			lo, hi = math.Min(lo, xs[i]), math.Max(hi, xs[i])
		}
	}
	for _, v := range []float64{ciLo, ciHi} {
		if isFinite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	pad := 0.1
	if len(xs) > 1 && ghi > glo {
		pad = (ghi - glo) / float64(len(xs)-1)
	}
	lo, hi = lo-pad, hi+pad
	if ghi > glo {
		lo, hi = math.Max(lo, glo), math.Min(hi, ghi)
	}
	return lo, hi
}

// belowPanel are the grid points inside [xlo, xhi] whose relative
// log-likelihood is below ymin (or −∞), placed on the bottom edge.
func belowPanel(xs, ys []float64, xlo, xhi, ymin float64) plotter.XYs {
	var out plotter.XYs
	for i := range xs {
		if isFinite(xs[i]) && xs[i] >= xlo && xs[i] <= xhi && !math.IsNaN(ys[i]) && ys[i] < ymin {
			out = append(out, plotter.XY{X: xs[i], Y: ymin})
		}
	}
	return out
}
