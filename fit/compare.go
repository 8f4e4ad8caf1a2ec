package fit

import (
	"fmt"
	"math"
)

// VuongTest compares two fitted, non-nested families by the per-observation
// log-likelihood ratios m_i = log f_A(x_i) − log f_B(x_i) (Vuong 1989):
// Z = Σ m_i / (√n ω), ω² the variance of the m_i, asymptotically N(0, 1)
// when both models are equally close to the truth. Positive Z favours A.
type VuongTest struct {
	A         string   `json:"a"`         // the first family's name
	B         string   `json:"b"`         // the second family's name
	Statistic *float64 `json:"statistic"` // Z; positive favours A
	PValue    *float64 `json:"p_value"`   // two-sided
	// The Schwarz-corrected version subtracts (k_A − k_B)/2 · log n from
	// the log-likelihood ratio, penalising the larger model like BIC.
	StatisticSchwarz *float64 `json:"statistic_schwarz"`
	PValueSchwarz    *float64 `json:"p_value_schwarz"` // two-sided, of StatisticSchwarz
	// Favours is A, B, or "neither" at the 5% level (uncorrected).
	Favours string `json:"favours"`
	// Status is StatusOK, StatusNotInformative (the two fits coincide, or
	// one is not identified; Reason says which) or why there is no test.
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"` // why the test is not informative
}

// minVuongOmega is the smallest standard deviation of the pointwise
// log-likelihood ratios for which the Vuong test is informative. Below it
// the two fitted laws differ by less than 0.1% in density almost
// everywhere: they coincide (typically one family is the other's limit)
// and Z is a ratio of two rounding-sized numbers. Vuong's own condition
// for the normal limit is ω > 0.
const minVuongOmega = 1e-3

// LRTest is the likelihood-ratio test of a family against a larger one
// that contains it: 2(ℓ_full − ℓ_nested) is χ² with one degree of freedom
// under the nested model.
type LRTest struct {
	Nested    string   `json:"nested"`    // the smaller family's name
	Full      string   `json:"full"`      // the larger family's name
	Null      string   `json:"null"`      // the restriction tested, e.g. "shape = 1"
	Statistic *float64 `json:"statistic"` // 2(ℓ_full − ℓ_nested), at least 0
	DF        int      `json:"df"`        // degrees of freedom of the χ² law
	PValue    *float64 `json:"p_value"`   // P(χ²_DF ≥ Statistic)
	// Status is StatusOK, or StatusNotInformative when one of the two
	// fits is not identified (Reason says which).
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"` // why the test is not informative
}

// notIdentifiedReason names the fit of a pair that is not identified.
func notIdentifiedReason(a, b *Result) string {
	for _, r := range []*Result{a, b} {
		if r.Status == StatusNotIdentified {
			return r.Family + " is not identified (see its limit)"
		}
	}
	return ""
}

// isNested reports whether one of the families named a and b nests the
// other (Family.nests).
func isNested(a, b string) bool {
	for _, f := range registry {
		if n := f.nests; n != nil && ((n.Name == a && f.Name == b) || (n.Name == b && f.Name == a)) {
			return true
		}
	}
	return false
}

// compare runs the Vuong tests for every pair of fitted non-nested
// families and the LR tests for fitted nested pairs. The pointwise
// log-densities are computed block by block, so memory stays at one block
// per family.
func compare(fits []Result, s *sample) ([]VuongTest, []LRTest) {
	var ok []int
	for i, r := range fits {
		if r.Estimate != nil {
			ok = append(ok, i)
		}
	}
	type pair struct {
		a, b  int
		shift float64 // (ℓ_A − ℓ_B)/n, to centre the sums of squares
	}
	var pairs []pair
	for x := 0; x < len(ok); x++ {
		for y := x + 1; y < len(ok); y++ {
			a, b := fits[ok[x]], fits[ok[y]]
			if isNested(a.Family, b.Family) {
				continue
			}
			pairs = append(pairs, pair{ok[x], ok[y], (a.Estimate.LogLik - b.Estimate.LogLik) / float64(s.n)})
		}
	}
	var tests []VuongTest
	if len(pairs) > 0 && s.n > 1 {
		laws := make([]Distribution, len(fits))
		for _, i := range ok {
			laws[i] = fits[i].Estimate.Law()
		}
		sums := reduce(s.n, s.workers, 2*len(pairs), func(lo, hi int, acc []float64) {
			lp := make([][]float64, len(fits))
			for _, i := range ok {
				lp[i] = make([]float64, hi-lo)
				for j := lo; j < hi; j++ {
					lp[i][j-lo] = laws[i].LogProb(s.x[j])
				}
			}
			for q, p := range pairs {
				var s1, s2 float64
				for j := 0; j < hi-lo; j++ {
					d := lp[p.a][j] - lp[p.b][j] - p.shift
					s1 += d
					s2 += d * d
				}
				acc[2*q], acc[2*q+1] = s1, s2
			}
		})
		n := float64(s.n)
		for q, p := range pairs {
			a, b := fits[p.a], fits[p.b]
			t := VuongTest{A: a.Family, B: b.Family, Status: StatusOK, Favours: "neither"}
			mean := sums[2*q] / n
			omega := math.Sqrt(math.Max(sums[2*q+1]/n-mean*mean, 0))
			lr := a.Estimate.LogLik - b.Estimate.LogLik
			if why := notIdentifiedReason(&a, &b); why != "" {
				t.Status, t.Reason = StatusNotInformative, why
				tests = append(tests, t)
				continue
			}
			if math.IsNaN(omega) || math.IsInf(omega, 0) {
				t.Status = "the pointwise likelihoods are not finite: no test"
				tests = append(tests, t)
				continue
			}
			if omega < minVuongOmega {
				t.Status = StatusNotInformative
				t.Reason = fmt.Sprintf("the two fitted laws coincide: the pointwise log-likelihood ratios have sd %.2g < %g (log-likelihood difference %.3g)", omega, minVuongOmega, lr)
				tests = append(tests, t)
				continue
			}
			z := lr / (math.Sqrt(n) * omega)
			ka, kb := float64(len(a.ParamNames)), float64(len(b.ParamNames))
			zs := (lr - (ka-kb)/2*math.Log(n)) / (math.Sqrt(n) * omega)
			t.Statistic, t.PValue = num(z), num(2*NormalSurvival(math.Abs(z)))
			t.StatisticSchwarz, t.PValueSchwarz = num(zs), num(2*NormalSurvival(math.Abs(zs)))
			if 2*NormalSurvival(math.Abs(z)) < 0.05 {
				if z > 0 {
					t.Favours = a.Family
				} else {
					t.Favours = b.Family
				}
			}
			tests = append(tests, t)
		}
	}
	var lrs []LRTest
	for _, full := range registry {
		if full.nests == nil {
			continue
		}
		var small, big *Result
		for i := range fits {
			if fits[i].Estimate == nil {
				continue
			}
			switch fits[i].Family {
			case full.nests.Name:
				small = &fits[i]
			case full.Name:
				big = &fits[i]
			}
		}
		if small == nil || big == nil {
			continue
		}
		// The larger model cannot fit worse; a tiny negative difference is
		// optimiser rounding.
		stat := math.Max(2*(big.Estimate.LogLik-small.Estimate.LogLik), 0)
		t := LRTest{Nested: small.Family, Full: big.Family, Null: full.nestNull, DF: 1, Status: StatusOK}
		if why := notIdentifiedReason(small, big); why != "" {
			t.Status, t.Reason = StatusNotInformative, why
		} else {
			t.Statistic, t.PValue = num(stat), num(math.Erfc(math.Sqrt(stat/2)))
		}
		lrs = append(lrs, t)
	}
	return tests, lrs
}
