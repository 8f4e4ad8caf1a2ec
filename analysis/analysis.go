package analysis

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// Schema is the version tag of the JSON document, one for every document
// of the command line: Result and the TestDocument of `syngeom test`, whose
// streamed form (stream.Output) carries the same stream.Schema.
const Schema = stream.Schema

// Defaults for the settings that cost time. They keep the built-in demo
// (20,000 pairs, two groups) to a few seconds on two cores; every one is a
// flag of syngeom analyze and is written into the result.
const (
	DefaultBootstrap      = 50      // resamples of synapses in the geometry test
	DefaultNullReplicates = 100     // Gaussian-null simulations behind the calibrated ΔCDF p-values
	DefaultGOFSamples     = 199     // parametric-bootstrap resamples per fitted family: floor 0.005, below the 0.01 of every fit verdict
	DefaultGOFMaxN        = 500     // GOF bootstrap on a random subsample of this size above it (keeps 199 refits per family cheap)
	DefaultFitMaxN        = 100_000 // distribution fits on a random subsample above it
)

// Thresholds of the analysis-level warnings.
const (
	smallN        = 100  // fewer pairs (or values) than this: the comparison is coarse
	manyZeros     = 0.05 // share of pairs with a zero weight
	manySignFlips = 0.01 // share of pairs that change sign
	poorFitAlpha  = 0.01 // every family's AD bootstrap p below this: all fit poorly
)

// Options configure an analysis. Start from DefaultOptions, the settings
// of syngeom analyze. The zero value runs the paper's candidates with no
// resampling at all: no calibrated p-values, bootstrap or GOF p-values.
type Options struct {
	// Test are the options of the geometry test, passed unchanged to the
	// paired test (testgeom.TestPaired, or the two passes of RunStream);
	// the unpaired test uses their candidates, bootstrap and seed, and the
	// fits their seed. Test.Clusters is set by the analysis from the data
	// (consecutive pairs of a synapse).
	Test testgeom.Options
	// Families are fitted to the before and after weights; nil chooses by
	// sign (positive families for positive data, signed ones otherwise).
	Families []*fit.Family
	// ShiftFamilies are fitted to the dual shifts; nil means the signed
	// families (normal, Student-t, Laplace, logistic).
	ShiftFamilies []*fit.Family
	// ShiftGeometry names the geometry whose dual shifts are fitted:
	// "best" (or "": the best candidate by likelihood, else by ΔCDF), or a
	// candidate such as "NE" or "p=2.0".
	ShiftGeometry string

	// GOFSamples is the number of parametric-bootstrap resamples per family
	// for the KS, CvM and AD p-values (0: none).
	GOFSamples int
	// GOFMaxN: above this many values the GOF bootstrap runs on a random
	// subsample of this size (0: DefaultGOFMaxN).
	GOFMaxN int
	// FitMaxN: above this many values a distribution is fitted to a random
	// subsample of this size (0: DefaultFitMaxN).
	FitMaxN int

	// Progress, if set, is told what the analysis is doing, for a status
	// line. It must not write to the result streams.
	Progress func(stage string)
}

func (o Options) withDefaults() Options {
	if o.GOFMaxN <= 0 {
		o.GOFMaxN = DefaultGOFMaxN
	}
	if o.FitMaxN <= 0 {
		o.FitMaxN = DefaultFitMaxN
	}
	if g, err := ParseShiftGeometry(o.ShiftGeometry); err == nil {
		o.ShiftGeometry = g // "2" → "p=2.0"; a bad name is reported by checkShiftGeometry
	}
	if o.Test.Candidates == nil {
		o.Test.Candidates = geometry.DefaultCandidates()
	}
	if o.ShiftFamilies == nil {
		o.ShiftFamilies = fit.SignedFamilies()
	}
	if o.Progress == nil {
		o.Progress = func(string) {}
	}
	return o
}

// Result is the whole analysis: the JSON document of syngeom analyze. The
// pooled analysis (all synapses) is embedded, so its fields (design, n,
// fits, fit_comparisons, geometry, warnings, verdict) sit at the top level
// next to input, settings and the per-group analyses.
type Result struct {
	Schema   string   `json:"schema"`   // the document's schema name, Schema
	Input    Input    `json:"input"`    // what was read and used
	Settings Settings `json:"settings"` // the options that affect the numbers
	Scope
	Groups []Scope `json:"groups"` // the analysis of each group (empty without groups)
	// GroupComparison is the headline of a paired analysis with groups: one
	// λ shared by the groups, each with its own shift mean and sd, and the
	// likelihood-ratio test of a common λ (omitted without groups). The
	// top-level scope is then the pooled fit, PooledLabel.
	GroupComparison *compare.GroupComparison `json:"group_comparison,omitempty"`
	// PooledVerdict is the pooled fit's own verdict when there are groups.
	PooledVerdict string `json:"pooled_verdict,omitempty"`

	// streamed is the input of RunStream, which keeps no per-pair data:
	// WriteShifts reads the pairs again from it. nil in memory.
	streamed *stream.Config
}

// Input describes what was read and what was used.
type Input struct {
	Files []string `json:"files"` // the files read (empty for data in memory)
	// Name names data given in memory (AnalyzeSlices), which have no
	// files.
	Name string `json:"name,omitempty"`
	// Demo is true for the built-in synthetic dataset; Description then
	// says how it was made.
	Demo        bool              `json:"demo"`
	Description string            `json:"description,omitempty"` // how the demo data were made
	Format      string            `json:"format"`                // the file format read
	Shape       string            `json:"shape"`                 // paired, unpaired or single
	Columns     map[string]string `json:"columns"`               // column used for each role (before, after, id, group, …)
	Rows        int64             `json:"rows_read"`             // rows read from the files
	// PairsUsed counts complete, valid pairs (paired data); NBefore and
	// NAfter the values of each sample.
	PairsUsed int64            `json:"pairs_used"`
	NBefore   int64            `json:"n_before"` // values of the before sample
	NAfter    int64            `json:"n_after"`  // values of the after sample
	Excluded  map[string]int64 `json:"excluded"` // pairs (values) dropped, by reason
	Counts    map[string]int64 `json:"counts"`   // reported, kept: zero, negative, sign_flip
	Notes     []string         `json:"notes"`    // what ingest detected and how, for the user
	Groups    []string         `json:"groups"`   // the group names, in order (empty without groups)
	// Citation is the data's citation (--cite, or the Parquet key-value
	// metadata "citation"); empty when none was given.
	Citation string `json:"citation,omitempty"`
}

// Settings records every choice that affects the numbers, so that a run
// can be repeated and cited.
type Settings struct {
	Seed           uint64   `json:"seed"`            // seed of every random choice
	Candidates     []string `json:"candidates"`      // names of the candidate geometries
	Families       []string `json:"families"`        // empty: chosen by the sign of each sample
	ShiftFamilies  []string `json:"shift_families"`  // families fitted to the dual shifts
	ShiftGeometry  string   `json:"shift_geometry"`  // geometry of the fitted shifts, or "best"
	Bootstrap      int      `json:"bootstrap"`       // resamples of synapses in the geometry test
	NullReplicates int      `json:"null_replicates"` // Gaussian-null simulations for the ΔCDF p-values
	GOFSamples     int      `json:"gof_samples"`     // parametric-bootstrap resamples per family
	GOFMaxN        int      `json:"gof_max_n"`       // subsample size of the GOF bootstrap
	FitMaxN        int      `json:"fit_max_n"`       // subsample size of the distribution fits
	// ZeroPolicy is how zeros were read: "keep" or "missing" (empty when
	// the caller loaded the data itself).
	ZeroPolicy string `json:"zero_policy"`
}

// Scope is the analysis of one set of synapses: all of them pooled, or one
// group.
type Scope struct {
	Group  string `json:"group,omitempty"` // the group's name; empty for all synapses pooled
	Design string `json:"design"`          // "paired", "unpaired" or "single"
	// N counts the pairs (paired) and the values of each sample analysed.
	N NCount `json:"n"`
	// Fits are the distribution fits, in the order of the families.
	Fits Fits `json:"fits"`
	// FitComparisons rank the fits of each sample ("before", "after",
	// "shift" or "sample") by AIC and hold the Vuong and LR tests.
	FitComparisons map[string]FitComparison `json:"fit_comparisons"`
	// ShiftGeometry is the candidate whose dual shifts were fitted.
	ShiftGeometry string   `json:"shift_geometry,omitempty"`
	Geometry      Geometry `json:"geometry"` // the geometry test of the scope's design
	Warnings      []string `json:"warnings"` // caveats on the fits and the test
	Verdict       string   `json:"verdict"`  // the conclusion in words
	// Figures are the values the report's figures draw, bounded in size;
	// nil for a Result decoded from JSON.
	Figures *ScopeFigures `json:"-"`

	data scopeData
}

// NCount is the size of a scope.
type NCount struct {
	Pairs  int64 `json:"pairs"`  // complete pairs (paired data)
	Before int64 `json:"before"` // values of the before sample
	After  int64 `json:"after"`  // values of the after sample
}

// Fits holds the fits per sample; absent samples are omitted.
type Fits struct {
	Before []fit.Result `json:"before,omitempty"` // fits to the weights before learning
	After  []fit.Result `json:"after,omitempty"`  // fits to the weights after learning
	Shift  []fit.Result `json:"shift,omitempty"`  // fits to the dual shifts of ShiftGeometry
	Sample []fit.Result `json:"sample,omitempty"` // single-sample input
}

// FitComparison summarises the fits of one sample.
type FitComparison struct {
	N int `json:"n"` // values in the sample
	// FittedN is the number of values fitted: N, or FitMaxN when the fit
	// used a random subsample.
	FittedN int `json:"fitted_n"`
	// ZerosExcluded counts zero weights left out of the fits: when a
	// sample of weights has zeros but no negative values, the zeros are
	// absent synapses rather than small ones, and the positive families
	// are fitted to the positive values.
	ZerosExcluded int `json:"zeros_excluded"`
	// FullData, when the fits used a subsample (FittedN < N), refits the
	// families that have sufficient statistics (normal, lognormal,
	// exponential, gamma) on all N values from their exact sums: the
	// estimates, standard errors and log-likelihood of all the data (no GOF
	// statistics, which need the values).
	FullData []fit.Result    `json:"full_data,omitempty"`
	Best     string          `json:"best"`     // the family with the lowest AIC
	Ranking  []string        `json:"ranking"`  // the fitted families by AIC, best first
	Vuong    []fit.VuongTest `json:"vuong"`    // Vuong tests of every pair of non-nested fits
	LRTests  []fit.LRTest    `json:"lr_tests"` // likelihood-ratio tests of each nested pair
}

// Geometry is the geometry test of a scope: the paired result, the
// unpaired result (whose JSON says "design": "unpaired"), or neither (a
// single sample, JSON null).
type Geometry struct {
	Paired   *testgeom.Result         // the paired test, or nil
	Unpaired *testgeom.UnpairedResult // the unpaired test, or nil
}

// MarshalJSON writes whichever result is present.
func (g Geometry) MarshalJSON() ([]byte, error) {
	switch {
	case g.Paired != nil:
		return json.Marshal(g.Paired)
	case g.Unpaired != nil:
		return json.Marshal(g.Unpaired)
	}
	return []byte("null"), nil
}

// scopeData are the values behind a scope that the analysis still needs
// after the scope is done (the group comparison, the per-synapse shift
// table); they are not part of the JSON and are not held when streaming.
type scopeData struct {
	before, after []float64 // pairs (paired) or the two samples
	group         []int32   // group code of each pair (pooled paired scope with groups)
	candidates    []geometry.Potential
	shiftPot      geometry.Potential
	pass          *testgeom.SecondPass // the paired test's second pass, for the comparison of groups
}

// Analyze runs the analysis on a loaded table; it is AnalyzeContext
// without cancellation.
func Analyze(d *ingest.Data, opts Options) (*Result, error) {
	return AnalyzeContext(context.Background(), d, opts)
}

// AnalyzeContext runs the analysis on a loaded table. It stops when ctx is
// done (between blocks of pairs, stages, groups and resamples) and then
// returns an error for which errors.Is(err, ctx.Err()) holds.
func AnalyzeContext(ctx context.Context, d *ingest.Data, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	res := &Result{Schema: Schema, Input: inputOf(d), Settings: settingsOf(opts)}
	if err := checkShiftGeometry(opts); err != nil {
		return nil, err
	}
	var first *testgeom.GroupPasses // the groups' first passes, merged for all synapses
	if d.Shape == ingest.ShapePaired && d.Group != nil {
		var err error
		if first, err = testgeom.GroupFirstPasses(ctx, d.Before, d.After, d.Group, d.GroupNames, pairedOptions(d, opts)); err != nil {
			return nil, err
		}
	}
	pooled, err := analyzeScope(ctx, "", d, nil, first, opts)
	if err != nil {
		return nil, err
	}
	res.Scope = *pooled
	if d.Shape == ingest.ShapePaired {
		res.data.group = d.Group
	}
	res.Groups = []Scope{}
	if d.Group != nil || d.GroupAfter != nil {
		for g, name := range d.GroupNames {
			sc, err := analyzeScope(ctx, name, d, &g, first, opts)
			if err != nil {
				return nil, fmt.Errorf("group %s: %w", name, err)
			}
			// A group's own copies of its values are no longer needed: its
			// figures hold samples.
			sc.data.before, sc.data.after = nil, nil
			res.Groups = append(res.Groups, *sc)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := compareGroups(ctx, res, d.GroupNames, opts); err != nil {
			return nil, err
		}
	}
	res.Verdict = overallVerdict(res)
	return res, nil
}

func inputOf(d *ingest.Data) Input {
	in := Input{Files: d.Files, Format: d.Format, Shape: string(d.Shape), Columns: d.Roles, Rows: d.Rows,
		Excluded: d.Excluded, Counts: d.Counts, Notes: d.Notes, Groups: d.GroupNames}
	switch d.Shape {
	case ingest.ShapePaired:
		in.PairsUsed, in.NBefore, in.NAfter = int64(len(d.Before)), int64(len(d.Before)), int64(len(d.After))
	case ingest.ShapeUnpaired:
		in.NBefore, in.NAfter = int64(len(d.Before)), int64(len(d.After))
	default:
		in.NBefore = int64(len(d.Before))
	}
	if in.Files == nil {
		in.Files = []string{}
	}
	if in.Columns == nil {
		in.Columns = map[string]string{}
	}
	if in.Excluded == nil {
		in.Excluded = map[string]int64{}
	}
	if in.Counts == nil {
		in.Counts = map[string]int64{}
	}
	if in.Notes == nil {
		in.Notes = []string{}
	}
	if in.Groups == nil {
		in.Groups = []string{}
	}
	return in
}

func settingsOf(o Options) Settings {
	s := Settings{Seed: o.Test.Seed, Bootstrap: o.Test.Bootstrap, NullReplicates: o.Test.NullReplicates, GOFSamples: o.GOFSamples,
		GOFMaxN: o.GOFMaxN, FitMaxN: o.FitMaxN, ShiftGeometry: o.ShiftGeometry, Families: []string{}}
	for _, c := range o.Test.Candidates {
		s.Candidates = append(s.Candidates, c.Name())
	}
	for _, f := range o.Families {
		s.Families = append(s.Families, f.Name)
	}
	for _, f := range o.ShiftFamilies {
		s.ShiftFamilies = append(s.ShiftFamilies, f.Name)
	}
	return s
}

func checkShiftGeometry(o Options) error {
	if o.ShiftGeometry == ShiftBest {
		return nil
	}
	if findCandidate(o.Test.Candidates, o.ShiftGeometry) == nil {
		return &InputError{fmt.Sprintf("shift geometry %q is not one of the candidates (%s)", o.ShiftGeometry, candidateList(o.Test.Candidates))}
	}
	return nil
}

// pairedOptions are the paired test's options for all pairs of d: its
// synapses when pairs share them, and its files as shards.
func pairedOptions(d *ingest.Data, opts Options) testgeom.Options {
	o := opts.Test
	o.Clusters, o.Shards = pairSynapses(d), d.Shards
	return o
}

// testPairedRun is the paired test of a scope (group nil: all synapses),
// from the first passes of the groups (gp) when made already.
func testPairedRun(ctx context.Context, d *ingest.Data, gp *testgeom.GroupPasses, group *int, w0, w1 []float64, opts Options) (*testgeom.PairedRun, error) {
	o := pairedOptions(d, opts)
	switch {
	case gp == nil:
		return testgeom.TestPairedRunContext(ctx, w0, w1, o)
	case group == nil:
		return testgeom.TestPairedFromContext(ctx, gp.Pooled, w0, w1, o)
	}
	return testgeom.TestPairedFromContext(ctx, gp.Groups[*group], w0, w1, gp.Options(*group, o))
}

// analyzeScope analyses all synapses (group nil) or one group. gp, if not
// nil, are the first passes of the groups of paired data, already made.
func analyzeScope(ctx context.Context, name string, d *ingest.Data, group *int, gp *testgeom.GroupPasses, opts Options) (*Scope, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sc := &Scope{Group: name, Design: string(d.Shape), FitComparisons: map[string]FitComparison{}, Warnings: []string{}}
	sc.data.candidates = opts.Test.Candidates
	label := "all synapses"
	if group != nil {
		label = "group " + name
	}
	before, after := d.Before, d.After
	if group != nil {
		before = selectGroup(d.Before, d.Group, int32(*group))
		if d.Shape == ingest.ShapePaired {
			after = selectGroup(d.After, d.Group, int32(*group))
		} else if d.After != nil {
			after = selectGroup(d.After, d.GroupAfter, int32(*group))
		}
	}
	fo := fitOptions{Options: fit.Options{GOFSamples: opts.GOFSamples, GOFMaxN: opts.GOFMaxN, Seed: opts.Test.Seed}, ctx: ctx}
	switch d.Shape {
	case ingest.ShapeSingle:
		sc.N = NCount{Before: int64(len(before))}
		sc.Figures = &ScopeFigures{}
		if group == nil { // a group's panel draws no distributions
			sc.Figures.Before = sampleFigure(before, opts.Test.Seed)
		}
		opts.Progress(fmt.Sprintf("%s: fitting %d values", label, len(before)))
		r, cmp, err := fitSample(before, opts.Families, fo, opts.FitMaxN, true)
		if err != nil {
			return nil, err
		}
		sc.Fits.Sample, sc.FitComparisons["sample"] = r, cmp
	case ingest.ShapePaired:
		sc.data.before, sc.data.after = before, after
		n := int64(len(before))
		sc.N = NCount{Pairs: n, Before: n, After: n}
		opts.Progress(fmt.Sprintf("%s: testing %d geometries on %d pairs", label, len(opts.Test.Candidates), n))
		run, err := testPairedRun(ctx, d, gp, group, before, after, opts)
		if err != nil {
			return nil, err
		}
		sc.Geometry.Paired = run.Result
		sc.data.pass = run.Pass // kept for the comparison of groups
		if err := sc.fitPaired(label, run.W0, run.W1, summariesOf(before, after), opts, fo); err != nil {
			return nil, err
		}
		sc.pairedFigures(run.W0, run.W1, run.LogLik, group == nil, opts.Test.Seed)
	case ingest.ShapeUnpaired:
		sc.data.before, sc.data.after = before, after
		sc.N = NCount{Before: int64(len(before)), After: int64(len(after))}
		sc.Figures = &ScopeFigures{}
		if group == nil {
			sc.Figures.Before, sc.Figures.After = sampleFigure(before, opts.Test.Seed), sampleFigure(after, opts.Test.Seed)
		}
		if err := sc.fitWeights(label, before, after, nil, opts, fo); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := sc.testUnpaired(ctx, label, opts); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("analysis: unknown shape %q", d.Shape)
	}
	sc.warn()
	sc.decide()
	return sc, nil
}

func (sc *Scope) testUnpaired(ctx context.Context, label string, opts Options) error {
	opts.Progress(fmt.Sprintf("%s: testing %d geometries on unpaired samples (%d and %d values)", label, len(opts.Test.Candidates), sc.N.Before, sc.N.After))
	// Refine adds the likelihood estimate of λ with its interval.
	r, err := testgeom.TestUnpairedContext(ctx, sc.data.before, sc.data.after, testgeom.UnpairedOptions{Candidates: opts.Test.Candidates,
		Bootstrap: opts.Test.Bootstrap, Seed: opts.Test.Seed, Refine: true})
	if err != nil {
		return err
	}
	sc.Geometry.Unpaired = r
	return nil
}

// fitPaired fits the families to the before and after weights and to the
// dual shifts of the chosen geometry, all on the pairs the geometry test
// kept for its diagnostics (every pair up to testgeom.DefaultSampleMax,
// else a seeded random subsample of about that size, the same in memory and
// when streaming), and reports the number of pairs behind them as N.
func (sc *Scope) fitPaired(label string, s0, s1 []float64, sums *[2]fit.SummaryAccumulator, opts Options, fo fitOptions) error {
	if err := sc.fitWeights(label, s0, s1, sums, opts, fo); err != nil {
		return err
	}
	return sc.fitShifts(label, s0, s1, opts, fo)
}

// fitWeights fits the families to the before and after weights. With the
// sufficient statistics of all values (sums), N counts the pairs and the
// families that have such statistics are refitted on every value when the
// fits used a subsample.
func (sc *Scope) fitWeights(label string, before, after []float64, sums *[2]fit.SummaryAccumulator, opts Options, fo fitOptions) error {
	for i, s := range []struct {
		key string
		x   []float64
		dst *[]fit.Result
	}{{"before", before, &sc.Fits.Before}, {"after", after, &sc.Fits.After}} {
		opts.Progress(fmt.Sprintf("%s: fitting the %s weights (%d values)", label, s.key, len(s.x)))
		r, cmp, err := fitSample(s.x, opts.Families, fo, opts.FitMaxN, true)
		if err != nil {
			return fmt.Errorf("%s sample: %w", s.key, err)
		}
		if sums != nil {
			cmp.N = int(sc.N.Pairs)
			cmp.FullData = fullDataFits(&sums[i], r, &cmp)
		}
		*s.dst, sc.FitComparisons[s.key] = r, cmp
	}
	return nil
}

// fullDataFits refits, on every value, the fitted families that have
// sufficient statistics, when the fits used a subsample; the values are
// the positive ones when the fits left zeros out (or could have: no
// negative value), as fitSample does.
func fullDataFits(acc *fit.SummaryAccumulator, fitted []fit.Result, cmp *FitComparison) []fit.Result {
	_, negative := acc.Counts()
	sm, err := acc.Summary(negative == 0)
	if err != nil || sm.N <= cmp.FittedN+cmp.ZerosExcluded {
		return nil
	}
	var fams []*fit.Family
	for _, r := range fitted {
		if f, err := fit.Lookup(r.Family); err == nil && f.HasSufficientStatistics() {
			fams = append(fams, f)
		}
	}
	if len(fams) == 0 {
		return nil
	}
	return fit.FitSummary(sm, fams)
}

// summariesOf gathers the sufficient statistics of in-memory pairs, as the
// first pass of a stream does.
func summariesOf(before, after []float64) *[2]fit.SummaryAccumulator {
	a := new([2]fit.SummaryAccumulator)
	a[0].Add(before)
	a[1].Add(after)
	return a
}

// fitShifts fits the dual shifts of the chosen geometry on the pairs
// (w0, w1).
func (sc *Scope) fitShifts(label string, w0, w1 []float64, opts Options, fo fitOptions) error {
	name := opts.ShiftGeometry
	if name == ShiftBest {
		g := sc.Geometry.Paired
		name = g.BestByLikelihood
		if name == "" {
			name = g.BestByDCDF
		}
	}
	pot := findCandidate(opts.Test.Candidates, name)
	if pot == nil {
		return nil // no candidate could be scored; nothing to fit
	}
	sc.ShiftGeometry = pot.Name()
	sc.data.shiftPot = pot
	_, d := dualShifts(pot, w0, w1)
	if len(d) == 0 {
		return nil
	}
	opts.Progress(fmt.Sprintf("%s: fitting the dual shifts under %s (%d values)", label, pot.Name(), len(d)))
	r, cmp, err := fitSample(d, opts.ShiftFamilies, fo, opts.FitMaxN, false)
	if err != nil {
		return fmt.Errorf("dual shifts: %w", err)
	}
	for _, c := range sc.Geometry.Paired.Candidates {
		if c.Name == pot.Name() {
			cmp.N = int(c.N) // the pairs where the dual map is defined
		}
	}
	sc.Fits.Shift, sc.FitComparisons["shift"] = r, cmp
	return nil
}

// fitSample fits the families to x, or to a random subsample of maxN
// values when x is longer.
func fitSample(x []float64, fams []*fit.Family, fo fitOptions, maxN int, weights bool) ([]fit.Result, FitComparison, error) {
	cmp := FitComparison{N: len(x), FittedN: len(x), Ranking: []string{}, Vuong: []fit.VuongTest{}, LRTests: []fit.LRTest{}}
	if len(x) == 0 {
		return []fit.Result{}, cmp, nil
	}
	xs := x
	if weights {
		xs, cmp.ZerosExcluded = fit.WithoutZeroWeights(x, fams)
	}
	if len(xs) > maxN {
		xs = Subsample(xs, maxN, fo.Seed)
	}
	cmp.FittedN = len(xs)
	rep, err := fit.FitContext(fo.ctx, xs, fams, fo.Options)
	if err != nil {
		return nil, cmp, err
	}
	cmp.Best = rep.Best
	if rep.Ranking != nil {
		cmp.Ranking = rep.Ranking
	}
	if rep.Vuong != nil {
		cmp.Vuong = rep.Vuong
	}
	if rep.LRTests != nil {
		cmp.LRTests = rep.LRTests
	}
	return rep.Fits, cmp, nil
}

// fitOptions are the options of the distribution fits with the context
// of the run.
type fitOptions struct {
	fit.Options
	ctx context.Context
}

// Subsample returns m values of x drawn without replacement, in their
// original order (Knuth's selection sampling), from a PCG stream of seed:
// the same x, m and seed always give the same subsample.
func Subsample(x []float64, m int, seed uint64) []float64 {
	if m >= len(x) {
		return x
	}
	out := make([]float64, 0, m)
	selectSample(len(x), m, seed, func(i int) { out = append(out, x[i]) })
	return out
}

// selectSample calls keep with m of the indices 0 … n−1 (m < n) in
// increasing order, each set of m equally likely (selection sampling,
// Knuth's Algorithm S), drawn from seed.
func selectSample(n, m int, seed uint64, keep func(i int)) {
	rng := rand.New(rand.NewPCG(seed, 0x5ab5a3))
	kept := 0
	for i := 0; i < n && kept < m; i++ {
		if float64(n-i)*rng.Float64() < float64(m-kept) {
			keep(i)
			kept++
		}
	}
}

// dualShifts returns w0 and d = g(w1) − g(w0) for the pairs the geometry
// test compares (testgeom.Compared: a zero weight is counted there, not
// compared) where the dual map of pot is defined at both weights.
func dualShifts(pot geometry.Potential, before, after []float64) (w0, d []float64) {
	w0, d = make([]float64, 0, len(before)), make([]float64, 0, len(before))
	for i, x0 := range before {
		x1 := after[i]
		if !testgeom.Compared(x0, x1) || !pot.Defined(x0) || !pot.Defined(x1) {
			continue
		}
		v := pot.Dual(x1) - pot.Dual(x0)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		w0, d = append(w0, x0), append(d, v)
	}
	return w0, d
}

func selectGroup(x []float64, group []int32, g int32) []float64 {
	var out []float64
	for i, c := range group {
		if c == g {
			out = append(out, x[i])
		}
	}
	if out == nil {
		out = []float64{}
	}
	return out
}

func findCandidate(cands []geometry.Potential, name string) geometry.Potential {
	for _, c := range cands {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

func candidateList(cands []geometry.Potential) string {
	s := ""
	for i, c := range cands {
		if i > 0 {
			s += ", "
		}
		s += c.Name()
	}
	return s
}

// InputError is an analysis request the data or options cannot satisfy.
type InputError struct {
	Msg string // the message shown to the user
}

// Error returns the message.
func (e *InputError) Error() string { return e.Msg }

// Is makes the error match ErrInput.
func (e *InputError) Is(target error) bool { return inputerr.Is(target) }

// ErrInput is matched, with errors.Is, by every syngeom error that is about
// the caller's input rather than a failure of the method: a malformed or
// unreadable file (ingest), values or options a method cannot use (fit,
// testgeom, analysis), an unknown candidate, family or shift geometry. The
// command line exits with code 2 for exactly these errors.
var ErrInput = inputerr.ErrInput
