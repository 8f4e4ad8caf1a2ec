package testgeom

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/syngeom/syngeom/internal/exactsum"
)

// The headline interval of λ̂ is the likelihood-ratio interval of the model
// with a Gaussian dual step, recalibrated so that it stays valid when the
// step is not Gaussian (heavy tails) and, with cluster labels, when pairs
// share a synapse.
//
// Per pair i the log-likelihood is
//
//	ℓ_i(λ, μ, σ²) = −½ log 2πσ² − (d_i − μ)²/(2σ²) + (λ − 1) L_i,
//
// d_i the Box–Cox shift at λ, L_i = log|w1_i|. Profiling out μ and σ² makes
// the efficient score for λ (the λ-score minus its projection on the
// nuisance scores)
//
//	s̃_i = [−e_i (a_i − ā) + c (e_i²/σ² − 1)]/σ² + L_i,
//
// with e_i = d_i − μ̂, a_i = ∂d_i/∂λ, ā its mean and c the mean of e·a.
// The model's information for λ is the curvature H = −ℓ″ of the profile;
// the sandwich (Huber–White) variance of λ̂ is Σ s̃_i²/H², or with clusters
// Σ_c (Σ_{i∈c} s̃_i)²/H². Their ratio to the model variance 1/H,
//
//	k = Σ s̃_i² / H,
//
// is 1 when the Gaussian model holds (information equality) and grows with
// the tails of the step. The robust interval is {λ: 2(ℓ̂ − ℓ(λ)) ≤ k·χ²₁,0.95}
// with k floored at 1:
// the profile's shape (its asymmetry) is kept and its scale corrected, and
// it tends to the sandwich Wald interval λ̂ ± 1.96·√k/√H for large n.
//
// s̃_i is linear in the features f = (x, a, x·a, x², L) of a pair, x = d − K
// for a fixed shift K near the mean shift; the second pass sums f and f fᵀ
// at a planned λ_r (the maximum of the coarse profile's interpolant), so
// Σ(s̃_i − s̄)² = bᵀ C b follows from the 5×5 covariance C of the features
// at any n. Chunk sums are merged exactly (package exactsum).

// robustF is the number of score features.
const robustF = 5

// robustPlan fixes the λ and the shift of the score features.
type robustPlan struct {
	ok            bool
	lambda, shift float64
}

// planRobust takes λ_r at the maximum of the coarse profile's interpolant,
// and K from the grid means of the shifts around it.
func planRobust(p *pass1) robustPlan {
	grid := p.gridLogLik()
	lh, ok := gridArgmax(grid)
	if !ok || (p.flips > 0 && lh <= 0) {
		return robustPlan{}
	}
	t := lh/profileStep + profileZero
	k := min(max(int(math.Floor(t)), 0), profileN-2)
	meanD := func(k int) float64 {
		m := p.grid[k].mean
		if l := profileLambda(k); k != profileZero {
			m /= l
		}
		return m
	}
	u := t - float64(k)
	K := (1-u)*meanD(k) + u*meanD(k+1)
	if !finite(K) {
		return robustPlan{}
	}
	return robustPlan{ok: true, lambda: lh, shift: K}
}

// gridArgmax is the maximum of the cubic interpolant of the coarse profile
// (false if the grid maximum is at its edge).
func gridArgmax(grid [profileN]float64) (float64, bool) {
	best := -1
	for k, v := range grid {
		if finite(v) && (best < 0 || v > grid[best]) {
			best = k
		}
	}
	if best <= 0 || best >= profileN-1 {
		return 0, false
	}
	interp := gridInterpolator(grid)
	return brentMax(interp, profileLambda(best)-profileStep, profileLambda(best)+profileStep, math.NaN(), 1e-9), true
}

// duCoef are the coefficients (k+1)/(k+2)! of the series of ∂u_λ/∂λ.
var duCoef = func() (c [12]float64) {
	f := 2.0 // (k+2)!
	for k := range c {
		c[k] = float64(k+1) / f
		f *= float64(k + 3)
	}
	return c
}()

// boxCoxDU is ∂u_λ(w)/∂λ for u_λ(w) = (|w|^λ − 1)/λ, of l = log|w|,
// x = λ·l and e = e^x: (l·e − u)/λ, or where x is small (the closed form
// cancels there) the series l² Σ (k+1) x^k/(k+2)!.
func boxCoxDU(lambda, l, x, e float64) float64 {
	if math.Abs(x) < 0.1 {
		s := duCoef[len(duCoef)-1]
		for k := len(duCoef) - 2; k >= 0; k-- {
			s = s*x + duCoef[k]
		}
		return l * l * s
	}
	return (l*e - (e-1)/lambda) / lambda
}

// scoreShift is the Box–Cox shift d of a pair with both weights nonzero at
// λ and a = ∂d/∂λ (signs s, log-weights l); ok is false where the pair has
// no density (a sign change at λ ≤ 0).
func scoreShift(lambda, s0, s1, l0, l1 float64) (d, a float64, ok bool) {
	return scoreShiftExp(lambda, s0, s1, l0, l1, math.Exp(lambda*l0), math.Exp(lambda*l1))
}

// scoreShiftExp is scoreShift given e = e^(λ·l) of both weights.
func scoreShiftExp(lambda, s0, s1, l0, l1, e0, e1 float64) (d, a float64, ok bool) {
	if s0 != s1 {
		if lambda <= 0 {
			return 0, 0, false
		}
		d = (s1*e1 - s0*e0) / lambda
		a = s1*e1*(l1/lambda-1/(lambda*lambda)) - s0*e0*(l0/lambda-1/(lambda*lambda))
		return d, a, true
	}
	x0, x1 := lambda*l0, lambda*l1
	switch {
	case lambda == 0:
		d = s0 * (l1 - l0)
	case math.Abs(x1-x0) < 0.01:
		// e1 − e0 would cancel: the small change from e0 by expm1.
		d = s0 * e0 * math.Expm1(x1-x0) / lambda
	default:
		d = s0 * (e1 - e0) / lambda
	}
	return d, s0 * (boxCoxDU(lambda, l1, x1, e1) - boxCoxDU(lambda, l0, x0, e0)), true
}

// robustFeatures are f = (x, a, x·a, x², L) of a pair.
func (pl robustPlan) features(s0, s1, l0, l1 float64) (f [robustF]float64, ok bool) {
	return pl.featuresExp(s0, s1, l0, l1, math.Exp(pl.lambda*l0), math.Exp(pl.lambda*l1))
}

// featuresExp is features given e^(λ·l) of both weights.
func (pl robustPlan) featuresExp(s0, s1, l0, l1, e0, e1 float64) (f [robustF]float64, ok bool) {
	d, a, ok := scoreShiftExp(pl.lambda, s0, s1, l0, l1, e0, e1)
	if !ok {
		return f, false
	}
	x := d - pl.shift
	return [robustF]float64{x, a, x * a, x * x, l1}, true
}

// robustChunk sums the features of one chunk as deviations from its first
// pair's, which keeps the co-moments accurate.
type robustChunk struct {
	n     int64
	k, s  [robustF]float64
	ss    [robustF][robustF]float64
	fails int64
}

func (c *robustChunk) add(f [robustF]float64) {
	if c.n == 0 {
		c.k = f
	}
	c.n++
	var d [robustF]float64
	for j := range d {
		d[j] = f[j] - c.k[j]
		c.s[j] += d[j]
	}
	for j := range d {
		for m := j; m < robustF; m++ {
			c.ss[j][m] += d[j] * d[m]
		}
	}
}

// robustTotal holds the exact Σf and Σf fᵀ of all chunks.
type robustTotal struct {
	n  int64
	s  [robustF]exactsum.Sum
	ss [robustF * (robustF + 1) / 2]exactsum.Sum
}

// add adds a chunk: its mean m and co-moments C as n·m and C + n·m mᵀ,
// each product added exactly.
func (t *robustTotal) add(c *robustChunk) {
	if c.n == 0 {
		return
	}
	fn := float64(c.n)
	var m [robustF]float64
	for j := range m {
		m[j] = c.k[j] + c.s[j]/fn
		t.s[j].AddInt(c.n, m[j])
	}
	i := 0
	for j := range m {
		for q := j; q < robustF; q++ {
			t.ss[i].Add(c.ss[j][q] - c.s[j]*c.s[q]/fn)
			p := m[j] * m[q]
			t.ss[i].AddInt(c.n, p)
			if finite(p) {
				t.ss[i].AddInt(c.n, math.FMA(m[j], m[q], -p))
			}
			i++
		}
	}
	t.n += c.n
}

func (t *robustTotal) merge(o *robustTotal) {
	t.n += o.n
	for j := range t.s {
		t.s[j].Merge(&o.s[j])
	}
	for j := range t.ss {
		t.ss[j].Merge(&o.ss[j])
	}
}

// fields lists the sums for a codec.
func (t *robustTotal) fields(c codec) {
	c.ints(&t.n)
	for j := range t.s {
		c.sum(&t.s[j])
	}
	for j := range t.ss {
		c.sum(&t.ss[j])
	}
}

// meanCov rounds the means and the covariance (sums of centred products)
// of the features, computed without cancellation.
func (t *robustTotal) meanCov() (m [robustF]float64, cov [robustF][robustF]float64, ok bool) {
	if t.n < 2 {
		return m, cov, false
	}
	const prec = 2200
	bn := new(big.Float).SetPrec(prec).SetInt64(t.n)
	var bs [robustF]*big.Float
	for j := range bs {
		v, fin := t.s[j].Big()
		if !fin {
			return m, cov, false
		}
		bs[j] = new(big.Float).SetPrec(prec).Set(v)
		m[j], _ = new(big.Float).SetPrec(prec).Quo(bs[j], bn).Float64()
	}
	i := 0
	for j := range bs {
		for q := j; q < robustF; q++ {
			v, fin := t.ss[i].Big()
			if !fin {
				return m, cov, false
			}
			prod := new(big.Float).SetPrec(prec).Mul(bs[j], bs[q])
			prod.Quo(prod, bn)
			c := new(big.Float).SetPrec(prec).Sub(new(big.Float).SetPrec(prec).Set(v), prod)
			cov[j][q], _ = c.Float64()
			cov[q][j] = cov[j][q]
			i++
		}
	}
	return m, cov, true
}

// scoreCoef are the coefficients b of s̃ = b·f + const, from the feature
// means m and covariance cov over n pairs.
func scoreCoef(m [robustF]float64, cov [robustF][robustF]float64, n int64) (b [robustF]float64, ok bool) {
	fn := float64(n)
	s2 := cov[0][0] / fn // σ̂²
	if !(s2 > 0) {
		return b, false
	}
	delta, abar, c := m[0], m[1], cov[0][1]/fn
	b[0] = (abar - 2*c*delta/s2) / s2
	b[1] = delta / s2
	b[2] = -1 / s2
	b[3] = c / (s2 * s2)
	b[4] = 1
	return b, true
}

// scoreVariance is Σ(s̃_i − s̄)² = bᵀ C b.
func scoreVariance(b [robustF]float64, cov [robustF][robustF]float64) float64 {
	var v float64
	for j := range b {
		for q := range b {
			v += b[j] * cov[j][q] * b[q]
		}
	}
	return v
}

// clusterScoreVariance is Σ_c (Σ_{i∈c} (s̃_i − s̄))²·G/(G − 1) over the
// usable pairs of pairs with cluster labels, and G the number of clusters
// with a usable pair; indep is Σ_i (s̃_i − s̄)² over the same pairs, which
// the ratio of the two needs when the pairs are a sample of synapses.
func (pl robustPlan) clusterScoreVariance(w0, w1 []float64, clusters []int32, b [robustF]float64) (v, indep float64, g int) {
	type acc struct {
		s float64
		n int
	}
	sums := map[int32]*acc{}
	var order []int32
	var total float64
	var scores []float64
	for i := range w0 {
		x0, x1 := w0[i], w1[i]
		if !finite(x0) || !finite(x1) || x0 == 0 || x1 == 0 {
			continue
		}
		f, ok := pl.features(math.Copysign(1, x0), math.Copysign(1, x1), math.Log(math.Abs(x0)), math.Log(math.Abs(x1)))
		if !ok {
			continue
		}
		var s float64
		for j := range f {
			s += b[j] * f[j]
		}
		a := sums[clusters[i]]
		if a == nil {
			a = &acc{}
			sums[clusters[i]] = a
			order = append(order, clusters[i])
		}
		a.s += s
		a.n++
		total += s
		scores = append(scores, s)
	}
	if len(scores) == 0 || len(order) < 2 {
		return math.NaN(), math.NaN(), len(order)
	}
	mean := total / float64(len(scores))
	for _, c := range order { // first-appearance order: deterministic
		a := sums[c]
		r := a.s - float64(a.n)*mean
		v += r * r
	}
	for _, s := range scores {
		indep += (s - mean) * (s - mean)
	}
	g = len(order)
	return v * float64(g) / float64(g-1), indep, g
}

// LambdaInterval says how the headline interval of λ̂ (Result.LambdaCI)
// was made and keeps the Gaussian-model likelihood-ratio interval beside it.
type LambdaInterval struct {
	// Method is "robust_lr" (the LR interval rescaled by the sandwich
	// variance: valid for non-Gaussian steps), "cluster_robust_lr" (the
	// same with scores summed per synapse, for pairs that share one) or
	// "lr" (the Gaussian-model LR interval, when the correction could not
	// be computed), or "student_t_lr" (the profile-LR interval of the
	// Student-t step model, when the data prefer it: headline.go) or
	// "cluster_robust_student_t_lr" (the same with its cut-off multiplied by
	// the Student-t sandwich scale summed per synapse).
	Method string      `json:"method"`
	LRCI   [2]*float64 `json:"lr_ci"` // 95% LR interval, Gaussian dual step assumed
	// Scale k is the ratio of the sandwich to the model variance of λ̂:
	// about 1 when the Gaussian step model holds, larger with heavier tails
	// or correlated pairs. The robust interval drops max(k, 1)·χ²₁,0.95/2
	// from ℓ̂ (never narrower than the LR interval); SERobust is
	// SEModel·√max(k, 1).
	Scale    *float64 `json:"scale"`
	SEModel  *float64 `json:"se_model"`           // 1/√(−ℓ″(λ̂)), Gaussian step assumed
	SERobust *float64 `json:"se_robust"`          // sandwich standard error
	Clusters int      `json:"clusters,omitempty"` // synapses, with a cluster-robust method
	// ClustersSampled says the Clusters synapses are a random sample of
	// them (the second pass keeps whole synapses beyond 100,000 pairs):
	// the clustering's share of the variance was estimated on them.
	ClustersSampled bool   `json:"clusters_sampled,omitempty"`
	Note            string `json:"note,omitempty"` // why the correction could not be computed, or (Student-t) ν̂ and the preference
	// With Method "student_t_lr" (the data prefer Student-t steps, and the
	// headline is that model's: see headline.go) the Gaussian headline it
	// replaced: its method, λ̂ and interval.
	GaussianMethod    string     `json:"gaussian_method,omitempty"`
	GaussianLambdaHat *float64   `json:"gaussian_lambda_hat,omitempty"` // the Gaussian λ̂ replaced
	GaussianCI        []*float64 `json:"gaussian_ci,omitempty"`         // the Gaussian interval replaced
}

// scoreModel is the efficient score's coefficients b on the score
// features and the features' covariance, from the pass's sums at its
// planned λ; ok is false when they could not be planned or computed.
func (g *SecondPass) scoreModel() (b [robustF]float64, cov [robustF][robustF]float64, ok bool) {
	if !g.robust.ok {
		return b, cov, false
	}
	g.finish()
	m, cov, ok := g.rob.meanCov()
	if ok {
		b, ok = scoreCoef(m, cov, g.rob.n)
	}
	return b, cov, ok
}

// RobustScale is the ratio k of the sandwich variance of λ̂ to the model's,
// 1/se² being the model's information (se its curvature standard error),
// from the score sums of the pass at its planned λ near λ̂: the RobustScale
// of a group profile that is streamed. For pairs that share synapses
// (AddSynapses) the scores are summed per synapse, as in the headline
// interval (clusteredVariance). NaN when the pass could not plan or
// compute them.
func (g *SecondPass) RobustScale(se float64) float64 {
	b, cov, ok := g.scoreModel()
	if !ok || !(se > 0) {
		return math.NaN()
	}
	v := scoreVariance(b, cov)
	if mem := g.comparedMem(); mem != nil {
		v, _ = g.clusteredVariance(mem, b, v)
	}
	return v * se * se
}

// clusteredVariance is the score variance of pairs that share synapses,
// summed per synapse, and the number of synapses it was computed on: over
// every pair when the pass kept them all; else the exact variance of the
// independent scores, v, scaled by the share the clustering adds in the
// kept synapses.
func (g *SecondPass) clusteredVariance(mem *clusterPairs, b [robustF]float64, v float64) (float64, int) {
	vc, indep, synapses := g.robust.clusterScoreVariance(mem.w0, mem.w1, mem.clusters, b)
	if g.synapsesKeptAll() {
		return vc, synapses
	}
	return v * vc / indep, synapses
}

// robustInterval replaces r.LambdaCI by the robust interval and records
// the LR interval in r.LambdaInterval. mem, when set, holds the in-memory
// pairs with cluster labels for the cluster-robust variance.
func (g *SecondPass) robustInterval(r *Result, fp *fineProfile, mem *clusterPairs) {
	if r.LambdaHat == nil {
		return
	}
	li := &LambdaInterval{Method: "lr", LRCI: r.LambdaCI}
	r.LambdaInterval = li
	if !g.robust.ok {
		li.Note = "the sandwich variance was not computed (no interior maximum on the λ grid); the interval assumes a Gaussian dual step"
		return
	}
	b, cov, ok := g.scoreModel()
	if !ok {
		li.Note = "the sandwich variance could not be computed; the interval assumes a Gaussian dual step"
		return
	}
	lhat := *r.LambdaHat
	f := fp.logLik
	lmax := f(lhat)
	se := CurvatureSE(f, lhat, lmax)
	if !(se > 0) {
		li.Note = "the profile is not concave at λ̂; the interval assumes a Gaussian dual step"
		return
	}
	h := 1 / (se * se)
	v := scoreVariance(b, cov)
	method := "robust_lr"
	if mem != nil {
		v, li.Clusters = g.clusteredVariance(mem, b, v)
		method = "cluster_robust_lr"
		if !g.synapsesKeptAll() {
			li.ClustersSampled = true
			li.Note = fmt.Sprintf("the scores' clustering by synapse is estimated on the %d synapses the sample kept (%d of the %d pairs)", li.Clusters, len(mem.w0), g.p.compared())
		}
	}
	k := v / h
	if !(k > 0) || !finite(k) {
		li.Note = "the sandwich variance could not be computed; the interval assumes a Gaussian dual step"
		return
	}
	li.Scale, li.SEModel = num(k), num(se)
	// The sandwich is noisy in small samples and under-estimates there
	// (k ≈ 0.92 at n = 300 under Gaussian steps): the interval is never
	// narrower than the LR interval.
	k = math.Max(k, 1)
	li.SERobust = num(se * math.Sqrt(k))
	target := lmax - k*chi2Crit95Half
	calls := fp.exactCalls
	gf := func(x float64) float64 { return f(x) - target }
	lo := crossing(fp.grid, gf, lhat, -1, target, se*math.Sqrt(k))
	hi := crossing(fp.grid, gf, lhat, +1, target, se*math.Sqrt(k))
	li.Method = method
	for _, t := range []*LRTest{&r.LRTests.Euclidean, &r.LRTests.NegativeEntropy} {
		if t.Stat != nil {
			st := *t.Stat / k
			t.StatRobust, t.PValueRobust = num(st), num(math.Erfc(math.Sqrt(st/2)))
		} else if t.PValue != nil && *t.PValue == 0 { // impossible (sign changes)
			t.PValueRobust = num(0)
		}
	}
	r.LambdaCI = [2]*float64{num(lo), num(hi)}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		li.Note = joinNotes(li.Note, fmt.Sprintf("the robust interval is unbounded within |λ| ≤ %d", lambdaLimit))
	}
	if fp.interpolated && fp.exactCalls > calls {
		li.Note = joinNotes(li.Note, "its ends are partly interpolated from the λ grid (the scale is beyond the fine ladder)")
	}
}

// clusterPairs are in-memory pairs with the cluster (synapse) of each.
type clusterPairs struct {
	w0, w1   []float64
	clusters []int32
}

// comparedMem is the compared pairs of the kept synapses of a labelled
// pass (AddSynapses), in the order of their positions, with their labels:
// every pair of the input in its order when the pass kept them all. The
// cluster-robust interval, the bootstrap over synapses, the step models
// and the effect sizes read them. nil for a pass without labels.
func (g *SecondPass) comparedMem() *clusterPairs {
	if !g.labelled {
		return nil
	}
	if g.memCmp == nil {
		g.finish()
		s := &g.syn
		idx := make([]int, len(s.w0))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(s.pos[a], s.pos[b]) })
		m := &clusterPairs{w0: make([]float64, 0, len(idx)), w1: make([]float64, 0, len(idx))}
		keys := make([]uint64, 0, len(idx))
		for _, i := range idx {
			if x0, x1 := s.w0[i], s.w1[i]; Compared(x0, x1) {
				m.w0, m.w1, keys = append(m.w0, x0), append(m.w1, x1), append(keys, s.label[i])
			}
		}
		m.clusters = DenseLabels(keys)
		g.memCmp = m
	}
	return g.memCmp
}

// scaleInMemory is the sandwich-to-model variance ratio k of λ̂ on
// in-memory pairs (the same features as the second pass, at λ̂ itself;
// se is the model standard error 1/√(−ℓ″(λ̂))); NaN if not computable.
// With clusters the scores are summed per cluster.
func scaleInMemory(w0, w1 []float64, clusters []int32, lhat, se float64) float64 {
	if !(se > 0) {
		return math.NaN()
	}
	type pr struct{ s0, s1, l0, l1 float64 }
	var ps []pr
	var sum float64
	for i := range w0 {
		x0, x1 := w0[i], w1[i]
		if !finite(x0) || !finite(x1) || x0 == 0 || x1 == 0 {
			continue
		}
		p := pr{math.Copysign(1, x0), math.Copysign(1, x1), math.Log(math.Abs(x0)), math.Log(math.Abs(x1))}
		d, _, ok := scoreShift(lhat, p.s0, p.s1, p.l0, p.l1)
		if !ok {
			return math.NaN()
		}
		ps = append(ps, p)
		sum += d
	}
	if len(ps) < MinPairs {
		return math.NaN()
	}
	pl := robustPlan{ok: true, lambda: lhat, shift: sum / float64(len(ps))}
	var tot robustTotal
	for lo := 0; lo < len(ps); lo += chunkSize {
		var c robustChunk
		for _, p := range ps[lo:min(lo+chunkSize, len(ps))] {
			f, _ := pl.features(p.s0, p.s1, p.l0, p.l1)
			c.add(f)
		}
		tot.add(&c)
	}
	m, cov, ok := tot.meanCov()
	if !ok {
		return math.NaN()
	}
	b, ok := scoreCoef(m, cov, tot.n)
	if !ok {
		return math.NaN()
	}
	if clusters != nil {
		v, _, _ := pl.clusterScoreVariance(w0, w1, clusters, b)
		return v * se * se
	}
	return scoreVariance(b, cov) * se * se
}

// Label names the kind of the headline interval for a sentence:
// "robust", "synapse-robust" or "Gaussian-model likelihood-ratio".
func (li *LambdaInterval) Label() string {
	switch {
	case li == nil:
		return "likelihood-ratio"
	case li.Method == "robust_lr":
		return "robust"
	case li.Method == "robust_student_t_lr":
		return "robust Student-t"
	case li.Method == "cluster_robust_lr":
		return "synapse-robust"
	case li.Method == "student_t_lr":
		return "Student-t likelihood-ratio"
	case li.Method == "cluster_robust_student_t_lr":
		return "synapse-robust Student-t"
	}
	return "Gaussian-model likelihood-ratio"
}

// robustBlock holds the score features of a block of pairs, feature by
// feature, and the shifts and their derivatives as the vectors compute them.
type robustBlock struct {
	f    [robustF][pairBlockSize]float64
	d, a [pairBlockSize]float64
	fix  [pairBlockSize / 4]uint8 // by groups of four, the pairs left to scoreShiftExp
}

// addBlock adds the score features of a block of pairs (signs s, logs l,
// e = e^(λ_r·l)) to c: their deviations from c.k first, then the sums, in
// the order in which add would sum them pair by pair. The shifts and their
// derivatives come four pairs at a time from scoreVector where it can, with
// scoreShiftExp's bits (TestRobustAddBlock). BenchmarkRobust, median CPU ns
// per pair: 43.7 pair by pair, 21.1 by blocks with the deviations in a loop
// of their own, 18.8 as here without the vectors.
func (pl robustPlan) addBlock(c *robustChunk, fb *robustBlock, s0, s1, l0, l1, e0, e1 []float64) {
	s1 = s1[:len(s0)]
	l0 = l0[:len(s0)]
	l1 = l1[:len(s0)]
	e0 = e0[:len(s0)]
	e1 = e1[:len(s0)]
	v := 0
	if pl.lambda != 0 {
		v = scoreVector(pl.lambda, s0, s1, l0, l1, e0, e1, fb.d[:], fb.a[:], fb.fix[:])
	}
	m := 0
	k := c.k
	for j := range s0 {
		var d, a float64
		if j < v && fb.fix[j>>2]>>(j&3)&1 == 0 {
			d, a = fb.d[j], fb.a[j]
		} else {
			var ok bool
			if d, a, ok = scoreShiftExp(pl.lambda, s0[j], s1[j], l0[j], l1[j], e0[j], e1[j]); !ok {
				continue
			}
		}
		x := d - pl.shift
		if c.n == 0 && m == 0 {
			// The chunk's first pair: its features are the chunk's shift.
			k = [robustF]float64{x, a, x * a, x * x, l1[j]}
			c.k = k
		}
		fb.f[0][m], fb.f[1][m], fb.f[2][m], fb.f[3][m], fb.f[4][m] = x-k[0], a-k[1], x*a-k[2], x*x-k[3], l1[j]-k[4]
		m++
	}
	c.addBlock(fb, m)
}

// addBlock adds the first m deviations of fb as add adds them one pair at a
// time, with the same sums in the same order: one loop per feature j for
// Σ d_j and Σ d_j d_q (q ≥ j), so that the sums stay in registers.
func (c *robustChunk) addBlock(fb *robustBlock, m int) {
	if m == 0 {
		return
	}
	c.n += int64(m)
	d0, d1, d2, d3, d4 := fb.f[0][:m], fb.f[1][:m], fb.f[2][:m], fb.f[3][:m], fb.f[4][:m]
	{
		s, a0, a1, a2, a3, a4 := c.s[0], c.ss[0][0], c.ss[0][1], c.ss[0][2], c.ss[0][3], c.ss[0][4]
		for i, v := range d0 {
			s += v
			a0 += v * v
			a1 += v * d1[i]
			a2 += v * d2[i]
			a3 += v * d3[i]
			a4 += v * d4[i]
		}
		c.s[0], c.ss[0][0], c.ss[0][1], c.ss[0][2], c.ss[0][3], c.ss[0][4] = s, a0, a1, a2, a3, a4
	}
	{
		s, a1, a2, a3, a4 := c.s[1], c.ss[1][1], c.ss[1][2], c.ss[1][3], c.ss[1][4]
		for i, v := range d1 {
			s += v
			a1 += v * v
			a2 += v * d2[i]
			a3 += v * d3[i]
			a4 += v * d4[i]
		}
		c.s[1], c.ss[1][1], c.ss[1][2], c.ss[1][3], c.ss[1][4] = s, a1, a2, a3, a4
	}
	{
		s2, a22, a23, a24 := c.s[2], c.ss[2][2], c.ss[2][3], c.ss[2][4]
		s3, a33, a34 := c.s[3], c.ss[3][3], c.ss[3][4]
		s4, a44 := c.s[4], c.ss[4][4]
		for i, v := range d2 {
			u, w := d3[i], d4[i]
			s2 += v
			a22 += v * v
			a23 += v * u
			a24 += v * w
			s3 += u
			a33 += u * u
			a34 += u * w
			s4 += w
			a44 += w * w
		}
		c.s[2], c.ss[2][2], c.ss[2][3], c.ss[2][4] = s2, a22, a23, a24
		c.s[3], c.ss[3][3], c.ss[3][4] = s3, a33, a34
		c.s[4], c.ss[4][4] = s4, a44
	}
}
