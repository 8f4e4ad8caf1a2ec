package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/ingest"
)

// pageTitle is the title of an analysis page: the caller's, else one
// naming the files or the in-memory data.
func pageTitle(r *analysis.Result, title string) string {
	if title != "" {
		return title
	}
	name := baseNames(r.Input.Files)
	if len(r.Input.Files) == 0 {
		name = r.Input.Name
	}
	return "Geometry of plasticity: " + name
}

// dataName is the first line of the data summary: the files, or the name
// of data given in memory.
func dataName(in analysis.Input) KV {
	if len(in.Files) == 0 && in.Name != "" {
		return KV{"data", in.Name + " (in memory)"}
	}
	return KV{"files", strings.Join(in.Files, ", ")}
}

// rowsText says how much was read, for the methods paragraph: rows of
// files, or the values given in memory.
func rowsText(in analysis.Input) string {
	if in.Format != ingest.FormatMemory {
		return fmt.Sprintf("%d rows read", in.Rows)
	}
	if in.Shape == string(ingest.ShapePaired) {
		return fmt.Sprintf("%d pairs given", in.Rows)
	}
	return fmt.Sprintf("%d values given", in.Rows)
}

// WriteAnalysisHTML writes the self-contained HTML report of an analysis
// (AnalysisDocument) to w.
func WriteAnalysisHTML(w io.Writer, r *analysis.Result, o AnalysisPageOptions) error {
	doc, err := AnalysisDocument(r, o)
	if err != nil {
		return err
	}
	return doc.WriteHTML(w)
}
