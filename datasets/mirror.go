package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mat"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/splitmix"
)

// Mirror is the paper's linear-regression experiment (linear_regression.py):
// a linear model y = x·w with D weights, initialised w0 ~ N(0, 1/D), trained
// under a mirror-descent potential to zero squared loss on N = ⌊D^Exponent⌋
// points with ±1 labels. Inputs are correlated Gaussians, with correlation
// (−1)^k / (1 + |k/CorrScale|^CorrPower) between coordinates k apart, plus
// independent uniform noise on (−InputNoise/2, InputNoise/2).
//
// Training is replaced by its exact end point. Every mirror-descent step,
// with or without momentum, moves g(w) by a combination of the rows of X, so
// any run that reaches zero loss ends at the unique w with
//
//	g(w) = g(w0) + Xᵀa,  X w = y,
//
// the interpolating solution of minimum Bregman divergence from w0. Run
// solves for a ∈ R^N by Newton's method (Jacobian X diag(1/φ″(w)) Xᵀ) with
// a backtracking line search on the residual, to a residual of 1e−9. The
// paper's SGD runs stop at a loss below 1e−3, slightly short of this point.
type Mirror struct {
	Potential  geometry.Potential // the geometry of the mirror descent
	D          int                // number of weights
	Exponent   float64            // N = ⌊D^Exponent⌋; the paper uses 0.5 and 0.75
	N          int                // number of data points; overrides Exponent when > 0
	CorrPower  float64            // c in the correlation (−1)^k/(1+|k/s|^c); the paper uses 2 and 1
	CorrScale  float64            // s; 0 means 1, as in the paper
	InputNoise float64            // width of the uniform input noise; the paper's is 1
	InitSD     float64            // sd of the initial weights; 0 means 1/√D, as in the paper
	Seed       uint64             // seed of every draw
	Name       string             // table name; "" gives "mirror"
}

// PaperMirror is the paper's setting for D weights and N = ⌊D^exponent⌋
// data points, with correlation power c (2 or 1 in the paper).
func PaperMirror(p geometry.Potential, d int, exponent, c float64, seed uint64) Mirror {
	return Mirror{Potential: p, D: d, Exponent: exponent, CorrPower: c, CorrScale: 1, InputNoise: 1, Seed: seed}
}

// MirrorResult is the trained model's weights and how the solve went.
type MirrorResult struct {
	Pairs      *Pairs  // the initial and trained weights
	N          int     // data points
	Iterations int     // Newton iterations
	Residual   float64 // max |x_i·w − y_i| at the end point
	// Magnitude is the paper's change magnitude ‖g(w)−g(w0)‖/‖g(w0)‖.
	Magnitude float64
	// Clipped is the largest negative eigenvalue of the circulant embedding
	// of the input correlation, relative to the largest one, that was set to
	// zero; 0 means the inputs have exactly the stated correlation.
	Clipped float64
}

func (m Mirror) points() int {
	if m.N > 0 {
		return m.N
	}
	return int(math.Floor(math.Pow(float64(m.D), m.Exponent) + 1e-9))
}

func (m Mirror) validate() error {
	n := m.points()
	switch {
	case m.Potential == nil:
		return paramErrorf("mirror: no potential")
	case m.D < 2:
		return paramErrorf("mirror: D must be at least 2, got %d", m.D)
	case n < 1 || n >= m.D:
		return paramErrorf("mirror: need 1 ≤ N < D for an interpolating solution, got N = %d, D = %d", n, m.D)
	case !(m.CorrPower > 0) || math.IsInf(m.CorrPower, 0):
		return paramErrorf("mirror: correlation power must be positive, got %v", m.CorrPower)
	case m.CorrScale < 0 || math.IsNaN(m.CorrScale) || math.IsInf(m.CorrScale, 0):
		return paramErrorf("mirror: correlation scale must be positive (0 means 1), got %v", m.CorrScale)
	case !finiteNonNeg(m.InputNoise) || !finiteNonNeg(m.InitSD):
		return paramErrorf("mirror: input noise and initial sd must be finite and ≥ 0")
	}
	return nil
}

// Describe says in one line how the table is made.
func (m Mirror) Describe() string {
	scale := m.CorrScale
	if scale == 0 {
		scale = 1
	}
	return fmt.Sprintf("synthetic: linear regression with D = %d weights (w0 ~ N(0, %s²)) trained to zero squared loss "+
		"under %s on N = %d points with ±1 labels; inputs correlated (−1)^k/(1+|k/%s|^%s) plus uniform noise of width %s; "+
		"exact end point of mirror descent solved by Newton's method on the dual; seed %d",
		m.D, shortNum(m.initSD()), m.Potential.Name(), m.points(), shortNum(scale), shortNum(m.CorrPower), shortNum(m.InputNoise), m.Seed)
}

func (m Mirror) initSD() float64 {
	if m.InitSD > 0 {
		return m.InitSD
	}
	return 1 / math.Sqrt(float64(m.D))
}

// Run builds the inputs, labels and initial weights and solves for the end
// point of training.
func (m Mirror) Run() (*MirrorResult, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	d, n := m.D, m.points()
	r := rand.New(rand.NewPCG(splitmix.Mix(m.Seed), splitmix.Mix(m.Seed^0x5851f42d4c957f2d)))
	x, clipped := m.inputs(r, n)
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(2*int(r.Uint64()&1) - 1)
	}
	w0 := make([]float64, d)
	sd := m.initSD()
	for j := range w0 {
		w0[j] = sd * r.NormFloat64()
	}
	w, iters, res, err := solveEndPoint(m.Potential, x, y, w0)
	if err != nil {
		return nil, err
	}
	var num, den float64
	for j := range w0 {
		g0 := m.Potential.Dual(w0[j])
		dg := m.Potential.Dual(w[j]) - g0
		num += dg * dg
		den += g0 * g0
	}
	den = math.Sqrt(den)
	if den < 1e-10 {
		den += 1e-10
	}
	name := m.Name
	if name == "" {
		name = "mirror"
	}
	p := &Pairs{Name: name, Description: m.Describe(), ID: make([]int64, d), Before: w0, After: w}
	for j := range p.ID {
		p.ID[j] = int64(j + 1)
	}
	return &MirrorResult{Pairs: p, N: n, Iterations: iters, Residual: res, Magnitude: math.Sqrt(num) / den, Clipped: clipped}, nil
}

// inputs draws n rows of D inputs: a stationary Gaussian sequence with the
// Toeplitz correlation, sampled exactly by circulant embedding (two rows per
// complex FFT of length 2D), plus uniform noise.
func (m Mirror) inputs(r *rand.Rand, n int) (*mat.Dense, float64) {
	d := m.D
	size := 2 * d
	scale := m.CorrScale
	if scale == 0 {
		scale = 1
	}
	row := make([]complex128, size)
	for k := 0; k <= d; k++ {
		c := 1 / (1 + math.Pow(float64(k)/scale, m.CorrPower))
		if k%2 == 1 {
			c = -c
		}
		row[k] = complex(c, 0)
		if k > 0 && k < d {
			row[size-k] = row[k]
		}
	}
	fft := fourier.NewCmplxFFT(size)
	eig := fft.Coefficients(nil, row)
	amp := make([]float64, size)
	var top, worst float64
	for _, e := range eig {
		top = math.Max(top, real(e))
		worst = math.Min(worst, real(e))
	}
	for j, e := range eig {
		amp[j] = math.Sqrt(math.Max(real(e), 0) / float64(size))
	}
	x := mat.NewDense(n, d, nil)
	z := make([]complex128, size)
	out := make([]complex128, size)
	for i := 0; i < n; i += 2 {
		for j := range z {
			z[j] = complex(amp[j]*r.NormFloat64(), amp[j]*r.NormFloat64())
		}
		fft.Coefficients(out, z)
		for k := 0; k < d; k++ {
			x.Set(i, k, real(out[k]))
			if i+1 < n {
				x.Set(i+1, k, imag(out[k]))
			}
		}
	}
	if m.InputNoise > 0 {
		for i := range n {
			for k := range d {
				x.Set(i, k, x.At(i, k)+m.InputNoise*(r.Float64()-0.5))
			}
		}
	}
	return x, max(0, -worst) / top
}

// solveEndPoint finds w = g⁻¹(g(w0) + Xᵀa) with X w = y by Newton's method
// on a. It returns w, the number of iterations and the final max residual.
func solveEndPoint(pot geometry.Potential, x *mat.Dense, y, w0 []float64) ([]float64, int, float64, error) {
	n, d := x.Dims()
	theta0 := make([]float64, d)
	signs := make([]float64, d)
	for j, w := range w0 {
		if !pot.Defined(w) {
			return nil, 0, 0, paramErrorf("mirror: initial weight %v is outside the domain of %s", w, pot.Name())
		}
		theta0[j], signs[j] = pot.Dual(w), geometry.Sign(w)
	}
	a := mat.NewVecDense(n, nil)
	w := make([]float64, d)
	resid := mat.NewVecDense(n, nil)
	theta := mat.NewVecDense(d, nil)
	// evaluate sets w and resid at the multipliers aa and returns ‖resid‖₂
	// (NaN if the dual point leaves the range of g⁻¹).
	evaluate := func(aa *mat.VecDense) float64 {
		theta.MulVec(x.T(), aa)
		for j := range w {
			w[j] = pot.Inverse(theta0[j]+theta.AtVec(j), signs[j])
		}
		resid.MulVec(x, mat.NewVecDense(d, w))
		var ss float64
		for i := range n {
			v := resid.AtVec(i) - y[i]
			resid.SetVec(i, v)
			ss += v * v
		}
		return math.Sqrt(ss)
	}
	const (
		tol      = 1e-9
		maxIters = 200
	)
	norm := evaluate(a)
	b := mat.NewDense(n, d, nil)
	prod := mat.NewDense(n, n, nil)
	var chol mat.Cholesky
	step := mat.NewVecDense(n, nil)
	trial := mat.NewVecDense(n, nil)
	xr, br := x.RawMatrix(), b.RawMatrix()
	scale := make([]float64, d)
	for it := 1; it <= maxIters; it++ {
		if maxAbs(resid) < tol {
			return w, it - 1, maxAbs(resid), nil
		}
		// J = X diag(dw/dθ) Xᵀ, dw/dθ = 1/g′(w), built as B Bᵀ with
		// B = X diag(√(dw/dθ)). Dense Mul runs on all cores with a fixed
		// block partition, so J does not depend on GOMAXPROCS.
		for j := range d {
			s := math.Sqrt(math.Exp(-pot.LogAbsDerivative(w[j])))
			if math.IsInf(s, 0) || math.IsNaN(s) {
				s = 1e150 // g′(w) = 0 (p > 2 at w = 0): a huge finite weight keeps J usable
			}
			scale[j] = s
		}
		for i := range n {
			xrow, brow := xr.Data[i*xr.Stride:i*xr.Stride+d], br.Data[i*br.Stride:i*br.Stride+d]
			for j, v := range xrow {
				brow[j] = v * scale[j]
			}
		}
		prod.Mul(b, b.T())
		jac := mat.NewSymDense(n, prod.RawMatrix().Data)
		var err error
		if chol.Factorize(jac) {
			err = chol.SolveVecTo(step, resid)
		} else {
			err = step.SolveVec(jac, resid)
		}
		if err != nil {
			return nil, it, maxAbs(resid), fmt.Errorf("mirror: Newton system is singular at iteration %d: %v", it, err)
		}
		step.ScaleVec(-1, step)
		// Backtrack until the residual norm decreases (the Newton direction
		// is a descent direction for it because J is positive definite).
		t := 1.0
		for {
			trial.AddScaledVec(a, t, step)
			if nn := evaluate(trial); nn < (1-1e-4*t)*norm {
				norm = nn
				break
			}
			if t *= 0.5; t < 1e-12 {
				evaluate(a)
				return nil, it, maxAbs(resid), fmt.Errorf("mirror: Newton line search stalled at residual %.3g", maxAbs(resid))
			}
		}
		a.CopyVec(trial)
	}
	if r := maxAbs(resid); r < tol {
		return w, maxIters, r, nil
	}
	return nil, maxIters, maxAbs(resid), fmt.Errorf("mirror: no convergence in %d Newton iterations (residual %.3g)", maxIters, maxAbs(resid))
}

func maxAbs(v *mat.VecDense) float64 {
	m := 0.0
	for i := range v.Len() {
		m = math.Max(m, math.Abs(v.AtVec(i)))
	}
	return m
}
