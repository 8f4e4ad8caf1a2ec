package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/internal/splitmix"
)

// chunkRows is the unit of randomness: chunk c is always drawn from the
// same PCG stream, whatever the batch size, shard count or core count.
const chunkRows = 1 << 16

// Config describes one data set to write.
type Config struct {
	N        int64        // pairs
	Prefix   string       // output path without extension
	Shards   int          // Parquet files; 1 writes <Prefix>.parquet
	RowGroup int64        // rows per Parquet row group
	Batch    int          // rows generated and written per step (rounded up to whole chunks)
	Seed     uint64       // seed of every random draw
	Law      datasets.Law // law of w0
	Mult     float64      // sd of the multiplicative (log-scale) part of the change
	Add      float64      // sd of the additive part of the change, in the units of w
	Raw      bool         // also write <Prefix>.w0.f64 and <Prefix>.w1.f64
	Codec    string       // Parquet compression
}

// Result lists what Generate wrote.
type Result struct {
	Parquet []string // the Parquet files written, in order
	Raw     []string // w0 then w1; empty without Config.Raw
	Rows    int64    // rows written in all
}

// validate rejects configurations that cannot be written.
func (c Config) validate() error {
	switch {
	case c.N < 1:
		return fmt.Errorf("n must be at least 1, got %d", c.N)
	case c.Prefix == "":
		return errors.New("no output prefix")
	case c.Shards < 1:
		return fmt.Errorf("shards must be at least 1, got %d", c.Shards)
	case int64(c.Shards) > chunkCount(c.N):
		return fmt.Errorf("%d shards for %d pairs: a shard holds whole chunks of %d pairs, so at most %d shards", c.Shards, c.N, chunkRows, chunkCount(c.N))
	case c.RowGroup < 1:
		return fmt.Errorf("row group must be at least 1, got %d", c.RowGroup)
	case c.Batch < 1:
		return fmt.Errorf("batch must be at least 1, got %d", c.Batch)
	case c.Law == nil:
		return errors.New("no law for w0")
	case !(c.Mult >= 0) || math.IsInf(c.Mult, 0) || !(c.Add >= 0) || math.IsInf(c.Add, 0):
		return fmt.Errorf("change sds must be finite and non-negative, got mult=%g add=%g", c.Mult, c.Add)
	}
	return nil
}

func chunkCount(n int64) int64 { return (n + chunkRows - 1) / chunkRows }

// shardPath names shard s of k.
func shardPath(prefix string, s, k int) string {
	if k == 1 {
		return prefix + ".parquet"
	}
	return fmt.Sprintf("%s-%03d-of-%03d.parquet", prefix, s, k)
}

// Generate writes the data set. Parquet files appear only when complete
// (ingest.Writer renames them into place on Close); the raw files are
// written under a temporary name and renamed at the end.
func Generate(cfg Config) (Result, error) {
	if err := cfg.validate(); err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(filepath.Dir(cfg.Prefix), 0o755); err != nil {
		return Result{}, err
	}
	var res Result
	var raw [2]*os.File
	if cfg.Raw {
		for j, col := range []string{"w0", "w1"} {
			path := cfg.Prefix + "." + col + ".f64"
			f, err := os.Create(path + ".tmp")
			if err != nil {
				closeRaw(raw[:], true)
				return Result{}, err
			}
			raw[j] = f
			res.Raw = append(res.Raw, path)
		}
	}
	chunks := chunkCount(cfg.N)
	batchChunks := int64((cfg.Batch + chunkRows - 1) / chunkRows)
	// Shards run concurrently, one goroutine each, at most GOMAXPROCS at a
	// time; each generates its batches chunk-parallel when it runs alone.
	workers := min(cfg.Shards, runtime.GOMAXPROCS(0))
	inner := max(1, runtime.GOMAXPROCS(0)/workers)
	errs := make([]error, cfg.Shards)
	for s := range cfg.Shards {
		res.Parquet = append(res.Parquet, shardPath(cfg.Prefix, s, cfg.Shards))
	}
	parallel.For(cfg.Shards, workers, func(s, _ int) {
		lo := chunks * int64(s) / int64(cfg.Shards)
		hi := chunks * int64(s+1) / int64(cfg.Shards)
		errs[s] = writeShard(cfg, res.Parquet[s], lo, hi, batchChunks, inner, raw)
	})
	if err := errors.Join(errs...); err != nil {
		closeRaw(raw[:], true)
		return Result{}, err
	}
	if err := closeRaw(raw[:], false); err != nil {
		return Result{}, err
	}
	for _, p := range res.Raw {
		if err := os.Rename(p+".tmp", p); err != nil {
			return Result{}, err
		}
	}
	res.Rows = cfg.N
	return res, nil
}

// closeRaw closes the raw files; discard removes them.
func closeRaw(fs []*os.File, discard bool) error {
	var errs []error
	for _, f := range fs {
		if f == nil {
			continue
		}
		errs = append(errs, f.Close())
		if discard {
			os.Remove(f.Name())
		}
	}
	return errors.Join(errs...)
}

// writeShard writes chunks [lo, hi) to one Parquet file and, when raw is
// set, to their place in the raw column files.
func writeShard(cfg Config, path string, lo, hi, batchChunks int64, workers int, raw [2]*os.File) error {
	w, err := ingest.NewWriter(path, []ingest.ColumnSpec{
		{Name: "w0", Kind: ingest.Float64Column},
		{Name: "w1", Kind: ingest.Float64Column},
	}, ingest.WriteOptions{
		Format:         "parquet",
		Compression:    cfg.Codec,
		RowGroupLength: cfg.RowGroup,
		Metadata:       map[string]string{"description": describe(cfg)},
	})
	if err != nil {
		return err
	}
	defer w.Abort()
	size := int(batchChunks * chunkRows)
	w0, w1 := make([]float64, size), make([]float64, size)
	var buf []byte
	if cfg.Raw {
		buf = make([]byte, 8*size)
	}
	for c := lo; c < hi; c += batchChunks {
		end := min(hi, c+batchChunks)
		first, last := c*chunkRows, min(cfg.N, end*chunkRows)
		n := int(last - first)
		fillChunks(cfg, w0[:n], w1[:n], c, end, workers)
		if err := w.Write([]ingest.ColumnData{{Float: w0[:n]}, {Float: w1[:n]}}); err != nil {
			return err
		}
		for j, col := range [][]float64{w0[:n], w1[:n]} {
			if raw[j] == nil {
				continue
			}
			b := buf[:8*n]
			for i, v := range col {
				binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
			}
			if _, err := raw[j].WriteAt(b, 8*first); err != nil {
				return err
			}
		}
	}
	return w.Close()
}

// fillChunks draws chunks [lo, hi) into w0, w1 (which start at chunk lo),
// spreading the chunks over workers goroutines.
func fillChunks(cfg Config, w0, w1 []float64, lo, hi int64, workers int) {
	parallel.For(int(hi-lo), workers, func(i, _ int) {
		off := i * chunkRows
		end := min(len(w0), off+chunkRows)
		fillChunk(cfg, w0[off:end], w1[off:end], lo+int64(i))
	})
}

// fillChunk draws one chunk from its own stream.
func fillChunk(cfg Config, w0, w1 []float64, chunk int64) {
	r := rand.New(rand.NewPCG(cfg.Seed, splitmix.Mix(uint64(chunk))))
	for i := range w0 {
		x := cfg.Law.Rand(r)
		w0[i] = x
		w1[i] = math.Abs(x*math.Exp(cfg.Mult*r.NormFloat64()) + cfg.Add*r.NormFloat64())
	}
}

// describe is the provenance stored in every Parquet file.
func describe(cfg Config) string {
	return "SYNTHETIC benchmark data from syngeom bench/gen: n=" + strconv.FormatInt(cfg.N, 10) +
		", seed=" + strconv.FormatUint(cfg.Seed, 10) + ", w0 ~ " + cfg.Law.String() +
		", w1 = |w0*exp(" + fmtNum(cfg.Mult) + "*xi1) + " + fmtNum(cfg.Add) + "*xi2|, xi ~ N(0,1)"
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
