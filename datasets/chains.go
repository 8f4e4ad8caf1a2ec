package datasets

import (
	"fmt"
	"math"

	"github.com/syngeom/syngeom/geometry"
)

// Chains simulates synapses imaged at Sessions times: the initial weight
// from Init, then Sessions − 1 independent dual steps under Potential,
// g(w_{t+1}) = g(w_t) + ξ_t with ξ_t = Shift + b_s + Step·e^{c·z_s}·ε_t, ε_t a
// standard normal (or Student-t with StepDF degrees of freedom) draw, b_s ~ N(0, SynapseSD²) a drift of
// the synapse shared by all its steps and c = SynapseScale. Every step has the same geometry, so
// each consecutive pair (w_t, w_{t+1}) of a chain is a pair of the paired
// test with the true λ; the pairs of one chain share weights (and b_s), so
// they are not independent.
type Chains struct {
	Potential geometry.Potential // the true geometry g
	Init      Law                // law of the first session's weights
	Step      float64            // sd of the step's own part
	Shift     float64            // mean step
	StepDF    float64            // > 0: Student-t steps with Step their scale; 0: Gaussian
	SynapseSD float64            // sd of the drift shared by a synapse's steps
	// SynapseScale > 0 gives each synapse its own step size,
	// Step·exp(SynapseScale·z) with z ~ N(0, 1): its steps' sizes are then
	// correlated (and the pooled step law has heavier tails).
	SynapseScale float64
	Sessions     int    // imaging sessions per synapse (≥ 2)
	N            int    // synapses
	Seed         uint64 // seed of every draw
}

// ChainPairs are the consecutive pairs of simulated chains: pair i is
// (Before[i], After[i]) of synapse Synapse[i] between sessions Step[i] and
// Step[i] + 1.
type ChainPairs struct {
	Before, After []float64 // the weights of each pair
	Synapse       []int32   // the pair's synapse, 0-based
	Step          []int32   // the pair's earlier session, 0-based
}

// Simulate draws the chains; a step leaving the range of the dual map is an
// error (use a smaller step).
func (c Chains) Simulate() (*ChainPairs, error) {
	switch {
	case c.Potential == nil || c.Init == nil:
		return nil, paramErrorf("chains: no potential or initial law")
	case c.Sessions < 2 || c.N < 1:
		return nil, paramErrorf("chains: need at least 2 sessions and 1 synapse, got %d and %d", c.Sessions, c.N)
	case !finiteNonNeg(c.Step) || !finiteNonNeg(c.SynapseSD) || !finiteNonNeg(c.SynapseScale):
		return nil, paramErrorf("chains: step, synapse sd and synapse scale must be finite and ≥ 0")
	case !finiteNonNeg(c.StepDF):
		return nil, paramErrorf("chains: step degrees of freedom must be a finite number ≥ 0 (0: Gaussian), got %v", c.StepDF)
	}
	m := c.N * (c.Sessions - 1)
	out := &ChainPairs{Before: make([]float64, 0, m), After: make([]float64, 0, m),
		Synapse: make([]int32, 0, m), Step: make([]int32, 0, m)}
	r := chunkRand(c.Seed, 0)
	for s := 0; s < c.N; s++ {
		w := c.Init.Rand(r)
		if !c.Potential.Defined(w) {
			return nil, paramErrorf("chains: initial weight %v is outside the domain of %s", w, c.Potential.Name())
		}
		b := c.SynapseSD * r.NormFloat64()
		step := c.Step * math.Exp(c.SynapseScale*r.NormFloat64())
		for t := 0; t+1 < c.Sessions; t++ {
			e := r.NormFloat64()
			if c.StepDF > 0 {
				e = studentT(r, c.StepDF)
			}
			xi := c.Shift + b + step*e
			w1 := c.Potential.Inverse(c.Potential.Dual(w)+xi, geometry.Sign(w))
			if math.IsNaN(w1) || math.IsInf(w1, 0) || w1 == 0 {
				return nil, paramErrorf("chains: the step %v from %v leaves the range of %s's dual map; use a smaller step", xi, w, c.Potential.Name())
			}
			out.Before = append(out.Before, w)
			out.After = append(out.After, w1)
			out.Synapse = append(out.Synapse, int32(s))
			out.Step = append(out.Step, int32(t))
			w = w1
		}
	}
	return out, nil
}

// String describes the simulation in one line.
func (c Chains) String() string {
	return fmt.Sprintf("chains: %d synapses × %d sessions under %s, step scale %s (df %s, 0: Gaussian), shift %s, synapse drift sd %s, synapse step scale %s, seed %d",
		c.N, c.Sessions, c.Potential.Name(), shortNum(c.Step), shortNum(c.StepDF), shortNum(c.Shift), shortNum(c.SynapseSD), shortNum(c.SynapseScale), c.Seed)
}
