package testgeom_test

import (
	"math"
	"testing"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/testgeom"
)

// Consecutive pairs of one synapse: the effect-size intervals summed per
// synapse keep their level where those of independent pairs are too
// narrow. Under chainSpec the dual step sd is 0.1·e^{0.4²} (each synapse's
// own step scale, log-normal) and the slope of log|Δw| on log w0 is 1 (NE).
func TestEffectSizesChains(t *testing.T) {
	const reps = 60
	trueSD := chainSpec.Step * math.Exp(chainSpec.SynapseScale*chainSpec.SynapseScale)
	var coverSD, coverSlope [2]int
	var widthSD [2]float64
	for r := range reps {
		spec := chainSpec
		spec.Seed = uint64(r + 1)
		p, err := spec.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		for k, clusters := range [][]int32{nil, p.Synapse} {
			o := testgeom.Options{Candidates: []geometry.Potential{geometry.NegEntropy{}}, NullReplicates: -1, Workers: 1, NoStepModels: true, Clusters: clusters}
			res, err := testgeom.TestPaired(p.Before, p.After, o)
			if err != nil {
				t.Fatal(err)
			}
			e := res.EffectSizes
			if e == nil || e.StepSDCI[0] == nil || e.ChangeSlopeCI[0] == nil {
				t.Fatalf("no effect sizes: %+v", e)
			}
			if want := map[bool]int{false: 0, true: spec.N}[clusters != nil]; e.Synapses != want {
				t.Fatalf("synapses %d, want %d", e.Synapses, want)
			}
			if *e.StepSDCI[0] <= trueSD && trueSD <= *e.StepSDCI[1] {
				coverSD[k]++
			}
			if *e.ChangeSlopeCI[0] <= 1 && 1 <= *e.ChangeSlopeCI[1] {
				coverSlope[k]++
			}
			widthSD[k] += *e.StepSDCI[1] - *e.StepSDCI[0]
		}
	}
	t.Logf("step sd covers %d/%d independent, %d/%d per synapse; slope %d/%d, %d/%d; mean sd width %.4f vs %.4f",
		coverSD[0], reps, coverSD[1], reps, coverSlope[0], reps, coverSlope[1], reps, widthSD[0]/reps, widthSD[1]/reps)
	if float64(coverSD[1]) < 0.85*reps || float64(coverSlope[1]) < 0.85*reps {
		t.Errorf("per-synapse intervals cover %d (sd) and %d (slope) of %d", coverSD[1], coverSlope[1], reps)
	}
	if widthSD[1] <= widthSD[0] {
		t.Errorf("the per-synapse sd interval (%.4f) is not wider than the independent one (%.4f)", widthSD[1]/reps, widthSD[0]/reps)
	}
}

// The per-synapse sums run in a fixed order, so the intervals are the same
// to the last bit on every run.
func TestEffectSizesChainsDeterministic(t *testing.T) {
	p, err := chainSpec.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	o := testgeom.Options{Candidates: []geometry.Potential{geometry.NegEntropy{}}, NullReplicates: -1, Workers: 1, NoStepModels: true, Clusters: p.Synapse}
	var first [4]float64
	for run := range 5 {
		res, err := testgeom.TestPaired(p.Before, p.After, o)
		if err != nil {
			t.Fatal(err)
		}
		e := res.EffectSizes
		got := [4]float64{*e.StepSDCI[0], *e.StepSDCI[1], *e.ChangeSlopeCI[0], *e.ChangeSlopeCI[1]}
		if run == 0 {
			first = got
		} else if got != first {
			t.Fatalf("run %d: %v, first run %v", run, got, first)
		}
	}
}
