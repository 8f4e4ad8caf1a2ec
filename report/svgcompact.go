package report

import (
	"regexp"
	"strconv"
)

// SVG compaction: gonum/plot writes coordinates with five significant
// digits and each circle glyph as two absolute arcs. A tenth of a point
// (1/720 inch) is far below what a screen or a printer shows, so path
// coordinates are rounded to it, and circles are written with relative
// arcs: a page with thousands of dots shrinks by a fifth and looks the
// same.
var (
	pathData   = regexp.MustCompile(` d="([^"]*)"`)
	pathNumber = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]*)?(?:e-?[0-9]+)?`)
	circlePath = regexp.MustCompile(`^M(-?[0-9.]+),(-?[0-9.]+)A([0-9.]+),([0-9.]+) 0 1 1 (-?[0-9.]+),(-?[0-9.]+)A[0-9.]+,[0-9.]+ 0 1 1 -?[0-9.]+,-?[0-9.]+Z$`)
)

// compactSVG rounds the path coordinates of an SVG to 0.1 pt and writes
// circles with relative arcs.
func compactSVG(b []byte) []byte {
	return pathData.ReplaceAllFunc(b, func(m []byte) []byte {
		d := m[len(` d="`) : len(m)-1]
		if c := circlePath.FindSubmatch(d); c != nil {
			x, err1 := strconv.ParseFloat(string(c[1]), 64)
			x2, err2 := strconv.ParseFloat(string(c[5]), 64)
			if err1 == nil && err2 == nil {
				r := tenth(string(c[3]))
				dx := tenthOf(x2 - x)
				return []byte(` d="M` + tenth(string(c[1])) + `,` + tenth(string(c[2])) + `a` + r + `,` + r + ` 0 1 1 ` + dx +
					`,0a` + r + `,` + r + ` 0 1 1 ` + tenthOf(x-x2) + `,0z"`)
			}
		}
		out := pathNumber.ReplaceAllFunc(d, func(n []byte) []byte { return []byte(tenth(string(n))) })
		return []byte(` d="` + string(out) + `"`)
	})
}

// tenth rounds a number written in s to one decimal.
func tenth(s string) string {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return tenthOf(x)
}

func tenthOf(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
