package testgeom

import (
	"cmp"
	"math"
	"slices"

	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
	"gonum.org/v1/gonum/stat/distuv"
)

// ADNormalPValue is the p-value of the Anderson–Darling test of normality
// with mean and variance estimated from the sample (case 3), from the
// modified statistic A*² = A²(1 + 0.75/n + 2.25/n²) and the piecewise
// exponential fit of D'Agostino & Stephens (1986), Goodness-of-Fit
// Techniques, Table 4.9 (also used by R's nortest::ad.test).
func ADNormalPValue(a2 float64, n int) float64 {
	if math.IsNaN(a2) || n < 8 {
		return math.NaN()
	}
	fn := float64(n)
	a := a2 * (1 + 0.75/fn + 2.25/(fn*fn))
	var p float64
	switch {
	case a < 0.2:
		p = 1 - math.Exp(-13.436+101.14*a-223.73*a*a)
	case a < 0.34:
		p = 1 - math.Exp(-8.318+42.796*a-59.938*a*a)
	case a < 0.6:
		p = math.Exp(0.9177 - 4.279*a - 1.38*a*a)
	case a < 153.467: // beyond, the fitted parabola turns upwards
		p = math.Exp(1.2937 - 5.709*a + 0.0186*a*a)
	default:
		p = 0
	}
	return math.Max(0, math.Min(1, p))
}

// andersonDarlingNormal is A² of x against a normal with the sample mean and
// the unbiased standard deviation. x is sorted in place.
func andersonDarlingNormal(x []float64) float64 {
	d := slices.Clone(x)
	slices.Sort(x)
	return adNormalSorted(d, x, nil)
}

// adNormalSorted is andersonDarlingNormal of x, given its values sorted;
// the moments are summed in the order of x. sc, when not nil, lends its
// buffers.
//
// It is fit.AndersonDarlingNormal with the logs of the tails taken in
// blocks by logAbs and summed by fit.AndersonDarlingTails, which were 70% of its time with math.Log and
// math.Log1p: within (−20, 20) one erfc gives the smaller tail t, and
// log(1 − t) stands for log1p(−t), an absolute error below 2e-16 a term.
// A² moves by 3e-11 at n = 10^5 (TestADNormalBlocks), below the rounding
// of its sum of n terms of size up to 2n.
func adNormalSorted(x, sorted []float64, sc *diagScratch) float64 {
	if len(x) < 3 {
		return math.NaN()
	}
	var s shiftedSums
	for _, v := range x {
		s.add(v)
	}
	m := s.moments()
	sd := math.Sqrt(m.variance())
	if !(sd > 0) {
		return math.NaN()
	}
	if sc == nil {
		sc = new(diagScratch)
	}
	n := len(sorted)
	small := slices.Grow(sc.r1[:0], n)[:n]
	large := slices.Grow(sc.r2[:0], n)[:n]
	sc.r1, sc.r2 = small, large
	for j, v := range sorted {
		z := (v - m.mean) / sd
		t := 1.0 // outside (−20, 20) and for NaN: fit's tails, below
		if z > -20 && z < 20 {
			t = 0.5 * math.Erfc(math.Abs(z)/math.Sqrt2)
		}
		small[j], large[j] = t, 1-t
	}
	logAbs(small, small)
	logAbs(large, large)
	return fit.AndersonDarlingTails(n, func(j int) (float64, float64) {
		switch z := (sorted[j] - m.mean) / sd; {
		case z > -20 && z < 0:
			return small[j], large[j]
		case z >= 0 && z < 20:
			return large[j], small[j]
		default:
			return fit.NormalLogCDF(z), fit.NormalLogSurvival(z)
		}
	})
}

// Ranks returns the ranks 1…n of x, ties sharing their average rank.
func Ranks(x []float64) []float64 {
	type entry struct {
		v float64
		i int
	}
	e := make([]entry, len(x))
	for i, v := range x {
		e[i] = entry{v, i}
	}
	slices.SortFunc(e, func(a, b entry) int { return cmp.Compare(a.v, b.v) })
	r := make([]float64, len(x))
	for i := 0; i < len(e); {
		j := i + 1
		for j < len(e) && e[j].v == e[i].v {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1 … j
		for k := i; k < j; k++ {
			r[e[k].i] = avg
		}
		i = j
	}
	return r
}

// Spearman returns Spearman's rank correlation of x and y (average ranks
// for ties) and its two-sided p-value from the t approximation
// t = ρ√((n − 2)/(1 − ρ²)) with n − 2 degrees of freedom.
func Spearman(x, y []float64) (rho, p float64) {
	return spearmanRanks(Ranks(x), Ranks(y))
}

func spearmanRanks(rx, ry []float64) (rho, p float64) {
	n := len(rx)
	if n < 3 {
		return math.NaN(), math.NaN()
	}
	mean := float64(n+1) / 2
	var sxy, sxx, syy float64
	for i := range rx {
		a, b := rx[i]-mean, ry[i]-mean
		sxy += a * b
		sxx += a * a
		syy += b * b
	}
	if sxx == 0 || syy == 0 {
		return math.NaN(), math.NaN()
	}
	rho = sxy / math.Sqrt(sxx*syy)
	if math.Abs(rho) >= 1 {
		return rho, 0
	}
	df := float64(n - 2)
	t := rho * math.Sqrt(df/(1-rho*rho))
	return rho, 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(-math.Abs(t))
}

// Bin summarises the dual shifts of the synapses in one quantile bin of the
// initial weight, for plots of shift against size.
type Bin struct {
	W0Lo   float64 `json:"w0_lo"`      // lower edge of the bin in w0
	W0Hi   float64 `json:"w0_hi"`      // upper edge
	W0Mean float64 `json:"w0_mean"`    // mean w0 in the bin
	N      int     `json:"n"`          // pairs in the bin
	Mean   float64 `json:"shift_mean"` // mean dual shift
	SD     float64 `json:"shift_sd"`   // unbiased; 0 for a single synapse
}

// quantileBins splits the pairs into nb bins of (nearly) equal counts by w0
// and summarises d in each. order is the permutation sorting w0.
func quantileBins(w0, d []float64, order []int, nb int) []Bin {
	n := len(order)
	if n == 0 || nb <= 0 {
		return nil
	}
	nb = min(nb, n)
	bins := make([]Bin, 0, nb)
	for b := 0; b < nb; b++ {
		lo, hi := b*n/nb, (b+1)*n/nb
		var sw float64
		var s shiftedSums
		for _, i := range order[lo:hi] {
			sw += w0[i]
			s.add(d[i])
		}
		m := s.moments()
		sd := 0.0
		if m.n > 1 {
			sd = math.Sqrt(m.variance())
		}
		bins = append(bins, Bin{W0Lo: w0[order[lo]], W0Hi: w0[order[hi-1]], W0Mean: sw / float64(hi-lo),
			N: hi - lo, Mean: m.mean, SD: sd})
	}
	return bins
}

// candDiagnostics are the sample-based diagnostics of one candidate.
type candDiagnostics struct {
	n                                  int
	ad, adP                            float64
	rhoShift, pShift, rhoSpread, pSpre float64
	relStep                            float64 // see Candidate.RelativeStep
	bins                               []Bin
}

// w0Order holds the ranks of the sampled w0 and the permutation sorting
// them, shared by all candidates that use every sampled pair.
type w0Order struct {
	ranks []float64
	order []int
	// log|w| of the sampled pairs (NaN for 0), computed once for all
	// candidates' dual maps; nil when not set by withLogs.
	log0, log1 []float64
}

// withLogs sets the logs of the sample s0, s1 and returns o.
func (o *w0Order) withLogs(s0, s1 []float64) *w0Order {
	o.log0, o.log1 = make([]float64, len(s0)), make([]float64, len(s1))
	for i := range s0 {
		o.log0[i], o.log1[i] = logNonzero(s0[i]), logNonzero(s1[i])
	}
	return o
}

func logNonzero(w float64) float64 {
	if w == 0 {
		return math.NaN()
	}
	return math.Log(math.Abs(w))
}

// signedPower is sign(w)·e, the p-norm dual of w given e = |w|^λ, and 0
// at w = 0 (where e is NaN).
func signedPower(w, e float64) float64 {
	if w == 0 {
		return 0
	}
	return geometry.Sign(w) * e
}

func newW0Order(w0 []float64) *w0Order {
	order := orderFloats(w0) // w0 is finite
	return &w0Order{ranks: ranksFromOrder(w0, order), order: order}
}

// ranksFromOrder is Ranks(x) from the permutation that sorts x.
func ranksFromOrder(x []float64, order []int) []float64 {
	return ranksFromOrderInto(x, order, nil)
}

// ranksFromOrderInto is ranksFromOrder writing into r (grown as needed).
func ranksFromOrderInto(x []float64, order []int, r []float64) []float64 {
	r = slices.Grow(r[:0], len(x))[:len(x)]
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && x[order[j]] == x[order[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1 … j
		for _, k := range order[i:j] {
			r[k] = avg
		}
		i = j
	}
	return r
}

// spreadRanks is Ranks of |d − med| from the values of d sorted by order
// (sorted[i] = d[order[i]]). The spreads fall towards med from below and
// rise from it above, so merging the two runs sorts them without a sort.
func spreadRanks(sorted []float64, order []int, med float64) []float64 {
	var sc diagScratch
	return spreadRanksInto(sorted, order, med, &sc)
}

// spreadRanksInto is spreadRanks in sc's buffers (the result is sc.r2).
func spreadRanksInto(sorted []float64, order []int, med float64, sc *diagScratch) []float64 {
	n := len(sorted)
	sc.r2 = slices.Grow(sc.r2[:0], n)[:n]
	sc.pos = slices.Grow(sc.pos[:0], n)[:n]
	sc.val = slices.Grow(sc.val[:0], n)[:n]
	r, pos, val := sc.r2, sc.pos, sc.val
	up, _ := slices.BinarySearch(sorted, med) // first value ≥ med
	lo := up - 1
	// next returns the position in sorted of the next smallest spread.
	next := func() (int, float64) {
		if up < n {
			su := math.Abs(sorted[up] - med)
			if lo < 0 || su <= math.Abs(sorted[lo]-med) {
				up++
				return up - 1, su
			}
		}
		lo--
		return lo + 1, math.Abs(sorted[lo+1] - med)
	}
	for i := range n {
		p, v := next()
		pos[i], val[i] = p, v
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && val[j] == val[i] {
			j++
		}
		avg := float64(i+j+1) / 2
		for _, p := range pos[i:j] {
			r[order[p]] = avg
		}
		i = j
	}
	return r
}

// diagScratch holds one worker's buffers of the diagnostics, reused from
// candidate to candidate (each would otherwise allocate about ten arrays of
// the subsample's length).
type diagScratch struct {
	w0, d, sorted, r1, r2, val []float64
	e0, e1                     []float64 // |w|^λ of the sample's pairs
	order, pos                 []int
	sort                       orderScratch
}

// diagnose computes AD, the Spearman checks and the binned shifts of one
// candidate on the (sub)sample s0, s1. shared is used when the candidate
// keeps every sampled pair; sc may be nil.
func diagnose(pl candPlan, s0, s1 []float64, nbins int, shared *w0Order, sc *diagScratch) candDiagnostics {
	if sc == nil {
		sc = new(diagScratch)
	}
	w0, d := sc.w0[:0], sc.d[:0]
	defer func() { sc.w0, sc.d = w0, d }()
	var g0 shiftedSums
	sumD2 := 0.0
	logs := shared != nil && len(shared.log0) == len(s0)
	// The p-norms' |w|^λ = e^(λ·log|w|) for the whole sample in blocks
	// (expScaled, a few ulp from math.Exp): one at a time they were a
	// fifth of the diagnostics. Euclidean (λ = 1) takes dualOf's exact w,
	// so that its shifts are w1 − w0, as a user's own rank correlation
	// takes them, and equal steps stay tied.
	var e0, e1 []float64
	if logs && (pl.kind == kindGrid || pl.kind == kindPow) && pl.lambda != 1 {
		e0 = slices.Grow(sc.e0[:0], len(s0))[:len(s0)]
		e1 = slices.Grow(sc.e1[:0], len(s1))[:len(s1)]
		sc.e0, sc.e1 = e0, e1
		expScaled(e0, shared.log0, pl.lambda)
		expScaled(e1, shared.log1, pl.lambda)
	}
	for i := range s0 {
		x0, x1 := s0[i], s1[i]
		if !pl.pot.Defined(x0) || !pl.pot.Defined(x1) {
			continue
		}
		w0 = append(w0, x0)
		var gx0, gx1 float64
		if e0 != nil {
			gx0, gx1 = signedPower(x0, e0[i]), signedPower(x1, e1[i])
		} else {
			gx0, gx1 = dualOf(pl, x0), dualOf(pl, x1)
		}
		d = append(d, gx1-gx0)
		g0.add(gx0)
		sumD2 += d[len(d)-1] * d[len(d)-1]
	}
	out := candDiagnostics{n: len(d), ad: math.NaN(), adP: math.NaN(), rhoShift: math.NaN(),
		pShift: math.NaN(), rhoSpread: math.NaN(), pSpre: math.NaN(), relStep: math.NaN()}
	if len(d) < 3 {
		return out
	}
	if sd0 := math.Sqrt(g0.moments().variance()); sd0 > 0 {
		out.relStep = math.Sqrt(sumD2/float64(len(d))) / sd0
	}
	o := shared
	if o == nil || len(o.ranks) != len(d) {
		o = newW0Order(w0)
	}
	if slices.ContainsFunc(d, func(v float64) bool { return !finite(v) }) {
		diagnoseSorting(&out, d, o)
	} else {
		// One sort of d serves the AD test and both rank correlations.
		order := orderFloatsInto(d, &sc.sort, sc.order)
		sc.order = order
		sorted := slices.Grow(sc.sorted[:0], len(d))[:len(d)]
		sc.sorted = sorted
		for i, j := range order {
			sorted[i] = d[j]
		}
		out.ad = adNormalSorted(d, sorted, sc)
		out.adP = ADNormalPValue(out.ad, len(d))
		sc.r1 = ranksFromOrderInto(d, order, sc.r1)
		out.rhoShift, out.pShift = spearmanRanks(sc.r1, o.ranks)
		out.rhoSpread, out.pSpre = spearmanRanks(spreadRanksInto(sorted, order, median(sorted), sc), o.ranks)
	}
	out.bins = quantileBins(w0, d, o.order, nbins)
	return out
}

// median is the median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 0 {
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return sorted[n/2]
}

// diagnoseSorting computes AD and the rank correlations by comparison
// sorts, for shifts with NaN (which Ranks puts first) or infinities.
func diagnoseSorting(out *candDiagnostics, d []float64, o *w0Order) {
	sorted := slices.Clone(d)
	out.ad = andersonDarlingNormal(sorted) // sorts in place
	out.adP = ADNormalPValue(out.ad, len(d))
	med := median(sorted)
	spread := make([]float64, len(d))
	for i, v := range d {
		spread[i] = math.Abs(v - med)
	}
	out.rhoShift, out.pShift = spearmanRanks(Ranks(d), o.ranks)
	out.rhoSpread, out.pSpre = spearmanRanks(Ranks(spread), o.ranks)
}
