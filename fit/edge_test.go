package fit

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// TestFitEdgeCases: tiny, constant and extreme samples give a report that
// encodes as JSON, with every family's status saying why it was not fitted;
// non-finite values are refused as input errors.
func TestFitEdgeCases(t *testing.T) {
	for _, c := range []struct {
		name     string
		x        []float64
		families []*Family
		// wantStatus[family] is a substring of that family's status; others
		// is that of the families not listed ("" = any explanation).
		wantStatus map[string]string
		others     string
	}{
		{"n = 0", []float64{}, nil, nil, "no data"},
		{"n = 1", []float64{2}, PositiveFamilies(), map[string]string{"exponential": "ok", "normal": "needs at least 2 values, has 1", "powernormal": "needs at least 3"}, "needs at least 2"},
		{"n = 2", []float64{1, 3}, PositiveFamilies(), map[string]string{"powernormal": "needs at least 3 values, has 2"}, "ok"},
		{"constant", []float64{2, 2, 2, 2, 2, 2}, PositiveFamilies(), map[string]string{"exponential": "ok"}, "all values are equal"},
		{"zeros", []float64{0, 0, 0, 0}, nil, nil, "all values are equal"},
		{"negative for positive families", []float64{-1, 0.5, 2, 3}, PositiveFamilies(), map[string]string{"normal": "ok", "gamma": "needs positive values; 1 of 4"}, "needs positive values"},
		{"huge", []float64{1e300, 2e300, 3e300, 1.5e300, 2.5e300, 1.2e300}, []*Family{normalFamily, logNormalFamily, gammaFamily, exponentialFamily}, nil, "ok"},
		{"tiny", []float64{1e-300, 2e-300, 3e-300, 1.5e-300, 2.5e-300, 1.2e-300}, []*Family{normalFamily, logNormalFamily, gammaFamily, exponentialFamily}, nil, "ok"},
		{"huge spread", []float64{1e-300, 1, 1e300, 5, 1e-10, 1e10}, PositiveFamilies(), nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, opts := range []Options{{Seed: 1}, {Seed: 1, GOFSamples: 9, Bootstrap: 9}} {
				rep, err := Fit(c.x, c.families, opts)
				if err != nil {
					t.Fatalf("Fit(%v): %v", c.x, err)
				}
				if _, err := json.Marshal(rep); err != nil {
					t.Fatalf("Fit(%v): the report does not encode: %v", c.x, err)
				}
				if rep.N != len(c.x) {
					t.Errorf("N = %d, want %d", rep.N, len(c.x))
				}
				for _, r := range rep.Fits {
					want, listed := c.wantStatus[r.Family]
					if !listed {
						want = c.others
					}
					if r.Status == "" || !strings.Contains(r.Status, want) || want == "ok" && r.Status != "ok" {
						t.Errorf("%s: status %q, want %q", r.Family, r.Status, want)
					}
					if r.Status != StatusOK && r.Status != StatusNotIdentified && (r.AIC != nil || r.Params != nil) {
						t.Errorf("%s: %q but has estimates", r.Family, r.Status)
					}
				}
				if rep.Best != "" && len(rep.Ranking) == 0 {
					t.Errorf("best %q without a ranking", rep.Best)
				}
			}
		})
	}
	for _, bad := range [][]float64{{1, math.NaN(), 2}, {1, math.Inf(1)}, {math.Inf(-1)}} {
		_, err := Fit(bad, nil, Options{})
		if err == nil {
			t.Fatalf("Fit(%v) accepted non-finite data", bad)
		}
		if !errors.Is(err, inputerr.ErrInput) {
			t.Errorf("Fit(%v): %v is not an input error", bad, err)
		}
	}
}
