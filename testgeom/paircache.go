package testgeom

// pairCache holds, for pairs that are all compared (both weights finite and
// nonzero), what both passes compute of each weight before the ladders:
// log|w| and |w|^Δ of the coarse rungs. The bootstrap draws its resamples
// from a fixed sample, so it computes these once per sampled pair and
// gathers them with the weights, instead of twice per resampled pair and
// replicate. The values are those the kernels would compute (the functions
// act on each element alone), so the results are unchanged.
type pairCache struct {
	l0, l1, f0, f1 []float64
}

// newPairCache computes the cache of the pairs w0, w1.
func newPairCache(w0, w1 []float64) *pairCache {
	n := len(w0)
	c := &pairCache{l0: make([]float64, n), l1: make([]float64, n), f0: make([]float64, n), f1: make([]float64, n)}
	logAbs(c.l0, w0)
	logAbs(c.l1, w1)
	expScaled(c.f0, c.l0, profileStep)
	expScaled(c.f1, c.l1, profileStep)
	return c
}

// slice is the cache of pairs lo … hi−1; nil stays nil.
func (c *pairCache) slice(lo, hi int) *pairCache {
	if c == nil {
		return nil
	}
	return &pairCache{c.l0[lo:hi], c.l1[lo:hi], c.f0[lo:hi], c.f1[lo:hi]}
}

// block returns the weights, signs, logs and (when needF) the coarse
// ratios f of the block of n usable pairs gathered from pairs i0 … i−1 of
// the chunk into b. The logs and ratios come from the cache when the block
// skipped no pair (always so for the pairs a cache is made for), else they
// are computed into b and fs; the kernels only read them.
func (b *pairBlock) block(pre *pairCache, i0, i, n int, needF bool, fs *[2][pairBlockSize]float64) (x0, x1, s0, s1, l0, l1, f0, f1 []float64) {
	x0, x1, s0, s1 = b.x0[:n], b.x1[:n], b.s0[:n], b.s1[:n]
	if pre != nil && i-i0 == n && i <= len(pre.l0) {
		l0, l1 = pre.l0[i0:i], pre.l1[i0:i]
		if needF {
			f0, f1 = pre.f0[i0:i], pre.f1[i0:i]
		}
		return
	}
	_, _, _, _, l0, l1 = b.logs(n)
	if needF {
		f0, f1 = fs[0][:n], fs[1][:n]
		expScaled(f0, l0, profileStep)
		expScaled(f1, l1, profileStep)
	}
	return
}

// addCached is Add of a whole shard w0, w1 whose cache is pre, as its only
// batch: the chunks are those Add would cut. Without a cache it is Add.
func (s *Scan) addCached(w0, w1 []float64, pre *pairCache) {
	s.p = nil
	s.chunks.whole(w0, w1, pre, &s.pre, s.Add, s.process)
}

// addCached is SecondPass.Add of a whole shard with its cache, as for Scan.
func (g *SecondPass) addCached(w0, w1 []float64, pre *pairCache) {
	g.sorted = false
	g.chunks.whole(w0, w1, pre, &g.pre, g.Add, g.process)
}

// whole runs process on a whole shard, the chunker's only batch, with its
// cache pre in *slot meanwhile; without a cache it calls add.
func (c *chunker) whole(w0, w1 []float64, pre *pairCache, slot **pairCache, add, process func(w0, w1 []float64)) {
	if pre == nil {
		add(w0, w1)
		return
	}
	if len(c.w0) > 0 || len(w0) != len(w1) || len(pre.l0) != len(w0) {
		panic("testgeom: addCached after Add or with a cache of other pairs")
	}
	*slot = pre
	process(w0, w1)
	*slot = nil
}
