package testgeom

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/internal/inputerr"
)

func ramp(n int, f func(i int) float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = f(i)
	}
	return x
}

// TestPairedEdgeCases: tiny, unchanged, constant, excluded and extreme
// inputs give a result that encodes as JSON and whose status (and each
// candidate's) says plainly what happened.
func TestPairedEdgeCases(t *testing.T) {
	nan := math.NaN()
	up := func(i int) float64 { return 0.2 + 0.1*float64(i) + 0.01*float64(i*i%7) }
	down := func(i int) float64 { return up(i) * (1.1 + 0.02*float64(i%3)) }
	for _, c := range []struct {
		name       string
		w0, w1     []float64
		status     string // substring of Result.Status
		candStatus string // substring of every candidate's status ("" = not checked)
	}{
		{"n = 0", nil, nil, "too few usable pairs: 0", "too few usable pairs"},
		{"n = 1", []float64{1}, []float64{2}, "too few usable pairs: 1", "too few usable pairs"},
		{"n = 2", []float64{1, 2}, []float64{2, 3}, "too few usable pairs: 2", "too few usable pairs"},
		{"every pair excluded", ramp(20, func(int) float64 { return nan }), ramp(20, up), "too few usable pairs: 0", ""},
		{"every pair infinite", ramp(20, func(int) float64 { return math.Inf(1) }), ramp(20, up), "too few usable pairs: 0", ""},
		{"no change", ramp(30, up), ramp(30, up), statusNoChange, statusNoChange},
		{"no change with zeros", append(ramp(30, up), 0, 0), append(ramp(30, up), 0, 0), statusNoChange, ""},
		{"constant before and after", ramp(30, func(int) float64 { return 0.5 }), ramp(30, func(int) float64 { return 0.7 }), "ok", "no spread"},
		{"huge", ramp(30, func(i int) float64 { return up(i) * 1e300 }), ramp(30, func(i int) float64 { return down(i) * 1e300 }), "ok", ""},
		{"tiny", ramp(30, func(i int) float64 { return up(i) * 1e-300 }), ramp(30, func(i int) float64 { return down(i) * 1e-300 }), "ok", ""},
		// Pairs with a zero weight are counted, not compared.
		{"all zero", make([]float64, 30), make([]float64, 30), "too few usable pairs: 0", "too few usable pairs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := TestPaired(c.w0, c.w1, Options{Bootstrap: 5, NullReplicates: 5, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("the result does not encode: %v", err)
			}
			if !strings.Contains(r.Status, c.status) {
				t.Errorf("status %q, want %q", r.Status, c.status)
			}
			if r.Verdict == "" {
				t.Error("no verdict")
			}
			for _, cand := range r.Candidates {
				if cand.Status == "" || c.candStatus != "" && !strings.Contains(cand.Status, c.candStatus) {
					t.Errorf("%s: status %q, want %q", cand.Name, cand.Status, c.candStatus)
				}
				if cand.Status != "ok" && cand.DCDF != nil {
					t.Errorf("%s: status %q but a ΔCDF", cand.Name, cand.Status)
				}
			}
			if strings.Contains(string(b), "NaN") {
				t.Error("NaN in the JSON")
			}
		})
	}
	if _, err := TestPaired([]float64{1, 2}, []float64{1}, Options{}); err == nil {
		t.Error("unequal lengths accepted")
	}
}

// TestOtherDesignsEdgeCases: the unpaired and snapshot tests on samples of
// 0, 1 and 2 values, constant and non-finite samples: an input error or a
// result that encodes as JSON with a status.
func TestOtherDesignsEdgeCases(t *testing.T) {
	samples := map[string][]float64{
		"n = 0": nil, "n = 1": {1}, "n = 2": {1, 2},
		"constant": ramp(30, func(int) float64 { return 0.5 }),
		"nan":      ramp(30, func(int) float64 { return math.NaN() }),
		"huge":     ramp(30, func(i int) float64 { return 1e300 * float64(i+1) }),
	}
	for name, x := range samples {
		t.Run(name, func(t *testing.T) {
			u, err := TestUnpaired(x, x, UnpairedOptions{Bootstrap: 2, Seed: 1, GridPoints: 64})
			checkEdge(t, "unpaired", u, err, func() string { return u.Status })
			s, err := TestSnapshot(x, SnapshotOptions{})
			checkEdge(t, "snapshot", s, err, func() string { return s.Status })
		})
	}
}

func checkEdge(t *testing.T, what string, res any, err error, status func() string) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, inputerr.ErrInput) {
			t.Errorf("%s: %v is not an input error", what, err)
		}
		return
	}
	if _, err := json.Marshal(res); err != nil {
		t.Errorf("%s: the result does not encode: %v", what, err)
	}
	if status() == "" {
		t.Errorf("%s: empty status", what)
	}
}
