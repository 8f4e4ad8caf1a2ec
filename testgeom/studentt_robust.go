package testgeom

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
)

// The sandwich of the Student-t step model. Per pair, with z = (d − μ)/σ,
// w = 1 + z²/ν and u = (ν + 1)/(ν·w), the scores in θ = (λ, μ, log σ,
// log ν) are
//
//	s_λ = −u·z·a/σ + log|w1|,   s_μ = u·z/σ,   s_σ = u·z² − 1,
//	s_ν = ν·[½(ψ((ν+1)/2) − ψ(ν/2) − 1/ν) − ½ log w + (ν+1)/(2ν)·(z²/ν)/w],
//
// a = ∂d/∂λ. With J the observed information of θ (by central differences
// of the summed scores) and B = Σ s sᵀ, or Σ_c S_c S_cᵀ·G/(G − 1) over the
// G clusters, the sandwich variance of λ̂_t is (J⁻¹ B J⁻¹)_λλ and its ratio
// to the model variance (J⁻¹)_λλ is the scale k_t: about 1 when the t model
// holds and the pairs are independent. ν at a bound of its range is held
// fixed (the score of a parameter at its bound need not vanish).

// tScores adds the per-pair scores at θ to sum and, per pair, calls each
// (when not nil) with the lp index and the score. da holds each pair's
// step d and ∂d/∂λ at λ = θ[0], interleaved (stepsAt). The logs of w are
// taken in blocks (logAbs), where one math.Log a pair was half the time.
func (t *tSteps) tScores(theta [4]float64, free int, da []float64, each func(i int, s [4]float64)) (sum [4]float64) {
	lp := t.lp
	mu, sigma, nu := theta[1], math.Exp(theta[2]), math.Exp(theta[3])
	cnu := 0.5 * (mathext.Digamma((nu+1)/2) - mathext.Digamma(nu/2) - 1/nu)
	var logW [256]float64
	for lo := 0; lo < len(t.idx); lo += len(logW) {
		block := t.idx[lo:min(lo+len(logW), len(t.idx))]
		if free == 4 {
			for k := range block {
				z := (da[2*(lo+k)] - mu) / sigma
				logW[k] = 1 + z*z/nu
			}
			logAbs(logW[:len(block)], logW[:len(block)])
		}
		for k, i := range block {
			d, a := da[2*(lo+k)], da[2*(lo+k)+1]
			z := (d - mu) / sigma
			q := z * z / nu
			w := 1 + q
			u := (nu + 1) / (nu * w)
			s := [4]float64{-u*z*a/sigma + lp.l1[i], u * z / sigma, u*z*z - 1, 0}
			if free == 4 {
				s[3] = nu * (cnu - 0.5*logW[k] + (nu+1)/(2*nu)*q/w)
			}
			for j := range s {
				sum[j] += s[j]
			}
			if each != nil {
				each(i, s)
			}
		}
	}
	return sum
}

// stepAt is the step d of pair i of t.lp at λ and ∂d/∂λ.
func (t *tSteps) stepAt(lambda float64, i int) (d, a float64, ok bool) {
	lp := t.lp
	code := lp.code[i]
	s0 := float64(sign8(code))
	s1 := s0
	if code == 2 || code == -2 {
		s1 = -s0
	}
	return scoreShift(lambda, s0, s1, lp.l0[i], lp.l1[i])
}

// stepsAt is (d, ∂d/∂λ) of every pair of t.idx at λ, interleaved, for
// tScores: the sandwich evaluates the scores at λ̂ seven times (the
// differences in μ, σ and ν, and B), all on the same steps, and at
// λ̂ ± 10⁻⁴ once each.
func (t *tSteps) stepsAt(lambda float64) ([]float64, bool) {
	da := make([]float64, 2*len(t.idx))
	for k, i := range t.idx {
		d, a, ok := t.stepAt(lambda, i)
		if !ok {
			return nil, false
		}
		da[2*k], da[2*k+1] = d, a
	}
	return da, true
}

func sign8(c int8) int8 {
	if c < 0 {
		return -1
	}
	return 1
}

// sandwichScale is k_t at λ̂_t (clusters indexed as the pairs of t.lp, nil
// for independent pairs); NaN when it cannot be computed.
func (t *tSteps) sandwichScale(lh float64, clusters []int32) float64 {
	f := t.fitAt(lh)
	if !finite(f.ll) {
		return math.NaN()
	}
	theta := [4]float64{lh, f.mu, f.s, f.eta}
	free := 4
	if nuAtUpper(f.nu) || nuAtLower(f.nu) {
		free = 3
	}
	da, ok := t.stepsAt(lh)
	if !ok {
		return math.NaN()
	}
	// J by central differences of the summed scores.
	steps := [4]float64{1e-4, 1e-4 * math.Exp(f.s), 1e-4, 1e-4}
	J := mat.NewSymDense(free, nil)
	var cols [4][4]float64
	for j := range free {
		tp, tm := theta, theta
		tp[j] += steps[j]
		tm[j] -= steps[j]
		dp, dm := da, da // only a difference in λ moves the steps
		if j == 0 {
			var ok1, ok2 bool
			dp, ok1 = t.stepsAt(tp[0])
			dm, ok2 = t.stepsAt(tm[0])
			if !ok1 || !ok2 {
				return math.NaN()
			}
		}
		sp := t.tScores(tp, free, dp, nil)
		sm := t.tScores(tm, free, dm, nil)
		for m := range free {
			cols[m][j] = -(sp[m] - sm[m]) / (2 * steps[j])
		}
	}
	for j := range free {
		for m := j; m < free; m++ {
			J.SetSym(j, m, (cols[j][m]+cols[m][j])/2)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(J) {
		return math.NaN()
	}
	var A mat.SymDense
	if err := chol.InverseTo(&A); err != nil {
		return math.NaN()
	}
	var outer [4][4]float64 // B's upper triangle, summed here (not through SetSym, a call per term)
	addOuter := func(s [4]float64, wt float64) {
		for j := range free {
			for m := j; m < free; m++ {
				outer[j][m] += wt * s[j] * s[m]
			}
		}
	}
	if clusters == nil {
		t.tScores(theta, free, da, func(_ int, s [4]float64) { addOuter(s, 1) })
	} else {
		per := map[int32]*[4]float64{}
		t.tScores(theta, free, da, func(i int, s [4]float64) {
			c := per[clusters[i]]
			if c == nil {
				c = new([4]float64)
				per[clusters[i]] = c
			}
			for j := range s {
				c[j] += s[j]
			}
		})
		g := float64(len(per))
		if g < 2 {
			return math.NaN()
		}
		// Sum the clusters in a fixed order: the result must not depend on
		// map iteration.
		keys := make([]int32, 0, len(per))
		for k := range per {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			addOuter(*per[k], g/(g-1))
		}
	}
	B := mat.NewSymDense(free, nil)
	for j := range free {
		for m := j; m < free; m++ {
			B.SetSym(j, m, outer[j][m])
		}
	}
	var ab, aba mat.Dense
	ab.Mul(&A, B)
	aba.Mul(&ab, &A)
	k := aba.At(0, 0) / A.At(0, 0)
	if !(k > 0) || !finite(k) {
		return math.NaN()
	}
	return k
}
