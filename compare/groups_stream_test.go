package compare_test

import (
	"math"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/testgeom"
)

// TestCompareSecondPasses: the group comparison from streamed passes
// equals the in-memory one when every pair is kept (exact profiles), and
// stays within 0.02 in λ when the passes keep a subsample only (grid and
// fine-ladder profiles). The shift parameters at the shared λ̂ are then
// those of every pair, to 1e-5 of their sd, and the Student-t step model
// is said not to have been fitted.
func TestCompareSecondPasses(t *testing.T) {
	w0, w1, group, names := groupData(t, []float64{0, 1, 0}, 3000, 0.1, 7)
	mem, err := compare.Groups(w0, w1, group, names, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, sampleMax := range []int{testgeom.DefaultSampleMax, 500} {
		got, err := compare.SecondPasses(names, groupPasses(w0, w1, group, len(names), sampleMax))
		if err != nil {
			t.Fatal(err)
		}
		tol := 1e-6
		if sampleMax < 3000 {
			tol = 0.02
		}
		if got.SharedLambda == nil || math.Abs(*got.SharedLambda-*mem.SharedLambda) > tol {
			t.Errorf("sample %d: shared λ̂ %v, in memory %v", sampleMax, got.SharedLambda, *mem.SharedLambda)
		}
		for g := range names {
			if a, b := got.Groups[g].LambdaHat, mem.Groups[g].LambdaHat; a == nil || math.Abs(*a-*b) > tol {
				t.Errorf("sample %d group %s: λ̂ %v, in memory %v", sampleMax, names[g], a, *b)
			}
		}
		if got.LRPValue == nil || *got.LRPValue > 1e-6 {
			t.Errorf("sample %d: NE and Euclidean groups should differ: p = %v", sampleMax, got.LRPValue)
		}
		if sampleMax >= 3000 {
			continue
		}
		if st := got.StepModelTest; st == nil || !strings.HasPrefix(st.Note, "not run") {
			t.Errorf("sample %d: step model test %+v; want a note that it did not run", sampleMax, st)
		}
		for g := range names {
			_, mean, sd := testgeom.NewPairLikelihood(groupValues(w0, group, g), groupValues(w1, group, g), 1).Shift(*got.SharedLambda)
			s := got.Groups[g]
			if s.ShiftN != 3000 || math.Abs(*s.ShiftMean-mean) > 1e-5*sd || math.Abs(*s.ShiftSD-sd) > 1e-5*sd {
				t.Errorf("sample %d group %s: shift (%d, %v, %v) at the shared λ̂; every pair gives (3000, %v, %v)", sampleMax, names[g], s.ShiftN, *s.ShiftMean, *s.ShiftSD, mean, sd)
			}
		}
	}
}

// groupValues are the values of group g, in order.
func groupValues(w []float64, group []int32, g int) []float64 {
	var out []float64
	for i, c := range group {
		if int(c) == g {
			out = append(out, w[i])
		}
	}
	return out
}

// Groups larger than the pairs a second pass keeps get their sandwich
// standard errors from the pass's score sums (SecondPass.RobustScale).
// Under Student-t(3) steps the sandwich is well above the model's, and the
// streamed values are within 10% of the in-memory ones, so the robust
// test of a common λ is made as in memory (without them the comparison
// would rest on the Gaussian LR test alone, which rejects too often under
// heavy tails).
func TestSecondPassesRobustScale(t *testing.T) {
	var w0, w1 []float64
	var group []int32
	names := []string{"A", "B"}
	for g := range names {
		p, err := datasets.DualShift{Potential: geometry.NegEntropy{}, Init: datasets.LogNormal{SDLog: 0.5},
			Step: 0.1, StepDF: 3, N: 6000, Seed: 40 + uint64(g)}.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		w0, w1 = append(w0, p.Before...), append(w1, p.After...)
		for range p.Before {
			group = append(group, int32(g))
		}
	}
	mem, err := compare.Groups(w0, w1, group, names, 1)
	if err != nil {
		t.Fatal(err)
	}
	if mem.StepModel != compare.StepStudentT || mem.Gaussian == nil {
		t.Fatalf("in memory the step model is %s; want Student-t with the Gaussian comparison beside it", mem.StepModel)
	}
	if a := mem.Gaussian.Assumptions; !strings.Contains(a, "rejects them") || strings.Contains(a, "were not tested") {
		t.Errorf("the Gaussian comparison beside the Student-t one says: %s", a)
	}
	mem = mem.Gaussian // a streamed comparison of large groups has Gaussian steps
	got, err := compare.SecondPasses(names, groupPasses(w0, w1, group, len(names), 500))
	if err != nil {
		t.Fatal(err)
	}
	for g := range names {
		s, m := got.Groups[g], mem.Groups[g]
		if s.SERobust == nil || m.SERobust == nil || s.SE == nil {
			t.Fatalf("group %s: streamed robust SE %v (SE %v), in memory %v", names[g], s.SERobust, s.SE, m.SERobust)
		}
		t.Logf("group %s: λ̂ %.4f / %.4f, SE %.4g / %.4g, robust %.4g / %.4g", names[g], *s.LambdaHat, *m.LambdaHat, *s.SE, *m.SE, *s.SERobust, *m.SERobust)
		if *s.SERobust < 1.3**s.SE || math.Abs(*s.SERobust / *m.SERobust - 1) > 0.1 {
			t.Errorf("group %s: streamed robust SE %.4g (model %.4g), in memory %.4g", names[g], *s.SERobust, *s.SE, *m.SERobust)
		}
	}
	if got.RobustPValue == nil || mem.RobustPValue == nil {
		t.Errorf("robust test: streamed %v, in memory %v", got.RobustPValue, mem.RobustPValue)
	}
}

// groupPasses are the two passes over each of the groups' pairs, as a
// streamed test makes them, keeping about sampleMax pairs of each.
func groupPasses(w0, w1 []float64, group []int32, groups, sampleMax int) []*testgeom.SecondPass {
	var passes []*testgeom.SecondPass
	for g := range groups {
		a, b := groupValues(w0, group, g), groupValues(w1, group, g)
		sc := testgeom.NewScan(nil, 1)
		sc.Add(a, b)
		sp := sc.SecondPass(sampleMax, 1)
		sp.Add(a, b)
		passes = append(passes, sp)
	}
	return passes
}
