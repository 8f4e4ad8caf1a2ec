package stream

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// Part2.LogLik, the profile log-likelihood the streamed figures draw, is
// the in-memory ℓ of testgeom.LogLikelihood wherever it has a value, without
// reading the data again: within 1e-6 plus a relative 1e-9 of ℓ (the figure
// resolves a few hundredths). It has a value across the 95% interval and on
// the coarse λ grid, and NaN only outside the fine ladder, where it would
// have to interpolate the coarse grid.
func TestPart2LogLikMatchesInMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.parquet")
	w0, w1, group := pairs(5, 30000)
	writePairs(t, path, w0, w1, group)
	cfg := config(path)
	cfg.Ingest.Group = "cell"
	cfg.Test.Bootstrap, cfg.Test.NullReplicates = 0, 0
	first, second, err := Passes(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Assemble(cfg, first, second)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ingest.Load(cfg.Files, cfg.Ingest)
	if err != nil {
		t.Fatal(err)
	}
	scopes := map[string]*testgeom.Result{"": out.Geometry}
	for _, g := range out.Groups {
		scopes[g.Group] = g.Geometry
	}
	if len(scopes) != 3 {
		t.Fatalf("%d scopes", len(scopes))
	}
	for name, r := range scopes {
		x0, x1 := d.Before, d.After
		if name != "" {
			x0, x1 = nil, nil
			for i, c := range d.Group {
				if d.GroupNames[c] == name {
					x0, x1 = append(x0, d.Before[i]), append(x1, d.After[i])
				}
			}
		}
		ll := second.LogLik(name)
		if ll == nil || r.LambdaHat == nil {
			t.Fatalf("scope %q: no likelihood", name)
		}
		lhat, ci, _, _ := r.GaussianEstimate()
		w := *ci[1] - *ci[0]
		lo, hi := *ci[0]-w, *ci[1]+w
		var lambdas []float64
		for k := 0; k <= 40; k++ {
			lambdas = append(lambdas, lo+(hi-lo)*float64(k)/40)
		}
		for _, q := range r.Profile {
			lambdas = append(lambdas, q.Lambda)
		}
		worst, drawn := 0.0, 0
		for _, l := range lambdas {
			got, want := ll(l), testgeom.LogLikelihood(x0, x1, l)
			if math.IsNaN(got) {
				if l >= *ci[0] && l <= *ci[1] {
					t.Errorf("scope %q: no ℓ(%.4f) inside the interval", name, l)
				}
				continue
			}
			drawn++
			diff := math.Abs(got - want)
			if math.IsInf(want, -1) && math.IsInf(got, -1) {
				diff = 0
			}
			worst = math.Max(worst, diff)
			if !(diff <= 1e-6+1e-9*math.Abs(want)) {
				t.Errorf("scope %q: ℓ(%.4f) streamed %.12g, in memory %.12g (λ̂ %.4f)", name, l, got, want, *lhat)
			}
		}
		t.Logf("scope %q: λ̂ %.4f, interval [%.4f, %.4f], %d of %d λ with a value, largest |Δℓ| %.3g", name, *lhat, *ci[0], *ci[1], drawn, len(lambdas), worst)
		if g := second.LogLik("no such group"); g != nil {
			t.Error("LogLik of an unknown group")
		}
	}
}
