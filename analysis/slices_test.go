package analysis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
)

// Slices given in memory and the same table read from a file give the
// same analysis, with the same exclusions and counts.
func TestAnalyzeSlicesMatchesFile(t *testing.T) {
	d := simulated(t, geometry.NegEntropy{}, 300, 11)
	before, after := append([]float64{}, d.Before...), append([]float64{}, d.After...)
	before[3], after[7], before[11], after[12] = math.NaN(), math.Inf(1), 0, -0.5
	var b strings.Builder
	b.WriteString("before,after\n")
	for i := range before {
		fmt.Fprintf(&b, "%v,%v\n", before[i], after[i])
	}
	path := filepath.Join(t.TempDir(), "pairs.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	o := quick()
	want, err := Run([]string{path}, ingest.Options{}, o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := AnalyzeSlices(context.Background(), ingest.Slices{Name: "spines", Before: before, After: after}, o)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := jsonOf(t, &got.Scope), jsonOf(t, &want.Scope); !bytes.Equal(g, w) {
		t.Errorf("in-memory and file analyses differ:\n%s\n%s", g, w)
	}
	if g, w := jsonOf(t, got.Settings), jsonOf(t, want.Settings); !bytes.Equal(g, w) {
		t.Errorf("settings differ: %s, %s", g, w)
	}
	gi, wi := got.Input, want.Input
	if fmt.Sprint(gi.Excluded, gi.Counts, gi.Rows, gi.PairsUsed) != fmt.Sprint(wi.Excluded, wi.Counts, wi.Rows, wi.PairsUsed) {
		t.Errorf("input: got %v %v %d %d, want %v %v %d %d", gi.Excluded, gi.Counts, gi.Rows, gi.PairsUsed, wi.Excluded, wi.Counts, wi.Rows, wi.PairsUsed)
	}
	if gi.Excluded[ingest.ReasonMissing] != 1 || gi.Excluded[ingest.ReasonNonFinite] != 1 || gi.Counts[ingest.CountZero] != 1 {
		t.Errorf("the NaN, the Inf and the zero are not counted: %v %v", gi.Excluded, gi.Counts)
	}
	if gi.Name != "spines" || len(gi.Files) != 0 || gi.Format != ingest.FormatMemory {
		t.Errorf("input names %q, files %v, format %q", gi.Name, gi.Files, gi.Format)
	}
	// The result owns its values.
	keep := got.data.before[0]
	before[0] = -99
	if got.data.before[0] != keep {
		t.Error("the result aliases the caller's slice")
	}
}

func TestAnalyzeSlicesDesignsAndNames(t *testing.T) {
	o := quick()
	o.Test.Bootstrap, o.GOFSamples = 0, 0
	x := make([]float64, 200)
	y := make([]float64, 150)
	for i := range x {
		x[i] = 1 + float64(i%17)/10
	}
	for i := range y {
		y[i] = 1.2 + float64(i%13)/8
	}
	u, err := AnalyzeSlices(context.Background(), ingest.Slices{Before: x, After: y, Unpaired: true}, o)
	if err != nil {
		t.Fatal(err)
	}
	if u.Design != "unpaired" || u.Geometry.Unpaired == nil || u.Input.Name != ingest.DefaultSlicesName {
		t.Errorf("unpaired: design %s, name %q", u.Design, u.Input.Name)
	}
	s, err := AnalyzeSlices(context.Background(), ingest.Slices{Before: x, Group: groupsOf(len(x))}, o)
	if err != nil {
		t.Fatal(err)
	}
	if s.Design != "single" || len(s.Groups) != 2 {
		t.Errorf("single: design %s, %d groups", s.Design, len(s.Groups))
	}
	// A p-norm exponent alone names a shift geometry, as on the command line.
	o.ShiftGeometry = "2"
	p, err := AnalyzeSlices(context.Background(), ingest.Slices{Before: x, After: x[:len(x):len(x)]}, o)
	if err != nil {
		t.Fatal(err)
	}
	if p.Settings.ShiftGeometry != "p=2.0" || p.ShiftGeometry != "p=2.0" {
		t.Errorf("shift geometry %q, fitted %q; want p=2.0", p.Settings.ShiftGeometry, p.ShiftGeometry)
	}
}

func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func groupsOf(n int) []string {
	g := make([]string, n)
	for i := range g {
		g[i] = []string{"a", "b"}[i%2]
	}
	return g
}

// DefaultOptions calibrate the ΔCDF p-values; the zero Options do not.
func TestDefaultOptionsCalibrate(t *testing.T) {
	d := simulated(t, geometry.NegEntropy{}, 200, 5)
	slice := ingest.Slices{Before: d.Before, After: d.After}
	o := DefaultOptions()
	o.Test.Candidates, o.Test.Bootstrap, o.GOFSamples = quick().Test.Candidates, 0, 0
	r, err := AnalyzeSlices(context.Background(), slice, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Settings.Seed != 1 || r.Settings.NullReplicates != DefaultNullReplicates {
		t.Errorf("settings %+v", r.Settings)
	}
	for _, c := range r.Geometry.Paired.Candidates {
		if c.DCDFPValue == nil {
			t.Errorf("%s: no calibrated p-value with DefaultOptions", c.Name)
		}
	}
}

// Input errors of every kind match ErrInput.
func TestInputErrorsMatchErrInput(t *testing.T) {
	ctx := context.Background()
	ok := ingest.Slices{Before: []float64{1, 2, 3}, After: []float64{1, 2, 3}}
	for name, run := range map[string]func() error{
		"ragged pairs": func() error {
			_, err := AnalyzeSlices(ctx, ingest.Slices{Before: []float64{1, 2}, After: []float64{1}}, quick())
			return err
		},
		"negative bootstrap": func() error {
			o := quick()
			o.Test.Bootstrap = -1
			_, err := AnalyzeSlices(ctx, ok, o)
			return err
		},
		"unknown shift geometry": func() error {
			o := quick()
			o.ShiftGeometry = "p=2.5"
			_, err := AnalyzeSlices(ctx, ok, o)
			return err
		},
		"bad candidate": func() error {
			_, err := geometry.ParseCandidates("NE,0.5")
			return err
		},
		"bad shift geometry": func() error {
			_, err := ParseShiftGeometry("euclid")
			return err
		},
	} {
		err := run()
		if !errors.Is(err, ErrInput) {
			t.Errorf("%s: %v does not match ErrInput", name, err)
		}
	}
}

// A cancelled context stops an analysis with an error that says so.
func TestAnalyzeSlicesCancelled(t *testing.T) {
	d := simulated(t, geometry.NegEntropy{}, 2000, 9)
	slice := ingest.Slices{Before: d.Before, After: d.After}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := AnalyzeSlices(ctx, slice, quick()); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: %v", err)
	}
	// Settings that would run for minutes, cancelled while running.
	o := quick()
	o.Test.Bootstrap, o.Test.NullReplicates, o.GOFSamples = 100_000, 100_000, 100_000
	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := AnalyzeSlices(ctx, slice, o); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled while running: %v", err)
	}
}
