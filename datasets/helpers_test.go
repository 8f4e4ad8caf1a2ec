package datasets

import (
	"math"
	"sort"

	"github.com/syngeom/syngeom/geometry"
)

// deltaCDF is the paper's uncentred ΔCDF of the dual shifts of pairs under
// pot (plots.py): z = d/sd(d) with the n−1 sd, F_n(x) = #{z < x}/n on 1000
// points of [−5, 5], ΔCDF = h·Σ|F_n − Φ|. Pairs where the dual is undefined
// or missing are skipped. It is written here, independently of testgeom,
// so these tests check the simulators against the paper's definition.
func deltaCDF(pot geometry.Potential, before, after []float64) float64 {
	var d []float64
	for i := range before {
		if !pot.Defined(before[i]) || !pot.Defined(after[i]) {
			continue
		}
		d = append(d, pot.Dual(after[i])-pot.Dual(before[i]))
	}
	n := float64(len(d))
	var mean float64
	for _, v := range d {
		mean += v
	}
	mean /= n
	var ss float64
	for _, v := range d {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / (n - 1))
	for i := range d {
		d[i] /= sd
	}
	sort.Float64s(d)
	const points = 1000
	h := 10.0 / (points - 1)
	var sum float64
	k := 0
	for j := range points {
		x := -5 + float64(j)*h
		for k < len(d) && d[k] < x {
			k++
		}
		sum += math.Abs(float64(k)/n - 0.5*math.Erfc(-x/math.Sqrt2))
	}
	return h * sum
}

// lambdaHat maximises the profile likelihood of the geometry estimate over a grid of
// step 0.01 on [lo, hi]: d_λ = u_λ(w1) − u_λ(w0) ~ N(μ, σ²),
// ℓ(λ) = −n/2·(log 2πσ̂² + 1) + (λ−1)·Σ log|w1|, on pairs with nonzero
// weights. u_λ(w) = sign(w)|w|^λ/λ is the p-norm dual map scaled by 1/λ,
// continuous through 0, so pairs whose sign flips stay in; with flips
// present only λ > 0 is searched (NE and beyond give them zero likelihood),
// without flips λ ≤ 0 uses u = sign(w)(|w|^λ − 1)/λ and log|w| at 0.
func lambdaHat(before, after []float64, lo, hi float64) float64 {
	var w0, w1 []float64
	flips := false
	for i := range before {
		if before[i] != 0 && after[i] != 0 && !math.IsNaN(before[i]+after[i]) {
			w0 = append(w0, before[i])
			w1 = append(w1, after[i])
			flips = flips || (before[i] > 0) != (after[i] > 0)
		}
	}
	n := float64(len(w0))
	var sumLog float64
	for _, v := range w1 {
		sumLog += math.Log(math.Abs(v))
	}
	u := func(w, lam float64) float64 {
		if lam > 0 {
			return math.Copysign(math.Pow(math.Abs(w), lam)/lam, w)
		}
		return geometry.BoxCox{Lambda: lam}.Dual(w)
	}
	best, bestL := math.NaN(), math.Inf(-1)
	for k := 0; ; k++ {
		lam := lo + 0.01*float64(k)
		if lam > hi+1e-9 {
			break
		}
		if flips && lam < 0.005 {
			continue
		}
		var s, ss float64
		for i := range w0 {
			d := u(w1[i], lam) - u(w0[i], lam)
			s += d
			ss += d * d
		}
		v := ss/n - (s/n)*(s/n)
		l := -n/2*(math.Log(2*math.Pi*v)+1) + (lam-1)*sumLog
		if l > bestL {
			best, bestL = lam, l
		}
	}
	return best
}

var testTruthNE = geometry.NegEntropy{}
