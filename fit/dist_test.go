package fit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

// testLaws covers every type, with shapes below and above 1 where the
// density changes character.
var testLaws = []struct {
	d        Distribution
	positive bool
}{
	{Normal{0.2, 1.1}, false},
	{LogNormal{-0.7, 0.9}, true},
	{Gamma{2.5, 4}, true},
	{Gamma{0.3, 2}, true},
	{Weibull{1.3, 0.8}, true},
	{Weibull{0.6, 2}, true},
	{Exponential{3}, true},
	{LogLogistic{3, 1.5}, true},
	{InverseGaussian{2, 5}, true},
	{PowerNormal{0.5, 1, 0.3}, true},
	{PowerNormal{-0.4, -0.5, 0.4}, true},
	{PowerNormal{0.8, 0.2, 0.9}, true}, // K = 0.93: visible truncation
	{PowerNormal{0, -0.7, 0.9}, true},
	{StudentT{1, 2, 4}, false},
	{StudentT{0, 1, 0.8}, false},
	{Laplace{-1, 0.5}, false},
	{Logistic{3, 2}, false},
}

// TestRegistry: every registered family has a law in testLaws, and its
// name and aliases are unique and found by Lookup.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range AllFamilies() {
		p := make([]float64, f.NumParameters())
		for i := range p {
			p[i] = 1
		}
		typ := fmt.Sprintf("%T", f.build(p))
		if !slices.ContainsFunc(testLaws, func(c struct {
			d        Distribution
			positive bool
		}) bool {
			return fmt.Sprintf("%T", c.d) == typ
		}) {
			t.Errorf("%s: no %s in testLaws", f.Name, typ)
		}
		for _, name := range append([]string{f.Name}, f.aliases...) {
			if seen[name] {
				t.Errorf("%s: the name %q is taken", f.Name, name)
			}
			seen[name] = true
			if g, err := Lookup(name); err != nil || g != f {
				t.Errorf("Lookup(%q) = %v, %v; want %s", name, g, err, f.Name)
			}
		}
	}
}

// TestDistributionInvariants checks, for every law: CDF + survival = 1, the
// log forms agree with the plain ones, the quantile inverts the CDF, the
// density integrates to the CDF, and random draws follow the CDF (KS
// distance below the 1% critical value 1.63/√n for a fixed seed).
func TestDistributionInvariants(t *testing.T) {
	for _, c := range testLaws {
		d := c.d
		t.Run(fmt.Sprintf("%T%v", d, d.Params()), func(t *testing.T) {
			for _, p := range []float64{1e-10, 1e-4, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-6} {
				x := d.Quantile(p)
				if math.IsNaN(x) {
					t.Fatalf("Quantile(%g) = NaN", p)
				}
				if got := d.CDF(x); relErr(got, p) > 1e-8 {
					t.Errorf("CDF(Quantile(%g)) = %.12g", p, got)
				}
				if s := d.CDF(x) + d.Survival(x); math.Abs(s-1) > 1e-14 {
					t.Errorf("CDF + Survival at %g = %.17g", x, s)
				}
				if relErr(math.Exp(d.LogCDF(x)), d.CDF(x)) > 1e-12 || relErr(math.Exp(d.LogSurvival(x)), d.Survival(x)) > 1e-12 {
					t.Errorf("log forms disagree at %g: %g %g vs %g %g", x, d.LogCDF(x), d.LogSurvival(x), d.CDF(x), d.Survival(x))
				}
				lf, ls := logTails(d, x)
				if relErr(lf, d.LogCDF(x)) > 1e-14 || relErr(ls, d.LogSurvival(x)) > 1e-14 {
					t.Errorf("logTails disagree at %g", x)
				}
				if relErr(d.Prob(x), math.Exp(d.LogProb(x))) > 1e-14 {
					t.Errorf("Prob and LogProb disagree at %g", x)
				}
			}
			// ∫ density between the 0.01 and 0.9 quantiles: in log x for
			// positive laws (densities with a pole at 0), split at the
			// median otherwise (the Laplace kink).
			a, m, b := d.Quantile(0.01), d.Quantile(0.5), d.Quantile(0.9)
			var got float64
			if c.positive {
				g := func(u float64) float64 { return d.Prob(math.Exp(u)) * math.Exp(u) }
				got = quad.Fixed(g, math.Log(a), math.Log(b), 2000, nil, 0)
			} else {
				got = quad.Fixed(d.Prob, a, m, 1000, nil, 0) + quad.Fixed(d.Prob, m, b, 1000, nil, 0)
			}
			if want := d.CDF(b) - d.CDF(a); math.Abs(got-want) > 1e-10 {
				t.Errorf("∫ density = %.12g, CDF difference %.12g", got, want)
			}
			r := rand.New(rand.NewPCG(7, 11))
			n := 10000
			x := make([]float64, n)
			for i := range x {
				x[i] = d.Rand(r)
				if c.positive && !(x[i] > 0) {
					t.Fatalf("Rand gave %g outside (0, ∞)", x[i])
				}
			}
			slices.Sort(x)
			if ks := KS(x, d.CDF); ks > 1.63/math.Sqrt(float64(n)) {
				t.Errorf("draws: KS = %.4g > %.4g", ks, 1.63/math.Sqrt(float64(n)))
			}
			if c.positive {
				if d.CDF(0) != 0 || d.CDF(-1) != 0 || d.Survival(-1) != 1 || !math.IsInf(d.LogCDF(0), -1) {
					t.Errorf("below the support: CDF(0) = %g, CDF(−1) = %g, S(−1) = %g, log F(0) = %g", d.CDF(0), d.CDF(-1), d.Survival(-1), d.LogCDF(0))
				}
				if lp := d.LogProb(-1); !math.IsInf(lp, -1) {
					t.Errorf("LogProb(−1) = %g, want −Inf", lp)
				}
			}
		})
	}
}

// Far-tail values against mpmath at 40 digits: these would be 0 or −Inf
// with 1 − F.
func TestDistributionTails(t *testing.T) {
	cases := []struct {
		name      string
		got, want float64
	}{
		{"lognormal log S(e^10)", LogNormal{0, 1}.LogSurvival(math.Exp(10)), -53.23128515051247057776225},
		{"gamma(2.5, 4) log S(20)", Gamma{2.5, 4}.LogSurvival(20), -73.69295221461425399987265},
		{"gamma(2.5, 4) log F(1e-6)", Gamma{2.5, 4}.LogCDF(1e-6), -32.27401695160052738211969},
		{"invgauss(2, 5) log S(60)", InverseGaussian{2, 5}.LogSurvival(60), -40.86465931859344195048234},
		{"invgauss(2, 5) log S(10)", InverseGaussian{2, 5}.LogSurvival(10), -7.264991426551019625964609},
		{"invgauss(2, 5) log F(0.05)", InverseGaussian{2, 5}.LogCDF(0.05), -50.06879194053313472230055},
		{"t3 log F(−1000)", StudentT{0, 1, 3}.LogCDF(-1000), -20.6255459978967197565139},
		{"t3 log S(5)", StudentT{0, 1, 3}.LogSurvival(5), -4.867026104920421231907445},
		{"weibull log S", Weibull{2, 1}.LogSurvival(30), -900},
		{"loglogistic log S", LogLogistic{2, 1}.LogSurvival(1e20), -math.Log1p(1e40)},
		{"laplace log F", Laplace{0, 1}.LogCDF(-800), -800 - math.Ln2},
		{"logistic log S", Logistic{0, 1}.LogSurvival(800), -800},
		{"powernormal λ=0 is lognormal", PowerNormal{0, 0, 1}.LogSurvival(math.Exp(10)), -53.23128515051247057776225},
	}
	for _, c := range cases {
		if r := relErr(c.got, c.want); r > 1e-12 {
			t.Errorf("%s = %.17g, want %.17g (rel %.2g)", c.name, c.got, c.want, r)
		}
	}
	// Small-shape gamma quantile in the lower tail, where gonum's inverse
	// returns 0: P(0.1, x) = 1e-6 at x ≈ 6e-61 (rate 1).
	q := Gamma{0.1, 1}.Quantile(1e-6)
	if !(q > 0) || relErr(Gamma{0.1, 1}.CDF(q), 1e-6) > 1e-9 {
		t.Errorf("Gamma{0.1,1}.Quantile(1e-6) = %g, CDF there %g", q, Gamma{0.1, 1}.CDF(q))
	}
}

// The power-normal near λ = 0 must be continuous with the log-normal, and
// at λ = 1 it is a normal truncated at 0.
func TestPowerNormalLimits(t *testing.T) {
	ln := LogNormal{-0.3, 0.7}
	pn := PowerNormal{1e-9, -0.3, 0.7}
	for _, x := range []float64{0.05, 0.5, 1, 3, 20} {
		if r := relErr(pn.LogProb(x), ln.LogProb(x)); r > 1e-7 {
			t.Errorf("λ=1e-9 LogProb(%g) = %.12g, lognormal %.12g", x, pn.LogProb(x), ln.LogProb(x))
		}
		if r := relErr(pn.CDF(x), ln.CDF(x)); r > 1e-7 {
			t.Errorf("λ=1e-9 CDF(%g) = %.12g, lognormal %.12g", x, pn.CDF(x), ln.CDF(x))
		}
	}
	// λ = 1: y = x − 1 ~ N(μ, σ²) truncated to y > −1, i.e. x ~ N(μ+1, σ²) truncated at 0.
	pn1 := PowerNormal{1, -0.5, 1}
	nrm := Normal{0.5, 1}
	k := nrm.Survival(0)
	for _, x := range []float64{0.1, 0.5, 2} {
		want := (nrm.CDF(x) - nrm.CDF(0)) / k
		if r := relErr(pn1.CDF(x), want); r > 1e-13 {
			t.Errorf("λ=1 CDF(%g) = %.15g, truncated normal %.15g", x, pn1.CDF(x), want)
		}
		if r := relErr(pn1.LogProb(x), nrm.LogProb(x)-math.Log(k)); r > 1e-13 {
			t.Errorf("λ=1 LogProb(%g) = %.15g, truncated normal %.15g", x, pn1.LogProb(x), nrm.LogProb(x)-math.Log(k))
		}
	}
}
