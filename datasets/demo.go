package datasets

import (
	"math"

	"github.com/syngeom/syngeom/geometry"
)

// DemoName is the name of the built-in demo dataset.
const DemoName = "demo"

// demoSeed fixes the demo table; changing it changes every demo output.
const demoSeed = 20051

// Demo is the built-in demonstration table: 20,000 synthetic synapses of
// two cell types measured before and after learning. It is generated in code
// and identical on every call.
//
// Both types start log-normal with Song et al. (2005)'s σ = 0.9355; type A
// has their μ = −0.702 (median 0.50 mV), type B is half the size (μ − ln 2).
// Learning is one Gaussian step in negative-entropy dual space, log w1 =
// log w0 + ξ with ξ ~ N(0.03, 0.2²): changes of about 20% proportional to
// size. Each measurement has multiplicative noise of CV 0.1; 4% of synapses
// turn over (zero before or after) and about 0.2% of measurements are
// missing (NaN). So the truth is NE, and every reporting path (groups,
// zeros, missing values, noise) has something to show.
func Demo() *Pairs {
	base := DualShift{
		Potential: geometry.NegEntropy{},
		Step:      0.2,
		Shift:     0.03,
		NoiseCV:   0.1,
		Turnover:  0.04,
		Missing:   0.002,
	}
	a, b := base, base
	a.Init, a.N, a.Seed = LogNormal{MeanLog: -0.702, SDLog: 0.9355}, 12000, demoSeed
	b.Init, b.N, b.Seed = LogNormal{MeanLog: -0.702 - math.Ln2, SDLog: 0.9355}, 8000, demoSeed+1
	pa, err := a.Simulate()
	if err != nil {
		panic("datasets: demo type A: " + err.Error())
	}
	pb, err := b.Simulate()
	if err != nil {
		panic("datasets: demo type B: " + err.Error())
	}
	pa.Group, pa.GroupNames = make([]int32, pa.Len()), []string{"type_A"}
	pb.Group, pb.GroupNames = make([]int32, pb.Len()), []string{"type_B"}
	return concat(DemoName,
		"SYNTHETIC demo data (not a measurement): 20,000 synapses of two cell types (type_A: 12,000, "+
			"log-normal initial sizes with Song et al. 2005's mu = −0.702, sigma = 0.9355, ln mV; type_B: "+
			"8,000, half the size), one Gaussian step in negative-entropy dual space (log-change "+
			"N(0.03, 0.2²)), multiplicative measurement noise CV 0.1, 4% turnover (zeros), about 0.2% of "+
			"measurements missing (NaN); true geometry NE",
		pa, pb)
}
