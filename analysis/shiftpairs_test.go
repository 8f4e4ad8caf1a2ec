package analysis

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
)

// The dual shifts that are fitted and drawn are those of the pairs the
// geometry test compares: a pair with a zero weight (turnover) is counted,
// never fitted, even under a p-norm whose dual map is defined at zero.
func TestShiftFitsUseComparedPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 5))
	var before, after []float64
	for i := range 1000 {
		w0 := math.Exp(0.5 * r.NormFloat64())
		w1 := w0 * math.Exp(0.2*r.NormFloat64())
		switch i % 10 {
		case 0, 1, 2:
			w1 = 0 // a synapse lost
		case 3:
			w0 = 0 // a synapse gained
		}
		before, after = append(before, w0), append(after, w1)
	}
	o := quick()
	o.Test.Candidates = []geometry.Potential{geometry.PNorm{P: 2}}
	o.Test.Bootstrap, o.GOFSamples = 0, 0
	normal, err := fit.Lookup("normal")
	if err != nil {
		t.Fatal(err)
	}
	o.ShiftFamilies = []*fit.Family{normal}
	res, err := AnalyzeSlices(context.Background(), ingest.Slices{Before: before, After: after}, o)
	if err != nil {
		t.Fatal(err)
	}
	const compared = 600
	if n := res.Geometry.Paired.N; n != 1000 {
		t.Fatalf("pairs %d", n)
	}
	if c := res.FitComparisons["shift"]; c.N != compared || c.FittedN != compared {
		t.Errorf("shift fit: n %d, fitted %d; want %d", c.N, c.FittedN, compared)
	}
	if cs := res.Figures.ShiftsOf("p=2.0"); cs == nil || len(cs.W0) != compared || len(cs.D) != compared || cs.N != compared {
		t.Errorf("shifts for the figures: %+v", cs)
	}
}
