package ingest

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
)

const benchRows = 10_000_000

// Benchmark files are made once per process. Set SYNGEOM_BENCH_DIR to keep
// them between runs (to measure a read-only run's memory); otherwise they
// live in a temporary directory removed by TestMain.
var (
	benchOnce  sync.Mutex
	benchDir   string
	benchFiles = map[string]string{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" && os.Getenv("SYNGEOM_BENCH_DIR") == "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchFile returns the path of a benchmark input, writing it if needed.
func benchFile(b *testing.B, name string, write func(path string)) string {
	benchOnce.Lock()
	defer benchOnce.Unlock()
	if p, ok := benchFiles[name]; ok {
		return p
	}
	if benchDir == "" {
		if d := os.Getenv("SYNGEOM_BENCH_DIR"); d != "" {
			benchDir = d
		} else {
			d, err := os.MkdirTemp("", "syngeom-bench")
			if err != nil {
				b.Fatal(err)
			}
			benchDir = d
		}
	}
	p := filepath.Join(benchDir, name)
	if _, err := os.Stat(p); err != nil {
		write(p)
	}
	benchFiles[name] = p
	return p
}

// benchPair is the i-th pair of the benchmark data: log-normal weights,
// the same for every format.
func benchPair(r *rand.Rand) (float64, float64) {
	w0 := math.Exp(-1 + 0.8*r.NormFloat64())
	return w0, w0 * math.Exp(0.2*r.NormFloat64())
}

func writeBenchParquet(b *testing.B, path string, nullEvery int) {
	r := rand.New(rand.NewPCG(1, 2))
	fill := func(rb *array.RecordBuilder, start, count int) {
		bb, ab := rb.Field(0).(*array.Float64Builder), rb.Field(1).(*array.Float64Builder)
		for i := start; i < start+count; i++ {
			w0, w1 := benchPair(r)
			if nullEvery > 0 && i%nullEvery == 0 {
				bb.AppendNull()
			} else {
				bb.Append(w0)
			}
			if nullEvery > 0 && i%nullEvery == nullEvery/2 {
				ab.AppendNull()
			} else {
				ab.Append(w1)
			}
		}
	}
	writeTestParquet(b, path, pairSchema(nullEvery > 0), benchRows, fill,
		parquet.WithCompression(compress.Codecs.Zstd), parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(1<<20))
}

func writeBenchCSV(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("before,after\n")
	r := rand.New(rand.NewPCG(1, 2))
	var buf []byte
	for range benchRows {
		w0, w1 := benchPair(r)
		buf = strconv.AppendFloat(buf[:0], w0, 'g', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, w1, 'g', -1, 64)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// benchScan streams the file and reports rows per second.
func benchScan(b *testing.B, path string, wantPairs int64) {
	var sum float64
	var rows int64
	for b.Loop() {
		s, err := Scan([]string{path}, Options{}, func(bt *Batch) error {
			for i, x := range bt.Before {
				sum += x + bt.After[i]
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if s.Pairs != wantPairs {
			b.Fatalf("%d pairs, want %d", s.Pairs, wantPairs)
		}
		rows += s.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds()/1e6, "Mrows/s")
	if math.IsNaN(sum) {
		b.Fatal("NaN sum")
	}
}

func BenchmarkScanParquet(b *testing.B) {
	b.Run("zstd", func(b *testing.B) {
		p := benchFile(b, "pairs_zstd.parquet", func(p string) { writeBenchParquet(b, p, 0) })
		benchScan(b, p, benchRows)
	})
	b.Run("zstd_nulls1pct", func(b *testing.B) {
		// One before and one after null per 100 rows, never in the same row.
		p := benchFile(b, "pairs_zstd_nulls.parquet", func(p string) { writeBenchParquet(b, p, 100) })
		benchScan(b, p, benchRows-2*benchRows/100)
	})
}

func BenchmarkScanCSV(b *testing.B) {
	p := benchFile(b, "pairs.csv", func(p string) { writeBenchCSV(b, p) })
	benchScan(b, p, benchRows)
}
