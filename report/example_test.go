package report_test

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/syngeom/syngeom/report"
)

// A text table for stdout, as analyze, fit and test print them.
func ExampleTable_WriteText() {
	t := &report.Table{
		Caption: "Geometry candidates",
		Header:  []string{"candidate", "p", "ΔCDF", "p-value"},
	}
	t.AddRow("NE", math.NaN(), 0.0351234, 0.41)
	t.AddRow("p=2.0", 2.0, 0.3867, 1.9e-7)
	t.Emphasize(0)
	t.WriteText(os.Stdout)
	// Output:
	// Geometry candidates
	//   candidate      p     ΔCDF    p-value
	// --------------------------------------
	// * NE            NA  0.03512     0.4100
	//   p=2.0      2.000   0.3867  1.900e-07
}

// Building and writing a report page: figures are rendered from plain
// data, placed in sections, and the page is written atomically.
func ExampleDocument() {
	before := []float64{0.31, 0.52, 0.44, 1.9, 0.75, 0.12, 0.66, 0.28}
	hist, err := report.HistogramFigure{
		Title:  "Before",
		XLabel: "spine volume (µm³)",
		Sample: before,
		LogX:   true,
	}.SVG()
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := &report.Document{
		Title:   "syngeom report",
		Banner:  report.DemoBanner,
		Verdict: "Most consistent with negative entropy.",
		Sections: []report.Section{{
			Title: "Data",
			Blocks: []report.Block{
				report.Summary{{Key: "pairs used", Value: "8"}},
				report.Figure{SVG: hist, Caption: "Initial weights, log axis."},
			},
		}},
	}
	dir, err := os.MkdirTemp("", "report-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.html")
	if err := report.WriteFileAtomic(path, func(w io.Writer) error { return doc.WriteHTML(w) }); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("written")
	// Output: written
}
