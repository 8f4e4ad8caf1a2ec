package testgeom

// Profile returns the profile log-likelihood this pass holds, for
// CompareGroupProfiles: exact on the coarse λ grid, cubic between the rungs
// of the fine ladder around the pass's own λ̂, and interpolated from the
// coarse grid elsewhere. shift, if not nil, supplies the group's shift
// parameters (ShiftMoments of the pairs the pass kept, say).
func (g *SecondPass) Profile(group string, shift func(float64) (int, float64, float64)) GroupProfile {
	fp := g.fineProfile(nil)
	return GroupProfile{Group: group, N: int(g.p.finite - g.p.zeroPairs), LogLik: memoize(fp.logLik), Shift: shift}
}
