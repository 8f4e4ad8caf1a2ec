package fit

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"

	"github.com/syngeom/syngeom/internal/parallel"
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

// commonStream is the random source of resample b of one purpose, the same
// for every family (common random numbers): the goodness-of-fit subsample
// and the draws behind replicate b are shared, so families are judged on the
// same values, and two families that describe the same law (log-normal and
// power-normal at λ = 0) draw the same resamples and get the same p-values
// instead of two independent Monte Carlo errors.
func commonStream(seed uint64, purpose uint64, b int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, purpose<<48|uint64(b)))
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

// nearHessian is the Hessian of the objective at the fit e on s, which the
// bootstrap refits of a numerical fit reuse (see newtonFixed); nil when the
// family's refits do not go through polishNumeric.
func nearHessian(fam *Family, e *Estimate, s *sample) [][]float64 {
	if !(s.truncated || fam.numeric) {
		return nil
	}
	return fdHessian(fam.objective(s), fam.toTheta(e.Params, s), 1e-4)
}

// failureReasons counts the distinct reasons of failed resamples.
func failureReasons(why []string) map[string]int {
	var m map[string]int
	for _, w := range why {
		if w == "" {
			continue
		}
		if m == nil {
			m = map[string]int{}
		}
		m[w]++
	}
	return m
}

// bootstrapGOF computes parametric-bootstrap p-values of the KS, CvM and AD
// statistics. Memory is one resample (and its logs) per worker.
func bootstrapGOF(fam *Family, e *Estimate, s *sample, opts Options) *PValues {
	pv := &PValues{N: s.n}
	base, bs := e, s
	sorted := s.sortedX()
	if s.n > opts.GOFMaxN {
		sub := subsample(s.x, opts.GOFMaxN, commonStream(opts.Seed, streamSubsample, 0))
		slices.Sort(sub)
		ss := newSample(sub, opts.Workers)
		ss.sorted = sub
		ss.truncated, ss.lower = s.truncated, s.lower
		pv.Subsample, pv.N = true, len(sub)
		es, err := fam.fitSample(ss, e.Params)
		if err != nil {
			pv.Skipped = "the fit on the subsample failed: " + err.Error()
			return pv
		}
		base, bs, sorted = es, ss, sub
	}
	obsKS, obsCvM, obsAD := gofStatsData(sorted, base.Law(), s.truncated, s.lower)
	if pv.Subsample {
		pv.SubsampleKS, pv.SubsampleCvM, pv.SubsampleAD = num(obsKS), num(obsCvM), num(obsAD)
	}
	m, nb := pv.N, opts.GOFSamples
	stats := make([][3]float64, nb)
	why := make([]string, nb)
	law := base.Law()
	hess := nearHessian(fam, base, bs)
	bufs := make([][2][]float64, opts.Workers)
	var done atomic.Int64
	parallel.For(nb, opts.Workers, func(b, w int) {
		defer func() {
			if opts.Progress != nil {
				opts.Progress(fam.Name, int(done.Add(1)), nb)
			}
		}()
		if opts.cancelled() {
			return // FitContext returns ctx.Err()
		}
		if bufs[w][0] == nil {
			bufs[w] = [2][]float64{make([]float64, m), make([]float64, m)}
		}
		x := bufs[w][0]
		r := commonStream(opts.Seed, streamGOF, b)
		for i := range x {
			x[i] = law.Rand(r)
			if math.IsNaN(x[i]) || math.IsInf(x[i], 0) {
				why[b] = "the fitted law could not be sampled (a draw is not finite)"
				return
			}
		}
		slices.Sort(x)
		sb := newSampleBuf(x, 1, bufs[w][1])
		sb.sorted = x
		sb.truncated, sb.lower = s.truncated, s.lower
		sb.nearHessian = hess
		p, err := fam.estimate(sb, base.Params)
		if err != nil {
			why[b] = "refit failed: " + err.Error()
			return
		}
		var refitted Distribution = fam.build(p)
		if s.truncated {
			refitted = Truncate(refitted, s.lower)
		}
		ks, cvm, ad := gofStats(x, refitted)
		stats[b] = [3]float64{ks, cvm, ad}
		if math.IsNaN(ks) || math.IsNaN(cvm) || math.IsNaN(ad) || math.IsInf(ad, 0) {
			why[b] = "a statistic of the refit is not finite"
		}
	})
	var ge [3]int
	obs := [3]float64{obsKS, obsCvM, obsAD}
	for b := 0; b < nb; b++ {
		if why[b] != "" {
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
	pv.FailureReasons = failureReasons(why)
	if pv.Samples > 0 {
		p := func(j int) (*float64, bool) {
			if math.IsNaN(obs[j]) || math.IsInf(obs[j], 0) {
				return nil, false
			}
			return num(float64(1+ge[j]) / float64(1+pv.Samples)), ge[j] == 0
		}
		pv.KS, pv.KSAtFloor = p(0)
		pv.CvM, pv.CvMAtFloor = p(1)
		pv.AD, pv.ADAtFloor = p(2)
	}
	return pv
}

// bootstrapCI computes percentile intervals of the parameters from
// nonparametric resamples of the data, refitting each. It returns the
// intervals by parameter name and the number of resamples that failed.
func bootstrapCI(fam *Family, e *Estimate, s *sample, opts Options) (map[string][2]float64, int) {
	nb, n, k := opts.Bootstrap, s.n, fam.NumParameters()
	est := make([][]float64, nb)
	hess := nearHessian(fam, e, s)
	bufs := make([][2][]float64, opts.Workers)
	parallel.For(nb, opts.Workers, func(b, w int) {
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
		sb.nearHessian = hess
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

// Floor is the smallest p-value the resamples can give, 1/(Samples+1); 0
// without resamples.
func (p *PValues) Floor() float64 {
	if p == nil || p.Samples == 0 {
		return 0
	}
	return 1 / float64(1+p.Samples)
}

// PValue returns the p-value of one statistic ("ks", "cvm" or "ad") and
// whether it is at the floor, where it is only a bound p ≤ Floor. A nil
// receiver (no bootstrap) gives nil.
func (p *PValues) PValue(stat string) (v *float64, atFloor bool) {
	if p == nil {
		return nil, false
	}
	switch stat {
	case "ks":
		return p.KS, p.KSAtFloor
	case "cvm":
		return p.CvM, p.CvMAtFloor
	case "ad":
		return p.AD, p.ADAtFloor
	}
	return nil, false
}
