package fit

import (
	"math"
	"slices"

	"github.com/syngeom/syngeom/internal/parallel"
)

// chunkLen is the fixed block size of every parallel reduction: blocks are
// summed separately and the block sums added in block order, so results are
// identical for any number of workers.
const chunkLen = 1 << 15

// reduce runs fn over fixed blocks of [0, n) on up to workers goroutines and
// adds the k partial sums of each block in block order.
func reduce(n, workers, k int, fn func(lo, hi int, acc []float64)) []float64 {
	parts := make([]float64, (n+chunkLen-1)/chunkLen*k)
	parallel.Chunks(n, chunkLen, parallel.Workers(workers), func(b, lo, hi, _ int) {
		fn(lo, hi, parts[b*k:(b+1)*k])
	})
	out := make([]float64, k)
	for b := 0; b*k < len(parts); b++ {
		for j := 0; j < k; j++ {
			out[j] += parts[b*k+j]
		}
	}
	return out
}

// sample is a data set prepared once for all families: summary statistics,
// and the logarithms (cached, for positive data) that every positive-support
// likelihood is written in, so no family calls math.Pow per element.
type sample struct {
	x       []float64
	n       int
	workers int
	sorted  []float64 // lazily, by sortedX
	weibull *weibullSums
	// nearHessian, when set, is the Hessian of the objective (θ
	// coordinates) at a nearby fit, for the refits of a bootstrap.
	nearHessian [][]float64

	// Left truncation: the likelihood is conditional on x ≥ lower.
	truncated bool
	lower     float64

	min, max    float64
	nonPositive int // values ≤ 0
	distinct3   int // number of distinct values, counted up to 3

	mean, sd float64 // sd is the MLE (divided by n)

	// Set by ensureLogs, for positive data only.
	logBuf         []float64 // storage to reuse for logx
	logx           []float64
	meanLog, sdLog float64
	sumLog         float64
}

// newSample computes the statistics every family needs; ensureLogs adds
// those of the positive families. x must be finite.
func newSample(x []float64, workers int) *sample {
	return newSampleBuf(x, workers, nil)
}

// newSampleBuf is newSample with a buffer that ensureLogs reuses for the
// logarithms.
func newSampleBuf(x []float64, workers int, logBuf []float64) *sample {
	s := &sample{x: x, n: len(x), workers: workers}
	if s.n == 0 {
		return s
	}
	s.min, s.max = x[0], x[0]
	var seen [3]float64
	for _, v := range x {
		s.min = math.Min(s.min, v)
		s.max = math.Max(s.max, v)
		if v <= 0 {
			s.nonPositive++
		}
		if s.distinct3 < 3 {
			dup := false
			for _, u := range seen[:s.distinct3] {
				if u == v {
					dup = true
					break
				}
			}
			if !dup {
				seen[s.distinct3] = v
				s.distinct3++
			}
		}
	}
	s.mean, s.sd = meanSD(x, math.Max(math.Abs(s.min), math.Abs(s.max)), workers)
	s.logBuf = logBuf
	return s
}

// ensureLogs computes the logarithms and their statistics, once, for the
// positive-support families.
func (s *sample) ensureLogs() {
	if s.logx != nil || s.n == 0 || s.nonPositive > 0 {
		return
	}
	x, workers := s.x, s.workers
	if cap(s.logBuf) >= s.n {
		s.logx = s.logBuf[:s.n]
	} else {
		s.logx = make([]float64, s.n)
	}
	reduce(s.n, workers, 1, func(lo, hi int, _ []float64) {
		for i := lo; i < hi; i++ {
			s.logx[i] = math.Log(x[i])
		}
	})
	s.meanLog, s.sdLog = meanSD(s.logx, math.Max(math.Abs(math.Log(s.min)), math.Abs(math.Log(s.max))), workers)
	s.sumLog = s.meanLog * float64(s.n)
}

// meanSD returns the mean and the maximum-likelihood standard deviation
// (divided by n), by two passes on values scaled by c, their largest
// magnitude, so that neither 1e-300 nor 1e300 under- or overflows when
// squared.
func meanSD(x []float64, c float64, workers int) (float64, float64) {
	n := len(x)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	if c == 0 || math.IsInf(c, 0) || math.IsNaN(c) {
		return 0, 0
	}
	sum := reduce(n, workers, 1, func(lo, hi int, acc []float64) {
		for i := lo; i < hi; i++ {
			acc[0] += x[i] / c
		}
	})
	ms := sum[0] / float64(n)
	r := reduce(n, workers, 2, func(lo, hi int, acc []float64) {
		for i := lo; i < hi; i++ {
			d := x[i]/c - ms
			acc[0] += d * d
			acc[1] += d
		}
	})
	// The second term corrects the rounding of the mean (Björck's two-pass
	// formula).
	v := (r[0] - r[1]*r[1]/float64(n)) / float64(n)
	return ms * c, math.Sqrt(math.Max(v, 0)) * c
}

// sumFn adds fn(i) over the sample in fixed blocks.
func (s *sample) sumFn(fn func(i int) float64) float64 {
	r := reduce(s.n, s.workers, 1, func(lo, hi int, acc []float64) {
		a := 0.0
		for i := lo; i < hi; i++ {
			a += fn(i)
		}
		acc[0] = a
	})
	return r[0]
}

// sortedX is the sample sorted in increasing order, sorted once and kept.
func (s *sample) sortedX() []float64 {
	if s.sorted == nil {
		s.sorted = slices.Clone(s.x)
		slices.Sort(s.sorted)
	}
	return s.sorted
}

// median uses the sorted copy when there is one and otherwise selects the
// middle values in linear time.
func (s *sample) median() float64 {
	if s.sorted != nil {
		return medianSorted(s.sorted)
	}
	w := slices.Clone(s.x)
	n := len(w)
	hi := selectKth(w, n/2)
	if n%2 == 1 {
		return hi
	}
	// The lower middle value is the largest of the part left of n/2.
	return slices.Max(w[:n/2])/2 + hi/2
}

// selectKth partially orders w so that w[k] is its k-th smallest value
// (Hoare's quickselect with a median-of-three pivot) and returns it.
func selectKth(w []float64, k int) float64 {
	lo, hi := 0, len(w)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if w[mid] < w[lo] {
			w[mid], w[lo] = w[lo], w[mid]
		}
		if w[hi] < w[lo] {
			w[hi], w[lo] = w[lo], w[hi]
		}
		if w[hi] < w[mid] {
			w[hi], w[mid] = w[mid], w[hi]
		}
		pivot := w[mid]
		i, j := lo, hi
		for i <= j {
			for w[i] < pivot {
				i++
			}
			for w[j] > pivot {
				j--
			}
			if i <= j {
				w[i], w[j] = w[j], w[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return w[k]
		}
	}
	return w[k]
}

// medianSorted is the median of sorted values.
func medianSorted(x []float64) float64 {
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return x[n/2-1]/2 + x[n/2]/2
}
