package testgeom

import "github.com/syngeom/syngeom/internal/exactsum"

// moments are the count, mean and sum of squared deviations of a sample,
// merged with Chan et al.'s pairwise formula. Merging is exact in the count
// and associative up to rounding (relative error of order 1e-15 for the
// variance); the scan merges partials in a fixed order, so results are
// reproducible for a given batch sequence at any number of cores.
type moments struct {
	n    int64
	mean float64
	m2   float64
}

func (a *moments) merge(b moments) {
	switch {
	case b.n == 0:
		return
	case a.n == 0:
		*a = b
		return
	}
	n := a.n + b.n
	d := b.mean - a.mean
	fa, fb, fn := float64(a.n), float64(b.n), float64(n)
	a.mean += d * fb / fn
	a.m2 += b.m2 + d*d*fa*fb/fn
	a.n = n
}

// variance is the unbiased (n − 1) variance, as numpy/torch std uses.
func (a moments) variance() float64 { return a.m2 / float64(a.n-1) }

// sumSquares is Σx² of the sample.
func (a moments) sumSquares() float64 { return a.m2 + float64(a.n)*a.mean*a.mean }

// shiftedSums accumulates a block with sums of deviations from the block's
// first value (exactsum.Shifted), and a second sum.
type shiftedSums struct {
	exactsum.Shifted
	sumSqOther float64 // Σ of a second quantity (g(w0)² for the magnitude)
}

func (s *shiftedSums) add(x float64) { s.Shifted.Add(x) }

func (s *shiftedSums) moments() moments { return shiftedMoments(s.Shifted) }

// shiftedMoments are the moments of the values summed in s.
func shiftedMoments(s exactsum.Shifted) moments {
	n, mean, m2 := s.Result()
	return moments{n: n, mean: mean, m2: m2}
}
