package testgeom

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// TestLadderVector checks that the vector ladder walks (kernels_amd64.s)
// give the Go loops' sums to the bit: up and down the coarse ladder for
// every number of rungs a caller asks for, and along the fine ladder, for
// blocks of every length up to three groups of four and beyond, with both
// signs and with the same first pair's shifts. Where there are no vector
// walks it compares the Go loops with themselves.
func TestLadderVector(t *testing.T) {
	if !vectorKernels {
		t.Log("no vector ladder walks on this machine")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 3, 4, 5, 8, 11, 13, 64, 255} {
		s0, s1 := make([]float64, n), make([]float64, n)
		f0, f1 := make([]float64, n), make([]float64, n)
		g0, g1 := make([]float64, n), make([]float64, n)
		for j := range n {
			w0 := math.Exp(2 * r.NormFloat64())
			w1 := w0 * math.Exp(0.3*r.NormFloat64())
			s0[j], s1[j] = 1, 1
			if r.IntN(4) == 0 {
				s0[j] = -1
			}
			if r.IntN(4) == 0 {
				s1[j] = -1
			}
			f0[j], f1[j] = math.Pow(w0, profileStep), math.Pow(w1, profileStep)
			g0[j], g1[j] = math.Pow(w0, 0.003), math.Pow(w1, 0.003)
		}
		for _, rungs := range []int{0, 1, 3, 4, 5, 8, 15, 20, profileN - 1 - profileZero} {
			up := func() ladderSums {
				var a ladderSums
				for k := range a.shift {
					a.shift[k] = 0.01 * float64(k-profileZero)
				}
				a.up(s0, s1, f0, f1, rungs)
				if rungs <= profileZero {
					a.walk(s0, s1, f0, f1, profileZero-1, -1, rungs, &a.unused)
				}
				return a
			}
			got := up()
			want := withoutVectors(up)
			if got != want {
				t.Errorf("n = %d, %d rungs: the coarse ladder's sums differ from the Go loops'", n, rungs)
			}
		}
		for _, p := range []int{0, 2, 4, blockSize - 4*((n+3)/4)} {
			if p+n > blockSize {
				continue
			}
			grid := func() [profileN][blockSize]float64 {
				var back [profileN][blockSize]float64
				var g [profileN]*[blockSize]float64
				for k := range g {
					if k%3 != 1 { // some rungs have no candidate
						g[k] = &back[k]
					}
				}
				walkGrid(&g, profileN-1, p, s0, s1, f0, f1)
				return back
			}
			if got, want := grid(), withoutVectors(grid); got != want {
				t.Errorf("n = %d at %d: the grid's shifts differ from the Go loops'", n, p)
			}
		}
		for _, blocks := range []int{1, 2} {
			fine := func() fineSums {
				var a fineSums
				for range blocks {
					a.add(s0, s1, g0, g1)
				}
				return a
			}
			if got, want := fine(), withoutVectors(fine); got != want {
				t.Errorf("n = %d, %d blocks: the fine ladder's sums differ from the Go loops'", n, blocks)
			}
		}
	}
}

// withoutVectors runs f with the vector kernels turned off.
func withoutVectors[T any](f func() T) T {
	was := vectorKernels
	vectorKernels = false
	defer func() { vectorKernels = was }()
	return f()
}

// TestFastMathVector checks that the vector expScaled and logAbs give the
// Go loops' bits, for values across their ranges and the ones they hand to
// the math package (zeros, subnormals, infinities, NaN, huge arguments)
// placed at every position of a group of four, and in place; eight values
// to a register where the machine has them (wideKernels), and four.
func TestFastMathVector(t *testing.T) { bothWidths(testFastMathVector)(t) }

// bothWidths runs a test of the vector kernels with eight values to a
// register where the machine has them (wideKernels), then with four.
func bothWidths(test func(*testing.T)) func(*testing.T) {
	return func(t *testing.T) {
		was := wideKernels
		defer func() { wideKernels = was }()
		for _, wide := range []bool{was, false} {
			wideKernels = wide
			test(t)
		}
	}
}

func testFastMathVector(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	special := []float64{0, math.Copysign(0, -1), 1e-310, -1e-310, math.Inf(1), math.Inf(-1), math.NaN(), 1e300, -1e300, 800, -800, math.MaxFloat64, 0x1p-1022, 1, -1}
	for _, n := range []int{1, 4, 7, 12, 64, 257} {
		x := make([]float64, n)
		for trial := range 40 {
			for j := range x {
				switch trial % 4 {
				case 0:
					x[j] = r.NormFloat64()
				case 1:
					x[j] = 50 * r.NormFloat64()
				case 2:
					x[j] = math.Exp(300 * (r.Float64() - 0.5))
				default:
					x[j] = -math.Exp(700 * (r.Float64() - 0.5))
				}
			}
			if trial >= 20 {
				x[r.IntN(n)] = special[trial%len(special)]
			}
			for _, c := range []float64{1, 0.02, -0.5, 3} {
				exp := func() []uint64 { d := make([]float64, n); expScaled(d, x, c); return bitsOf(d) }
				if got, want := exp(), withoutVectors(exp); !equalBits(got, want) {
					t.Fatalf("expScaled, n = %d, trial %d, c = %g, wide %v: the vectors' bits differ from the Go loop's", n, trial, c, wideKernels)
				}
			}
			log := func() []uint64 { d := make([]float64, n); logAbs(d, x); return bitsOf(d) }
			if got, want := log(), withoutVectors(log); !equalBits(got, want) {
				t.Fatalf("logAbs, n = %d, trial %d, wide %v: the vectors' bits differ from the Go loop's", n, trial, wideKernels)
			}
			inPlace := func() []uint64 { d := append([]float64(nil), x...); logAbs(d, d); return bitsOf(d) }
			if got, want := inPlace(), log(); !equalBits(got, want) {
				t.Fatalf("logAbs in place, n = %d, trial %d: not the same bits", n, trial)
			}
		}
	}
}

func bitsOf(x []float64) []uint64 {
	b := make([]uint64, len(x))
	for i, v := range x {
		b[i] = math.Float64bits(v)
	}
	return b
}

func equalBits(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBinVector checks that binning by vectors gives the Go loop's counts
// (with the centred ones and alone) and the same bits of the moments' sums, with values outside the grid,
// on and near grid points (uncentred and centred), and NaN, at every position of a group of four,
// eight to a register where the machine has them (wideKernels), and four.
func TestBinVector(t *testing.T) { bothWidths(testBinVector)(t) }

func testBinVector(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	g := &SecondPass{}
	for _, n := range []int{3, 4, 9, 100, blockSize} {
		d := make([]float64, n)
		for trial := range 30 {
			sd, mean := math.Exp(r.NormFloat64()), 0.3*r.NormFloat64()
			for j := range d {
				d[j] = mean + sd*r.NormFloat64()
				switch r.IntN(40) {
				case 0:
					d[j] = mean + 7*sd*r.NormFloat64() // often off the grid
				case 1:
					d[j] = sd * (float64(r.IntN(gridPoints))*gridStep - 5) // on a grid point
				case 2:
					d[j] = math.NaN()
				case 3: // just beyond the grid's ends, uncentred and centred: bins −1 and 1001
					d[j] = sd * (5 + (1+r.Float64())*gridStep)
				case 4:
					d[j] = mean - sd*(5+(1+r.Float64())*gridStep)
				case 5: // centred on a grid point
					d[j] = mean + sd*(float64(r.IntN(gridPoints))*gridStep-5)
				}
			}
			g.sd, g.mean = []float64{sd}, []float64{mean}
			type sums struct {
				unc, cen gridCounts
				m3, m4   uint64
			}
			bin := func() sums {
				var s sums
				var m3, m4 float64
				g.bin(0, d, &s.unc, &s.cen, &m3, &m4)
				s.m3, s.m4 = math.Float64bits(m3), math.Float64bits(m4)
				return s
			}
			if got, want := bin(), withoutVectors(bin); got != want {
				t.Fatalf("n = %d, trial %d, wide %v: binning by vectors differs from the Go loop", n, trial, wideKernels)
			}
			binUncOnly := func() (unc gridCounts) { binUnc(d, sd, &unc); return }
			if got, want := binUncOnly(), withoutVectors(binUncOnly); got != want {
				t.Fatalf("n = %d, trial %d, wide %v: the uncentred binning by vectors differs from the Go loop", n, trial, wideKernels)
			}
		}
	}
}

// TestWorkerBinsAcrossPasses checks that second passes whose candidates
// sit on different rungs of the ladder, run by turns so that each takes
// over the others' pooled bins, count what each counts alone.
func TestWorkerBinsAcrossPasses(t *testing.T) {
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(3, 4)), 3*chunkSize+100, "lognormal", geometry.PNorm{P: 1.5})
	sets := [][]geometry.Potential{
		{geometry.PNorm{P: 1.5}, geometry.PNorm{P: 2}},
		{geometry.PNorm{P: 3}, geometry.PNorm{P: 2.5}},
	}
	second := func(cands []geometry.Potential) *SecondPass {
		sc := NewScan(cands, 2)
		sc.Add(w0, w1)
		return sc.SecondPass(0, 0)
	}
	var alone []*SecondPass
	for _, cands := range sets {
		g := second(cands)
		g.Add(w0, w1)
		g.finish()
		alone = append(alone, g)
	}
	turns := []*SecondPass{second(sets[0]), second(sets[1])}
	for lo := 0; lo < len(w0); lo += chunkSize / 2 {
		hi := min(lo+chunkSize/2, len(w0))
		for _, g := range turns {
			g.Add(w0[lo:hi], w1[lo:hi])
		}
	}
	for i, g := range turns {
		g.finish()
		if !slices.Equal(g.unc, alone[i].unc) || !slices.Equal(g.cen, alone[i].cen) {
			t.Errorf("candidates %v: the counts of passes by turns differ from the pass alone", sets[i])
		}
	}
}

// The moments' sums of the binning run in four partial sums (binScaledGo,
// binAVX2): they differ from one running sum only by rounding. Against
// the exact sums of the same products (math/big), the error stays within
// 1e-14 of the sum of the terms' magnitudes (measured: below 1e-16).
func TestBinMomentsRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	g := &SecondPass{}
	for trial := range 20 {
		d := make([]float64, blockSize)
		sd, mean := math.Exp(r.NormFloat64()), 0.3*r.NormFloat64()
		for j := range d {
			d[j] = mean + sd*r.NormFloat64()
		}
		g.sd, g.mean = []float64{sd}, []float64{mean}
		var unc, cen gridCounts
		var m3, m4 float64
		g.bin(0, d, &unc, &cen, &m3, &m4)
		e3, e4 := new(big.Float).SetPrec(2000), new(big.Float).SetPrec(2000)
		var a3, a4 float64
		for _, v := range d {
			dm := v - mean
			dm2 := dm * dm
			e3.Add(e3, big.NewFloat(dm2*dm))
			e4.Add(e4, big.NewFloat(dm2*dm2))
			a3 += math.Abs(dm2 * dm)
			a4 += dm2 * dm2
		}
		x3, _ := e3.Float64()
		x4, _ := e4.Float64()
		if math.Abs(m3-x3) > 1e-14*a3 || math.Abs(m4-x4) > 1e-14*a4 {
			t.Errorf("trial %d: Σdm³ %v (exactly %v), Σdm⁴ %v (exactly %v)", trial, m3, x3, m4, x4)
		}
	}
}
