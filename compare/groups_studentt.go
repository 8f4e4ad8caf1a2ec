package compare

import (
	"fmt"
	"math"
	"strings"

	"github.com/syngeom/syngeom/internal/numeric"
	"github.com/syngeom/syngeom/testgeom"
	"gonum.org/v1/gonum/stat/distuv"
)

// Step models of a group comparison (GroupComparison.StepModel).
const (
	StepGaussian = "gaussian"  // normal steps in the dual space
	StepStudentT = "student_t" // Student-t steps, for heavy-tailed changes
)

// groupStudentTMax caps the pairs for which a group comparison is also
// fitted under Student-t steps: every evaluation of a group's Student-t
// profile is a Fisher-scoring fit over its pairs, and the comparison needs
// about a hundred per group.
const groupStudentTMax = 200000

// StepModelTest tests Gaussian dual steps in every group at once: the sum
// over groups of 2(ℓ_t − ℓ_G) at each group's own maxima. Each term tests
// ν_g = ∞ on the boundary, so for independent groups the null law is the
// mixture Σ_k C(G, k) 2^−G χ²_k (Self & Liang 1987).
type StepModelTest struct {
	Stat   *float64 `json:"stat"`           // Σ over groups of 2(ℓ_t − ℓ_G)
	Groups int      `json:"groups"`         // groups with both fits
	PValue *float64 `json:"p_value"`        // under the χ² mixture
	Note   string   `json:"note,omitempty"` // why the test did not run, when it did not
}

// chooseStepModel refits a Gaussian-step group comparison under Student-t
// steps and returns the Student-t one, with the Gaussian one inside it, when
// the data reject Gaussian steps in the groups jointly at 5%; else the
// Gaussian one with the test. sets and clusters are the groups' pairs and
// synapse labels, in the order of names. Once stop says so the Student-t
// profiles return at once, for a result the caller discards.
func chooseStepModel(g *GroupComparison, sets []*pairSet, clusters [][]int32, names []string, stop func() bool) *GroupComparison {
	if g.SharedLambda == nil {
		return g
	}
	total := 0
	for _, s := range sets {
		total += s.n
	}
	if total > groupStudentTMax {
		g.StepModelTest = &StepModelTest{Note: fmt.Sprintf("not run: Student-t steps are fitted to group comparisons of at most %d pairs (%d here)", groupStudentTMax, total)}
		return g
	}
	profiles := make([]GroupProfile, len(sets))
	for i, s := range sets {
		st := s.lik.StudentT()
		cl := clusters[i]
		profiles[i] = GroupProfile{Group: names[i], N: s.n, LogLik: stoppable(st.LogLik, stop), Shift: st.Shift,
			RobustScale: func(lhat, _ float64) float64 { return st.SandwichScale(cl, lhat) }}
	}
	t := compareProfiles(profiles, g.Note, StepStudentT)
	test := stepModelTest(g, t)
	g.StepModelTest, t.StepModelTest = test, test
	if t.SharedLambda == nil || test.PValue == nil || *test.PValue >= 0.05 {
		if test.PValue != nil {
			g.Assumptions = strings.Replace(g.Assumptions, gaussianUntested, gaussianKept, 1)
			g.Verdict += " " + g.StepModelSentence()
		}
		return g
	}
	g.Assumptions = strings.Replace(g.Assumptions, gaussianUntested, gaussianRejected, 1)
	t.Gaussian = g
	t.Verdict += " " + t.StepModelSentence()
	return t
}

// stepModelTest compares the groups' own maxima of the two comparisons.
func stepModelTest(g, t *GroupComparison) *StepModelTest {
	var stat float64
	k := 0
	for i := range g.Groups {
		a, b := g.Groups[i].LogLik, t.Groups[i].LogLik
		if a == nil || b == nil {
			continue
		}
		stat += math.Max(0, 2*(*b-*a))
		k++
	}
	if k == 0 {
		return &StepModelTest{Note: "no group has both fits"}
	}
	return &StepModelTest{Stat: numeric.OrNil(stat), Groups: k, PValue: numeric.OrNil(chiBarSquaredSurvival(stat, k))}
}

// chiBarSquaredSurvival is P(X > x) for X the mixture Σ_j C(k, j) 2^−k χ²_j
// (χ²_0 a point mass at 0): the null law of the sum of k independent
// likelihood-ratio statistics for parameters on their boundary.
func chiBarSquaredSurvival(x float64, k int) float64 {
	if !(x > 0) {
		return 1
	}
	lgk, _ := math.Lgamma(float64(k + 1))
	var p float64
	for j := 1; j <= k; j++ {
		lgj, _ := math.Lgamma(float64(j + 1))
		lgr, _ := math.Lgamma(float64(k - j + 1))
		w := math.Exp(lgk - lgj - lgr - float64(k)*math.Ln2)
		p += w * distuv.ChiSquared{K: float64(j)}.Survival(x)
	}
	return math.Min(p, 1)
}

// StepWord names the comparison's step model in prose.
func (r *GroupComparison) StepWord() string {
	if r.StepModel == StepStudentT {
		return "Student-t"
	}
	return "Gaussian"
}

// StepModelSentence says which step model the comparison uses and why, and
// gives the Gaussian shared estimate beside a Student-t one; empty when
// the test was not run.
func (r *GroupComparison) StepModelSentence() string {
	t := r.StepModelTest
	if t == nil {
		return ""
	}
	if t.PValue == nil {
		return "Step model: Gaussian (Student-t " + t.Note + ")."
	}
	s := fmt.Sprintf("Step model: %s (test of Gaussian steps in all %d groups: 2Δℓ = %.4g, p %s, boundary mixture of χ²)", r.StepWord(), t.Groups, *t.Stat, testgeom.PValueEq(*t.PValue))
	if g := r.Gaussian; g != nil && g.SharedLambda != nil {
		d := testgeom.LambdaDecimals(g.SharedLambdaCI, 3)
		s += fmt.Sprintf("; under Gaussian steps the shared λ̂ would be %s, 95%% CI %s", testgeom.FormatFixed(*g.SharedLambda, d), testgeom.FormatCI(g.SharedLambdaCI, d))
	}
	return s + "."
}

// ShiftWords names each group's own step parameters in the shared model.
func (r *GroupComparison) ShiftWords() string {
	if r.StepModel == StepStudentT {
		return "own Student-t step location, scale and ν"
	}
	return "own shift mean and sd"
}
