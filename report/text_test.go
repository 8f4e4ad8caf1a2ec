package report

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatFloat(t *testing.T) {
	cases := []struct {
		x    float64
		sig  int
		want string
	}{
		{math.NaN(), 4, "NA"},
		{math.Inf(1), 4, "Inf"},
		{math.Inf(-1), 4, "-Inf"},
		{0, 4, "0"},
		{math.Copysign(0, -1), 4, "0"},
		{1, 4, "1.000"},
		{0.035123, 4, "0.03512"},
		{-0.035126, 3, "-0.0351"},
		{1234.5678, 4, "1235"},
		{123456.7, 4, "123457"},
		{999999.4, 4, "1.000e+06"}, // rounding carries into the next decade
		{1234567, 4, "1.235e+06"},
		{0.00012345, 3, "0.000123"},
		{0.000012345, 3, "1.23e-05"},
		{0.99996, 4, "1.000"},
		{9.9996, 4, "10.00"},
		{2.5, 0, "2"},
		{1e-300, 2, "1.0e-300"},
	}
	for _, c := range cases {
		if got := FormatFloat(c.x, c.sig); got != c.want {
			t.Errorf("FormatFloat(%v, %d) = %q, want %q", c.x, c.sig, got, c.want)
		}
	}
}

func TestTableWriteText(t *testing.T) {
	tb := &Table{
		Caption: "Geometry",
		Header:  []string{"candidate", "ΔCDF", "λ̂", "note"},
		Notes:   []string{"NA: not computed."},
	}
	tb.AddRow("NE", 0.0351234, 0.0, "multiplicative")
	tb.AddRow("p=2.0", 0.41, math.NaN(), "additive\nline")
	var missing *float64
	tb.AddRow("p=1.5", 12.5, missing, true)
	tb.Emphasize(0)
	tb.Emphasize(99) // out of range: ignored
	var b strings.Builder
	if err := tb.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `Geometry
  candidate     ΔCDF   λ̂  note
----------------------------------------
* NE         0.03512   0  multiplicative
  p=2.0       0.4100  NA  additive line
  p=1.5        12.50  NA  yes
NA: not computed.
`
	if b.String() != want {
		t.Errorf("WriteText:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestLooksNumeric(t *testing.T) {
	for _, s := range []string{"1", "-2.5e-3", "NA", "—", "Inf", "<0.001", "[1.02, 1.18]", "(0.1, 0.2)", "12%", "−3"} {
		if !looksNumeric(s) {
			t.Errorf("looksNumeric(%q) = false", s)
		}
	}
	for _, s := range []string{"NE", "p=2.0", "log-normal", "[a, b]", "1.2 mV"} {
		if looksNumeric(s) {
			t.Errorf("looksNumeric(%q) = true", s)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	entries := func() []string {
		es, _ := os.ReadDir(dir)
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}

	// A failing write leaves no file at all.
	boom := errors.New("boom")
	err := WriteFileAtomic(path, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if names := entries(); len(names) != 0 {
		t.Fatalf("failed write left %v", names)
	}

	// Success writes the content with mode 0644.
	if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write([]byte("first")); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Fatalf("content %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}

	// A failing rewrite keeps the old file intact and leaves no temp file.
	err = WriteFileAtomic(path, func(w io.Writer) error {
		w.Write(make([]byte, 1<<20)) // more than the buffer: reaches the temp file
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Fatalf("old content replaced by %d bytes", len(b))
	}
	if names := entries(); len(names) != 1 {
		t.Fatalf("directory holds %v, want only out.json", names)
	}

	// A panic in write also cleans up.
	func() {
		defer func() { recover() }()
		WriteFileAtomic(path, func(w io.Writer) error { panic("oops") })
	}()
	if names := entries(); len(names) != 1 {
		t.Fatalf("panic left %v", names)
	}

	// Replacing keeps a custom mode.
	os.Chmod(path, 0o600)
	if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write([]byte("second")); return err }); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
	}

	// Targets that cannot be written.
	if err := WriteFileAtomic(dir, func(w io.Writer) error { return nil }); err == nil {
		t.Error("writing over a directory succeeded")
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "x.html"), func(w io.Writer) error { return nil }); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	if names := entries(); len(names) != 1 {
		t.Fatalf("directory holds %v after refused writes", names)
	}
}

// TestPHatText: p̂ keeps the digits that λ̂'s interval resolves.
func TestPHatText(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		p    float64
		ci   [2]*float64
		want string
	}{
		{1.00014, [2]*float64{f(-0.00026), f(0.00054)}, "1.00014"}, // width 8e-4: five decimals
		{1.2062, [2]*float64{f(0.1418), f(0.2702)}, "1.206"},       // wide: four significant digits
		{1.2062, [2]*float64{nil, f(0.2702)}, "1.206"},             // open
		{11.5, [2]*float64{f(10.2), f(10.8)}, "11.50"},             // four significant digits above 10
	} {
		if got := pHatText(c.p, c.ci); got != c.want {
			t.Errorf("pHatText(%v, %v) = %q, want %q", c.p, c.ci, got, c.want)
		}
	}
}

// TestProfileLegendDigits: the profile figure's legend keeps the digits a
// narrow interval needs, and three significant digits otherwise.
func TestProfileLegendDigits(t *testing.T) {
	narrow := ProfileFigure{CILo: 0.99974, CIHi: 1.00054}
	if got := narrow.pText(1.00014); got != "1.00014" {
		t.Errorf("narrow: %q, want 1.00014", got)
	}
	wide := ProfileFigure{CILo: 1.10, CIHi: 1.16}
	if got := wide.pText(1.1305); got != "1.13" {
		t.Errorf("wide: %q, want 1.13", got)
	}
	open := ProfileFigure{CILo: math.NaN(), CIHi: 1.0005}
	if got := open.pText(1.00014); got != "1.00" {
		t.Errorf("open: %q, want 1.00", got)
	}
}
