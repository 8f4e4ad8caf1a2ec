package report

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// Figure costs at 10^6 points: the passes over the sample dominate.

func BenchmarkHistogramLog1e6(b *testing.B) {
	xs := lognormalSample(1_000_000, 1)
	ln := distuv.LogNormal{Mu: -0.7, Sigma: 0.9}
	f := HistogramFigure{Title: "b", Sample: xs, Densities: []Density{{"ln", ln.Prob}}, LogX: true}
	for b.Loop() {
		if _, err := f.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHistogramLinear1e6(b *testing.B) {
	xs := lognormalSample(1_000_000, 1)
	f := HistogramFigure{Title: "b", Sample: xs}
	for b.Loop() {
		if _, err := f.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQQUnsorted1e6(b *testing.B) {
	xs := lognormalSample(1_000_000, 1)
	ln := distuv.LogNormal{Mu: -0.7, Sigma: 0.9}
	f := QQFigure{Title: "b", Sample: xs, Fits: []Quantile{{"ln", ln.Quantile}}, LogAxes: true}
	for b.Loop() {
		if _, err := f.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShiftHexbin1e6(b *testing.B) {
	w0 := lognormalSample(1_000_000, 1)
	d := make([]float64, len(w0))
	for i := range d {
		d[i] = math.Sin(float64(i))
	}
	bins := ShiftBins(w0, d, 15)
	f := ShiftFigure{Title: "b", W0: w0, D: d, Bins: bins, LogX: true}
	for b.Loop() {
		if _, err := f.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShiftBins1e6(b *testing.B) {
	w0 := lognormalSample(1_000_000, 1)
	d := make([]float64, len(w0))
	for b.Loop() {
		ShiftBins(w0, d, 15)
	}
}
