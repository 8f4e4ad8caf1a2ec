package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// Error is bad input: a malformed file, a value that is not a number, a
// column that is absent, ambiguous or of the wrong type. It says where, as
// precisely as the format allows: a CSV line (1-based, counting the header),
// or a Parquet row group and row within it (both 0-based, as Parquet tools
// count them).
type Error struct {
	File     string // path as given; "" when the problem is not in one file
	Line     int64  // CSV line, 1-based; 0 = not applicable
	RowGroup int    // Parquet row group, 0-based; -1 = not applicable
	Row      int64  // Parquet row within the row group, 0-based; -1 = not applicable
	Column   string // "" = not about one column
	Msg      string // what is wrong
}

// Is makes Error match analysis.ErrInput: it is the user's input, so the
// CLI exits with code 2.
func (e *Error) Is(target error) bool { return inputerr.Is(target) }

// Error returns the message, prefixed by the file, line or row group and
// row, and column where they are known.
func (e *Error) Error() string {
	var b strings.Builder
	var where []string
	if e.Line > 0 {
		where = append(where, "line "+strconv.FormatInt(e.Line, 10))
	}
	if e.RowGroup >= 0 {
		where = append(where, "row group "+strconv.Itoa(e.RowGroup))
	}
	if e.Row >= 0 {
		where = append(where, "row "+strconv.FormatInt(e.Row, 10))
	}
	if e.Column != "" {
		where = append(where, "column "+strconv.Quote(e.Column))
	}
	if e.File != "" {
		b.WriteString(e.File)
		if len(where) > 0 {
			b.WriteString(": ")
		}
	}
	b.WriteString(strings.Join(where, ", "))
	if e.File != "" || len(where) > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// fileError is an Error about a whole file or one of its columns.
func fileError(file, column, format string, a ...any) *Error {
	return &Error{File: file, RowGroup: -1, Row: -1, Column: column, Msg: fmt.Sprintf(format, a...)}
}

// lineError is an Error at a CSV line.
func lineError(file string, line int64, column, format string, a ...any) *Error {
	e := fileError(file, column, format, a...)
	e.Line = line
	return e
}

// quoteText quotes a field for an error message, shortened so that a huge
// field cannot flood the terminal.
func quoteText(b []byte) string {
	const max = 40
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "…"
	}
	return strconv.Quote(string(b))
}

// listColumns formats column names for an error message.
func listColumns(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
