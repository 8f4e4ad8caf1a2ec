package stream

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/testgeom"
)

// Schema names the JSON document Finish writes (that of `syngeom test`).
const Schema = "syngeom/1"

// Config fixes a run; every shard must be read with the same Config. Its
// plain fields encode to JSON, so it can travel to workers.
type Config struct {
	Files  []string       `json:"files"`  // the shards, in order; shard i is Files[i]
	Ingest ingest.Options `json:"ingest"` // columns and reading options, as the CLI's flags
	// Test are the options of the paired test, as for an in-memory run
	// (testgeom.DefaultOptions are syngeom test's). Test.SampleMax caps the
	// subsample of all pairs pooled; Test.Clusters are not used.
	Test testgeom.Options `json:"test"`
	// GroupSampleMax caps the subsample each group keeps for its bootstrap,
	// rank and Anderson–Darling diagnostics, step models and effect sizes
	// (0: the cap of all pairs pooled, Test.SampleMax, as for groups in
	// memory). The ΔCDF and the Gaussian-step λ̂ and LR tests use every
	// pair either way (Config.GroupSampleNote says what else changes).
	GroupSampleMax int `json:"group_sample_max,omitempty"`
	// GroupBootstrap, if set, is the number of bootstrap resamples of
	// each group (0: none), and Test.Bootstrap that of all pairs pooled;
	// nil: Test.Bootstrap for every scope. Each resample is a pass over
	// the group's subsample, so with hundreds of groups (the tensors of a
	// network) the groups' bootstraps can cost more than the passes.
	GroupBootstrap *int `json:"group_bootstrap,omitempty"`
	// Summaries adds to the first pass the sufficient statistics of the
	// before and after weights of each scope (fit.SummaryAccumulator), for
	// distribution fits on all values.
	Summaries bool `json:"summaries"`
	// Progress, if set, is told which pass and file is being read and how
	// many pairs so far (after every batch). It does not travel to workers.
	Progress func(status string) `json:"-"`
	// Source, if set, reads the pairs of shard s instead of the table
	// Files[s] (a pair of network checkpoints, for example): it calls emit
	// with validated paired batches, in the same order at both passes, and
	// returns what ingest.Scan would report. It does not travel to workers.
	Source func(shard, pass int, emit func(*ingest.Batch) error) (*ingest.Summary, error) `json:"-"`
	// Merged, if set, is given the merged passes at the end of Passes, for
	// analyses beyond the test (CompareGroups). It does not travel to workers.
	Merged func(first *Part1, second *Part2) error `json:"-"`

	idsRead bool // withIDs has decided how to read a synapse id column
}

// withIDs decides how a wide table's synapse id column is read, unless the
// reading options say already: not at all when its ids never repeat
// (ingest.DistinctIDs), as the in-memory reader finds them useless; else
// hashed (ingest.Options.HashIDs), so that the second passes keep whole
// synapses and sum scores per synapse, as in memory.
func (c Config) withIDs(ctx context.Context) (Config, error) {
	in := c.Ingest
	if c.idsRead || c.Source != nil || in.DistinctIDs || in.HashIDs || !asksPairs(in) {
		return c, nil
	}
	c.idsRead = true
	sum, distinct, err := ingest.DistinctIDs(ctx, c.Files, in)
	if err != nil || sum.Shape != ingest.ShapePaired || isLong(sum) || sum.Roles["id"] == "" {
		return c, nil // the reader reports any problem
	}
	c.Ingest.DistinctIDs, c.Ingest.HashIDs = distinct, !distinct
	return c, nil
}

// Validate reports a configuration no run can use (testgeom.Options.Validate),
// as an *inputerr.OptionError (analysis.OptionError) naming the settings
// within Config ("Test.Bootstrap"); distributed runners call it before
// starting workers.
func (c Config) Validate() error {
	if err := c.Test.Validate(); err != nil {
		return inputerr.Within("Test", err)
	}
	if c.GroupBootstrap != nil && *c.GroupBootstrap < 0 {
		return inputerr.Optionf("%s must be ≥ 0, not %d", inputerr.Setting("GroupBootstrap"), *c.GroupBootstrap)
	}
	return nil
}

// testOptions are the options of the paired test, with the candidates
// made explicit (the scans need them).
func (c Config) testOptions() (testgeom.Options, error) {
	if err := c.Validate(); err != nil {
		return c.Test, err
	}
	o := c.Test
	if o.Candidates == nil {
		o.Candidates = geometry.DefaultCandidates()
	}
	return o, nil
}

func (c Config) sampleMax() int {
	if c.Test.SampleMax > 0 {
		return c.Test.SampleMax
	}
	return testgeom.DefaultSampleMax
}

func (c Config) groupSampleMax() int {
	if c.GroupSampleMax > 0 {
		return c.GroupSampleMax
	}
	return c.sampleMax()
}

// GroupSampleNote says what a cap on the groups' subsamples changes
// (cfg.GroupSampleMax), for the groups' bootstrap too unless they are not
// resampled.
func (c Config) GroupSampleNote() string {
	what := "each group's bootstrap, rank"
	if !c.groupsResampled() {
		what = "each group's rank"
	}
	return fmt.Sprintf("%s and Anderson–Darling diagnostics, step models and effect sizes use a deterministic random subsample of about %d of its pairs (all pairs pooled: %d); so do its λ̂, interval and LR tests when the data prefer Student-t steps (step_models.preferred); the ΔCDF and the Gaussian-step λ̂ and LR tests use every pair",
		what, c.GroupSampleMax, c.sampleMax())
}

// GroupBootstrapOffNote says that only all pairs pooled are resampled
// (GroupBootstrap 0).
const GroupBootstrapOffNote = "only all pairs pooled are resampled by the bootstrap; each group's interval is its likelihood-ratio interval (robust, or the Student-t one when the data prefer Student-t steps), and --group-bootstrap N resamples each group N times (with many groups that costs more than the passes)"

// groupsResampled reports whether the groups' bootstraps run.
func (c Config) groupsResampled() bool {
	b := c.Test.Bootstrap
	if c.GroupBootstrap != nil {
		b = *c.GroupBootstrap
	}
	return b > 0
}

// GroupNotes are the notes on the groups' subsamples and bootstraps that
// the input of a run with groups carries.
func (c Config) GroupNotes() []string {
	var notes []string
	if c.GroupSampleMax > 0 && c.GroupSampleMax != testgeom.DefaultSampleMax {
		notes = append(notes, c.GroupSampleNote())
	}
	if c.Test.Bootstrap > 0 && !c.groupsResampled() {
		notes = append(notes, GroupBootstrapOffNote)
	}
	return notes
}

// InputError is a problem with the input or the configuration (the CLI
// exits with code 2).
type InputError struct {
	Msg string // the message shown to the user
}

// Error returns the message.
func (e *InputError) Error() string { return e.Msg }

// Is makes the error match analysis.ErrInput (exit code 2 in the CLI).
func (e *InputError) Is(target error) bool { return inputerr.Is(target) }

// shardInfo is what the reader reported about one shard.
type shardInfo struct {
	Format   string            `json:"format"`
	Roles    map[string]string `json:"roles"`
	Notes    []string          `json:"notes"`
	Rows     int64             `json:"rows"`
	Pairs    int64             `json:"pairs"`
	Excluded map[string]int64  `json:"excluded"`
	Counts   map[string]int64  `json:"counts"`
	Groups   []string          `json:"groups"` // in order of first appearance
	// Fed and GroupFed count the pairs the first pass gave the scans of all
	// synapses and of each group: the second pass of a later shard starts
	// its positions after them (testgeom.SecondPass.SetPosition).
	Fed      int64            `json:"fed"`
	GroupFed map[string]int64 `json:"group_fed,omitempty"`
	Chains   chainCount       `json:"chains"` // of the first pass
}

// Part1 is the first pass over one or more shards.
type Part1 struct {
	cfg    Config
	opts   testgeom.Options
	shards map[int]*shardInfo
	pooled *testgeom.Scan
	groups map[string]*testgeom.Scan
	// sums are the before and after statistics by scope ("" = all
	// synapses), with cfg.Summaries.
	sums map[string]*[2]fit.SummaryAccumulator
}

func newPart1(cfg Config) (*Part1, error) {
	opts, err := cfg.testOptions()
	if err != nil {
		return nil, err
	}
	p := &Part1{cfg: cfg, opts: opts, shards: map[int]*shardInfo{},
		pooled: testgeom.NewScan(opts.Candidates, opts.Workers), groups: map[string]*testgeom.Scan{},
		sums: map[string]*[2]fit.SummaryAccumulator{}}
	if cfg.Summaries {
		// Made before reading: all synapses' statistics are added beside
		// the groups', which add theirs to the map (see pipe).
		p.summaries("")
	}
	return p, nil
}

// summaries returns the statistics of a scope, created on first use.
func (p *Part1) summaries(scope string) *[2]fit.SummaryAccumulator {
	a := p.sums[scope]
	if a == nil {
		a = new([2]fit.SummaryAccumulator)
		p.sums[scope] = a
	}
	return a
}

// add feeds pairs of a scope to its scan (none if nil) and, with
// summaries, to its statistics a (concurrently: the scan uses every core
// but one at its end).
func (p *Part1) add(a *[2]fit.SummaryAccumulator, sc *testgeom.Scan, w0, w1 []float64) {
	if !p.cfg.Summaries {
		if sc != nil {
			sc.Add(w0, w1)
		}
		return
	}
	if sc == nil {
		a[0].Add(w0)
		a[1].Add(w1)
		return
	}
	done := make(chan struct{})
	go func() {
		a[0].Add(w0)
		a[1].Add(w1)
		close(done)
	}()
	sc.Add(w0, w1)
	<-done
}

// Summaries returns the exact statistics of the before and after weights of
// all synapses (scope "") or of one group; nil without Config.Summaries or
// for an unknown group.
func (p *Part1) Summaries(scope string) *[2]fit.SummaryAccumulator { return p.sums[scope] }

func (p *Part1) group(name string) *testgeom.Scan {
	sc := p.groups[name]
	if sc == nil {
		sc = testgeom.NewScan(p.opts.Candidates, p.opts.Workers)
		p.groups[name] = sc
	}
	return sc
}

// Pass1 reads shard cfg.Files[shard] and returns its first pass.
func Pass1(cfg Config, shard int) (*Part1, error) {
	return Pass1Context(context.Background(), cfg, shard)
}

// Pass1Context is Pass1 that stops when ctx is done and then returns
// ctx.Err(); it looks at ctx after every batch read.
func Pass1Context(ctx context.Context, cfg Config, shard int) (*Part1, error) {
	cfg, err := cfg.withIDs(ctx)
	if err != nil {
		return nil, err
	}
	p, err := newPart1(cfg)
	if err != nil {
		return nil, err
	}
	var fed int64
	groupFed := map[string]int64{}
	pooled := p.sums[""] // read here: the groups add to the map meanwhile
	info, err := readShard(ctx, cfg, shard, 1, func(w0, w1 []float64, _ []uint64, grouped bool) {
		fed += int64(len(w0))
		if grouped {
			p.add(pooled, nil, w0, w1) // the scan is the groups' merged, below
		} else {
			p.add(pooled, p.pooled, w0, w1)
		}
	}, func(name string, w0, w1 []float64, _ []uint64) {
		groupFed[name] += int64(len(w0))
		var a *[2]fit.SummaryAccumulator
		if p.cfg.Summaries {
			a = p.summaries(name)
		}
		p.add(a, p.group(name), w0, w1)
	})
	if err != nil {
		return nil, err
	}
	// A group without a usable pair (all its rows missing, say) has its
	// scan too: its test then says it has too few pairs, as in memory.
	for _, name := range info.Groups {
		p.group(name)
	}
	// The pooled first pass of grouped pairs is the merge of the groups',
	// as in memory (testgeom.GroupFirstPasses): one scan per pair.
	for _, name := range slices.Sorted(maps.Keys(p.groups)) {
		if err := p.pooled.Merge(p.groups[name]); err != nil {
			return nil, err
		}
	}
	info.Fed = fed
	if len(groupFed) > 0 {
		info.GroupFed = groupFed
	}
	p.shards[shard] = info
	return p, nil
}

// startAt tells the second passes of shard where its pairs stand among
// those of all shards, from the counts of the first pass.
func (p *Part2) startAt(shard int) {
	var pooled int64
	groups := map[string]int64{}
	for s := range shard {
		info := p.first.shards[s]
		pooled += info.Fed
		for name, n := range info.GroupFed {
			groups[name] += n
		}
	}
	p.pooled.SetPosition(pooled)
	for name, g := range p.groups {
		g.SetPosition(groups[name])
	}
}

// Merge adds the first pass of other shards. Shards must not overlap.
func (p *Part1) Merge(o *Part1) error {
	for s := range o.shards {
		if p.shards[s] != nil {
			return fmt.Errorf("stream: shard %d merged twice", s)
		}
	}
	if err := p.pooled.Merge(o.pooled); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(o.groups)) {
		if err := p.group(name).Merge(o.groups[name]); err != nil {
			return err
		}
	}
	for _, scope := range slices.Sorted(maps.Keys(o.sums)) {
		a, b := p.summaries(scope), o.sums[scope]
		a[0].Merge(&b[0])
		a[1].Merge(&b[1])
	}
	maps.Copy(p.shards, o.shards)
	return nil
}

// Part2 is the second pass over one or more shards, with the merged first
// pass it was started from.
type Part2 struct {
	first  *Part1
	pooled *testgeom.SecondPass
	groups map[string]*testgeom.SecondPass
}

func newPart2(first *Part1) *Part2 {
	o := first.opts
	p := &Part2{first: first, pooled: first.pooled.SecondPass(first.cfg.sampleMax(), o.Seed),
		groups: map[string]*testgeom.SecondPass{}}
	for name, sc := range first.groups {
		p.groups[name] = sc.SecondPass(first.cfg.groupSampleMax(), o.Seed)
	}
	return p
}

// Pass2 reads shard cfg.Files[shard] again and returns its second pass.
// first must be the merge of the first passes of all shards.
func Pass2(cfg Config, shard int, first *Part1) (*Part2, error) {
	return Pass2Context(context.Background(), cfg, shard, first)
}

// Pass2Context is Pass2 that stops when ctx is done and then returns
// ctx.Err(); it looks at ctx after every batch read.
func Pass2Context(ctx context.Context, cfg Config, shard int, first *Part1) (*Part2, error) {
	cfg, err := cfg.withIDs(ctx)
	if err != nil {
		return nil, err
	}
	if err := first.complete(cfg); err != nil {
		return nil, err
	}
	p := newPart2(first)
	p.startAt(shard)
	var unknown string
	info, err := readShard(ctx, cfg, shard, 2, func(w0, w1 []float64, syn []uint64, _ bool) { addPairs(p.pooled, w0, w1, syn) }, func(name string, w0, w1 []float64, syn []uint64) {
		if g := p.groups[name]; g != nil {
			addPairs(g, w0, w1, syn)
		} else {
			unknown = name
		}
	})
	if err != nil {
		return nil, err
	}
	if was := first.shards[shard]; unknown != "" || info.Rows != was.Rows || info.Pairs != was.Pairs {
		return nil, &InputError{fmt.Sprintf("%s changed between the two passes (%d rows and %d pairs, then %d and %d)",
			cfg.Files[shard], was.Rows, was.Pairs, info.Rows, info.Pairs)}
	}
	return p, nil
}

// addPairs adds pairs to a second pass, with their synapses when they
// share them (consecutive pairs), so that it keeps whole synapses.
func addPairs(g *testgeom.SecondPass, w0, w1 []float64, synapse []uint64) {
	if synapse != nil {
		g.AddSynapseKeys(w0, w1, synapse)
	} else {
		g.Add(w0, w1)
	}
}

// complete checks that first covers every shard of cfg.
func (p *Part1) complete(cfg Config) error {
	for s := range cfg.Files {
		if p.shards[s] == nil {
			return fmt.Errorf("stream: the first pass lacks shard %d (%s); merge the first passes of all shards before the second", s, cfg.Files[s])
		}
	}
	if len(p.shards) != len(cfg.Files) {
		return fmt.Errorf("stream: the first pass has %d shards, the configuration %d files", len(p.shards), len(cfg.Files))
	}
	return nil
}

// Sample returns the subsample of pairs kept by the second pass of all
// synapses (group "") or of one group, in canonical order (see
// testgeom.SecondPass.Sample); nil for an unknown group.
func (p *Part2) Sample(group string) (w0, w1 []float64) {
	g := p.pooled
	if group != "" {
		if g = p.groups[group]; g == nil {
			return nil, nil
		}
	}
	return g.Sample()
}

// Pass returns the finished second pass of all synapses (group "") or of
// one group, for the analyses that follow the test; nil for an unknown
// group.
func (p *Part2) Pass(group string) *testgeom.SecondPass {
	if group == "" {
		return p.pooled
	}
	return p.groups[group]
}

// LogLik returns the profile log-likelihood ℓ(λ) of the second pass of
// all synapses (group "") or of one group, from the pass's sums without
// reading the data again (testgeom.SecondPass.LogLik: exact on the coarse
// grid and at the fine ladder's rungs, cubic between them, NaN elsewhere);
// nil for an unknown group.
func (p *Part2) LogLik(group string) func(lambda float64) float64 {
	g := p.pooled
	if group != "" {
		if g = p.groups[group]; g == nil {
			return nil
		}
	}
	return g.LogLik()
}

// Merge adds the second pass of other shards.
func (p *Part2) Merge(o *Part2) error {
	if err := p.pooled.Merge(o.pooled); err != nil {
		return err
	}
	for name, g := range o.groups {
		mine := p.groups[name]
		if mine == nil {
			return fmt.Errorf("stream: group %q is not in the first pass", name)
		}
		if err := mine.Merge(g); err != nil {
			return err
		}
	}
	return nil
}

// Output is the JSON document of `syngeom test` on paired data.
type Output struct {
	Schema   string                 `json:"schema"`           // the document's schema name, Schema
	Input    Input                  `json:"input"`            // what was read
	Geometry *testgeom.Result       `json:"geometry"`         // the paired test of all pairs
	Groups   []testgeom.GroupResult `json:"groups,omitempty"` // the paired test of each group
}

// Input describes what was read.
type Input struct {
	Files    []string          `json:"files"`      // the files (shards) read
	Format   string            `json:"format"`     // the file format read
	Columns  map[string]string `json:"columns"`    // column used for each role
	Rows     int64             `json:"rows_read"`  // rows read from the files
	Pairs    int               `json:"pairs_used"` // complete, valid pairs tested
	Excluded map[string]int64  `json:"excluded"`   // pairs dropped, by reason
	Counts   map[string]int64  `json:"counts"`     // reported, not dropped: zero, negative, sign_flip
	Notes    []string          `json:"notes"`      // what ingest detected and how, for the user
}

// InputOf describes a table read into memory, as Assemble describes shards.
func InputOf(d *ingest.Data) Input {
	in := Input{Files: d.Files, Format: d.Format, Columns: d.Roles, Rows: d.Rows, Pairs: len(d.Before),
		Excluded: d.Excluded, Counts: d.Counts, Notes: d.Notes}
	if in.Notes == nil {
		in.Notes = []string{}
	}
	return in
}

// Assemble finishes the test from the merged passes of all shards: the
// document Finish encodes.
func Assemble(cfg Config, first *Part1, second *Part2) (*Output, error) {
	return AssembleContext(context.Background(), cfg, first, second)
}

// AssembleContext is Assemble that stops when ctx is done and then returns
// ctx.Err(); it looks at ctx between null simulations and resamples
// (testgeom.ResultsContext).
func AssembleContext(ctx context.Context, cfg Config, first *Part1, second *Part2) (*Output, error) {
	if err := first.complete(cfg); err != nil {
		return nil, err
	}
	if second.first != first {
		// A decoded Part2 carries its own copy of the first pass.
		first = second.first
	}
	in, groups, err := first.input(cfg)
	if err != nil {
		return nil, err
	}
	if note := repeatedIDNote(in, second.pooled); note != "" {
		in.Notes = append(in.Notes, note)
	}
	var chains chainCount
	for s := range cfg.Files {
		chains.merge(first.shards[s].Chains)
	}
	out := &Output{Schema: Schema, Input: in}
	// All scopes at once: they share the null simulations and the cores.
	passes := []*testgeom.SecondPass{second.pooled}
	for _, name := range groups {
		passes = append(passes, second.groups[name])
	}
	var each func(i int, o testgeom.Options) testgeom.Options
	if b := cfg.GroupBootstrap; b != nil {
		each = func(i int, o testgeom.Options) testgeom.Options {
			if i > 0 {
				o.Bootstrap = *b
			}
			return o
		}
	}
	var exact *exactReader
	if cfg.Source == nil {
		// Where the grid and the fine ladder do not reach, read the files
		// again, as the in-memory test evaluates its pairs. (A checkpoint's
		// tensors are interpolated there: each evaluation would read the
		// whole model.)
		exact = &exactReader{ctx: ctx, cfg: cfg, workers: first.opts.Workers}
		second.pooled.SetExact(exact.logLik(""))
		for _, name := range groups {
			second.groups[name].SetExact(exact.logLik(name))
		}
		defer func() {
			for _, p := range passes {
				p.SetExact(nil)
			}
			exact.close()
		}()
	}
	rs, err := testgeom.ResultsEachContext(ctx, passes, first.opts, each)
	if err == nil && exact != nil {
		err = exact.failed()
	}
	if err != nil {
		return nil, err
	}
	if in.Columns["id"] == "" && chains.chained() {
		for _, r := range rs {
			r.Warnings = append(r.Warnings, chains.warning())
		}
	}
	out.Geometry = rs[0]
	for i, name := range groups {
		out.Groups = append(out.Groups, testgeom.GroupResult{Group: name, Geometry: rs[i+1]})
	}
	return out, nil
}

// repeatedIDNote is, for a wide table whose synapse ids repeat (its pairs
// labelled with their ids' hashes), the in-memory reader's note on them,
// from the pairs of all synapses the second pass kept; "" otherwise.
func repeatedIDNote(in Input, pooled *testgeom.SecondPass) string {
	id := in.Columns["id"]
	_, _, syn := pooled.SynapseSample()
	if id == "" || in.Columns["time"] != "" || syn == nil {
		return ""
	}
	synapses := map[uint64]bool{}
	for _, c := range syn {
		synapses[c] = true
	}
	n := len(synapses)
	if pooled.KeptAll() {
		return ingest.RepeatedIDNote(id, len(syn), n)
	}
	return fmt.Sprintf("the id column %q repeats, so pairs of one synapse are resampled and summed together; the second pass kept %d whole synapses, with %d of the %d pairs", id, n, len(syn), in.Pairs)
}

// input merges the shards' reader reports in shard order, and lists the
// groups in order of first appearance.
func (p *Part1) input(cfg Config) (Input, []string, error) {
	first := p.shards[0]
	in := Input{Files: cfg.Files, Format: first.Format, Columns: first.Roles,
		Excluded: map[string]int64{}, Counts: map[string]int64{}, Notes: []string{}}
	seenNote, seenGroup := map[string]bool{}, map[string]bool{}
	var groups []string
	for s := range cfg.Files {
		info := p.shards[s]
		if !maps.Equal(info.Roles, first.Roles) {
			return in, nil, &InputError{fmt.Sprintf("%s: its columns %v differ from those of %s %v; every shard needs the same columns",
				cfg.Files[s], info.Roles, cfg.Files[0], first.Roles)}
		}
		in.Rows += info.Rows
		in.Pairs += int(info.Pairs)
		for k, v := range info.Excluded {
			in.Excluded[k] += v
		}
		for k, v := range info.Counts {
			in.Counts[k] += v
		}
		for _, n := range info.Notes {
			if n == ingest.ReadNote(info.Rows, 1) || n == ingest.ReadNote(info.Rows, len(cfg.Files)) {
				continue // restated for all shards below
			}
			if !seenNote[n] {
				seenNote[n] = true
				in.Notes = append(in.Notes, n)
			}
		}
		for _, g := range info.Groups {
			if !seenGroup[g] {
				seenGroup[g] = true
				groups = append(groups, g)
			}
		}
	}
	if cfg.Source == nil {
		// A source (two network checkpoints) says what it read in its
		// own notes; its shards are not files.
		in.Notes = append(in.Notes, ingest.ReadNote(in.Rows, len(cfg.Files)))
	}
	if len(groups) > 0 {
		in.Notes = append(in.Notes, cfg.GroupNotes()...)
	}
	if m := cfg.Ingest.MaxRows; m > 0 && in.Rows > m {
		return in, nil, &InputError{fmt.Sprintf("the shards hold %d rows, more than --max-rows %d", in.Rows, m)}
	}
	return in, groups, nil
}

// Encode writes the document as indented JSON, as the CLI writes it.
func (o *Output) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(o)
}

// Finish returns the JSON document of the merged passes.
func Finish(cfg Config, first *Part1, second *Part2) ([]byte, error) {
	return FinishContext(context.Background(), cfg, first, second)
}

// FinishContext is Finish that stops when ctx is done (see AssembleContext).
func FinishContext(ctx context.Context, cfg Config, first *Part1, second *Part2) ([]byte, error) {
	out, err := AssembleContext(ctx, cfg, first, second)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := out.Encode(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Passes runs both passes over every shard on this machine and returns
// the merged results.
func Passes(cfg Config) (*Part1, *Part2, error) {
	return PassesContext(context.Background(), cfg)
}

// PassesContext is Passes that stops when ctx is done and then returns
// ctx.Err(); it looks at ctx after every batch read.
func PassesContext(ctx context.Context, cfg Config) (*Part1, *Part2, error) {
	if len(cfg.Files) == 0 {
		return nil, nil, &InputError{"no input files"}
	}
	cfg, err := cfg.withIDs(ctx)
	if err != nil {
		return nil, nil, err
	}
	first, err := newPart1(cfg)
	if err != nil {
		return nil, nil, err
	}
	if p, err := pivotOnce(ctx, cfg); err != nil {
		return nil, nil, err
	} else if p != nil {
		defer p.Close()
		cfg.Source = pivotedSource(ctx, p)
	}
	for s := range cfg.Files {
		p, err := Pass1Context(ctx, cfg, s)
		if err != nil {
			return nil, nil, err
		}
		if err := first.Merge(p); err != nil {
			return nil, nil, err
		}
	}
	if err := first.complete(cfg); err != nil {
		return nil, nil, err
	}
	second := newPart2(first)
	for s := range cfg.Files {
		p, err := Pass2Context(ctx, cfg, s, first)
		if err != nil {
			return nil, nil, err
		}
		if err := second.Merge(p); err != nil {
			return nil, nil, err
		}
	}
	if cfg.Merged != nil {
		if err := cfg.Merged(first, second); err != nil {
			return nil, nil, err
		}
	}
	return first, second, nil
}

// Run is the single-machine path: both passes over every shard, then
// Finish.
func Run(cfg Config) ([]byte, error) {
	return RunContext(context.Background(), cfg)
}

// RunContext is Run that stops when ctx is done and then returns ctx.Err()
// (see PassesContext and AssembleContext).
func RunContext(ctx context.Context, cfg Config) ([]byte, error) {
	first, second, err := PassesContext(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return FinishContext(ctx, cfg, first, second)
}

var errMalformed = errors.New("stream: malformed partial result")

func appendBlock(b, block []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(block)))
	return append(b, block...)
}

func nextBlock(b []byte) (block, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, errMalformed
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}
