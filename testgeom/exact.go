package testgeom

import (
	"github.com/syngeom/syngeom/internal/exactsum"
)

// Partial results are merged exactly. Each fixed chunk of a shard is
// reduced in float64 (the fast part); the chunk results are then added into
// exact sums, so the total does not depend on the order or grouping of the
// merges: one machine, many cores or many machines give bit-identical
// results as long as the chunks are the same (chunks restart at each shard;
// see Scan).

// xmoments are moments merged exactly (see exactsum.Moments).
type xmoments struct{ exactsum.Moments }

func (x *xmoments) add(m moments)     { x.Add(m.n, m.mean, m.m2) }
func (x *xmoments) merge(o *xmoments) { x.Merge(&o.Moments) }
func (x *xmoments) moments() moments {
	n, mean, m2 := x.Result()
	return moments{n: n, mean: mean, m2: m2}
}

// candTotal is one candidate's exact first-pass totals.
type candTotal struct {
	lik          xmoments
	likG, likJac exactsum.Sum
	zeroN        int64 // pairs with a zero weight this candidate could use
}

// total1 is the exact total of first-pass chunks.
type total1 struct {
	pairCounts
	sumL1 exactsum.Sum
	grid  [profileN]xmoments
	gridG [profileN]exactsum.Sum
	cand  []candTotal
}

func newTotal1(nc int) *total1 { return &total1{cand: make([]candTotal, nc)} }

// add adds one chunk's result.
func (t *total1) add(p *pass1) {
	t.pairCounts.add(p.pairCounts)
	t.sumL1.Add(p.sumL1)
	for k := range t.grid {
		t.grid[k].add(p.grid[k])
		t.gridG[k].Add(p.gridG[k])
	}
	for i := range t.cand {
		c, d := &t.cand[i], &p.cand[i]
		c.lik.add(d.lik)
		c.zeroN += d.zeroN
		c.likG.Add(d.likG)
		c.likJac.Add(d.likJac)
	}
}

func (t *total1) merge(o *total1) {
	t.pairCounts.add(o.pairCounts)
	t.sumL1.Merge(&o.sumL1)
	for k := range t.grid {
		t.grid[k].merge(&o.grid[k])
		t.gridG[k].Merge(&o.gridG[k])
	}
	for i := range t.cand {
		c, d := &t.cand[i], &o.cand[i]
		c.lik.merge(&d.lik)
		c.zeroN += d.zeroN
		c.likG.Merge(&d.likG)
		c.likJac.Merge(&d.likJac)
	}
}

// final rounds the totals into the first-pass summary the statistics use.
func (t *total1) final() *pass1 {
	p := &pass1{pairCounts: t.pairCounts, sumL1: t.sumL1.Float(), cand: make([]candSums, len(t.cand))}
	for k := range t.grid {
		p.grid[k] = t.grid[k].moments()
		p.gridG[k] = t.gridG[k].Float()
	}
	for i := range t.cand {
		c := &t.cand[i]
		p.cand[i] = candSums{lik: c.lik.moments(), zeroN: c.zeroN,
			likG: c.likG.Float(), likJac: c.likJac.Float()}
	}
	return p
}

// chunker cuts one shard's stream of pairs into the fixed chunks of
// chunkSize pairs, whatever the sizes of the batches it is fed: full chunks
// go to process, a partial one waits for the next batch or for flush.
type chunker struct {
	w0, w1 []float64
}

// feed hands every complete chunk of the stream so far to process, several
// at a time when the batch holds them (len(w0) is then a multiple of
// chunkSize).
func (k *chunker) feed(w0, w1 []float64, process func(w0, w1 []float64)) {
	if len(k.w0) > 0 {
		take := min(chunkSize-len(k.w0), len(w0))
		k.w0 = append(k.w0, w0[:take]...)
		k.w1 = append(k.w1, w1[:take]...)
		w0, w1 = w0[take:], w1[take:]
		if len(k.w0) < chunkSize {
			return
		}
		process(k.w0, k.w1)
		k.w0, k.w1 = k.w0[:0], k.w1[:0]
	}
	full := len(w0) / chunkSize * chunkSize
	if full > 0 {
		process(w0[:full], w1[:full])
	}
	if rest := len(w0) - full; rest > 0 {
		if k.w0 == nil {
			k.w0, k.w1 = make([]float64, 0, chunkSize), make([]float64, 0, chunkSize)
		}
		k.w0 = append(k.w0, w0[full:]...)
		k.w1 = append(k.w1, w1[full:]...)
	}
}

// flush processes the partial last chunk, which ends the shard.
func (k *chunker) flush(process func(w0, w1 []float64)) {
	if len(k.w0) > 0 {
		process(k.w0, k.w1)
		k.w0, k.w1 = k.w0[:0], k.w1[:0]
	}
}
