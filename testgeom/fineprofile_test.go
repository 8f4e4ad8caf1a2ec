package testgeom

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// The one-pass fine ladder must give the same λ̂ and 95% interval as the
// exact refinement (one pass per evaluation of ℓ), within 1e-4 in λ, on
// data on both sides of NE, with sign flips, from the paper's simulation and
// on the real Melander pairs; and it must not fall back on the exact
// evaluation in these regular cases.
func TestFineProfileMatchesExact(t *testing.T) {
	type set struct {
		name   string
		w0, w1 []float64
	}
	var sets []set
	for i, lam := range []float64{-0.8, -0.3, 0, 0.45, 1, 2.2} {
		for _, n := range []int{300, 4000, 100000} {
			w0, w1 := boxCoxPairs(rand.New(rand.NewPCG(uint64(i), uint64(n))), n, lam, 0.05)
			sets = append(sets, set{"boxcox " + strconv.FormatFloat(lam, 'g', -1, 64) + " n=" + strconv.Itoa(n), w0, w1})
		}
	}
	for i, truth := range []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}} {
		for _, init := range []string{"lognormal", "normal"} {
			w0, w1 := simulatePaper(stream(uint64(i), 5, 5), 1000, init, truth)
			sets = append(sets, set{"paper " + truth.Name() + " " + init, w0, w1})
		}
	}
	if f, err := os.Open("testdata/melander2021_consecutive.csv"); err == nil {
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var w0, w1 []float64
		for _, r := range rows[1:] {
			a, _ := strconv.ParseFloat(r[1], 64)
			b, _ := strconv.ParseFloat(r[2], 64)
			w0, w1 = append(w0, a), append(w1, b)
		}
		sets = append(sets, set{"melander", w0, w1})
	}
	worst := 0.0
	for _, s := range sets {
		sc := NewScan([]geometry.Potential{}, 2)
		sc.Add(s.w0, s.w1)
		exact := fitProfile(sc.final().gridLogLik(), newLikPairs(s.w0, s.w1, 2).logLik, true)
		sec := sc.SecondPass(0, 0)
		sec.Add(s.w0, s.w1)
		fp := sec.fineProfile(lazyExact(s.w0, s.w1, 2))
		fast := fitProfile(fp.grid, fp.logLik, true)
		if !exact.ok || !fast.ok || !fp.ok {
			t.Errorf("%s: exact %q, fine %q (ladder evaluated: %v)", s.name, exact.status, fast.status, fp.ok)
			continue
		}
		for _, v := range [][2]float64{{exact.lambdaHat, fast.lambdaHat}, {exact.lo, fast.lo}, {exact.hi, fast.hi}} {
			d := math.Abs(v[0] - v[1])
			if !(d <= 1e-4) {
				t.Errorf("%s: exact λ̂ %.6f [%.6f, %.6f], fine %.6f [%.6f, %.6f]", s.name,
					exact.lambdaHat, exact.lo, exact.hi, fast.lambdaHat, fast.lo, fast.hi)
				break
			}
			worst = math.Max(worst, d)
		}
		if math.Abs(exact.logLikMax-fast.logLikMax) > 1e-6*math.Max(1, math.Abs(exact.logLikMax)) {
			t.Errorf("%s: ℓ̂ exact %.10g, fine %.10g", s.name, exact.logLikMax, fast.logLikMax)
		}
		if fp.exactCalls > 0 {
			t.Errorf("%s: %d exact evaluations outside the fine region [%.4f, %.4f]", s.name, fp.exactCalls,
				fp.start, fp.start+(fineRungs-1)*fp.step)
		}
	}
	t.Logf("%d data sets, largest difference in λ̂ or an interval end: %.2g", len(sets), worst)
}

// The second pass must bin the standardised shifts exactly as gridBin bins
// the rounded quotients d/sd and (d − mean)/sd, also for values on, and one
// or a few ulps next to, every grid point, at any scale and mean.
func TestBinMatchesQuotient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range [][2]float64{{1, 0}, {0.37, 0.1}, {3.3e-5, -2e-4}, {7.1e4, 3e5}, {1e-290, 1e-291}, {2, 1e9}} {
		sd, mean := c[0], c[1]
		var d []float64
		for _, gx := range gridX {
			for _, x := range []float64{gx * sd, gx*sd + mean} {
				for i := 0; i < 4; i++ {
					d = append(d, x, math.Nextafter(x, math.Inf(-1)))
					x = math.Nextafter(x, math.Inf(1))
				}
			}
		}
		for i := 0; i < 100000; i++ {
			d = append(d, mean+sd*7*rng.NormFloat64())
		}
		d = append(d, math.MaxFloat64, -math.MaxFloat64, 0, math.Inf(1), math.Inf(-1), math.NaN())
		var want, wantC, got, gotC gridCounts
		for _, v := range d {
			want[gridBin(v/sd)]++
			wantC[gridBin((v-mean)/sd)]++
		}
		g := &SecondPass{mean: []float64{mean}, sd: []float64{sd}}
		var m3, m4 float64
		g.bin(0, d, &got, &gotC, &m3, &m4)
		// The moments are the sums of the same terms, in partial sums
		// (binScaledGo): within rounding of those summed in order.
		var w3, w4, a3, a4 float64
		for _, v := range d[:len(d)-6] {
			dm := v - mean
			dm2 := dm * dm
			w3 += dm2 * dm
			w4 += dm2 * dm2
			a3 += math.Abs(dm2 * dm)
			a4 += dm2 * dm2
		}
		var p3, p4 float64
		g.bin(0, d[:len(d)-6], &gridCounts{}, &gridCounts{}, &p3, &p4)
		if math.Abs(p3-w3) > 1e-13*a3 || math.Abs(p4-w4) > 1e-13*a4 {
			t.Errorf("sd %g, mean %g: moments %v, %v, summed in order %v, %v", sd, mean, p3, p4, w3, w4)
		}
		if got != want || gotC != wantC {
			for k := range got {
				if got[k] != want[k] || gotC[k] != wantC[k] {
					t.Fatalf("sd %g, mean %g: bin %d holds %d and %d (centred), want %d and %d", sd, mean, k, got[k], gotC[k], want[k], wantC[k])
				}
			}
		}
	}
}

// ShiftInterpolated, from the moments the passes hold, gives the shift
// parameters of every pair as PairLikelihood.Shift computes them from the
// pairs: to 1e-12 relative on the coarse grid and the fine rungs, to 1e-9
// of the steps' sd between fine rungs and to 1e-5 between grid rungs far
// from λ̂ (measured at most 5.5e-12 and 3.0e-6); NaN where ℓ is impossible
// (λ ≤ 0 with a flip).
func TestShiftInterpolated(t *testing.T) {
	for i, lam := range []float64{-0.8, 0, 0.45, 2.2} {
		w0, w1 := boxCoxPairs(rand.New(rand.NewPCG(uint64(i), 7)), 30000, lam, 0.05)
		sc := NewScan(nil, 2)
		sc.Add(w0, w1)
		sec := sc.SecondPass(500, 1)
		sec.Add(w0, w1)
		if !sec.fineOK {
			t.Fatalf("λ = %g: no fine ladder", lam)
		}
		shift := sec.ShiftInterpolated()
		exact := NewPairLikelihood(w0, w1, 2)
		at := []float64{profileLambda(3), profileLambda(20), lam - 0.31, lam + 0.77, sec.fineStart, sec.fineStart + 2.5*sec.step, sec.fineStart + 30.2*sec.step}
		for _, x := range at {
			n, mean, sd := shift(x)
			en, emean, esd := exact.Shift(x)
			onRung := x == sec.fineStart || math.Abs(x/profileStep+profileZero-math.Round(x/profileStep+profileZero)) < 1e-9
			u := (x - sec.fineStart) / sec.step
			tol := 1e-5 * esd
			switch {
			case onRung:
				tol = 1e-12 * (math.Abs(emean) + esd)
			case u >= 0 && u <= fineRungs-1:
				tol = 1e-9 * esd
			}
			if n != en || math.Abs(mean-emean) > tol || math.Abs(sd-esd) > tol {
				t.Errorf("λ = %g at %.4f: (%d, %.12g, %.12g), from the pairs (%d, %.12g, %.12g)", lam, x, n, mean, sd, en, emean, esd)
			}
		}
	}
	// With a sign flip ℓ is impossible at λ ≤ 0.
	w0, w1 := []float64{1, 2, 3, 4, 5, 6, 7, 8, -1, 2.5}, []float64{1.1, 2.2, 2.9, 4.3, 5.2, 5.9, 7.4, 8.1, 0.5, 2.4}
	sc := NewScan(nil, 1)
	sc.Add(w0, w1)
	sec := sc.SecondPass(500, 1)
	sec.Add(w0, w1)
	if n, mean, _ := sec.ShiftInterpolated()(-0.25); n != 0 || !math.IsNaN(mean) {
		t.Errorf("with a sign flip at λ = −0.25: n = %d, mean = %v; want 0 and NaN", n, mean)
	}
}
