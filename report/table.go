package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Table is a titled grid of text cells, rendered as aligned text by
// WriteText and as an HTML table inside a Document. Columns whose cells all
// look numeric are right-aligned. Rows can be emphasised (the best
// candidate, say): marked with "*" in text and in bold in HTML.
type Table struct {
	Caption  string     // title above the table
	Header   []string   // column names; may be empty
	Rows     [][]string // the cells, row by row
	Emphasis []bool     // parallel to Rows; may be shorter
	Notes    []string   // lines printed under the table
	// Digits is the number of significant digits AddRow uses for floats;
	// 0 means DefaultDigits.
	Digits int
}

// AddRow appends a row, formatting each value: strings as they are,
// floats with FormatFloat (Digits significant digits), integers in full,
// a nil *float64 as "NA", booleans as "yes"/"no", and anything else with
// fmt.Sprint.
func (t *Table) AddRow(values ...any) {
	sig := t.Digits
	if sig == 0 {
		sig = DefaultDigits
	}
	row := make([]string, len(values))
	for i, v := range values {
		row[i] = formatCell(v, sig)
	}
	t.Rows = append(t.Rows, row)
}

// Emphasize marks row i as emphasised.
func (t *Table) Emphasize(i int) {
	if i < 0 || i >= len(t.Rows) {
		return
	}
	for len(t.Emphasis) <= i {
		t.Emphasis = append(t.Emphasis, false)
	}
	t.Emphasis[i] = true
}

func (t *Table) emphasized(i int) bool { return i < len(t.Emphasis) && t.Emphasis[i] }

func formatCell(v any, sig int) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return FormatFloat(x, sig)
	case float32:
		return FormatFloat(float64(x), sig)
	case *float64:
		if x == nil {
			return Missing
		}
		return FormatFloat(*x, sig)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case nil:
		return Missing
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// numericColumns reports, per column, whether every non-empty cell looks
// like a number (so the column is right-aligned).
func (t *Table) numericColumns() []bool {
	n := t.columns()
	num := make([]bool, n)
	seen := make([]bool, n)
	for j := range num {
		num[j] = true
	}
	for _, row := range t.Rows {
		for j, c := range row {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			seen[j] = true
			if !looksNumeric(c) {
				num[j] = false
			}
		}
	}
	for j := range num {
		num[j] = num[j] && seen[j]
	}
	return num
}

func (t *Table) columns() int {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	return n
}

// looksNumeric accepts plain numbers, "NA", "—", infinities, percentages,
// numbers with a leading comparison ("<0.001") and bracketed intervals
// ("[1.02, 1.18]"): the cells that read best right-aligned.
func looksNumeric(s string) bool {
	switch s {
	case Missing, "—", "-", "Inf", "-Inf", "NaN":
		return true
	}
	s = strings.TrimLeft(s, "<>≤≥~≈ ")
	if strings.HasPrefix(s, "[") || strings.HasPrefix(s, "(") {
		inner := strings.Trim(s, "[]() ")
		parts := strings.Split(inner, ",")
		for _, p := range parts {
			if !looksNumeric(strings.TrimSpace(p)) {
				return false
			}
		}
		return len(parts) > 0
	}
	s = strings.TrimSuffix(s, "%")
	s = strings.Replace(s, "−", "-", 1)
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// displayWidth approximates the terminal width of s: one column per rune,
// none for combining marks (λ̂ is one column).
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) || r == '\u200b' {
			continue
		}
		w++
	}
	return w
}

// WriteText writes the table as aligned plain text: the caption, the
// header, a rule, the rows (emphasised rows start with "*"), and the notes.
// Cells are separated by two spaces; newlines inside cells become spaces.
func (t *Table) WriteText(w io.Writer) error {
	n := t.columns()
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == '\t' {
				return ' '
			}
			return r
		}, s)
	}
	cell := func(row []string, j int) string {
		if j < len(row) {
			return clean(row[j])
		}
		return ""
	}
	width := make([]int, n)
	for j := range n {
		width[j] = displayWidth(cell(t.Header, j))
		for _, r := range t.Rows {
			width[j] = max(width[j], displayWidth(cell(r, j)))
		}
	}
	num := t.numericColumns()
	marker := false
	for i := range t.Rows {
		marker = marker || t.emphasized(i)
	}
	var b strings.Builder
	line := func(prefix string, row []string) {
		var l strings.Builder
		if marker {
			l.WriteString(prefix)
		}
		for j := range n {
			c := cell(row, j)
			pad := strings.Repeat(" ", width[j]-displayWidth(c))
			if j > 0 {
				l.WriteString("  ")
			}
			if num[j] {
				l.WriteString(pad + c)
			} else {
				l.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	if t.Caption != "" {
		b.WriteString(clean(t.Caption))
		b.WriteByte('\n')
	}
	if len(t.Header) > 0 {
		line("  ", t.Header)
		total := 0
		for j := range n {
			total += width[j]
		}
		total += 2 * max(0, n-1)
		if marker {
			total += 2
		}
		b.WriteString(strings.Repeat("-", total))
		b.WriteByte('\n')
	}
	for i, r := range t.Rows {
		prefix := "  "
		if t.emphasized(i) {
			prefix = "* "
		}
		line(prefix, r)
	}
	for _, note := range t.Notes {
		b.WriteString(clean(note))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// isFinite reports whether x is neither NaN nor infinite.
func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
