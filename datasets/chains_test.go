package datasets

import (
	"math"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// Student-t steps have the variance of a standard t, ν/(ν − 2), and
// heavier tails than Gaussian ones (excess kurtosis 6/(ν − 4) for ν = 5).
func TestStudentTStep(t *testing.T) {
	r := chunkRand(3, 0)
	const n = 400000
	var s2, s4 float64
	for range n {
		x := studentT(r, 5)
		s2 += x * x
		s4 += x * x * x * x
	}
	v := s2 / n
	kurt := s4/n/(v*v) - 3
	if math.Abs(v-5.0/3) > 0.05 || kurt < 2 {
		t.Errorf("t(5) step: variance %.3f (want 5/3), excess kurtosis %.2f (want about 6)", v, kurt)
	}
	if _, err := (DualShift{Potential: geometry.NegEntropy{}, Init: LogNormal{SDLog: 0.5}, Step: 0.1, StepDF: -1, N: 10}).Simulate(); err == nil {
		t.Error("a step with negative degrees of freedom was accepted")
	}
}

// Chains link their pairs: the after weight of a step is the before weight
// of the next step of the same synapse, and every step has the geometry's
// shift law.
func TestChains(t *testing.T) {
	c := Chains{Potential: geometry.NegEntropy{}, Init: LogNormal{SDLog: 0.5}, Step: 0.1, Shift: 0.05, Sessions: 4, N: 3000, Seed: 1}
	p, err := c.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Before) != 3*3000 {
		t.Fatalf("%d pairs, want %d", len(p.Before), 3*3000)
	}
	var sum float64
	for i := range p.Before {
		if i+1 < len(p.Before) && p.Synapse[i+1] == p.Synapse[i] {
			if p.After[i] != p.Before[i+1] || p.Step[i+1] != p.Step[i]+1 {
				t.Fatalf("pair %d does not continue pair %d's synapse", i+1, i)
			}
		}
		sum += math.Log(p.After[i] / p.Before[i])
	}
	if m := sum / float64(len(p.Before)); math.Abs(m-0.05) > 0.01 {
		t.Errorf("mean NE shift %.4f, want 0.05", m)
	}
	if _, err := (Chains{Potential: geometry.NegEntropy{}, Init: LogNormal{SDLog: 0.5}, Sessions: 1, N: 5}).Simulate(); err == nil {
		t.Error("one session was accepted")
	}
}
