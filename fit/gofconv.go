package fit

import (
	"fmt"
	"math"
)

// The goodness-of-fit statistics compare the data with a continuous law, so
// every value needs a model probability F strictly between 0 and 1. Two
// kinds of value break that and follow these conventions (the observed
// statistics only; the bootstrap draws from the continuous law):
//
//   - Integer data (every value a whole number, such as voxel or synapse
//     counts) are treated as rounded: the value k stands for the interval
//     [k − ½, k + ½) of the continuous law, cut at the truncation point
//     (under "x ≥ L" the value L stands for [L, L + ½)). The m values tied
//     at k get the model probabilities F(k − ½) + (j − ½)/m · (F(k + ½) −
//     F(k − ½)), j = 1…m: the deterministic form of the randomised
//     probability transform, which is uniform under the rounded model.
//     The fit itself uses the density at k, which at this resolution
//     differs from the interval probability by O(1/scale²).
//   - In other data, values equal to the truncation point L are inside the
//     support (x ≥ L) but have F(L) = 0 under a continuous law, which makes
//     AD infinite. They are spread the same way over [L, (L + x₊)/2), x₊
//     the next larger value: the recorded limit stands for values up to
//     halfway to the next one.
//
// Without ties or values at the limit this is the usual F(x).

// IntegerData reports whether every value is a whole number (|x| < 2^53),
// which the goodness-of-fit statistics treat as rounded (see gofStatsData).
func IntegerData(x []float64) bool {
	if len(x) == 0 {
		return false
	}
	for _, v := range x {
		if v != math.Trunc(v) || math.Abs(v) >= 1<<53 {
			return false
		}
	}
	return true
}

// gofStatsData returns the KS, CvM and AD statistics of the data (sorted)
// against law, with the conventions above for integer data and values at
// the truncation point.
func gofStatsData(sorted []float64, law Distribution, truncated bool, lower float64) (ks, cvm, ad float64) {
	integer := IntegerData(sorted)
	atLimit := truncated && len(sorted) > 0 && sorted[0] == lower
	if !integer && !atLimit {
		return gofStats(sorted, law)
	}
	n := len(sorted)
	lf := make([]float64, n)
	ls := make([]float64, n)
	for a := 0; a < n; {
		v := sorted[a]
		b := a + 1
		for b < n && sorted[b] == v {
			b++
		}
		lo, hi, spread := v, v, false
		switch {
		case integer:
			lo, hi, spread = v-0.5, v+0.5, true
			if truncated && lo < lower {
				lo = lower
			}
		case truncated && v == lower && b < n:
			lo, hi, spread = lower, (v+sorted[b])/2, true
		}
		if !spread {
			for j := a; j < b; j++ {
				lf[j], ls[j] = logTails(law, v)
			}
			a = b
			continue
		}
		flo, slo := logTails(law, lo)
		fhi, shi := logTails(law, hi)
		m := float64(b - a)
		for j := a; j < b; j++ {
			t := (float64(j-a) + 0.5) / m
			lt, l1t := math.Log(t), math.Log1p(-t)
			lf[j] = logSumExp(l1t+flo, lt+fhi)
			ls[j] = logSumExp(l1t+slo, lt+shi)
		}
		a = b
	}
	return gofStatsTails(n, func(j int) (float64, float64) { return lf[j], ls[j] })
}

// dataNotes says which goodness-of-fit conventions apply to the data.
func dataNotes(sorted []float64, s *sample) (integer bool, notes []string) {
	integer = IntegerData(sorted)
	atLimit := 0
	if s.truncated {
		for _, v := range sorted {
			if v != s.lower {
				break
			}
			atLimit++
		}
	}
	if integer {
		note := "all values are integers: the goodness-of-fit statistics treat them as rounded, the value k standing for [k − ½, k + ½) of the continuous law, and spread tied values evenly over that interval's probability (the fits use the density at k)"
		if s.truncated {
			note += fmt.Sprintf("; the truncation x ≥ %g keeps the count %g, which stands for [%g, %g + ½)", s.lower, s.lower, s.lower, s.lower)
		}
		notes = append(notes, note)
	}
	if atLimit > 0 {
		note := fmt.Sprintf("%d values equal the truncation point %g: they are inside the support (x ≥ %g) and count in the fits", atLimit, s.lower, s.lower)
		if !integer {
			note += "; the goodness-of-fit statistics spread them over the interval from the limit to halfway to the next value, since a continuous law puts no mass at the limit itself"
		}
		notes = append(notes, note)
	}
	return integer, notes
}
