package ingest

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestGroupDigitsFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 12000000: "12,000,000", -1234: "-1,234"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{512: "512 B", 1500: "1.5 kB", 320000: "320 kB", 4e9: "4 GB", 12_345_678_901: "12 GB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestLoadGuards(t *testing.T) {
	for _, f := range []string{"pairs.csv", "pairs_duckdb_zstd.parquet"} {
		path := filepath.Join("testdata", "fixtures", f)
		d, err := Load([]string{path}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		rows := d.Rows
		if _, err := Load([]string{path}, Options{MaxRows: rows}); err != nil {
			t.Errorf("%s: MaxRows = rows refused: %v", f, err)
		}
		if _, err := Load([]string{path}, Options{MaxMemory: rows * LoadBytesPerRow}); err != nil {
			t.Errorf("%s: MaxMemory = rows × LoadBytesPerRow refused: %v", f, err)
		}
		for _, o := range []Options{{MaxRows: rows - 1}, {MaxMemory: rows*LoadBytesPerRow - 1}} {
			_, err := Load([]string{path}, o)
			var e *Error
			if !errors.As(err, &e) || e.File != path || !strings.Contains(err.Error(), "--max-") {
				t.Errorf("%s with %+v: %v, want an Error naming the file and the flag", f, o, err)
			}
		}
	}
}

// TestParquetFooterBomb: a footer that declares a list of 10^8 elements in
// a few bytes is refused before the Thrift decoder reserves memory for it.
func TestParquetFooterBomb(t *testing.T) {
	bomb := []byte("PAR1\x15\x04\x19\xfc\x80\xc2\xd7\x2f\x00\x00\x00\x00\x00\x00\x00\x00")
	bomb = binary.LittleEndian.AppendUint32(bomb, uint32(len(bomb)-4))
	bomb = append(bomb, "PAR1"...)
	path := filepath.Join(t.TempDir(), "bomb.parquet")
	if err := os.WriteFile(path, bomb, 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Load([]string{path}, Options{})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "declares 100000000 elements") {
		t.Fatalf("err = %v", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("allocated %d MiB on a %d-byte file", got>>20, len(bomb))
	}
	// Every fixture written by other tools passes the footer check.
	ents, _ := filepath.Glob(filepath.Join("testdata", "fixtures", "*.parquet"))
	for _, p := range ents {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		if err := checkParquetFooter(f, st.Size()); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		f.Close()
	}
	if len(ents) < 5 {
		t.Fatalf("only %d fixtures", len(ents))
	}
}
