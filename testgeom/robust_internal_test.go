package testgeom

import (
	"math"
	"math/rand/v2"
	"testing"
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
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(11, 12)), 20000, "lognormal", NegEntropy{})
	r, err := TestPaired(w0, w1, Options{Candidates: []Potential{NegEntropy{}}, NullReplicates: -1})
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
