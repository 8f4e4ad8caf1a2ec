package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/ingest"
)

// testN spans three chunks, the last one partial, so that shard and batch
// boundaries fall both on and off chunk edges.
const testN = 2*chunkRows + 8928

func testConfig(t *testing.T, prefix string, shards, batch int) Config {
	t.Helper()
	return Config{N: testN, Prefix: filepath.Join(t.TempDir(), prefix), Shards: shards,
		RowGroup: 50000, Batch: batch, Seed: 7, Law: datasets.LogNormal{MeanLog: -0.702, SDLog: 0.9355},
		Mult: 0.2, Add: 0.05, Raw: true, Codec: "zstd"}
}

func readRaw(t *testing.T, path string) []float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b)%8 != 0 {
		t.Fatalf("%s: %d bytes is not a whole number of float64", path, len(b))
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

// TestRawMatchesParquet writes three shards and checks that the rows read
// back through ingest are the requested number, equal the raw files bit
// for bit, and follow the law: positive, with the median of w0 near exp(μ).
func TestRawMatchesParquet(t *testing.T) {
	cfg := testConfig(t, "pairs", 3, 50000)
	res, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Parquet) != 3 || len(res.Raw) != 2 || res.Rows != testN {
		t.Fatalf("result %+v", res)
	}
	data, err := ingest.Load(res.Parquet, ingest.Options{Before: "w0", After: "w1"})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(data.Before)) != testN || data.Rows != testN {
		t.Fatalf("read %d pairs from %d rows, want %d", len(data.Before), data.Rows, testN)
	}
	r0, r1 := readRaw(t, res.Raw[0]), readRaw(t, res.Raw[1])
	if len(r0) != testN || len(r1) != testN {
		t.Fatalf("raw files hold %d and %d values, want %d", len(r0), len(r1), testN)
	}
	below := 0
	for i := range r0 {
		if math.Float64bits(r0[i]) != math.Float64bits(data.Before[i]) || math.Float64bits(r1[i]) != math.Float64bits(data.After[i]) {
			t.Fatalf("row %d: raw (%v, %v), parquet (%v, %v)", i, r0[i], r1[i], data.Before[i], data.After[i])
		}
		if !(r0[i] > 0) || !(r1[i] >= 0) {
			t.Fatalf("row %d: weights (%v, %v) are not positive", i, r0[i], r1[i])
		}
		if r0[i] < math.Exp(-0.702) {
			below++
		}
	}
	// Half the draws fall below the median; binomial sd is 0.5/√n ≈ 0.0013.
	if f := float64(below) / testN; math.Abs(f-0.5) > 0.01 {
		t.Errorf("fraction of w0 below exp(μ) = %.4f, want 0.5 ± 0.01", f)
	}
	for _, p := range res.Raw {
		if _, err := os.Stat(p + ".tmp"); !os.IsNotExist(err) {
			t.Errorf("temporary file %s.tmp left behind", p)
		}
	}
}

// TestDeterministic checks that shards and batch size do not change the
// numbers, and that the seed does.
func TestDeterministic(t *testing.T) {
	one := testConfig(t, "one", 1, 1<<20)
	three := testConfig(t, "three", 3, 1000)
	other := testConfig(t, "other", 1, 1<<20)
	other.Seed++
	var raws [3][]byte
	for i, cfg := range []Config{one, three, other} {
		res, err := Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if raws[i], err = os.ReadFile(res.Raw[1]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(raws[0], raws[1]) {
		t.Error("one shard and three shards with another batch size gave different w1")
	}
	if bytes.Equal(raws[0], raws[2]) {
		t.Error("seeds 7 and 8 gave the same w1")
	}
}

func TestRejectsBadConfig(t *testing.T) {
	cfg := testConfig(t, "bad", 4, 1000) // 4 shards of 3 chunks
	if _, err := Generate(cfg); err == nil || !strings.Contains(err.Error(), "shards") {
		t.Errorf("4 shards of 3 chunks: error %v", err)
	}
	if _, err := os.Stat(cfg.Prefix + ".w0.f64.tmp"); !os.IsNotExist(err) {
		t.Error("a rejected configuration left a file behind")
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int64{"1000": 1000, "1e6": 1000000, "2.5e3": 2500} {
		if got, err := parseCount(in); err != nil || got != want {
			t.Errorf("parseCount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-5", "1.5", "abc", "1e30"} {
		if _, err := parseCount(in); err == nil {
			t.Errorf("parseCount(%q) accepted", in)
		}
	}
}

// TestRun drives the command line end to end.
func TestRun(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "sub", "cli")
	var out, errOut bytes.Buffer
	if err := run([]string{"--n", "1000", "--out", prefix, "--seed", "3"}, &out, &errOut); err != nil {
		t.Fatalf("%v: %s", err, errOut.String())
	}
	for _, p := range []string{prefix + ".parquet", prefix + ".w0.f64", prefix + ".w1.f64"} {
		if !strings.Contains(out.String(), p) {
			t.Errorf("output does not list %s:\n%s", p, out.String())
		}
	}
	if got := readRaw(t, prefix+".w0.f64"); len(got) != 1000 {
		t.Errorf("%d values, want 1000", len(got))
	}
	if err := run([]string{"--n", "10", "--out", prefix, "--law", "nonsense"}, &out, &errOut); err == nil {
		t.Error("an unknown law was accepted")
	}
}
