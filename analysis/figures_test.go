package analysis

import (
	"testing"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
)

// The figures' values do not grow with n: at more pairs than FigureMaxN, with the test
// keeping every pair (SampleMax above n), each sample holds FigureMaxN
// values and says it was drawn from all of them; so does a single sample
// (unpaired samples go through the same sampleFigure, but the unpaired test
// takes half a minute at this n).
func TestFiguresBoundedAtLargeN(t *testing.T) {
	const n = FigureMaxN + 20_000
	d := simulated(t, geometry.NegEntropy{}, n, 21)
	d.Group, d.GroupNames = nil, nil
	o := quick()
	o.Test.Bootstrap, o.Test.NullReplicates, o.GOFSamples, o.FitMaxN = 0, 0, 0, 2000
	o.Test.SampleMax = n + 1
	r, err := Analyze(d, o)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Figures
	if f == nil || f.Profile == nil || len(f.Profile.P) > 100 {
		t.Fatalf("figures %+v", f)
	}
	check := func(what string, s FigureSample, all int64) {
		t.Helper()
		if len(s.Values) != FigureMaxN || s.N != all {
			t.Errorf("%s: %d values drawn of %d, want %d of %d", what, len(s.Values), s.N, FigureMaxN, all)
		}
	}
	check("before", f.Before, n)
	check("after", f.After, n)
	check("shift", f.Shift, n)
	if len(f.Shifts) != 2 {
		t.Fatalf("%d candidates' shifts, want the best and Euclidean", len(f.Shifts))
	}
	for _, cs := range f.Shifts {
		check(cs.Name, FigureSample{Values: cs.D, N: cs.N}, n)
		if len(cs.W0) != len(cs.D) {
			t.Errorf("%s: %d w0 for %d shifts", cs.Name, len(cs.W0), len(cs.D))
		}
	}
	single := *d
	single.Shape, single.After = ingest.ShapeSingle, nil
	r, err = Analyze(&single, o)
	if err != nil {
		t.Fatal(err)
	}
	check("single", r.Figures.Before, n)
}
