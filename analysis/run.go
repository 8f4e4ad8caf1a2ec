package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/stream"
)

// DemoFile is how the built-in demo dataset is named in Input.Files.
const DemoFile = "builtin:" + datasets.DemoName

// Run reads the files with ingest and analyses them; it is RunContext
// without cancellation.
func Run(files []string, in ingest.Options, opts Options) (*Result, error) {
	return RunContext(context.Background(), files, in, opts)
}

// RunContext reads the files with ingest and analyses them, stopping when
// ctx is done (see AnalyzeContext). Tables of pairs that stream to the
// in-memory result (stream.SameAsInMemory) are read in two passes
// (RunStreamContext); the others are loaded.
func RunContext(ctx context.Context, files []string, in ingest.Options, opts Options) (*Result, error) {
	if in, ok := twoPasses(ctx, files, in, false); ok {
		return RunStreamContext(ctx, stream.Config{Files: files, Ingest: in}, opts)
	}
	d, err := ingest.LoadContext(ctx, files, in)
	if err != nil {
		return nil, err
	}
	res, err := AnalyzeContext(ctx, d, opts)
	if err != nil {
		return nil, err
	}
	res.Settings.ZeroPolicy = zeroPolicy(in)
	return res, nil
}

// twoPasses says whether to read the files in two passes, and with which
// reading options: when asked, or when that gives the in-memory result
// (stream.SameAsInMemory). Test and RunContext decide here.
func twoPasses(ctx context.Context, files []string, in ingest.Options, asked bool) (ingest.Options, bool) {
	if asked {
		return in, true
	}
	return stream.SameAsInMemory(ctx, files, in)
}

func zeroPolicy(in ingest.Options) string {
	if in.Zero == "" {
		return ingest.ZeroKeep
	}
	return in.Zero
}

// DemoIngestOptions are the ingest options of the built-in demo: its
// columns, its cell-type groups, and zeros read as absent synapses
// (turnover), as they were simulated.
func DemoIngestOptions() ingest.Options {
	return ingest.Options{Before: datasets.ColBefore, After: datasets.ColAfter, Group: datasets.ColGroup, Zero: ingest.ZeroMissing}
}

// RunDemo analyses the built-in synthetic demo dataset. The table goes
// through the checks and counts of a user's data (ingest.FromSlices: its
// NaNs are counted as missing, its zeros as turnover); Input names it
// DemoFile and carries its description.
func RunDemo(opts Options) (*Result, error) {
	return RunDemoContext(context.Background(), opts)
}

// RunDemoContext is RunDemo that stops when ctx is done (see
// AnalyzeContext).
func RunDemoContext(ctx context.Context, opts Options) (*Result, error) {
	p := datasets.Demo()
	groups := make([]string, len(p.Group))
	for i, g := range p.Group {
		groups[i] = p.GroupNames[g]
	}
	res, err := AnalyzeSlices(ctx, ingest.Slices{Name: DemoFile, Before: p.Before, After: p.After, Group: groups,
		Zero: DemoIngestOptions().Zero}, opts)
	if err != nil {
		return nil, err
	}
	res.Input.Files = []string{DemoFile}
	res.Input.Demo = true
	res.Input.Description = p.Description
	return res, nil
}

// WriteShifts writes the per-synapse dual shifts of the pooled analysis
// under the named candidate (or the fitted shift geometry for "best") to
// path, as CSV, TSV or Parquet by extension, through ingest's writer (which
// writes a temporary file and renames it into place). Columns: pair (the
// 1-based index of the pair among those analysed, in input order), group
// (with groups), w0, w1 and shift = g(w1) − g(w0), empty (null) where the
// dual map is undefined (a zero weight under NE). A streamed analysis
// (RunStream) reads its input a third time to write them, with the same
// result.
func (r *Result) WriteShifts(path, geometry string) (string, error) {
	return r.WriteShiftsContext(context.Background(), path, geometry)
}

// WriteShiftsContext is WriteShifts that stops when ctx is done, removing
// the unfinished file, and then returns ctx.Err().
func (r *Result) WriteShiftsContext(ctx context.Context, path, geometry string) (string, error) {
	if r.Design != string(ingest.ShapePaired) {
		return "", &InputError{"per-synapse shifts need paired data (the same synapses before and after)"}
	}
	if g, err := ParseShiftGeometry(geometry); err == nil {
		geometry = g
	}
	if geometry == ShiftBest {
		geometry = r.ShiftGeometry
		if geometry == "" {
			return "", &InputError{"no candidate geometry could be scored, so there is no best geometry to write shifts for"}
		}
	}
	pot := findCandidate(r.data.candidates, geometry)
	if pot == nil {
		return "", &InputError{fmt.Sprintf("shift geometry %q is not one of the candidates (%s)", geometry, candidateList(r.data.candidates))}
	}
	if _, _, ok := ingest.OutputFormat(path); !ok {
		return "", &InputError{fmt.Sprintf("%s: the shifts file must end in .csv, .tsv (optionally .gz) or .parquet", path)}
	}
	grouped := len(r.Input.Groups) > 0 && (r.streamed != nil || r.data.group != nil)
	cols := []ingest.ColumnSpec{{Name: "pair", Kind: ingest.Int64Column}}
	if grouped {
		cols = append(cols, ingest.ColumnSpec{Name: "group", Kind: ingest.StringColumn})
	}
	cols = append(cols, ingest.ColumnSpec{Name: "w0", Kind: ingest.Float64Column},
		ingest.ColumnSpec{Name: "w1", Kind: ingest.Float64Column},
		ingest.ColumnSpec{Name: "shift", Kind: ingest.Float64Column})
	w, err := ingest.NewWriter(path, cols, ingest.WriteOptions{Metadata: map[string]string{
		"syngeom.geometry":    pot.Name(),
		"syngeom.description": "dual shifts g(w1) − g(w0) under " + pot.Name() + ", written by syngeom analyze",
	}})
	if err != nil {
		return "", err
	}
	defer w.Abort()
	sw := &shiftWriter{w: w, pot: pot, grouped: grouped}
	if r.streamed != nil {
		n, err := stream.EachBatch(ctx, *r.streamed, func(b *ingest.Batch) error {
			return sw.write(b.Before, b.After, func(i int) string { return b.GroupNames[b.Group[i]] })
		})
		if err != nil {
			return "", err
		}
		if n != r.Input.PairsUsed {
			return "", &InputError{fmt.Sprintf("the input changed since it was analysed: %d pairs, then %d", r.Input.PairsUsed, n)}
		}
	} else {
		const chunk = 1 << 16
		w0, w1 := r.data.before, r.data.after
		for off := 0; off < len(w0); off += chunk {
			if err := ctx.Err(); err != nil {
				return "", err
			}
			end := min(len(w0), off+chunk)
			err := sw.write(w0[off:end], w1[off:end], func(i int) string { return r.Input.Groups[r.data.group[off+i]] })
			if err != nil {
				return "", err
			}
		}
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return pot.Name(), nil
}

// shiftWriter writes the per-synapse shifts, batch by batch.
type shiftWriter struct {
	w       *ingest.Writer
	pot     geometry.Potential
	grouped bool
	pairs   int64 // written so far
	ids     []int64
	groups  []string
	d       []float64
}

// write writes the pairs (w0[i], w1[i]) of group(i) and their shifts.
func (sw *shiftWriter) write(w0, w1 []float64, group func(i int) string) error {
	sw.ids, sw.groups, sw.d = sw.ids[:0], sw.groups[:0], sw.d[:0]
	for i := range w0 {
		sw.pairs++
		sw.ids = append(sw.ids, sw.pairs)
		v := math.NaN()
		if sw.pot.Defined(w0[i]) && sw.pot.Defined(w1[i]) {
			v = sw.pot.Dual(w1[i]) - sw.pot.Dual(w0[i])
		}
		sw.d = append(sw.d, v)
		if sw.grouped {
			sw.groups = append(sw.groups, group(i))
		}
	}
	batch := []ingest.ColumnData{{Int: sw.ids}}
	if sw.grouped {
		batch = append(batch, ingest.ColumnData{String: sw.groups})
	}
	batch = append(batch, ingest.ColumnData{Float: w0}, ingest.ColumnData{Float: w1}, ingest.ColumnData{Float: sw.d})
	return sw.w.Write(batch)
}
