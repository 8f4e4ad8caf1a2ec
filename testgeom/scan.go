package testgeom

import (
	"errors"
	"fmt"
	"math"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
)

// The coarse λ grid of the likelihood profile: λ_k = (k − profileZero)·Δ for
// k = 0 … profileN−1, i.e. −1.5 … 3.5 in steps of 0.1 (p = λ + 1 from −0.5
// to 4.5). It contains λ = 0 (NE) and the paper's exponents p = 1.1 … 3.0,
// whose dual shifts are read off the same ladder. The maximum and the
// interval are then refined on the exact likelihood, also outside the grid.
const (
	profileStep = 0.1
	profileN    = 51
	profileZero = 15
)

func profileLambda(k int) float64 { return float64(k-profileZero) * profileStep }

// chunkSize is the fixed unit of parallel work. Partial results are merged
// in chunk order, so the output does not depend on the number of cores.
const chunkSize = 8192

type candKind int

const (
	kindGrid    candKind = iota // p-norm whose λ = p − 1 is on the ladder
	kindPow                     // p-norm off the ladder: one exp per weight
	kindNE                      // negative entropy, computed as the paper does
	kindGeneric                 // anything else, through the Potential methods
)

type candPlan struct {
	pot    geometry.Potential
	kind   candKind
	k      int     // ladder index for kindGrid
	lambda float64 // λ = p − 1 for the p-norms
}

func planCandidates(cands []geometry.Potential) []candPlan {
	plans := make([]candPlan, len(cands))
	for i, c := range cands {
		plans[i] = candPlan{pot: c, kind: kindGeneric, k: -1}
		switch q := c.(type) {
		case geometry.NegEntropy:
			plans[i].kind = kindNE
		case geometry.PNorm:
			lam := q.P - 1
			plans[i].lambda = lam
			plans[i].kind = kindPow
			k := int(math.Round(lam/profileStep)) + profileZero
			if k > profileZero && k < profileN && math.Abs(lam-profileLambda(k)) < 1e-9 {
				plans[i].kind, plans[i].k = kindGrid, k
			}
		}
	}
	return plans
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Compared reports whether the pair (w0, w1) is one that every candidate
// can use: both weights finite and nonzero. Every statistic that ranks or
// compares candidates, and every fit or figure beside them, uses these
// pairs only; the others are counted.
func Compared(w0, w1 float64) bool { return finite(w0) && finite(w1) && w0 != 0 && w1 != 0 }

// candSums are one candidate's pass-1 sums over the compared set: the pairs
// with both weights finite and nonzero, which every candidate and the
// likelihood can use. Pairs with a zero weight are only counted: negative
// entropy and the likelihood (log|w1|) cannot use them, so scoring the
// potentials defined at 0 on them would compare candidates on different
// pairs.
type candSums struct {
	lik    moments
	likG   float64 // Σ g(w0)² for the change magnitude
	likJac float64 // Σ log|g′(w1)| (generic potentials only)
	zeroN  int64   // pairs with a zero weight this candidate could use (not compared)
}

// pairCounts are the first pass's counts of pairs.
type pairCounts struct {
	finite    int64 // pairs with both weights finite
	nonFinite int64
	zeroPairs int64 // finite pairs with at least one zero weight: counted, not compared
	flips     int64 // pairs with both weights nonzero whose sign changes
	changed   int64 // finite pairs with w1 ≠ w0
}

func (c *pairCounts) add(o pairCounts) {
	c.finite += o.finite
	c.nonFinite += o.nonFinite
	c.zeroPairs += o.zeroPairs
	c.flips += o.flips
	c.changed += o.changed
}

// pass1 is the mergeable result of the first pass.
type pass1 struct {
	pairCounts
	sumL1 float64
	grid  [profileN]moments // moments of e_λ = s1|w1|^λ − s0|w0|^λ (λ = 0: s·log(w1/w0))
	gridG [profileN]float64 // Σ |w0|^(2λ)
	cand  []candSums
}

// compared is the number of pairs every candidate is scored on: both
// weights finite and nonzero.
func (p *pass1) compared() int64 { return p.finite - p.zeroPairs }

// workerCount is parallel.Workers: w, or GOMAXPROCS for w ≤ 0.
func workerCount(w int) int { return parallel.Workers(w) }

// Scan is the first pass of the paired test as a mergeable accumulator: per
// candidate the moments of the dual shifts and Σ g(w0)², and the moments of
// the Box–Cox shifts on the λ ladder with Σ log|w1| for the likelihood.
//
// The pairs given to one Scan through Add form a shard: they are cut into
// fixed chunks of chunkSize pairs counted from the shard's first pair,
// whatever the batch sizes, and the chunks run in parallel. Scans of other
// shards (other files, row groups or machines) combine with Merge. Chunk
// results are added exactly (package exactsum), so the result depends only
// on the shards, not on batch sizes, worker counts or the order of merges.
// Reading a result, Merge and SecondPass end the current chunk. A Scan is
// not safe for concurrent use.
type Scan struct {
	cands   []geometry.Potential
	plans   []candPlan
	workers int
	chunks  chunker
	acc     *total1
	p       *pass1     // acc rounded, nil when stale
	pre     *pairCache // the cache of the pairs being processed (addCached), or nil
	top     int        // the highest rung walked (pass1Chunk)
}

// NewScan starts a first pass over the given candidates (nil: the paper's
// grid). workers ≤ 0 uses GOMAXPROCS.
func NewScan(cands []geometry.Potential, workers int) *Scan {
	if cands == nil {
		cands = geometry.DefaultCandidates()
	}
	plans := planCandidates(cands)
	return &Scan{cands: cands, plans: plans, workers: workerCount(workers), acc: newTotal1(len(plans)), top: profileN - 1}
}

// Add accumulates a batch of pairs (w0[i], w1[i]) of the current shard.
func (s *Scan) Add(w0, w1 []float64) {
	if len(w0) != len(w1) {
		panic(fmt.Sprintf("testgeom: Scan.Add with %d before and %d after values", len(w0), len(w1)))
	}
	s.p = nil
	s.chunks.feed(w0, w1, s.process)
}

// process reduces whole chunks (the last one may be partial) in parallel.
func (s *Scan) process(w0, w1 []float64) {
	parts := make([]*pass1, (len(w0)+chunkSize-1)/chunkSize)
	parallel.Chunks(len(w0), chunkSize, s.workers, func(c, lo, hi, _ int) {
		parts[c] = pass1Chunk(s.plans, w0[lo:hi], w1[lo:hi], s.pre.slice(lo, hi), s.top)
	})
	for _, p := range parts {
		s.acc.add(p)
	}
}

// final ends the current chunk and returns the rounded totals.
func (s *Scan) final() *pass1 {
	if s.p == nil {
		s.chunks.flush(s.process)
		s.p = s.acc.final()
	}
	return s.p
}

var errCandidatesDiffer = errors.New("testgeom: merging scans of different candidates")

// Merge adds the pairs of another scan with the same candidates, as a
// separate shard.
func (s *Scan) Merge(o *Scan) error {
	if err := sameCandidates(s.cands, o.cands); err != nil {
		return err
	}
	s.chunks.flush(s.process)
	o.chunks.flush(o.process)
	s.acc.merge(o.acc)
	s.p = nil
	return nil
}

func sameCandidates(a, b []geometry.Potential) error {
	if len(a) != len(b) {
		return errCandidatesDiffer
	}
	for i := range a {
		if a[i].Name() != b[i].Name() {
			return errCandidatesDiffer
		}
	}
	return nil
}

// Pairs is the number of pairs with both weights finite seen so far.
func (s *Scan) Pairs() int64 { return s.final().finite }

// candTotals is a candidate's moments of the shifts and Σ g(w0)² on the
// compared set, the same pairs for every candidate.
func (s *Scan) candTotals(c int) (m moments, g float64) {
	p := s.final()
	pl, cs := s.plans[c], p.cand[c]
	if pl.kind == kindGrid {
		return p.grid[pl.k], p.gridG[pl.k]
	}
	return cs.lik, cs.likG
}
