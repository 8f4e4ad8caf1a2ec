package ingest

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/internal/outfile"
)

// ColumnKind is the type of a column written by Writer.
type ColumnKind int

const (
	Float64Column ColumnKind = iota // weights and other measurements; NaN is written as missing
	Int64Column                     // ids, sessions
	StringColumn                    // group names, labels
)

// String is the kind's name: float64, int64 or string.
func (k ColumnKind) String() string {
	switch k {
	case Float64Column:
		return "float64"
	case Int64Column:
		return "int64"
	case StringColumn:
		return "string"
	}
	return "ColumnKind(" + strconv.Itoa(int(k)) + ")"
}

// ColumnSpec names one column of a table to write and gives its type.
type ColumnSpec struct {
	Name string     // the column's name
	Kind ColumnKind // its type
}

// ColumnData is one column of a batch handed to Writer.Write: the slice that
// matches the column's Kind is set, the others are nil.
type ColumnData struct {
	Float  []float64 // for a Float64Column
	Int    []int64   // for an Int64Column
	String []string  // for a StringColumn
}

func (c ColumnData) len(k ColumnKind) int {
	switch k {
	case Float64Column:
		return len(c.Float)
	case Int64Column:
		return len(c.Int)
	}
	return len(c.String)
}

// WriteOptions tunes a Writer. The zero value writes by file extension with
// the defaults below.
type WriteOptions struct {
	// Format is "csv", "tsv" or "parquet"; "" chooses by extension (.csv,
	// .tsv, .txt, optionally followed by .gz, and .parquet or .pq).
	Format string
	// Gzip compresses CSV/TSV output; it is implied by a .gz extension.
	Gzip bool
	// Compression is the Parquet codec: "zstd" (default), "snappy", "gzip",
	// "lz4", "brotli" or "none".
	Compression string
	// RowGroupLength is the maximum number of rows in a Parquet row group;
	// 0 means DefaultRowGroupLength.
	RowGroupLength int64
	// Metadata is stored as Parquet key-value metadata (e.g. a description
	// saying the data are synthetic). CSV has no place for it and ignores it.
	Metadata map[string]string
}

// DefaultRowGroupLength is the Parquet row-group size used when
// WriteOptions.RowGroupLength is 0.
const DefaultRowGroupLength = 1 << 20

// writerChunkRows is how many rows a Parquet writer buffers in Arrow builders
// before handing a record to the row-group writer.
const writerChunkRows = 1 << 16

// Writer streams a table to a CSV, TSV or Parquet file. Nothing appears at
// the destination until Close succeeds: rows go to a temporary file in the
// same directory that Close renames into place, and Abort (or a failed
// Close) removes it, so a failed run never leaves a half-written file. A
// destination that is not a regular file — a pipe or a device such as
// /dev/stdout — cannot be replaced and is written directly, as CSV when its
// name has no extension to tell the format.
//
// Float64 NaN values are written as missing: an empty CSV field or a Parquet
// null. Floats are written in the shortest form that reads back to the same
// bits ('g' format, precision −1).
type Writer struct {
	path   string
	file   *outfile.File
	cols   []ColumnSpec
	rows   int64
	done   bool
	failed error // a failed Write: Close then discards the file

	// CSV/TSV
	csv   *bufio.Writer
	gz    *gzip.Writer
	delim byte
	line  []byte

	// Parquet
	buf      *bufio.Writer
	pq       *pqarrow.FileWriter
	builders *array.RecordBuilder
	valid    []bool // validity scratch for float chunks holding NaN
}

// writerError is a failure to write a file; it is not the user's input.
type writerError struct {
	path string
	err  error
}

func (e *writerError) Error() string { return e.path + ": " + e.err.Error() }
func (e *writerError) Unwrap() error { return e.err }

// writerConfigError is an impossible writer configuration (unknown format or codec,
// bad column list). It describes the caller's input.
type writerConfigError struct{ msg string }

func (e *writerConfigError) Error() string        { return e.msg }
func (e *writerConfigError) Is(target error) bool { return inputerr.Is(target) }

// OutputFormat returns the output format implied by a file name: "csv",
// "tsv" or "parquet", whether it is gzip-compressed, and false if the
// extension is not recognised — except for an existing destination that is
// not a regular file (a pipe or a device such as /dev/stdout), which has no
// extension to go by and gets CSV.
func OutputFormat(path string) (format string, gz bool, ok bool) {
	format, gz, ok = formatOfName(path)
	if !ok && outfile.NotRegular(path) {
		return "csv", false, true
	}
	return format, gz, ok
}

func formatOfName(path string) (format string, gz bool, ok bool) {
	ext, gz := extension(path)
	switch ext {
	case ".csv":
		return "csv", gz, true
	case ".tsv", ".tab", ".txt":
		return "tsv", gz, true
	case ".parquet", ".pq":
		if gz {
			return "", false, false
		}
		return "parquet", false, true
	}
	return "", false, false
}

// NewWriter creates a writer for a table with the given columns. The file at
// path is created (or replaced) only by Close.
func NewWriter(path string, cols []ColumnSpec, opt WriteOptions) (*Writer, error) {
	if len(cols) == 0 {
		return nil, &writerConfigError{"no columns to write"}
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if c.Name == "" {
			return nil, &writerConfigError{"empty column name"}
		}
		if seen[c.Name] {
			return nil, &writerConfigError{fmt.Sprintf("column %q listed twice", c.Name)}
		}
		if c.Kind < Float64Column || c.Kind > StringColumn {
			return nil, &writerConfigError{fmt.Sprintf("column %q: unknown kind %v", c.Name, c.Kind)}
		}
		seen[c.Name] = true
	}
	format, gz := strings.ToLower(opt.Format), opt.Gzip
	if format == "" {
		f, g, ok := OutputFormat(path)
		if !ok {
			return nil, &writerConfigError{fmt.Sprintf("%s: cannot tell the format from the extension; use .csv, .tsv, .csv.gz, .tsv.gz or .parquet", path)}
		}
		format, gz = f, gz || g
	} else if _, g, ok := OutputFormat(path); ok && g {
		gz = true
	}
	var codec compress.Compression
	switch format {
	case "csv", "tsv":
	case "parquet":
		if gz {
			return nil, &writerConfigError{"parquet output cannot be gzip-wrapped; choose a codec with the compression option"}
		}
		var err error
		if codec, err = writerCodec(opt.Compression); err != nil {
			return nil, err
		}
	default:
		return nil, &writerConfigError{fmt.Sprintf("unknown output format %q (want csv, tsv or parquet)", opt.Format)}
	}

	f, err := outfile.Create(path)
	if err != nil {
		return nil, err
	}
	w := &Writer{path: path, file: f, cols: append([]ColumnSpec(nil), cols...)}
	if format == "parquet" {
		err = w.startParquet(codec, opt)
	} else {
		w.delim = ','
		if format == "tsv" {
			w.delim = '\t'
		}
		err = w.startCSV(gz)
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

func writerCodec(name string) (compress.Compression, error) {
	switch strings.ToLower(name) {
	case "", "zstd":
		return compress.Codecs.Zstd, nil
	case "snappy":
		return compress.Codecs.Snappy, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "lz4", "lz4raw", "lz4_raw":
		return compress.Codecs.Lz4Raw, nil
	case "brotli":
		return compress.Codecs.Brotli, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, &writerConfigError{fmt.Sprintf("unknown parquet compression %q (want zstd, snappy, gzip, lz4, brotli or none)", name)}
}

func (w *Writer) startCSV(gz bool) error {
	var out io.Writer = w.file
	if gz {
		w.gz = gzip.NewWriter(w.file)
		out = w.gz
	}
	w.csv = bufio.NewWriterSize(out, 1<<20)
	w.line = w.line[:0]
	for i, c := range w.cols {
		if i > 0 {
			w.line = append(w.line, w.delim)
		}
		w.line = w.appendText(w.line, c.Name)
	}
	w.line = append(w.line, '\n')
	_, err := w.csv.Write(w.line)
	return w.wrap(err)
}

func (w *Writer) startParquet(codec compress.Compression, opt WriteOptions) error {
	fields := make([]arrow.Field, len(w.cols))
	for i, c := range w.cols {
		switch c.Kind {
		case Float64Column:
			fields[i] = arrow.Field{Name: c.Name, Type: arrow.PrimitiveTypes.Float64, Nullable: true}
		case Int64Column:
			fields[i] = arrow.Field{Name: c.Name, Type: arrow.PrimitiveTypes.Int64}
		case StringColumn:
			fields[i] = arrow.Field{Name: c.Name, Type: arrow.BinaryTypes.String}
		}
	}
	var md *arrow.Metadata
	if len(opt.Metadata) > 0 {
		keys := make([]string, 0, len(opt.Metadata))
		for k := range opt.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		vals := make([]string, len(keys))
		for i, k := range keys {
			vals[i] = opt.Metadata[k]
		}
		m := arrow.NewMetadata(keys, vals)
		md = &m
	}
	schema := arrow.NewSchema(fields, md)
	rgl := opt.RowGroupLength
	if rgl <= 0 {
		rgl = DefaultRowGroupLength
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(codec),
		parquet.WithMaxRowGroupLength(rgl),
		parquet.WithDictionaryDefault(false),
		parquet.WithCreatedBy("syngeom"),
	)
	// The bufio layer is not an io.Closer, so pqarrow's Close leaves the
	// file to us: it must be flushed, synced and renamed, not just closed.
	w.buf = bufio.NewWriterSize(w.file, 1<<20)
	fw, err := pqarrow.NewFileWriter(schema, w.buf, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return w.wrap(err)
	}
	w.pq = fw
	w.builders = array.NewRecordBuilder(memory.DefaultAllocator, schema)
	return nil
}

// Rows returns the number of data rows written so far.
func (w *Writer) Rows() int64 { return w.rows }

// Path returns the destination path.
func (w *Writer) Path() string { return w.path }

// Write appends rows. batch holds one ColumnData per ColumnSpec, in order, all of
// the same length. After a failed Write the file is unusable: Close
// discards it and returns the error.
func (w *Writer) Write(batch []ColumnData) error {
	if w.done {
		return &writerError{w.path, errors.New("write after Close or Abort")}
	}
	if w.failed != nil {
		return w.failed
	}
	if len(batch) != len(w.cols) {
		return fmt.Errorf("%s: batch has %d columns, the table has %d", w.path, len(batch), len(w.cols))
	}
	n := -1
	for i, c := range w.cols {
		m := batch[i].len(c.Kind)
		if n < 0 {
			n = m
		} else if m != n {
			return fmt.Errorf("%s: column %q has %d rows in this batch, column %q has %d", w.path, c.Name, m, w.cols[0].Name, n)
		}
	}
	var err error
	if w.pq != nil {
		err = w.writeParquet(batch, n)
	} else {
		err = w.writeCSV(batch, n)
	}
	if err != nil {
		w.failed = err
		return err
	}
	w.rows += int64(n)
	return nil
}

func (w *Writer) writeCSV(batch []ColumnData, n int) error {
	for r := 0; r < n; r++ {
		line := w.line[:0]
		for i, c := range w.cols {
			if i > 0 {
				line = append(line, w.delim)
			}
			switch c.Kind {
			case Float64Column:
				if v := batch[i].Float[r]; !math.IsNaN(v) {
					line = strconv.AppendFloat(line, v, 'g', -1, 64)
				}
			case Int64Column:
				line = strconv.AppendInt(line, batch[i].Int[r], 10)
			case StringColumn:
				line = w.appendText(line, batch[i].String[r])
			}
		}
		line = append(line, '\n')
		w.line = line
		if _, err := w.csv.Write(line); err != nil {
			return w.wrap(err)
		}
	}
	return nil
}

// appendText appends s, quoted as RFC 4180 asks when it holds the
// delimiter, a quote or a line break (or could be read as a missing value).
func (w *Writer) appendText(dst []byte, s string) []byte {
	if s != "" && !strings.ContainsAny(s, "\"\r\n"+string(w.delim)) && strings.TrimSpace(s) == s {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

func (w *Writer) writeParquet(batch []ColumnData, n int) error {
	for off := 0; off < n; {
		room := writerChunkRows - w.builders.Field(0).Len()
		end := min(n, off+room)
		for i, c := range w.cols {
			switch c.Kind {
			case Float64Column:
				b := w.builders.Field(i).(*array.Float64Builder)
				vals := batch[i].Float[off:end]
				if !slices.ContainsFunc(vals, math.IsNaN) {
					b.AppendValues(vals, nil)
					break
				}
				w.valid = w.valid[:0]
				for _, v := range vals {
					w.valid = append(w.valid, !math.IsNaN(v))
				}
				b.AppendValues(vals, w.valid)
			case Int64Column:
				w.builders.Field(i).(*array.Int64Builder).AppendValues(batch[i].Int[off:end], nil)
			case StringColumn:
				w.builders.Field(i).(*array.StringBuilder).AppendValues(batch[i].String[off:end], nil)
			}
		}
		off = end
		if w.builders.Field(0).Len() >= writerChunkRows {
			if err := w.flushParquet(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *Writer) flushParquet() error {
	if w.builders.Field(0).Len() == 0 {
		return nil
	}
	rec := w.builders.NewRecordBatch()
	defer rec.Release()
	return w.wrap(w.pq.WriteBuffered(rec))
}

// Close finishes the file and moves it into place. After a failed Close the
// temporary file is removed and the destination is untouched.
func (w *Writer) Close() error {
	if w.done {
		return nil
	}
	if w.failed != nil {
		w.Abort()
		return w.failed
	}
	err := w.finish()
	if err == nil {
		err = w.file.Commit()
	}
	w.file.Abort() // after a failed finish; a no-op after Commit
	w.done = true
	w.release()
	return err
}

func (w *Writer) finish() error {
	if w.pq != nil {
		if err := w.flushParquet(); err != nil {
			return err
		}
		if err := w.pq.Close(); err != nil {
			return w.wrap(err)
		}
		return w.wrap(w.buf.Flush())
	}
	if err := w.csv.Flush(); err != nil {
		return w.wrap(err)
	}
	if w.gz != nil {
		return w.wrap(w.gz.Close())
	}
	return nil
}

// Abort discards everything written; the destination is untouched. It is
// safe to call after Close (it then does nothing), so `defer w.Abort()`
// cleans up every early return.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.file.Abort()
	w.release()
}

func (w *Writer) release() {
	if w.builders != nil {
		w.builders.Release()
		w.builders = nil
	}
}

func (w *Writer) wrap(err error) error {
	if err == nil {
		return nil
	}
	return &writerError{w.path, err}
}
