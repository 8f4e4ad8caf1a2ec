package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/compress"
)

// writeBadCorpus regenerates the committed files of testdata/bad from the
// functions below: go test ./cmd/syngeom -run TestWriteBadCorpus -args -write-bad-corpus
var writeBadCorpus = flag.Bool("write-bad-corpus", false, "rewrite the files of testdata/bad")

const badCorpusDir = "../../testdata/bad"

// goodRows returns n valid "before,after" lines (no header) with a mild
// multiplicative change, the background against which one bad line stands.
func goodRows(n int) string {
	var b strings.Builder
	for i := range n {
		w0 := 0.2 + 0.05*float64(i) + 0.013*float64(i*i%7)
		w1 := w0*1.15 + 0.01*float64(i%5) - 0.02
		fmt.Fprintf(&b, "%.4f,%.4f\n", w0, w1)
	}
	return b.String()
}

// badCorpus returns the committed hostile inputs by file name.
func badCorpus(t *testing.T) map[string][]byte {
	const hdr = "before,after\n"
	good := goodRows(30)
	m := map[string][]byte{
		// Structure.
		"truncated_quote.csv":         []byte(hdr + good + "\"1.5,2\n"),
		"truncated_last_line.csv":     []byte(hdr + good + "1.5,"),
		"ragged_short.csv":            []byte(hdr + good + "1.5\n" + good),
		"ragged_long.csv":             []byte(hdr + good + "1.5,2,3\n"),
		"bare_quote.csv":              []byte(hdr + good + "1.5,2\"x\"\n"),
		"duplicate_header.csv":        []byte("before,after,after\n" + strings.ReplaceAll(good, "\n", ",1\n")),
		"empty_header_name.csv":       []byte("before,,after\n" + strings.ReplaceAll(good, ",", ",7,")),
		"header_only.csv":             []byte(hdr),
		"blank_lines_only.csv":        []byte("\n\n\n\n"),
		"delimiters_only.csv":         []byte(",,\n,,\n,,\n"),
		"empty.csv":                   {},
		"lone_cr.csv":                 []byte(strings.ReplaceAll(hdr+good, "\n", "\r")),
		"crlf.csv":                    []byte(strings.ReplaceAll(hdr+good, "\n", "\r\n")),
		"utf8_bom.csv":                append([]byte{0xEF, 0xBB, 0xBF}, hdr+good...),
		"utf16_bom.csv":               utf16le("\ufeff" + hdr + good),
		"quoted_newline_header.csv":   []byte("\"bef\nore\",after\n" + good),
		"tsv_named_csv.csv":           []byte(strings.ReplaceAll(hdr+good, ",", "\t")),
		"semicolon_decimal_comma.csv": []byte("before;after\n" + strings.ReplaceAll(strings.ReplaceAll(good, ",", ";"), ".", ",")),
		// Bytes.
		"nul_in_value.csv":        []byte(hdr + good + "1.5,2\x00\n"),
		"nul_in_header.csv":       []byte("bef\x00ore,after\n" + good),
		"invalid_utf8_header.csv": []byte("before\xff\xfe,after\n" + good),
		"invalid_utf8_value.csv":  []byte(hdr + good + "1.5\xff,2\n"),
		"control_chars.csv":       []byte(hdr + good + "1.5,\x1b[2J\n"),
		// Values.
		"mixed_types.csv":         []byte(hdr + good + "1.5,abc\n"),
		"hex_float.csv":           []byte(hdr + good + "0x1p-3,2\n"),
		"thousands_separator.csv": []byte(hdr + good + "\"1,500\",2\n"),
		"percent.csv":             []byte(hdr + good + "50%,2\n"),
		"padded_numbers.csv":      []byte(hdr + strings.ReplaceAll(good, ",", " , ")),
		"infinity_words.csv":      []byte(hdr + good + "Infinity,1\n-Infinity,2\ninf,3\n1,+Inf\n"),
		"overflow_1e999.csv":      []byte(hdr + good + "1e999,2\n"),
		"underflow_1e-999.csv":    []byte(hdr + good + "1e-999,2\n"),
		"denormals.csv":           []byte(hdr + denormalRows(30)),
		"negative_zero.csv":       []byte(hdr + good + "-0,-0.0\n-0,1\n"),
		"nan_words.csv":           []byte(hdr + good + "NaN,1\nnan,2\nNA,3\n1,-nan\n"),
		"all_missing.csv":         []byte(hdr + strings.Repeat("NA,\n,NaN\n", 20)),
		"no_change.csv":           []byte(hdr + noChangeRows(30)),
		"constant.csv":            []byte(hdr + strings.Repeat("0.5,0.7\n", 30)),
		"extreme_large.csv":       []byte(hdr + scaledRows(30, 1e300)),
		"extreme_small.csv":       []byte(hdr + scaledRows(30, 1e-300)),
		"two_pairs.csv":           []byte(hdr + "1,2\n3,4\n"),
		// Compression.
		"truncated.csv.gz":      gzipped(t, hdr+good)[:40],
		"plain_named_gz.csv.gz": []byte(hdr + good),
	}
	pq := testParquet(t, false, compress.Codecs.Uncompressed)
	pqSnappy := testParquet(t, false, compress.Codecs.Snappy)
	footerLen := func(b []byte) int { return int(binary.LittleEndian.Uint32(b[len(b)-8:])) }
	mod := func(src []byte, f func(b []byte)) []byte { b := bytes.Clone(src); f(b); return b }
	m["truncated_half.parquet"] = pq[:len(pq)/2]
	m["truncated_footer.parquet"] = pq[:len(pq)-3]
	m["magic_only.parquet"] = []byte("PAR1PAR1")
	m["bad_tail_magic.parquet"] = mod(pq, func(b []byte) { copy(b[len(b)-4:], "PARX") })
	m["bad_head_magic.parquet"] = mod(pq, func(b []byte) { copy(b, "XAR1") })
	m["footer_len_absurd.parquet"] = mod(pq, func(b []byte) { binary.LittleEndian.PutUint32(b[len(b)-8:], 0x7fffffff) })
	m["footer_len_zero.parquet"] = mod(pq, func(b []byte) { binary.LittleEndian.PutUint32(b[len(b)-8:], 0) })
	m["footer_garbage.parquet"] = mod(pq, func(b []byte) {
		n := footerLen(b)
		for i := len(b) - 8 - n; i < len(b)-8; i++ {
			b[i] = 0xee
		}
	})
	// A footer whose schema list declares 10^8 elements in 16 bytes.
	bomb := []byte("PAR1\x15\x04\x19\xfc\x80\xc2\xd7\x2f\x00\x00\x00\x00\x00\x00\x00\x00")
	bomb = binary.LittleEndian.AppendUint32(bomb, uint32(len(bomb)-4))
	m["footer_list_bomb.parquet"] = append(bomb, "PAR1"...)
	m["corrupt_snappy_page.parquet"] = mod(pqSnappy, func(b []byte) {
		for i := 40; i < 200; i++ {
			b[i] = 0xff
		}
	})
	// The first page header starts at byte 4: field 1 (type), then the
	// uncompressed and compressed sizes as zigzag varints. Rewriting a varint
	// in place with one of the same length keeps every offset valid.
	m["page_size_negative.parquet"] = mod(pq, func(b []byte) { setPageSizeVarint(t, b, 2, -1) })
	m["page_size_beyond_file.parquet"] = mod(pq, func(b []byte) { setPageSizeVarint(t, b, 3, math.MaxInt32) })
	m["page_uncompressed_absurd.parquet"] = mod(pqSnappy, func(b []byte) { setPageSizeVarint(t, b, 2, math.MaxInt32) })
	m["csv_named_parquet.parquet"] = []byte(hdr + good)
	m["parquet_named_csv.csv"] = pq
	m["random_bytes.parquet"] = append(append([]byte("PAR1"), pseudoRandom(512)...), "PAR1"...)
	return m
}

// setPageSizeVarint overwrites field 2 (uncompressed size) or 3 (compressed
// size) of the page header at offset 4 with v, encoded as a zigzag varint
// padded with continuation bytes to the length of the value it replaces.
func setPageSizeVarint(t *testing.T, b []byte, field int, v int32) {
	t.Helper()
	p := 4
	for f := 1; f <= 3; f++ {
		if b[p] != 0x15 { // delta 1, type i32
			t.Fatalf("unexpected page header byte %#x at %d", b[p], p)
		}
		p++
		start := p
		for b[p]&0x80 != 0 {
			p++
		}
		p++
		if f != field {
			continue
		}
		z := uint64(uint32((v << 1) ^ (v >> 31)))
		n := p - start
		enc := make([]byte, 0, 5)
		for i := 0; ; i++ {
			c := byte(z & 0x7f)
			z >>= 7
			if z == 0 && i >= n-1 {
				enc = append(enc, c)
				break
			}
			enc = append(enc, c|0x80)
		}
		if len(enc) > n {
			// The value needs more bytes than the original: take the
			// largest value that fits instead, still far beyond the page.
			enc = enc[:0]
			for i := 0; i < n-1; i++ {
				enc = append(enc, 0xfe|0x80)
			}
			enc = append(enc, 0x7f)
			enc[0] = 0xfe
			if n > 1 {
				enc[0] = 0xfe | 0x80
			}
		}
		copy(b[start:p], enc)
		return
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = binary.LittleEndian.AppendUint16(b, uint16(r))
	}
	return b
}

func denormalRows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%g,%g\n", 5e-324*float64(i+1), 5e-324*float64(2*i+1))
	}
	return b.String()
}

func noChangeRows(n int) string {
	var b strings.Builder
	for i := range n {
		w := 0.1 + 0.07*float64(i)
		fmt.Fprintf(&b, "%g,%g\n", w, w)
	}
	return b.String()
}

func scaledRows(n int, scale float64) string {
	var b strings.Builder
	for i := range n {
		w0 := (1 + 0.1*float64(i) + 0.03*float64(i*i%5)) * scale
		fmt.Fprintf(&b, "%g,%g\n", w0, w0*(1.2+0.01*float64(i%3)))
	}
	return b.String()
}

// pseudoRandom is a fixed byte sequence (xorshift), not a source of
// randomness.
func pseudoRandom(n int) []byte {
	x := uint64(88172645463325252)
	b := make([]byte, n)
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = byte(x)
	}
	return b
}

func TestWriteBadCorpus(t *testing.T) {
	if !*writeBadCorpus {
		t.Skip("run with -write-bad-corpus to regenerate testdata/bad")
	}
	for name, content := range badCorpus(t) {
		if err := os.WriteFile(filepath.Join(badCorpusDir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
