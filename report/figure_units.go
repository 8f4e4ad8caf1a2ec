package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// axisUnit is the unit written on the axes of weights: the given one, or
// "a.u." (arbitrary units) when none was given.
func axisUnit(u string) string {
	if u = strings.TrimSpace(u); u != "" {
		return u
	}
	return "a.u."
}

// dualUnit is the unit of dual values g(w) under the named geometry for
// weights in unit u: g(w) = sign(w)|w|^(p−1) has the unit u^(p−1), and
// negative entropy's 1 + log w has none (a change of unit adds a
// constant that cancels in g(w1) − g(w0)).
func dualUnit(geometry, u string) string {
	if geometry == "NE" {
		return "dimensionless"
	}
	v, ok := strings.CutPrefix(geometry, "p=")
	if !ok {
		return "dual units"
	}
	p, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return "dual units"
	}
	lam := p - 1
	if math.Abs(lam-1) < 1e-9 {
		return u
	}
	if strings.ContainsAny(u, " /.") {
		u = "(" + u + ")"
	}
	return u + "^" + strconv.FormatFloat(lam, 'g', 3, 64)
}

// profileCaptionTail explains the markers of the profile figure.
const profileCaptionTail = " The panel shows the informative range of p (where the log-likelihood is within reach of its maximum, plus NE and Euclidean); grid points below the panel are marked by triangles on its bottom edge."

// nullBandCaption explains the grey null band of the ΔCDF figure when the
// calibration drew it, with the band's narrowest width so that a reader
// can see which differences between candidates mean nothing.
func nullBandCaption(scores []CandidateScore) string {
	w := math.Inf(1)
	for _, c := range scores {
		if isFinite(c.NullLo) && isFinite(c.NullHi) {
			w = math.Min(w, c.NullHi-c.NullLo)
		}
	}
	if math.IsInf(w, 1) {
		return " No null band: the calibration was not run (--null-replicates 0)."
	}
	return fmt.Sprintf(" The grey band is the central 95%% range of each candidate's ΔCDF in the calibration's simulations of exactly Gaussian shifts (same n and mean/sd); it is at least %s wide, so candidates whose ΔCDF differ by less are not told apart.", FormatFloat(w, 2))
}
