package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "shardsim:", err)
		}
		os.Exit(2)
	}
}

// timings are the one-core wall times of the simulated run's parts.
type timings struct {
	pass1, pass2 passTimes
	finish       time.Duration
}

// passTimes are the times of one pass: each shard's, alone, and the
// merges of their results in all.
type passTimes struct {
	shards  []time.Duration
	merging time.Duration
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("shardsim", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	before := fs.String("before", "", "column of the weights before")
	after := fs.String("after", "", "column of the weights after")
	boot := fs.Int("bootstrap", 0, "bootstrap resamples, as syngeom test's --bootstrap")
	null := fs.Int("null-replicates", 0, "null simulations, as syngeom test's --null-replicates")
	seed := fs.Uint64("seed", 1, "seed, as syngeom test's --seed")
	cores := fs.String("cores", "1,2,4,8,16,32", "core counts to project, comma-separated")
	jsonOut := fs.String("json", "", "write the document here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ks, err := parseCores(*cores)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("no shard files")
	}
	runtime.GOMAXPROCS(1)
	opts := testgeom.DefaultOptions()
	opts.Bootstrap, opts.NullReplicates, opts.Seed, opts.Workers = *boot, *null, *seed, 1
	cfg := stream.Config{Files: fs.Args(), Ingest: ingest.Options{Before: *before, After: *after}, Test: opts}
	if err := cfg.Validate(); err != nil {
		return err
	}
	t, doc, err := simulate(cfg)
	if err != nil {
		return err
	}
	if *jsonOut != "" {
		if err := os.WriteFile(*jsonOut, doc, 0o644); err != nil {
			return err
		}
	}
	report(stdout, t, ks)
	return nil
}

func parseCores(s string) ([]int, error) {
	var ks []int
	for _, f := range strings.Split(s, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 {
			return nil, fmt.Errorf("--cores: %q is not a core count", f)
		}
		ks = append(ks, k)
	}
	return ks, nil
}

// simulate runs the shards' passes one after another on one core, timing
// each part, and returns the document.
func simulate(cfg stream.Config) (timings, []byte, error) {
	var t timings
	first, err := eachShard(len(cfg.Files), &t.pass1, func(s int) (*stream.Part1, error) { return stream.Pass1(cfg, s) })
	if err != nil {
		return t, nil, err
	}
	second, err := eachShard(len(cfg.Files), &t.pass2, func(s int) (*stream.Part2, error) { return stream.Pass2(cfg, s, first) })
	if err != nil {
		return t, nil, err
	}
	start := time.Now()
	doc, err := stream.Finish(cfg, first, second)
	t.finish = time.Since(start)
	return t, doc, err
}

// eachShard runs pass on shards 0 to n−1 in turn and merges the results in
// that order, timing each pass and the merges into t.
func eachShard[P interface{ Merge(P) error }](n int, t *passTimes, pass func(shard int) (P, error)) (merged P, err error) {
	for s := range n {
		start := time.Now()
		p, err := pass(s)
		t.shards = append(t.shards, time.Since(start))
		if err != nil {
			return merged, err
		}
		start = time.Now()
		if s == 0 {
			merged = p
		} else if err := merged.Merge(p); err != nil {
			return merged, err
		}
		t.merging += time.Since(start)
	}
	return merged, nil
}

// makespan places the jobs on k cores, longest first, each on the core
// that frees first, and returns when the last ends.
func makespan(jobs []time.Duration, k int) time.Duration {
	sorted := slices.Clone(jobs)
	slices.SortFunc(sorted, func(a, b time.Duration) int { return int(b - a) })
	load := make([]time.Duration, k)
	for _, j := range sorted {
		load[slices.Index(load, slices.Min(load))] += j
	}
	return slices.Max(load)
}

func sum(d []time.Duration) time.Duration {
	var s time.Duration
	for _, x := range d {
		s += x
	}
	return s
}

func report(w io.Writer, t timings, ks []int) {
	sec := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }
	fmt.Fprintf(w, "%d shards, each pass alone on one core:\n", len(t.pass1.shards))
	for i, p := range []passTimes{t.pass1, t.pass2} {
		fmt.Fprintf(w, "  pass %d: %s s in all, %s–%s s a shard; merges %s s\n", i+1, sec(sum(p.shards)), sec(slices.Min(p.shards)), sec(slices.Max(p.shards)), sec(p.merging))
	}
	fmt.Fprintf(w, "  finish (one core): %s s\n", sec(t.finish))
	serial := t.pass1.merging + t.pass2.merging + t.finish
	one := sum(t.pass1.shards) + sum(t.pass2.shards) + serial
	fmt.Fprintln(w, "\n| cores | pass 1 s | pass 2 s | merges and finish s | projected wall s | speed-up over one core |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, k := range ks {
		m1, m2 := makespan(t.pass1.shards, k), makespan(t.pass2.shards, k)
		wall := m1 + m2 + serial
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %.2f× |\n", k, sec(m1), sec(m2), sec(serial), sec(wall), one.Seconds()/wall.Seconds())
	}
}
