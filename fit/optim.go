package fit

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// objective is a function to minimise: the mean negative log-likelihood per
// observation on transformed (unbounded) parameters. It returns +Inf where
// the parameters are impossible.
type objective func(theta []float64) float64

// minimize finds a local minimum of f from start: a Nelder–Mead search for
// robustness from rough starts, then Newton steps with finite-difference
// derivatives to polish the optimum to full precision. skipSearch goes
// straight to Newton, for starts already close (bootstrap refits).
func minimize(f objective, start []float64, skipSearch bool) ([]float64, error) {
	x := append([]float64(nil), start...)
	if v := f(x); math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, errors.New("the likelihood is not finite at the starting values")
	}
	if !skipSearch {
		prob := optimize.Problem{Func: func(t []float64) float64 {
			v := f(t)
			if math.IsNaN(v) {
				return math.Inf(1)
			}
			return v
		}}
		set := &optimize.Settings{
			Converger:       &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-10, Iterations: 30},
			FuncEvaluations: 2000,
		}
		res, err := optimize.Minimize(prob, x, set, &optimize.NelderMead{SimplexSize: 0.2})
		// Errors such as hitting the evaluation cap still leave the best
		// point found, which Newton then polishes.
		if res != nil && res.F <= f(x) {
			copy(x, res.X)
		} else if err != nil && res == nil {
			return nil, err
		}
	}
	return newtonPolish(f, x)
}

// newtonPolish runs damped Newton iterations with central-difference
// gradient and Hessian until the step is negligible. The optimum's accuracy
// depends only on the gradient's (about 1e-10 relative here); the Hessian
// only sets the convergence speed.
func newtonPolish(f objective, x []float64) ([]float64, error) {
	fx := f(x)
	next := make([]float64, len(x))
	for iter := 0; iter < 50; iter++ {
		g := fdGradient(f, x, 1e-5)
		h := fdHessian(f, x, 1e-4)
		step, ok := solveDamped(h, g)
		if !ok {
			return x, errors.New("the Hessian is not finite at the optimum")
		}
		if stepDown(f, x, next, step, &fx, 40, 1e-10) {
			return x, nil
		}
	}
	return x, nil
}

// stepDown moves x to the first of x − t·step, t = 1, 1/2, … (tries of
// them), at which f does not increase from *fx, and sets *fx to f there;
// next is scratch of len(x). It reports whether the iterations are done:
// no such point (at the optimum to rounding), or a relative step below tol
// (the resolution of the finite-difference gradient), or an objective that
// no longer moves.
func stepDown(f objective, x, next, step []float64, fx *float64, tries int, tol float64) bool {
	prev, t := *fx, 1.0
	for try := 0; try < tries; try++ {
		for i := range x {
			next[i] = x[i] - t*step[i]
		}
		if fn := f(next); fn <= *fx {
			*fx = fn
			big := 0.0
			for i := range x {
				big = math.Max(big, math.Abs(x[i]-next[i])/math.Max(1, math.Abs(x[i])))
			}
			copy(x, next)
			return big < tol || prev-fn <= 1e-15*math.Max(1, math.Abs(fn))
		}
		t /= 2
	}
	return true
}

// fdGradient is the central-difference gradient with relative steps.
func fdGradient(f objective, x []float64, rel float64) []float64 {
	g := make([]float64, len(x))
	y := append([]float64(nil), x...)
	for i := range x {
		h := rel * math.Max(1, math.Abs(x[i]))
		y[i] = x[i] + h
		fp := f(y)
		y[i] = x[i] - h
		fm := f(y)
		y[i] = x[i]
		g[i] = (fp - fm) / (2 * h)
	}
	return g
}

// fdHessian is the central-difference Hessian with relative steps.
func fdHessian(f objective, x []float64, rel float64) [][]float64 {
	k := len(x)
	hs := make([]float64, k)
	for i := range x {
		hs[i] = rel * math.Max(1, math.Abs(x[i]))
	}
	return fdHessianSteps(f, x, hs)
}

func fdHessianSteps(f objective, x, hs []float64) [][]float64 {
	k := len(x)
	y := append([]float64(nil), x...)
	f0 := f(x)
	h := make([][]float64, k)
	for i := range h {
		h[i] = make([]float64, k)
	}
	for i := 0; i < k; i++ {
		y[i] = x[i] + hs[i]
		fp := f(y)
		y[i] = x[i] - hs[i]
		fm := f(y)
		y[i] = x[i]
		h[i][i] = (fp - 2*f0 + fm) / (hs[i] * hs[i])
		for j := 0; j < i; j++ {
			eval := func(di, dj float64) float64 {
				y[i], y[j] = x[i]+di*hs[i], x[j]+dj*hs[j]
				v := f(y)
				y[i], y[j] = x[i], x[j]
				return v
			}
			v := (eval(1, 1) - eval(1, -1) - eval(-1, 1) + eval(-1, -1)) / (4 * hs[i] * hs[j])
			h[i][j], h[j][i] = v, v
		}
	}
	return h
}

// solveDamped solves (H + μI) s = g, raising μ until H + μI is positive
// definite, so the step always descends.
func solveDamped(h [][]float64, g []float64) ([]float64, bool) {
	k := len(g)
	for _, row := range h {
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, false
			}
		}
	}
	scale := 0.0
	for i := 0; i < k; i++ {
		scale = math.Max(scale, math.Abs(h[i][i]))
	}
	mu := 0.0
	for try := 0; try < 60; try++ {
		a := make([][]float64, k)
		for i := range a {
			a[i] = append([]float64(nil), h[i]...)
			a[i][i] += mu
		}
		if l, ok := cholesky(a); ok {
			return cholSolve(l, g), true
		}
		if mu == 0 {
			mu = 1e-8 * math.Max(scale, 1e-300)
		} else {
			mu *= 10
		}
	}
	return nil, false
}

func cholesky(a [][]float64) ([][]float64, bool) {
	k := len(a)
	l := make([][]float64, k)
	for i := range l {
		l[i] = make([]float64, k)
	}
	for j := 0; j < k; j++ {
		d := a[j][j]
		for m := 0; m < j; m++ {
			d -= l[j][m] * l[j][m]
		}
		if !(d > 0) {
			return nil, false
		}
		l[j][j] = math.Sqrt(d)
		for i := j + 1; i < k; i++ {
			v := a[i][j]
			for m := 0; m < j; m++ {
				v -= l[i][m] * l[j][m]
			}
			l[i][j] = v / l[j][j]
		}
	}
	return l, true
}

func cholSolve(l [][]float64, b []float64) []float64 {
	k := len(b)
	y := make([]float64, k)
	for i := 0; i < k; i++ {
		v := b[i]
		for m := 0; m < i; m++ {
			v -= l[i][m] * y[m]
		}
		y[i] = v / l[i][i]
	}
	x := make([]float64, k)
	for i := k - 1; i >= 0; i-- {
		v := y[i]
		for m := i + 1; m < k; m++ {
			v -= l[m][i] * x[m]
		}
		x[i] = v / l[i][i]
	}
	return x
}

// invertSPD inverts a symmetric positive-definite matrix (the observed
// information); ok is false when it is not positive definite.
func invertSPD(a [][]float64) ([][]float64, bool) {
	l, ok := cholesky(a)
	if !ok {
		return nil, false
	}
	k := len(a)
	inv := make([][]float64, k)
	for i := range inv {
		inv[i] = make([]float64, k)
	}
	for j := 0; j < k; j++ {
		e := make([]float64, k)
		e[j] = 1
		col := cholSolve(l, e)
		for i := 0; i < k; i++ {
			inv[i][j] = col[i]
		}
	}
	return inv, true
}

// newtonFixed runs Newton iterations with a fixed Hessian h, that of a
// nearby fit (a bootstrap refit starts at the fit it resamples), and
// finite-difference gradients: a step costs 2k evaluations of f instead of
// the 2k² of a fresh Hessian, and converges linearly at a rate set by how
// close h is to the Hessian at the optimum (O(1/√n) for a resample). ok is
// false when h is unusable or the iterations do not settle; the caller then
// falls back to newtonPolish.
func newtonFixed(f objective, start []float64, h [][]float64) ([]float64, bool) {
	l, ok := cholesky(h)
	if !ok {
		return nil, false
	}
	x := append([]float64(nil), start...)
	fx := f(x)
	if math.IsNaN(fx) || math.IsInf(fx, 0) {
		return nil, false
	}
	next := make([]float64, len(x))
	for iter := 0; iter < 40; iter++ {
		step := cholSolve(l, fdGradient(f, x, 1e-5))
		if stepDown(f, x, next, step, &fx, 30, 1e-9) {
			return x, true
		}
	}
	return nil, false
}

// allFinite reports whether every entry of m is finite, so that a matrix
// can go into JSON.
func allFinite(m [][]float64) bool {
	for _, row := range m {
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return true
}
