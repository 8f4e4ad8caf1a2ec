package analysis

import (
	"context"
	"fmt"
	"strings"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// PooledLabel names the top-level analysis of a grouped run: all synapses
// fitted with one shift distribution, which is not the estimate when the
// groups' shifts differ.
const PooledLabel = "pooled, one shift for all groups"

// compareGroups fits the common-λ model of a paired analysis with groups
// from the groups' second passes, as a streamed analysis compares them
// (compare.SecondPasses: exactly for the groups kept in full; pairs that
// share synapses on the synapses the passes kept, the scores summed per
// synapse).
func compareGroups(ctx context.Context, res *Result, names []string, opts Options) error {
	if res.Design != "paired" || res.data.group == nil || len(names) < 2 {
		return nil
	}
	opts.Progress(fmt.Sprintf("fitting one λ shared by %d groups", len(names)))
	passes := make([]*testgeom.SecondPass, len(res.Groups))
	for i := range res.Groups {
		passes[i] = res.Groups[i].data.pass
	}
	gc, err := compare.SecondPassesContext(ctx, names, passes)
	if err != nil {
		return err
	}
	res.GroupComparison = gc
	return nil
}

// compareStreamedGroups fits the common-λ model from the merged passes
// (stream.CompareGroups): exactly as in memory for the groups whose pairs
// the second pass kept in full, from their profile likelihoods otherwise.
func compareStreamedGroups(ctx context.Context, res *Result, cfg stream.Config, first *stream.Part1, second *stream.Part2) error {
	if len(res.Groups) < 2 {
		return nil
	}
	gc, err := stream.CompareGroupsContext(ctx, cfg, first, second)
	if err != nil {
		return err
	}
	res.GroupComparison = gc
	return nil
}

// groupedVerdict is the verdict of a paired analysis with groups, a short
// paragraph that stays short with hundreds of groups: the model with one λ
// shared by the groups (each with its own shift mean and sd) and its tests
// of the named geometries, the spread across groups and the test of a
// common λ, the groups that deviate from the common λ (by name, a few at
// most), how many groups the model fits poorly, and the naive pooled λ̂
// labelled as such. Every group's own estimate is in the summary table.
func groupedVerdict(res *Result) string {
	gc := res.GroupComparison
	if gc.SharedLambda == nil || gc.LRPValue == nil {
		return gc.Verdict
	}
	var b strings.Builder
	test := fmt.Sprintf("LR p %s", testgeom.PValueEq(*gc.LRPValue))
	if gc.RobustPValue != nil {
		test = fmt.Sprintf("robust Q p %s; %s-step LR p %s", testgeom.PValueEq(*gc.RobustPValue), gc.StepWord(), testgeom.PValueEq(*gc.LRPValue))
	}
	if gc.Differ {
		fmt.Fprintf(&b, "The groups' geometries differ (test of a common λ across %d groups: %s): no single λ describes them. Shared model: ", len(gc.Groups), test)
	} else {
		own := gc.ShiftWords()
		if gc.StepModel == compare.StepStudentT {
			own = "own Student-t steps" // the long form is in the tables
		}
		fmt.Fprintf(&b, "One λ shared by the %d groups (each with its %s): ", len(gc.Groups), own)
	}
	d := testgeom.LambdaDecimals(gc.SharedLambdaCI, 3)
	fmt.Fprintf(&b, "λ̂ = %s, 95%% CI %s, p̂ = %s, %s", testgeom.FormatFixed(*gc.SharedLambda, d), testgeom.FormatCI(gc.SharedLambdaCI, d), testgeom.FormatFixed(*gc.SharedLambda+1, d), gc.SharedGeometry)
	if t := gc.SharedLRTests; t != nil {
		fmt.Fprintf(&b, "; Euclidean %s, negative entropy %s", lrWords(t.Euclidean), lrWords(t.NegativeEntropy))
	}
	b.WriteString(".")
	if re := gc.RandomEffects; re != nil && re.Groups >= 2 {
		dt := testgeom.LambdaDecimals(re.TauCI, 3)
		fmt.Fprintf(&b, " Spread across groups: τ̂ = %s %s, I² = %.2f.", testgeom.FormatFixed(re.Tau, dt), testgeom.FormatCI(re.TauCI, dt), re.I2)
	}
	if !gc.Differ {
		fmt.Fprintf(&b, " A common λ is consistent with the data (%s).", test)
	}
	b.WriteString(gc.DeviationSentence(verdictDeviants))
	poor, fitted := 0, 0
	for i := range res.Groups {
		if g := res.Groups[i].Geometry.Paired; g != nil && g.Status == testgeom.StatusOK {
			fitted++
			if !g.Adequate {
				poor++
			}
		}
	}
	if poor > 0 {
		fmt.Fprintf(&b, " The Gaussian dual-shift model fits poorly in %d of %d groups: this is the least inconsistent geometry.", poor, fitted)
	}
	if g := res.Geometry.Paired; g != nil && g.LambdaHat != nil {
		fmt.Fprintf(&b, " Naive pooled λ̂ = %s (not the estimate).", testgeom.FormatFixed(*g.LambdaHat, testgeom.LambdaDecimals(g.LambdaCI, 3)))
	}
	note := testgeom.AllChangesShort
	if p := res.Geometry.Paired; p != nil {
		note = p.ChangesNote(true)
	}
	b.WriteString(" " + note)
	return b.String()
}

// verdictDeviants is the most deviating groups the verdict names.
const verdictDeviants = 5

// lrWords says whether a named geometry is rejected by its LR test.
func lrWords(t testgeom.LRTest) string {
	p, test := t.PValue, "LR p"
	if t.PValueRobust != nil {
		p, test = t.PValueRobust, "robust LR p"
	}
	switch {
	case p == nil:
		return "not testable"
	case *p < 0.05:
		return fmt.Sprintf("rejected (%s %s)", test, testgeom.PValueText(*p, false, 0))
	}
	return fmt.Sprintf("not rejected (%s %s)", test, testgeom.PValueText(*p, false, 0))
}
