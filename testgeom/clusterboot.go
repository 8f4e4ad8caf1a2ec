package testgeom

import (
	"fmt"
	"math"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
)

// bootstrapClusters is the bootstrap over synapses when pairs share one
// (Options.Clusters): each replicate draws whole synapses with replacement,
// with all their pairs, from the synapses the second pass kept (mem), so the
// win frequencies and the percentile interval of λ̂ carry the dependence
// between the consecutive pairs of a chain. When mem holds fewer than the
// nFull compared pairs (a sample of synapses), the interval is summarised
// as bootstrapPairs summarises a subsample's. Replicate b draws from stream(seed,
// streamBootstrap, b) and runs single-threaded, so the result does not
// depend on the number of workers. plan, when not nil, is the fine ladder
// the replicates share, as in bootstrapPairs.
func bootstrapClusters(cands []geometry.Potential, mem *clusterPairs, nFull int64, lambdaHat *float64, plan *ladderPlan, opts Options) *Bootstrap {
	members := ClusterMembers(mem.clusters)
	reps := opts.Bootstrap
	winD := make([]int, reps)
	winL := make([]int, reps)
	lams := make([]float64, reps)
	workers := max(1, min(opts.Workers, reps))
	bufs := make([][2][]float64, workers) // one resample per worker, grown as needed
	parallel.For(reps, workers, func(b, w int) {
		if opts.err() != nil {
			return // cancelled: Result returns the error
		}
		rng := stream(opts.Seed, streamBootstrap, uint64(b))
		b0, b1 := bufs[w][0][:0], bufs[w][1][:0]
		for range members {
			for _, i := range members[rng.IntN(len(members))] {
				b0 = append(b0, mem.w0[i])
				b1 = append(b1, mem.w1[i])
			}
		}
		bufs[w] = [2][]float64{b0, b1}
		winD[b], winL[b], lams[b] = bootstrapReplicate(cands, b0, b1, nil, plan)
	})
	n := len(mem.w0)
	sampleLam := math.NaN()
	if int64(n) < nFull {
		_, _, sampleLam = bootstrapReplicate(cands, mem.w0, mem.w1, nil, plan)
	}
	out := summarizeBootstrap(cands, winD, winL, lams, n, nFull, lambdaHat, sampleLam)
	note := fmt.Sprintf("resampled whole synapses: %d, with their %d pairs", len(members), n)
	if int64(n) < nFull {
		note = fmt.Sprintf("resampled whole synapses: the %d the second pass kept, a random sample, with their %d pairs", len(members), n)
	}
	if out.Note != "" {
		note += "; " + out.Note
	}
	out.Note = note
	return out
}

// ClusterMembers lists the indices of the pairs of each cluster
// (Options.Clusters: clusters[i] is pair i's), the clusters in order of
// first appearance; nil without clusters. The cluster bootstraps draw
// whole entries of it.
func ClusterMembers(clusters []int32) [][]int {
	if clusters == nil {
		return nil
	}
	ids := map[int32]int{}
	var members [][]int
	for i, c := range clusters {
		k, ok := ids[c]
		if !ok {
			k = len(members)
			ids[c] = k
			members = append(members, nil)
		}
		members[k] = append(members[k], i)
	}
	return members
}
