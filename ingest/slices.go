package ingest

import "fmt"

// FormatMemory is Data.Format for weights given as slices (FromSlices).
const FormatMemory = "memory"

// Slices are weights a program already holds in memory, the counterpart of
// a file for FromSlices.
//
// With After nil the data are a single sample (Before). Otherwise they are
// pairs, Before[i] and After[i] one synapse, unless Unpaired says that the
// two are separate samples of their own lengths.
type Slices struct {
	// Name says what the data are, where a file name would stand in notes
	// and reports ("" = "in-memory data").
	Name          string
	Before, After []float64 // the weights; After nil for a single sample
	Unpaired      bool      // Before and After are separate samples, not pairs
	// Group optionally labels each value of Before (each pair when paired),
	// GroupAfter each value of After (unpaired only). An empty label is a
	// missing one: such values form the group "(missing)", as for files.
	Group, GroupAfter []string
	// Zero is ZeroKeep ("" too) or ZeroMissing, as Options.Zero.
	Zero string
}

// DefaultSlicesName is the name of in-memory data without a Name.
const DefaultSlicesName = "in-memory data"

// FromSlices builds a Data from weights in memory with the checks of the
// file readers: NaN is counted as missing, ±Inf as non-finite, zeros (with
// ZeroMissing) as excluded, and zeros, negative values and sign flips of the
// values kept are counted; nothing is dropped without being counted. What a
// file reader would refuse (a ragged table of pairs, group labels that do
// not match the values) is an *Error. The Data holds copies: it does not
// alias the slices of in.
func FromSlices(in Slices) (*Data, error) {
	name := in.Name
	if name == "" {
		name = DefaultSlicesName
	}
	bad := func(column string, format string, a ...any) error { return fileError(name, column, format, a...) }
	if in.Zero != "" && in.Zero != ZeroKeep && in.Zero != ZeroMissing {
		return nil, bad("", "the zero policy must be %q or %q, not %q", ZeroKeep, ZeroMissing, in.Zero)
	}
	p := &plan{roles: map[string]string{}}
	switch {
	case in.After == nil && in.Unpaired:
		return nil, bad("after", "unpaired data need an after sample (After is nil)")
	case in.After == nil:
		p.layout, p.shape = layoutSingle, ShapeSingle
		p.roles["value"] = "before"
	case in.Unpaired:
		p.layout, p.shape = layoutWide, ShapeUnpaired
		p.roles["before"], p.roles["after"] = "before", "after"
	default:
		if len(in.Before) != len(in.After) {
			return nil, bad("after", "%d before values but %d after values: pairs need one of each (for separate samples set Unpaired)", len(in.Before), len(in.After))
		}
		p.layout, p.shape = layoutWide, ShapePaired
		p.roles["before"], p.roles["after"] = "before", "after"
	}
	if in.Group != nil || in.GroupAfter != nil {
		p.roles["group"] = "group"
		if len(in.Group) != len(in.Before) {
			return nil, bad("group", "%d group labels for %d before values", len(in.Group), len(in.Before))
		}
		if p.shape == ShapeUnpaired && len(in.GroupAfter) != len(in.After) {
			return nil, bad("group", "%d group labels for %d after values", len(in.GroupAfter), len(in.After))
		}
		if p.shape != ShapeUnpaired && in.GroupAfter != nil {
			return nil, bad("group", "GroupAfter labels the after sample of unpaired data only; pairs take their group from Group")
		}
	}
	opt := Options{Zero: in.Zero}
	s := &scan{opt: opt, plan: p, groups: newLabels(), size: DefaultBatchSize,
		zeroMissing: in.Zero == ZeroMissing, missingCode: -1}
	s.sum = Summary{Files: []string{}, Format: FormatMemory, Shape: p.shape, Roles: p.roles,
		Excluded: map[string]int64{}, Counts: map[string]int64{}}
	d := &Data{}
	s.fn = d.add
	hasGroup := p.roles["group"] != ""
	codes := func(labels []string) []int32 {
		if !hasGroup {
			return nil
		}
		c := make([]int32, len(labels))
		for i, l := range labels {
			c[i] = -1 // missing, as an empty cell of a file
			if l != "" {
				c[i] = s.groups.add(l)
			}
		}
		return c
	}
	// Each sample goes through the readers' per-value checks in batches.
	var err error
	switch p.shape {
	case ShapePaired:
		g := codes(in.Group)
		err = s.sliceBatches(len(in.Before), func(lo, hi int) {
			var gs []int32
			if g != nil {
				gs = g[lo:hi]
			}
			s.pairs(in.Before[lo:hi], in.After[lo:hi], gs, nil)
		})
		s.sum.Rows = int64(len(in.Before))
	default:
		err = s.sampleBatches(in.Before, codes(in.Group), false)
		if err == nil && p.shape == ShapeUnpaired {
			err = s.sampleBatches(in.After, codes(in.GroupAfter), true)
		}
		s.sum.Rows = int64(len(in.Before) + len(in.After))
	}
	if err != nil {
		return nil, err
	}
	s.finish()
	d.fill(&s.sum, opt)
	d.Notes = append(d.Notes, fmt.Sprintf("%s: %d values given in memory (%s)", name, s.sum.Rows, p.shape))
	return d, nil
}

// sliceBatches runs add on [lo, hi) ranges of n values and emits each batch.
func (s *scan) sliceBatches(n int, add func(lo, hi int)) error {
	for lo := 0; lo < n; lo += s.size {
		add(lo, min(n, lo+s.size))
		if err := s.emit(); err != nil {
			return err
		}
	}
	return nil
}

// sampleBatches checks the values of one sample of unpaired or single data
// (the after sample when after is set) into the batches.
func (s *scan) sampleBatches(x []float64, group []int32, after bool) error {
	return s.sliceBatches(len(x), func(lo, hi int) {
		b := &s.batch
		for i := lo; i < hi; i++ {
			if !s.value(x[i]) {
				continue
			}
			var g int32
			if group != nil {
				g = s.groupCode(group[i])
			}
			if after {
				b.After = append(b.After, x[i])
				if group != nil {
					b.GroupAfter = append(b.GroupAfter, g)
				}
				continue
			}
			b.Before = append(b.Before, x[i])
			if group != nil {
				b.Group = append(b.Group, g)
			}
		}
	})
}
