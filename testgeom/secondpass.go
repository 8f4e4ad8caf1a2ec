package testgeom

import (
	"cmp"
	"errors"
	"math"
	"sync"

	"github.com/syngeom/syngeom/internal/exactsum"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/internal/splitmix"
)

// SecondPass is the second pass as a mergeable accumulator. With each
// candidate's mean and standard deviation fixed by the first pass it counts
// the standardised shifts z = d/sd and (d − mean)/sd on the paper's grid,
// which gives the exact ΔCDF without sorting, sums the third and fourth
// central moments, evaluates the likelihood on the fine λ ladder chosen from
// the first pass's coarse profile, and keeps a deterministic random
// subsample of pairs for the rank-based diagnostics and the bootstrap: a
// pair is kept when a hash of its two values, its position among all pairs
// and the seed falls below a threshold, so the sample does not depend on
// batching, sharding or merge order (it is put in a canonical order before
// use). The position matters: with the values alone, pairs that repeat
// (weights stored in bfloat16, unchanged weights, rounded measurements)
// would be kept or dropped all together, which clumps the sample and
// biases what it estimates.
//
// It must see the same shards as the first pass, each through its own
// SecondPass (started from the merged Scan, and told where its shard
// starts with SetPosition) or in order through one; shards combine with
// Merge, exactly as Scans do.
type SecondPass struct {
	scan      *Scan
	p         *pass1
	mean, sd  []float64
	gridCands [profileN][]int
	maxK      int
	chunks    chunker

	unc, cen []gridCounts
	m3, m4   []exactsum.Sum
	uncOnly  bool       // count only the uncentred ΔCDF (no cen, m3, m4), for bootstrap replicates
	pre      *pairCache // the cache of the pairs being processed (addCached), or nil

	fineOK          bool
	fineStart, step float64
	fine            [fineRungs]xmoments

	exact func(float64) float64 // ℓ(λ) from one more pass over the pairs (SetExact), or nil

	robust robustPlan  // λ and shift of the score features (robust.go)
	rob    robustTotal // their exact sums
	// memCmp is the kept synapses' compared pairs in the order of their
	// positions, made once by comparedMem (labelled passes only).
	memCmp *clusterPairs

	threshold uint64
	seed      uint64
	next      int64 // the position of the next pair process receives
	fed       int64 // the position of the next pair Add receives
	sample0   []float64
	sample1   []float64
	samplePos []int64 // the position of each kept pair
	// labelled says the pairs came with their synapses (AddSynapses): the
	// pass then keeps, beside the sample of pairs, a sample of whole
	// synapses (syn), for the statistics that sum per synapse.
	labelled bool
	syn      synapseSample
	plain    bool // Add was called: AddSynapses may not be
	sorted   bool
}

// SetPosition says where the pairs given to Add next stand among all pairs
// of the passes (the pairs of earlier shards, counted as Add counts them:
// every pair given, in order). A pass over one shard of many starts at the
// number of pairs before that shard; a single pass over everything needs
// no call. The kept subsample depends on it.
func (g *SecondPass) SetPosition(pos int64) {
	g.chunks.flush(g.process)
	g.next, g.fed = pos, pos
}

// SecondPass starts the second pass over the pairs scanned so far (all
// shards merged). sampleMax caps the expected size of the kept subsample
// (all pairs are kept when there are no more than that); the seed chooses
// which pairs.
func (s *Scan) SecondPass(sampleMax int, seed uint64) *SecondPass {
	p := s.final()
	nc := len(s.plans)
	g := &SecondPass{scan: s, p: p, mean: make([]float64, nc), sd: make([]float64, nc),
		unc: make([]gridCounts, nc), cen: make([]gridCounts, nc),
		m3: make([]exactsum.Sum, nc), m4: make([]exactsum.Sum, nc), seed: seed, maxK: profileZero}
	for c, pl := range s.plans {
		m, _ := s.candTotals(c)
		g.mean[c] = m.mean
		g.sd[c] = math.Sqrt(m.variance())
		if pl.kind == kindGrid {
			g.gridCands[pl.k] = append(g.gridCands[pl.k], c)
			g.maxK = max(g.maxK, pl.k)
		}
	}
	if p.compared() >= MinPairs {
		g.fineStart, g.step, g.fineOK = planFine(p.gridLogLik(), p.flips)
		g.robust = planRobust(p)
	}
	switch {
	case sampleMax <= 0:
		g.threshold = 0
	case int64(sampleMax) >= p.finite:
		g.threshold = math.MaxUint64
	default:
		g.threshold = uint64(float64(sampleMax) / float64(p.finite) * (1 << 63) * 2)
	}
	return g
}

type pass2Part struct {
	m3, m4   []float64
	s0, s1   []float64
	pos      []int64 // the positions of the kept pairs
	unc, cen []gridCounts
	fine     [fineRungs]moments
	rob      robustChunk

	buf, gridBuf [][]float64 // a worker's scratch for the shifts of a block
	gridBack     []float64   // gridBuf's backing array
}

// Add accumulates a batch of the current shard.
func (g *SecondPass) Add(w0, w1 []float64) {
	if len(w0) != len(w1) {
		panic("testgeom: SecondPass.Add with columns of different lengths")
	}
	if g.labelled {
		panic("testgeom: SecondPass.Add after AddSynapses")
	}
	g.plain = true
	g.add(w0, w1)
}

// add feeds a batch to the chunks.
func (g *SecondPass) add(w0, w1 []float64) {
	g.sorted = false
	g.fed += int64(len(w0))
	g.chunks.feed(w0, w1, g.process)
}

// AddSynapses accumulates a batch of pairs that share synapses: synapse[i]
// labels pair i's (consecutive pairs of one synapse, say). A pass fed this
// way keeps, beside its sample of pairs, a sample of whole synapses chosen
// by a seeded hash of the label (SynapseSample); the cluster-robust
// interval, the bootstrap over synapses and the effect sizes read it, and
// the step models too when it holds every pair (Result). Labels must mean
// the same synapse in every shard, and a pass takes either labelled pairs
// or plain ones, not both.
func (g *SecondPass) AddSynapses(w0, w1 []float64, synapse []int32) {
	keys := make([]uint64, len(synapse))
	for i, c := range synapse {
		keys[i] = uint64(uint32(c))
	}
	g.AddSynapseKeys(w0, w1, keys)
}

// AddSynapseKeys is AddSynapses with 64-bit labels: a hash of each pair's
// synapse id, say, where a table is too large for a dictionary of its ids.
// The label c of AddSynapses is the key uint64(uint32(c)).
func (g *SecondPass) AddSynapseKeys(w0, w1 []float64, synapse []uint64) {
	if len(w0) != len(w1) || len(synapse) != len(w0) {
		panic("testgeom: SecondPass.AddSynapses with columns of different lengths")
	}
	if g.plain {
		panic("testgeom: SecondPass.AddSynapses after Add")
	}
	g.labelled = true
	for i, x0 := range w0 {
		x1 := w1[i]
		if finite(x0) && finite(x1) && g.keeps(func() uint64 { return synapseKey(synapse[i], g.seed) }) {
			g.syn.add(x0, x1, g.fed+int64(i), synapse[i])
		}
	}
	g.add(w0, w1)
}

// synapseSample is the sample of whole synapses of a labelled pass: the
// pairs, their positions and their synapses' labels.
type synapseSample struct {
	w0, w1 []float64
	pos    []int64
	label  []uint64
}

func (s *synapseSample) add(x0, x1 float64, pos int64, label uint64) {
	s.w0, s.w1 = append(s.w0, x0), append(s.w1, x1)
	s.pos, s.label = append(s.pos, pos), append(s.label, label)
}

func (s *synapseSample) merge(o *synapseSample) {
	s.w0, s.w1 = append(s.w0, o.w0...), append(s.w1, o.w1...)
	s.pos, s.label = append(s.pos, o.pos...), append(s.label, o.label...)
}

// sortCanonical puts the sample in the canonical order of a kept sample
// (canonicalPairs): the order of the sample of pairs when both hold every
// pair.
func (s *synapseSample) sortCanonical(seed uint64) {
	ps := canonicalPairs(s.w0, s.w1, func(i int) int64 { return s.pos[i] }, seed)
	label := make([]uint64, len(ps))
	for i, q := range ps {
		s.w0[i], s.w1[i], s.pos[i], label[i] = q.x0, q.x1, q.pos, s.label[q.src]
	}
	s.label = label
}

// keeps reports whether a pair (or a synapse) whose hash key is key() is
// kept in the sample. The key is computed only when the threshold needs
// it: not when the sample keeps every pair, or none.
func (g *SecondPass) keeps(key func() uint64) bool {
	return g.threshold == math.MaxUint64 || (g.threshold > 0 && key() < g.threshold)
}

func (g *SecondPass) process(w0, w1 []float64) {
	base := g.next
	g.next += int64(len(w0))
	nc := len(g.mean)
	parts := make([]*pass2Part, (len(w0)+chunkSize-1)/chunkSize)
	workers := g.scan.workers
	work := make([]*pass2Part, workers)
	parallel.Chunks(len(w0), chunkSize, workers, func(c, lo, hi, w int) {
		if work[w] == nil {
			work[w] = workerBins(nc)
		}
		parts[c] = g.chunk(w0[lo:hi], w1[lo:hi], base+int64(lo), g.pre.slice(lo, hi), work[w])
	})
	for _, wb := range work {
		if wb == nil {
			continue
		}
		for c := range wb.unc {
			g.unc[c].take(&wb.unc[c])
			g.cen[c].take(&wb.cen[c])
		}
		binsPool.Put(wb)
	}
	for _, p := range parts {
		for c := range p.m3 {
			g.m3[c].Add(p.m3[c])
			g.m4[c].Add(p.m4[c])
		}
		for j := range p.fine {
			g.fine[j].add(p.fine[j])
		}
		g.rob.add(&p.rob)
		g.sample0 = append(g.sample0, p.s0...)
		g.sample1 = append(g.sample1, p.s1...)
		g.samplePos = append(g.samplePos, p.pos...)
	}
}

// binsPool keeps the workers' grid counts and shift buffers (about 760 KB
// with the default candidates) from one call of process to the next, empty:
// allocated and cleared afresh for every batch, and for the chunk a batch
// leaves over, they cost more than the counting at 10^8 pairs.
var binsPool sync.Pool

// workerBins returns empty grid counts for nc candidates, with their
// worker's shift buffers.
func workerBins(nc int) *pass2Part {
	if wb, ok := binsPool.Get().(*pass2Part); ok && len(wb.unc) == nc {
		return wb
	}
	return &pass2Part{unc: make([]gridCounts, nc), cen: make([]gridCounts, nc)}
}

// Merge adds another shard's second pass, started from the same merged
// first pass.
func (g *SecondPass) Merge(o *SecondPass) error {
	if len(g.mean) != len(o.mean) || g.robust != o.robust || g.fineOK != o.fineOK || g.fineStart != o.fineStart || g.step != o.step ||
		g.threshold != o.threshold || g.seed != o.seed {
		return errors.New("testgeom: merging second passes started from different first passes")
	}
	if g.labelled && o.plain || g.plain && o.labelled {
		return errors.New("testgeom: merging a second pass of pairs labelled with their synapses and one without")
	}
	g.chunks.flush(g.process)
	o.chunks.flush(o.process)
	for c := range g.unc {
		g.unc[c].merge(&o.unc[c])
		g.cen[c].merge(&o.cen[c])
		g.m3[c].Merge(&o.m3[c])
		g.m4[c].Merge(&o.m4[c])
	}
	for j := range g.fine {
		g.fine[j].merge(&o.fine[j])
	}
	g.rob.merge(&o.rob)
	g.sample0 = append(g.sample0, o.sample0...)
	g.sample1 = append(g.sample1, o.sample1...)
	g.samplePos = append(g.samplePos, o.samplePos...)
	g.syn.merge(&o.syn)
	g.labelled, g.plain = g.labelled || o.labelled, g.plain || o.plain
	g.sorted, g.memCmp = false, nil
	return nil
}

// finish ends the current chunk and puts the subsample in its canonical
// order (by a hash of the values, then by value and position), which does
// not depend on how the pairs were split into shards.
func (g *SecondPass) finish() {
	g.chunks.flush(g.process)
	if g.sorted {
		return
	}
	ps := canonicalPairs(g.sample0, g.sample1, func(i int) int64 { return g.samplePos[i] }, g.seed)
	for i, q := range ps {
		g.sample0[i], g.sample1[i], g.samplePos[i] = q.x0, q.x1, q.pos
	}
	g.syn.sortCanonical(g.seed)
	g.sorted = true
}

// canonicalPair is a pair with its sort key and position, for
// canonicalPairs.
type canonicalPair struct {
	key    uint64
	pos    int64
	x0, x1 float64
	src    int // the pair's index in the input
}

// canonicalPairs sorts the pairs (w0[i], w1[i]) at positions pos(i) into
// the canonical order of a kept sample: by a seeded hash of their values,
// then by value, then by position.
func canonicalPairs(w0, w1 []float64, pos func(i int) int64, seed uint64) []canonicalPair {
	ps := make([]canonicalPair, len(w0))
	for i := range ps {
		ps[i] = canonicalPair{valueKey(w0[i], w1[i], seed), pos(i), w0[i], w1[i], i}
	}
	order := orderKeysInto(len(ps), func(i int) uint64 { return ps[i].key }, func(i, j int) int {
		a, b := &ps[i], &ps[j]
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		if c := cmp.Compare(a.x0, b.x0); c != 0 {
			return c
		}
		if c := cmp.Compare(a.x1, b.x1); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	}, new(orderScratch), nil)
	return Permuted(ps, order)
}

// CanonicalOrder returns the indices of the pairs (w0[i], w1[i]) in the
// order in which a second pass with this seed that keeps every pair lists
// them (SecondPass.Sample). An analysis of pairs in memory that takes them
// in this order computes, to the bit, what a streamed analysis computes
// from the pairs it kept; the order of the input does not matter then.
func CanonicalOrder(w0, w1 []float64, seed uint64) []int {
	ps := canonicalPairs(w0, w1, func(i int) int64 { return int64(i) }, seed)
	idx := make([]int, len(ps))
	for i, q := range ps {
		idx[i] = int(q.pos)
	}
	return idx
}

// Permuted is x in the given order, x[order[0]], x[order[1]], …: the
// values that go with pairs (their groups, their synapses) put in the
// pairs' CanonicalOrder.
func Permuted[T any](x []T, order []int) []T {
	out := make([]T, len(order))
	for j, i := range order {
		out[j] = x[i]
	}
	return out
}

// comparedSample is the kept subsample less the pairs with a zero weight:
// the pairs of the rank diagnostics and the bootstrap, which compare
// candidates on the same pairs as the passes.
func (g *SecondPass) comparedSample() (w0, w1 []float64) {
	g.finish()
	for i, x0 := range g.sample0 {
		if x1 := g.sample1[i]; x0 != 0 && x1 != 0 {
			w0, w1 = append(w0, x0), append(w1, x1)
		}
	}
	return w0, w1
}

// SetExact gives Result the exact profile log-likelihood ℓ(λ) of the pairs
// of the passes (LogLikAccumulator over them, shard by shard), for the λ
// that the coarse grid and the fine ladder do not reach; Result(nil, …)
// then evaluates it there, as a test of pairs in memory does, instead of
// interpolating the grid. Each call may read the pairs again: drivers pass
// a function that does so (package stream re-reads the files).
func (g *SecondPass) SetExact(logLik func(lambda float64) float64) { g.exact = logLik }

// Sample returns the kept subsample of pairs in its canonical order: every
// pair when there are no more than the sampleMax of SecondPass, else those
// chosen by the seeded hash (about sampleMax of them), the same pairs
// however the data were split into shards. The slices must not be modified.
func (g *SecondPass) Sample() (w0, w1 []float64) {
	g.finish()
	return g.sample0, g.sample1
}

// SynapseSample returns the pairs of the whole synapses the pass kept and
// their synapses' labels, in the canonical order of Sample, for a pass of
// pairs labelled with their synapses (AddSynapseKeys; a label c of
// AddSynapses is uint64(uint32(c))): every pair, as Sample, when there are
// no more than the sampleMax of SecondPass; else the pairs of the synapses
// chosen by the seeded hash of their labels (about sampleMax pairs). Passes
// over parts of the same pairs (the groups') give a synapse the same
// label; DenseLabels codes them for Options.Clusters. nil for a pass
// without labels. The slices must not be modified.
func (g *SecondPass) SynapseSample() (w0, w1 []float64, label []uint64) {
	g.finish()
	if !g.labelled {
		return nil, nil, nil
	}
	return g.syn.w0, g.syn.w1, g.syn.label
}

// Seed is the seed the pass was started with (Scan.SecondPass), which
// chooses and orders its kept sample (CanonicalOrder).
func (g *SecondPass) Seed() uint64 { return g.seed }

// KeptAll reports whether the kept sample holds every pair of the passes
// with finite values, and so does the sample of synapses of a pass of
// labelled pairs (SynapseSample).
func (g *SecondPass) KeptAll() bool {
	g.finish()
	return g.keptAll() && (!g.labelled || g.synapsesKeptAll())
}

// synapsesKeptAll reports whether the sample of synapses holds every pair
// of the passes with finite values (call after finish).
func (g *SecondPass) synapsesKeptAll() bool { return int64(len(g.syn.w0)) == g.p.finite }

// fineProfile is ℓ(λ) from the coarse grid and the fine ladder of this
// pass; exact is the fallback outside them (nil: the grid interpolant).
func (g *SecondPass) fineProfile(exact func(float64) float64) *fineProfile {
	g.finish()
	fp := &fineProfile{grid: g.p.gridLogLik(), exact: exact, ok: g.fineOK, start: g.fineStart, step: g.step}
	if exact == nil {
		fp.exact = gridInterpolator(fp.grid)
		fp.interpolated = true
	}
	if g.fineOK {
		for j := range fp.ll {
			lam := g.fineStart + float64(j)*g.step
			fp.ll[j] = profileLogLik(g.fine[j].moments(), lam, g.p.sumL1, g.p.flips)
		}
	}
	return fp
}

// pairKey, which chooses the kept pairs, is a well-mixed hash of a pair,
// its position and the seed (splitmix64 finalisers).
func pairKey(x0, x1 float64, pos int64, seed uint64) uint64 {
	return splitmix.Finalize(valueKey(x0, x1, seed) ^ uint64(pos)*0xbf58476d1ce4e5b9)
}

// synapseKey, which chooses the kept synapses of a labelled pass, is a
// well-mixed hash of a synapse's label and the seed.
func synapseKey(synapse, seed uint64) uint64 {
	return splitmix.Finalize(synapse*0xd1b54a32d192ed03 ^ seed ^ 0x8cb92ba72f3d8dd7)
}

// DenseLabels codes the labels 0, 1, … in order of first appearance: the
// partition of the pairs into synapses, which is all the analyses use (see
// Options.Clusters).
func DenseLabels(keys []uint64) []int32 { return new(SynapseCodes).Code(keys) }

// SynapseCodes codes synapse labels 0, 1, … in order of first appearance,
// the same label to the same code over every call: the kept pairs of
// several passes over parts of the same pairs (the groups') put together.
type SynapseCodes struct{ codes map[uint64]int32 }

// Code codes the labels; nil for nil.
func (s *SynapseCodes) Code(keys []uint64) []int32 {
	if keys == nil {
		return nil
	}
	if s.codes == nil {
		s.codes = make(map[uint64]int32, len(keys)/2)
	}
	out := make([]int32, len(keys))
	for i, k := range keys {
		c, ok := s.codes[k]
		if !ok {
			c = int32(len(s.codes))
			s.codes[k] = c
		}
		out[i] = c
	}
	return out
}

// valueKey, which orders the kept pairs, is a hash of a pair's values and
// the seed: copies of one pair are interchangeable there, so the order of
// a sample that keeps every pair does not depend on positions.
func valueKey(x0, x1 float64, seed uint64) uint64 {
	return splitmix.Finalize(math.Float64bits(x0) ^ (math.Float64bits(x1)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019) ^ seed)
}
