// Package report renders syngeom's results for people: aligned text tables
// for the terminal, SVG figures, and a self-contained HTML page. It computes
// no statistics of its own beyond what a picture needs (histogram bins,
// plotting positions, display summaries): the analysis package does, and
// the pages draw what its Result holds as plain data, the values of the
// figures included (analysis.ScopeFigures: bounded samples and the relative
// profile log-likelihood), so a streamed analysis gets the same page as one
// in memory. A test checks that report's code calls no function of the
// computing packages beyond formatting helpers.
//
// Text. Table holds a caption, header, rows, emphasised rows and notes;
// WriteText aligns it for stdout (numeric columns right-aligned) and a
// Document renders the same Table as HTML. FormatFloat formats numbers
// with a fixed count of significant digits and shows NaN as "NA".
// WriteTestText writes the document of `syngeom test`
// (analysis.TestDocument) as the command prints it: what was read, a
// right-aligned table of candidates per scope, λ̂ and its tests, and the
// noise-aware analyses. WriteAnalysisText writes the text summary of
// `syngeom analyze` (analysis.Result). On two network checkpoints
// WriteCheckpointTestText and WriteCheckpointAnalysisText write the text
// of analysis.CheckpointTestDocument and analysis.CheckpointAnalysis: the
// pairing and precision warnings, then the per-tensor or per-group table
// and the rounding-noise correction.
//
// Figures. Each figure type (HistogramFigure, QQFigure, DeltaCDFFigure,
// ProfileFigure, ShiftFigure, ECDFFigure, ForestFigure of λ̂ by group,
// LayerFigure of λ̂ by network layer) is a plain struct of data and
// labels whose SVG method returns a standalone SVG document of fixed size
// (5.4 × 3.5 in), drawn with gonum.org/v1/plot: sans-serif text, the
// Okabe–Ito colour-blind-safe palette with distinct dash patterns, the
// legend and notes below the plot so they never hide data. Non-finite
// values and, on log axes, non-positive values are never drawn, and output
// size does not grow with n: samples of 10^7 values are binned or
// subsampled in a few passes without copies (QQFigure sorts a copy only
// if the sample is not sorted already).
//
// Pages. Document is a generic report (title, banner, verdict, warnings,
// sections of paragraphs, summaries, tables, figures and notes, nested
// per-group sections with an index of links, methods with references,
// embedded results JSON). WriteHTML produces one HTML file with inline CSS
// and SVG that needs no network and no JavaScript, prints cleanly, and
// escapes every caller string. AnalysisDocument builds the Document of an
// analysis.Result (AnalysisPageOptions.Layers adds the LayerReport of two
// checkpoints; CheckpointAnalysisDocument builds the page of an
// analysis.CheckpointAnalysis with it) and WriteAnalysisHTML writes it.
//
// Files. WriteFileAtomic writes any output file through a temporary file
// and a rename, so a failed run never leaves a partial file.
package report
