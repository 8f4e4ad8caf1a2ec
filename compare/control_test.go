package compare_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
)

// TestCompareControl: learning and control under NE with dual step sd 0.4
// and 0.2: the same-λ test does not reject, learning adds change (p tiny)
// and the variance ratio is near 4; a Euclidean learning against an NE
// control rejects the same λ.
func TestCompareControl(t *testing.T) {
	sim := func(pot geometry.Potential, step float64, seed uint64) *datasets.Pairs {
		p, err := datasets.DualShift{Potential: pot, Init: datasets.LogNormal{SDLog: 0.5}, Step: step, N: 1500, Seed: seed}.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	l, c := sim(geometry.NegEntropy{}, 0.4, 1), sim(geometry.NegEntropy{}, 0.2, 2)
	r, err := compare.Control(l.Before, l.After, c.Before, c.After, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r.Verdict)
	if *r.SameLambda.PValue < 0.01 || *r.AddsChangePValue > 1e-6 || math.Abs(*r.VarianceRatio-4) > 0.6 {
		t.Errorf("same λ p %v, adds change p %v, ratio %v", *r.SameLambda.PValue, *r.AddsChangePValue, *r.VarianceRatio)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Error(err)
	}
	// No learning effect: the same step in both.
	c2 := sim(geometry.NegEntropy{}, 0.4, 3)
	r, _ = compare.Control(l.Before, l.After, c2.Before, c2.After, 2)
	if *r.AddsChangePValue < 0.01 || *r.SameSigma.PValue < 0.01 {
		t.Errorf("equal steps: adds-change p %v, same-σ p %v", *r.AddsChangePValue, *r.SameSigma.PValue)
	}
	e := sim(geometry.PNorm{P: 2}, 0.2, 4)
	r, _ = compare.Control(e.Before, e.After, c.Before, c.After, 2)
	t.Log(r.Verdict)
	if *r.SameLambda.PValue > 1e-6 {
		t.Errorf("Euclidean vs NE: same-λ p %v", *r.SameLambda.PValue)
	}
}
