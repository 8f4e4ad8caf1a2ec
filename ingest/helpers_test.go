package ingest

import (
	"math"
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// writeTestParquet writes n rows with arrow-go's own writer (independent of
// this package's writers): fill appends rows [start, start+count) to the
// builder, which has one field per schema field.
func writeTestParquet(tb testing.TB, path string, sc *arrow.Schema, n int, fill func(b *array.RecordBuilder, start, count int), props ...parquet.WriterProperty) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(sc, f, parquet.NewWriterProperties(props...), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		tb.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	const step = 1 << 18
	for start := 0; start < n; start += step {
		count := min(step, n-start)
		fill(b, start, count)
		rec := b.NewRecordBatch()
		if err := w.WriteBuffered(rec); err != nil {
			tb.Fatal(err)
		}
		rec.Release()
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
}

// appendFloats appends vals to a Float64 builder, NaN as null.
func appendFloats(b array.Builder, vals ...float64) {
	fb := b.(*array.Float64Builder)
	for _, v := range vals {
		if math.IsNaN(v) {
			fb.AppendNull()
		} else {
			fb.Append(v)
		}
	}
}

func pairSchema(nullable bool, extra ...arrow.Field) *arrow.Schema {
	fields := []arrow.Field{
		{Name: "before", Type: arrow.PrimitiveTypes.Float64, Nullable: nullable},
		{Name: "after", Type: arrow.PrimitiveTypes.Float64, Nullable: nullable},
	}
	return arrow.NewSchema(append(fields, extra...), nil)
}
