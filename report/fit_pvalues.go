package report

import (
	"fmt"
	"strconv"

	"github.com/syngeom/syngeom/fit"
)

// gofPval formats a goodness-of-fit bootstrap p-value: "<0.1" when no
// resample was as extreme as the data, since the p-value is then only
// bounded by the floor 1/(resamples + 1) of the bootstrap.
func gofPval(pv *fit.PValues, stat string) string {
	v, atFloor := pv.PValue(stat)
	if v != nil && atFloor {
		return "<" + strconv.FormatFloat(pv.Floor(), 'g', 3, 64)
	}
	return pval(v)
}

// gofFloorNote explains the "<" p-values of a fit table, or "" when none
// is at its floor.
func gofFloorNote(fits []fit.Result) string {
	for i := range fits {
		pv := fits[i].PValues
		if pv != nil && (pv.KSAtFloor || pv.CvMAtFloor || pv.ADAtFloor) {
			return fmt.Sprintf("A p-value \"<%s\": none of the %d bootstrap resamples was as extreme as the data, so the p-value is below the bootstrap's floor 1/(resamples + 1).",
				strconv.FormatFloat(pv.Floor(), 'g', 3, 64), pv.Samples)
		}
	}
	return ""
}

// notFittedText is the parameters cell of a family without a proper fit.
func notFittedText(r *fit.Result) string {
	if r.Status == fit.StatusNotIdentified {
		return "not identified: " + r.Limit
	}
	return "not fitted: " + r.Status
}
