package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/report"
)

func init() {
	register(&command{
		name:    "inspect",
		summary: "show what syngeom reads from a table: columns, roles, shape, pairs, exclusions",
		usage:   "syngeom inspect FILE... [flags]",
		help: `
Reads CSV, TSV (optionally .gz) or Parquet files and prints the format, the
number of rows, each column's type, non-null count, minimum, maximum, sum and
role, the shape syngeom would analyse (paired, unpaired or single sample),
the pairs available and every exclusion by reason. Column roles come from the
flags or are detected from common names (before/after, pre/post, w0/w1, ...).

Examples:
  syngeom inspect pairs.csv
  syngeom inspect synapses.csv --id synapse_id --time session --value green --consecutive --zero missing
  syngeom inspect weights.parquet --json -
  syngeom inspect base.safetensors finetuned.safetensors

Given network checkpoints (safetensors, torch.save, NumPy), it lists each
tensor's name, dtype, shape and count and, for two checkpoints, how many of
its pairs change sign or stay unchanged.`,
		flags: bind(addInspectFlags, runInspectCommand),
	})
}

// inspectFlags are the flags of syngeom inspect.
type inspectFlags struct {
	opt      *ingest.Options
	jsonPath *string
	ckpt     *checkpointFlags
}

// addInspectFlags declares the flags of syngeom inspect.
func addInspectFlags(fs *pflag.FlagSet) *inspectFlags {
	f := &inspectFlags{}
	f.opt = addIngestFlags(fs)
	f.jsonPath = fs.String("json", "", `also write the report as JSON to this file ("-" = stdout, instead of the text)`)
	f.ckpt = addCheckpointFlags(fs) // network checkpoints (checkpoint_inspect.go)
	return f
}

// runInspectCommand runs syngeom inspect once its flags are parsed.
func runInspectCommand(env *runEnv, fs *pflag.FlagSet, f *inspectFlags, args []string) error {
	if len(args) == 0 {
		return usagef("inspect needs at least one FILE")
	}
	*f.jsonPath = stdoutAlias(*f.jsonPath)
	if checkpoint.Detect(args[0]) != "" {
		return runCheckpointInspect(env, args, f.ckpt, *f.jsonPath)
	}
	in, err := ingest.Inspect(args, *f.opt)
	if in == nil {
		return err
	}
	if *f.jsonPath == "-" {
		if werr := encodeJSON(env.stdout, in); werr != nil {
			return werr
		}
		return err
	}
	printInspection(env.stdout, in)
	if *f.jsonPath != "" {
		if werr := writeJSONFile(*f.jsonPath, in); werr != nil {
			return werr
		}
	}
	return err
}

func printInspection(w io.Writer, in *ingest.Inspection) {
	fmt.Fprintf(w, "file     %s\nformat   %s\nrows     %d\n\n", in.File, in.Format, in.Rows)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "column\ttype\tnon-null\tmin\tmax\tsum\trole")
	for _, c := range in.Columns {
		role := c.Role
		if role == "" {
			role = "-"
		}
		nn := strconv.FormatInt(c.NonNull, 10)
		if c.NonFinite > 0 {
			nn += fmt.Sprintf(" (%d ±Inf)", c.NonFinite)
		}
		typ, digits := c.Type, 6
		if c.Description != "" {
			typ, digits = typ+" *", 8 // YYYYMMDD in full
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, typ, nn, numText(c.Min, digits), numText(c.Max, digits), numText(c.Sum, 12), role)
	}
	tw.Flush()
	for _, c := range in.Columns {
		if c.Description != "" {
			fmt.Fprintf(w, "* %s: %s\n", c.Name, c.Description)
		}
	}
	fmt.Fprintln(w)
	if in.Shape == "" {
		fmt.Fprintf(w, "shape    none could be built from these columns: %s\n", in.Problem)
		return
	}
	roles := make([]string, 0, len(in.Roles))
	for r, c := range in.Roles {
		roles = append(roles, fmt.Sprintf("%s = %q", r, c))
	}
	sort.Strings(roles)
	fmt.Fprintf(w, "shape    %s (%s)\n", in.Shape, strings.Join(roles, ", "))
	switch in.Shape {
	case ingest.ShapePaired:
		fmt.Fprintf(w, "pairs    %d\n", in.Pairs)
	case ingest.ShapeUnpaired:
		fmt.Fprintf(w, "values   %d before, %d after\n", in.NBefore, in.NAfter)
	default:
		fmt.Fprintf(w, "values   %d\n", in.NBefore)
	}
	fmt.Fprintf(w, "excluded %s\n", report.ExcludedText(in.Excluded, string(in.Shape)))
	fmt.Fprintf(w, "flagged  %s\n", report.FlaggedText(in.Counts, string(in.Shape)))
	if len(in.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range in.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
}

func numText(v *float64, digits int) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'g', digits, 64)
}
