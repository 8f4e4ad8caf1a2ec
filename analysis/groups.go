package analysis

import (
	"fmt"
	"strings"

	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// PooledLabel names the top-level analysis of a grouped run: all synapses
// fitted with one shift distribution, which is not the estimate when the
// groups' shifts differ.
const PooledLabel = "pooled, one shift for all groups"

// streamedNote says how a streamed group comparison was computed.
const streamedNote = "streamed: each group's likelihood is exact on the λ grid and on a fine ladder around its own λ̂ and interpolated elsewhere; the shift means and sds are over the pairs the second pass kept"

// compareGroups fits the common-λ model of a paired analysis with groups,
// from the pairs in memory.
func compareGroups(res *Result, names []string, opts Options) error {
	if res.Design != "paired" || res.data.group == nil || len(names) < 2 {
		return nil
	}
	opts.Progress(fmt.Sprintf("fitting one λ shared by %d groups", len(names)))
	gc, err := testgeom.CompareGroups(res.data.before, res.data.after, res.data.group, names, 0)
	if err != nil {
		return err
	}
	res.GroupComparison = gc
	return nil
}

// compareStreamedGroups fits the common-λ model from the groups' profile
// likelihoods held by the second pass.
func compareStreamedGroups(res *Result, second *stream.Part2) {
	if len(res.Groups) < 2 {
		return
	}
	var profiles []testgeom.GroupProfile
	for _, g := range res.Groups {
		if p, ok := second.Profile(g.Group); ok {
			profiles = append(profiles, p)
		}
	}
	res.GroupComparison = testgeom.CompareGroupProfiles(profiles, streamedNote)
}

// groupedVerdict is the verdict of a paired analysis with groups: the
// model with one λ shared by the groups (each with its own shift mean and
// sd) and the test of a common λ lead; when that test rejects, the groups'
// estimates are given separately. The pooled fit comes last, labelled as
// such.
func groupedVerdict(res *Result) string {
	gc := res.GroupComparison
	var b strings.Builder
	switch {
	case gc.Differ:
		b.WriteString(gc.Verdict)
	case gc.SharedLambda != nil && gc.LRPValue != nil:
		fmt.Fprintf(&b, "Groups analysed jointly (one λ shared by the %d groups, each with its own shift mean and sd): the data point to %s: λ̂ = %.3f, 95%% CI %s, p̂ = %.3f",
			len(gc.Groups), gc.SharedGeometry, *gc.SharedLambda, lambdaCI(gc.SharedLambdaCI), *gc.SharedLambda+1)
		if t := gc.SharedLRTests; t != nil {
			fmt.Fprintf(&b, "; Euclidean %s, negative entropy %s", lrWords(t.Euclidean), lrWords(t.NegativeEntropy))
		}
		fmt.Fprintf(&b, ". A common λ is consistent with the data (likelihood-ratio test p %s, %d df", testgeom.PValueEq(*gc.LRPValue), gc.LRDF)
		if gc.RobustPValue != nil {
			fmt.Fprintf(&b, "; robust test p %s", testgeom.PValueEq(*gc.RobustPValue))
		}
		b.WriteString(").")
	default:
		b.WriteString(gc.Verdict)
	}
	var poor []string
	for i := range res.Groups {
		if g := res.Groups[i].Geometry.Paired; g != nil && g.Status == "ok" && !g.Adequate {
			poor = append(poor, res.Groups[i].Group)
		}
	}
	switch {
	case len(poor) == len(res.Groups):
		b.WriteString(" The Gaussian dual-shift model fits poorly in every group (see each group's verdict), so this is only the least inconsistent geometry.")
	case len(poor) > 0:
		fmt.Fprintf(&b, " The Gaussian dual-shift model fits poorly in %s (see the group's verdict).", strings.Join(poor, ", "))
	}
	var parts []string
	for i := range res.Groups {
		parts = append(parts, res.Groups[i].Group+": "+res.Groups[i].shortAnswer())
	}
	fmt.Fprintf(&b, " By group: %s.", strings.Join(parts, "; "))
	if g := res.Geometry.Paired; g != nil && g.LambdaHat != nil {
		fmt.Fprintf(&b, " The naive fit of all synapses pooled (one shift for all groups) gives λ̂ = %.3f, 95%% CI %s; it is not the estimate, because it forces one shift distribution on groups whose shifts may differ.",
			*g.LambdaHat, lambdaCI(g.LambdaCI))
	}
	return b.String()
}

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

// lambdaCI writes a λ interval.
func lambdaCI(ci [2]*float64) string {
	f := func(x *float64, inf string) string {
		if x == nil {
			return inf
		}
		return fmt.Sprintf("%.3f", *x)
	}
	return "[" + f(ci[0], "−∞") + ", " + f(ci[1], "∞") + "]"
}
