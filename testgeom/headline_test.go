package testgeom_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/testgeom"
)

// The Student-t sandwich scale is about 1 when the steps are Student-t and
// the pairs independent (the t model holds, while the Gaussian scale is
// large), and above 1 per synapse when a synapse's steps share a size.
func TestStudentTSandwichScale(t *testing.T) {
	p, err := datasets.DualShift{Potential: geometry.NegEntropy{}, Init: datasets.LogNormal{SDLog: 0.5}, Step: 0.2, StepDF: 4,
		N: 4000, Seed: 11}.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	r, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: -1})
	if err != nil {
		t.Fatal(err)
	}
	st := r.StepModels.StudentT
	if st.Scale == nil || *st.Scale < 0.8 || *st.Scale > 1.25 || st.ClusterScale != nil {
		t.Errorf("t(4) steps: Student-t scale %v, cluster scale %v; want about 1 and none", st.Scale, st.ClusterScale)
	}
	if k := r.LambdaInterval.Scale; k == nil || *k < 1.5 {
		t.Errorf("t(4) steps: Gaussian scale %v, want well above 1", k)
	}
	if st.SE == nil || !(*st.SE > 0) {
		t.Errorf("Student-t SE %v", st.SE)
	}

	spec := chainSpec
	spec.StepDF, spec.Seed, spec.N = 5, 3, 300
	c, err := spec.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	o := testgeom.Options{NullReplicates: -1, Clusters: c.Synapse, Workers: 1}
	rc, err := testgeom.TestPaired(c.Before, c.After, o)
	if err != nil {
		t.Fatal(err)
	}
	sc := rc.StepModels.StudentT
	if sc.ClusterScale == nil || *sc.ClusterScale <= *sc.Scale || *sc.ClusterScale < 1.1 {
		t.Errorf("chains: Student-t cluster scale %v against %v, want above 1", sc.ClusterScale, sc.Scale)
	}
	t.Logf("t(4): k_t = %.3f, Gaussian k = %.3f; chains: k_t = %.3f, per synapse %.3f", *st.Scale, *r.LambdaInterval.Scale, *sc.Scale, *sc.ClusterScale)
	li := rc.LambdaInterval
	if li.Method != "cluster_robust_student_t_lr" || li.GaussianMethod != "cluster_robust_lr" {
		t.Fatalf("chains: interval %+v", li)
	}
	// The synapse-robust t interval contains the t LR interval and the
	// tests are divided by max(k_t, 1).
	k := math.Max(*sc.ClusterScale, 1)
	if *rc.LambdaCI[0] > *sc.LambdaCI[0] || *rc.LambdaCI[1] < *sc.LambdaCI[1] {
		t.Errorf("chains: synapse-robust t interval %v narrower than the t LR interval %v", rc.LambdaCI, sc.LambdaCI)
	}
	if e := rc.LRTests.Euclidean; e.StatRobust == nil || math.Abs(*e.StatRobust-*e.Stat/k) > 1e-9*(*e.Stat) {
		t.Errorf("chains: Euclidean test %+v, k_t %v", e, k)
	}
	// The same on more workers.
	o.Workers = 3
	r3, err := testgeom.TestPaired(c.Before, c.After, o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r3.LambdaCI, rc.LambdaCI) || !reflect.DeepEqual(r3.StepModels, rc.StepModels) {
		t.Errorf("chains: workers 3 differ: %v vs %v", r3.LambdaCI, rc.LambdaCI)
	}
}

// Under a Student-t headline the LR test of negative entropy profiles the
// t likelihood; pairs that change sign make λ ≤ 0 impossible, as for the
// Gaussian model.
func TestStudentTHeadlineSignFlips(t *testing.T) {
	p, err := datasets.DualShift{Potential: geometry.PNorm{P: 2}, Init: datasets.LogNormal{SDLog: 0.5}, Step: 0.3, StepDF: 3,
		N: 3000, Seed: 5}.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	// Make a few pairs change sign.
	for i := 0; i < 30; i++ {
		p.After[i] = -p.After[i]
	}
	r, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r.LambdaInterval.Method != "student_t_lr" {
		t.Fatalf("interval %+v, preferred %s", r.LambdaInterval, r.StepModels.Preferred)
	}
	ne := r.LRTests.NegativeEntropy
	t.Logf("λ̂ = %.3f %v, NE test %+v", *r.LambdaHat, r.LambdaCI, ne)
	if ne.PValue == nil || *ne.PValue != 0 || ne.Status == "" {
		t.Errorf("NE test under sign changes: %+v", ne)
	}
	if g := r.StepModels.Gaussian.LRTests; g == nil || g.NegativeEntropy.Status == "" {
		t.Errorf("Gaussian tests not kept: %+v", g)
	}
	if *r.LambdaCI[0] <= 0 {
		t.Errorf("interval %v reaches λ ≤ 0", r.LambdaCI)
	}
}
