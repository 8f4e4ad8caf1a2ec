package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// ∂d/∂λ of the score features against a central difference of d, on both
// sides of the series threshold and for sign changes.
func TestScoreShiftDerivative(t *testing.T) {
	for _, c := range []struct{ lambda, w0, w1 float64 }{
		{0, 1.3, 0.7}, {0.02, 2.5, 3.1}, {0.3, 0.2, 0.25}, {1, 5, 4}, {-0.7, 0.05, 0.08}, {2, 1.5, 30},
		{0.5, 0.4, -0.3}, {1.5, -2, 1},
	} {
		s0, s1 := math.Copysign(1, c.w0), math.Copysign(1, c.w1)
		l0, l1 := math.Log(math.Abs(c.w0)), math.Log(math.Abs(c.w1))
		_, a, ok := scoreShift(c.lambda, s0, s1, l0, l1)
		const h = 1e-5
		dp, _, ok1 := scoreShift(c.lambda+h, s0, s1, l0, l1)
		dm, _, ok2 := scoreShift(c.lambda-h, s0, s1, l0, l1)
		if !ok || !ok1 || !ok2 {
			t.Fatalf("%+v: not usable", c)
		}
		if num := (dp - dm) / (2 * h); math.Abs(a-num) > 1e-6*math.Max(1, math.Abs(num)) {
			t.Errorf("%+v: ∂d/∂λ = %v, numerically %v", c, a, num)
		}
	}
}

// The robust scale is about 1 for Gaussian shifts under the true geometry,
// and the in-memory computation agrees with the second pass's.
func TestRobustScale(t *testing.T) {
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(11, 12)), 20000, "lognormal", geometry.NegEntropy{})
	r, err := TestPaired(w0, w1, Options{Candidates: []geometry.Potential{geometry.NegEntropy{}}, NullReplicates: -1})
	if err != nil {
		t.Fatal(err)
	}
	li := r.LambdaInterval
	if li == nil || li.Method != "robust_lr" || li.Scale == nil || math.Abs(*li.Scale-1) > 0.1 {
		t.Fatalf("Gaussian shifts: interval %+v", li)
	}
	mem := scaleInMemory(w0, w1, nil, *r.LambdaHat, *li.SEModel)
	if math.Abs(mem-*li.Scale) > 0.02 {
		t.Errorf("in-memory scale %v, second pass %v", mem, *li.Scale)
	}
}

// The second pass sums the score features by blocks; the sums are those of
// adding them pair by pair, bit for bit, including pairs without a density
// (sign changes at λ ≤ 0), pairs that do not change or change too little
// for e1 − e0 (which the vectors leave to scoreShiftExp), λ near 0 (the
// series of boxCoxDU in most pairs) and far from it (its closed form), and
// blocks that start a chunk.
func TestRobustAddBlock(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, lambda := range []float64{0.343, -0.2, 0, 1.7, 0.02, -3.5} {
		pl := robustPlan{ok: true, lambda: lambda, shift: 0.05}
		var byPair, byBlock robustChunk
		var fb robustBlock
		for _, n := range []int{pairBlockSize, 1, 0, 77, pairBlockSize} {
			s0, s1, l0, l1 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			e0, e1 := make([]float64, n), make([]float64, n)
			for j := range n {
				w0 := math.Exp(-0.7 + 0.94*r.NormFloat64())
				w1 := w0*math.Exp(0.2*r.NormFloat64()) + 0.05*r.NormFloat64()
				if r.IntN(10) == 0 {
					w0 = -w0
				}
				if r.IntN(20) == 0 {
					w1 = w0
				}
				s0[j], s1[j] = math.Copysign(1, w0), math.Copysign(1, w1)
				l0[j], l1[j] = math.Log(math.Abs(w0)), math.Log(math.Abs(w1))
			}
			expScaled(e0, l0, lambda)
			expScaled(e1, l1, lambda)
			for j := range n {
				if f, ok := pl.featuresExp(s0[j], s1[j], l0[j], l1[j], e0[j], e1[j]); ok {
					byPair.add(f)
				}
			}
			pl.addBlock(&byBlock, &fb, s0, s1, l0, l1, e0, e1)
			if byPair != byBlock {
				t.Fatalf("λ = %v, block of %d: by blocks %+v, by pairs %+v", lambda, n, byBlock, byPair)
			}
		}
	}
}
