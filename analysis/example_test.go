package analysis_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
)

// pairs simulates n synapses whose weights took one Gaussian step in
// log w, the dual coordinate of negative entropy.
func pairs(n int) (before, after []float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	before, after = make([]float64, n), make([]float64, n)
	for i := range before {
		before[i] = math.Exp(rng.NormFloat64())
		after[i] = before[i] * math.Exp(0.1+0.3*rng.NormFloat64())
	}
	return before, after
}

// Weights held in memory: the same checks, counts and result as a file.
// A NaN is counted as missing, never dropped silently.
func ExampleAnalyzeSlices() {
	before, after := pairs(2000)
	before[0] = math.NaN()
	opts := analysis.DefaultOptions() // the settings of syngeom analyze, seed 1
	opts.Test.Candidates, _ = geometry.ParseCandidates("NE,1.5,2,3")
	opts.GOFSamples = 0 // no goodness-of-fit bootstrap, to keep the example fast
	res, err := analysis.AnalyzeSlices(context.Background(),
		ingest.Slices{Name: "spines", Before: before, After: after}, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pairs used:", res.Input.PairsUsed, "excluded:", res.Input.Excluded)
	fmt.Println("best by likelihood:", res.Geometry.Paired.BestByLikelihood)
	// Output:
	// pairs used: 1999 excluded: map[missing:1]
	// best by likelihood: NE
}

// Input errors, from any package, match ErrInput.
func ExampleErrInput() {
	_, err := analysis.AnalyzeSlices(context.Background(),
		ingest.Slices{Before: []float64{1, 2, 3}, After: []float64{1, 2}}, analysis.DefaultOptions())
	fmt.Println(errors.Is(err, analysis.ErrInput))
	fmt.Println(err)
	// Output:
	// true
	// in-memory data: column "after": 3 before values but 2 after values: pairs need one of each (for separate samples set Unpaired)
}

// Shift geometries are named as on the command line.
func ExampleParseShiftGeometry() {
	for _, s := range []string{"best", "NE", "2", "p=1.5"} {
		g, err := analysis.ParseShiftGeometry(s)
		fmt.Println(g, err)
	}
	// Output:
	// best <nil>
	// NE <nil>
	// p=2.0 <nil>
	// p=1.5 <nil>
}

// A long analysis stops when its context is cancelled (on Ctrl-C, say).
func ExampleAnalyzeContext() {
	before, after := pairs(1000)
	d, err := ingest.FromSlices(ingest.Slices{Before: before, After: after})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // cancelled before it starts, for the example
	_, err = analysis.AnalyzeContext(ctx, d, analysis.DefaultOptions())
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// true
}
