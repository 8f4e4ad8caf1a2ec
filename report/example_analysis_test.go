package report_test

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/report"
)

// From weights in memory to the HTML report: analyse the slices, write the
// page. Nothing but the report is written.
func ExampleWriteAnalysisHTML() {
	rng := rand.New(rand.NewPCG(1, 2))
	before, after := make([]float64, 500), make([]float64, 500)
	for i := range before {
		before[i] = math.Exp(rng.NormFloat64())
		after[i] = before[i] * math.Exp(0.3*rng.NormFloat64())
	}
	opts := analysis.DefaultOptions()
	opts.GOFSamples = 19 // fewer than the default, to keep the example fast
	res, err := analysis.AnalyzeSlices(context.Background(), ingest.Slices{Name: "spines, animal 3", Before: before, After: after}, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "syngeom-example-") // where a program would put its report
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.html")
	err = report.WriteFileAtomic(path, func(w io.Writer) error {
		return report.WriteAnalysisHTML(w, res, report.AnalysisPageOptions{})
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("wrote", filepath.Base(path))
	// Output:
	// wrote report.html
}
