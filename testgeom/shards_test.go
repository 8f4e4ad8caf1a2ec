package testgeom

import (
	"context"
	"slices"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// SubsetShards counts a subset's pairs in each shard, empty shards
// included.
func TestSubsetShards(t *testing.T) {
	shards := []int{3, 0, 2, 4}
	for _, c := range []struct {
		idx  []int
		want []int
	}{
		{[]int{0, 2, 3, 4, 8}, []int{2, 0, 2, 1}},
		{[]int{5, 6}, []int{0, 0, 0, 2}},
		{nil, []int{0, 0, 0, 0}},
	} {
		if got := SubsetShards(shards, c.idx); !slices.Equal(got, c.want) {
			t.Errorf("SubsetShards(%v, %v) = %v, want %v", shards, c.idx, got, c.want)
		}
	}
	if got := SubsetShards(nil, []int{1}); got != nil {
		t.Errorf("no shards: %v", got)
	}
}

// Shards are a partition of the pairs: sizes that do not add up are an
// input error, and splitting the pairs into shards keeps every count.
func TestPairedShards(t *testing.T) {
	w0, w1 := make([]float64, 50), make([]float64, 50)
	for i := range w0 {
		w0[i], w1[i] = float64(i+1), float64(i+1)*(1+0.01*float64(i%7))
	}
	if _, err := TestPaired(w0, w1, Options{Shards: []int{20, 20}, NullReplicates: -1}); err == nil {
		t.Error("shards of 40 pairs for 50 accepted")
	}
	r, err := TestPaired(w0, w1, Options{Shards: []int{20, 0, 30}, NullReplicates: -1, NoStepModels: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 50 || r.ComparedN != 50 {
		t.Errorf("%d pairs, %d compared; want 50", r.N, r.ComparedN)
	}
}

// A first pass finishes only the pairs and candidates it was made for.
func TestPairedFromChecksFirstPass(t *testing.T) {
	w0, w1 := make([]float64, 50), make([]float64, 50)
	for i := range w0 {
		w0[i], w1[i] = float64(i+1), float64(i+1)*(1+0.01*float64(i%7))
	}
	opts := Options{NullReplicates: -1, NoStepModels: true}
	sc, err := FirstPassContext(context.Background(), w0, w1, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TestPairedFromContext(context.Background(), sc, w0[:40], w1[:40], opts); err == nil {
		t.Error("a first pass of 50 pairs finished 40")
	}
	other := opts
	other.Candidates = []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}
	if _, err := TestPairedFromContext(context.Background(), sc, w0, w1, other); err == nil {
		t.Error("a first pass of the default candidates finished two others")
	}
	run, err := TestPairedFromContext(context.Background(), sc, w0, w1, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := TestPaired(w0, w1, opts)
	if err != nil {
		t.Fatal(err)
	}
	if run.Result.LambdaHat == nil || want.LambdaHat == nil || *run.Result.LambdaHat != *want.LambdaHat {
		t.Errorf("λ̂ %v from the first pass, %v from TestPaired", run.Result.LambdaHat, want.LambdaHat)
	}
}
