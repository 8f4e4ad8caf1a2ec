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

// gofFloorNote explains the "<" p-values a table shows, or "" when none of
// the statistics it shows (stats: "ks", "cvm", "ad") is at its floor.
func gofFloorNote(fits []fit.Result, stats ...string) string {
	for i := range fits {
		pv := fits[i].PValues
		if pv == nil {
			continue
		}
		for _, stat := range stats {
			if v, atFloor := pv.PValue(stat); v != nil && atFloor {
				return fmt.Sprintf("A p-value \"<%s\": none of the %d bootstrap resamples was as extreme as the data, so the p-value is below the bootstrap's floor 1/(resamples + 1).",
					strconv.FormatFloat(pv.Floor(), 'g', 3, 64), pv.Samples)
			}
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

// gofFloorText states the smallest p-value that n bootstrap resamples can
// give, 1/(n + 1), and says so when that floor is too high for the 0.01
// level at which fits are judged: a p-value at such a floor is not evidence
// against the model.
func gofFloorText(n int) string {
	if n <= 0 {
		return ""
	}
	floor := 1 / float64(n+1)
	s := "p-value floor 1/" + strconv.Itoa(n+1) + " = " + strconv.FormatFloat(floor, 'g', 2, 64)
	if floor > 0.01 {
		s += ", too few resamples to reject a fit at 0.01"
	}
	return s
}

// prefixed is sep+s, or "" when s is empty.
func prefixed(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}
