package report

import (
	"fmt"
	"github.com/syngeom/syngeom/ingest"
	"io"
	"sort"
	"strings"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/testgeom"
)

// TextOptions tune WriteAnalysisTextWith.
type TextOptions struct {
	// GroupDetail adds every group's full section (distribution fits,
	// geometry table, estimate lines, warnings and verdict) after the
	// summary by group.
	GroupDetail bool
}

// WriteAnalysisText writes the plain-text summary of an analysis with the
// default options (no per-group sections).
func WriteAnalysisText(w io.Writer, r *analysis.Result) error {
	return WriteAnalysisTextWith(w, r, TextOptions{})
}

// WriteAnalysisTextWith writes the plain-text summary of an analysis: the
// data (rows, pairs used, exclusions by reason), the settings; with
// groups, the summary table by group and the common-λ model; then for all
// synapses (and, with o.GroupDetail, for each group) the best distribution
// per sample, the geometry table with the estimate and its tests, the
// warnings and the verdict.
func WriteAnalysisTextWith(w io.Writer, r *analysis.Result, o TextOptions) error {
	ew := &errWriter{w: w}
	in := r.Input
	format := in.Format
	if format == ingest.FormatMemory {
		format = "held in memory" // not a file format
	}
	ew.printf("Input       %s (%s, %s)\n", dataName(in).Value, format, in.Shape)
	if in.Demo {
		ew.printf("            %s\n", in.Description)
	}
	if in.Citation != "" {
		ew.printf("Data        %s\n", in.Citation)
	}
	if len(in.Columns) > 0 {
		ew.printf("Columns     %s\n", columnsText(in.Columns))
	}
	for _, n := range in.Notes {
		if ingest.IsUnreadIDNote(n) {
			ew.printf("Note        %s\n", n)
		}
	}
	switch in.Shape {
	case "paired":
		ew.printf("Rows        %d read; %d pairs used\n", in.Rows, in.PairsUsed)
	case "unpaired":
		ew.printf("Rows        %d read; %d values before, %d after\n", in.Rows, in.NBefore, in.NAfter)
	default:
		ew.printf("Rows        %d read; %d values used\n", in.Rows, in.NBefore)
	}
	ew.printf("Excluded    %s\n", ExcludedText(in.Excluded, in.Shape))
	ew.printf("Flagged     %s\n", FlaggedText(in.Counts, in.Shape))
	if len(in.Groups) > 0 {
		ew.printf("Groups      %s\n", groupNamesText(in.Groups, 12))
	}
	s := r.Settings
	ew.printf("Settings    seed %d; candidates %s; bootstrap %d; ΔCDF null %d; GOF bootstrap %d (≤ %d values%s); fits ≤ %d values\n",
		s.Seed, candidatesText(s.Candidates), s.Bootstrap, s.NullReplicates, s.GOFSamples, s.GOFMaxN, prefixed("; ", gofFloorText(s.GOFSamples)), s.FitMaxN)
	if len(r.Groups) > 0 {
		ew.printf("\n=== Summary by group ===\n\n")
		ew.table(groupSummaryTable(r))
	}
	if gc := r.GroupComparison; gc != nil {
		ew.printf("\n=== Groups analysed jointly ===\n\n")
		if o.GroupDetail {
			ew.table(commonLambdaTable(gc))
			ew.printf("\n")
		}
		for _, l := range commonLambdaLines(gc) {
			ew.printf("%s\n", l)
		}
	}
	ew.printf("\n=== %s ===\n", pooledTitle(r))
	writeScopeText(ew, &r.Scope)
	if len(r.Groups) > 0 && !o.GroupDetail {
		ew.printf("\nEach group's full analysis: --detail groups (text), --html, or --json.\n")
	}
	for i := range r.Groups {
		if !o.GroupDetail {
			break
		}
		ew.printf("\n=== Group %s ===\n", r.Groups[i].Group)
		writeScopeText(ew, &r.Groups[i])
	}
	ew.printf("\nVerdict: %s\n", r.Verdict)
	return ew.err
}

func writeScopeText(ew *errWriter, sc *analysis.Scope) {
	ew.printf("\n")
	ew.table(bestFitsTable(sc))
	switch {
	case sc.Geometry.Paired != nil:
		g := sc.Geometry.Paired
		writeGeometryText(ew, g.Status, func() (*Table, []string) { return geometryTable(g), estimateLines(g) })
	case sc.Geometry.Unpaired != nil:
		g := sc.Geometry.Unpaired
		writeGeometryText(ew, g.Status, func() (*Table, []string) { return unpairedTable(g), unpairedLines(g) })
	}
	for _, wmsg := range sc.Warnings {
		ew.printf("warning: %s\n", wmsg)
	}
	if sc.Group != "" {
		ew.printf("Verdict (%s): %s\n", sc.Group, sc.Verdict)
	}
}

// writeGeometryText writes the geometry test of a scope, paired or
// unpaired: its table and estimate lines, or the status when it did not run.
func writeGeometryText(ew *errWriter, status string, parts func() (*Table, []string)) {
	ew.printf("\n")
	if status != testgeom.StatusOK {
		ew.printf("Geometry: %s\n", status)
		return
	}
	t, lines := parts()
	ew.table(t)
	ew.printf("\n")
	for _, l := range lines {
		ew.printf("%s\n", l)
	}
}

func columnsText(m map[string]string) string {
	order := []string{"before", "after", "value", "id", "time", "condition", "group"}
	var parts, extra []string
	known := map[string]bool{}
	for _, k := range order {
		known[k] = true
		if v := m[k]; v != "" {
			parts = append(parts, k+" = "+v)
		}
	}
	for k, v := range m {
		if !known[k] && v != "" {
			extra = append(extra, k+" = "+v)
		}
	}
	sort.Strings(extra)
	return strings.Join(append(parts, extra...), ", ")
}

// errWriter remembers the first write error so the renderers stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

func (e *errWriter) table(t *Table) {
	if e.err == nil {
		e.err = t.WriteText(e.w)
	}
}
