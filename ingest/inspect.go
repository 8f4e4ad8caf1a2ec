package ingest

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Inspect describes files as syngeom sees them: every column with its type,
// non-null count, minimum, maximum, sum and role, then the shape a scan with
// opt would analyse, its pairs and its exclusions. It reads the files twice,
// once for the columns and once as Scan does.
//
// When the files can be read but no shape can be built from them (absent or
// ambiguous columns, a value that is not a number, ...), Inspect returns the
// column report with Problem set, together with the *Error.
func Inspect(paths []string, opt Options) (*Inspection, error) {
	if err := checkOptions(paths, opt); err != nil {
		return nil, err
	}
	in := &Inspection{File: strings.Join(paths, ", "), Files: paths, Columns: []ColumnInfo{},
		Roles: map[string]string{}, Excluded: map[string]int64{}, Counts: map[string]int64{}, Notes: []string{}}
	stats := map[string]*columnStats{}
	var order []string
	for i, path := range paths {
		tr, err := openTable(path, opt)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			in.Format = tr.format()
		}
		rows, err := probe(tr, stats, &order)
		tr.close()
		if err != nil {
			return nil, err
		}
		in.Rows += rows
	}

	sum, scanErr := Scan(paths, opt, func(*Batch) error { return nil })
	role := map[string]string{}
	if scanErr == nil {
		in.Shape, in.Roles, in.Excluded, in.Counts, in.Notes = sum.Shape, sum.Roles, sum.Excluded, sum.Counts, sum.Notes
		in.Pairs, in.NBefore, in.NAfter = sum.Pairs, sum.NBefore, sum.NAfter
		for r, c := range sum.Roles {
			role[c] = r
		}
	} else {
		var ie *Error
		if !errors.As(scanErr, &ie) {
			return nil, scanErr
		}
		in.Problem = scanErr.Error()
	}
	for _, name := range order {
		st := stats[name]
		ci := ColumnInfo{Name: name, Type: st.typ, NonNull: st.nonNull, NonFinite: st.nonFinite, Role: role[name]}
		if st.typ == "" {
			switch {
			case st.text > 0:
				ci.Type = "text"
			case st.nonNull == 0:
				ci.Type = "empty"
			default:
				ci.Type = "number"
			}
		}
		if st.finite > 0 {
			lo, hi, s := st.min, st.max, st.sum+st.comp
			ci.Min, ci.Max = &lo, &hi
			if !math.IsInf(s, 0) && !math.IsNaN(s) { // finite values can still overflow the sum
				ci.Sum = &s
			}
		}
		// Random integers pass as dates with probability about 0.04 each, so
		// a few values are needed; a column read as weights is not a label.
		if st.finite >= 3 && st.notDate == 0 && st.nonFinite == 0 && !isWeightRole(ci.Role) {
			// A sum of dates means nothing; say what the numbers are.
			ci.Sum = nil
			ci.Description = fmt.Sprintf("integer dates (YYYYMMDD), %s to %s: a label, not a weight", dateText(st.min), dateText(st.max))
		}
		in.Columns = append(in.Columns, ci)
	}
	return in, scanErr
}

// columnStats accumulates one column over every file. The sum is
// compensated (Neumaier), so it is exact to a few ulps whatever the order.
type columnStats struct {
	typ                              string
	nonNull, nonFinite, finite, text int64
	notDate                          int64 // finite values that are not a YYYYMMDD date
	min, max, sum, comp              float64
}

func (st *columnStats) add(vals []float64) {
	for _, v := range vals {
		if v != v {
			continue
		}
		st.nonNull++
		if math.IsInf(v, 0) {
			st.nonFinite++
			continue
		}
		if !isDate(v) {
			st.notDate++
		}
		if st.finite == 0 || v < st.min {
			st.min = v
		}
		if st.finite == 0 || v > st.max {
			st.max = v
		}
		st.finite++
		t := st.sum + v
		if math.Abs(st.sum) >= math.Abs(v) {
			st.comp += (st.sum - t) + v
		} else {
			st.comp += (v - t) + st.sum
		}
		st.sum = t
	}
}

// probe reads every flat column of a file and adds it to stats.
func probe(tr tableReader, stats map[string]*columnStats, order *[]string) (int64, error) {
	cols := tr.columns()
	var reqs []colRequest
	var slotCol []string
	for i, c := range cols {
		st := stats[c.name]
		if st == nil {
			st = &columnStats{typ: c.typ}
			stats[c.name] = st
			*order = append(*order, c.name)
		}
		if c.nested {
			continue
		}
		reqs = append(reqs, colRequest{index: i, kind: kindProbe})
		slotCol = append(slotCol, c.name)
	}
	if err := tr.start(reqs); err != nil {
		return 0, err
	}
	ch := newChunk(tr, reqs, DefaultBatchSize)
	var rows int64
	for {
		n, err := tr.next(ch)
		if err != nil {
			return rows, err
		}
		if n == 0 {
			break
		}
		rows += int64(n)
		for s, name := range slotCol {
			stats[name].add(ch.num[s][:n])
		}
	}
	for s, name := range slotCol {
		stats[name].text += ch.text[s]
		stats[name].nonNull += ch.text[s]
	}
	return rows, nil
}

// isDate reports whether v reads as a calendar date written as the integer
// YYYYMMDD (1900-01-01 to 2099-12-31), the way many acquisition logs store
// their session dates.
func isDate(v float64) bool {
	if v != math.Trunc(v) || v < 19000101 || v > 20991231 {
		return false
	}
	n := int(v)
	y, m, d := n/10000, n/100%100, n%100
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// dateText writes a YYYYMMDD integer as YYYY-MM-DD.
func dateText(v float64) string {
	n := int(v)
	return fmt.Sprintf("%04d-%02d-%02d", n/10000, n/100%100, n%100)
}

func isWeightRole(role string) bool { return role == "before" || role == "after" || role == "value" }
