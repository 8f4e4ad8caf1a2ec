package testgeom

import (
	"math"
)

// statusNoChange is the status of a result, and of its candidates, when
// every usable pair has the same weight before and after.
const statusNoChange = "no change: the weights after equal the weights before in every pair"

// sameShiftStatus explains a candidate whose dual shifts have no spread.
// The moments cannot tell "no change" from shifts too small (or large) for
// float64, so the exact no-change check is markNoChange's, on the data.
func sameShiftStatus(mean float64) string {
	switch {
	case mean == 0:
		return "no spread: every dual shift is zero (no change, or weights too small for float64: rescale them)"
	case math.Abs(mean) < 1e-150:
		return "underflow: the dual shifts are too small to square in float64; rescale the weights"
	}
	return "no spread: every pair has the same dual shift, so no geometry can be told apart"
}

// markNoChange says so plainly when every finite pair is unchanged, instead
// of leaving each candidate's statistics undefined without a reason.
func markNoChange(r *Result) {
	if r.Status != StatusOK {
		return
	}
	r.Status = statusNoChange
	r.Verdict = "The weights after equal the weights before in every pair: there is no change to attribute to a geometry."
	for i := range r.Candidates {
		if r.Candidates[i].N >= MinPairs && r.Candidates[i].DCDF == nil {
			r.Candidates[i].Status = statusNoChange
		}
	}
}
