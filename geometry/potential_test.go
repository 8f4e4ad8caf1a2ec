package geometry

import (
	"math"
	"testing"
)

var testWeights = []float64{-3.7, -1, -0.2, -1e-3, 1e-4, 0.05, 0.5, 1, 2.5, 40}

func TestDualInverseRoundTrip(t *testing.T) {
	pots := []Potential{NegEntropy{}, PNorm{P: 1.1}, PNorm{P: 1.5}, PNorm{P: 2}, PNorm{P: 3},
		BoxCox{Lambda: -0.7}, BoxCox{Lambda: 0}, BoxCox{Lambda: 0.4}, BoxCox{Lambda: 2},
		Hypentropy{Beta: 0.1}, Hypentropy{Beta: 5}}
	for _, p := range pots {
		for _, w := range testWeights {
			// Tolerance: a few ulps of g(w) carried back through 1/g′(w) (the
			// Box–Cox form loses digits near 0 through its constant −1/λ).
			g := p.Dual(w)
			slope := math.Exp(p.LogAbsDerivative(w))
			got := p.Inverse(g, Sign(w))
			if math.Abs(got-w) > 1e-12*math.Abs(w)+1e-14*(math.Abs(g)+1)/slope {
				t.Errorf("%s: g⁻¹(g(%v)) = %v", p.Name(), w, got)
			}
			// LogAbsDerivative agrees with a central difference of Dual.
			h := 1e-6 * math.Abs(w)
			fd := (p.Dual(w+h) - p.Dual(w-h)) / (2 * h)
			if math.Abs(slope-math.Abs(fd)) > 1e-6*math.Abs(fd)+1e-14*(math.Abs(g)+1)/h {
				t.Errorf("%s at %v: |g′| = %v, finite difference %v", p.Name(), w, slope, fd)
			}
		}
	}
}

func TestNegEntropySigns(t *testing.T) {
	ne := NegEntropy{}
	for _, w := range []float64{0.01, 0.3, 1, 7} {
		if ne.Dual(-w) != -ne.Dual(w) {
			t.Errorf("NE dual is not odd at %v", w)
		}
		// A step keeps the sign of w0 however large it is.
		for _, step := range []float64{-30, -1, 1, 30} {
			if w1 := ne.Inverse(ne.Dual(-w)+step, -1); !(w1 < 0) {
				t.Errorf("NE step %v from %v gives %v: the sign changed", step, -w, w1)
			}
		}
	}
	if !math.IsNaN(ne.Dual(0)) || ne.Defined(0) || ne.Defined(math.Inf(1)) || !ne.SignPreserving() {
		t.Error("NE must be undefined at 0 and sign-preserving")
	}
	if ne.Dual(1) != 1 || ne.Dual(math.E) != 2 {
		t.Errorf("NE dual is log|w| + 1: g(1) = %v, g(e) = %v", ne.Dual(1), ne.Dual(math.E))
	}
	if (PNorm{P: 2}).SignPreserving() || (PNorm{P: 2}).Dual(0) != 0 || !(PNorm{P: 3}).Defined(0) {
		t.Error("p-norms are defined at 0 with g(0) = 0 and allow sign changes")
	}
}

func TestBoxCoxContinuityAtZero(t *testing.T) {
	for _, w := range []float64{1e-3, 0.2, 1, 3, 1e4, -0.5, -20} {
		at0 := BoxCox{Lambda: 0}.Dual(w)
		for _, l := range []float64{1e-6, -1e-6, 1e-9, -1e-9} {
			v := BoxCox{Lambda: l}.Dual(w)
			if math.Abs(v-at0) > 2*math.Abs(l)*math.Pow(math.Log(math.Abs(w)), 2)+1e-15 {
				t.Errorf("Box–Cox λ = %v at %v: %v, λ = 0 gives %v", l, w, v, at0)
			}
		}
		// Shifts of same-sign pairs: Box–Cox λ equals the p-norm p = λ+1 divided by λ.
		w1 := w * 1.3
		for _, l := range []float64{0.5, 1, 2} {
			bc := BoxCox{Lambda: l}.Dual(w1) - BoxCox{Lambda: l}.Dual(w)
			pn := (PNorm{P: l + 1}.Dual(w1) - PNorm{P: l + 1}.Dual(w)) / l
			if math.Abs(bc-pn) > 1e-12*math.Abs(pn)+4e-16/l {
				t.Errorf("λ = %v, w = %v: Box–Cox shift %v, p-norm shift/λ %v", l, w, bc, pn)
			}
		}
		// λ = 0 shifts equal NE shifts.
		bc0 := BoxCox{}.Dual(w1) - BoxCox{}.Dual(w)
		ne := NegEntropy{}.Dual(w1) - NegEntropy{}.Dual(w)
		if bc, ne := bc0, ne; math.Abs(bc-ne) > 1e-12 {
			t.Errorf("λ = 0 shift %v differs from the NE shift %v", bc, ne)
		}
	}
	if l, ok := Lambda(NegEntropy{}); !ok || l != 0 {
		t.Error("Lambda(NE) must be 0")
	}
	if l, ok := Lambda(PNorm{P: 2.5}); !ok || l != 1.5 {
		t.Error("Lambda(p = 2.5) must be 1.5")
	}
	if _, ok := Lambda(Hypentropy{Beta: 1}); ok {
		t.Error("hypentropy has no λ")
	}
}

func TestHypentropyLimits(t *testing.T) {
	h := Hypentropy{Beta: 1e-3}
	// |w| ≫ β: shifts are NE shifts (log ratios), for both signs.
	for _, w := range []float64{0.5, 2, -3} {
		w1 := w * 1.7
		got := h.Dual(w1) - h.Dual(w)
		want := NegEntropy{}.Dual(w1) - NegEntropy{}.Dual(w)
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("hypentropy β = 1e-3 at %v: shift %v, NE shift %v", w, got, want)
		}
	}
	// |w| ≪ β: shifts are Euclidean shifts divided by β.
	hb := Hypentropy{Beta: 100}
	for _, w := range []float64{-0.3, 0, 0.01, 0.4} {
		w1 := w + 0.2
		got := hb.Dual(w1) - hb.Dual(w)
		want := 0.2 / 100
		if math.Abs(got-want) > 1e-4*want {
			t.Errorf("hypentropy β = 100 at %v: shift %v, Euclidean/β %v", w, got, want)
		}
	}
	if !hb.Defined(0) || hb.Dual(0) != 0 || hb.SignPreserving() {
		t.Error("hypentropy is defined at 0 and allows sign changes")
	}
}

func TestNamesAndParsing(t *testing.T) {
	c := DefaultCandidates()
	if len(c) != 21 || c[0].Name() != "NE" || c[1].Name() != "p=1.1" || c[10].Name() != "p=2.0" || c[20].Name() != "p=3.0" {
		t.Fatalf("default candidates: %d, %s %s %s %s", len(c), c[0].Name(), c[1].Name(), c[10].Name(), c[20].Name())
	}
	got, err := ParseCandidates("NE, 1.5,2,p=2.5,3,hypentropy:0.1")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"NE", "p=1.5", "p=2.0", "p=2.5", "p=3.0", "hypentropy(beta=0.1)"}
	for i, w := range want {
		if got[i].Name() != w {
			t.Errorf("candidate %d: %s, want %s", i, got[i].Name(), w)
		}
	}
	for _, bad := range []string{"", "1", "0.5", "x", "hypentropy:-1", "2,2.0"} {
		if _, err := ParseCandidates(bad); err == nil {
			t.Errorf("ParseCandidates(%q) accepted", bad)
		}
	}
}
