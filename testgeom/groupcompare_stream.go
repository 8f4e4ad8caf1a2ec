package testgeom

import "fmt"

// CompareSecondPasses is CompareGroups for groups read in two passes
// (package stream), one SecondPass per group, in the order of names. A
// group's profile likelihood ℓ(λ) is that of its second pass: exact on the
// coarse λ grid and on the fine ladder around its own λ̂, and exact
// everywhere when the pass kept all its pairs; elsewhere it is interpolated
// from the grid, so the shared fit is then approximate (Status says so).
func CompareSecondPasses(names []string, passes []*SecondPass) (*GroupComparison, error) {
	if len(names) != len(passes) {
		return nil, &inputError{fmt.Sprintf("testgeom: %d group names and %d second passes", len(names), len(passes))}
	}
	r := &GroupComparison{Status: "ok"}
	var fs []func(float64) float64
	var sepLL float64
	var fps []*fineProfile
	for i, g := range passes {
		g.finish()
		n := int(g.p.finite - g.p.zeroPairs)
		var gl GroupLambda
		var f func(float64) float64
		var ll float64
		if int64(len(g.sample0)) == g.p.finite {
			// Every pair was kept: the exact likelihood, as in memory.
			gl, f, ll = fitProfiled(names[i], n, memoize(lazyExact(g.sample0, g.sample1, g.scan.workers)))
		} else {
			fp := g.fineProfile(nil)
			fps = append(fps, fp)
			gl, f, ll = fitProfiled(names[i], n, fp.logLik)
		}
		r.Groups = append(r.Groups, gl)
		if f != nil {
			fs = append(fs, f)
			sepLL += ll
		}
	}
	r = compareShared(r, fs, sepLL)
	for _, fp := range fps {
		if fp.interpolated && fp.exactCalls > 0 && r.Status == "ok" {
			r.Status = "ok (partly interpolated from the λ grid)"
			break
		}
	}
	return r, nil
}
