package analysis

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/internal/splitmix"
	"github.com/syngeom/syngeom/noise"
	"github.com/syngeom/syngeom/testgeom"
)

// Rounding to float16 or bfloat16 is noise of a known size on both the
// before and the after weights (checkpoint.DType.RoundingCV). On request the
// checkpoint test runs the noise-corrected estimate of λ with that noise,
// on a seeded subsample of the pairs held in memory.

// Defaults and limits of the in-memory subsample of the rounding-noise
// correction: the correction simulates the experiment many times, so its
// time grows with the pairs (about 20 s for 20,000 pairs on two cores).
const (
	// DefaultRoundingPairs is the default cap on the subsample
	// (CheckpointTestOptions.RoundingPairs).
	DefaultRoundingPairs = 20_000
	// MaxRoundingPairs is the largest cap allowed.
	MaxRoundingPairs  = 1_000_000
	maxRoundingGroups = 8 // per-group corrections only up to this many groups
)

// RoundingNoise is the correction for rounding of `syngeom test
// --rounding-noise` (checkpoint.rounding_noise in the JSON).
type RoundingNoise struct {
	Status     string            `json:"status"`     // ok, or why there is no correction
	CV         float64           `json:"cv"`         // multiplicative noise of each weight
	Source     string            `json:"source"`     // the dtypes behind CV
	Sample     RoundingSample    `json:"sample"`     // the pairs the correction used
	Notes      []string          `json:"notes"`      // what the correction assumes and leaves out
	Correction *noise.Correction `json:"correction"` // of all sampled pairs (nil: none)
	// Groups are the corrections of each group's share of the sample
	// (nil with one group, or too many).
	Groups []RoundingGroup `json:"groups"`
}

// RoundingSample is the subsample behind a RoundingNoise.
type RoundingSample struct {
	Eligible     int64  `json:"eligible"`      // pairs the correction could use
	Used         int    `json:"used"`          // pairs it used
	Cap          int    `json:"cap"`           // the most it could use (CheckpointTestOptions.RoundingPairs)
	Seed         uint64 `json:"seed"`          // the seed of the draw
	Subsampled   bool   `json:"subsampled"`    // Used < Eligible
	PositiveOnly bool   `json:"positive_only"` // only pairs with w0 > 0 (indirect method)
}

// RoundingGroup is the correction for rounding of one group's share of
// the sample.
type RoundingGroup struct {
	Group      string            `json:"group"`      // the group's name
	Pairs      int               `json:"pairs"`      // of the subsample
	CV         float64           `json:"cv"`         // multiplicative noise of each weight
	Source     string            `json:"source"`     // the dtypes behind CV
	Status     string            `json:"status"`     // ok, or why there is no correction
	Correction *noise.Correction `json:"correction"` // nil: none
}

// sampled is a pair kept by the subsample, with its random key.
type sampled struct {
	key    uint64
	tensor int
	pos    int64
	w0, w1 float64
}

// keyHeap keeps the pairs with the smallest keys, largest on top.
type keyHeap []sampled

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return h[i].key > h[j].key }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(sampled)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// sampleRoundingPairs reads the pairs once more and keeps a uniform random
// subsample of at most size eligible pairs (compared, and with w0 > 0 when
// positive): the pairs with the smallest keys of a seeded hash of their
// tensor and position, so the sample depends on the seed only, not on the
// batch sizes. It returns the sample in file order and the eligible count.
func sampleRoundingPairs(ctx context.Context, src *checkpoint.Source, seed uint64, size int, positive bool) ([]sampled, int64, error) {
	h := make(keyHeap, 0, min(size, 1<<16))
	var eligible int64
	pos := make([]int64, len(src.Plan.Pairs))
	base := splitmix.Mix(seed ^ 0x726f756e64) // "round"
	_, err := src.Plan.Read(func(t int, w0, w1 []float64) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i, a := range w0 {
			p := pos[t]
			pos[t]++
			b := w1[i]
			if !testgeom.Compared(a, b) || positive && a <= 0 {
				continue
			}
			eligible++
			k := splitmix.Finalize(base ^ splitmix.Mix(uint64(t)<<40^uint64(p)))
			switch {
			case len(h) < size:
				heap.Push(&h, sampled{k, t, p, a, b})
			case k < h[0].key:
				h[0] = sampled{k, t, p, a, b}
				heap.Fix(&h, 0)
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	s := []sampled(h)
	slices.SortFunc(s, func(a, b sampled) int {
		if a.tensor != b.tensor {
			return a.tensor - b.tensor
		}
		return int(a.pos - b.pos)
	})
	return s, eligible, nil
}

// pairCV is the rounding CV of one pair: the model has one CV for both
// measurements, so a pair stored in two dtypes gets their root mean square.
func pairCV(d [2]checkpoint.DType) float64 {
	a, b := d[0].RoundingCV(), d[1].RoundingCV()
	if a == b {
		return a
	}
	return math.Sqrt((a*a + b*b) / 2)
}

// roundingSource names the dtypes behind a CV.
func roundingSource(dts [][2]checkpoint.DType) string {
	var names []string
	for _, d := range dts {
		s := d[0].LongName()
		if d[1] != d[0] {
			s += " (before) and " + d[1].LongName() + " (after)"
		}
		if !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	s := "rounding to " + strings.Join(names, ", ")
	if len(names) > 1 {
		s += " (root mean square of their CVs over the sampled pairs)"
	}
	return s
}

// cvOf is the CV and source of a set of sampled pairs.
func cvOf(src *checkpoint.Source, s []sampled) (float64, string) {
	var ss float64
	var dts [][2]checkpoint.DType
	for _, p := range s {
		pr := src.Plan.Pairs[p.tensor]
		d := [2]checkpoint.DType{pr.Before.DType, pr.After.DType}
		ss += pairCV(d) * pairCV(d)
		if !slices.Contains(dts, d) {
			dts = append(dts, d)
		}
	}
	switch len(dts) {
	case 0:
		return 0, "no pairs"
	case 1: // one dtype: its CV exactly
		return pairCV(dts[0]), roundingSource(dts)
	}
	return math.Sqrt(ss / float64(len(s))), roundingSource(dts)
}

// negligibleText says that a CV is too small to correct for.
func negligibleText(cv float64, source string) string {
	return fmt.Sprintf("%s has CV %.2g, negligible next to any change: no correction", source, cv)
}

// roundingNoiseOf runs the correction on the pooled subsample of at most
// size pairs and, with at most maxRoundingGroups groups, on each group's
// share of it, with the method, replicates and bootstrap of nf.
func roundingNoiseOf(ctx context.Context, src *checkpoint.Source, size int, nf TestNoise, seed uint64) (*RoundingNoise, error) {
	var dts [][2]checkpoint.DType
	worst := 0.0
	for _, pr := range src.Plan.Pairs {
		d := [2]checkpoint.DType{pr.Before.DType, pr.After.DType}
		if !slices.Contains(dts, d) {
			dts = append(dts, d)
		}
		worst = max(worst, pairCV(d))
	}
	if worst < checkpoint.NegligibleRoundingCV { // float32 and float64: nothing to read
		r := &RoundingNoise{CV: worst, Source: roundingSource(dts), Notes: []string{}}
		r.Status = negligibleText(r.CV, r.Source)
		r.Sample.Cap, r.Sample.Seed = size, seed
		return r, nil
	}
	positive := nf.Method == noise.MethodIndirect
	s, eligible, err := sampleRoundingPairs(ctx, src, seed, size, positive)
	if err != nil {
		return nil, err
	}
	r := &RoundingNoise{Status: testgeom.StatusOK, Notes: []string{}}
	r.Sample.Eligible, r.Sample.Used, r.Sample.Cap, r.Sample.Seed = eligible, len(s), size, seed
	r.Sample.Subsampled, r.Sample.PositiveOnly = int64(len(s)) < eligible, positive
	if positive {
		r.Notes = append(r.Notes, "the indirect method simulates a positive log-normal initial law, so it uses the pairs with w0 > 0 (the Box–Cox maps are odd: negative weights mirror them); --noise-method simex uses all pairs")
	}
	r.Notes = append(r.Notes, "rounding is modelled as independent multiplicative noise on the before and the after weight (log-normal of the same CV in the simulations); the rounding errors of a pair are in fact correlated when its change is within a rounding step (the unchanged pairs), so the correction is approximate there")
	r.CV, r.Source = cvOf(src, s)
	o := noise.Options{Method: nf.Method, Replicates: nf.Replicates, Bootstrap: nf.Bootstrap, Seed: seed}
	correct := func(s []sampled, cv float64, source string) (string, *noise.Correction, error) {
		if cv < checkpoint.NegligibleRoundingCV {
			return negligibleText(cv, source), nil, nil
		}
		w0, w1 := make([]float64, len(s)), make([]float64, len(s))
		for i, p := range s {
			w0[i], w1[i] = p.w0, p.w1
		}
		c, err := noise.CorrectContext(ctx, w0, w1, noise.Model{CV: cv}, source, o)
		if err != nil {
			return "", nil, err
		}
		return c.Status, c, nil
	}
	if r.Status, r.Correction, err = correct(s, r.CV, r.Source); err != nil {
		return nil, err
	}
	groups := src.Groups()
	if len(groups) < 2 {
		return r, nil
	}
	if len(groups) > maxRoundingGroups {
		r.Notes = append(r.Notes, fmt.Sprintf("no per-group corrections: %d groups (at most %d; select tensors with --tensors or group them with --group-by kind or block)", len(groups), maxRoundingGroups))
		return r, nil
	}
	groupOf := map[string]int{}
	for g, tg := range groups {
		for _, t := range tg.Tensors {
			groupOf[t] = g
		}
	}
	members := make([][]sampled, len(groups))
	for _, p := range s {
		g := groupOf[src.Plan.Pairs[p.tensor].Name]
		members[g] = append(members[g], p)
	}
	r.Groups = []RoundingGroup{}
	for g, tg := range groups {
		rg := RoundingGroup{Group: tg.Name, Pairs: len(members[g])}
		rg.CV, rg.Source = cvOf(src, members[g])
		if rg.Status, rg.Correction, err = correct(members[g], rg.CV, rg.Source); err != nil {
			return nil, err
		}
		r.Groups = append(r.Groups, rg)
	}
	return r, nil
}

// roundingHint is the warning that points to --rounding-noise when
// rounding could dominate the shifts of some tensors (none: "").
func roundingHint(stats []checkpoint.Stats, command string) string {
	var n int
	var cv float64
	var dt checkpoint.DType
	for _, st := range stats {
		if st.RoundingWarning() == "" {
			continue
		}
		n++
		if c := pairCV(st.DTypes); c > cv {
			cv, dt = c, st.DTypes[1]
		}
	}
	if n == 0 || cv < checkpoint.NegligibleRoundingCV {
		return ""
	}
	return fmt.Sprintf("rounding could dominate the shifts of %d of %d tensors: %s adds λ̂ corrected for rounding as known multiplicative noise (CV %.3g for %s)",
		n, len(stats), command, cv, dt.LongName())
}
