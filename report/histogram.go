package report

import (
	"math"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Density is a fitted probability density to overlay on a histogram.
type Density struct {
	Label string                  // legend entry
	PDF   func(x float64) float64 // the density f
}

// HistogramFigure is a histogram of a sample, scaled as a density, with
// fitted densities overlaid.
//
// On a linear axis the bars are counts/(n·width) and the curves are f(x).
// With LogX the bins are equal in log x and the picture is the density of
// ln x: bars are counts/(n·Δln x) and the curves are x·f(x). There, only
// positive values are used and n counts them.
//
// The sample is read in a few passes without being copied, so it may hold
// 10^7 values or more. Non-finite values are ignored. On the linear axis
// the range stops at the 99.5th percentile when a long right tail would
// squeeze the bulk into a few bins; a note under the plot says how many
// values lie beyond.
type HistogramFigure struct {
	Title     string    // the figure's title
	XLabel    string    // x-axis label
	Sample    []float64 // the values, read in place
	Densities []Density // fitted densities to overlay
	LogX      bool      // bins equal in log x: the density of ln x
	Bins      int       // 0 chooses from n (Rice rule, 10 to 80 bins)
}

// SVG renders the figure.
func (f HistogramFigure) SVG() ([]byte, error) {
	ylabel := "density"
	if f.LogX {
		ylabel = "density of ln x  (x·f(x))"
	}
	p := newPlot(f.Title, f.XLabel, ylabel)
	ch := &chart{p: p}
	if f.LogX {
		setLogX(p)
	}

	st := scanSample(f.Sample)
	n := st.finite
	lo, hi := st.min, st.max
	if f.LogX {
		n = st.positive
		lo = st.minPos
		if st.finite > st.positive {
			ch.note("%s value(s) ≤ 0 not shown on the log axis.", strconv.Itoa(st.finite-st.positive))
		}
	}
	if n == 0 {
		p.Add(message("no data to show"))
		p.X.Min, p.X.Max = 0, 1
		p.Y.Min, p.Y.Max = 0, 1
		if f.LogX {
			p.X.Min, p.X.Max = 0.1, 10
		}
		return ch.render()
	}

	// The linear axis starts at 0 for positive data that come close to it,
	// and stops at a high quantile if the tail is long.
	beyond := 0
	if !f.LogX {
		if lo >= 0 && lo < 0.25*(hi-lo) {
			lo = 0
		}
		if q := st.quantile(f.Sample, 0.995); q < hi && (hi-lo) > 1.5*(q-lo) {
			hi = q
			for _, x := range f.Sample {
				if isFinite(x) && x > hi {
					beyond++
				}
			}
		}
	}

	bins := f.Bins
	if bins <= 0 {
		bins = int(math.Ceil(2 * math.Cbrt(float64(n))))
		bins = min(max(bins, 10), 80)
	}
	// Constant data: one bin around the value.
	if hi <= lo {
		if f.LogX {
			lo, hi = lo/1.1, hi*1.1
		} else {
			d := math.Max(math.Abs(lo)*0.05, 0.5)
			lo, hi = lo-d, hi+d
		}
		bins = 1
	}
	hb, maxBar := densityBins(f.Sample, n, lo, hi, bins, f.LogX)
	hist := &plotter.Histogram{
		Bins:      hb,
		FillColor: colBar,
		LineStyle: draw.LineStyle{Color: colGrey, Width: vg.Points(0.4)},
	}
	p.Add(hist)
	ch.addLegend("data (n = "+strconv.Itoa(n)+")", fillThumb(colBar))

	// Density curves on 400 points, evenly spaced on the displayed axis.
	const m = 400
	xs := make([]float64, m)
	ys := make([]float64, m)
	maxCurve := 0.0
	a, b := lo, hi
	if f.LogX {
		a, b = math.Log(lo), math.Log(hi)
	}
	for i, d := range f.Densities {
		if d.PDF == nil {
			continue
		}
		for j := range m {
			t := a + (b-a)*float64(j)/float64(m-1)
			x := t
			if f.LogX {
				x = math.Exp(t)
			}
			y := d.PDF(x)
			if f.LogX {
				y *= x
			}
			xs[j], ys[j] = x, y
			if isFinite(y) {
				maxCurve = math.Max(maxCurve, y)
			}
		}
		sty := seriesLine(i)
		if addLine(p, xs, ys, sty, f.LogX, false) {
			ch.addLegend(d.Label, lineThumb(sty))
		}
	}

	p.X.Min, p.X.Max = hb[0].Min, hb[bins-1].Max
	top := math.Max(maxBar, math.Min(maxCurve, 3*maxBar))
	if top <= 0 || !isFinite(top) {
		top = 1
	}
	p.Y.Min, p.Y.Max = 0, top*1.05
	if beyond > 0 {
		ch.note("%s value(s) above %s (99.5th percentile) not shown.", strconv.Itoa(beyond), figFloat(hi, 3))
	}
	return ch.render()
}

// densityBins bins the finite values of xs in [lo, hi] (positive ones, in
// equal steps of ln x, if logX) and scales the counts by 1/(n·width), so
// that bars over the full range have unit area on the binned scale.
func densityBins(xs []float64, n int, lo, hi float64, bins int, logX bool) (hb []plotter.HistogramBin, maxBar float64) {
	counts := make([]float64, bins)
	var a, b float64
	if logX {
		a, b = math.Log(lo), math.Log(hi)
	} else {
		a, b = lo, hi
	}
	width := (b - a) / float64(bins)
	for _, x := range xs {
		if !isFinite(x) || (logX && x <= 0) {
			continue
		}
		t := x
		if logX {
			t = math.Log(x)
		}
		if t < a || t > b {
			continue
		}
		k := int((t - a) / width)
		if k >= bins {
			k = bins - 1
		}
		counts[k]++
	}
	hb = make([]plotter.HistogramBin, bins)
	for k := range bins {
		lo, hi := a+float64(k)*width, a+float64(k+1)*width
		if k == bins-1 {
			hi = b
		}
		h := counts[k] / (float64(n) * width)
		hb[k] = plotter.HistogramBin{Min: lo, Max: hi, Weight: h}
		if logX {
			hb[k].Min, hb[k].Max = math.Exp(lo), math.Exp(hi)
		}
		maxBar = math.Max(maxBar, h)
	}
	return hb, maxBar
}

// sampleStats are the one-pass facts a histogram needs.
type sampleStats struct {
	finite, positive int
	min, max, minPos float64
}

func scanSample(xs []float64) sampleStats {
	s := sampleStats{min: math.Inf(1), max: math.Inf(-1), minPos: math.Inf(1)}
	for _, x := range xs {
		if !isFinite(x) {
			continue
		}
		s.finite++
		s.min = math.Min(s.min, x)
		s.max = math.Max(s.max, x)
		if x > 0 {
			s.positive++
			s.minPos = math.Min(s.minPos, x)
		}
	}
	return s
}

// quantile approximates the q-quantile of the finite values without
// sorting or copying: two passes of 4096 fine bins, the second zoomed into
// the bin that holds the quantile, so the error is at most range/4096².
func (s sampleStats) quantile(xs []float64, q float64) float64 {
	if s.finite == 0 {
		return math.NaN()
	}
	lo, hi := s.min, s.max
	target := q * float64(s.finite)
	below := 0.0 // values below lo
	const nb = 4096
	for range 2 {
		if !(hi > lo) {
			return lo
		}
		counts := make([]float64, nb)
		w := (hi - lo) / nb
		for _, x := range xs {
			if !isFinite(x) || x < lo || x > hi {
				continue
			}
			k := min(int((x-lo)/w), nb-1)
			counts[k]++
		}
		cum := below
		k := 0
		for ; k < nb-1; k++ {
			if cum+counts[k] >= target {
				break
			}
			cum += counts[k]
		}
		below = cum
		lo, hi = lo+float64(k)*w, lo+float64(k+1)*w
	}
	return hi
}
