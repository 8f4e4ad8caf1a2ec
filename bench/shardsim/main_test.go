package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// makespan places the longest job first on the core that frees first.
func TestMakespan(t *testing.T) {
	s := time.Second
	for _, c := range []struct {
		jobs []time.Duration
		k    int
		want time.Duration
	}{
		{[]time.Duration{5 * s, 4 * s, 3 * s, 3 * s, 3 * s}, 1, 18 * s},
		{[]time.Duration{5 * s, 4 * s, 3 * s, 3 * s, 3 * s}, 2, 10 * s}, // longest first: 5+3, 4+3+3
		{[]time.Duration{5 * s, 4 * s, 3 * s, 3 * s, 3 * s}, 3, 7 * s},  // 5, 4+3, 3+3
		{[]time.Duration{5 * s, 4 * s, 3 * s, 3 * s, 3 * s}, 16, 5 * s},
		{[]time.Duration{1 * s, 2 * s}, 1, 3 * s},
	} {
		if got := makespan(c.jobs, c.k); got != c.want {
			t.Errorf("makespan(%v, %d) = %v, want %v", c.jobs, c.k, got, c.want)
		}
	}
}

// The simulation computes what one process computes: the same document as
// stream.Run on the same shards, and a time for every shard's passes.
func TestSimulateIsTheRun(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	var files []string
	for s := range 3 {
		var b strings.Builder
		b.WriteString("w0,w1\n")
		for range 2000 + 500*s {
			w0 := math.Exp(rng.NormFloat64())
			fmt.Fprintf(&b, "%g,%g\n", w0, w0*math.Exp(0.2*rng.NormFloat64()))
		}
		path := filepath.Join(dir, fmt.Sprintf("shard%d.csv", s))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	opts := testgeom.DefaultOptions()
	opts.Bootstrap, opts.NullReplicates, opts.Workers = 0, 0, 1
	cfg := stream.Config{Files: files, Ingest: ingest.Options{Before: "w0", After: "w1"}, Test: opts}
	tm, doc, err := simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want, err := stream.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, want) {
		t.Error("the simulated document differs from stream.Run's")
	}
	if len(tm.pass1.shards) != 3 || len(tm.pass2.shards) != 3 {
		t.Errorf("times of %d and %d shards, want 3 and 3", len(tm.pass1.shards), len(tm.pass2.shards))
	}
	var out bytes.Buffer
	report(&out, tm, []int{1, 16})
	if !strings.Contains(out.String(), "| 16 |") {
		t.Errorf("the report has no row for 16 cores:\n%s", out.String())
	}
}
