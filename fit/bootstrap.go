package fit

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
)

// Purposes of random streams, so that the streams of the GOF bootstrap, the
// subsample and the parameter bootstrap never coincide.
const (
	streamGOF uint64 = iota + 1
	streamSubsample
	streamCI
)

// stream returns the random source of resample b of one purpose and family.
// It depends on the family's name (not its position in the list), so a
// family's p-values do not change when other families are added, and on
// nothing else, so results are identical at any number of workers.
func stream(seed uint64, purpose uint64, fam *Family, b int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(fam.Name))
	return rand.New(rand.NewPCG(seed^h.Sum64(), purpose<<48|uint64(b)))
}

// forEach runs fn(b, w) for b in [0, n) on workers goroutines; w identifies
// the goroutine so it can own reusable buffers.
func forEach(n, workers int, fn func(b, w int)) {
	if workers > n {
		workers = n
	}
	if workers < 1 {
		workers = 1
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				b := int(next.Add(1) - 1)
				if b >= n {
					return
				}
				fn(b, w)
			}
		}(w)
	}
	wg.Wait()
}

// subsample draws m of the values without replacement (selection sampling,
// one pass, order kept).
func subsample(x []float64, m int, r *rand.Rand) []float64 {
	out := make([]float64, 0, m)
	need, left := m, len(x)
	for _, v := range x {
		if need == 0 {
			break
		}
		if r.Float64()*float64(left) < float64(need) {
			out = append(out, v)
			need--
		}
		left--
	}
	return out
}

// bootstrapGOF computes parametric-bootstrap p-values of the KS, CvM and AD
// statistics. Memory is one resample (and its logs) per worker.
func bootstrapGOF(fam *Family, e *Estimate, s *sample, opts Options) *PValues {
	pv := &PValues{N: s.n}
	base := e
	sorted := s.sortedX()
	if s.n > opts.GOFMaxN {
		sub := subsample(s.x, opts.GOFMaxN, stream(opts.Seed, streamSubsample, fam, 0))
		slices.Sort(sub)
		ss := newSample(sub, opts.Workers)
		ss.sorted = sub
		ss.truncated, ss.lower = s.truncated, s.lower
		es, err := fam.fitSample(ss, e.Params)
		if err != nil {
			pv.Subsample, pv.N = true, len(sub)
			return pv
		}
		base, sorted = es, sub
		pv.Subsample, pv.N = true, len(sub)
	}
	obsKS, obsCvM, obsAD := gofStats(sorted, base.Law())
	if pv.Subsample {
		pv.SubsampleKS, pv.SubsampleCvM, pv.SubsampleAD = num(obsKS), num(obsCvM), num(obsAD)
	}
	m, nb := pv.N, opts.GOFSamples
	stats := make([][3]float64, nb)
	valid := make([]bool, nb)
	law := base.Law()
	bufs := make([][2][]float64, opts.Workers)
	forEach(nb, opts.Workers, func(b, w int) {
		if bufs[w][0] == nil {
			bufs[w] = [2][]float64{make([]float64, m), make([]float64, m)}
		}
		x := bufs[w][0]
		r := stream(opts.Seed, streamGOF, fam, b)
		for i := range x {
			x[i] = law.Rand(r)
		}
		slices.Sort(x)
		sb := newSampleBuf(x, 1, bufs[w][1])
		sb.sorted = x
		sb.truncated, sb.lower = s.truncated, s.lower
		p, err := fam.estimate(sb, base.Params)
		if err != nil {
			return
		}
		var refitted Distribution = fam.build(p)
		if s.truncated {
			refitted = Truncate(refitted, s.lower)
		}
		ks, cvm, ad := gofStats(x, refitted)
		stats[b] = [3]float64{ks, cvm, ad}
		valid[b] = !math.IsNaN(ks) && !math.IsNaN(cvm) && !math.IsNaN(ad)
	})
	var ge [3]int
	obs := [3]float64{obsKS, obsCvM, obsAD}
	for b := 0; b < nb; b++ {
		if !valid[b] {
			pv.Failed++
			continue
		}
		pv.Samples++
		for j := range ge {
			if stats[b][j] >= obs[j] {
				ge[j]++
			}
		}
	}
	if pv.Samples > 0 {
		p := func(j int) *float64 {
			if math.IsNaN(obs[j]) {
				return nil
			}
			return num(float64(1+ge[j]) / float64(1+pv.Samples))
		}
		pv.KS, pv.CvM, pv.AD = p(0), p(1), p(2)
	}
	return pv
}

// bootstrapCI computes percentile intervals of the parameters from
// nonparametric resamples of the data, refitting each. It returns the
// intervals by parameter name and the number of resamples that failed.
func bootstrapCI(fam *Family, e *Estimate, s *sample, opts Options) (map[string][2]float64, int) {
	nb, n, k := opts.Bootstrap, s.n, fam.NumParameters()
	est := make([][]float64, nb)
	bufs := make([][2][]float64, opts.Workers)
	forEach(nb, opts.Workers, func(b, w int) {
		if bufs[w][0] == nil {
			bufs[w] = [2][]float64{make([]float64, n), make([]float64, n)}
		}
		x := bufs[w][0]
		r := stream(opts.Seed, streamCI, fam, b)
		for i := range x {
			x[i] = s.x[r.IntN(n)]
		}
		sb := newSampleBuf(x, 1, bufs[w][1])
		sb.truncated, sb.lower = s.truncated, s.lower
		if p, err := fam.estimate(sb, e.Params); err == nil {
			est[b] = p
		}
	})
	failed := 0
	cols := make([][]float64, k)
	for _, p := range est {
		if p == nil {
			failed++
			continue
		}
		for j := range cols {
			cols[j] = append(cols[j], p[j])
		}
	}
	if len(cols[0]) < 2 {
		return nil, failed
	}
	alpha := (1 - opts.Level) / 2
	ci := map[string][2]float64{}
	for j, name := range fam.ParamNames {
		slices.Sort(cols[j])
		ci[name] = [2]float64{quantile7(cols[j], alpha), quantile7(cols[j], 1-alpha)}
	}
	return ci, failed
}

// quantile7 is R's default (type 7) quantile of sorted values.
func quantile7(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}
