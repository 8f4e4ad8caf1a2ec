package testgeom

import (
	"testing"
)

// BenchmarkBin is the second pass's binning of one block of shifts for the
// 21 default candidates: the uncentred and centred grid counts and the
// third and fourth moments (ns per pair, 42 counts each).
func BenchmarkBin(b *testing.B) {
	w0, w1 := benchPairs(1e5)
	sc := NewScan(nil, 1)
	sc.Add(w0, w1)
	g := sc.SecondPass(0, 0)
	plans := g.scan.plans
	d := make([][]float64, len(plans))
	for c, pl := range plans {
		d[c] = make([]float64, blockSize)
		for j := range d[c] {
			d[c][j] = dualOf(pl, w1[j]) - dualOf(pl, w0[j])
		}
	}
	unc, cen := make([]gridCounts, len(plans)), make([]gridCounts, len(plans))
	m3, m4 := make([]float64, len(plans)), make([]float64, len(plans))
	c0 := cpuTime()
	for b.Loop() {
		for c := range plans {
			g.bin(c, d[c], &unc[c], &cen[c], &m3[c], &m4[c])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/blockSize, "ns/pair")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/blockSize, "cpu-ns/pair")
}
