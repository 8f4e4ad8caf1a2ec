package testgeom

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// lawGrid is a uniform grid t_k = lo + k·h, k = 0 … m−1, in dual space. A
// sample is put on it by linear binning (each value splits its weight
// between the two neighbouring nodes so that the mean is kept); the
// Gaussian smoothing of the binned law is then one FFT convolution, so the
// predicted after-law of the unpaired test costs O(m log m) after an O(n)
// pass, never O(n_before·n_after).
type lawGrid struct {
	lo, h float64
	m     int
}

func newLawGrid(lo, hi float64, m int) lawGrid {
	if !(hi > lo) {
		hi = lo + 1
	}
	return lawGrid{lo: lo, h: (hi - lo) / float64(m-1), m: m}
}

func (g lawGrid) node(k int) float64 { return g.lo + float64(k)*g.h }

// bin adds the values x (each with weight w[i], or 1 when w is nil) to mass
// by linear binning and returns the total weight added. NaN values (where
// a potential is undefined) are skipped.
func (g lawGrid) bin(x []float64, w []float64, mass []float64) float64 {
	total := 0.0
	for i, v := range x {
		if math.IsNaN(v) {
			continue
		}
		wt := 1.0
		if w != nil {
			wt = w[i]
			if wt == 0 {
				continue
			}
		}
		t := (v - g.lo) / g.h
		k := int(math.Floor(t))
		switch {
		case k < 0:
			mass[0] += wt
		case k >= g.m-1:
			mass[g.m-1] += wt
		default:
			f := t - float64(k)
			mass[k] += wt * (1 - f)
			mass[k+1] += wt * f
		}
		total += wt
	}
	return total
}

// convolver convolves a fixed binned law with Gaussian kernels of varying
// centre and spread by zero-padded real FFTs of length 2m (results at the m
// nodes are free of wrap-around because every kernel offset is below m).
// The law's spectrum is computed once; each kernel enters through its
// closed-form Fourier transform, so one convolution costs one inverse FFT.
// Aliasing of the sampled kernel is below e^{−2π²} ≈ 3e-9 because kernels
// are never narrower than the grid step. It is not safe for concurrent use.
type convolver struct {
	g     lawGrid
	n     int
	fft   *fourier.FFT
	massF []complex128 // spectrum of the binned law
	prodF []complex128
	out   []float64
	cell  []complex128 // cellFactor, computed on first use
}

func newConvolver(g lawGrid, mass []float64) *convolver {
	n := 2 * g.m
	c := &convolver{g: g, n: n, fft: fourier.NewFFT(n), prodF: make([]complex128, n/2+1), out: make([]float64, n)}
	buf := make([]float64, n)
	copy(buf, mass)
	c.massF = c.fft.Coefficients(nil, buf)
	return c
}

// apply convolves the law with the sampled Gaussian kernel of centre μ and
// sd s whose discrete Fourier transform at ω_k = 2πk/(n·h) is
// e^{−iω_kμ − s²ω_k²/2}·extra[k] (extra nil: 1), and returns the result at
// the m nodes (a view valid until the next call). The phase and the
// Gaussian factor are built by recurrences, and the loop stops where the
// Gaussian factor falls below 1e-17 (the rest of the spectrum is zero).
func (c *convolver) apply(mu, s float64, extra []complex128) []float64 {
	step := 2 * math.Pi / (float64(c.n) * c.g.h)
	rot := cmplx.Exp(complex(0, -step*mu))
	a := s * s * step * step / 2 // Gaussian factor of k: e^{−a k²}
	phase := complex(1, 0)
	gauss, ratio, q := 1.0, math.Exp(-a), math.Exp(-2*a)
	k := 0
	for ; k < len(c.prodF) && gauss > 1e-17; k++ {
		v := c.massF[k] * phase * complex(gauss, 0)
		if extra != nil {
			v *= extra[k]
		}
		c.prodF[k] = v
		phase *= rot
		if k%64 == 63 { // keep |phase| = 1 against rounding drift
			phase = cmplx.Exp(complex(0, -step*mu*float64(k+1)))
		}
		// e^{−a(k+1)²} = e^{−ak²}·e^{−a(2k+1)}
		gauss *= ratio
		ratio *= q
	}
	for ; k < len(c.prodF); k++ {
		c.prodF[k] = 0
	}
	c.fft.Sequence(c.out, c.prodF)
	inv := 1 / float64(c.n)
	res := c.out[:c.g.m]
	for i := range res {
		res[i] *= inv
	}
	return res
}

// cellFactor is the transform (1 − e^{−iωh})/(iωh) of the indicator of a
// grid cell, divided by h, at every frequency of the FFT.
func (c *convolver) cellFactor() []complex128 {
	if c.cell == nil {
		step := 2 * math.Pi / (float64(c.n) * c.g.h)
		c.cell = make([]complex128, len(c.prodF))
		for k := range c.cell {
			w := float64(k) * step * c.g.h
			if k == 0 {
				c.cell[k] = 1
				continue
			}
			c.cell[k] = (1 - cmplx.Exp(complex(0, -w))) / complex(0, w)
		}
	}
	return c.cell
}

// predictedCDF is F(t_k) = Σ_j mass_j·Φ((t_k − t_j − μ)/σ) at every node,
// for a binned law whose masses sum to 1: the law convolved with
// N(μ, σ²). The kernel is the mass D_j = Φ((jh − μ)/σ) − Φ(((j−1)h − μ)/σ)
// that falls in the cell (t_{k−1}, t_k], so the cumulative sum of the
// convolution is the CDF at the nodes. D is the Gaussian density convolved
// with the indicator of [0, h), sampled at jh; its transform is
// e^{−iωμ − σ²ω²/2}·(1 − e^{−iωh})/(iωh).
func (c *convolver) predictedCDF(mu, sigma float64) []float64 {
	sigma = math.Max(sigma, c.g.h) // below the grid resolution a Gaussian is a point
	cell := c.apply(mu, sigma, c.cellFactor())
	cum := 0.0
	for k, v := range cell {
		cum += v
		cum = math.Min(math.Max(cum, 0), 1)
		cell[k] = cum
	}
	return cell
}

// predictedDensity is the density of the binned law convolved with
// N(μ, s²) at every node: the kernel φ_s(jh − μ) has transform
// e^{−iωμ − s²ω²/2}/h.
func (c *convolver) predictedDensity(mu, s float64) []float64 {
	d := c.apply(mu, math.Max(s, c.g.h), nil)
	inv := 1 / c.g.h
	for k, v := range d {
		d[k] = math.Max(v*inv, 0) // FFT rounding can dip below 0 far in the tails
	}
	return d
}

// interpolate evaluates the node values f linearly at x (0 outside the grid).
func (g lawGrid) interpolate(f []float64, x float64) float64 {
	t := (x - g.lo) / g.h
	k := int(math.Floor(t))
	if k < 0 || k >= g.m-1 {
		if k == g.m-1 && t == float64(k) {
			return f[k]
		}
		return 0
	}
	u := t - float64(k)
	return f[k]*(1-u) + f[k+1]*u
}

// cdfDistance is ∫ |F_a(t) − F(t)| dt over the grid, where F_a is the
// empirical CDF of the sorted sample y (weights w, or 1 each when nil) and F
// is the node values cdf, linear between nodes. The integral is exact for
// that piecewise-linear F: each piece between a node and a sample point is
// integrated in closed form. Values of y outside the grid are clamped to it.
func (g lawGrid) cdfDistance(cdf []float64, y []float64, w []float64, total float64) float64 {
	j := 0
	cum := 0.0 // weight of y values ≤ the current point
	dist := 0.0
	for k := 0; k+1 < g.m; k++ {
		a, b := g.node(k), g.node(k+1)
		fa, fb := cdf[k], cdf[k+1]
		slope := (fb - fa) / g.h
		t, ft := a, fa
		for j < len(y) && (y[j] <= b || k+2 == g.m) {
			yj := math.Min(math.Max(y[j], a), b)
			fy := fa + slope*(yj-a)
			dist += absLinearIntegral(cum/total-ft, cum/total-fy, yj-t)
			t, ft = yj, fy
			if w == nil {
				cum++
			} else {
				cum += w[j]
			}
			j++
		}
		dist += absLinearIntegral(cum/total-ft, cum/total-fb, b-t)
	}
	return dist
}

// absLinearIntegral is ∫₀^L |d(s)| ds for d linear from d0 to d1.
func absLinearIntegral(d0, d1, l float64) float64 {
	if l <= 0 {
		return 0
	}
	if (d0 >= 0) == (d1 >= 0) || d0 == 0 || d1 == 0 {
		return (math.Abs(d0) + math.Abs(d1)) / 2 * l
	}
	return (d0*d0 + d1*d1) / (2 * math.Abs(d0-d1)) * l
}
