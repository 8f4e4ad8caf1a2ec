package analysis

import "github.com/syngeom/syngeom/ingest"

// scopeSynapses is the synapse of each pair of a scope when pairs share
// synapses (consecutive pairs of a long table), nil otherwise: the paired
// test then sums scores per synapse for λ̂'s interval and resamples whole
// synapses.
func scopeSynapses(d *ingest.Data, group *int) []int32 {
	if d.Synapse == nil || len(d.Synapse) != len(d.Before) {
		return nil
	}
	if group == nil {
		return d.Synapse
	}
	var out []int32
	for i, c := range d.Group {
		if int(c) == *group {
			out = append(out, d.Synapse[i])
		}
	}
	return out
}
