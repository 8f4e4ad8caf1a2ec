package ingest

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
)

// checkReadable reads path the ways a user would and fails unless every
// outcome is a result that keeps its invariants or an *Error.
func checkReadable(t *testing.T, path string) {
	t.Helper()
	options := []Options{
		{},
		{Before: "a", After: "b", Group: "g", BatchSize: 3},
		{ID: "a", Time: "b", Value: "c", Consecutive: true, Zero: ZeroMissing},
	}
	for _, opt := range options {
		in, err := Inspect([]string{path}, opt)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%+v: error is not an input error: %v", opt, err)
			}
			if e.Error() == "" {
				t.Fatal("empty error message")
			}
			continue
		}
		var excluded int64
		for _, n := range in.Excluded {
			excluded += n
		}
		if in.Shape == ShapePaired && in.Roles["id"] == "" && in.Pairs+excluded != in.Rows {
			t.Fatalf("%+v: %d pairs + %d excluded != %d rows", opt, in.Pairs, excluded, in.Rows)
		}
		d, err := Load([]string{path}, opt)
		if err != nil {
			t.Fatalf("%+v: Inspect succeeded, Load failed: %v", opt, err)
		}
		if d.Shape == ShapePaired && (len(d.Before) != len(d.After) || int64(len(d.Before)) != in.Pairs) {
			t.Fatalf("%+v: %d before, %d after, %d pairs", opt, len(d.Before), len(d.After), in.Pairs)
		}
		for _, v := range append(d.Before, d.After...) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%+v: non-finite value %v delivered", opt, v)
			}
		}
	}
}

// checkParallelCSV reads path serially and in parallel blocks of 16 bytes:
// the results, or the errors, must be the same.
func checkParallelCSV(t *testing.T, path string) {
	read := func(parallelMin int64, block int) (*Data, error) {
		oldMin, oldSize := csvParallelMin, csvBlockSize
		defer func() { csvParallelMin, csvBlockSize = oldMin, oldSize }()
		csvParallelMin, csvBlockSize = parallelMin, block
		return Load([]string{path}, Options{Before: "a", After: "b", Group: "g"})
	}
	ds, errS := read(math.MaxInt64, csvBlockSize)
	dp, errP := read(0, 16)
	if (errS == nil) != (errP == nil) || errS != nil && errS.Error() != errP.Error() {
		t.Fatalf("serial error %v, parallel error %v", errS, errP)
	}
	if errS == nil && (!slices.Equal(ds.Before, dp.Before) || !slices.Equal(ds.After, dp.After) || ds.Rows != dp.Rows ||
		!slices.Equal(ds.Group, dp.Group) || !slices.Equal(ds.GroupNames, dp.GroupNames)) {
		t.Fatalf("serial and parallel reads differ: %v %v / %v %v", ds.Before, ds.After, dp.Before, dp.After)
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n3,4\n",
		"a,b\r\n1,2\r\n",
		"\xef\xbb\xbfa,b,g\n1,,x\n,2,y\n3,4,\n",
		"a,b\r1,2\r3,4\r",
		"a\tb\n1\t2\n",
		"a;b;c\n1;2;3\n",
		"\"a\",\"b\"\n\"1\",\"2\"\n\"3\n\",4\n",
		"a,b,g\n-0,NaN,x\nInf,-inf,y\n1e400,1e-400,z\n",
		"a,b\n0x1p3,2\n",
		"a,b\nNA,null\nN/A,-nan\n",
		"a,b,c\n1,0,5\n1,1,6\n2,0,7\n2,1,8\n",
		"a,b,c\nx,t1,1\nx,t1,2\n",
		"a,a\n1,2\n",
		",\n",
		"",
		"a,b\n1,2,3\n",
		"a,b\n\"1,2\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkReadable(t, path)
		checkParallelCSV(t, path)
	})
}

func FuzzParquet(f *testing.F) {
	dir := f.TempDir()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "b", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "c", Type: arrow.PrimitiveTypes.Float32},
		{Name: "g", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	fill := func(b *array.RecordBuilder, start, count int) {
		for i := start; i < start+count; i++ {
			if i%4 == 3 {
				b.Field(0).AppendNull()
			} else {
				b.Field(0).(*array.Float64Builder).Append(float64(i) / 4)
			}
			if i%5 == 4 {
				b.Field(1).AppendNull()
			} else {
				b.Field(1).(*array.Int32Builder).Append(int32(i % 3))
			}
			b.Field(2).(*array.Float32Builder).Append(float32(i))
			b.Field(3).(*array.StringBuilder).Append([]string{"x", "y"}[i%2])
		}
	}
	for k, props := range [][]parquet.WriterProperty{
		{parquet.WithCompression(compress.Codecs.Uncompressed), parquet.WithDictionaryDefault(false)},
		{parquet.WithCompression(compress.Codecs.Snappy), parquet.WithMaxRowGroupLength(4)},
		{parquet.WithCompression(compress.Codecs.Zstd), parquet.WithDictionaryDefault(true)},
		{parquet.WithCompression(compress.Codecs.Gzip), parquet.WithDataPageVersion(parquet.DataPageV2)},
	} {
		path := filepath.Join(dir, "seed.parquet")
		writeTestParquet(f, path, sc, 12, fill, props...)
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if k == 0 {
			f.Add(b[:len(b)/2])
			f.Add(append([]byte("PAR1"), b[len(b)-40:]...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "in.parquet")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkReadable(t, path)
	})
}
