package main

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/report"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// demoAnnouncement is the first line of output when analyze runs on the
// built-in data, so nobody mistakes the demo for their own results.
const demoAnnouncement = "syngeom: no input file given — analysing the built-in SYNTHETIC demo dataset " +
	"(20,000 simulated synapses of two cell types; true geometry: negative entropy). " +
	"Run 'syngeom analyze FILE' on your own data."

// ingestFlagNames are the flags of addIngestFlags; they need a FILE.
var ingestFlagNames = []string{"format", "delimiter", "before", "after", "column", "id", "time", "value",
	"condition", "group", "from", "to", "consecutive", "unpaired", "zero"}

func init() {
	register(&command{
		name:    "analyze",
		summary: "the main job: fits, geometry tests and a verdict, as text, JSON and an HTML report",
		usage:   "syngeom analyze [FILE...] [flags]",
		help: `
Runs the whole analysis of Pogodin et al. (ICLR 2024) on weights measured
before and after learning: reads the table (paired wide or long, unpaired
or a single sample; see 'syngeom inspect'), fits distributions to the
weights before, after and to the dual shifts of the best geometry, tests
every candidate geometry (negative entropy and p-norms) — the paper's
ΔCDF with calibrated p-values, a likelihood estimate of the exponent with
a 95% interval and tests of the Euclidean and negative-entropy geometries,
independence of the shifts from the initial weight, a bootstrap over
synapses — and states which geometry the data are most consistent with,
pooled and per group (--group).

Without FILE it analyses the built-in SYNTHETIC demo dataset and says so
on the first line.

Outputs: a summary on stdout; --json the full result (schema syngeom/1,
see docs/json.md); --html one self-contained page with every figure and a
methods paragraph; --shifts the per-synapse dual shifts (CSV or Parquet by
extension). Files are written atomically. Progress appears on stderr only
when it is a terminal and the run takes a while.

The defaults keep the demo to a few seconds; raise --bootstrap,
--null-replicates and --gof-samples for a publication run (the settings
used are printed and recorded in every output).

Examples:
  syngeom analyze
  syngeom analyze spines.csv --before day0 --after day4 --group animal --html report.html
  syngeom analyze melander.csv --id synapse_id --time session --value green_raw \
      --consecutive --zero=missing --group cell_type --json result.json
  syngeom analyze weights.parquet --shifts shifts.parquet --shift-geometry NE
  syngeom analyze base/ finetuned/ --tensors 'attn' --json layers.json

Given two network checkpoints (safetensors, sharded Hugging Face
directories, torch.save .pt/.pth/.bin, NumPy .npy/.npz) it pairs their
tensors by name, streams them with bounded memory, analyses each tensor (or
layer kind or block: --group-by) as a group and tests one λ across groups;
--html adds a per-layer figure and table (docs/checkpoints.md).`,
		flags: bind(addAnalyzeFlags, runAnalyzeCommand),
	})
}

// analyzeFlags are the flags of syngeom analyze.
type analyzeFlags struct {
	in            *ingest.Options
	cands         *string
	families      *string
	shiftFamilies *string
	seed          *uint64
	boot          *int
	nullReps      *int
	gofSamples    *int
	gofMaxN       *int
	fitMaxN       *int
	shiftGeom     *string
	jsonPath      *string
	htmlPath      *string
	shiftsPath    *string
	quiet         *bool
	detail        *string
	streaming     *bool
	cite          *string
	unit          *string
	ckpt          *checkpointFlags
}

// addAnalyzeFlags declares the flags of syngeom analyze.
func addAnalyzeFlags(fs *pflag.FlagSet) *analyzeFlags {
	f := &analyzeFlags{}
	f.in = addIngestFlags(fs)
	f.cands = fs.String("candidates", "", `comma-separated geometries: NE, p-norm exponents (p > 1), hypentropy:BETA (default: NE and p = 1.1, 1.2, …, 3.0)`)
	f.families = fs.String("families", "", `families fitted to the weights: a comma-separated list, or "positive", "signed", "all" (default: by the sign of the data)`)
	f.shiftFamilies = fs.String("shift-families", "", `families fitted to the dual shifts (default: "signed": normal, student-t, laplace, logistic)`)
	def := analysis.DefaultOptions()
	f.seed = fs.Uint64("seed", def.Test.Seed, "seed of every random choice (same seed, same output)")
	f.boot = fs.Int("bootstrap", def.Test.Bootstrap, "resamples of synapses for win frequencies and a percentile interval of λ̂ (0 = none)")
	f.nullReps = fs.Int("null-replicates", def.Test.NullReplicates, "Gaussian-null simulations behind the calibrated ΔCDF p-values (0 = none)")
	f.gofSamples = fs.Int("gof-samples", def.GOFSamples, "parametric-bootstrap resamples per family for the GOF p-values (0 = none)")
	f.gofMaxN = fs.Int("gof-max-n", def.GOFMaxN, "above this many values the GOF bootstrap runs on a random subsample of this size")
	f.fitMaxN = fs.Int("fit-max-n", def.FitMaxN, "above this many values distributions are fitted to a random subsample of this size")
	f.shiftGeom = fs.String("shift-geometry", def.ShiftGeometry, `geometry of the fitted and written dual shifts: "best", "NE" or a p-norm exponent such as 2`)
	f.jsonPath = fs.String("json", "", `write the full result as JSON to this file ("-" = stdout, instead of the text)`)
	f.htmlPath = fs.String("html", "", "write a self-contained HTML report to this file")
	f.shiftsPath = fs.String("shifts", "", "write the per-synapse dual shifts to this file (.csv, .tsv, .parquet)")
	f.quiet = fs.Bool("quiet", false, "no progress and no summary on stdout: only the requested files (and errors)")
	f.detail = fs.String("detail", "", `text summary: "groups" adds each group's full analysis after the summary by group (default: the summary only; --json and --html hold everything)`)
	f.streaming = fs.Bool("stream", false, "read paired files in two passes with bounded memory (each wide file is a shard, a long table one shard, in one file or several; the same results, figures and --shifts as in memory). The default does so by itself for tables of pairs, grouped or not: wide without a synapse id or with ids that never repeat, and long tables paired at two times or with --consecutive (beyond 100,000 pairs a sample of whole synapses then gives the synapse-robust interval's clustering, the bootstrap and the figures)")
	f.cite = fs.String("cite", "", `citation of the data, shown in the methods and recorded in the JSON (default: the Parquet key-value metadata "citation", if any)`)
	f.unit = fs.String("unit", "", `unit of the weights on the figures' axes, short, e.g. "nm³" (default "a.u.", arbitrary units)`)
	f.ckpt = addCheckpointFlags(fs) // network checkpoints (checkpoint.go)
	addGroupByFlag(fs, f.ckpt)
	return f
}

// runAnalyzeCommand checks the flags, routes two checkpoints to
// runCheckpointAnalyze, the demo to analysis.RunDemo and tables to the
// streamed or in-memory analysis, and writes the outputs.
func runAnalyzeCommand(env *runEnv, fs *pflag.FlagSet, f *analyzeFlags, args []string) error {
	if *f.detail != "" && *f.detail != "groups" {
		return usagef("--detail: %q is not a detail level (the only one is \"groups\")", *f.detail)
	}
	if *f.gofMaxN == 0 || *f.fitMaxN == 0 { // 0 means the default in the library only
		return usagef("--gof-max-n must be ≥ 1 and --fit-max-n ≥ 10")
	}
	opts := analysis.Options{Test: testgeom.Options{Seed: *f.seed, Bootstrap: *f.boot, NullReplicates: *f.nullReps},
		GOFSamples: *f.gofSamples, GOFMaxN: *f.gofMaxN, FitMaxN: *f.fitMaxN, ShiftGeometry: *f.shiftGeom}
	if err := opts.Validate(); err != nil {
		return err
	}
	var err error
	if *f.cands != "" {
		if opts.Test.Candidates, err = geometry.ParseCandidates(*f.cands); err != nil {
			return usagef("--candidates: %v", err)
		}
	}
	if opts.Families, err = fit.ParseFamilySet(*f.families); err != nil {
		return usagef("--families: %v", err)
	}
	if *f.shiftFamilies != "" {
		if opts.ShiftFamilies, err = fit.ParseFamilySet(*f.shiftFamilies); err != nil {
			return usagef("--shift-families: %v", err)
		}
	}
	opts.ShiftGeometry, _ = analysis.ParseShiftGeometry(*f.shiftGeom) // checked by Validate
	if isCkpt, err := checkpointArgs(args); err != nil || isCkpt {
		if err == nil && *f.shiftsPath != "" {
			err = usagef("on network checkpoints analyze writes the text, JSON and HTML results only (no --shifts: the pairs are streamed)")
		}
		if err == nil && *f.cite != "" {
			err = usagef("--cite is recorded for tables of weights only, not for network checkpoints")
		}
		if err != nil {
			return err
		}
		page := report.AnalysisPageOptions{Footer: fmt.Sprintf("syngeom %s (%s)", version, runtime.Version()),
			Version: buildVersion(), CommandLine: commandLine(env.args), Unit: *f.unit}
		return runCheckpointAnalyze(env, args, f.ckpt, opts, stdoutAlias(*f.jsonPath), *f.htmlPath, page, *f.quiet)
	}
	if fs.Changed("group-by") {
		return usagef("--group-by groups the tensors of network checkpoints; tables of weights are grouped with --group COLUMN")
	}
	demo := len(args) == 0
	if demo {
		var given []string
		for _, n := range ingestFlagNames {
			if fs.Changed(n) {
				given = append(given, "--"+n)
			}
		}
		if len(given) > 0 {
			verb := "describe"
			if len(given) == 1 {
				verb = "describes"
			}
			return usagef("%s %s an input FILE, but none was given (without FILE analyze runs on the built-in demo)", strings.Join(given, ", "), verb)
		}
	}
	if *f.streaming && demo {
		return usagef("--stream needs input FILEs")
	}
	*f.jsonPath = stdoutAlias(*f.jsonPath)
	fileToStdout, err := stdoutOutputs(map[string]string{"json": *f.jsonPath, "html": *f.htmlPath, "shifts": *f.shiftsPath})
	if err != nil {
		return err
	}
	if *f.jsonPath == "-" && *f.quiet {
		*f.quiet = false // the JSON is what was asked for on stdout
	}
	// With an output on stdout, stdout holds that output only.
	announce := env.stdout
	if fileToStdout {
		announce = env.stderr
	}
	if demo && !*f.quiet {
		fmt.Fprintln(announce, demoAnnouncement)
	}
	prog := newProgress(env.stderr, !*f.quiet)
	opts.Progress = prog.status
	var res *analysis.Result
	switch {
	case demo:
		res, err = analysis.RunDemo(opts)
	case *f.streaming:
		res, err = analysis.RunStream(stream.Config{Files: args, Ingest: *f.in}, opts)
	default:
		// Streams by itself when that gives the in-memory result.
		res, err = analysis.Run(args, *f.in, opts)
	}
	if err == nil && !demo {
		err = analysis.NoUsablePairs(args, res.Scope.Geometry.Paired, res.Input.Excluded)
	}
	if err == nil && !demo {
		res.Input.Citation = *f.cite
		if *f.cite == "" {
			res.Input.Citation, err = parquetCitation(args)
		}
	}
	if err != nil {
		prog.done()
		return err
	}
	page := report.AnalysisPageOptions{
		Footer:      fmt.Sprintf("syngeom %s (%s)", version, runtime.Version()),
		Version:     buildVersion(),
		CommandLine: commandLine(env.args),
		Unit:        *f.unit,
	}
	err = writeAnalysisOutputs(env, res, prog, *f.jsonPath, *f.htmlPath, *f.shiftsPath, *f.quiet, page)
	prog.done()
	if err != nil {
		return err
	}
	if *f.jsonPath == "-" {
		return encodeJSON(env.stdout, res)
	}
	if !*f.quiet {
		return report.WriteAnalysisTextWith(announce, res, report.TextOptions{GroupDetail: *f.detail == "groups"})
	}
	return nil
}

// writeAnalysisOutputs writes the requested files; each is complete or
// absent.
func writeAnalysisOutputs(env *runEnv, res *analysis.Result, prog *progress, jsonPath, htmlPath, shiftsPath string, quiet bool, page report.AnalysisPageOptions) error {
	say := func(format string, a ...any) {
		if !quiet {
			prog.clear()
			fmt.Fprintf(env.stderr, format+"\n", a...)
		}
	}
	if shiftsPath != "" {
		prog.status("writing the dual shifts to " + shiftsPath)
		name, err := res.WriteShifts(shiftsPath, res.Settings.ShiftGeometry)
		if err != nil {
			return err
		}
		say("syngeom analyze: wrote the dual shifts under %s to %s", name, shiftsPath)
	}
	if jsonPath != "" && jsonPath != "-" {
		if err := writeJSONFile(jsonPath, res); err != nil {
			return err
		}
		say("syngeom analyze: wrote %s", jsonPath)
	}
	if htmlPath != "" {
		prog.status("drawing the figures of " + htmlPath)
		doc, err := report.AnalysisDocument(res, page)
		if err != nil {
			return err
		}
		if err := report.WriteFileAtomic(htmlPath, doc.WriteHTML); err != nil {
			return err
		}
		say("syngeom analyze: wrote %s", htmlPath)
	}
	return nil
}
