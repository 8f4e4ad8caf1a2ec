package power

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/testgeom"
)

var song = datasets.LogNormal{MeanLog: -0.702, SDLog: 0.9355}

// TestPlannerEqualsDirectLoop: the planner's table equals a plain loop that
// simulates each experiment with datasets.DualShift at SimSeed, runs
// testgeom.TestPaired with the same options and tallies by hand; and the
// table does not depend on the number of workers.
func TestPlannerEqualsDirectLoop(t *testing.T) {
	cands := []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 1.5}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}}
	d := Design{Ns: []int{40, 150}, Init: song, Truth: geometry.NegEntropy{}, Step: 0.15, NoiseCV: 0.1,
		Sims: 8, Test: testgeom.Options{Seed: 42, Candidates: cands, NullReplicates: 30, Workers: 2}}
	got, err := d.Run()
	if err != nil {
		t.Fatal(err)
	}
	d1 := d
	d1.Test.Workers = 1
	got1, err := d1.Run()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, got1) {
		t.Fatal("the table differs between 1 and 2 workers")
	}
	var want []Row
	for _, n := range d.Ns {
		var rightD, rightL, rejD, rejL int
		var widths []float64
		for s := 0; s < d.Sims; s++ {
			seed := SimSeed(42, n, s)
			p, err := datasets.DualShift{Potential: geometry.NegEntropy{}, Init: song, Step: 0.15, NoiseCV: 0.1, N: n, Seed: seed}.Simulate()
			if err != nil {
				t.Fatal(err)
			}
			r, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{Candidates: cands, NullReplicates: 30, Seed: seed, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if r.BestByDCDF == "NE" || r.BestByDCDF == "p=1.5" {
				rightD++
			}
			for _, c := range r.Candidates {
				if c.Name == "p=2.0" && *c.DCDFPValue < 0.05 {
					rejD++
				}
			}
			if r.LambdaHat != nil && *r.LambdaHat <= 0.5 {
				rightL++
			}
			if *r.LRTests.Euclidean.PValue < 0.05 {
				rejL++
			}
			widths = append(widths, *r.LambdaCI[1]-*r.LambdaCI[0])
		}
		fr := func(k int) *float64 { v := float64(k) / float64(d.Sims); return &v }
		med := median(widths)
		want = append(want,
			Row{N: n, Method: MethodDCDF, Sims: d.Sims, PRightFamily: fr(rightD), PRejectEuclidean: fr(rejD), RejectNote: "calibrated ΔCDF p < 0.05 at p = 2"},
			Row{N: n, Method: MethodLikelihood, Sims: d.Sims, PRightFamily: fr(rightL), PRejectEuclidean: fr(rejL), MedianCIWidth: &med, RejectNote: "likelihood-ratio test of λ = 1, p < 0.05"})
	}
	if !reflect.DeepEqual(got.Rows, want) {
		g, _ := json.Marshal(got.Rows)
		w, _ := json.Marshal(want)
		t.Fatalf("planner\n%s\ndirect loop\n%s", g, w)
	}
}

func median(x []float64) float64 {
	s := append([]float64(nil), x...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// TestPlannerUnpairedEqualsDirectLoop: the same for the unpaired design,
// where the after sample comes from a second simulation (different
// synapses) seeded SimSeed ^ AfterSeedTag.
func TestPlannerUnpairedEqualsDirectLoop(t *testing.T) {
	cands := []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}}
	d := Design{Ns: []int{300}, Init: song, Truth: geometry.PNorm{P: 2}, Step: 0.3, Sims: 4, Test: testgeom.Options{Seed: 7, Candidates: cands}, Unpaired: true}
	got, err := d.Run()
	if err != nil {
		t.Fatal(err)
	}
	right, rej := 0, 0
	for s := 0; s < d.Sims; s++ {
		seed := SimSeed(7, 300, s)
		sim := datasets.DualShift{Potential: geometry.PNorm{P: 2}, Init: song, Step: 0.3, N: 300, Seed: seed}
		p, err := sim.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		sim.Seed = seed ^ AfterSeedTag
		q, err := sim.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		r, err := testgeom.TestUnpaired(p.Before, q.After, testgeom.UnpairedOptions{Candidates: cands, Seed: seed, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if r.BestByDistance == "p=2.0" {
			right++
		}
		for _, c := range r.Candidates {
			if c.Name == "p=2.0" && !c.CanExplain {
				rej++
			}
		}
	}
	row := got.Rows[0]
	if len(got.Rows) != 1 || row.Method != MethodUnpairedDistance || *row.PRightFamily != float64(right)/4 || *row.PRejectEuclidean != float64(rej)/4 || row.MedianCIWidth != nil {
		t.Fatalf("planner row %+v; direct loop: right %d, rejected %d of 4", row, right, rej)
	}
}

// TestPlannerPower: with a clear multiplicative change at n = 1000 the
// likelihood names NE and rejects Euclidean in (nearly) every simulation;
// under a true Euclidean geometry it rejects Euclidean at about the 5% level
// (at most 6 of 30, a generous binomial bound).
func TestPlannerPower(t *testing.T) {
	cands := []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}}
	for _, c := range []struct {
		truth     geometry.Potential
		step      float64
		minRight  float64
		rejectLim [2]float64
	}{
		{geometry.NegEntropy{}, 0.2, 0.9, [2]float64{0.9, 1}},
		{geometry.PNorm{P: 2}, 0.1, 0.9, [2]float64{0, 0.2}},
	} {
		d := Design{Ns: []int{1000}, Init: song, Truth: c.truth, Step: c.step, Sims: 30, Test: testgeom.Options{Seed: 3, Candidates: cands}}
		res, err := d.Run()
		if err != nil {
			t.Fatal(err)
		}
		lik := res.Rows[1]
		t.Logf("truth %s, %s: right family %.2f, Euclidean rejected %.2f, median width %.3f", c.truth.Name(), lik.Method, *lik.PRightFamily, *lik.PRejectEuclidean, *lik.MedianCIWidth)
		if *lik.PRightFamily < c.minRight || *lik.PRejectEuclidean < c.rejectLim[0] || *lik.PRejectEuclidean > c.rejectLim[1] {
			t.Errorf("truth %s: right family %.2f, Euclidean rejected %.2f", c.truth.Name(), *lik.PRightFamily, *lik.PRejectEuclidean)
		}
		if w := *lik.MedianCIWidth; !(w > 0 && w < 1) || math.IsNaN(w) {
			t.Errorf("median interval width %v", w)
		}
	}
}

func TestPlannerErrors(t *testing.T) {
	for _, d := range []Design{
		{Init: song, Truth: geometry.NegEntropy{}, Sims: 1},
		{Ns: []int{100}, Truth: geometry.NegEntropy{}, Sims: 1},
		{Ns: []int{100}, Init: song, Truth: geometry.Hypentropy{Beta: 1}, Sims: 1},
		{Ns: []int{5}, Init: song, Truth: geometry.NegEntropy{}, Sims: 1},
		{Ns: []int{100}, Init: song, Truth: geometry.NegEntropy{}},
	} {
		if _, err := d.Run(); err == nil {
			t.Errorf("%+v: no error", d)
		} else if _, ok := err.(*ParamError); !ok || !errors.Is(err, inputerr.ErrInput) {
			t.Errorf("%+v: error %v is not an input error", d, err)
		}
	}
}
