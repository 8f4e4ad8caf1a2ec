package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
	"github.com/syngeom/syngeom/ingest"
)

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"s-2.parquet", "s-0.parquet", "s-1.parquet", "other.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := expand(context.Background(), filepath.Join(dir, "s-*.parquet")+", x.parquet", []string{"y.parquet"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(dir, "s-0.parquet"), filepath.Join(dir, "s-1.parquet"), filepath.Join(dir, "s-2.parquet"),
		"x.parquet", "y.parquet",
	}
	if !slices.Equal(got, want) {
		t.Errorf("expand = %q, want %q", got, want)
	}
	memfs.Write("memfs://bucket/run/s-1.parquet", nil)
	memfs.Write("memfs://bucket/run/s-0.parquet", nil)
	memfs.Write("memfs://bucket/other/s-2.parquet", nil)
	got, err = expand(context.Background(), "memfs://bucket/run/s-*.parquet", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"memfs://bucket/run/s-0.parquet", "memfs://bucket/run/s-1.parquet"}; !slices.Equal(got, want) {
		t.Errorf("expand of a remote pattern = %q, want %q", got, want)
	}
	if _, err := expand(context.Background(), filepath.Join(dir, "none-*.parquet"), nil); err == nil || !strings.Contains(err.Error(), "matches no file") {
		t.Errorf("a pattern matching nothing gave %v, want an error", err)
	}
}

func TestConfig(t *testing.T) {
	var o options
	fs := flag.NewFlagSet("syngeom-beam", flag.ContinueOnError)
	o.register(fs)
	args := []string{
		"--before", "w0", "--after", "w1", "--group", "animal", "--zero", "missing",
		"--candidates", "NE,2", "--bootstrap", "7", "--null-replicates", "3", "--seed", "42",
		"--workers", "2", "--output", "out.json", "a.parquet", "b.parquet",
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	cfg, err := o.config(context.Background(), fs.Args())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Files, []string{"a.parquet", "b.parquet"}) {
		t.Errorf("Files = %q", cfg.Files)
	}
	wantIngest := ingest.Options{Before: "w0", After: "w1", Group: "animal", Zero: "missing"}
	if cfg.Ingest != wantIngest {
		t.Errorf("Ingest = %+v, want %+v", cfg.Ingest, wantIngest)
	}
	if o := cfg.Test; len(o.Candidates) != 2 || o.Candidates[0].Name() != "NE" || o.Candidates[1].Name() != "p=2.0" ||
		o.Bootstrap != 7 || o.NullReplicates != 3 || o.Seed != 42 || o.Workers != 2 {
		t.Errorf("config = %+v", cfg)
	}

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"a.parquet"}, "--output is required"},
		{[]string{"--output", "o.json"}, "no shard files"},
		{[]string{"--output", "o.json", "--candidates", "banana", "a.parquet"}, "candidates"},
		{[]string{"--output", "o.json", "--bootstrap", "-1", "a.parquet"}, "≥ 0"},
	} {
		var o options
		fs := flag.NewFlagSet("syngeom-beam", flag.ContinueOnError)
		o.register(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if _, err := o.config(context.Background(), fs.Args()); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: error %v, want %q", c.args, err, c.msg)
		}
	}
}
