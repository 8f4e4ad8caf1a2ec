package report

import (
	"math"
	"sort"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ECDFCurve is an empirical CDF evaluated on a grid: F[k] = F_n(X[k]).
type ECDFCurve struct {
	Label string    // legend entry
	X, F  []float64 // grid and F_n on it
}

// DeltaCDFGrid returns the paper's evaluation grid for ΔCDF: 1000 points
// evenly spaced on [−5, 5].
func DeltaCDFGrid() []float64 {
	const m = 1000
	x := make([]float64, m)
	for k := range x {
		x[k] = -5 + 10*float64(k)/float64(m-1)
	}
	return x
}

// NewECDFCurve evaluates the empirical CDF of z on the ΔCDF grid with the
// paper's convention F_n(x) = #{z_i < x}/n, in one pass without sorting
// or copying z. Non-finite values are skipped and not counted in n.
func NewECDFCurve(label string, z []float64) ECDFCurve {
	x := DeltaCDFGrid()
	counts := make([]float64, len(x)+1)
	n := 0
	for _, v := range z {
		if !isFinite(v) {
			continue
		}
		n++
		// The first grid point strictly above v; v < x[k] from there on.
		k := sort.Search(len(x), func(i int) bool { return x[i] > v })
		counts[k]++
	}
	f := make([]float64, len(x))
	cum := 0.0
	for k := range x {
		cum += counts[k]
		if n > 0 {
			f[k] = cum / float64(n)
		} else {
			f[k] = math.NaN()
		}
	}
	return ECDFCurve{Label: label, X: x, F: f}
}

// ECDFFigure compares empirical CDFs of standardised shifts with the
// standard normal CDF Φ: the picture behind ΔCDF, which is the area
// between a curve and Φ. With Difference the y axis shows F_n − Φ
// instead, which makes small departures visible.
type ECDFFigure struct {
	Title      string      // the figure's title
	Curves     []ECDFCurve // one line each
	Difference bool        // plot F_n − Φ instead of F_n and Φ
}

// SVG renders the figure.
func (f ECDFFigure) SVG() ([]byte, error) {
	ylabel := "cumulative probability"
	if f.Difference {
		ylabel = "F_n(z) − Φ(z)"
	}
	p := newPlot(f.Title, "standardised shift z", ylabel)
	ch := &chart{p: p}
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

	ref := draw.LineStyle{Color: colBlack, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	grid := DeltaCDFGrid()
	if f.Difference {
		p.Add(hline(0, ref, ""))
	} else {
		ys := make([]float64, len(grid))
		for k, x := range grid {
			ys[k] = phi(x)
		}
		addLine(p, grid, ys, ref, false, false)
	}
	ch.addLegend("Φ, standard normal", lineThumb(ref))

	lo, hi := 0.0, 0.0
	drawn := 0
	for i, c := range f.Curves {
		m := min(len(c.X), len(c.F))
		ys := make([]float64, m)
		for k := range m {
			ys[k] = c.F[k]
			if f.Difference {
				ys[k] -= phi(c.X[k])
			}
			if isFinite(ys[k]) && isFinite(c.X[k]) {
				lo, hi = math.Min(lo, ys[k]), math.Max(hi, ys[k])
			}
		}
		sty := seriesLine(i)
		if addLine(p, c.X[:m], ys, sty, false, false) {
			ch.addLegend(c.Label, lineThumb(sty))
			drawn++
		}
	}
	if drawn == 0 {
		p.Add(message("no data to show"))
	}
	p.X.Min, p.X.Max = -5, 5
	if f.Difference {
		m := math.Max(math.Max(-lo, hi), 0.01) * 1.1
		p.Y.Min, p.Y.Max = -m, m
	} else {
		p.Y.Min, p.Y.Max = 0, 1
	}
	return ch.render()
}
