package testgeom_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/testgeom"
)

// stepStudy summarises the two step models over simulated data sets.
type stepStudy struct {
	sets                    int
	meanG, meanT            float64 // mean λ̂
	spreadG, spreadT        float64 // sd of λ̂ across data sets
	coverG, coverT          float64 // coverage of the 95% intervals
	widthG, widthT          float64 // mean interval widths
	preferT                 float64 // fraction preferring Student-t steps
	medianNu                float64
	failed                  int
	nus, lamsG, lamsT, covs []float64
}

// runStepStudy fits both step models to sets data sets of n synapses
// (log-normal, one dual step of scale step under truth, Student-t with df
// degrees of freedom, 0: Gaussian).
func runStepStudy(t *testing.T, truth geometry.Potential, lambda, step, df float64, n, sets int, seed uint64) stepStudy {
	t.Helper()
	var st stepStudy
	var sG, sT, sG2, sT2 float64
	for k := 0; k < sets; k++ {
		p, err := datasets.DualShift{Potential: truth, Init: datasets.LogNormal{SDLog: 0.5}, Step: step, StepDF: df,
			N: n, Seed: seed + uint64(k)}.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		r, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: -1, Workers: 1, Seed: uint64(k)})
		if err != nil {
			t.Fatal(err)
		}
		sm := r.StepModels
		if sm == nil || sm.Status != "ok" || sm.StudentT.LambdaHat == nil || sm.Gaussian.LambdaHat == nil {
			st.failed++
			continue
		}
		lg, lt := *sm.Gaussian.LambdaHat, *sm.StudentT.LambdaHat
		st.lamsG, st.lamsT = append(st.lamsG, lg), append(st.lamsT, lt)
		sG, sT, sG2, sT2 = sG+lg, sT+lt, sG2+lg*lg, sT2+lt*lt
		covers := func(ci [2]*float64) (float64, float64) {
			if ci[0] == nil || ci[1] == nil {
				return 0, math.Inf(1)
			}
			c := 0.0
			if *ci[0] <= lambda && lambda <= *ci[1] {
				c = 1
			}
			return c, *ci[1] - *ci[0]
		}
		c, w := covers(sm.Gaussian.LambdaCI)
		st.coverG, st.widthG = st.coverG+c, st.widthG+w
		c, w = covers(sm.StudentT.LambdaCI)
		st.coverT, st.widthT = st.coverT+c, st.widthT+w
		if sm.Preferred == "student_t" {
			st.preferT++
		}
		st.nus = append(st.nus, *sm.StudentT.Nu)
	}
	m := float64(len(st.lamsG))
	st.sets = len(st.lamsG)
	st.meanG, st.meanT = sG/m, sT/m
	st.spreadG = math.Sqrt((sG2 - sG*sG/m) / (m - 1))
	st.spreadT = math.Sqrt((sT2 - sT*sT/m) / (m - 1))
	st.coverG, st.coverT, st.widthG, st.widthT, st.preferT = st.coverG/m, st.coverT/m, st.widthG/m, st.widthT/m, st.preferT/m
	nus := append([]float64(nil), st.nus...)
	st.medianNu = medianOf(nus)
	t.Logf("truth %s, step %g, df %g, n %d, %d sets (%d failed): mean λ̂ Gaussian %.4f, t %.4f; spread Gaussian %.4f, t %.4f; "+
		"coverage Gaussian %.2f (width %.3f), t %.2f (width %.3f); prefer t %.2f; median ν̂ %.3g",
		truth.Name(), step, df, n, sets, st.failed, st.meanG, st.meanT, st.spreadG, st.spreadT,
		st.coverG, st.widthG, st.coverT, st.widthT, st.preferT, st.medianNu)
	return st
}

func medianOf(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	slices.Sort(x)
	if len(x)%2 == 1 {
		return x[len(x)/2]
	}
	return (x[len(x)/2-1] + x[len(x)/2]) / 2
}

// TestStepModelsHeavyTails: under Student-t(3) dual steps the t model
// recovers λ with a smaller spread than the Gaussian model, estimates a
// small ν and is preferred; its interval covers the truth.
func TestStepModelsHeavyTails(t *testing.T) {
	sets, n := 12, 1500
	if os.Getenv("SYNGEOM_LONG") != "" {
		sets, n = 100, 3000
	}
	for _, c := range []struct {
		truth  geometry.Potential
		lambda float64
		step   float64
	}{{geometry.NegEntropy{}, 0, 0.2}, {geometry.PNorm{P: 2}, 1, 0.1}} {
		st := runStepStudy(t, c.truth, c.lambda, c.step, 3, n, sets, 1000)
		if st.failed > 0 {
			t.Errorf("%s: %d data sets without both step models", c.truth.Name(), st.failed)
		}
		if !(st.spreadT < 0.8*st.spreadG) {
			t.Errorf("%s: spread of λ̂ under t steps: t model %.4f, Gaussian %.4f", c.truth.Name(), st.spreadT, st.spreadG)
		}
		if math.Abs(st.meanT-c.lambda) > 3*st.spreadT/math.Sqrt(float64(st.sets))+0.01 {
			t.Errorf("%s: mean λ̂ of the t model %.4f, truth %g", c.truth.Name(), st.meanT, c.lambda)
		}
		if st.preferT < 0.9 || st.medianNu < 2 || st.medianNu > 4.5 {
			t.Errorf("%s: prefers t in %.2f, median ν̂ %.3g (truth 3)", c.truth.Name(), st.preferT, st.medianNu)
		}
		if st.coverT < 0.75 {
			t.Errorf("%s: the t interval covers the truth in %.2f", c.truth.Name(), st.coverT)
		}
	}
}

// TestStepModelsGaussian: under Gaussian steps the t model finds a large ν
// and the Gaussian model is preferred in most data sets, with λ̂ barely
// moving.
func TestStepModelsGaussian(t *testing.T) {
	sets, n := 10, 1500
	if os.Getenv("SYNGEOM_LONG") != "" {
		sets, n = 100, 3000
	}
	for _, c := range []struct {
		truth  geometry.Potential
		lambda float64
		step   float64
	}{{geometry.NegEntropy{}, 0, 0.2}, {geometry.PNorm{P: 2}, 1, 0.1}} {
		st := runStepStudy(t, c.truth, c.lambda, c.step, 0, n, sets, 2000)
		if st.preferT > 0.3 || st.medianNu < 30 {
			t.Errorf("%s: Gaussian steps: prefer t in %.2f, median ν̂ %.3g", c.truth.Name(), st.preferT, st.medianNu)
		}
		if st.spreadT > 1.3*st.spreadG || math.Abs(st.widthT/st.widthG-1) > 0.2 {
			t.Errorf("%s: Gaussian steps: spread t %.4f vs Gaussian %.4f, width t %.4f vs %.4f", c.truth.Name(), st.spreadT, st.spreadG, st.widthT, st.widthG)
		}
	}
}

// TestStepModelsResult: the step models appear in the result and its JSON,
// the Gaussian entry equals the headline estimate on data that are not
// subsampled, the verdict names the preferred model, and a subsample gives
// an interval of about the full-data width.
func TestStepModelsResult(t *testing.T) {
	p, err := datasets.DualShift{Potential: geometry.NegEntropy{}, Init: datasets.LogNormal{SDLog: 0.5}, Step: 0.2, StepDF: 3,
		N: 4000, Seed: 7}.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	r, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: -1})
	if err != nil {
		t.Fatal(err)
	}
	sm := r.StepModels
	if sm == nil || sm.Status != "ok" {
		t.Fatalf("step models: %+v", sm)
	}
	// The data prefer t steps: the headline is the t model's, and the
	// Gaussian headline it replaced is kept beside it.
	li := r.LambdaInterval
	if li.Method != "student_t_lr" || *r.LambdaHat != *sm.StudentT.LambdaHat || *r.LambdaCI[0] != *sm.StudentT.LambdaCI[0] ||
		*r.PHat != *r.LambdaHat+1 || sm.Gaussian.LRTests == nil {
		t.Errorf("headline %v %v (%s) vs Student-t entry %+v", *r.LambdaHat, r.LambdaCI, li.Method, sm.StudentT)
	}
	if *sm.Gaussian.LambdaHat != *li.GaussianLambdaHat || *sm.Gaussian.LambdaCI[0] != *li.LRCI[0] || sm.Subsampled || sm.N != 4000 {
		t.Errorf("Gaussian entry %+v vs Gaussian headline %v, LR interval %v", sm.Gaussian, *li.GaussianLambdaHat, li.LRCI)
	}
	if sm.Preferred != "student_t" || *sm.StudentT.AIC >= *sm.Gaussian.AIC || *sm.StudentT.LogLik <= *sm.Gaussian.LogLik {
		t.Errorf("preferred %s, AIC t %v vs Gaussian %v", sm.Preferred, *sm.StudentT.AIC, *sm.Gaussian.AIC)
	}
	if !containsAll(r.Verdict, "Student-t", "ν̂") {
		t.Errorf("verdict: %s", r.Verdict)
	}
	t.Log(r.Verdict)
	b, err := json.Marshal(r)
	if err != nil || !containsAll(string(b), `"step_models"`, `"student_t"`, `"nu_hat"`) {
		t.Errorf("JSON: %v", err)
	}
	// A subsample of a quarter: the intervals are the subsample's, about
	// √(n/m) = 2 times wider than on every pair.
	rs, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: -1, SampleMax: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ss := rs.StepModels
	if !ss.Subsampled || ss.N >= 2000 || ss.Note == "" {
		t.Fatalf("subsampled step models: %+v", ss)
	}
	// Its note names the headline it took, the Student-t estimate.
	if !strings.Contains(ss.Note, "the headline is the Student-t estimate of this subsample") || strings.Contains(ss.Note, "Gaussian estimate on every pair is the headline") {
		t.Errorf("subsampled step models' note: %s", ss.Note)
	}
	// The headline t interval on a subsample is that of the subsample,
	// about √(n/m) = 2 times wider, and says so.
	wHead := *rs.LambdaCI[1] - *rs.LambdaCI[0]
	if rs.LambdaInterval.Method != "student_t_lr" || !strings.Contains(rs.LambdaInterval.Note, "subsample") {
		t.Errorf("subsampled headline: %+v", rs.LambdaInterval)
	}
	wFull := *sm.StudentT.LambdaCI[1] - *sm.StudentT.LambdaCI[0]
	if r := wHead / wFull; r < 1.4 || r > 2.8 {
		t.Errorf("subsampled headline width %.4f, full %.4f", wHead, wFull)
	}
	for _, m := range [][2]*testgeom.StepModel{{&sm.Gaussian, &ss.Gaussian}, {&sm.StudentT, &ss.StudentT}} {
		wAll := *m[0].LambdaCI[1] - *m[0].LambdaCI[0]
		wSub := *m[1].LambdaCI[1] - *m[1].LambdaCI[0]
		if r := wSub / wAll; r < 1.4 || r > 2.8 {
			t.Errorf("step model interval width: every pair %.4f, subsample %.4f", wAll, wSub)
		}
	}
	// The step model's t interval and the t headline are one interval.
	if math.Abs(*ss.StudentT.LambdaCI[0]-*rs.LambdaCI[0]) > 1e-9 || math.Abs(*ss.StudentT.LambdaCI[1]-*rs.LambdaCI[1]) > 1e-9 {
		t.Errorf("subsampled t interval [%v, %v], headline [%v, %v]", *ss.StudentT.LambdaCI[0], *ss.StudentT.LambdaCI[1], *rs.LambdaCI[0], *rs.LambdaCI[1])
	}
	// The same on any number of workers.
	for _, w := range []int{1, 3} {
		rw, _ := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: -1, Workers: w})
		if !reflect.DeepEqual(rw.StepModels, sm) {
			t.Errorf("workers %d: %+v vs %+v", w, rw.StepModels, sm)
		}
	}
	// Skipped on request.
	rn, _ := testgeom.TestPaired(p.Before, p.After, testgeom.Options{NullReplicates: -1, NoStepModels: true})
	if rn.StepModels != nil {
		t.Error("NoStepModels ignored")
	}
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

// TestStepModelsCoverage (long): coverage of the Student-t model's 95%
// profile interval under t(3) and t(5) steps, NE and Euclidean truths and
// n = 300, 3,000 and 30,000.
func TestStepModelsCoverage(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") == "" {
		t.Skip("long: set SYNGEOM_LONG=1")
	}
	for _, c := range []struct {
		truth  geometry.Potential
		lambda float64
		step   float64
	}{{geometry.NegEntropy{}, 0, 0.2}, {geometry.PNorm{P: 2}, 1, 0.1}} {
		for _, df := range []float64{3, 5} {
			for _, n := range []int{300, 3000, 30000} {
				sets := 100
				if n > 10000 {
					sets = 40
				}
				st := runStepStudy(t, c.truth, c.lambda, c.step, df, n, sets, 5000)
				if st.coverT < 0.85 {
					t.Errorf("%s, t(%g), n %d: coverage %.2f", c.truth.Name(), df, n, st.coverT)
				}
			}
		}
	}
}

// When many steps are exactly zero (unchanged weights), the Student-t
// likelihood has no maximum (ν̂ runs to its lower bound): the step models
// say so and the headline stays the Gaussian model's.
func TestStepModelsAtomOfUnchangedWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 4000
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = math.Exp(rng.NormFloat64())
		w1[i] = w0[i]
		if i%5 >= 2 { // 40% unchanged
			w1[i] = w0[i] * math.Exp(0.1*rng.NormFloat64())
		}
	}
	r, err := testgeom.TestPaired(w0, w1, testgeom.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sm := r.StepModels
	if sm == nil || !strings.Contains(sm.Status, "lower bound") || !strings.Contains(sm.Status, "1600 of the 4000 steps") {
		t.Fatalf("step models %+v", sm)
	}
	if r.LambdaInterval != nil && r.LambdaInterval.StudentT() {
		t.Errorf("the headline is the Student-t model's: %+v", r.LambdaInterval)
	}
}
