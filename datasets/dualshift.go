package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/parallel"
	"github.com/syngeom/syngeom/internal/splitmix"
	"gonum.org/v1/gonum/stat/distuv"
)

// DualShift simulates the paper's prediction directly: initial weights w0
// from Init, one Gaussian step in the dual space of Potential,
//
//	g(w1) = g(w0) + ξ,  ξ ~ N(Shift, Step²) independent of w0,
//
// (or ξ = Shift + Step·T with T a standard Student-t when StepDF > 0), inverted with the sign of w0 (sign-preserving potentials such as NE
// need it), then measurement noise, turnover and missing values on top.
type DualShift struct {
	Potential geometry.Potential // the true geometry
	Init      Law                // law of the initial weights
	Step      float64            // sd of the dual step ξ (its scale when StepDF > 0)
	Shift     float64            // mean of the dual step ξ (its centre when StepDF > 0)
	// StepDF, when positive, makes the dual step heavy-tailed: a Student-t
	// with StepDF degrees of freedom instead of a Gaussian.
	StepDF float64
	// NoiseCV is multiplicative measurement noise: each measured value is
	// w·m with m log-normal of mean 1 and coefficient of variation NoiseCV,
	// drawn independently before and after.
	NoiseCV float64
	// NoiseSD is additive measurement noise: w + N(0, NoiseSD²). Applied
	// after the multiplicative noise when both are set.
	NoiseSD float64
	// Turnover is the fraction of synapses present at only one time: half
	// of them are formed (before = 0), half eliminated (after = 0).
	Turnover float64
	// Missing is the fraction of measurements lost (NaN), independently
	// before and after.
	Missing float64
	N       int    // number of synapses
	Groups  int    // split the synapses into this many equal groups g1, g2, …; 0 or 1 for none
	Seed    uint64 // same seed, same table
	Name    string // table name; "" gives "dualshift"
}

// PaperStep is the dual step size of the paper's robustness experiment,
// 0.1·|g(0.1)|: the scale of the dual map at the weight scale 1/√100.
func PaperStep(p geometry.Potential) float64 { return 0.1 * math.Abs(p.Dual(0.1)) }

// PaperRobustness is the paper's robustness setting (plots.py): n = 1000,
// initial weights log-normal with mean = sd = 1/√1000 and random signs
// (init "lognormal") or N(0, 0.1²) (init "normal"), and one dual step
// ξ ~ N(0, (0.1·g(0.1))²). The true potential scores ΔCDF ≈ 0.035 there.
func PaperRobustness(p geometry.Potential, init string, seed uint64) (DualShift, error) {
	var law Law
	switch init {
	case "lognormal":
		s := 1 / math.Sqrt(1000)
		law = LogNormalFromMoments(s, s, true)
	case "normal":
		law = Normal{Mean: 0, SD: 0.1}
	default:
		return DualShift{}, paramErrorf("paper robustness init %q: want lognormal or normal", init)
	}
	return DualShift{Potential: p, Init: law, Step: PaperStep(p), N: 1000, Seed: seed,
		Name: "robustness-" + init + "-" + p.Name()}, nil
}

func (s DualShift) validate() error {
	switch {
	case s.Potential == nil:
		return paramErrorf("dualshift: no potential")
	case s.Init == nil:
		return paramErrorf("dualshift: no initial law")
	case s.N < 1:
		return paramErrorf("dualshift: n must be at least 1, got %d", s.N)
	case !finiteNonNeg(s.Step):
		return paramErrorf("dualshift: step must be a finite number ≥ 0, got %v", s.Step)
	case !finiteNonNeg(s.StepDF):
		return paramErrorf("dualshift: step degrees of freedom must be a finite number ≥ 0 (0: Gaussian), got %v", s.StepDF)
	case math.IsNaN(s.Shift) || math.IsInf(s.Shift, 0):
		return paramErrorf("dualshift: shift must be finite, got %v", s.Shift)
	case !finiteNonNeg(s.NoiseCV) || !finiteNonNeg(s.NoiseSD):
		return paramErrorf("dualshift: noise must be finite and ≥ 0")
	case !(s.Turnover >= 0 && s.Turnover <= 1):
		return paramErrorf("dualshift: turnover must be a fraction in [0, 1], got %v", s.Turnover)
	case !(s.Missing >= 0 && s.Missing <= 1):
		return paramErrorf("dualshift: missing must be a fraction in [0, 1], got %v", s.Missing)
	case s.Groups < 0 || s.Groups > s.N:
		return paramErrorf("dualshift: groups must be between 0 and n, got %d", s.Groups)
	}
	return nil
}

// shortNum writes a number for people (6 significant digits); laws keep
// full precision so that their text can be parsed back.
func shortNum(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func finiteNonNeg(x float64) bool { return x >= 0 && !math.IsInf(x, 0) }

// Describe says in one line how the table is made.
func (s DualShift) Describe() string {
	var b strings.Builder
	if s.StepDF > 0 {
		fmt.Fprintf(&b, "synthetic: %d synapses, initial law %s, one dual step under %s with ξ = %s + %s·t(%s)",
			s.N, s.Init, s.Potential.Name(), shortNum(s.Shift), shortNum(s.Step), shortNum(s.StepDF))
	} else {
		fmt.Fprintf(&b, "synthetic: %d synapses, initial law %s, one dual step under %s with ξ ~ N(%s, %s²)",
			s.N, s.Init, s.Potential.Name(), shortNum(s.Shift), shortNum(s.Step))
	}
	if s.NoiseCV > 0 {
		fmt.Fprintf(&b, ", multiplicative noise CV %s", shortNum(s.NoiseCV))
	}
	if s.NoiseSD > 0 {
		fmt.Fprintf(&b, ", additive noise sd %s", shortNum(s.NoiseSD))
	}
	if s.Turnover > 0 {
		fmt.Fprintf(&b, ", turnover %s (zeros)", shortNum(s.Turnover))
	}
	if s.Missing > 0 {
		fmt.Fprintf(&b, ", missing %s (NaN)", shortNum(s.Missing))
	}
	if s.Groups > 1 {
		fmt.Fprintf(&b, ", %d groups", s.Groups)
	}
	fmt.Fprintf(&b, ", seed %d", s.Seed)
	return b.String()
}

// simChunk is the number of synapses drawn from one random stream. Streams
// are seeded from (Seed, chunk index), so the table does not depend on how
// chunks are spread over goroutines.
const simChunk = 1 << 14

// Simulate draws the table.
func (s DualShift) Simulate() (*Pairs, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	n := s.N
	p := &Pairs{
		Name:        s.Name,
		Description: s.Describe(),
		ID:          make([]int64, n),
		Before:      make([]float64, n),
		After:       make([]float64, n),
	}
	if p.Name == "" {
		p.Name = "dualshift"
	}
	if s.Groups > 1 {
		p.Group = make([]int32, n)
		for g := range s.Groups {
			p.GroupNames = append(p.GroupNames, fmt.Sprintf("g%d", g+1))
		}
	}
	noiseSigma := math.Sqrt(math.Log1p(s.NoiseCV * s.NoiseCV))
	chunks := (n + simChunk - 1) / simChunk
	errs := make([]error, chunks)
	parallel.For(chunks, parallel.Workers(0), func(c, _ int) {
		r := chunkRand(s.Seed, uint64(c))
		for i := c * simChunk; i < min(n, (c+1)*simChunk); i++ {
			p.ID[i] = int64(i + 1)
			if p.Group != nil {
				p.Group[i] = int32(int64(i) * int64(s.Groups) / int64(n))
			}
			// Draw every variate in a fixed order whether used or not, so
			// a setting changes only the values it concerns.
			uTurn, uMiss0, uMiss1 := r.Float64(), r.Float64(), r.Float64()
			w0 := s.Init.Rand(r)
			xi := s.Shift + s.Step*r.NormFloat64()
			e0, e1, a0, a1 := r.NormFloat64(), r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
			if s.StepDF > 0 {
				// Drawn last, so Gaussian tables are unchanged.
				xi = s.Shift + s.Step*studentT(r, s.StepDF)
			}
			if !s.Potential.Defined(w0) {
				if errs[c] == nil {
					errs[c] = paramErrorf("dualshift: initial weight %v is outside the domain of %s (law %s)", w0, s.Potential.Name(), s.Init)
				}
				continue
			}
			w1 := s.Potential.Inverse(s.Potential.Dual(w0)+xi, geometry.Sign(w0))
			if math.IsNaN(w1) || math.IsInf(w1, 0) {
				if errs[c] == nil {
					errs[c] = paramErrorf("dualshift: the step %v from w0 = %v leaves the range of %s's dual map; use a smaller step", xi, w0, s.Potential.Name())
				}
				continue
			}
			before := measure(w0, noiseSigma, s.NoiseSD, e0, a0)
			after := measure(w1, noiseSigma, s.NoiseSD, e1, a1)
			switch {
			case uTurn < s.Turnover/2:
				before = 0
			case uTurn < s.Turnover:
				after = 0
			}
			if uMiss0 < s.Missing {
				before = math.NaN()
			}
			if uMiss1 < s.Missing {
				after = math.NaN()
			}
			p.Before[i], p.After[i] = before, after
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// measure applies log-normal multiplicative noise of log-sd sigma (mean 1)
// and additive noise of sd add, from the standard normal draws e and a.
func measure(w, sigma, add, e, a float64) float64 {
	if sigma > 0 {
		w *= math.Exp(sigma*e - sigma*sigma/2)
	}
	return w + add*a
}

// chunkRand is the random stream of one chunk: PCG seeded through
// splitmix64 so that neighbouring chunks and seeds give unrelated streams.
func chunkRand(seed, chunk uint64) *rand.Rand {
	a := splitmix.Mix(seed ^ splitmix.Mix(chunk+0x632be59bd9b4e019))
	return rand.New(rand.NewPCG(a, splitmix.Mix(a)))
}

// studentT draws a standard Student-t with df degrees of freedom: a
// standard normal over √(χ²_df/df).
func studentT(r *rand.Rand, df float64) float64 {
	z := r.NormFloat64()
	v := distuv.ChiSquared{K: df, Src: r}.Rand()
	return z / math.Sqrt(v/df)
}
