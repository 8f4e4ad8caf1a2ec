package checkpoint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/syngeom/syngeom/ingest"
)

// Source feeds the pairs of two checkpoints to the two-pass paired test
// (stream.Config.Source), one group per tensor named by the tensor, or per
// layer kind or block (GroupBy). It holds no values: each pass reads the
// tensors again, a batch at a time.
type Source struct {
	Before, After *Checkpoint // the checkpoints before and after learning
	Plan          *Plan       // the tensor pairs to read
	// GroupBy forms the groups; "" is GroupByTensor.
	GroupBy GroupBy
	// Stats are the statistics of each tensor pair, from the first pass.
	Stats []Stats
}

// NewSource opens two checkpoints and pairs their tensors (see
// PairTensors). Close it when done.
func NewSource(before, after string, pattern *regexp.Regexp) (*Source, error) {
	b, err := Open(before)
	if err != nil {
		return nil, err
	}
	a, err := Open(after)
	if err != nil {
		b.Close()
		return nil, err
	}
	plan, err := PairTensors(b, a, pattern)
	if err != nil {
		b.Close()
		a.Close()
		return nil, err
	}
	return &Source{Before: b, After: a, Plan: plan}, nil
}

// Close closes both checkpoints.
func (s *Source) Close() error {
	e1, e2 := s.Before.Close(), s.After.Close()
	if e1 != nil {
		return e1
	}
	return e2
}

// Read is the stream.Config.Source of the pair (one shard).
func (s *Source) Read(shard, pass int, emit func(*ingest.Batch) error) (*ingest.Summary, error) {
	if shard != 0 {
		return nil, fmt.Errorf("checkpoint: a pair of checkpoints is one shard, not shard %d", shard)
	}
	b := &ingest.Batch{}
	names := s.groupNames()
	codes := map[string]int32{}
	stats, err := s.Plan.Read(func(i int, w0, w1 []float64) error {
		code, ok := codes[names[i]]
		if !ok {
			// A group is named once it has usable pairs, so that every
			// group name has pairs; groups come in the order of their
			// first tensor.
			code = int32(len(b.GroupNames))
			codes[names[i]] = code
			b.GroupNames = append(b.GroupNames, names[i])
		}
		b.Before, b.After = w0, w1
		b.Group = b.Group[:0]
		for range w0 {
			b.Group = append(b.Group, code)
		}
		return emit(b)
	})
	if err != nil {
		return nil, err
	}
	if pass == 1 {
		s.Stats = stats
	}
	sum := &ingest.Summary{Files: []string{s.Before.Path, s.After.Path}, Format: s.Before.Format, Shape: ingest.ShapePaired,
		Roles:    map[string]string{"before": s.Before.Path, "after": s.After.Path, "group": string(s.groupBy())},
		Excluded: map[string]int64{}, Counts: map[string]int64{}, GroupNames: b.GroupNames, Notes: s.Notes()}
	if s.After.Format != s.Before.Format {
		sum.Format += " and " + s.After.Format
	}
	for _, st := range stats {
		sum.Rows += st.Pairs
		sum.Pairs += st.Pairs - st.NonFinite
		sum.Excluded[ingest.ReasonNonFinite] += st.NonFinite
		sum.Counts[ingest.CountZero] += st.Zero
		sum.Counts[ingest.CountNegative] += st.Negative
		sum.Counts[ingest.CountSignFlip] += st.SignChanges
		sum.Counts["unchanged"] += st.Unchanged
	}
	sum.NBefore, sum.NAfter = sum.Pairs, sum.Pairs
	return sum, nil
}

func (s *Source) groupBy() GroupBy {
	if s.GroupBy == "" {
		return GroupByTensor
	}
	return s.GroupBy
}

// groupNames is the group of each tensor pair.
func (s *Source) groupNames() []string {
	g := s.groupBy()
	names := make([]string, len(s.Plan.Pairs))
	for i, p := range s.Plan.Pairs {
		names[i] = g.Group(p.Name, p.Before.Shape)
	}
	return names
}

// TensorGroup is a group of tensors and its members, in file order.
type TensorGroup struct {
	Name    string   `json:"name"`    // the group's name
	Tensors []string `json:"tensors"` // its tensors' names
}

// Groups lists the groups of the paired tensors in the order of their
// first tensor, each with its tensors.
func (s *Source) Groups() []TensorGroup {
	var out []TensorGroup
	at := map[string]int{}
	for i, name := range s.groupNames() {
		k, ok := at[name]
		if !ok {
			k = len(out)
			at[name] = k
			out = append(out, TensorGroup{Name: name})
		}
		out[k].Tensors = append(out[k].Tensors, s.Plan.Pairs[i].Name)
	}
	return out
}

// Notes say how the tensors were paired and which were left out.
func (s *Source) Notes() []string {
	p := s.Plan
	notes := []string{fmt.Sprintf("paired %d tensors by name and their weights by position (%s: %s; %s: %s)",
		len(p.Pairs), s.Before.Path, s.Before.Format, s.After.Path, s.After.Format)}
	byReason := map[string][]string{}
	var reasons []string
	for _, sk := range p.Skipped {
		if byReason[sk.Reason] == nil {
			reasons = append(reasons, sk.Reason)
		}
		byReason[sk.Reason] = append(byReason[sk.Reason], sk.Name)
	}
	for _, r := range reasons {
		noun := "tensors"
		if len(byReason[r]) == 1 {
			noun = "tensor"
		}
		notes = append(notes, fmt.Sprintf("left out %d %s, %s: %s", len(byReason[r]), noun, r, shortList(byReason[r])))
	}
	if len(p.OnlyBefore) > 0 {
		notes = append(notes, fmt.Sprintf("%d tensors only in %s: %s", len(p.OnlyBefore), s.Before.Path, shortList(p.OnlyBefore)))
	}
	if len(p.OnlyAfter) > 0 {
		notes = append(notes, fmt.Sprintf("%d tensors only in %s: %s", len(p.OnlyAfter), s.After.Path, shortList(p.OnlyAfter)))
	}
	return notes
}

// shortList joins names, eliding the middle of a long list.
func shortList(names []string) string {
	const max = 12
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max-2], ", ") + fmt.Sprintf(", … (%d more), ", len(names)-max+1) + names[len(names)-1]
}
