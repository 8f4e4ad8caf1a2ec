package testgeom

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// twoPointNE draws n weights from a two-point initial law (c = 0.3 with
// probability 0.6, c = 1 otherwise) moved by N(0, 0.4²) in NE dual space.
func twoPointNE(rng *rand.Rand, n int) []float64 {
	w := make([]float64, n)
	ne := geometry.NegEntropy{}
	for i := range w {
		c := 1.0
		if rng.Float64() < 0.6 {
			c = 0.3
		}
		w[i] = ne.Inverse(ne.Dual(c)+0.4*rng.NormFloat64(), 1)
	}
	return w
}

// TestSnapshotTwoPointNE: data from a two-point initial law under NE. The
// NE fit with K = 2 must recover the positions and σ (within 10%), NE must
// win by BIC, and Euclidean must be ruled out for needing negative weights.
func TestSnapshotTwoPointNE(t *testing.T) {
	w := twoPointNE(rand.New(rand.NewPCG(1, 2)), 3000)
	r, err := TestSnapshot(w, SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Best != "NE" {
		t.Errorf("best by BIC %s, want NE", r.Best)
	}
	ne := r.find("NE")
	if ne.BestK != 2 {
		t.Errorf("NE best K = %d, want 2", ne.BestK)
	}
	f := ne.Fits[1]
	for _, c := range []struct{ got, want float64 }{{f.Positions[0], 0.3}, {f.Positions[1], 1}, {*f.Sigma, 0.4}, {f.Weights[0], 0.6}} {
		if math.Abs(c.got-c.want) > 0.1*c.want {
			t.Errorf("NE K=2 fit %+v: %v, want %v", f, c.got, c.want)
		}
	}
	eu := r.find("p=2.0")
	if !eu.RuledOut || !strings.Contains(strings.Join(eu.Reasons, " "), "below zero") {
		t.Errorf("Euclidean not ruled out for negative mass: %v (P(w<0) = %v)", eu.Reasons, *eu.Fits[eu.BestK-1].PBelowZero)
	}
	if !strings.Contains(r.Verdict, "Euclidean geometry is ruled out") || !strings.Contains(r.Verdict, "Conditional on") {
		t.Errorf("verdict: %s", r.Verdict)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotTruncated: the same law observed above a detection limit at
// its 20th percentile. The truncated NE fit must still recover the upper
// position and σ (within 15%), and NE must win.
func TestSnapshotTruncated(t *testing.T) {
	w := twoPointNE(rand.New(rand.NewPCG(3, 4)), 4000)
	L := 0.25
	r, err := TestSnapshot(w, SnapshotOptions{DetectionLimit: L, Candidates: familyCandidates})
	if err != nil {
		t.Fatal(err)
	}
	if r.Excluded["below_detection_limit"] == 0 {
		t.Fatal("no values counted below the limit")
	}
	if r.Best != "NE" {
		t.Errorf("best %s, want NE", r.Best)
	}
	f := r.find("NE").Fits[1]
	if math.Abs(f.Positions[1]-1) > 0.15 || math.Abs(*f.Sigma-0.4) > 0.06 {
		t.Errorf("truncated NE fit: positions %v, σ %v", f.Positions, *f.Sigma)
	}
	if f.PBelowLimit == nil || *f.PBelowLimit <= 0 {
		t.Errorf("no predicted mass below the limit")
	}
}

// TestSnapshotK1Closed: without truncation the K = 1 fit is closed form:
// mean and (n) variance of the duals, and the log-likelihood of a
// log-normal sample under NE equals the log-normal log-likelihood.
func TestSnapshotK1Closed(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	w := make([]float64, 500)
	for i := range w {
		w[i] = math.Exp(0.2 + 0.7*rng.NormFloat64())
	}
	r, err := TestSnapshot(w, SnapshotOptions{Candidates: []geometry.Potential{geometry.NegEntropy{}}})
	if err != nil {
		t.Fatal(err)
	}
	f := r.Candidates[0].Fits[0]
	var s, ss float64
	for _, v := range w {
		s += math.Log(v)
	}
	mu := s / 500
	for _, v := range w {
		ss += (math.Log(v) - mu) * (math.Log(v) - mu)
	}
	sig := math.Sqrt(ss / 500)
	ll := 0.0
	for _, v := range w {
		z := (math.Log(v) - mu) / sig
		ll += -z*z/2 - math.Log(sig*v*math.Sqrt(2*math.Pi))
	}
	if math.Abs(*f.Sigma-sig) > 1e-12 || math.Abs(f.Positions[0]-math.Exp(mu)) > 1e-9 || math.Abs(*f.LogLik-ll) > 1e-8 {
		t.Errorf("K=1 NE: σ %v (want %v), position %v (want %v), loglik %v (want %v)", *f.Sigma, sig, f.Positions[0], math.Exp(mu), *f.LogLik, ll)
	}
}

// micronsCells reads the MICrONS sizes per postsynaptic cell, in file order.
func micronsCells(t *testing.T) (order []string, cells map[string][]float64) {
	f, err := os.Open("testdata/microns/minnie65_3cells_sizes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cells = map[string][]float64{}
	for _, row := range rows[1:] {
		v, err := strconv.ParseFloat(row[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := cells[row[0]]; !ok {
			order = append(order, row[0])
		}
		cells[row[0]] = append(cells[row[0]], v)
	}
	return order, cells
}

// TestSnapshotMICrONS fits the first MICrONS cell (2,344 cleft sizes,
// detection limit 160 voxels) under NE and Euclidean: Euclidean must be
// ruled out and NE preferred.
func TestSnapshotMICrONS(t *testing.T) {
	order, cells := micronsCells(t)
	r, err := TestSnapshot(cells[order[0]], SnapshotOptions{DetectionLimit: 160, Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 2344 || r.Best != "NE" || !r.find("p=2.0").RuledOut {
		t.Errorf("n %d, best %s, Euclidean ruled out %v", r.N, r.Best, r.find("p=2.0").RuledOut)
	}
}

// TestLongSnapshotMICrONS logs what the default geometries (NE, p = 1.5,
// 2, 2.5, 3) imply for each of the three MICrONS cells; Euclidean must be
// ruled out in every cell.
func TestLongSnapshotMICrONS(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to fit all three MICrONS cells")
	}
	order, cells := micronsCells(t)
	for _, cell := range order {
		r, err := TestSnapshot(cells[cell], SnapshotOptions{DetectionLimit: 160})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Candidates {
			fb := c.Fits[c.BestK-1]
			t.Logf("cell %s n=%d %s: K=%d positions %.4g weights %.3g σ %.4g loglik %.1f ΔBIC %.1f P(w<0) %.3g P(w<160) %.3g ruled out %v %v",
				cell, c.N, c.Name, c.BestK, fb.Positions, fb.Weights, *fb.Sigma, *fb.LogLik, *c.DeltaBIC, *fb.PBelowZero, *fb.PBelowLimit, c.RuledOut, c.Reasons)
		}
		t.Logf("cell %s: %s", cell, r.Verdict)
		if e := r.find("p=2.0"); !e.RuledOut {
			t.Errorf("cell %s: Euclidean not ruled out", cell)
		}
	}
}

// The verdict states the rule for "ruled out", and under a one-point
// initial law the continuous estimate recovers the exponent.
func TestSnapshotRuleAndEstimate(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	const lam = 0.5
	x := make([]float64, 800)
	for i := range x {
		// g(w) = w^λ Gaussian around g(1) = 1, far from 0.
		x[i] = math.Pow(1+0.1*rng.NormFloat64(), 1/lam)
	}
	r, err := TestSnapshot(x, SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.RuledOutRule, "below zero") || !strings.Contains(r.RuledOutRule, "BIC") || !strings.Contains(r.Verdict, "Rule: "+r.RuledOutRule) {
		t.Errorf("rule %q, verdict %q", r.RuledOutRule, r.Verdict)
	}
	e := r.Estimate
	if e == nil || e.Lambda == nil || e.LambdaCI[0] == nil || e.LambdaCI[1] == nil || *e.LambdaCI[0] > lam || *e.LambdaCI[1] < lam ||
		*e.LambdaCI[1]-*e.LambdaCI[0] > 1 || !strings.Contains(r.Verdict, "λ̂ = ") {
		t.Errorf("estimate %+v for a true λ = %v; verdict %q", e, lam, r.Verdict)
	}
	if e != nil && e.Lambda != nil {
		t.Logf("λ̂ = %.3f [%.3f, %.3f]", *e.Lambda, *e.LambdaCI[0], *e.LambdaCI[1])
	}
}
