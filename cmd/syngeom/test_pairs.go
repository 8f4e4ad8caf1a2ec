package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/syngeom/syngeom/internal/inputerr"
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

// noUsablePairs is the input error of a paired run in which no pair can be
// compared: nothing was read, or every value is missing, non-finite or
// zero. A group with too few pairs is not an error: it is reported in the
// run.
func noUsablePairs(files []string, r *testgeom.Result, excluded map[string]int64) error {
	if r == nil || r.ComparedN > 0 {
		return nil
	}
	why := "no rows"
	if s := report.CountsList(excluded); s != "" {
		why = "excluded: " + s
	}
	if z := r.Counts["zero_pairs"]; z > 0 {
		why += fmt.Sprintf("; %d pairs have a zero weight, which no comparison uses", z)
	}
	return &cliInputError{fmt.Sprintf("%s: no usable pair of weights (both finite and nonzero) to compare geometries on (%s)", strings.Join(files, ", "), why)}
}

// cliInputError is an error in the data given to a command.
type cliInputError struct{ msg string }

func (e *cliInputError) Error() string        { return e.msg }
func (e *cliInputError) Is(target error) bool { return inputerr.Is(target) }
