package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/syngeom/syngeom/report"
	"github.com/syngeom/syngeom/testgeom"
)

// printPairCounts writes how many pairs were read and how many every
// candidate is scored on, with the pairs counted but not compared.
func printPairCounts(w io.Writer, r *testgeom.Result) {
	fmt.Fprintf(w, "%d pairs", r.N)
	if s := report.CountsList(r.Counts); s != "" {
		fmt.Fprintf(w, " (%s)", s)
	}
	if z := r.Counts["zero_pairs"]; z > 0 {
		fmt.Fprintf(w, "; every candidate is scored on the same %d pairs with both weights nonzero", r.ComparedN)
		var some, not []string
		for _, c := range r.Candidates {
			if c.UsableNotCompared > 0 {
				some = append(some, c.Name)
			} else {
				not = append(not, c.Name)
			}
		}
		if len(some) > 0 {
			fmt.Fprintf(w, "\n(the pairs with a zero weight are counted, not compared: %d of %d candidates could use them, %s cannot)",
				len(some), len(r.Candidates), strings.Join(not, ", "))
		}
	}
	fmt.Fprintln(w)
}

// testP writes a p-value cell: the value, or the bound when it is at the
// floor of its calibration.
func testP(p *float64, atFloor bool, sims int, format string) string {
	if p == nil {
		return "–"
	}
	return testgeom.PValueCell(*p, atFloor, sims, format)
}
