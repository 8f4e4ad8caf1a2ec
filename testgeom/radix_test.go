package testgeom

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// radixInputs are value sets with ties, both zeros, infinities, subnormals,
// values of every sign and scale, and values closer than the radix passes
// see (within 2^-20 of each other), below and above radixMin.
func radixInputs() [][]float64 {
	rng := rand.New(rand.NewPCG(3, 4))
	var out [][]float64
	for _, n := range []int{0, 1, 2, 7, radixMin - 1, radixMin, 1000, 50_000} {
		normal := make([]float64, n)
		mixed := make([]float64, n)
		ties := make([]float64, n)
		close := make([]float64, n)
		for i := range n {
			close[i] = 1 + float64(rng.IntN(1000))*0x1p-45
			normal[i] = rng.NormFloat64()
			switch rng.IntN(8) {
			case 0:
				mixed[i] = 0
			case 1:
				mixed[i] = math.Copysign(0, -1)
			case 2:
				mixed[i] = math.Inf(1 - 2*rng.IntN(2))
			case 3:
				mixed[i] = 5e-324 * float64(rng.IntN(5)-2)
			default:
				mixed[i] = rng.NormFloat64() * math.Exp(20*rng.NormFloat64())
			}
			ties[i] = float64(rng.IntN(5) - 2)
		}
		out = append(out, normal, mixed, ties, close)
	}
	return out
}

func TestOrderFloatsIsStableSort(t *testing.T) {
	for _, x := range radixInputs() {
		want := make([]int, len(x))
		for i := range want {
			want[i] = i
		}
		sort.SliceStable(want, func(a, b int) bool { return x[want[a]] < x[want[b]] })
		got := orderFloats(x)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("n=%d: position %d is index %d, want %d", len(x), i, got[i], want[i])
			}
		}
	}
}

// TestRanksFromOneSort checks that the ranks of x and of |x − median| read
// off one sort are those of Ranks.
func TestRanksFromOneSort(t *testing.T) {
	for _, x := range radixInputs() {
		x = slices.DeleteFunc(slices.Clone(x), func(v float64) bool { return !finite(v) })
		if len(x) == 0 {
			continue
		}
		order := orderFloats(x)
		sorted := make([]float64, len(x))
		for i, j := range order {
			sorted[i] = x[j]
		}
		med := median(sorted)
		spread := make([]float64, len(x))
		for i, v := range x {
			spread[i] = math.Abs(v - med)
		}
		for _, c := range []struct {
			name      string
			got, want []float64
		}{
			{"ranks", ranksFromOrder(x, order), Ranks(x)},
			{"spread ranks", spreadRanks(sorted, order, med), Ranks(spread)},
		} {
			if !slices.Equal(c.got, c.want) {
				t.Fatalf("n=%d: %s differ from Ranks", len(x), c.name)
			}
		}
	}
}

// TestBinUncMatchesBin checks the bootstrap's uncentred-only binning
// against bin's uncentred counts, with values on grid points, outside the
// grid and infinite.
func TestBinUncMatchesBin(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sd := range []float64{1, 0.37, 3e-3, 0} {
		d := make([]float64, 5000)
		for i := range d {
			switch rng.IntN(10) {
			case 0:
				d[i] = gridX[rng.IntN(gridPoints)] * sd // on a grid point
			case 1:
				d[i] = 20 * sd * rng.NormFloat64()
			case 2:
				d[i] = math.Inf(1 - 2*rng.IntN(2))
			default:
				d[i] = 2 * sd * rng.NormFloat64()
			}
		}
		g := &SecondPass{mean: []float64{0.1 * sd}, sd: []float64{sd}}
		var unc, cen, got gridCounts
		var m3, m4 float64
		g.bin(0, d, &unc, &cen, &m3, &m4)
		binUnc(d, sd, &got)
		if got != unc {
			t.Fatalf("sd=%g: binUnc differs from bin", sd)
		}
	}
}

// canonicalPairs radix-sorts the pairs' hashes; its order must be that of
// a comparison sort by (hash, w0, w1, position), with duplicated pairs
// (equal hashes), positions out of input order, and sizes below and
// above radixMin.
func TestCanonicalPairsOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 100, radixMin, 5000} {
		w0, w1, pos := make([]float64, n), make([]float64, n), make([]int64, n)
		for i := range n {
			w0[i], w1[i] = float64(rng.IntN(40)), float64(rng.IntN(40)) // duplicates
			pos[i] = int64(rng.IntN(1 << 40))
		}
		got := canonicalPairs(w0, w1, func(i int) int64 { return pos[i] }, 99)
		want := make([]canonicalPair, n)
		for i := range n {
			want[i] = canonicalPair{valueKey(w0[i], w1[i], 99), pos[i], w0[i], w1[i], i}
		}
		slices.SortFunc(want, func(a, b canonicalPair) int {
			return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.x0, b.x0), cmp.Compare(a.x1, b.x1), cmp.Compare(a.pos, b.pos))
		})
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: canonicalPairs differs from the comparison sort", n)
		}
	}
}
