package testgeom

import (
	"cmp"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/melander"
)

// TestPairCacheSameResults checks that both passes give the same sums with
// the pair cache as without, also when some pairs are not compared (a zero
// or non-finite weight), where a block falls back on computing the logs.
func TestPairCacheSameResults(t *testing.T) {
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(7, 8)), 3*chunkSize+100, "lognormal", geometry.PNorm{P: 1.5})
	for _, c := range []struct {
		name  string
		spoil func()
	}{
		{"all compared", func() {}},
		{"zeros and NaN", func() { w0[10], w1[3000], w0[9000] = 0, 0, math.NaN() }},
	} {
		name := c.name
		c.spoil()
		pre := newPairCache(w0, w1)
		plain, cached := NewScan(nil, 2), NewScan(nil, 2)
		plain.Add(w0, w1)
		cached.addCached(w0, w1, pre)
		if !reflect.DeepEqual(plain.final(), cached.final()) {
			t.Fatalf("%s: first pass differs with the cache", name)
		}
		sp, sc := plain.SecondPass(0, 0), cached.SecondPass(0, 0)
		sp.Add(w0, w1)
		sc.addCached(w0, w1, pre)
		sp.finish()
		sc.finish()
		if !reflect.DeepEqual(sp.unc, sc.unc) || !reflect.DeepEqual(sp.cen, sc.cen) ||
			!reflect.DeepEqual(sp.fine, sc.fine) || !reflect.DeepEqual(sp.rob, sc.rob) ||
			!reflect.DeepEqual(sp.m3, sc.m3) || !reflect.DeepEqual(sp.m4, sc.m4) {
			t.Fatalf("%s: second pass differs with the cache", name)
		}
	}
}

// TestBootstrapReplicateCache checks that a replicate scored from the pair
// cache has the winners and λ̂ of one scored from the weights alone.
func TestBootstrapReplicateCache(t *testing.T) {
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(9, 10)), 20_000, "lognormal", geometry.PNorm{P: 2})
	pre := newPairCache(w0, w1)
	d1, l1, lam1 := bootstrapReplicate(geometry.DefaultCandidates(), w0, w1, nil, nil)
	d2, l2, lam2 := bootstrapReplicate(geometry.DefaultCandidates(), w0, w1, pre, nil)
	if d1 != d2 || l1 != l2 || math.Float64bits(lam1) != math.Float64bits(lam2) {
		t.Fatalf("with the cache (%d, %d, %v), without (%d, %d, %v)", d2, l2, lam2, d1, l1, lam1)
	}
}

// TestBootstrapOrder checks that a replicate does not depend on the order
// of its pairs, as bootstrapPairs assumes when it writes a resample in the
// pairs' order (resampleInOrder) rather than in the order drawn: the same
// multiset of pairs, the same ΔCDF and likelihood winners, and λ̂ within
// the maximiser's tolerance (profileTol = 1e-6, a ten-thousandth of the
// replicates' spread): the ladder's float64 sums start from another first
// pair and round differently, which moves where Brent's search stops.
// Measured at most 2.1e-8, on the ladder and in whole scans.
func TestBootstrapOrder(t *testing.T) {
	worst := 0.0
	for _, c := range []struct {
		name string
		pot  geometry.Potential
		law  string
		plan bool
	}{{"NE", geometry.NegEntropy{}, "lognormal", true}, {"p=2", geometry.PNorm{P: 2}, "lognormal", true},
		{"p=3, signed", geometry.PNorm{P: 3}, "normal", true}, {"NE, whole scans", geometry.NegEntropy{}, "lognormal", false}} {
		s0, s1 := simulatePaper(rand.New(rand.NewPCG(11, 12)), 20_000, c.law, c.pot)
		var plan *ladderPlan
		if c.plan {
			plan = replicatePlanOf(s0, s1)
		}
		all := newPairCache(s0, s1)
		m := len(s0)
		rng := rand.New(rand.NewPCG(1, 2))
		for b := 0; b < 10; b++ {
			d0, d1 := make([]float64, m), make([]float64, m)
			counts := make([]int32, m)
			for i := range d0 {
				j := rng.IntN(m)
				d0[i], d1[i] = s0[j], s1[j]
				counts[j]++
			}
			o0, o1 := make([]float64, m), make([]float64, m)
			opre := &pairCache{make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)}
			resampleInOrder(o0, o1, opre, s0, s1, all, counts)
			if !reflect.DeepEqual(opre, newPairCache(o0, o1)) {
				t.Fatalf("%s, replicate %d: the cache written in order is not that of the pairs written", c.name, b)
			}
			if !reflect.DeepEqual(sortedPairs(d0, d1), sortedPairs(o0, o1)) {
				t.Fatalf("%s, replicate %d: the pairs in order are not those drawn", c.name, b)
			}
			bd1, bl1, lam1 := bootstrapReplicate(nil, d0, d1, newPairCache(d0, d1), plan)
			bd2, bl2, lam2 := bootstrapReplicate(nil, o0, o1, opre, plan)
			diff := math.Abs(lam1 - lam2)
			worst = max(worst, diff)
			if bd1 != bd2 || bl1 != bl2 || !(diff <= profileTol) {
				t.Errorf("%s, replicate %d: winners %d, %d and λ̂ %v in the order drawn; %d, %d and %v in the pairs' order", c.name, b, bd1, bl1, lam1, bd2, bl2, lam2)
			}
		}
	}
	t.Logf("largest difference of λ̂: %g", worst)
}

// sortedPairs is the pairs w0, w1 sorted by w0, then w1.
func sortedPairs(w0, w1 []float64) [][2]float64 {
	p := make([][2]float64, len(w0))
	for i := range p {
		p[i] = [2]float64{w0[i], w1[i]}
	}
	slices.SortFunc(p, func(a, b [2]float64) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	return p
}

// Bootstrap replicates on the sample's fine ladder (replicatePlan) walk
// only the candidates' coarse rungs: the same ΔCDF and likelihood winners
// as a whole scan, with no replicate left outside the ladder, and λ̂ as
// close as two cubics through fine ladders placed differently allow: within
// 2e-6 from 5000 pairs up (both searches stop at profileTol = 1e-6;
// measured at most 1.1e-6, a ten-thousandth of the replicates' spread), on
// data on and off the grid, with signed weights and from a subsample of
// 200,000 pairs; within 5e-4 at 200 pairs, where the ladder's rungs are
// 0.03 apart (measured 2.3e-4 on the golden table's groups, 0.5% of the
// replicates' spread; the fine ladder's own accuracy is about 1e-4 there,
// TestFineProfileMatchesExact). A replicate whose maximum is outside the
// ladder is scanned whole, to the bit.
func TestBootstrapPlannedReplicates(t *testing.T) {
	for _, c := range []struct {
		name string
		n, m int
		pot  geometry.Potential
		law  string
		tol  float64
	}{{"NE", 20000, 20000, geometry.NegEntropy{}, "lognormal", 2e-6}, {"p=2", 20000, 20000, geometry.PNorm{P: 2}, "lognormal", 2e-6},
		{"p=3, signed", 20000, 20000, geometry.PNorm{P: 3}, "normal", 2e-6}, {"NE, subsample", 200000, 5000, geometry.NegEntropy{}, "lognormal", 2e-6},
		{"p=1.5, subsample", 200000, 5000, geometry.PNorm{P: 1.5}, "lognormal", 2e-6}, {"NE, 200 pairs", 200, 200, geometry.NegEntropy{}, "lognormal", 5e-4}} {
		w0, w1 := simulatePaper(rand.New(rand.NewPCG(3, 5)), c.n, c.law, c.pot)
		sc := NewScan(nil, 0)
		sc.Add(w0, w1)
		sec := sc.SecondPass(c.m, 1)
		sec.Add(w0, w1)
		s0, s1 := sec.comparedSample()
		plan := sec.replicatePlan(len(s0), sc.final().compared())
		if plan == nil {
			t.Fatalf("%s: no plan", c.name)
		}
		far := &ladderPlan{start: plan.start + 1, step: plan.step}
		rng := rand.New(rand.NewPCG(1, 2))
		for b := 0; b < 20; b++ {
			b0, b1 := make([]float64, len(s0)), make([]float64, len(s0))
			for i := range b0 {
				j := rng.IntN(len(s0))
				b0[i], b1[i] = s0[j], s1[j]
			}
			pre := newPairCache(b0, b1)
			d1, l1, lam1 := bootstrapReplicate(nil, b0, b1, pre, nil)
			d2, l2, lam2 := bootstrapReplicate(nil, b0, b1, pre, plan)
			d3, l3, lam3 := bootstrapReplicate(nil, b0, b1, pre, far)
			if d1 != d2 || l1 != l2 || !(math.Abs(lam1-lam2) <= c.tol) {
				t.Errorf("%s, replicate %d: winners %d, %d and λ̂ %v whole; %d, %d and %v on the ladder", c.name, b, d1, l1, lam1, d2, l2, lam2)
			}
			if d3 != d1 || l3 != l1 || math.Float64bits(lam3) != math.Float64bits(lam1) {
				t.Errorf("%s, replicate %d: a ladder beside the maximum gave %d, %d, %v; whole %d, %d, %v", c.name, b, d3, l3, lam3, d1, l1, lam1)
			}
			sp := NewScan(nil, 1)
			sp.top = candidateTop(sp.plans)
			sp.addCached(b0, b1, pre)
			sec := sp.SecondPass(0, 0)
			sec.fineStart, sec.step, sec.fineOK = plan.start, plan.step, true
			if _, _, _, ok := replicateOn(sp, sec, b0, b1, pre); !ok {
				t.Errorf("%s, replicate %d: λ̂ not inside the ladder [%v, %v]", c.name, b, plan.start, plan.start+(fineRungs-1)*plan.step)
			}
		}
	}
}

// When the replicates resample a small part of many pairs (10^5 of the
// 1.5·10^9 of a large checkpoint), their ladder is the one a replicate would
// plan for itself, not the pairs' own ladder widened: that one's least
// margin (0.01) dwarfs the interval of many pairs, and widened by √(n/m) its
// rungs lay over two of a replicate's standard errors apart. Measured on
// these data (about 1000 of 10^6 pairs), the worst error of 20 replicates'
// λ̂ against the maximum of their exact ℓ: whole scans 6.9e-7, this plan
// 1.1e-6, the widened ladder 1.6e-5.
func TestBootstrapPlanOfASmallSubsample(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	n := 1000000
	w0, w1 := make([]float64, n), make([]float64, n)
	for i := range w0 {
		w0[i] = 0.02 * rng.NormFloat64() // a network's weights, changed under NE
		w1[i] = w0[i] * math.Exp(0.01*rng.NormFloat64())
	}
	sc := NewScan(nil, 0)
	sc.Add(w0, w1)
	sec := sc.SecondPass(1000, 1)
	sec.Add(w0, w1)
	s0, s1 := sec.comparedSample()
	plan := sec.replicatePlan(len(s0), sc.final().compared())
	own := NewScan(nil, 0)
	own.Add(s0, s1)
	if ownStep := own.SecondPass(0, 1).step; !(plan.step <= 1.25*ownStep) {
		t.Errorf("the replicates' rungs are %.3g apart, the sample's own %.3g", plan.step, ownStep)
	}
	for b := range 20 {
		b0, b1 := make([]float64, len(s0)), make([]float64, len(s0))
		for i := range b0 {
			j := rng.IntN(len(s0))
			b0[i], b1[i] = s0[j], s1[j]
		}
		_, _, lam := bootstrapReplicate(nil, b0, b1, newPairCache(b0, b1), plan)
		exact := brentMax(lazyExact(b0, b1, 1), lam-0.05, lam+0.05, lam, 1e-12)
		if !(math.Abs(lam-exact) <= 5e-6) {
			t.Errorf("replicate %d: λ̂ %.8f on the ladder, %.8f exactly", b, lam, exact)
		}
	}
}

// The cluster bootstrap (pairs that share synapses: Melander et al.'s
// consecutive-session pairs) shares the fine ladder too: the same win
// frequencies as whole scans, and a percentile interval within 1e-5
// (measured 4e-7 on the command line's run of these data).
func TestClusterBootstrapPlanned(t *testing.T) {
	w0, w1, _, cluster := melander.Pairs(t)
	o := Options{Bootstrap: 40, Seed: 1, Workers: 2, Clusters: cluster, NoStepModels: true}
	sc := NewScan(nil, 2)
	sc.Add(w0, w1)
	sec := sc.SecondPass(DefaultSampleMax, 1)
	sec.AddSynapses(w0, w1, cluster)
	m := sec.comparedMem()
	plan := sec.replicatePlan(len(m.w0), int64(len(m.w0)))
	if plan == nil {
		t.Fatal("no plan")
	}
	n := int64(len(m.w0))
	whole := bootstrapClusters(sc.cands, m, n, nil, nil, o.withDefaults())
	planned := bootstrapClusters(sc.cands, m, n, nil, plan, o.withDefaults())
	if !maps.Equal(whole.WinsDCDF, planned.WinsDCDF) || !maps.Equal(whole.WinsLikelihood, planned.WinsLikelihood) {
		t.Errorf("wins: whole %v %v, planned %v %v", whole.WinsDCDF, whole.WinsLikelihood, planned.WinsDCDF, planned.WinsLikelihood)
	}
	for i := range whole.LambdaCI {
		a, b := whole.LambdaCI[i], planned.LambdaCI[i]
		if a == nil || b == nil || math.Abs(*a-*b) > 1e-5 {
			t.Errorf("interval end %d: whole %v, planned %v", i, a, b)
		}
	}
}
