package testgeom

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/syngeom/syngeom/geometry"
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
	d1, l1, lam1 := bootstrapReplicate(geometry.DefaultCandidates(), w0, w1, nil)
	d2, l2, lam2 := bootstrapReplicate(geometry.DefaultCandidates(), w0, w1, pre)
	if d1 != d2 || l1 != l2 || math.Float64bits(lam1) != math.Float64bits(lam2) {
		t.Fatalf("with the cache (%d, %d, %v), without (%d, %d, %v)", d2, l2, lam2, d1, l1, lam1)
	}
}
