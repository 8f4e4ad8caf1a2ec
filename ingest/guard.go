package ingest

import (
	"fmt"
	"math"
	"strconv"
)

// LoadBytesPerRow is the estimated memory an in-memory analysis needs per
// row read: the before and after values and group codes as loaded, the
// slack of growing slices, and the working copies (sorts, subsamples) of
// the statistics. Options.MaxMemory is checked against rows × this.
const LoadBytesPerRow = 64

// checkDeclaredRows refuses a file whose metadata declares more rows than
// Options.MaxRows or Options.MaxMemory allow, before any row is read.
// Only Parquet declares its row count; CSV rows are checked as they come.
func (s *scan) checkDeclaredRows(i int, tr tableReader) error {
	if tr.format() != FormatParquet {
		return nil
	}
	rows := tr.maxRows()
	if s.opt.MaxRows > 0 && s.declared+rows > s.opt.MaxRows {
		return fileError(s.paths[i], "", "%s rows%s, more than the limit of %s rows (--max-rows)",
			groupDigits(rows), s.soFar(), groupDigits(s.opt.MaxRows))
	}
	if need := (s.declared + rows) * LoadBytesPerRow; s.opt.MaxMemory > 0 && need > s.opt.MaxMemory {
		return fileError(s.paths[i], "", "%s rows%s need about %s in memory, more than the budget of %s (--max-memory)",
			groupDigits(rows), s.soFar(), FormatBytes(need), FormatBytes(s.opt.MaxMemory))
	}
	s.declared += rows
	return nil
}

// soFar mentions the rows of earlier files when there are some.
func (s *scan) soFar() string {
	if s.declared == 0 {
		return ""
	}
	return fmt.Sprintf(" (after %s in earlier files)", groupDigits(s.declared))
}

// countRows adds n rows read from file i and stops the scan once they pass
// Options.MaxRows or Options.MaxMemory.
func (s *scan) countRows(i, n int) error {
	s.sum.Rows += int64(n)
	if s.opt.MaxRows > 0 && s.sum.Rows > s.opt.MaxRows {
		return fileError(s.paths[i], "", "more than the limit of %s rows (--max-rows); stopped reading",
			groupDigits(s.opt.MaxRows))
	}
	if need := s.sum.Rows * LoadBytesPerRow; s.opt.MaxMemory > 0 && need > s.opt.MaxMemory {
		return fileError(s.paths[i], "", "more than %s rows would need more than the budget of %s in memory (--max-memory, about %d bytes a row); stopped reading",
			groupDigits(s.opt.MaxMemory/LoadBytesPerRow), FormatBytes(s.opt.MaxMemory), LoadBytesPerRow)
	}
	return nil
}

// groupDigits writes n with thousands separators: 12,000,000.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// FormatBytes writes a byte count with a decimal unit: 512 B, 1.5 GB.
func FormatBytes(n int64) string {
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, suffix := float64(n), ""
	for _, u := range []string{"kB", "MB", "GB", "TB", "PB", "EB"} {
		v /= 1000
		suffix = u
		if v < 1000 {
			break
		}
	}
	if v < 10 {
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + " " + suffix
	}
	return strconv.FormatFloat(math.Round(v), 'f', -1, 64) + " " + suffix
}
