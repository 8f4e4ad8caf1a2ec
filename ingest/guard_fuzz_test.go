package ingest

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParquetFooter feeds arbitrary metadata to the footer check: it must
// return (never panic or loop) and, when it accepts a footer, every length
// it skipped must have fit in the bytes given.
func FuzzParquetFooter(f *testing.F) {
	f.Add([]byte("\x15\x04\x19\xfc\x80\xc2\xd7\x2f\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte{0x15, 0x02, 0x19, 0x1c, 0x18, 0x04, 0x72, 0x6f, 0x6f, 0x74, 0x00, 0x00})
	f.Add([]byte{0x1b, 0x03, 0x13, 0x00})
	if ents, _ := filepath.Glob(filepath.Join("testdata", "fixtures", "*.parquet")); len(ents) > 0 {
		if b, err := os.ReadFile(ents[0]); err == nil && len(b) > 12 {
			n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
			if n > 0 && n <= len(b)-12 {
				f.Add(b[len(b)-8-n : len(b)-8])
			}
		}
	}
	f.Fuzz(func(t *testing.T, meta []byte) {
		w := thriftWalker{b: meta}
		err := w.skip(thriftStruct, 0)
		if w.p > len(meta) {
			t.Fatalf("walked to byte %d of %d", w.p, len(meta))
		}
		if err == nil && w.p == 0 {
			t.Fatal("accepted a struct without reading its stop byte")
		}
	})
}
