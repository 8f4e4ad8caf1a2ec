package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/ingest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "gen:", err)
		}
		os.Exit(2)
	}
}

// run parses the flags, writes the data set and reports the files on stdout.
func run(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("gen", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.String("n", "1e6", "number of pairs (integer or power-of-ten notation such as 1e7)")
	prefix := fs.String("out", "", "output path without extension: writes PREFIX.parquet (or PREFIX-SSS-of-KKK.parquet), PREFIX.w0.f64, PREFIX.w1.f64")
	shards := fs.Int("shards", 1, "number of Parquet files")
	rowGroup := fs.Int64("row-group", ingest.DefaultRowGroupLength, "rows per Parquet row group")
	batch := fs.Int("batch", 1<<20, "rows generated and written per step (memory is about 32 bytes per row of a batch per running shard)")
	seed := fs.Uint64("seed", 1, "seed of every random draw")
	law := fs.String("law", "lognormal:-0.702,0.9355", "law of w0 ("+datasets.LawSyntax+")")
	mult := fs.Float64("mult", 0.2, "sd of the multiplicative part of the change (log scale)")
	add := fs.Float64("add", 0.05, "sd of the additive part of the change (units of w)")
	noRaw := fs.Bool("no-raw", false, "skip the raw .f64 column files")
	codec := fs.String("compression", "zstd", "Parquet codec: zstd, snappy, gzip, lz4, brotli or none")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: gen --n N --out PREFIX [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	count, err := parseCount(*n)
	if err != nil {
		return err
	}
	l, err := datasets.ParseLaw(*law)
	if err != nil {
		return err
	}
	cfg := Config{N: count, Prefix: *prefix, Shards: *shards, RowGroup: *rowGroup, Batch: *batch,
		Seed: *seed, Law: l, Mult: *mult, Add: *add, Raw: !*noRaw, Codec: *codec}
	start := time.Now()
	res, err := Generate(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d pairs in %.1f s: %s\n", res.Rows, time.Since(start).Seconds(), describe(cfg))
	for _, p := range append(res.Parquet, res.Raw...) {
		fmt.Fprintln(stdout, p)
	}
	return nil
}

// parseCount reads a positive integer count, also written as 1e8.
func parseCount(s string) (int64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		if v < 1 {
			return 0, fmt.Errorf("n: want at least 1 pair, got %d", v)
		}
		return v, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || !(f >= 1) || f > 1<<53 {
		return 0, fmt.Errorf("n: want a positive whole number such as 1000000 or 1e6, got %q", s)
	}
	return int64(f), nil
}
