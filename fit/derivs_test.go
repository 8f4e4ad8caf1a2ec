package fit

import (
	"math"
	"testing"
)

// TestAnalyticDerivatives compares the exact gradients and Hessians with
// central finite differences of the log-likelihood, away from the optimum.
func TestAnalyticDerivatives(t *testing.T) {
	cases := []struct {
		name string
		d    derivsFunc
		fam  *Family
		x    []float64
		p    []float64
	}{
		{"logistic", logisticDerivs, logisticFamily, draw(Logistic{1, 2}, 500, 1), []float64{1.3, 1.7}},
		{"student-t", studentDerivs, studentTFamily, draw(StudentT{1, 2, 4}, 500, 2), []float64{0.8, 2.3, 3.1}},
		{"powernormal", nil, powerNormalFamily, draw(PowerNormal{0.5, 1, 0.3}, 500, 3), []float64{0.4, 0.1, 0.35}},
		// K = 0.77: the truncation term matters.
		{"powernormal K<1", nil, powerNormalFamily, draw(PowerNormal{0.8, 0.2, 0.9}, 500, 4), []float64{0.9, -0.3, 0.8}},
	}
	for _, c := range cases {
		s := newSample(c.x, 1)
		s.ensureLogs()
		if c.d == nil {
			c.d = powerNormalDerivs(s.meanLog)
		}
		ll, g, h := c.d(c.p, s)
		f := func(p []float64) float64 { return c.fam.loglik(p, s) }
		if c.fam == powerNormalFamily {
			// Derivatives are in the centred coordinates; the likelihoods
			// differ by n·mean(log x).
			f = func(q []float64) float64 {
				return c.fam.loglik(powerNormalFromScaled(q, s.meanLog), s) + float64(s.n)*s.meanLog
			}
		}
		if r := relErr(ll, f(c.p)); r > 1e-12 {
			t.Errorf("%s: loglik %.15g vs %.15g", c.name, ll, f(c.p))
		}
		for i := range c.p {
			hi := 1e-5 * math.Abs(c.p[i])
			pp := append([]float64(nil), c.p...)
			pp[i] += hi
			fp := f(pp)
			pp[i] -= 2 * hi
			fm := f(pp)
			if fd := (fp - fm) / (2 * hi); math.Abs(fd-g[i]) > 1e-5*math.Max(1, math.Abs(g[i])) {
				t.Errorf("%s: grad[%d] = %.10g, finite difference %.10g", c.name, i, g[i], fd)
			}
			for j := range c.p {
				hj := 1e-5 * math.Abs(c.p[j])
				gp := func(delta float64) []float64 {
					pp := append([]float64(nil), c.p...)
					pp[j] += delta
					_, gg, _ := c.d(pp, s)
					return gg
				}
				fd := (gp(hj)[i] - gp(-hj)[i]) / (2 * hj)
				if math.Abs(fd-h[i][j]) > 1e-5*math.Max(1, math.Abs(h[i][j])) {
					t.Errorf("%s: hess[%d][%d] = %.10g, finite difference %.10g", c.name, i, j, h[i][j], fd)
				}
			}
		}
	}
}

// The power series and closed forms of the Box–Cox derivatives agree where
// they meet.
func TestBoxCoxDerivs(t *testing.T) {
	for _, l := range []float64{-3, -0.5, 0.7, 2} {
		for _, lam := range []float64{0.1 / l * 0.999, 0.1 / l * 1.001, 1e-3, 0.5} {
			y, y1, y2 := boxCoxDerivs(lam, l)
			if r := relErr(y, math.Expm1(lam*l)/lam); r > 1e-14 {
				t.Errorf("y(%g, %g) rel err %g", lam, l, r)
			}
			h := 1e-4 * math.Max(math.Abs(lam), 1e-3)
			ya, y1a, _ := boxCoxDerivs(lam+h, l)
			yb, y1b, _ := boxCoxDerivs(lam-h, l)
			if r := relErr(y1, (ya-yb)/(2*h)); r > 1e-7 {
				t.Errorf("y′(%g, %g) = %.12g, fd %.12g", lam, l, y1, (ya-yb)/(2*h))
			}
			if r := relErr(y2, (y1a-y1b)/(2*h)); r > 1e-6 {
				t.Errorf("y″(%g, %g) = %.12g, fd %.12g", lam, l, y2, (y1a-y1b)/(2*h))
			}
		}
	}
}
