package testgeom

import (
	"fmt"
	"sync"
)

// bootstrapClusters is the bootstrap over synapses when pairs share one
// (Options.Clusters): each replicate draws whole synapses with replacement,
// with all their pairs, from the in-memory data, so the win frequencies and
// the percentile interval of λ̂ carry the dependence between the
// consecutive pairs of a chain. Replicate b draws from stream(seed,
// streamBootstrap, b) and runs single-threaded, so the result does not
// depend on the number of workers.
func bootstrapClusters(cands []Potential, mem *clusterPairs, lambdaHat *float64, opts Options) *Bootstrap {
	members := clusterMembers(mem.clusters)
	reps := opts.Bootstrap
	winD := make([]int, reps)
	winL := make([]int, reps)
	lams := make([]float64, reps)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < max(1, min(opts.Workers, reps)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b0, b1 []float64
			for b := range next {
				rng := stream(opts.Seed, streamBootstrap, uint64(b))
				b0, b1 = b0[:0], b1[:0]
				for range members {
					for _, i := range members[rng.IntN(len(members))] {
						b0 = append(b0, mem.w0[i])
						b1 = append(b1, mem.w1[i])
					}
				}
				winD[b], winL[b], lams[b] = bootstrapReplicate(cands, b0, b1)
			}
		}()
	}
	for b := 0; b < reps; b++ {
		next <- b
	}
	close(next)
	wg.Wait()
	n := len(mem.w0)
	out := summarizeBootstrap(cands, winD, winL, lams, n, int64(n), lambdaHat)
	note := fmt.Sprintf("resampled whole synapses (%d, with their %d pairs)", len(members), n)
	if out.Note != "" {
		note += "; " + out.Note
	}
	out.Note = note
	return out
}
