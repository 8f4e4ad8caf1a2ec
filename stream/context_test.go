package stream

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// endless is a Source that emits batches of pairs until emit refuses one.
func endless(shard, pass int, emit func(*ingest.Batch) error) (*ingest.Summary, error) {
	rng := rand.New(rand.NewPCG(uint64(shard), uint64(pass)))
	b := &ingest.Batch{Before: make([]float64, 8192), After: make([]float64, 8192)}
	for {
		for i := range b.Before {
			b.Before[i] = 0.5 + rng.ExpFloat64()
			b.After[i] = b.Before[i] * (1 + 0.1*rng.NormFloat64())
		}
		if err := emit(b); err != nil {
			return nil, err
		}
	}
}

// A cancelled context stops the passes after the batch being read, with
// an error matching ctx.Err(), however long the input.
func TestPassesContextCancelled(t *testing.T) {
	cfg := Config{Files: []string{"endless"}, Source: endless, Test: testgeom.Options{Workers: 1}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := PassesContext(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: got %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, _, err := PassesContext(ctx, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled during: got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned %v after the start, 100ms after which it was cancelled", d)
	}
	if _, err := RunContext(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("RunContext: got %v, want context.Canceled", err)
	}
}

// The test options travel in the JSON of a Config unchanged, candidates
// included.
func TestConfigJSONCarriesTestOptions(t *testing.T) {
	cands, err := geometry.ParseCandidates("NE,1.25,2,hypentropy:0.1")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Files: []string{"a.parquet"}, Test: testgeom.Options{Candidates: cands, Bootstrap: 7, NullReplicates: 3,
		Seed: 42, Workers: 2, SampleMax: 500, ExactWeights: true}, GroupSampleMax: 100}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got Config
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(got)
	if string(again) != string(b) {
		t.Errorf("round trip changed the config:\n%s\n%s", b, again)
	}
	if len(got.Test.Candidates) != len(cands) {
		t.Fatalf("candidates %v, want %v", got.Test.Candidates, cands)
	}
	for i, c := range got.Test.Candidates {
		if c != cands[i] {
			t.Errorf("candidate %d: %#v, want %#v", i, c, cands[i])
		}
	}
	g, w := got.Test, cfg.Test
	if g.Bootstrap != w.Bootstrap || g.NullReplicates != w.NullReplicates || g.Seed != w.Seed || g.Workers != w.Workers ||
		g.SampleMax != w.SampleMax || !g.ExactWeights || got.GroupSampleMax != cfg.GroupSampleMax {
		t.Errorf("decoded %+v, want %+v", got, cfg)
	}
	var zero Config
	if err := json.Unmarshal([]byte(`{"test":{"candidates":null}}`), &zero); err != nil || zero.Test.Candidates != nil {
		t.Errorf("null candidates: %v, %v", zero.Test.Candidates, err)
	}
	if err := json.Unmarshal([]byte(`{"test":{"candidates":["p=0.5"]}}`), &zero); err == nil {
		t.Error("p = 0.5 decoded as a candidate")
	}
}
