package analysis

import (
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

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

// scopeShards is how many pairs of a scope each file holds when a wide
// table was read from several files (ingest.Data.Shards), nil otherwise:
// the passes then take each file as a shard, as a streamed reading does.
func scopeShards(d *ingest.Data, group *int) []int {
	if d.Shards == nil || group == nil {
		return d.Shards
	}
	var idx []int
	for i, c := range d.Group {
		if int(c) == *group {
			idx = append(idx, i)
		}
	}
	return testgeom.SubsetShards(d.Shards, idx)
}
