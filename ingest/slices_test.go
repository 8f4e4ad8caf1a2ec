package ingest

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FromSlices must give the same values, groups, exclusions and counts as
// reading the same table from a file.
func TestFromSlicesMatchesFile(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	before := []float64{1, nan, 2, 0, -1, 3, inf, 4, 0.5}
	after := []float64{2, 1, nan, 1, 2, 0, 1, 5, -0.5}
	group := []string{"a", "b", "a", "", "b", "a", "b", "a", "b"}
	csvText := func(x float64) string {
		switch {
		case math.IsNaN(x):
			return "NaN"
		case math.IsInf(x, 1):
			return "Inf"
		}
		return strings.TrimRight(strings.TrimRight(fmtFloat(x), "0"), ".")
	}
	var b strings.Builder
	b.WriteString("before,after,group\n")
	for i := range before {
		b.WriteString(csvText(before[i]) + "," + csvText(after[i]) + "," + group[i] + "\n")
	}
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, zero := range []string{ZeroKeep, ZeroMissing} {
		want, err := Load([]string{path}, Options{Before: "before", After: "after", Group: "group", Zero: zero})
		if err != nil {
			t.Fatal(err)
		}
		got, err := FromSlices(Slices{Before: before, After: after, Group: group, Zero: zero})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Before, want.Before) || !reflect.DeepEqual(got.After, want.After) ||
			!reflect.DeepEqual(got.Group, want.Group) || !reflect.DeepEqual(got.GroupNames, want.GroupNames) {
			t.Errorf("zero=%s: values differ:\n got %v %v %v %v\nwant %v %v %v %v", zero, got.Before, got.After, got.Group, got.GroupNames,
				want.Before, want.After, want.Group, want.GroupNames)
		}
		if !reflect.DeepEqual(got.Excluded, want.Excluded) || !reflect.DeepEqual(got.Counts, want.Counts) {
			t.Errorf("zero=%s: counts differ: got %v %v, want %v %v", zero, got.Excluded, got.Counts, want.Excluded, want.Counts)
		}
		if got.Rows != want.Rows || got.Shape != ShapePaired || got.Format != FormatMemory {
			t.Errorf("zero=%s: rows %d shape %s format %s", zero, got.Rows, got.Shape, got.Format)
		}
	}
}

func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }

func TestFromSlicesShapesAndCopies(t *testing.T) {
	x := []float64{1, math.NaN(), 0, -2, math.Inf(-1)}
	d, err := FromSlices(Slices{Before: x})
	if err != nil {
		t.Fatal(err)
	}
	if d.Shape != ShapeSingle || d.After != nil || len(d.Before) != 3 {
		t.Fatalf("single: shape %s, %d values, after %v", d.Shape, len(d.Before), d.After)
	}
	wantEx := map[string]int64{ReasonMissing: 1, ReasonNonFinite: 1}
	wantCounts := map[string]int64{CountZero: 1, CountNegative: 1}
	if !reflect.DeepEqual(d.Excluded, wantEx) || !reflect.DeepEqual(d.Counts, wantCounts) {
		t.Errorf("single: excluded %v counts %v", d.Excluded, d.Counts)
	}
	x[0] = 99
	if d.Before[0] != 1 {
		t.Error("the data alias the caller's slice")
	}
	u, err := FromSlices(Slices{Before: []float64{1, 2, 3}, After: []float64{4, math.NaN()}, Unpaired: true,
		Group: []string{"a", "b", "a"}, GroupAfter: []string{"b", "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if u.Shape != ShapeUnpaired || len(u.Before) != 3 || len(u.After) != 1 || u.Excluded[ReasonMissing] != 1 ||
		!reflect.DeepEqual(u.GroupAfter, []int32{1}) || u.Rows != 5 {
		t.Errorf("unpaired: %+v", u)
	}
}

func TestFromSlicesRefuses(t *testing.T) {
	for name, in := range map[string]Slices{
		"ragged pairs":      {Before: []float64{1, 2}, After: []float64{1}},
		"short groups":      {Before: []float64{1, 2}, After: []float64{1, 2}, Group: []string{"a"}},
		"after groups":      {Before: []float64{1}, After: []float64{1}, Group: []string{"a"}, GroupAfter: []string{"a"}},
		"unpaired no after": {Before: []float64{1}, Unpaired: true},
		"zero policy":       {Before: []float64{1}, Zero: "drop"},
	} {
		_, err := FromSlices(in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v, want an *Error", name, err)
		}
	}
}
