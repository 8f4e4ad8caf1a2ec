package analysis

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// TestOptions are the options of Test: those of `syngeom test` on tables.
type TestOptions struct {
	// Ingest says how to read the files (and the control and noise tables).
	Ingest ingest.Options
	// Test holds the geometry test's options. Its candidates, bootstrap,
	// seed and workers also serve the unpaired and single-sample tests.
	Test testgeom.Options
	// Stream reads paired files in two passes even when they would
	// otherwise be read into memory (a wide table whose synapse ids repeat,
	// say: each pair then counts as its own synapse); it excludes
	// consecutive pairs.
	Stream bool
	// GroupByStep makes each step (session t → t+1) of consecutive pairs a
	// group, so that the common-λ test compares the steps.
	GroupByStep bool
	// Noise asks for the noise-corrected estimate, the comparison with a
	// control and the comparison of groups.
	Noise TestNoise
	// Refine adds the unpaired test's likelihood estimate of λ; MomentsOnly
	// scores the unpaired candidates at the moment estimates of the shift.
	Refine, MomentsOnly bool
	// DetectionLimit is the single-sample fit's smallest observable weight
	// (0 = none).
	DetectionLimit float64
}

// TestDocument is the JSON document of `syngeom test`: exactly one of its
// fields is set, by the shape of the data, and it encodes as that one.
type TestDocument struct {
	Paired   *PairedTest   // set for paired data
	Unpaired *UnpairedTest // set for unpaired samples
	Snapshot *SnapshotTest // set for a single sample
}

// MarshalJSON encodes the document of the design that was tested.
func (d *TestDocument) MarshalJSON() ([]byte, error) {
	switch {
	case d.Paired != nil:
		return json.Marshal(d.Paired)
	case d.Unpaired != nil:
		return json.Marshal(d.Unpaired)
	case d.Snapshot != nil:
		return json.Marshal(d.Snapshot)
	}
	return []byte("null"), nil
}

// PairedTest is the document of the paired test, in memory or streamed.
type PairedTest struct {
	Schema   string                 `json:"schema"`           // the document's schema name, Schema
	Input    stream.Input           `json:"input"`            // what was read
	Geometry *testgeom.Result       `json:"geometry"`         // the paired test of all pairs
	Groups   []testgeom.GroupResult `json:"groups,omitempty"` // the paired test of each group
	// NoiseAware holds the noise-corrected estimate, the comparison with a
	// control and the comparison of groups (nil when none ran).
	NoiseAware *NoiseAware `json:"noise_aware,omitempty"`
}

// DesignInput is the "input" object of an unpaired or single-sample test.
type DesignInput struct {
	Files    []string          `json:"files"`     // the files read
	Format   string            `json:"format"`    // the file format read
	Shape    ingest.Shape      `json:"shape"`     // unpaired or single
	Columns  map[string]string `json:"columns"`   // column used for each role
	Rows     int64             `json:"rows_read"` // rows read from the files
	NBefore  int               `json:"n_before"`  // values of the before (or only) sample
	NAfter   int               `json:"n_after"`   // values of the after sample
	Excluded map[string]int64  `json:"excluded"`  // values dropped, by reason
	Counts   map[string]int64  `json:"counts"`    // values reported and kept: zero, negative, …
	Notes    []string          `json:"notes"`     // what ingest detected and how, for the user
}

func designInputOf(d *ingest.Data) DesignInput {
	in := DesignInput{Files: d.Files, Format: d.Format, Shape: d.Shape, Columns: d.Roles, Rows: d.Rows,
		NBefore: len(d.Before), NAfter: len(d.After), Excluded: d.Excluded, Counts: d.Counts, Notes: d.Notes}
	if in.Notes == nil {
		in.Notes = []string{}
	}
	return in
}

// UnpairedTest is the document of the unpaired test.
type UnpairedTest struct {
	Schema   string                   `json:"schema"`           // the document's schema name, Schema
	Input    DesignInput              `json:"input"`            // what was read
	Geometry *testgeom.UnpairedResult `json:"geometry"`         // the unpaired test of all values
	Groups   []UnpairedGroup          `json:"groups,omitempty"` // the unpaired test of each group
}

// UnpairedGroup is the unpaired test of one group.
type UnpairedGroup struct {
	Group    string                   `json:"group"`    // the group's name
	Geometry *testgeom.UnpairedResult `json:"geometry"` // its unpaired test
}

// SnapshotTest is the document of the single-sample analysis.
type SnapshotTest struct {
	Schema   string                   `json:"schema"`           // the document's schema name, Schema
	Input    DesignInput              `json:"input"`            // what was read
	Geometry *testgeom.SnapshotResult `json:"geometry"`         // the single-sample analysis of all values
	Groups   []testgeom.SnapshotGroup `json:"groups,omitempty"` // that of each group
}

// OptionError is a setting that cannot be used, alone or on these data.
// Its Error names the settings by their Go names within the options of the
// entry point ("Test.Bootstrap", "Noise.CV"); Message names them as the
// caller chooses (syngeom's command line names its flags), and Settings
// lists them. It matches ErrInput.
type OptionError = inputerr.OptionError

// optionErrorf is the OptionError of a message whose setting arguments
// are given by setting.
func optionErrorf(format string, a ...any) error { return inputerr.Optionf(format, a...) }

// setting names a setting within the entry point's options.
func setting(name string) inputerr.Setting { return inputerr.Setting(name) }

// Test runs `syngeom test` on tables of weights. Tables of pairs, grouped
// or not, consecutive or not (stream.SameAsInMemory), and every input with
// opts.Stream, are read in two passes (stream.Passes); the others (a wide
// table whose ids repeat, single samples, unpaired samples) are loaded and
// tested by TestData. Either way the noise, control and group analyses of
// pairs read what the second passes hold: the pairs they kept (a random
// subsample beyond 100,000 pairs, of whole synapses when pairs share them)
// and their profiles.
func Test(ctx context.Context, files []string, opts TestOptions) (*TestDocument, error) {
	if err := opts.Noise.Validate(); err != nil {
		return nil, err
	}
	if opts.GroupByStep {
		if err := checkGroupByStep(opts.Ingest.Consecutive, opts.Ingest.Group != ""); err != nil {
			return nil, err
		}
		opts.Ingest.StepGroups = true // the reader makes the steps the groups
	}
	if in, ok := twoPasses(ctx, files, opts.Ingest, opts.Stream); ok {
		cfg := stream.Config{Files: files, Ingest: in, Test: opts.Test}
		out, err := TestStream(ctx, cfg, opts.Noise, func(res *stream.Output) error {
			return NoUsablePairs(cfg.Files, res.Geometry, res.Input.Excluded)
		})
		if err != nil {
			return nil, err
		}
		return &TestDocument{Paired: out}, nil
	}
	d, err := ingest.LoadContext(ctx, files, opts.Ingest)
	if err != nil {
		return nil, err
	}
	return TestData(ctx, d, opts)
}

// TestData runs `syngeom test` on data in memory: the paired test (with the
// noise, control and group analyses of opts.Noise), the unpaired test or
// the single-sample analysis, by the shape of d. It may set d's groups
// (opts.GroupByStep). opts.Stream is ignored. Every test it runs looks at
// ctx (see the …Context functions of testgeom) and returns an error
// matching ctx.Err() once it is done.
func TestData(ctx context.Context, d *ingest.Data, opts TestOptions) (*TestDocument, error) {
	if err := opts.Noise.Validate(); err != nil {
		return nil, err
	}
	o := opts.Test
	switch d.Shape {
	case ingest.ShapeUnpaired:
		out, err := testUnpaired(ctx, d, testgeom.UnpairedOptions{Candidates: o.Candidates, Bootstrap: o.Bootstrap,
			Seed: o.Seed, Workers: o.Workers, Refine: opts.Refine, MomentsOnly: opts.MomentsOnly})
		return &TestDocument{Unpaired: out}, err
	case ingest.ShapeSingle:
		out, err := testSnapshot(ctx, d, testgeom.SnapshotOptions{Candidates: o.Candidates,
			DetectionLimit: opts.DetectionLimit, Workers: o.Workers})
		return &TestDocument{Snapshot: out}, err
	case ingest.ShapePaired:
	default:
		return nil, &InputError{fmt.Sprintf("test cannot analyse data of shape %q", d.Shape)}
	}
	if err := useChains(d, &o, opts.GroupByStep); err != nil {
		return nil, err
	}
	out := &PairedTest{Schema: Schema, Input: stream.InputOf(d)}
	o.Shards = d.Shards // the files, as a streamed test reads them
	var pooled *testgeom.PairedRun
	var groups []testgeom.GroupRun
	var err error
	if d.Group != nil {
		pooled, groups, err = testgeom.TestGroupsRunContext(ctx, d.Before, d.After, d.Group, d.GroupNames, o)
	} else {
		pooled, err = testgeom.TestPairedRunContext(ctx, d.Before, d.After, o)
	}
	if err != nil {
		return nil, err
	}
	out.Geometry = pooled.Result
	for _, g := range groups {
		out.Groups = append(out.Groups, testgeom.GroupResult{Group: g.Group, Geometry: g.Result})
	}
	if err := NoUsablePairs(d.Files, out.Geometry, out.Input.Excluded); err != nil {
		return nil, err
	}
	if opts.Noise.Requested() || (d.Group != nil && opts.Noise.CompareGroups) {
		passes := make([]*testgeom.SecondPass, len(groups))
		for i, g := range groups {
			passes[i] = g.Pass
		}
		np := passNoisePairs(out.Input, d.GroupNames, pooled.Pass, passes)
		if out.NoiseAware, err = noiseAnalyses(ctx, opts.Noise, opts.Ingest, np, o.Seed); err != nil {
			return nil, err
		}
	}
	return &TestDocument{Paired: out}, nil
}

// TestStream runs the paired test in two passes over cfg's files or
// source and assembles its document, for tables and checkpoints alike.
// check, when not nil, may refuse the assembled result before the groups
// are compared (the costly part). The noise and control analyses and the
// test of one λ across the groups (noise.CompareGroups) read what the
// second passes hold (passNoisePairs), into NoiseAware.
func TestStream(ctx context.Context, cfg stream.Config, noise TestNoise, check func(*stream.Output) error) (*PairedTest, error) {
	first, second, err := stream.PassesContext(ctx, cfg)
	if err != nil {
		return nil, err
	}
	res, err := stream.AssembleContext(ctx, cfg, first, second)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(res); err != nil {
			return nil, err
		}
	}
	out := &PairedTest{Schema: res.Schema, Input: res.Input, Geometry: res.Geometry, Groups: res.Groups}
	if noise.Requested() || (len(res.Groups) > 0 && noise.CompareGroups) {
		if out.NoiseAware, err = noiseAnalyses(ctx, noise, cfg.Ingest, streamedNoisePairs(res, second), cfg.Test.Seed); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// NoUsablePairs is the input error of a paired run in which no pair can be
// compared: nothing was read, or every value is missing, non-finite or
// zero (nil otherwise). A group with too few pairs is not an error: it is
// reported in the run.
func NoUsablePairs(files []string, r *testgeom.Result, excluded map[string]int64) error {
	if r == nil || r.ComparedN > 0 {
		return nil
	}
	why := "no rows"
	if s := ingest.CountsList(excluded); s != "" {
		why = "excluded: " + s
	}
	if z := r.Counts["zero_pairs"]; z > 0 {
		why += fmt.Sprintf("; %d pairs have a zero weight, which no comparison uses", z)
	}
	return &InputError{fmt.Sprintf("%s: no usable pair of weights (both finite and nonzero) to compare geometries on (%s)", strings.Join(files, ", "), why)}
}

// useChains prepares a test of consecutive pairs: the pairs of one synapse
// share it, so λ̂'s interval sums scores per synapse and the bootstrap
// resamples whole synapses (docs/intervals.md). With byStep each step
// (session t → t+1) becomes a group, so that the groups' λ̂ and the test of
// a common λ tell a learning epoch from baseline drift.
func useChains(d *ingest.Data, o *testgeom.Options, byStep bool) error {
	if byStep && d.Roles["group"] != "step" { // not read with ingest.Options.StepGroups
		if err := checkGroupByStep(d.Synapse != nil, d.Group != nil); err != nil {
			return err
		}
		d.Group, d.GroupNames = d.Step, d.StepNames
		d.Roles["group"] = "step"
	}
	if d.Synapse != nil {
		o.Clusters = d.Synapse
	}
	return nil
}

// checkGroupByStep refuses GroupByStep without consecutive pairs or with
// groups of another column.
func checkGroupByStep(consecutive, grouped bool) error {
	switch {
	case !consecutive:
		return optionErrorf("%s needs a long table paired with %s", setting("GroupByStep"), setting("Ingest.Consecutive"))
	case grouped:
		return optionErrorf("%s makes the steps the groups: do not combine it with %s", setting("GroupByStep"), setting("Ingest.Group"))
	}
	return nil
}

// testUnpaired runs testgeom.TestUnpaired on the before and after samples,
// pooled and per group.
func testUnpaired(ctx context.Context, d *ingest.Data, o testgeom.UnpairedOptions) (*UnpairedTest, error) {
	out := &UnpairedTest{Schema: Schema, Input: designInputOf(d)}
	var err error
	if out.Geometry, err = testgeom.TestUnpairedContext(ctx, d.Before, d.After, o); err != nil {
		return nil, err
	}
	if d.Group != nil || d.GroupAfter != nil {
		for g, name := range d.GroupNames {
			b, a := groupValues(d.Before, d.Group, g), groupValues(d.After, d.GroupAfter, g)
			r, err := testgeom.TestUnpairedContext(ctx, b, a, o)
			if err != nil {
				return nil, err
			}
			out.Groups = append(out.Groups, UnpairedGroup{Group: name, Geometry: r})
		}
	}
	return out, nil
}

// testSnapshot runs testgeom.TestSnapshot on the single sample, pooled and
// per group.
func testSnapshot(ctx context.Context, d *ingest.Data, o testgeom.SnapshotOptions) (*SnapshotTest, error) {
	out := &SnapshotTest{Schema: Schema, Input: designInputOf(d)}
	var err error
	if d.Group != nil {
		out.Geometry, out.Groups, err = testgeom.TestSnapshotGroupsContext(ctx, d.Before, d.Group, d.GroupNames, o)
	} else {
		out.Geometry, err = testgeom.TestSnapshotContext(ctx, d.Before, o)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// groupValues is the values whose group is g (none without labels).
func groupValues(x []float64, group []int32, g int) []float64 {
	var out []float64
	for i, v := range x {
		if group != nil && int(group[i]) == g {
			out = append(out, v)
		}
	}
	return out
}
