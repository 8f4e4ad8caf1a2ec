package testgeom_test

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"

	"github.com/syngeom/syngeom/testgeom"
)

// melanderPairs reads the consecutive-session pairs of Melander et al. 2021
// (testdata/README.md) with a cell-type index (0 pyr, 1 pv) and a cluster
// per chain of pairs: the rows are ordered by synapse and session, so a pair
// whose before equals the previous pair's after continues the same synapse.
// A synapse absent in a session starts a new chain, so clusters are slightly
// finer than synapses.
func melanderPairs(t testing.TB) (w0, w1 []float64, cell, cluster []int32) {
	f, err := os.Open("testdata/melander2021_consecutive.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var c int32 = -1
	for k, r := range rows[1:] {
		a, err1 := strconv.ParseFloat(r[1], 64)
		b, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad row %v", r)
		}
		if k == 0 || a != w1[len(w1)-1] || r[0] != rows[k][0] {
			c++
		}
		ct := int32(0)
		if r[0] == "pv" {
			ct = 1
		}
		w0, w1, cell, cluster = append(w0, a), append(w1, b), append(cell, ct), append(cluster, c)
	}
	return
}

// TestMelanderGroupComparison: the LR test of one λ for pyramidal and PV
// synapses. Each cell type alone places λ̂ between NE and Euclidean near
// 0.2–0.25 (see TestMelanderPairs); the two estimates do not differ
// significantly (p ≈ 0.25 when computed).
func TestMelanderGroupComparison(t *testing.T) {
	w0, w1, cell, _ := melanderPairs(t)
	r, err := testgeom.CompareGroups(w0, w1, cell, []string{"pyr", "pv"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Groups {
		t.Logf("%s: n %d, λ̂ %.4f [%.4f, %.4f], se %.4f", g.Group, g.N, *g.LambdaHat, *g.LambdaCI[0], *g.LambdaCI[1], *g.SE)
	}
	t.Log(r.Verdict)
	if r.LRPValue == nil || *r.LRPValue < 0.05 || r.Groups[0].N != 3010 || r.Groups[1].N != 2699 {
		t.Errorf("common-λ test p = %v, groups %+v", r.LRPValue, r.Groups)
	}
}

// TestLongMelanderNoise reports the noise-corrected λ̂ of each cell type
// under multiplicative imaging noise of CV 10% and 20% (the range of
// single-session imaging), with the interval widened for the reuse of
// synapses across consecutive pairs. These numbers are quoted in
// docs/noise.md.
func TestLongMelanderNoise(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the noise correction on the Melander data")
	}
	w0, w1, cell, cluster := melanderPairs(t)
	for ci, name := range []string{"pyr", "pv"} {
		var a, b []float64
		var cl []int32
		for i := range w0 {
			if int(cell[i]) == ci {
				a, b, cl = append(a, w0[i]), append(b, w1[i]), append(cl, cluster[i])
			}
		}
		for _, cv := range []float64{0.1, 0.2} {
			r, err := testgeom.CorrectNoise(a, b, testgeom.NoiseModel{CV: cv}, "assumed", testgeom.NoiseOptions{Clusters: cl, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if r.Lambda == nil {
				t.Logf("%s CV %.1f: %s", name, cv, r.Status)
				continue
			}
			t.Logf("%s CV %.1f (%d pairs, %d chains): naive %.3f [%.3f, %.3f]; corrected %.3f [%.3f, %.3f], design effect %.2f",
				name, cv, len(a), int(cl[len(cl)-1]-cl[0]+1), *r.NaiveLambda, val(r.NaiveCI[0]), val(r.NaiveCI[1]),
				*r.Lambda, val(r.LambdaCI[0]), val(r.LambdaCI[1]), val(r.Indirect.DesignEffect))
		}
	}
}
