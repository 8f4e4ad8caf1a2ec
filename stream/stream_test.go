package stream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/testgeom"
)

// writePairs writes pairs (w0, w1) and, with groups, a group column to a
// Parquet or CSV file (by extension), with some missing values.
func writePairs(t *testing.T, path string, w0, w1 []float64, group []string) {
	t.Helper()
	cols := []ingest.ColumnSpec{{Name: "w0", Kind: ingest.Float64Column}, {Name: "w1", Kind: ingest.Float64Column}}
	batch := []ingest.ColumnData{{Float: w0}, {Float: w1}}
	if group != nil {
		cols = append(cols, ingest.ColumnSpec{Name: "cell", Kind: ingest.StringColumn})
		batch = append(batch, ingest.ColumnData{String: group})
	}
	w, err := ingest.NewWriter(path, cols, ingest.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(batch); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// pairs simulates n synapses under a multiplicative change with an
// additive part, two cell types, a few zeros and missing values.
func pairs(seed uint64, n int) (w0, w1 []float64, group []string) {
	rng := rand.New(rand.NewPCG(seed, 77))
	w0, w1, group = make([]float64, n), make([]float64, n), make([]string, n)
	for i := range w0 {
		w0[i] = math.Exp(rng.NormFloat64() - 0.5)
		w1[i] = w0[i]*math.Exp(0.2*rng.NormFloat64()+0.02) + 0.02*rng.NormFloat64()*w0[i]
		group[i] = "pyramidal"
		if rng.IntN(3) == 0 {
			group[i] = "PV"
			w1[i] = w0[i] + 0.3*rng.NormFloat64()*math.Sqrt(w0[i])
		}
		switch rng.IntN(500) {
		case 0:
			w1[i] = 0
		case 1:
			w0[i] = math.NaN()
		}
	}
	return w0, w1, group
}

func config(files ...string) Config {
	return Config{Files: files, Ingest: ingest.Options{Before: "w0", After: "w1"},
		Test: testgeom.Options{Bootstrap: 10, NullReplicates: 20, Seed: 3, Workers: 2}}
}

// inMemory is `syngeom test` on the table read into memory.
func inMemory(t *testing.T, cfg Config) []byte {
	t.Helper()
	d, err := ingest.Load(cfg.Files, cfg.Ingest)
	if err != nil {
		t.Fatal(err)
	}
	opts := cfg.Test
	opts.Shards, opts.Clusters = d.Shards, d.Synapse
	out := &Output{Schema: Schema, Input: InputOf(d)}
	if d.Group != nil {
		// What a streamed run says of the groups' samples (the same size
		// as the pooled one in the tests that set it).
		out.Input.Notes = append(out.Input.Notes, cfg.GroupNotes()...)
		out.Geometry, out.Groups, err = testgeom.TestGroups(d.Before, d.After, d.Group, d.GroupNames, opts)
	} else {
		out.Geometry, err = testgeom.TestPaired(d.Before, d.After, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := out.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The streaming path gives byte for byte the document of the in-memory
// test, groups included, over one file and over three (the in-memory test
// takes the files as shards: ingest.Data.Shards).
func TestStreamEqualsInMemory(t *testing.T) {
	dir := t.TempDir()
	w0, w1, group := pairs(1, 30000)
	cuts := []int{0, 7001, 7001 + 15000, len(w0)} // not at multiples of the chunk size
	var parts []string
	for s := range 3 {
		path := filepath.Join(dir, fmt.Sprintf("part%d.parquet", s))
		writePairs(t, path, w0[cuts[s]:cuts[s+1]], w1[cuts[s]:cuts[s+1]], group[cuts[s]:cuts[s+1]])
		parts = append(parts, path)
	}
	for _, name := range []string{"pairs.parquet", "pairs.csv", "three files", "three files, subsampled"} {
		path := filepath.Join(dir, name)
		cfg := config(parts...)
		if !strings.HasPrefix(name, "three files") {
			writePairs(t, path, w0, w1, group)
			cfg = config(path)
		}
		if strings.HasSuffix(name, "subsampled") {
			// The kept pairs depend on their positions, which run on
			// across the files.
			cfg.Test.SampleMax, cfg.GroupSampleMax = 4000, 4000
		}
		cfg.Ingest.Group = "cell"
		got, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := inMemory(t, cfg)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: streaming and in-memory documents differ:\n%s", name, firstDifference(got, want))
		}
		var out Output
		if err := json.Unmarshal(got, &out); err != nil {
			t.Fatal(err)
		}
		if len(out.Groups) != 2 || out.Geometry.N != int64(out.Input.Pairs) || out.Input.Excluded["missing"] == 0 {
			t.Errorf("%s: %d groups, %d pairs tested of %d used, excluded %v", name, len(out.Groups), out.Geometry.N, out.Input.Pairs, out.Input.Excluded)
		}
	}
}

func firstDifference(a, b []byte) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			lo := max(0, i-200)
			return fmt.Sprintf("at byte %d:\n%s\n---\n%s", i, a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}

// Shards processed anywhere and merged in any order through their byte
// encodings give the document of Run; shards cut at multiples of the chunk
// size give the geometry of the unsplit file.
func TestShardsMergeExactly(t *testing.T) {
	dir := t.TempDir()
	w0, w1, _ := pairs(2, 40000)
	// Shards of 2·8192, 8192, 0 and the rest pairs: NaN rows are excluded
	// by the reader, so place them only in the last shard to keep the
	// first shards' pair counts at multiples of the chunk size.
	for i := range 3 * 8192 {
		if math.IsNaN(w0[i]) {
			w0[i] = 1
		}
	}
	cuts := []int{0, 2 * 8192, 3 * 8192, 3 * 8192, len(w0)}
	var files []string
	for s := 0; s+1 < len(cuts); s++ {
		path := filepath.Join(dir, fmt.Sprintf("shard-%d.parquet", s))
		writePairs(t, path, w0[cuts[s]:cuts[s+1]], w1[cuts[s]:cuts[s+1]], nil)
		files = append(files, path)
	}
	cfg := config(files...)
	ref, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}

	encode := func(m interface{ MarshalBinary() ([]byte, error) }) []byte {
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var firsts [][]byte
	for s := range files {
		p, err := Pass1(cfg, s)
		if err != nil {
			t.Fatal(err)
		}
		firsts = append(firsts, encode(p))
	}
	first := new(Part1)
	for _, s := range []int{2, 0, 3, 1} {
		p := new(Part1)
		if err := p.UnmarshalBinary(firsts[s]); err != nil {
			t.Fatal(err)
		}
		if first.pooled == nil {
			*first = *p
		} else if err := first.Merge(p); err != nil {
			t.Fatal(err)
		}
	}
	side := new(Part1) // the first pass as a worker receives it
	if err := side.UnmarshalBinary(encode(first)); err != nil {
		t.Fatal(err)
	}
	var second *Part2
	for _, s := range []int{3, 1, 2, 0} {
		p, err := Pass2(cfg, s, side)
		if err != nil {
			t.Fatal(err)
		}
		q := new(Part2)
		if err := q.UnmarshalBinary(encode(p)); err != nil {
			t.Fatal(err)
		}
		if second == nil {
			second = q
		} else if err := second.Merge(q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Finish(cfg, first, second)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, ref) {
		t.Errorf("distributed merge differs from Run:\n%s", firstDifference(got, ref))
	}

	whole := filepath.Join(dir, "whole.parquet")
	writePairs(t, whole, w0, w1, nil)
	one, err := Run(config(whole))
	if err != nil {
		t.Fatal(err)
	}
	var a, b Output
	json.Unmarshal(ref, &a)
	json.Unmarshal(one, &b)
	ga, _ := json.Marshal(a.Geometry)
	gb, _ := json.Marshal(b.Geometry)
	if !bytes.Equal(ga, gb) {
		t.Errorf("shards on chunk boundaries: geometry differs from the unsplit file:\n%s", firstDifference(ga, gb))
	}
	if a.Input.Rows != b.Input.Rows || a.Input.Pairs != b.Input.Pairs {
		t.Errorf("shards read %d rows, %d pairs; the whole file %d, %d", a.Input.Rows, a.Input.Pairs, b.Input.Rows, b.Input.Pairs)
	}
}

func TestStreamRefusesWhatItCannotStream(t *testing.T) {
	dir := t.TempDir()
	w0, w1, _ := pairs(3, 100)
	a := filepath.Join(dir, "a.parquet")
	writePairs(t, a, w0, w1, nil)
	other := filepath.Join(dir, "b.csv")
	cols := []ingest.ColumnSpec{{Name: "x", Kind: ingest.Float64Column}, {Name: "w1", Kind: ingest.Float64Column}}
	w, _ := ingest.NewWriter(other, cols, ingest.WriteOptions{})
	w.Write([]ingest.ColumnData{{Float: w0}, {Float: w1}})
	w.Close()

	long := config(a)
	long.Ingest = ingest.Options{ID: "w0", Time: "w1", Value: "w1"}
	if _, err := Run(long); !errors.Is(err, inputerr.ErrInput) {
		t.Errorf("long table: error %v, want an input error", err)
	}
	if _, err := Run(config(a, other)); err == nil || !errors.Is(err, inputerr.ErrInput) {
		t.Errorf("shard without the columns: error %v, want an input error", err)
	}
	bad := config(a)
	bad.Test.NullReplicates = -1
	if _, err := Run(bad); !errors.Is(err, inputerr.ErrInput) {
		t.Errorf("bad test options: error %v, want an input error", err)
	}
	p, err := Pass1(config(a, a), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Pass2(config(a, a), 0, p); err == nil {
		t.Error("a second pass started from the first pass of one shard of two")
	}
	if err := new(Part1).UnmarshalBinary([]byte("garbage")); err == nil {
		t.Error("garbage decoded as a first pass")
	}
}

// SameAsInMemory lets tables of independent pairs, grouped or not, wide
// without an id or with ids that never repeat, or long at two times, stream
// by default.
func TestSameAsInMemory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := write("plain.csv", "before,after\n1,2\n3,4\n")
	ids := write("ids.csv", "synapse_id,before,after\na,1,2\nb,3,4\n")
	repeats := write("repeats.csv", "synapse_id,before,after\na,1,2\nb,3,4\na,5,6\n")
	grouped := write("grouped.csv", "cell,before,after\npyr,1,2\npv,3,4\n")
	long := write("long.csv", "synapse_id,session,weight\na,0,1\na,1,2\nb,0,3\nb,1,4\n")
	longGrouped := write("long_grouped.csv", "synapse_id,cell,session,weight\na,pyr,0,1\na,pyr,1,2\nb,pv,0,3\nb,pv,1,4\n")
	longIDs := ingest.Options{ID: "synapse_id", Time: "session", Value: "weight"}
	for _, c := range []struct {
		files []string
		opt   ingest.Options
		want  bool
	}{
		{[]string{plain}, ingest.Options{}, true},
		{[]string{plain, plain}, ingest.Options{}, true},
		{[]string{ids}, ingest.Options{}, true},                     // ids that never repeat
		{[]string{repeats}, ingest.Options{}, false},                // repeated ids: clusters
		{[]string{ids, ids}, ingest.Options{}, false},               // the files share ids
		{[]string{grouped}, ingest.Options{Group: "cell"}, true},    // groups stream too
		{[]string{plain}, ingest.Options{Consecutive: true}, false}, // chains of a synapse
		{[]string{plain}, ingest.Options{Column: "before"}, false},  // a single sample
		{[]string{filepath.Join(dir, "absent.csv")}, ingest.Options{}, false},
		{[]string{long}, longIDs, true},                             // a long table pivots with bounded memory
		{[]string{long}, ingest.Options{}, true},                    // detected as long
		{[]string{long, long}, longIDs, true},                       // pivoted as one table
		{[]string{long}, ingest.Options{Consecutive: true}, true},   // chains of a synapse, labelled
		{[]string{long}, ingest.Options{Group: "synapse_id"}, true}, // one group per synapse, either way
		{[]string{longGrouped}, ingest.Options{Group: "cell"}, true},
	} {
		opt, got := SameAsInMemory(context.Background(), c.files, c.opt)
		if got != c.want {
			t.Errorf("SameAsInMemory(%v, %+v) = %v, want %v", c.files, c.opt, got, c.want)
		}
		if want := c.want && c.files[0] == ids; opt.DistinctIDs != want {
			t.Errorf("SameAsInMemory(%v, %+v): DistinctIDs %v, want %v", c.files, c.opt, opt.DistinctIDs, want)
		}
	}
}

// A long table (id, time, value) streams, giving byte for byte the
// document of the in-memory test, in one file and in two whose synapses
// span the files (one table, pivoted as a whole). A shard of the two files
// read apart is refused, since a synapse's rows could be in the other.
func TestStreamLongTable(t *testing.T) {
	dir := t.TempDir()
	w0, w1, _ := pairs(5, 20000)
	var sb, early, late strings.Builder
	for _, b := range []*strings.Builder{&sb, &early, &late} {
		b.WriteString("synapse,session,weight\n")
	}
	for i := range w0 {
		// Times written after before, and an unmatched row now and then.
		fmt.Fprintf(&sb, "s%d,after,%v\ns%d,before,%v\n", i, w1[i], i, w0[i])
		fmt.Fprintf(&early, "s%d,before,%v\n", i, w0[i])
		fmt.Fprintf(&late, "s%d,after,%v\n", i, w1[i])
		if i%997 == 0 {
			fmt.Fprintf(&sb, "lonely%d,before,1\n", i)
			fmt.Fprintf(&late, "lonely%d,before,1\n", i)
		}
	}
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	path := write("long.csv", sb.String())
	cfg := config(path)
	cfg.Ingest = ingest.Options{ID: "synapse", Time: "session", Value: "weight", From: "before", To: "after"}
	two := cfg
	two.Files = []string{write("early.csv", early.String()), write("late.csv", late.String())}
	for _, c := range []Config{cfg, two} {
		out := streamLikeInMemory(t, c)
		if out.Geometry.N < 19000 || out.Input.Excluded["unmatched"] != 21 || out.Input.Columns["id"] != "synapse" ||
			!slices.Contains(out.Input.Notes, ingest.ReadNote(40021, len(c.Files))) {
			t.Errorf("%v: %d pairs tested, excluded %v, columns %v, notes %q", c.Files, out.Geometry.N, out.Input.Excluded, out.Input.Columns, out.Input.Notes)
		}
		pairs, err := EachBatch(context.Background(), c, func(*ingest.Batch) error { return nil })
		if err != nil || pairs != int64(out.Input.Pairs) {
			t.Errorf("%v: EachBatch read %d pairs (%v), the passes %d", c.Files, pairs, err, out.Input.Pairs)
		}
	}
	if _, err := Pass1(two, 0); err != nil {
		if !errors.Is(err, inputerr.ErrInput) || !strings.Contains(err.Error(), "long table in 2 files") {
			t.Errorf("a shard of two files read apart: %v", err)
		}
	} else {
		t.Error("a shard of a long table in two files was read apart")
	}
}

// When λ̂ lies beyond the coarse λ grid the fine ladder cannot be planned
// and ℓ must be evaluated off the grid. A pass that kept every pair
// evaluates it exactly on them, in their canonical order, so the streamed
// document is the in-memory one byte for byte, and nothing is
// interpolated (the interpolated Gaussian fit used to stop at the grid's
// edge, λ̂ = 3.5 with an empty interval).
func TestStreamBeyondTheGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	pot := geometry.PNorm{P: 5}
	var w0, w1 []float64
	for len(w0) < 3000 {
		a := math.Exp(0.5 * rng.NormFloat64())
		b := pot.Inverse(pot.Dual(a)+0.05*rng.NormFloat64(), 1)
		if b > 0 && !math.IsNaN(b) {
			w0, w1 = append(w0, a), append(w1, b)
		}
	}
	path := filepath.Join(t.TempDir(), "edge.parquet")
	writePairs(t, path, w0, w1, nil)
	cfg := config(path)
	out := streamLikeInMemory(t, cfg)
	g := out.Geometry
	if g.LambdaHat == nil || math.Abs(*g.LambdaHat-4) > 0.2 || g.ProfileStatus != "ok" {
		t.Errorf("λ̂ %v, profile status %q; want about 4, exactly profiled", g.LambdaHat, g.ProfileStatus)
	}
}

// streamLikeInMemory runs the streamed test of cfg, checks that its
// document is the in-memory one byte for byte and decodes it.
func streamLikeInMemory(t *testing.T, cfg Config) Output {
	t.Helper()
	got, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := inMemory(t, cfg); !bytes.Equal(got, want) {
		t.Errorf("streaming and in-memory documents differ:\n%s", firstDifference(got, want))
	}
	var out Output
	if err := json.Unmarshal(got, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Where λ̂ lies at the edge of the λ grid, the grid and the fine ladder do
// not reach it: the in-memory test evaluates ℓ on its pairs there, and a
// streamed test reads the files again for it (exactReader). Over two files
// and two groups larger than the pairs the second pass keeps, wide and as
// a long table (pivoted once more for all the evaluations), the documents
// are the same byte for byte, and λ̂ is the exact one (the interpolated
// grid put it at 3.5, the grid's end, and said so).
func TestStreamExactAtGridEdge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, lambda = 3000, 3.6
	w0, w1, group := make([]float64, n), make([]float64, n), make([]string, n)
	var early, late strings.Builder
	early.WriteString("synapse,cell,session,weight\n")
	late.WriteString("synapse,cell,session,weight\n")
	for i := range w0 {
		w0[i] = math.Exp(0.5 * rng.NormFloat64())
		u := (math.Pow(w0[i], lambda)-1)/lambda + 0.05*rng.NormFloat64()
		w1[i] = math.Pow(lambda*u+1, 1/lambda)
		group[i] = []string{"a", "b"}[i%2]
		fmt.Fprintf(&early, "s%d,%s,0,%v\n", i, group[i], w0[i])
		fmt.Fprintf(&late, "s%d,%s,1,%v\n", i, group[i], w1[i])
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	writePairs(t, a, w0[:1300], w1[:1300], group[:1300])
	writePairs(t, b, w0[1300:], w1[1300:], group[1300:])
	wide := config(a, b)
	wide.Ingest.Group = "cell"
	long := config(filepath.Join(dir, "early.csv"), filepath.Join(dir, "late.csv"))
	long.Ingest = ingest.Options{ID: "synapse", Time: "session", Value: "weight", Group: "cell"}
	for i, text := range []string{early.String(), late.String()} {
		if err := os.WriteFile(long.Files[i], []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exact := testgeom.DefaultOptions()
	exact.Bootstrap, exact.NullReplicates = 0, 0
	all, err := testgeom.TestPaired(w0, w1, exact) // 3000 pairs kept: ℓ exact everywhere
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []Config{wide, long} {
		cfg.Test.SampleMax = 500 // the pooled pass and each group's keep about 500 pairs
		g := streamLikeInMemory(t, cfg).Geometry
		if g.LambdaHat == nil || all.LambdaHat == nil || math.Abs(*g.LambdaHat-*all.LambdaHat) > 1e-6 || *g.LambdaHat >= 3.5 || strings.Contains(g.ProfileStatus, "interpolated") {
			t.Errorf("%v: λ̂ = %v (%s); every pair in memory gives %v", cfg.Files, g.LambdaHat, g.ProfileStatus, all.LambdaHat)
		}
	}
}

// Consecutive pairs of a long table stream with their synapses: the second
// passes keep whole synapses, and the document is the in-memory one byte
// for byte, whether the passes keep every pair or a sample of synapses.
func TestStreamConsecutive(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var sb strings.Builder
	sb.WriteString("synapse,cell,session,weight\n")
	const synapses, sessions = 3000, 4
	for i := range synapses {
		cell := []string{"pyr", "pv"}[i%2]
		w := math.Exp(0.5 * rng.NormFloat64())
		drift := 0.2 * rng.NormFloat64() // shared by the synapse's steps
		for s := range sessions {
			if (i+s)%97 != 0 { // a session missed now and then
				fmt.Fprintf(&sb, "s%d,%s,%d,%v\n", i, cell, s, w)
			}
			w *= math.Exp(0.05 + drift + 0.1*rng.NormFloat64())
		}
	}
	path := filepath.Join(t.TempDir(), "chains.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sampleMax := range []int{0, 2000} {
		cfg := config(path)
		cfg.Ingest = ingest.Options{ID: "synapse", Time: "session", Value: "weight", Consecutive: true, Group: "cell"}
		cfg.Test.SampleMax, cfg.GroupSampleMax = sampleMax, sampleMax
		cfg.Test.Bootstrap = 20
		first, second, err := Passes(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Finish(cfg, first, second)
		if err != nil {
			t.Fatal(err)
		}
		if want := inMemory(t, cfg); !bytes.Equal(got, want) {
			t.Errorf("sample of %d: streaming and in-memory documents differ:\n%s", sampleMax, firstDifference(got, want))
		}
		var out Output
		if err := json.Unmarshal(got, &out); err != nil {
			t.Fatal(err)
		}
		if li := out.Geometry.LambdaInterval; li == nil || li.Method != "cluster_robust_lr" || li.ClustersSampled != (sampleMax > 0) {
			t.Errorf("sample of %d: interval %+v, want a synapse-robust one", sampleMax, li)
		}
		// The kept synapses are whole: as many pairs of each as the table
		// has, and a kept label is one synapse of the table.
		pass := second.Pass("")
		d, err := ingest.Load(cfg.Files, cfg.Ingest)
		if err != nil {
			t.Fatal(err)
		}
		all, of := map[int32]int{}, map[[2]float64]int32{}
		for i, c := range d.Synapse {
			all[c]++
			of[[2]float64{d.Before[i], d.After[i]}] = c
		}
		s0, s1, labels := pass.SynapseSample()
		kept, same := map[int32]int{}, map[uint64]int32{}
		for i, c := range labels {
			table := of[[2]float64{s0[i], s1[i]}]
			kept[table]++
			if k, ok := same[c]; ok && k != table {
				t.Fatalf("sample of %d: label %d holds synapses %d and %d", sampleMax, c, k, table)
			}
			same[c] = table
		}
		for c, n := range kept {
			if all[c] != n {
				t.Errorf("sample of %d: synapse %d kept with %d of its %d pairs", sampleMax, c, n, all[c])
			}
		}
		if sampleMax > 0 && (len(s0) > 3*sampleMax/2 || len(s0) < sampleMax/2) || sampleMax == 0 && len(s0) != len(d.Before) {
			t.Errorf("sample of %d: kept %d of %d pairs", sampleMax, len(s0), len(d.Before))
		}
	}
}

// A group none of whose rows gives a usable pair (every after value
// missing) is reported with too few pairs, streamed as in memory; it used
// to have no pass at all, and the assembly panicked.
func TestGroupWithoutPairs(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("w0,w1,cell\n")
	w0, w1, _ := pairs(3, 300)
	for i := range w0 {
		fmt.Fprintf(&sb, "%v,%v,pyr\n", w0[i], w1[i])
		if i%50 == 0 {
			fmt.Fprintf(&sb, "%v,,pv\n", w0[i])
		}
	}
	path := filepath.Join(t.TempDir(), "lonely.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config(path)
	cfg.Ingest.Group = "cell"
	out := streamLikeInMemory(t, cfg)
	if len(out.Groups) != 2 || out.Groups[1].Group != "pv" || out.Groups[1].Geometry.ComparedN != 0 ||
		!strings.Contains(out.Groups[1].Geometry.Status, "too few usable pairs") {
		t.Errorf("groups %+v, want pv with too few pairs", out.Groups)
	}
}

// A wide table whose synapse ids repeat streams with its pairs labelled by
// their ids' hashes (ingest.Options.HashIDs): the document is the
// in-memory one, which labels them by a dictionary of the ids, while the
// second pass keeps every pair; beyond that it keeps whole synapses.
func TestStreamRepeatedIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	var sb strings.Builder
	sb.WriteString("synapse,w0,w1,cell\n")
	for i := range 1500 {
		w, drift := math.Exp(0.5*rng.NormFloat64()), 0.2*rng.NormFloat64()
		for range 1 + i%4 { // one to four pairs of each synapse, not together
			next := w * math.Exp(0.05+drift+0.1*rng.NormFloat64())
			fmt.Fprintf(&sb, "syn-%d,%v,%v,%s\n", (i*7919)%1500, w, next, []string{"pyr", "pv"}[i%2])
			w = next
		}
	}
	path := filepath.Join(t.TempDir(), "repeats.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sampleMax := range []int{0, 1000} {
		cfg := config(path)
		cfg.Ingest.ID, cfg.Ingest.Group = "synapse", "cell"
		cfg.Test.SampleMax, cfg.GroupSampleMax = sampleMax, sampleMax
		got, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if want := inMemory(t, cfg); sampleMax == 0 && !bytes.Equal(got, want) {
			t.Errorf("streaming and in-memory documents differ:\n%s", firstDifference(got, want))
		}
		var out Output
		if err := json.Unmarshal(got, &out); err != nil {
			t.Fatal(err)
		}
		li := out.Geometry.LambdaInterval
		if li == nil || !strings.HasPrefix(li.Method, "cluster_robust") || li.ClustersSampled != (sampleMax > 0) ||
			sampleMax == 0 && li.Clusters != 1500 {
			t.Errorf("sample %d: interval %+v, want a synapse-robust one over 1500 synapses", sampleMax, li)
		}
		if !slices.ContainsFunc(out.Input.Notes, func(n string) bool { return strings.HasPrefix(n, `the id column "synapse" repeats`) }) {
			t.Errorf("sample %d: notes %q", sampleMax, out.Input.Notes)
		}
	}
}
