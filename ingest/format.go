package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Formats that Options.Format accepts.
const (
	FormatCSV     = "csv"
	FormatTSV     = "tsv"
	FormatParquet = "parquet"
)

var (
	parquetMagic = []byte("PAR1")
	gzipMagic    = []byte{0x1f, 0x8b}
)

// formatByName returns the format a file name announces ("" if none) and
// whether it ends in .gz.
func formatByName(path string) (format string, gz bool) {
	ext, gz := extension(path)
	switch ext {
	case ".csv":
		return FormatCSV, gz
	case ".tsv", ".tab":
		return FormatTSV, gz
	case ".parquet", ".pq", ".parq":
		return FormatParquet, gz
	}
	return "", gz
}

// extension is the lower-cased extension of a file name, the one before
// .gz when the name ends in .gz (gz then true).
func extension(path string) (ext string, gz bool) {
	name := strings.ToLower(filepath.Base(path))
	if strings.HasSuffix(name, ".gz") {
		gz = true
		name = strings.TrimSuffix(name, ".gz")
	}
	return filepath.Ext(name), gz
}

// openTable opens one file with the reader its format calls for. The format
// comes from opt.Format, else the extension, else the content; content that
// contradicts the announced format is an error rather than a guess.
func openTable(path string, opt Options) (tableReader, error) {
	format := strings.ToLower(opt.Format)
	switch format {
	case "", FormatCSV, FormatTSV, FormatParquet:
	default:
		return nil, fileError("", "", "unknown format %q: use csv, tsv or parquet", opt.Format)
	}
	byName, gz := formatByName(path)
	if format == "" {
		format = byName
	}
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) && (errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission)) {
			return nil, fileError(path, "", "cannot open: %v", pe.Err)
		}
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, fileError(path, "", "is a directory, not a table")
	}
	head := make([]byte, 4)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		f.Close()
		return nil, err
	}
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	isParquet := bytes.Equal(head, parquetMagic)
	isGzip := bytes.HasPrefix(head, gzipMagic)

	switch {
	case format == FormatParquet:
		if !isParquet {
			f.Close()
			what := "it does not start with the Parquet magic bytes PAR1"
			if isGzip {
				what = "it is gzip-compressed data"
			} else if n == 0 {
				what = "it is empty"
			}
			return nil, fileError(path, "", "not a Parquet file: %s", what)
		}
		return openParquet(path, f, st.Size())
	case isParquet:
		if format != "" {
			f.Close()
			return nil, fileError(path, "", "this is a Parquet file, not %s text: rename it to .parquet or use --format parquet", strings.ToUpper(format))
		}
		return openParquet(path, f, st.Size())
	case gz && !isGzip:
		f.Close()
		return nil, fileError(path, "", "the name ends in .gz but the content is not gzip-compressed")
	}
	return openCSV(path, f, format, isGzip, opt.Delimiter)
}
