package testgeom

import "math"

// The paper's ΔCDF grid: x_k = linspace(−5, 5, 1000) built as numpy builds it
// (k·step + start, last point set to stop), spacing h = x_1 − x_0, and the
// normal CDF (1 + erf(x/√2))/2 as scipy.special.erf gives it.
const gridPoints = 1000

var (
	gridX    [gridPoints]float64
	gridPad  [1024]float64 // gridPad[k+1] = gridX[k]; −Inf before, NaN after (never ≤ z): no bounds checks
	gridPhi  [gridPoints]float64
	gridH    float64
	gridStep float64
	gridInv  float64
	// gridOffset is 5/h + 1: x/h + gridOffset is the position of x on the
	// grid counted from 1.
	gridOffset float64
)

func init() {
	gridStep = 10.0 / float64(gridPoints-1)
	for k := range gridX {
		// The conversion stops the compiler fusing the multiply and add, so the
		// points are rounded exactly as numpy rounds them.
		gridX[k] = float64(float64(k)*gridStep) + -5
	}
	gridX[gridPoints-1] = 5
	gridH = gridX[1] - gridX[0]
	for j := range gridPad {
		switch {
		case j == 0:
			gridPad[j] = math.Inf(-1)
		case j <= gridPoints:
			gridPad[j] = gridX[j-1]
		default:
			gridPad[j] = math.NaN()
		}
	}
	gridInv = 1 / gridStep
	gridOffset = 5*gridInv + 1
	for k, x := range gridX {
		gridPhi[k] = (1 + math.Erf(x/math.Sqrt2)) / 2
	}
}

// gridBin returns the index of the first grid point strictly greater than z
// (gridPoints if none). A value with bin b is counted in F_n(x_k) = #{z < x_k}/n
// for every k ≥ b, so cumulative bin counts give the paper's empirical CDF
// exactly, without sorting. The first guess from arithmetic is corrected by
// comparing with the stored points, so z exactly on a grid point lands where
// the strict comparison of the sorted computation puts it.
func gridBin(z float64) int {
	// With gridPad, the answer k satisfies gridPad[k] ≤ z < gridPad[k+1].
	t := (z+5)*gridInv + 1
	if !(t > 0) {
		t = 0
	}
	if t > gridPoints {
		t = gridPoints
	}
	// t is within 1e-12 of the exact position, so one step either way
	// corrects it (TestGridBinMatchesStrictComparison checks values on and
	// next to every grid point).
	k := int(t) & 1023
	if gridPad[k] > z {
		k = (k - 1) & 1023
	}
	if gridPad[(k+1)&1023] <= z {
		k++
	}
	return k
}

// gridCounts holds, for each bin b, how many values have gridBin = b. The last
// entry collects values above the grid.
type gridCounts [gridPoints + 1]int64

func (c *gridCounts) merge(o *gridCounts) {
	for i := range c {
		c[i] += o[i]
	}
}

// take adds o's counts to c and empties o, in one sweep of both.
func (c *gridCounts) take(o *gridCounts) {
	for i := range c {
		c[i] += o[i]
		o[i] = 0
	}
}

// dcdf is the paper's statistic h·Σ_k |F_n(x_k) − Φ(x_k)| from bin counts of
// n values, summed in numpy's pairwise order.
func (c *gridCounts) dcdf(n int64) float64 {
	var diff [gridPoints]float64
	var cum int64
	fn := float64(n)
	for k := range diff {
		cum += c[k]
		diff[k] = math.Abs(float64(cum)/fn - gridPhi[k])
	}
	return pairwiseSum(diff[:]) * gridH
}

// dcdfShifted is the ΔCDF of a sample whose empirical CDF at the grid is
// F(x_k) = c_k + scale·(Fsim(x_k) − c_k) with c_k = Φ(x_k − r): the null law
// at n approximated from a simulation at n_sim with scale = √(n_sim/n).
// With scale = 1 it is the ΔCDF of the simulated sample itself.
func dcdfShifted(fsim, center *[gridPoints]float64, scale float64) float64 {
	var diff [gridPoints]float64
	for k := range diff {
		f := fsim[k]
		if scale != 1 {
			f = center[k] + scale*(fsim[k]-center[k])
		}
		diff[k] = math.Abs(f - gridPhi[k])
	}
	return pairwiseSum(diff[:]) * gridH
}

// pairwiseSum adds a as numpy's add.reduce does for a contiguous float64
// array: blocks of up to 128 with eight interleaved accumulators, halved
// recursively above that.
func pairwiseSum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		s := 0.0
		for _, v := range a {
			s += v
		}
		return s
	case n <= 128:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += a[i+j]
			}
		}
		s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += a[i]
		}
		return s
	}
	n2 := n / 2
	n2 -= n2 % 8
	return pairwiseSum(a[:n2]) + pairwiseSum(a[n2:])
}
