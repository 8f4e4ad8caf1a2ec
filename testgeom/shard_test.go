package testgeom

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// shardedResult runs both passes with the pairs cut into the given shards
// (each fed in batches of batch pairs), merging the shards' partial results
// in the order given by merge.
func shardedResult(t *testing.T, w0, w1 []float64, cuts []int, batch int, merge []int, opts Options) []byte {
	return shardedResultVia(t, w0, w1, cuts, batch, merge, opts, false)
}

// shardedResultVia, with viaBytes, sends every shard's partial results
// through MarshalBinary and UnmarshalBinary before merging them, as a
// distributed run does.
func shardedResultVia(t *testing.T, w0, w1 []float64, cuts []int, batch int, merge []int, opts Options, viaBytes bool) []byte {
	t.Helper()
	opts = opts.withDefaults()
	bounds := append(append([]int{0}, cuts...), len(w0))
	feed := func(add func(a, b []float64), s int) {
		for lo := bounds[s]; lo < bounds[s+1]; lo += batch {
			hi := min(lo+batch, bounds[s+1])
			add(w0[lo:hi], w1[lo:hi])
		}
	}
	scans := make([]*Scan, len(bounds)-1)
	for s := range scans {
		scans[s] = NewScan(opts.Candidates, opts.Workers)
		feed(scans[s].Add, s)
	}
	if viaBytes {
		for s := range scans {
			b, err := scans[s].MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			scans[s] = NewScan(opts.Candidates, opts.Workers)
			if err := scans[s].UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
		}
	}
	first := NewScan(opts.Candidates, opts.Workers)
	for _, s := range merge {
		if err := first.Merge(scans[s]); err != nil {
			t.Fatal(err)
		}
	}
	seconds := make([]*SecondPass, len(scans))
	for s := range seconds {
		seconds[s] = first.SecondPass(opts.SampleMax, opts.Seed)
		seconds[s].SetPosition(int64(bounds[s]))
		if opts.Clusters == nil {
			feed(seconds[s].Add, s)
			continue
		}
		lo := bounds[s] // pairs with their synapses (opts.Clusters)
		feed(func(a, b []float64) {
			seconds[s].AddSynapses(a, b, opts.Clusters[lo:lo+len(a)])
			lo += len(a)
		}, s)
	}
	if viaBytes {
		for s := range seconds {
			b, err := seconds[s].MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			seconds[s] = first.SecondPass(opts.SampleMax, opts.Seed)
			if err := seconds[s].UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
		}
	}
	second := first.SecondPass(opts.SampleMax, opts.Seed)
	for i := len(merge) - 1; i >= 0; i-- { // the other order than the first pass
		if err := second.Merge(seconds[merge[i]]); err != nil {
			t.Fatal(err)
		}
	}
	r, err := second.Result(nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The result of a set of shards is bit-identical whatever the batch sizes,
// worker counts and the order and grouping of merges; and shards cut at
// multiples of the chunk size give the result of one unsplit shard (the
// in-memory TestPaired), because the chunks are then the same.
func TestShardIdentity(t *testing.T) {
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(11, 3)), 5*chunkSize+1234, "lognormal", geometry.PNorm{P: 1.5})
	w0[100], w1[7000] = 0, 0
	opts := Options{Bootstrap: 20, NullReplicates: 30, Seed: 9, SampleMax: 3000}

	ref := shardedResult(t, w0, w1, []int{5000, 17000, 30000}, 4096, []int{0, 1, 2, 3}, opts)
	for _, v := range []struct {
		batch    int
		merge    []int
		workers  int
		viaBytes bool
	}{
		{1000, []int{3, 1, 0, 2}, 1, false},
		{chunkSize * 3, []int{2, 3, 1, 0}, 3, true},
		{777, []int{1, 0, 3, 2}, 2, true},
	} {
		o := opts
		o.Workers = v.workers
		got := shardedResultVia(t, w0, w1, []int{5000, 17000, 30000}, v.batch, v.merge, o, v.viaBytes)
		if !bytes.Equal(got, ref) {
			t.Errorf("batch %d, merge order %v, %d workers, via bytes %v: the result differs", v.batch, v.merge, v.workers, v.viaBytes)
		}
	}

	// Shards on chunk boundaries equal the unsplit data.
	r, err := TestPaired(w0, w1, opts)
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := json.Marshal(r)
	aligned := shardedResult(t, w0, w1, []int{2 * chunkSize, 3 * chunkSize}, 5000, []int{2, 0, 1}, opts)
	if !bytes.Equal(whole, aligned) {
		t.Errorf("shards on chunk boundaries differ from the unsplit pairs:\n%s\n%s", whole, aligned)
	}
	// And a split inside a chunk changes only rounding, so the answer is the
	// same even though the bytes may not be.
	var a, b Result
	json.Unmarshal(whole, &a)
	json.Unmarshal(ref, &b)
	if a.BestByDCDF != b.BestByDCDF || a.BestByLikelihood != b.BestByLikelihood || !relClose(*a.LambdaHat, *b.LambdaHat, 1e-9) {
		t.Errorf("unaligned shards: best %s/%s λ̂ %v, unsplit %s/%s λ̂ %v", b.BestByDCDF, b.BestByLikelihood, *b.LambdaHat,
			a.BestByDCDF, a.BestByLikelihood, *a.LambdaHat)
	}
}

func TestPartialEncodingRejectsMismatches(t *testing.T) {
	w0, w1 := simulatePaper(rand.New(rand.NewPCG(2, 2)), 3000, "lognormal", geometry.NegEntropy{})
	sc := NewScan(nil, 1)
	sc.Add(w0, w1)
	b, _ := sc.MarshalBinary()
	if err := NewScan([]geometry.Potential{geometry.NegEntropy{}}, 1).UnmarshalBinary(b); err == nil {
		t.Error("a scan of other candidates accepted the partial result")
	}
	if err := NewScan(nil, 1).UnmarshalBinary(b[:len(b)-5]); err == nil {
		t.Error("a truncated partial result was accepted")
	}
	sec := sc.SecondPass(100, 1)
	sec.Add(w0, w1)
	b2, _ := sec.MarshalBinary()
	if err := sc.SecondPass(100, 2).UnmarshalBinary(b2); err == nil {
		t.Error("a second pass with another seed accepted the partial result")
	}
	if err := sc.SecondPass(100, 1).UnmarshalBinary(b2); err != nil {
		t.Errorf("round trip: %v", err)
	}
}

// chains simulates n synapses measured at four sessions, as consecutive
// pairs: each synapse drifts with a step of its own (sd drift), so the
// pairs of one synapse are correlated, and labels gives each pair's.
func chains(rng *rand.Rand, n int, drift float64) (w0, w1 []float64, labels []int32) {
	for i := range n {
		w := math.Exp(0.5 * rng.NormFloat64())
		d := 0.1 + drift*rng.NormFloat64()
		for range 3 {
			next := w * math.Exp(d+0.15*rng.NormFloat64())
			w0, w1, labels = append(w0, w), append(w1, next), append(labels, int32(i))
			w = next
		}
	}
	return w0, w1, labels
}

// Pairs with their synapses (SecondPass.AddSynapses) give the same result
// whatever the shards, batches, merges and trips through bytes, and that of
// the in-memory test, both when the pass keeps every pair and when it keeps
// a sample of whole synapses.
func TestClusteredShardIdentity(t *testing.T) {
	w0, w1, labels := chains(rand.New(rand.NewPCG(5, 5)), 3*chunkSize/2, 0.2) // 4.5 chunks of pairs
	for _, sampleMax := range []int{0, 3000} {
		opts := Options{Bootstrap: 10, NullReplicates: 10, Seed: 3, SampleMax: sampleMax, Clusters: labels, NoStepModels: true}
		r, err := TestPaired(w0, w1, opts)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(r)
		if r.LambdaInterval == nil || r.LambdaInterval.Method != "cluster_robust_lr" {
			t.Fatalf("sample %d: interval %+v", sampleMax, r.LambdaInterval)
		}
		cuts := []int{chunkSize, 2 * chunkSize}
		for _, via := range []bool{false, true} {
			got := shardedResultVia(t, w0, w1, cuts, 1000, []int{2, 0, 1}, opts, via)
			if !bytes.Equal(got, want) {
				t.Errorf("sample %d, via bytes %v: the sharded result differs from the in-memory one", sampleMax, via)
			}
		}
	}
}

// A pass that keeps a sample of whole synapses scales the exact variance
// of independent scores by the clustering's share in the sample: its
// synapse-robust scale k is close to the one of every pair (measured
// 2.30 against 2.30 on 900,000 pairs from the command line), and far from
// the independent k when the synapses drift.
func TestClusteredSampleScale(t *testing.T) {
	w0, w1, labels := chains(rand.New(rand.NewPCG(8, 1)), 40000, 0.3)
	scale := func(sampleMax int, clusters []int32) float64 {
		r, err := TestPaired(w0, w1, Options{SampleMax: sampleMax, Seed: 1, Clusters: clusters, NoStepModels: true})
		if err != nil {
			t.Fatal(err)
		}
		li := r.LambdaInterval
		if li == nil || li.Scale == nil {
			t.Fatalf("no scale: %+v", li)
		}
		if clusters != nil && li.ClustersSampled != (sampleMax < len(w0)) {
			t.Errorf("sample %d: ClustersSampled %v", sampleMax, li.ClustersSampled)
		}
		return *li.Scale
	}
	all, sampled, indep := scale(len(w0), labels), scale(15000, labels), scale(len(w0), nil)
	if math.Abs(sampled/all-1) > 0.1 || !(all > 1.5*indep) {
		t.Errorf("k: %.3f from a sample of synapses, %.3f from every pair, %.3f ignoring the synapses", sampled, all, indep)
	}
}
