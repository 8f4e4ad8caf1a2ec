package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/power"
	"github.com/syngeom/syngeom/report"
	"github.com/syngeom/syngeom/testgeom"
)

func init() {
	register(&command{
		name:    "power",
		summary: "how many synapses are needed to tell the geometries apart (simulates whole experiments)",
		usage:   "syngeom power [flags]",
		help: `
Plans an experiment by simulation. For each sample size in --n it simulates
--sims whole experiments — initial weights from --init (or a literature entry,
--init-lit, or the values of a file, --init-file), one Gaussian step in the
dual space of the true geometry --potential, measurement noise — and runs the
same analysis as 'syngeom test' on each. The table gives, per sample size and
method, how often the answer lies in the true family (the named geometry
nearest to the estimated exponent: negative entropy p = 1, Euclidean p = 2,
or p = 3), how often Euclidean is rejected at 5%, and the median width of
the 95% interval of λ = p − 1.

Methods: paired designs report the paper's ΔCDF argmin ("dcdf"; its test of
Euclidean needs --null-replicates) and the likelihood estimate λ̂
("likelihood"); unpaired designs (--unpaired: different synapses before and
after) report the smallest scaled distance ("unpaired_distance"; Euclidean
is rejected when it cannot explain the change) and, with --refine, the
unpaired likelihood.

The change size is --step (sd of the dual step) or, by default, --change
times the dual sd of the initial law under the true geometry. Every
simulation has its own seed, so the table is reproducible at any number of
cores.

Examples:
  syngeom power --init-lit song2005 --noise-cv 0.2 --n 100,300,1000,3000
  syngeom power --potential 2 --change 0.3 --unpaired --n 1000,5000 --sims 100`,
		flags: bind(addPowerFlags, runPowerCommand),
	})
}

// powerFlags are the flags of syngeom power.
type powerFlags struct {
	ns         *[]int
	initLaw    *string
	initLit    *string
	initFile   *string
	initColumn *string
	potential  *string
	step       *float64
	change     *float64
	shift      *float64
	noiseCV    *float64
	noiseSD    *float64
	unpaired   *bool
	refine     *bool
	sims       *int
	seed       *uint64
	cands      *string
	nullReps   *int
	jsonPath   *string
}

// addPowerFlags declares the flags of syngeom power.
func addPowerFlags(fs *pflag.FlagSet) *powerFlags {
	f := &powerFlags{}
	f.ns = fs.IntSlice("n", []int{100, 300, 1000, 3000}, "sample sizes (synapses per experiment, per sample when unpaired)")
	f.initLaw = fs.String("init", "lognormal:-0.702,0.9355", "law of the initial weights (default: Song et al. 2005's EPSP log-normal); "+datasets.LawSyntax)
	f.initLit = fs.String("init-lit", "", "initial law from a literature entry, e.g. song2005 (see 'syngeom datasets list')")
	f.initFile = fs.String("init-file", "", "initial law: resample the weights of this file (one column; see --init-column)")
	f.initColumn = fs.String("init-column", "", "column of --init-file (default: detected)")
	f.potential = fs.String("potential", "NE", "true geometry: NE or a p-norm exponent such as 2")
	f.step = fs.Float64("step", math.NaN(), "sd of the dual step ξ (default: --change × the dual sd of the initial law)")
	f.change = fs.Float64("change", 0.15, "change size relative to the dual spread of the initial weights (used without --step)")
	f.shift = fs.Float64("shift", 0, "mean of the dual step ξ")
	f.noiseCV = fs.Float64("noise-cv", 0, "multiplicative measurement noise, coefficient of variation (e.g. 0.2)")
	f.noiseSD = fs.Float64("noise-sd", 0, "additive measurement noise, standard deviation")
	f.unpaired = fs.Bool("unpaired", false, "different synapses are measured before and after (the unpaired test)")
	f.refine = fs.Bool("refine", false, "unpaired: also run the likelihood refinement (slow)")
	f.sims = fs.Int("sims", 200, "simulated experiments per sample size")
	f.seed = fs.Uint64("seed", 1, "seed of the plan (same seed, same table)")
	f.cands = fs.String("candidates", "", "geometries the analysis compares (default: NE and p = 1.1 … 3.0 paired; NE,1.5,2,2.5,3 unpaired)")
	f.nullReps = fs.Int("null-replicates", 0, "paired: Gaussian-null simulations per experiment to calibrate ΔCDF and test Euclidean with it (0 = none; costly)")
	f.jsonPath = fs.String("json", "", `write the table as JSON to this file ("-" = stdout, instead of the text)`)
	return f
}

// runPowerCommand runs syngeom power once its flags are parsed.
func runPowerCommand(env *runEnv, fs *pflag.FlagSet, f *powerFlags, args []string) error {
	if len(args) > 0 {
		return usagef("power takes no file arguments (use --init-file for an initial law from data)")
	}
	d := power.Design{Ns: *f.ns, Shift: *f.shift, NoiseCV: *f.noiseCV, NoiseSD: *f.noiseSD, Unpaired: *f.unpaired,
		Refine: *f.refine, Sims: *f.sims, Test: testgeom.Options{Seed: *f.seed, NullReplicates: *f.nullReps}}
	if *f.refine && !*f.unpaired {
		return usagef("--refine applies to --unpaired designs")
	}
	if *f.nullReps < 0 {
		return usagef("--null-replicates must be ≥ 0")
	}
	pots, err := geometry.ParseCandidates(*f.potential)
	if err != nil || len(pots) != 1 {
		return usagef("--potential: want one geometry such as NE or 2")
	}
	d.Truth = pots[0]
	if d.Init, err = powerInitLaw(fs, *f.initLaw, *f.initLit, *f.initFile, *f.initColumn); err != nil {
		return err
	}
	switch {
	case *f.cands != "":
		if d.Test.Candidates, err = geometry.ParseCandidates(*f.cands); err != nil {
			return usagef("--candidates: %v", err)
		}
	case *f.unpaired:
		d.Test.Candidates = testgeom.SnapshotCandidates()
	}
	if fs.Changed("step") {
		if !(*f.step >= 0) || math.IsInf(*f.step, 0) {
			return usagef("--step must be a finite number ≥ 0")
		}
		d.Step = *f.step
	} else {
		if !(*f.change >= 0) || math.IsInf(*f.change, 0) {
			return usagef("--change must be a finite number ≥ 0")
		}
		sd, err := dualSpread(d.Init, d.Truth)
		if err != nil {
			return err
		}
		d.Step = *f.change * sd
	}
	start := time.Now()
	res, err := d.Run()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "syngeom power: %d simulated experiments in %s\n", len(d.Ns)*d.Sims, time.Since(start).Round(time.Millisecond))
	return emitResult(env, *f.jsonPath, res, func(w io.Writer) { printPower(w, res) })
}

// powerInitLaw picks the initial law from exactly one of the three sources.
func powerInitLaw(fs *pflag.FlagSet, law, lit, file, column string) (datasets.Law, error) {
	given := 0
	for _, f := range []string{"init", "init-lit", "init-file"} {
		if fs.Changed(f) {
			given++
		}
	}
	if given > 1 {
		return nil, usagef("give one of --init, --init-lit and --init-file")
	}
	switch {
	case lit != "":
		l, err := datasets.LiteratureLaw(lit)
		if err != nil {
			return nil, usagef("--init-lit: %v", err)
		}
		return l, nil
	case file != "":
		data, err := ingest.Load([]string{file}, ingest.Options{Column: column})
		if err != nil {
			return nil, err
		}
		if data.Shape != ingest.ShapeSingle || len(data.Before) == 0 {
			return nil, usagef("--init-file %s: want one column of weights (use --init-column)", file)
		}
		return power.Empirical{Values: data.Before, Source: file}, nil
	}
	l, err := datasets.ParseLaw(law)
	if err != nil {
		return nil, usagef("--init: %v", err)
	}
	return l, nil
}

// dualSpread is the sd of g(w0) under the initial law, from 100,000 draws of
// a fixed stream (so the step, and the table, are reproducible).
func dualSpread(law datasets.Law, pot geometry.Potential) (float64, error) {
	r := rand.New(rand.NewPCG(0x73707264, 1))
	var n, mean, m2 float64
	for i := 0; i < 100000; i++ {
		w := law.Rand(r)
		if !pot.Defined(w) {
			continue
		}
		x := pot.Dual(w)
		n++
		d := x - mean
		mean += d / n
		m2 += d * (x - mean)
	}
	if n < 2 || !(m2 > 0) || math.IsInf(m2, 0) {
		return 0, usagef("the initial law %s has no spread in the dual space of %s; give --step", law, pot.Name())
	}
	return math.Sqrt(m2 / (n - 1)), nil
}

func printPower(w io.Writer, res *power.Result) {
	fmt.Fprintf(w, "syngeom power: %s\ntrue family: %s\n\n", res.Description, res.TrueFamily)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "n\tmethod\tP(right family)\tP(reject Euclidean)\tmedian λ CI width\tno answer\t")
	for _, r := range res.Rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t\n", r.N, r.Method, report.NumText(r.PRightFamily, "%.3f"),
			report.NumText(r.PRejectEuclidean, "%.3f"), report.NumText(r.MedianCIWidth, "%.3f"), r.NoAnswer)
	}
	tw.Flush()
	var notes []string
	seen := map[string]bool{}
	for _, r := range res.Rows {
		if r.RejectNote != "" && !seen[r.Method] {
			seen[r.Method] = true
			notes = append(notes, fmt.Sprintf("  %s: %s", r.Method, r.RejectNote))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\nrejecting Euclidean means:\n%s\n", strings.Join(notes, "\n"))
	}
	for _, r := range res.Rows {
		if r.Method == power.MethodDCDF && r.PRejectEuclidean == nil {
			fmt.Fprintln(w, "(dcdf: without --null-replicates the paper's ΔCDF has no test of Euclidean, hence –)")
			break
		}
	}
}
