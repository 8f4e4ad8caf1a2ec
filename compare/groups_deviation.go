package compare

import (
	"fmt"
	"math"
	"sort"

	"github.com/syngeom/syngeom/internal/numeric"
	"gonum.org/v1/gonum/stat/distuv"
)

// DeviationCorrection names the multiple-comparison correction of the
// per-group deviation tests.
const DeviationCorrection = "Holm"

// DeviationAlpha is the family-wise level at which a group is said to
// deviate from the common λ.
const DeviationAlpha = 0.05

// deviationTests tests, for each group with an estimate and a standard
// error, whether its λ̂ differs from the common λ of the other groups:
// z = (λ̂_g − μ̂₋g)/√(se_g² + 1/Σ_{h≠g} 1/se_h²), where μ̂₋g is the
// inverse-variance weighted mean of the other groups' λ̂ and se is the
// sandwich standard error when present (else the curvature one). Leaving
// the group out keeps it from pulling the common value towards itself,
// which matters with few groups. The two-sided normal p-values are
// adjusted by Holm's step-down method over the tested groups, which
// controls the family-wise error at DeviationAlpha.
func (r *GroupComparison) deviationTests() {
	var idx []int
	var y, v []float64
	for i, g := range r.Groups {
		se := g.SE
		if g.SERobust != nil {
			se = g.SERobust
		}
		if g.LambdaHat == nil || se == nil || !(*se > 0) || !numeric.Finite(*se) {
			continue
		}
		idx, y, v = append(idx, i), append(y, *g.LambdaHat), append(v, *se**se)
	}
	if len(idx) < 2 {
		return
	}
	var sw, swy float64
	for i := range y {
		sw, swy = sw+1/v[i], swy+y[i]/v[i]
	}
	p := make([]float64, len(idx))
	for i := range y {
		wOthers := sw - 1/v[i]
		mu := (swy - y[i]/v[i]) / wOthers
		z := (y[i] - mu) / math.Sqrt(v[i]+1/wOthers)
		p[i] = 2 * distuv.UnitNormal.Survival(math.Abs(z))
		g := &r.Groups[idx[i]]
		g.DeviationZ, g.DeviationPValue = numeric.OrNil(z), numeric.OrNil(p[i])
	}
	adj := holm(p)
	r.DeviationCorrection = fmt.Sprintf("%s over %d groups, family-wise level %g", DeviationCorrection, len(idx), DeviationAlpha)
	r.Deviating = []string{}
	for i, a := range adj {
		g := &r.Groups[idx[i]]
		g.DeviationPAdjusted = numeric.OrNil(a)
		g.Deviates = a < DeviationAlpha
		if g.Deviates {
			r.Deviating = append(r.Deviating, g.Group)
		}
	}
}

// holm returns Holm's step-down adjusted p-values, in the order of p.
func holm(p []float64) []float64 {
	m := len(p)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return p[order[a]] < p[order[b]] })
	adj := make([]float64, m)
	running := 0.0
	for k, i := range order {
		a := math.Min(1, float64(m-k)*p[i])
		running = math.Max(running, a) // adjusted p-values never decrease
		adj[i] = running
	}
	return adj
}

// DeviationSentence names the groups that deviate from the common λ, at
// most show of them by name; "" when the groups were not tested.
func (r *GroupComparison) DeviationSentence(show int) string {
	if r.DeviationCorrection == "" {
		return ""
	}
	if len(r.Deviating) == 0 {
		return fmt.Sprintf(" No group's λ̂ deviates from the common λ of the others (%s).", r.DeviationCorrection)
	}
	var names []string
	for _, g := range r.Groups {
		if g.Deviates && len(names) < show {
			names = append(names, fmt.Sprintf("%s (λ̂ = %.3f)", g.Group, *g.LambdaHat))
		}
	}
	s := joinNames(names)
	if rest := len(r.Deviating) - len(names); rest > 0 {
		s += fmt.Sprintf(" and %d more", rest)
	}
	verb := "deviate"
	if len(r.Deviating) == 1 {
		verb = "deviates"
	}
	return fmt.Sprintf(" %s %s from the common λ of the others (%s).", s, verb, r.DeviationCorrection)
}

func joinNames(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := ""
	for i, x := range s[:len(s)-1] {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out + " and " + s[len(s)-1]
}
