package report

import (
	"math"
	"strconv"
	"strings"
)

// DefaultDigits is the number of significant digits used by FormatFloat
// callers that have no better choice, and by Table.AddRow.
const DefaultDigits = 4

// Missing is how FormatFloat shows NaN, and how tables show a missing
// value: R's spelling, so that text output can be read back by R and
// pandas.
const Missing = "NA"

// FormatFloat formats x with sig significant digits (at least 1) for
// people to read: fixed notation for magnitudes from 1e-4 up to 1e6
// (never dropping integer digits), exponent notation outside that range,
// "NA" for NaN and "Inf"/"-Inf" for infinities. Trailing zeros are kept,
// because they state the precision; negative zero prints as "0".
func FormatFloat(x float64, sig int) string {
	switch {
	case math.IsNaN(x):
		return Missing
	case math.IsInf(x, 1):
		return "Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case x == 0:
		return "0"
	}
	if sig < 1 {
		sig = 1
	}
	// Round first: rounding can carry into the next power of ten
	// (0.99996 -> 1.000), which decides the notation.
	e := strconv.FormatFloat(x, 'e', sig-1, 64)
	exp, err := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if err != nil {
		return e
	}
	if exp < -4 || exp >= 6 {
		return e
	}
	return strconv.FormatFloat(x, 'f', max(0, sig-1-exp), 64)
}
