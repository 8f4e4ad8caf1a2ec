package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
)

// Flags of one simulate model; the others' flags are refused with it.
var (
	dualshiftFlags = []string{"preset", "init", "init-lit", "n", "step", "shift", "noise-cv", "noise-sd", "turnover", "missing", "groups", "step-df"}
	mirrorFlags    = []string{"dim", "exponent", "points", "corr-power", "corr-scale", "input-noise", "init-sd"}
)

func init() {
	register(&command{
		name:    "simulate",
		summary: "write synthetic before/after weights with a known geometry (dualshift, mirror)",
		usage:   "syngeom simulate dualshift|mirror -o FILE [flags]",
		help: `
Writes synthetic weights of the same synapses before and after learning under
a known geometry, to check the tests on data with a known answer. The output
format follows the extension of -o: .csv, .tsv (optionally .gz) or .parquet
(CSV to a pipe or device such as /dev/stdout).
A summary of what was generated goes to stderr.

dualshift: the paper's prediction itself. Initial weights w0 from --init (or a
  literature entry, --init-lit; see 'syngeom datasets list'), one Gaussian step
  in the dual space of --potential, g(w1) = g(w0) + ξ with ξ ~ N(--shift,
  --step²), inverted with the sign of w0; then measurement noise (--noise-cv
  multiplicative, --noise-sd additive), turnover (zeros) and missing values.
  --preset paper-lognormal / paper-normal is the paper's robustness setting:
  n = 1000, signed log-normal weights with mean = sd = 1/√1000 (or N(0, 0.1²)),
  step 0.1·|g(0.1)|; flags given explicitly override the preset. --groups
  splits the synapses into equal blocks of consecutive ids.
  Laws for --init:
    lognormal:MU,SIGMA      log-normal with log-scale parameters
    lognormal:mean=M,sd=S   log-normal with this mean and sd of the weight
    signed-lognormal:...    either of these with random signs
    normal:MEAN,SD
    twopoint:LOW,HIGH,P     HIGH with probability P, else LOW

mirror: the paper's linear-regression experiment. A linear model with --dim
  weights (w0 ~ N(0, 1/D)) is trained under --potential to zero squared loss on
  N = ⌊D^--exponent⌋ points with ±1 labels; inputs have correlation
  (−1)^k/(1+|k/--corr-scale|^--corr-power) between coordinates k apart, plus
  uniform noise of width --input-noise. The end point of training is computed
  exactly (Newton's method on the dual; any mirror-descent run that reaches zero
  loss ends there). D = 20000 with N = D^0.5 takes seconds.

Columns: id, [group,] before, after; with --long: id, [group,] time (0, 1),
weight. Everything written is synthetic and the Parquet metadata says so.

Examples:
  syngeom simulate dualshift --preset paper-lognormal --potential NE -o pairs.parquet
  syngeom simulate dualshift --init-lit song2005 --potential 2 --step 0.05 --noise-cv 0.1 -n 5000 -o sim.csv
  syngeom simulate mirror --potential 3 --dim 2000 -o mirror.parquet`,
		flags: bind(addSimulateFlags, runSimulateCommand),
	})
}

// simulateFlags are the flags of syngeom simulate.
type simulateFlags struct {
	out        *string
	potential  *string
	seed       *uint64
	long       *bool
	codec      *string
	preset     *string
	initLaw    *string
	initLit    *string
	n          *int
	step       *float64
	shift      *float64
	stepDF     *float64
	noiseCV    *float64
	noiseSD    *float64
	turnover   *float64
	missing    *float64
	groups     *int
	dim        *int
	exponent   *float64
	points     *int
	corrPower  *float64
	corrScale  *float64
	inputNoise *float64
	initSD     *float64
}

// addSimulateFlags declares the flags of syngeom simulate.
func addSimulateFlags(fs *pflag.FlagSet) *simulateFlags {
	f := &simulateFlags{}
	f.out = fs.StringP("output", "o", "", "output file: .csv, .tsv, .csv.gz, .tsv.gz or .parquet (required)")
	f.potential = fs.String("potential", "NE", "true geometry: NE, a p-norm exponent such as 2, or hypentropy:BETA")
	f.seed = fs.Uint64("seed", 1, "random seed (same seed, same file)")
	f.long = fs.Bool("long", false, "write the long layout: one row per synapse and time")
	f.codec = fs.String("compression", "zstd", "Parquet codec: zstd, snappy, gzip, lz4, brotli or none")

	f.preset = fs.String("preset", "", "dualshift: paper-lognormal or paper-normal (the paper's robustness setting)")
	f.initLaw = fs.String("init", "lognormal:-0.702,0.9355", "dualshift: law of the initial weights; the default is Song et al. 2005's EPSP log-normal")
	f.initLit = fs.String("init-lit", "", "dualshift: initial law from a literature entry, e.g. song2005, avermann2012")
	f.n = fs.IntP("n", "n", 1000, "dualshift: number of synapses")
	f.step = fs.Float64("step", 0, "dualshift: sd of the dual step ξ (default: the paper's 0.1·|g(0.1)| for --potential)")
	f.shift = fs.Float64("shift", 0, "dualshift: mean of the dual step ξ")
	f.stepDF = fs.Float64("step-df", 0, "dualshift: degrees of freedom of a Student-t dual step, with --step its scale (0 = Gaussian)")
	f.noiseCV = fs.Float64("noise-cv", 0, "dualshift: multiplicative measurement noise, coefficient of variation (e.g. 0.1)")
	f.noiseSD = fs.Float64("noise-sd", 0, "dualshift: additive measurement noise, standard deviation")
	f.turnover = fs.Float64("turnover", 0, "dualshift: fraction of synapses present at only one time (written as 0)")
	f.missing = fs.Float64("missing", 0, "dualshift: fraction of measurements missing (written as empty/null)")
	f.groups = fs.Int("groups", 0, "dualshift: split the synapses into this many groups g1, g2, …")

	f.dim = fs.Int("dim", 2000, "mirror: number of weights D")
	f.exponent = fs.Float64("exponent", 0.5, "mirror: N = ⌊D^exponent⌋ data points (the paper: 0.5 or 0.75)")
	f.points = fs.Int("points", 0, "mirror: number of data points N (overrides --exponent)")
	f.corrPower = fs.Float64("corr-power", 2, "mirror: c in the input correlation (−1)^k/(1+|k/s|^c) (the paper: 2 or 1)")
	f.corrScale = fs.Float64("corr-scale", 1, "mirror: s in the input correlation (the paper: 1)")
	f.inputNoise = fs.Float64("input-noise", 1, "mirror: width of the uniform noise added to the inputs (the paper: 1)")
	f.initSD = fs.Float64("init-sd", 0, "mirror: sd of the initial weights (default 1/√D, as the paper)")

	return f
}

// runSimulateCommand runs syngeom simulate once its flags are parsed.
func runSimulateCommand(env *runEnv, fs *pflag.FlagSet, f *simulateFlags, args []string) error {
	if len(args) != 1 || (args[0] != "dualshift" && args[0] != "mirror") {
		return usagef("simulate needs a model: dualshift or mirror")
	}
	model := args[0]
	if *f.out == "" {
		return usagef("simulate needs an output file: -o FILE")
	}
	if _, _, ok := ingest.OutputFormat(*f.out); !ok {
		return usagef("-o %s: use a .csv, .tsv, .csv.gz, .tsv.gz or .parquet file name", *f.out)
	}
	other := mirrorFlags
	if model == "mirror" {
		other = dualshiftFlags
	}
	for _, f := range other {
		if fs.Changed(f) {
			return usagef("--%s does not apply to simulate %s", f, model)
		}
	}
	pots, err := geometry.ParseCandidates(*f.potential)
	if err != nil {
		return usagef("--potential: %v", err)
	}
	if len(pots) != 1 {
		return usagef("--potential takes one geometry, not %d", len(pots))
	}
	pot := pots[0]
	wopt := ingest.WriteOptions{Compression: *f.codec}
	layout := datasets.Wide
	if *f.long {
		layout = datasets.Long
	}
	start := time.Now()
	var p *datasets.Pairs
	var extra string
	switch model {
	case "dualshift":
		s, err := dualShiftConfig(fs, pot, *f.preset, *f.initLaw, *f.initLit, *f.n, *f.step, *f.shift, *f.noiseCV, *f.noiseSD, *f.turnover, *f.missing, *f.groups, *f.seed)
		s.StepDF = *f.stepDF
		if err != nil {
			return err
		}
		if p, err = s.Simulate(); err != nil {
			return err
		}
	case "mirror":
		m := datasets.Mirror{Potential: pot, D: *f.dim, Exponent: *f.exponent, N: *f.points, CorrPower: *f.corrPower,
			CorrScale: *f.corrScale, InputNoise: *f.inputNoise, InitSD: *f.initSD, Seed: *f.seed}
		res, err := m.Run()
		if err != nil {
			return err
		}
		p = res.Pairs
		extra = fmt.Sprintf("; N = %d data points, %d Newton iterations, max residual %.1e, change magnitude %.4f",
			res.N, res.Iterations, res.Residual, res.Magnitude)
		if res.Clipped > 1e-12 {
			extra += fmt.Sprintf("; the input correlation is not positive definite at this size: negative "+
				"eigenvalues down to %.1e of the largest were set to zero", res.Clipped)
		}
	}
	if err := p.Write(*f.out, layout, wopt); err != nil {
		return err
	}
	shape := "wide"
	if *f.long {
		shape = "long"
	}
	fmt.Fprintf(env.stderr, "syngeom simulate: wrote %s (%d synapses, %s layout) in %s\n  %s%s\n",
		*f.out, p.Len(), shape, time.Since(start).Round(time.Millisecond), p.Description, extra)
	return nil
}

// dualShiftConfig turns the dualshift flags into a simulator, starting from
// the preset when one is given and overriding it with the flags the user set.
func dualShiftConfig(fs *pflag.FlagSet, pot geometry.Potential, preset, initLaw, initLit string, n int,
	step, shift, noiseCV, noiseSD, turnover, missing float64, groups int, seed uint64) (datasets.DualShift, error) {
	var s datasets.DualShift
	switch preset {
	case "":
		s = datasets.DualShift{Potential: pot, N: 1000, Step: datasets.PaperStep(pot), Seed: seed}
		law, err := datasets.ParseLaw(initLaw)
		if err != nil {
			return s, usagef("--init: %v", err)
		}
		s.Init = law
	case "paper-lognormal", "paper-normal":
		var err error
		if s, err = datasets.PaperRobustness(pot, strings.TrimPrefix(preset, "paper-"), seed); err != nil {
			return s, err
		}
	default:
		return s, usagef("--preset %q: want paper-lognormal or paper-normal", preset)
	}
	if fs.Changed("init") && fs.Changed("init-lit") {
		return s, usagef("give --init or --init-lit, not both")
	}
	if fs.Changed("init") {
		law, err := datasets.ParseLaw(initLaw)
		if err != nil {
			return s, usagef("--init: %v", err)
		}
		s.Init = law
	}
	if initLit != "" {
		law, err := datasets.LiteratureLaw(initLit)
		if err != nil {
			return s, usagef("--init-lit: %v", err)
		}
		s.Init = law
	}
	if fs.Changed("n") {
		s.N = n
	}
	if fs.Changed("step") {
		s.Step = step
	}
	s.Shift, s.NoiseCV, s.NoiseSD, s.Turnover, s.Missing, s.Groups, s.Seed = shift, noiseCV, noiseSD, turnover, missing, groups, seed
	return s, nil
}
