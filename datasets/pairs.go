package datasets

import (
	"fmt"

	"github.com/syngeom/syngeom/ingest"
)

// Pairs is a table of weights of the same synapses before and after
// learning. A zero means the synapse was absent at that time (turnover); NaN
// is a missing measurement.
type Pairs struct {
	Name        string  // the table's name
	Description string  // how the data were made; synthetic data say so
	ID          []int64 // synapse ids
	// Group[i] indexes GroupNames; both are nil for an ungrouped table.
	Group         []int32
	GroupNames    []string  // the groups' names
	Before, After []float64 // the weights before and after learning
}

// Len is the number of synapses.
func (p *Pairs) Len() int { return len(p.Before) }

// Layout is the shape of a written table.
type Layout int

const (
	// Wide writes one row per synapse: id, [group,] before, after.
	Wide Layout = iota
	// Long writes one row per synapse and time: id, [group,] time, weight,
	// with time 0 for before and 1 for after.
	Long
)

// Column names of written tables.
const (
	ColID     = "id"
	ColGroup  = "group"
	ColBefore = "before"
	ColAfter  = "after"
	ColTime   = "time"
	ColWeight = "weight"
)

// writeChunk is the number of synapses handed to the writer at once.
const writeChunk = 1 << 16

// Write writes the table to path (CSV, TSV, optionally .gz, or Parquet, by
// extension unless opt.Format says otherwise). The description is stored as
// Parquet metadata under "syngeom.description" (and "syngeom.name").
func (p *Pairs) Write(path string, layout Layout, opt ingest.WriteOptions) error {
	grouped := p.GroupNames != nil
	cols := []ingest.ColumnSpec{{Name: ColID, Kind: ingest.Int64Column}}
	if grouped {
		cols = append(cols, ingest.ColumnSpec{Name: ColGroup, Kind: ingest.StringColumn})
	}
	switch layout {
	case Wide:
		cols = append(cols, ingest.ColumnSpec{Name: ColBefore, Kind: ingest.Float64Column},
			ingest.ColumnSpec{Name: ColAfter, Kind: ingest.Float64Column})
	case Long:
		cols = append(cols, ingest.ColumnSpec{Name: ColTime, Kind: ingest.Int64Column},
			ingest.ColumnSpec{Name: ColWeight, Kind: ingest.Float64Column})
	default:
		return fmt.Errorf("unknown layout %d", layout)
	}
	md := map[string]string{"syngeom.name": p.Name, "syngeom.description": p.Description}
	for k, v := range opt.Metadata {
		md[k] = v
	}
	opt.Metadata = md
	w, err := ingest.NewWriter(path, cols, opt)
	if err != nil {
		return err
	}
	defer w.Abort()

	n := p.Len()
	var (
		ids    []int64
		groups []string
		times  []int64
		vals   []float64
	)
	for off := 0; off < n; off += writeChunk {
		end := min(n, off+writeChunk)
		batch := make([]ingest.ColumnData, 0, len(cols))
		switch layout {
		case Wide:
			batch = append(batch, ingest.ColumnData{Int: p.ID[off:end]})
			if grouped {
				groups = p.groupNames(groups[:0], off, end)
				batch = append(batch, ingest.ColumnData{String: groups})
			}
			batch = append(batch, ingest.ColumnData{Float: p.Before[off:end]}, ingest.ColumnData{Float: p.After[off:end]})
		case Long:
			ids, groups, times, vals = ids[:0], groups[:0], times[:0], vals[:0]
			for i := off; i < end; i++ {
				ids = append(ids, p.ID[i], p.ID[i])
				times = append(times, 0, 1)
				vals = append(vals, p.Before[i], p.After[i])
				if grouped {
					g := p.GroupNames[p.Group[i]]
					groups = append(groups, g, g)
				}
			}
			batch = append(batch, ingest.ColumnData{Int: ids})
			if grouped {
				batch = append(batch, ingest.ColumnData{String: groups})
			}
			batch = append(batch, ingest.ColumnData{Int: times}, ingest.ColumnData{Float: vals})
		}
		if err := w.Write(batch); err != nil {
			return err
		}
	}
	return w.Close()
}

func (p *Pairs) groupNames(dst []string, from, to int) []string {
	for _, g := range p.Group[from:to] {
		dst = append(dst, p.GroupNames[g])
	}
	return dst
}

// concat joins tables made with distinct group names into one, renumbering
// ids from 1.
func concat(name, description string, parts ...*Pairs) *Pairs {
	out := &Pairs{Name: name, Description: description}
	for _, p := range parts {
		base := int32(len(out.GroupNames))
		out.GroupNames = append(out.GroupNames, p.GroupNames...)
		for i := range p.Before {
			out.ID = append(out.ID, int64(len(out.ID)+1))
			out.Group = append(out.Group, base+p.Group[i])
		}
		out.Before = append(out.Before, p.Before...)
		out.After = append(out.After, p.After...)
	}
	return out
}
