package main

import (
	"fmt"
	"unicode/utf8"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/ingest"
)

// addIngestFlags declares the flags that say how to read input tables and
// which columns play which role; every command that reads weights uses them.
func addIngestFlags(fs *pflag.FlagSet) *ingest.Options {
	o := &ingest.Options{}
	fs.StringVar(&o.Format, "format", "", "input format: csv, tsv or parquet (default: from the file name, then the content)")
	fs.Var(&delimiterFlag{&o.Delimiter}, "delimiter", `field delimiter of text input, one character or "tab" (default: ',' for CSV, tab for TSV)`)
	fs.StringVar(&o.Before, "before", "", "column of the weights before (wide table)")
	fs.StringVar(&o.After, "after", "", "column of the weights after (wide table)")
	fs.StringVar(&o.Column, "column", "", "column of a single sample (or of each file, with two --unpaired files)")
	fs.StringVar(&o.ID, "id", "", "column of the synapse id: of a long table, or of a wide one whose pairs may share synapses")
	fs.StringVar(&o.Time, "time", "", "long table: column of the time or session")
	fs.StringVar(&o.Value, "value", "", "long table: column of the measured weight")
	fs.StringVar(&o.Condition, "condition", "", "long table without ids: column saying which sample (before or after) a row belongs to")
	fs.StringVar(&o.Group, "group", "", "column of a grouping (animal, layer, cell type): results per group and overall")
	fs.StringVar(&o.From, "from", "", "long table: the time (or condition) of the weights before")
	fs.StringVar(&o.To, "to", "", "long table: the time (or condition) of the weights after")
	fs.BoolVar(&o.Consecutive, "consecutive", false, "long table: pair every two consecutive times of each synapse")
	fs.BoolVar(&o.Unpaired, "unpaired", false, "the before and after weights are separate samples (two columns or two files), not pairs")
	fs.StringVar(&o.Zero, "zero", ingest.ZeroKeep, `zeros: "keep" them as weights, or treat them as "missing" (synapse absent, as in imaging)`)
	fs.Int64Var(&o.MaxRows, "max-rows", 0, "refuse input of more rows than this, all files together (0 = no limit)")
	fs.Var(&memoryFlag{&o.MaxMemory}, "max-memory", `memory budget, e.g. 4GB or 512MiB: refuse input whose analysis would need more (estimated from the row count), and keep the Go heap under it (0 = no limit)`)
	return o
}

// delimiterFlag parses --delimiter into a rune.
type delimiterFlag struct{ r *rune }

func (d *delimiterFlag) String() string {
	if d.r == nil || *d.r == 0 {
		return ""
	}
	if *d.r == '\t' {
		return "tab"
	}
	return string(*d.r)
}

func (d *delimiterFlag) Set(s string) error {
	switch s {
	case "tab", `\t`, "\t":
		*d.r = '\t'
		return nil
	}
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || n != len(s) || r >= utf8.RuneSelf {
		return fmt.Errorf("want one ASCII character or \"tab\", not %q", s)
	}
	*d.r = r
	return nil
}

func (d *delimiterFlag) Type() string { return "char" }
