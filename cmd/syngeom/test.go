package main

import (
	"context"
	"io"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/report"
	"github.com/syngeom/syngeom/testgeom"
)

func init() {
	register(&command{
		name:    "test",
		summary: "which plasticity geometry fits paired before/after weights (the paper's tests and a likelihood estimate)",
		usage:   "syngeom test FILE... [flags]",
		help: `
Reads the same synapses measured before and after learning and scores each
candidate geometry (negative entropy and p-norms; hypentropy on request) by
the shifts d = g(w1) − g(w0) of its dual map g, as Pogodin et al. (ICLR 2024)
do: the paper's ΔCDF (uncentred and centred) and change magnitude, with
calibrated p-values; Anderson–Darling normality of d; Spearman correlations of
d and of its spread with w0; and the log-likelihood of w1 given w0. A profile
likelihood over the continuous exponent λ = p − 1 (λ = 0 is negative entropy,
λ = 1 Euclidean) gives λ̂ with a 95% interval and tests of the two named
geometries. When the dual steps are heavier-tailed than a Gaussian (an LR
test of a Student-t step model against the Gaussian one), the estimate, its
interval and the tests are the Student-t model's; otherwise the Gaussian
model's, recalibrated by the sandwich variance. The Gaussian-model numbers
are shown beside them. With --consecutive on a long table the pairs of a synapse
count as one unit (scores summed per synapse, bootstrap of whole synapses),
and --group-by-step compares the steps (docs/intervals.md). A bootstrap over
synapses counts how often each candidate wins. Every candidate is scored on
the same pairs, those with both weights nonzero: pairs with a zero weight
(usually turnover) are counted, not compared. The verdict names the geometry
the data are most consistent with, or says that none fits well; p-values at
the floor of their calibration are written as bounds ("p < 0.005, 200
simulations").

Measured weights are noisy: --noise-cv/--noise-sd (or repeated measurements:
--repeat-before/--repeat-after, --noise-from) add a noise-corrected λ̂ next to
the naive one; --control FILE or --control-group NAME compares learning with a
no-learning control; with --group a likelihood-ratio test asks whether all
groups share one λ (docs/noise.md).

Other designs. When the before and after weights are different synapses
(two files, two columns of different length, a --condition column, or
--unpaired), the unpaired test predicts the after law as the before law
convolved with a Gaussian in each candidate's dual space and ranks the
candidates by the distance between predicted and observed (--refine adds a
likelihood estimate of λ; --moments-only uses dual means and variances only).
A single column (--column) gets the single-snapshot fit of a one- or
two-point initial law plus a dual Gaussian per geometry (--detection-limit
for a truncated left tail); its answer is conditional on that assumed
initial law, and it mainly rules geometries out.

Examples:
  syngeom test pairs.csv
  syngeom test spines.csv --before day0 --after day4 --group cell_type
  syngeom test weights.parquet --candidates NE,1.5,2,2.5,3,hypentropy:0.1 --json result.json
  syngeom test spines.csv --noise-cv 0.15 --control baseline.csv
  syngeom test young.csv old.csv --unpaired --column size
  syngeom test em_sizes.csv --column size --detection-limit 160
  syngeom test base.safetensors finetuned.safetensors --tensors 'layers\.[0-3]\.'
  syngeom test base.safetensors finetuned.safetensors --group-by kind

Two network checkpoints (safetensors, sharded Hugging Face directories,
torch.save .pt/.pth/.bin, NumPy .npy/.npz) are paired tensor by tensor and
read in two passes with bounded memory: one group per tensor (or layer kind
or block: --group-by), the pooled test and a test of one λ across groups
(docs/checkpoints.md). --rounding-noise adds λ̂ corrected for rounding to
bfloat16 or float16 as a known multiplicative noise, on a seeded subsample.`,
		flags: bind(addTestFlags, runTestCommand),
	})
}

// testFlags are the flags of syngeom test.
type testFlags struct {
	ingest    *ingest.Options
	noise     *analysis.TestNoise
	cands     *string
	boot      *int
	nullReps  *int
	seed      *uint64
	jsonPath  *string
	design    *designFlags
	byStep    *bool
	streaming *bool
	ckpt      *checkpointFlags
	round     *roundingFlags
}

// addTestFlags declares the flags of syngeom test.
func addTestFlags(fs *pflag.FlagSet) *testFlags {
	f := &testFlags{ingest: addIngestFlags(fs), noise: addNoiseFlags(fs)}
	f.cands = fs.String("candidates", "", `comma-separated geometries: NE, p-norm exponents (p > 1), hypentropy:BETA (default: NE and p = 1.1, 1.2, …, 3.0)`)
	def := testgeom.DefaultOptions()
	f.boot = fs.Int("bootstrap", def.Bootstrap, "resamples of synapses for win frequencies and a percentile interval of λ̂ (0 = none)")
	f.nullReps = fs.Int("null-replicates", def.NullReplicates, "Gaussian-null simulations behind the calibrated ΔCDF p-values (0 = none)")
	f.seed = fs.Uint64("seed", def.Seed, "seed of every random choice (same seed, same output)")
	f.jsonPath = fs.String("json", "", `write the result as JSON to this file ("-" = stdout, instead of the text)`)
	f.design = addDesignFlags(fs) // unpaired samples and single snapshots (test_unpaired.go)
	f.byStep = fs.Bool("group-by-step", false, "with --consecutive: analyse each step (session t → t+1) as a group and test a common λ across steps")
	f.streaming = fs.Bool("stream", false, "read paired files in two passes with bounded memory (each wide file is a shard, a long table one shard, in one file or several; a wide table's synapse ids, when they repeat, are hashed, so that the pairs of one synapse are resampled and summed together as in memory). The default does so by itself, with the in-memory results, for tables of pairs, grouped or not: wide without a synapse id or with ids that never repeat, and long tables paired at two times or with --consecutive (beyond 100,000 pairs a sample of whole synapses then gives the synapse-robust interval's clustering and the bootstrap)")
	f.ckpt = addCheckpointFlags(fs) // network checkpoints (checkpoint.go)
	addGroupByFlag(fs, f.ckpt)
	f.round = addRoundingFlags(fs) // checkpoint_rounding.go
	return f
}

// runTestCommand checks the flags, routes two checkpoints to
// runCheckpointTest (analysis.TestCheckpoints) and tables to
// analysis.Test, and prints the document.
func runTestCommand(env *runEnv, fs *pflag.FlagSet, f *testFlags, args []string) error {
	if len(args) == 0 {
		return usagef("test needs a FILE of paired weights")
	}
	if isCkpt, err := checkpointArgs(args); err != nil || isCkpt {
		if err != nil {
			return err
		}
		o := analysis.CheckpointTestOptions{Test: testgeom.Options{Bootstrap: *f.boot, NullReplicates: *f.nullReps, Seed: *f.seed},
			RoundingNoise: f.round.on, RoundingPairs: f.round.pairs, Noise: *f.noise}
		return runCheckpointTest(env, args, f.ckpt, o, *f.cands, *f.jsonPath)
	}
	if err := f.round.notForTables(fs); err != nil {
		return err
	}
	if fs.Changed("group-by") {
		return usagef("--group-by groups the tensors of network checkpoints; tables of weights are grouped with --group COLUMN")
	}
	if *f.boot < 0 {
		return usagef("--bootstrap must be ≥ 0")
	}
	if *f.nullReps < 0 {
		return usagef("--null-replicates must be ≥ 0")
	}
	if err := f.noise.Validate(); err != nil {
		return err
	}
	o := analysis.TestOptions{Ingest: *f.ingest, Noise: *f.noise, Stream: *f.streaming, GroupByStep: *f.byStep,
		Test:   testgeom.Options{Bootstrap: *f.boot, NullReplicates: *f.nullReps, Seed: *f.seed},
		Refine: *f.design.refine, MomentsOnly: *f.design.momentsOnly, DetectionLimit: *f.design.detectionLimit}
	if *f.cands != "" {
		c, err := geometry.ParseCandidates(*f.cands)
		if err != nil {
			return usagef("--candidates: %v", err)
		}
		o.Test.Candidates = c
	}
	doc, err := analysis.Test(context.Background(), args, o)
	if err != nil {
		return err
	}
	return emitTestDocument(env, *f.jsonPath, doc)
}

// emitTestDocument writes the document of syngeom test as text or JSON.
func emitTestDocument(env *runEnv, jsonPath string, doc *analysis.TestDocument) error {
	return emitResult(env, jsonPath, doc, func(w io.Writer) { report.WriteTestText(w, doc) })
}
