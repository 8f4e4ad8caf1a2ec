package main

import (
	"context"
	"fmt"
	"io"
	"regexp"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/report"
)

// checkpointFlags choose the tensors of two network checkpoints and how
// they form groups.
type checkpointFlags struct {
	tensors     string
	groupBy     string
	groupSample int
	groupBoot   int
}

func addCheckpointFlags(fs *pflag.FlagSet) *checkpointFlags {
	f := &checkpointFlags{}
	fs.StringVar(&f.tensors, "tensors", "", "network checkpoints: analyse the tensors whose names match this regular expression (default: every float tensor with two or more dimensions)")
	return f
}

// addGroupByFlag adds --group-by, for the commands that test groups.
func addGroupByFlag(fs *pflag.FlagSet, f *checkpointFlags) {
	fs.StringVar(&f.groupBy, "group-by", "tensor", `network checkpoints: one group per "tensor", per layer "kind" (attention q/k/v/o, mlp, embedding, norm, bias, conv, other) or per "block" (the index in layers.3., h.3., …)`)
	fs.IntVar(&f.groupSample, "group-sample", analysis.DefaultGroupSample, "network checkpoints: pairs of each group's subsample for its bootstrap, diagnostics, step models and effect sizes (the pooled test keeps 100000; ΔCDF, λ̂ and LR tests use every pair)")
	fs.IntVar(&f.groupBoot, "group-bootstrap", 0, "network checkpoints: bootstrap resamples of each tensor or group's subsample (0: none; the pooled test resamples --bootstrap times; each group's interval is its robust LR interval either way)")
}

// checkpointArgs reports whether the arguments are two network checkpoints
// (safetensors, torch.save archives, NumPy .npy/.npz; a directory or index
// file of a sharded safetensors checkpoint). One checkpoint with one table,
// or a number of checkpoints other than two, is a usage error.
func checkpointArgs(args []string) (bool, error) {
	var n int
	for _, a := range args {
		if checkpoint.Detect(a) != "" {
			n++
		}
	}
	switch {
	case n == 0:
		return false, nil
	case n == 2 && len(args) == 2:
		return true, nil
	}
	return false, usagef("network checkpoints are compared two at a time: BEFORE AFTER (got %d files, %d of them checkpoints)", len(args), n)
}

// openCheckpointPair parses --tensors and --group-by, and opens and pairs
// two checkpoints.
func openCheckpointPair(args []string, f *checkpointFlags) (*checkpoint.Source, error) {
	var re *regexp.Regexp
	if f.tensors != "" {
		var err error
		if re, err = regexp.Compile(f.tensors); err != nil {
			return nil, usagef("--tensors: %v", err)
		}
	}
	by, err := checkpoint.ParseGroupBy(f.groupBy)
	if err != nil {
		return nil, usagef("--group-by: %q is not a way of grouping tensors (tensor, kind or block)", f.groupBy)
	}
	src, err := checkpoint.NewSource(args[0], args[1], re)
	if err != nil {
		return nil, err
	}
	src.GroupBy = by
	return src, nil
}

// runCheckpointTest runs analysis.TestCheckpoints on two checkpoints and
// prints its document.
func runCheckpointTest(env *runEnv, args []string, f *checkpointFlags, opts analysis.CheckpointTestOptions, cands, jsonPath string) error {
	opts.GroupSample, opts.GroupBootstrap = f.groupSample, f.groupBoot
	if err := opts.Validate(); err != nil {
		return err
	}
	src, err := openCheckpointPair(args, f)
	if err != nil {
		return err
	}
	defer src.Close()
	if cands != "" {
		if opts.Test.Candidates, err = geometry.ParseCandidates(cands); err != nil {
			return usagef("--candidates: %v", err)
		}
	}
	doc, err := analysis.TestCheckpoints(context.Background(), src, opts)
	if err != nil {
		return err
	}
	return emitResult(env, jsonPath, doc, func(w io.Writer) { report.WriteCheckpointTestText(w, doc) })
}

// runCheckpointAnalyze runs analysis.AnalyzeCheckpoints on two checkpoints
// and writes the text, the JSON and the HTML report with the per-layer
// section.
func runCheckpointAnalyze(env *runEnv, args []string, f *checkpointFlags, opts analysis.Options, jsonPath, htmlPath string, page report.AnalysisPageOptions, quiet bool) error {
	toStdout, err := stdoutOutputs(map[string]string{"json": jsonPath, "html": htmlPath})
	if err != nil {
		return err
	}
	co := analysis.CheckpointAnalysisOptions{Analysis: opts, GroupSample: f.groupSample, GroupBootstrap: f.groupBoot}
	if err := co.Validate(); err != nil {
		return err
	}
	src, err := openCheckpointPair(args, f)
	if err != nil {
		return err
	}
	defer src.Close()
	prog := newProgress(env.stderr, !quiet && jsonPath != "-")
	co.Analysis.Progress = prog.status
	doc, err := analysis.AnalyzeCheckpoints(context.Background(), src, co)
	prog.done()
	if err != nil {
		return err
	}
	if jsonPath != "" && jsonPath != "-" {
		if err := writeJSONFile(jsonPath, doc); err != nil {
			return err
		}
	}
	if htmlPath != "" {
		hdoc, err := report.CheckpointAnalysisDocument(doc, page)
		if err != nil {
			return err
		}
		if err := report.WriteFileAtomic(htmlPath, hdoc.WriteHTML); err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(env.stderr, "syngeom analyze: wrote %s\n", htmlPath)
		}
	}
	if jsonPath == "-" {
		return encodeJSON(env.stdout, doc)
	}
	if quiet {
		return nil
	}
	w := env.stdout
	if toStdout { // the HTML is on stdout
		w = env.stderr
	}
	return report.WriteCheckpointAnalysisText(w, doc)
}
