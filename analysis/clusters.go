package analysis

import "github.com/syngeom/syngeom/ingest"

// pairSynapses is the synapse of each pair when pairs share synapses
// (consecutive pairs of a long table), nil otherwise: the paired test then
// sums scores per synapse for λ̂'s interval and resamples whole synapses.
// A group's come from testgeom.GroupPasses.Options.
func pairSynapses(d *ingest.Data) []int32 {
	if d.Synapse == nil || len(d.Synapse) != len(d.Before) {
		return nil
	}
	return d.Synapse
}
