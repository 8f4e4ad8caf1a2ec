package testgeom

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

func readPairs(t testing.TB, path string) (w0, w1 []float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		a, err1 := strconv.ParseFloat(r[0], 64)
		b, err2 := strconv.ParseFloat(r[1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad row %v", path, r)
		}
		w0, w1 = append(w0, a), append(w1, b)
	}
	return w0, w1
}

type paperReference struct {
	N          int `json:"n"`
	Candidates []struct {
		Name         string  `json:"name"`
		DCDF         float64 `json:"dcdf"`
		DCDFCentered float64 `json:"dcdf_centered"`
		Magnitude    float64 `json:"magnitude"`
	} `json:"candidates"`
}

// TestPaperReference compares the paper's three statistics with values
// computed by the authors' own code, for all 21 candidates, within 1e-9.
func TestPaperReference(t *testing.T) {
	files, _ := filepath.Glob("testdata/paper/pairs_*.json")
	if len(files) != 4 {
		t.Fatalf("want 4 reference files, found %d", len(files))
	}
	for _, jf := range files {
		var ref paperReference
		b, err := os.ReadFile(jf)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &ref); err != nil {
			t.Fatal(err)
		}
		w0, w1 := readPairs(t, jf[:len(jf)-len(".json")]+".csv")
		res, err := TestPaired(w0, w1, Options{NullReplicates: -1, SampleMax: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Candidates) != len(ref.Candidates) {
			t.Fatalf("%s: %d candidates, want %d", jf, len(res.Candidates), len(ref.Candidates))
		}
		worst := 0.0
		for i, rc := range ref.Candidates {
			c := res.Candidates[i]
			if c.Name != rc.Name {
				t.Fatalf("%s: candidate %d is %s, want %s", jf, i, c.Name, rc.Name)
			}
			if c.N != int64(ref.N) {
				t.Errorf("%s %s: n = %d, want %d", jf, c.Name, c.N, ref.N)
			}
			for _, v := range []struct {
				what string
				got  *float64
				want float64
			}{{"dcdf", c.DCDF, rc.DCDF}, {"dcdf_centered", c.DCDFCentered, rc.DCDFCentered}, {"magnitude", c.Magnitude, rc.Magnitude}} {
				if v.got == nil {
					t.Errorf("%s %s: %s is null (%s)", jf, c.Name, v.what, c.Status)
					continue
				}
				d := math.Abs(*v.got - v.want)
				worst = math.Max(worst, d)
				if d > 1e-9 {
					t.Errorf("%s %s: %s = %.17g, want %.17g (diff %.3g)", jf, c.Name, v.what, *v.got, v.want, d)
				}
			}
		}
		t.Logf("%s: largest absolute difference %.3g", filepath.Base(jf), worst)
	}
}

// sortedDCDF is the paper's computation written out literally: for every
// grid point count the z strictly below it.
func sortedDCDF(z []float64) float64 {
	var diff [gridPoints]float64
	for k, x := range gridX {
		c := 0
		for _, v := range z {
			if x > v {
				c++
			}
		}
		diff[k] = math.Abs(float64(c)/float64(len(z)) - gridPhi[k])
	}
	return pairwiseSum(diff[:]) * gridH
}

func TestGridBinMatchesStrictComparison(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var z []float64
	for k := range gridX { // values exactly on, just below and just above grid points
		z = append(z, gridX[k], math.Nextafter(gridX[k], -10), math.Nextafter(gridX[k], 10))
	}
	for range 5000 {
		z = append(z, 3*rng.NormFloat64())
	}
	z = append(z, -7, 7, -5, 5, math.Inf(1), math.Inf(-1))
	var c gridCounts
	for _, v := range z {
		b := gridBin(v)
		if b < gridPoints && !(gridX[b] > v) || b > 0 && gridX[b-1] > v {
			t.Fatalf("gridBin(%v) = %d is not the first point above", v, b)
		}
		c[b]++
	}
	if got, want := c.dcdf(int64(len(z))), sortedDCDF(z); got != want {
		t.Fatalf("binned ΔCDF %.17g differs from the sorted computation %.17g", got, want)
	}
}

func TestGridIsNumpyLinspace(t *testing.T) {
	if gridX[0] != -5 || gridX[999] != 5 || gridX[500] != float64(500)*(10.0/999)-5 {
		t.Fatalf("grid end points or midpoint wrong: %v %v %v", gridX[0], gridX[999], gridX[500])
	}
	if math.Abs(gridH-10.0/999) > 1e-15 {
		t.Fatalf("h = %v", gridH)
	}
}

// Shards cut anywhere give the same statistics up to rounding in the
// chunks; the exact identity of shard splits is TestShardIdentity's.
func TestScanMergeInvariance(t *testing.T) {
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(7, 7)), 50000, "lognormal", geometry.NegEntropy{})
	w0[10], w1[20] = 0, 0 // zeros go through the slow path
	one := NewScan(nil, 1)
	one.Add(w0, w1)
	sec1 := one.SecondPass(1000, 3)
	sec1.Add(w0, w1)

	a, b := NewScan(nil, 2), NewScan(nil, 2)
	a.Add(w0[:12345], w1[:12345])
	b.Add(w0[12345:30000], w1[12345:30000])
	b.Add(w0[30000:], w1[30000:])
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	sa, sb := a.SecondPass(1000, 3), a.SecondPass(1000, 3)
	sa.Add(w0[:40000], w1[:40000])
	sb.SetPosition(40000)
	sb.Add(w0[40000:], w1[40000:])
	if err := sa.Merge(sb); err != nil {
		t.Fatal(err)
	}
	sec1.finish()
	sa.finish()
	for c := range one.plans {
		m1, g1 := one.candTotals(c)
		m2, g2 := a.candTotals(c)
		if m1.n != m2.n || !relClose(m1.mean, m2.mean, 1e-12) || !relClose(m1.m2, m2.m2, 1e-12) || !relClose(g1, g2, 1e-12) {
			t.Errorf("candidate %d: moments %+v %v vs %+v %v", c, m1, g1, m2, g2)
		}
		if sec1.unc[c] != sa.unc[c] || sec1.cen[c] != sa.cen[c] {
			t.Errorf("candidate %d: grid counts differ between batchings", c)
		}
	}
	if len(sec1.sample0) != len(sa.sample0) {
		t.Fatalf("sample sizes %d vs %d", len(sec1.sample0), len(sa.sample0))
	}
	if n := len(sec1.sample0); n < 800 || n > 1200 {
		t.Errorf("sample of %d pairs, want about 1000", n)
	}
	for k, m := range one.final().grid {
		if !relClose(m.m2, a.final().grid[k].m2, 1e-12) {
			t.Errorf("ladder %d: m2 %v vs %v", k, m.m2, a.final().grid[k].m2)
		}
	}
}

func relClose(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(8, 8)), 2000, "normal", geometry.PNorm{P: 2})
	opts := Options{Bootstrap: 20, NullReplicates: 50, Seed: 5, Workers: 1}
	r1, err := TestPaired(w0, w1, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Workers = 3
	r3, _ := TestPaired(w0, w1, opts)
	j1, _ := json.Marshal(r1)
	j3, _ := json.Marshal(r3)
	if string(j1) != string(j3) {
		t.Fatal("JSON differs between 1 and 3 workers")
	}
}

// Pairs that repeat exactly (weights stored in bfloat16, unchanged weights,
// rounded measurements) are kept each on its own: a sample chosen by the
// values alone would keep all copies of a pair or none, so half the data
// being one repeated pair would give a sample of all or nothing of it.
func TestSampleKeepsRepeatedPairsIndependently(t *testing.T) {
	const n = 200000
	rng := rand.New(rand.NewPCG(21, 4))
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		if i%2 == 0 {
			w0[i], w1[i] = 1, 1
		} else {
			w0[i] = math.Exp(rng.NormFloat64())
			w1[i] = w0[i] * math.Exp(0.1*rng.NormFloat64())
		}
	}
	sc := NewScan(nil, 2)
	sc.Add(w0, w1)
	sec := sc.SecondPass(10000, 1)
	sec.Add(w0, w1)
	s0, s1 := sec.Sample()
	rep := 0
	for i := range s0 {
		if s0[i] == 1 && s1[i] == 1 {
			rep++
		}
	}
	// Binomial: the size is 10000 ± 100 (sd), the repeated share 0.5 ± 0.005.
	if m := len(s0); m < 9500 || m > 10500 {
		t.Errorf("sample of %d pairs, want about 10000", m)
	}
	if f := float64(rep) / float64(len(s0)); math.Abs(f-0.5) > 0.03 {
		t.Errorf("the repeated pair is %.3f of the sample, want about 0.5", f)
	}
}
