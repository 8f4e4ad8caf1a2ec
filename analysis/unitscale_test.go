package analysis

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/testgeom"
)

// The unit of the weights (µm³ or m³, a.u. or a.u. × 1000) must change no
// verdict, warning, ranking or λ̂: the geometry is about relative changes.
// Numbers that carry the unit (fitted location and scale parameters, the
// paper's NE magnitude, whose dual is 1 + log w) may differ.
func TestUnitInvariance(t *testing.T) {
	// Demo-like data (two cell types, NE steps, multiplicative measurement
	// noise) with initial sizes narrow enough that the changes are large
	// relative to them, so that the large-change warning is issued: under
	// NE the paper's magnitude ‖d‖/‖1 + log w0‖ would issue it at one unit
	// and not at another.
	r := rand.New(rand.NewPCG(11, 12))
	var base datasets.Pairs
	base.GroupNames = []string{"type_A", "type_B"}
	for i := 0; i < 4000; i++ {
		g := int32(i % 2)
		w0 := math.Exp(-1 - 0.7*float64(g) + 0.3*r.NormFloat64())
		w1 := w0 * math.Exp(0.03+0.2*r.NormFloat64())
		noise := func() float64 { return math.Exp(0.1 * r.NormFloat64()) }
		base.ID = append(base.ID, int64(i))
		base.Group = append(base.Group, g)
		base.Before = append(base.Before, w0*noise())
		base.After = append(base.After, w1*noise())
	}
	opts := Options{Test: testgeom.Options{Seed: 3, Bootstrap: 10, NullReplicates: 20}, GOFSamples: 9}
	run := func(scale float64) *Result {
		p := base
		p.Before, p.After = slices.Clone(base.Before), slices.Clone(base.After)
		for i := range p.Before {
			p.Before[i] *= scale
			p.After[i] *= scale
		}
		path := filepath.Join(t.TempDir(), "scaled.parquet")
		if err := p.Write(path, datasets.Wide, ingest.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		res, err := Run([]string{path}, DemoIngestOptions(), opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ref := run(1)
	if !slices.ContainsFunc(ref.Geometry.Paired.Warnings, func(w string) bool { return strings.Contains(w, "changes are large") }) {
		t.Fatalf("the data were meant to trigger the large-change warning: %q", ref.Geometry.Paired.Warnings)
	}
	sameLambda := func(what string, a, b *float64) {
		t.Helper()
		if (a == nil) != (b == nil) || (a != nil && math.Abs(*a-*b) > 1e-6*(1+math.Abs(*a))) {
			t.Errorf("%s: λ̂ %v vs %v", what, deref(a), deref(b))
		}
	}
	for _, scale := range []float64{1000, 1e-9} {
		got := run(scale)
		scopes := [][2]*Scope{{&ref.Scope, &got.Scope}}
		for i := range ref.Groups {
			scopes = append(scopes, [2]*Scope{&ref.Groups[i], &got.Groups[i]})
		}
		for _, s := range scopes {
			a, b := s[0], s[1]
			name := a.Group
			if a.Verdict != b.Verdict {
				t.Errorf("scale %g, %q: verdict changed:\n%s\n%s", scale, name, a.Verdict, b.Verdict)
			}
			if !slices.Equal(a.Warnings, b.Warnings) {
				t.Errorf("scale %g, %q: warnings changed:\n%q\n%q", scale, name, a.Warnings, b.Warnings)
			}
			ga, gb := a.Geometry.Paired, b.Geometry.Paired
			if ga == nil || gb == nil {
				t.Fatalf("scale %g, %q: no paired geometry", scale, name)
			}
			if ga.BestByLikelihood != gb.BestByLikelihood || ga.BestByDCDF != gb.BestByDCDF || ga.BestByDCDFCentered != gb.BestByDCDFCentered || ga.Adequate != gb.Adequate {
				t.Errorf("scale %g, %q: ranking or adequacy changed", scale, name)
			}
			if !slices.Equal(ga.Warnings, gb.Warnings) {
				t.Errorf("scale %g, %q: geometry warnings changed:\n%q\n%q", scale, name, ga.Warnings, gb.Warnings)
			}
			sameLambda(name, ga.LambdaHat, gb.LambdaHat)
			for i := range ga.Candidates {
				ca, cb := ga.Candidates[i], gb.Candidates[i]
				if (ca.RelativeStep == nil) != (cb.RelativeStep == nil) || (ca.RelativeStep != nil && math.Abs(*ca.RelativeStep-*cb.RelativeStep) > 1e-9**ca.RelativeStep) {
					t.Errorf("scale %g, %q, %s: relative step %v vs %v", scale, name, ca.Name, deref(ca.RelativeStep), deref(cb.RelativeStep))
				}
			}
			for k, fa := range a.FitComparisons {
				if !slices.Equal(fa.Ranking, b.FitComparisons[k].Ranking) {
					t.Errorf("scale %g, %q: ranking of the %s fits changed: %v vs %v", scale, name, k, fa.Ranking, b.FitComparisons[k].Ranking)
				}
			}
		}
		if ref.PooledVerdict != got.PooledVerdict {
			t.Errorf("scale %g: pooled verdict changed:\n%s\n%s", scale, ref.PooledVerdict, got.PooledVerdict)
		}
		if (ref.GroupComparison == nil) != (got.GroupComparison == nil) {
			t.Fatalf("scale %g: group comparison present in one run only", scale)
		}
		if ref.GroupComparison != nil {
			sameLambda("shared", ref.GroupComparison.SharedLambda, got.GroupComparison.SharedLambda)
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
