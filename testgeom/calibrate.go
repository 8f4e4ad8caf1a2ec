package testgeom

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

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
// replicate is drawn and sorted once for all of them.
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
		eps     []float64
		scratch []uint64
		f       [gridPoints]float64
		idx     bucketIndex
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
		for i := range eps {
			eps[i] = rng.NormFloat64()
			s.add(eps[i])
		}
		m = s.moments()
		sd := math.Sqrt(m.variance())
		sortFloats(eps, &sb.scratch)
		idx.build(eps)
		fn := float64(nsim)
		for k, x := range gridX {
			f[k] = float64(idx.count(eps, m.mean+sd*x)) / fn
		}
		for j := range ns {
			centred[j][b] = dcdfShifted(f, &gridPhi, scales[j])
		}
		for j := range ns {
			for i, r := range ratios[j] {
				for k, x := range gridX {
					f[k] = float64(idx.count(eps, m.mean+sd*(x-r))) / fn
				}
				uncentred[j][i][b] = dcdfShifted(f, &centers[j][i], scales[j])
			}
		}
	})
	return centred, uncentred
}

// bucketIndex counts the sorted values below a point (what
// sort.SearchFloat64s returns) in a few steps: with ~10^6 such counts per
// null replicate when many scopes share it, a binary search over all
// values cost more than the simulation. Bucket j of equal width holds the
// values in [edge(j), edge(j+1)); below[j] counts those under edge(j).
type bucketIndex struct {
	lo, width float64
	below     []int
}

func (b *bucketIndex) edge(j int) float64 { return b.lo + float64(j)*b.width }

// build indexes sorted values, about four per bucket on average.
func (b *bucketIndex) build(sorted []float64) {
	n := len(sorted)
	nb := max(1, n/4)
	b.below = slices.Grow(b.below[:0], nb+1)[:nb+1]
	b.lo, b.width = 0, 0
	if n == 0 || !(sorted[n-1] > sorted[0]) {
		for j := range b.below {
			b.below[j] = 0
		}
		return
	}
	b.lo, b.width = sorted[0], (sorted[n-1]-sorted[0])/float64(nb)
	i := 0
	for j := range b.below {
		e := b.edge(j)
		for i < n && sorted[i] < e {
			i++
		}
		b.below[j] = i
	}
}

// count is the number of sorted values below q, exactly
// sort.SearchFloat64s(sorted, q).
func (b *bucketIndex) count(sorted []float64, q float64) int {
	last := len(b.below) - 1
	if !(b.width > 0) || !(q > b.lo) {
		return sort.SearchFloat64s(sorted, q)
	}
	j := last - 1
	if t := (q - b.lo) / b.width; t < float64(last) {
		j = int(t)
	}
	// Rounding may put q a bucket off: step to edge(j) ≤ q < edge(j+1).
	for j > 0 && b.edge(j) > q {
		j--
	}
	for j+1 < last && b.edge(j+1) <= q {
		j++
	}
	lo, hi := b.below[j], b.below[j+1]
	if b.edge(j+1) <= q { // j+1 is the last edge
		hi = len(sorted)
	}
	return lo + sort.SearchFloat64s(sorted[lo:hi], q)
}

// Tags that separate the random streams of different purposes.
const (
	streamNull      = 0x6e756c6c // "null"
	streamBootstrap = 0x626f6f74 // "boot"
)

// stream is the random source of replicate b for one purpose. Both PCG state
// words are hashed, so seeds and replicate numbers that differ in a few bits
// still give unrelated streams.
func stream(seed, tag, b uint64) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix.Mix(seed^tag<<32), splitmix.Mix(b^tag)))
}

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
