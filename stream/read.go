package stream

import (
	"context"
	"fmt"

	"github.com/syngeom/syngeom/ingest"
)

// readShard streams the pairs of one shard to all (every pair, their
// synapses, and whether they have groups) and to group (the pairs of each
// group, by name, with their synapses), and
// returns the reader's report. Wide paired tables stream, and so does a
// long table (id, time, value) that pairs two times: ingest pivots it with
// bounded memory; with consecutive pairs, each pair comes with its synapse
// (Batch.Synapse, as a 64-bit label), and so with a wide table whose ids
// are hashed (ingest.Options.HashIDs); nil otherwise. A long table in several files is one table, whose
// synapses may span the files: Passes pivots it once as a whole, while a
// shard read apart (Pass1, Pass2) refuses it. It stops with ctx.Err()
// after the first batch read once ctx is done.
func readShard(ctx context.Context, cfg Config, shard, pass int, all func(w0, w1 []float64, synapse []uint64, grouped bool), group func(name string, w0, w1 []float64, synapse []uint64)) (*shardInfo, error) {
	if shard < 0 || shard >= len(cfg.Files) {
		return nil, fmt.Errorf("stream: shard %d of %d", shard, len(cfg.Files))
	}
	path := cfg.Files[shard]
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var pairs int64
	var chains chainCount
	// The file's reader may lend its batches (ingest.Scan); a Source may
	// hand views of data it keeps, so its batches are copied.
	work := newPipe(all, group, cfg.Source == nil)
	sum, err := scanShard(ctx, cfg, shard, pass, func(b *ingest.Batch) error {
		pairs += int64(len(b.Before))
		if pass == 1 && cfg.Source == nil { // a table's rows; a checkpoint has none
			chains.add(b.Before, b.After)
		}
		work.send(b)
		if cfg.Progress != nil {
			cfg.Progress(fmt.Sprintf("pass %d of 2, file %d of %d (%s): %d pairs", pass, shard+1, len(cfg.Files), path, pairs))
		}
		return nil
	})
	work.close()
	if err != nil {
		return nil, err
	}
	info := &shardInfo{Format: sum.Format, Roles: sum.Roles, Notes: sum.Notes, Rows: sum.Rows, Pairs: sum.Pairs,
		Excluded: sum.Excluded, Counts: sum.Counts, Groups: sum.GroupNames, Chains: chains}
	if info.Notes == nil {
		info.Notes = []string{}
	}
	if sum.Roles["group"] == "" {
		info.Groups = nil
	}
	return info, nil
}

// passOptions are the reading options of a pass: memory is bounded by the
// batch, so the in-memory estimate does not apply, and the row limit is
// checked on the total after merging.
func passOptions(in ingest.Options) ingest.Options {
	in.MaxMemory, in.MaxRows = 0, 0
	return in
}

// checkShard refuses what a shard's reader found that does not stream: not
// pairs, or pairs that may share synapses (ids not known to be distinct).
func checkShard(sum *ingest.Summary, path string, opt ingest.Options) error {
	if sum.Shape != ingest.ShapePaired || (sum.Roles["id"] != "" && !isLong(sum) && !opt.DistinctIDs && !opt.HashIDs) {
		return &InputError{fmt.Sprintf("%s: streaming needs a table of independent pairs; this one is %s", path, describeShape(sum))}
	}
	return nil
}

// EachBatch reads the pairs of every shard again, in the order of the
// passes, and hands each batch of validated pairs to fn (whose slices are
// reused once fn returns; Batch.File is the shard's index): a further
// pass, for outputs that list every pair, such as the per-synapse shifts,
// and for exact evaluations of ℓ. A long table in several files is read as
// one table, as Passes reads it (Batch.File 0). It returns the number of pairs
// read, and stops with ctx.Err() once ctx is done.
func EachBatch(ctx context.Context, cfg Config, fn func(*ingest.Batch) error) (int64, error) {
	var pairs int64
	count := func(b *ingest.Batch) error {
		pairs += int64(len(b.Before))
		return fn(b)
	}
	if longInFiles(cfg, cfg.Files) {
		_, err := ingest.ScanContext(ctx, cfg.Files, passOptions(cfg.Ingest), count)
		return pairs, err
	}
	for shard := range cfg.Files {
		_, err := scanShard(ctx, cfg, shard, 3, func(b *ingest.Batch) error {
			b.File = shard // the shard's reader numbers its one file 0
			return count(b)
		})
		if err != nil {
			return pairs, err
		}
	}
	return pairs, nil
}

// longTable reports whether cfg's files, read by this process rather than
// from cfg.Source, are a long table paired at two times, judging from the
// headers of paths (all the files, or one of them); any doubt answers
// false, and the reader then reports what it finds.
func longTable(cfg Config, paths []string) bool {
	if cfg.Source != nil || !streamsPairs(cfg.Ingest) {
		return false
	}
	sum, err := ingest.Peek(paths, cfg.Ingest)
	return err == nil && isLong(sum)
}

// longInFiles reports whether cfg's files are a long table in several
// files (longTable).
func longInFiles(cfg Config, paths []string) bool {
	return len(cfg.Files) > 1 && longTable(cfg, paths)
}

// scanShard reads shard s at the given pass, from cfg.Source or else the
// file, and hands each batch of pairs to fn, stopping with ctx.Err() once
// ctx is done; it refuses a batch that is not paired, what checkShard
// refuses, and a long table in several files, which is not shards.
func scanShard(ctx context.Context, cfg Config, shard, pass int, fn func(*ingest.Batch) error) (*ingest.Summary, error) {
	in := passOptions(cfg.Ingest)
	if !streamsPairs(in) {
		return nil, &InputError{"streaming needs a table of pairs (a before and an after column, or a long table paired at two times or at consecutive times); conditions and unpaired samples are read in memory"}
	}
	path := cfg.Files[shard]
	if longInFiles(cfg, []string{path}) {
		return nil, &InputError{fmt.Sprintf("%s: a long table in %d files is one table whose synapses may span the files, not %d shards to read apart; run the passes together (Passes)", path, len(cfg.Files), len(cfg.Files))}
	}
	scan := func(fn func(*ingest.Batch) error) (*ingest.Summary, error) {
		return ingest.ScanContext(ctx, []string{path}, in, fn)
	}
	if cfg.Source != nil {
		scan = func(fn func(*ingest.Batch) error) (*ingest.Summary, error) { return cfg.Source(shard, pass, fn) }
	}
	sum, err := scan(func(b *ingest.Batch) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(b.Before) != len(b.After) || b.GroupAfter != nil {
			return &InputError{fmt.Sprintf("%s: not paired data (the same synapses before and after); streaming reads pairs only", path)}
		}
		return fn(b)
	})
	if err != nil {
		return nil, err
	}
	if err := checkShard(sum, path, cfg.Ingest); err != nil {
		return nil, err
	}
	return sum, nil
}

// pivotedSource replays p as the source of the passes. A long table in
// several files is one table: shard 0 carries all its pairs and its
// reader's report, and the other shards are empty.
func pivotedSource(ctx context.Context, p *ingest.Pivoted) func(shard, pass int, emit func(*ingest.Batch) error) (*ingest.Summary, error) {
	return func(shard, _ int, emit func(*ingest.Batch) error) (*ingest.Summary, error) {
		if shard == 0 {
			return p.Scan(ctx, emit)
		}
		sum := p.Summary()
		return &ingest.Summary{Format: sum.Format, Shape: sum.Shape, Roles: sum.Roles, Notes: []string{}}, nil
	}
}

// pivotOnce pivots a long table (ingest.Pivot) for both passes of this
// process, which then read the pivoted pairs instead of pivoting the table
// again; nil for other inputs. Passes run apart (Pass1, Pass2) each pivot
// the table, and refuse one in several files.
func pivotOnce(ctx context.Context, cfg Config) (*ingest.Pivoted, error) {
	if !longTable(cfg, cfg.Files) {
		return nil, nil
	}
	return ingest.Pivot(ctx, cfg.Files, passOptions(cfg.Ingest))
}

// asksPairs reports whether the reading options leave a table of
// independent pairs possible: no consecutive pairs, condition, unpaired
// samples or single column named.
func asksPairs(opt ingest.Options) bool {
	return !opt.Consecutive && streamsPairs(opt)
}

// streamsPairs reports whether the reading options leave a table of pairs
// possible, independent or consecutive pairs of a synapse.
func streamsPairs(opt ingest.Options) bool {
	return opt.Condition == "" && !opt.Unpaired && opt.Column == ""
}

// isLong reports whether the reader pivoted a long table (id, time, value).
func isLong(s *ingest.Summary) bool { return s.Roles["id"] != "" && s.Roles["time"] != "" }

// SameAsInMemory reports whether streaming the files gives the document of
// reading them into memory, so that a caller may stream by default, and
// the reading options to stream them with: a table of pairs, with or
// without groups, either long, in one file or several, paired at two
// times or at consecutive times (pairs of one synapse then come with its
// label, testgeom.SecondPass.AddSynapses), or wide with no synapse id or
// with ids that never repeat (ingest.DistinctIDs; repeated ids would make
// clusters, which only the in-memory reader labels). In memory such pairs
// go through the same two passes, and the analyses after the test (the
// comparison of groups, the noise and control analyses) read what the
// passes hold, as a streamed run does. It reads the headers and, for a
// wide table with ids, the id column (ingest.DistinctIDs); any doubt,
// including a header that cannot be read, answers false, and the
// in-memory reader then reports the problem.
func SameAsInMemory(ctx context.Context, files []string, opt ingest.Options) (ingest.Options, bool) {
	if !streamsPairs(opt) {
		return opt, false
	}
	sum, distinct, err := ingest.DistinctIDs(ctx, files, opt)
	switch {
	case err != nil || sum.Shape != ingest.ShapePaired:
		return opt, false
	case isLong(sum):
		return opt, true
	case opt.Consecutive:
		return opt, false // not a long table: the reader explains
	case sum.Roles["id"] == "":
		return opt, true
	case !distinct:
		return opt, false
	}
	opt.DistinctIDs = true
	return opt, true
}

func describeShape(s *ingest.Summary) string {
	if isLong(s) {
		return "a long table (id, time, value)"
	}
	if s.Roles["id"] != "" {
		return "a table with a synapse id, whose pairs may share synapses"
	}
	return string(s.Shape)
}

// pipe hands the reader's batches, in order, to one goroutine that
// accumulates them, so that decoding the next batch overlaps the
// arithmetic on this one. A few batch buffers circulate. A grouped batch
// goes to all and to its groups at once: their accumulators are apart,
// and each part alone leaves a core idle at its end.
type pipe struct {
	full, free chan *ingest.Batch
	done       chan struct{}
	// lend: the reader reuses whatever slices its batch holds once the
	// batch is handed on (ingest.Scan), so the values' slices change
	// places with a free buffer's instead of being copied.
	lend bool
}

const pipeDepth = 2

func newPipe(all func(w0, w1 []float64, synapse []uint64, grouped bool), group func(name string, w0, w1 []float64, synapse []uint64), lend bool) *pipe {
	p := &pipe{full: make(chan *ingest.Batch, pipeDepth), free: make(chan *ingest.Batch, pipeDepth+1), done: make(chan struct{}), lend: lend}
	for range pipeDepth + 1 {
		p.free <- &ingest.Batch{}
	}
	go func() {
		var split groupSplitter
		for b := range p.full {
			if b.Group == nil {
				all(b.Before, b.After, b.SynapseKey, false)
			} else {
				pooled := make(chan struct{})
				go func() {
					all(b.Before, b.After, b.SynapseKey, true)
					close(pooled)
				}()
				split.split(b, group)
				<-pooled
			}
			p.free <- b
		}
		close(p.done)
	}()
	return p
}

// send queues b's pairs: a copy, since the reader reuses its buffers, or,
// when the pipe may, b's own slices of values, leaving b a free buffer's.
func (p *pipe) send(b *ingest.Batch) {
	c := <-p.free
	if p.lend {
		c.Before, b.Before = b.Before, c.Before[:0]
		c.After, b.After = b.After, c.After[:0]
	} else {
		c.Before = append(c.Before[:0], b.Before...)
		c.After = append(c.After[:0], b.After...)
	}
	if b.Group != nil {
		c.Group = append(c.Group[:0], b.Group...)
	} else {
		c.Group = nil
	}
	c.GroupNames = append(c.GroupNames[:0], b.GroupNames...)
	// The pairs' synapses, as 64-bit labels: the codes of consecutive
	// pairs' ids, or the hashes of a wide table's (ingest.Options.HashIDs).
	switch {
	case b.SynapseKey != nil:
		c.SynapseKey = append(c.SynapseKey[:0], b.SynapseKey...)
	case b.Synapse != nil:
		c.SynapseKey = c.SynapseKey[:0]
		for _, id := range b.Synapse {
			c.SynapseKey = append(c.SynapseKey, uint64(uint32(id)))
		}
	default:
		c.SynapseKey = nil
	}
	p.full <- c
}

// close waits until every queued batch is accumulated.
func (p *pipe) close() {
	close(p.full)
	<-p.done
}

// groupSplitter cuts batches into the pairs of each group, reusing its
// buffers from batch to batch.
type groupSplitter struct {
	w0, w1 [][]float64
	syn    [][]uint64
}

// split hands fn each group's pairs of b, with their synapses when b has
// them (nil otherwise).
func (g *groupSplitter) split(b *ingest.Batch, fn func(name string, w0, w1 []float64, synapse []uint64)) {
	for len(g.w0) < len(b.GroupNames) {
		g.w0, g.w1, g.syn = append(g.w0, nil), append(g.w1, nil), append(g.syn, nil)
	}
	for c := range g.w0 {
		g.w0[c], g.w1[c], g.syn[c] = g.w0[c][:0], g.w1[c][:0], g.syn[c][:0]
	}
	for i, c := range b.Group {
		g.w0[c] = append(g.w0[c], b.Before[i])
		g.w1[c] = append(g.w1[c], b.After[i])
		if b.SynapseKey != nil {
			g.syn[c] = append(g.syn[c], b.SynapseKey[i])
		}
	}
	for c, name := range b.GroupNames {
		if len(g.w0[c]) > 0 {
			var syn []uint64
			if b.SynapseKey != nil {
				syn = g.syn[c]
			}
			fn(name, g.w0[c], g.w1[c], syn)
		}
	}
}
