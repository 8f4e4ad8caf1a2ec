package stream

import (
	"fmt"

	"github.com/syngeom/syngeom/ingest"
)

// readShard streams the pairs of one shard to all (every pair) and to
// group (the pairs of each group, by name), and returns the reader's
// report. Only wide paired tables stream: a long table would have to be
// pivoted in memory, and its synapses could span shards.
func readShard(cfg Config, shard, pass int, all func(w0, w1 []float64), group func(name string, w0, w1 []float64)) (*shardInfo, error) {
	if shard < 0 || shard >= len(cfg.Files) {
		return nil, fmt.Errorf("stream: shard %d of %d", shard, len(cfg.Files))
	}
	path := cfg.Files[shard]
	in := cfg.Ingest
	// Memory is bounded by the batch here, so the in-memory estimate does
	// not apply; the row limit is checked on the total after merging.
	in.MaxMemory, in.MaxRows = 0, 0
	if in.ID != "" || in.Time != "" || in.Value != "" || in.Condition != "" || in.Unpaired || in.Column != "" {
		return nil, &InputError{"streaming needs a wide table of pairs (a before and an after column); long tables, conditions and unpaired samples are read in memory"}
	}
	var split groupSplitter
	var pairs int64
	sum, err := ingest.Scan([]string{path}, in, func(b *ingest.Batch) error {
		if len(b.Before) != len(b.After) || b.GroupAfter != nil {
			return &InputError{fmt.Sprintf("%s: not paired data (the same synapses before and after); streaming reads pairs only", path)}
		}
		all(b.Before, b.After)
		if b.Group != nil {
			split.split(b, group)
		}
		if cfg.Progress != nil {
			pairs += int64(len(b.Before))
			cfg.Progress(fmt.Sprintf("pass %d of 2, file %d of %d (%s): %d pairs", pass, shard+1, len(cfg.Files), path, pairs))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sum.Shape != ingest.ShapePaired || sum.Roles["id"] != "" {
		return nil, &InputError{fmt.Sprintf("%s: streaming needs a wide table of pairs; this one is %s", path, describeShape(sum))}
	}
	info := &shardInfo{Format: sum.Format, Roles: sum.Roles, Notes: sum.Notes, Rows: sum.Rows, Pairs: sum.Pairs,
		Excluded: sum.Excluded, Counts: sum.Counts, Groups: sum.GroupNames}
	if info.Notes == nil {
		info.Notes = []string{}
	}
	if sum.Roles["group"] == "" {
		info.Groups = nil
	}
	return info, nil
}

func describeShape(s *ingest.Summary) string {
	if s.Roles["id"] != "" {
		return "a long table (id, time, value)"
	}
	return string(s.Shape)
}

// groupSplitter cuts batches into the pairs of each group, reusing its
// buffers from batch to batch.
type groupSplitter struct {
	w0, w1 [][]float64
}

func (g *groupSplitter) split(b *ingest.Batch, fn func(name string, w0, w1 []float64)) {
	for len(g.w0) < len(b.GroupNames) {
		g.w0, g.w1 = append(g.w0, nil), append(g.w1, nil)
	}
	for c := range g.w0 {
		g.w0[c], g.w1[c] = g.w0[c][:0], g.w1[c][:0]
	}
	for i, c := range b.Group {
		g.w0[c] = append(g.w0[c], b.Before[i])
		g.w1[c] = append(g.w1[c], b.After[i])
	}
	for c, name := range b.GroupNames {
		if len(g.w0[c]) > 0 {
			fn(name, g.w0[c], g.w1[c])
		}
	}
}
