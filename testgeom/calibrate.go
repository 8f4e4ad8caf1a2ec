package testgeom

import (
	"math"
	"slices"

	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/internal/splitmix"
)

// nullDCDF simulates the null law of the ΔCDF statistics for n exactly
// Gaussian dual shifts (parametric bootstrap). Under the null d = μ + σε
// with ε ~ N(0, 1), so the centred z = (ε − ε̄)/sd(ε) does not depend on μ
// or σ. The uncentred z = d/sd(d) is r̂ + (d − d̄)/sd(d) with r̂ the observed
// mean/sd ratio; the null holds r̂ at its observed value (each candidate's
// ratio) and simulates the Gaussian shape around it, z = r̂ + (ε − ε̄)/sd(ε).
// Simulating d with mean r̂ instead would add the sampling noise of the mean
// twice and make the test far too conservative (it then rejected none of
// 150 null data sets at 5%).
//
// For n above maxN the simulation runs at n_sim = maxN and the empirical CDF
// is rescaled around its limit: F_n ≈ Φ(x − r) + √(n_sim/n)·(F_sim − Φ(x − r)),
// because √n(F_n − Φ(· − r)) has a law that no longer depends on n once n is
// moderate. For the centred statistic (r = 0) this is ΔCDF_n ≈
// √(n_sim/n)·ΔCDF_sim (the null of √n·ΔCDF does not depend on n once n is moderate).
//
// It returns reps draws of the centred statistic and, for each ratio, reps
// draws of the uncentred one. Replicate b uses the random stream
// stream(seed, streamNull, b), so results do not depend on the number of
// workers.
func nullDCDF(n int64, ratios []float64, reps, maxN int, seed uint64, workers int, stop func() bool) (centred []float64, uncentred [][]float64) {
	cen, unc := nullSims(int(min(n, int64(maxN))), []int64{n}, [][]float64{ratios}, reps, seed, workers, stop)
	return cen[0], unc[0]
}

// nullSims is nullDCDF for several sample sizes ns[j] that share the
// simulated size nsim (each min(ns[j], maxN) = nsim), with ratios[j] the
// ratios at ns[j]. Replicate b's draws depend on b and nsim only, and the
// rescaling by √(nsim/n) comes after the binning, so every (n, ratio) gets
// exactly the values a call of nullDCDF of its own would give, while each
// replicate is drawn and bucketed once for all of them.
func nullSims(nsim int, ns []int64, ratios [][]float64, reps int, seed uint64, workers int, stop func() bool) (centred [][]float64, uncentred [][][]float64) {
	scales := make([]float64, len(ns))
	centred = make([][]float64, len(ns))
	uncentred = make([][][]float64, len(ns))
	// Φ(x_k − r), the limit of each uncentred ECDF, for the rescaling.
	centers := make([][][gridPoints]float64, len(ns))
	for j, n := range ns {
		scales[j] = 1
		if int64(nsim) < n {
			scales[j] = math.Sqrt(float64(nsim) / float64(n))
		}
		centred[j] = make([]float64, reps)
		uncentred[j] = make([][]float64, len(ratios[j]))
		centers[j] = make([][gridPoints]float64, len(ratios[j]))
		for i, r := range ratios[j] {
			uncentred[j][i] = make([]float64, reps)
			for k, x := range gridX {
				centers[j][i][k] = (1 + math.Erf((x-r)/math.Sqrt2)) / 2
			}
		}
	}
	workers = max(1, min(workerCount(workers), reps))
	// Each worker owns its buffers.
	type scratchBufs struct {
		eps []float64
		f   [gridPoints]float64
		idx bucketCounts
	}
	bufs := make([]scratchBufs, workers)
	parallel.For(reps, workers, func(b, w int) {
		if stop() { // a stopped run's result is not used
			return
		}
		sb := &bufs[w]
		if sb.eps == nil {
			sb.eps = make([]float64, nsim)
		}
		eps, f, idx := sb.eps, &sb.f, &sb.idx
		rng := stream(seed, streamNull, uint64(b))
		var m moments
		var s shiftedSums
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range eps {
			eps[i] = rng.NormFloat64()
			s.add(eps[i])
			lo, hi = min(lo, eps[i]), max(hi, eps[i])
		}
		m = s.moments()
		sd := math.Sqrt(m.variance())
		// The counts below the grid points need the draws grouped by
		// bucket, not sorted.
		idx.build(eps, lo, hi)
		fn := float64(nsim)
		for k, x := range gridX {
			f[k] = float64(idx.count(m.mean+sd*x)) / fn
		}
		for j := range ns {
			centred[j][b] = dcdfShifted(f, &gridPhi, scales[j])
		}
		for j := range ns {
			for i, r := range ratios[j] {
				for k, x := range gridX {
					f[k] = float64(idx.count(m.mean+sd*(x-r))) / fn
				}
				uncentred[j][i][b] = dcdfShifted(f, &centers[j][i], scales[j])
			}
		}
	})
	return centred, uncentred
}

// bucketCounts counts the values below a point (what sort.SearchFloat64s
// returns on the sorted values) without sorting them: about four values
// per bucket of equal width, grouped by bucket in one counting pass, so a
// count is the values of the buckets below plus a scan of one bucket. A
// replicate of the null needs ~22,000 such counts of 10^5 draws, for which a
// full sort cost more than the counts.
type bucketCounts struct {
	lo, width float64
	nb        int
	start     []int     // start[j]: values in buckets below j; start[nb] = n
	vals      []float64 // the values, bucket by bucket
	bucket    []int32   // scratch: each value's bucket
	pos       []int     // scratch: next free slot of each bucket
}

// of is the bucket of v. It is monotone in v (rounding included), so every
// value of a lower bucket is below every value of a higher one; that, not
// the exact edges, is what count needs.
func (b *bucketCounts) of(v float64) int {
	t := (v - b.lo) / b.width
	switch {
	case !(t > 0): // also NaN, when all values are equal (width 0)
		return 0
	case t >= float64(b.nb-1):
		return b.nb - 1
	}
	return int(t)
}

// build groups x, whose smallest and largest values are lo and hi (no NaN).
func (b *bucketCounts) build(x []float64, lo, hi float64) {
	n := len(x)
	b.nb = max(1, n/4)
	b.lo, b.width = lo, (hi-lo)/float64(b.nb)
	b.start = slices.Grow(b.start[:0], b.nb+1)[:b.nb+1]
	clear(b.start)
	b.vals = slices.Grow(b.vals[:0], n)[:n]
	b.bucket = slices.Grow(b.bucket[:0], n)[:n]
	for i, v := range x {
		j := b.of(v)
		b.bucket[i] = int32(j)
		b.start[j+1]++
	}
	for j := 1; j <= b.nb; j++ {
		b.start[j] += b.start[j-1]
	}
	b.pos = append(b.pos[:0], b.start[:b.nb]...) // next free slot of each bucket
	for i, v := range x {
		j := b.bucket[i]
		b.vals[b.pos[j]] = v
		b.pos[j]++
	}
}

// count is the number of values below q, exactly sort.SearchFloat64s of
// the sorted values.
func (b *bucketCounts) count(q float64) int {
	if math.IsNaN(q) {
		return len(b.vals)
	}
	j := b.of(q)
	c := b.start[j]
	for _, v := range b.vals[b.start[j]:b.start[j+1]] {
		if v < q {
			c++
		}
	}
	return c
}

// Tags that separate the random streams of different purposes.
const (
	streamNull      = 0x6e756c6c // "null"
	streamBootstrap = 0x626f6f74 // "boot"
)

// stream is the random source of replicate b for one purpose
// (splitmix.Stream).
var stream = splitmix.Stream

// upperPValue is the Monte Carlo p-value (1 + #{T_b ≥ t})/(B + 1).
func upperPValue(null []float64, t float64) float64 {
	c := 0
	for _, v := range null {
		if v >= t {
			c++
		}
	}
	return float64(1+c) / float64(len(null)+1)
}
