package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/ingest"
)

func init() {
	register(&command{
		name:    "datasets",
		summary: "list or export the built-in datasets and the literature table",
		usage:   "syngeom datasets list [--json] | syngeom datasets export NAME -o FILE [--long]",
		help: `
list shows the built-in datasets (all synthetic, generated in code: the demo
that analyze uses without a FILE, and the paper's robustness tables) and the
literature table of published weight distributions with full citations. A
literature entry with a distribution can be the initial law of a simulation:
  syngeom simulate dualshift --init-lit song2005 ...

export writes a built-in dataset to a CSV, TSV (optionally .gz) or Parquet
file, chosen by the extension of -o.`,
		flags: bind(addDatasetsFlags, runDatasetsCommand),
	})
}

// datasetsFlags are the flags of syngeom datasets.
type datasetsFlags struct {
	out    *string
	long   *bool
	codec  *string
	asJSON *bool
}

// addDatasetsFlags declares the flags of syngeom datasets.
func addDatasetsFlags(fs *pflag.FlagSet) *datasetsFlags {
	f := &datasetsFlags{}
	f.out = fs.StringP("output", "o", "", "export: output file (.csv, .tsv, .csv.gz, .tsv.gz or .parquet)")
	f.long = fs.Bool("long", false, "export: write the long layout (id, [group,] time, weight)")
	f.codec = fs.String("compression", "zstd", "export: Parquet codec: zstd, snappy, gzip, lz4, brotli or none")
	f.asJSON = fs.Bool("json", false, "list: write the list as JSON on stdout")
	return f
}

// runDatasetsCommand runs syngeom datasets once its flags are parsed.
func runDatasetsCommand(env *runEnv, fs *pflag.FlagSet, f *datasetsFlags, args []string) error {
	if len(args) == 0 {
		return usagef("datasets needs an action: list or export NAME")
	}
	switch args[0] {
	case "list":
		if len(args) != 1 {
			return usagef("datasets list takes no arguments")
		}
		if fs.Changed("output") || fs.Changed("long") || fs.Changed("compression") {
			return usagef("-o, --long and --compression apply to datasets export")
		}
		if *f.asJSON {
			return writeDatasetsJSON(env.stdout)
		}
		printDatasets(env.stdout)
		return nil
	case "export":
		if len(args) != 2 {
			return usagef("datasets export needs one NAME (see 'syngeom datasets list')")
		}
		if *f.asJSON {
			return usagef("--json applies to datasets list")
		}
		if *f.out == "" {
			return usagef("datasets export needs an output file: -o FILE")
		}
		if _, _, ok := ingest.OutputFormat(*f.out); !ok {
			return usagef("-o %s: use a .csv, .tsv, .csv.gz, .tsv.gz or .parquet file name", *f.out)
		}
		start := time.Now()
		p, err := datasets.Load(args[1])
		if err != nil {
			return err
		}
		layout := datasets.Wide
		if *f.long {
			layout = datasets.Long
		}
		if err := p.Write(*f.out, layout, ingest.WriteOptions{Compression: *f.codec}); err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "syngeom datasets: wrote %s to %s (%d synapses) in %s\n  %s\n",
			p.Name, *f.out, p.Len(), time.Since(start).Round(time.Millisecond), p.Description)
		return nil
	}
	return usagef("unknown datasets action %q: want list or export", args[0])
}

func printDatasets(w io.Writer) {
	fmt.Fprintln(w, "Built-in datasets (all SYNTHETIC, generated in code; export with 'syngeom datasets export NAME -o FILE'):")
	for _, b := range datasets.Builtins() {
		fmt.Fprintf(w, "  %-28s %s\n", b.Name, b.Description)
	}
	fmt.Fprintln(w, "\nLiterature (published weight distributions; use with 'syngeom simulate dualshift --init-lit NAME'):")
	for _, r := range datasets.Literature() {
		law := "qualitative, no distribution"
		if r.Law != nil {
			law = r.Law.String()
		}
		fmt.Fprintf(w, "\n  %s  [%s]\n", r.Name, law)
		for _, line := range []string{r.Citation, "Measured: " + r.Measure, "Parameters: " + r.Derivation, "Finding: " + r.Finding} {
			fmt.Fprintln(w, wrapIndent(line, 4, 92))
		}
	}
}

// wrapIndent breaks text into lines of at most width characters, each
// indented by indent spaces.
func wrapIndent(text string, indent, width int) string {
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	line := pad
	for _, word := range strings.Fields(text) {
		if len([]rune(line))+1+len([]rune(word)) > width && strings.TrimSpace(line) != "" {
			b.WriteString(line + "\n")
			line = pad
		}
		if strings.TrimSpace(line) != "" {
			line += " "
		}
		line += word
	}
	b.WriteString(line)
	return b.String()
}

type datasetsListJSON struct {
	Schema     string           `json:"schema"`
	Datasets   []builtinJSON    `json:"datasets"`
	Literature []literatureJSON `json:"literature"`
}

type builtinJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Synthetic   bool   `json:"synthetic"`
}

type literatureJSON struct {
	Name       string `json:"name"`
	Citation   string `json:"citation"`
	Measure    string `json:"measure"`
	Law        string `json:"law,omitempty"` // ParseLaw syntax; empty for qualitative entries
	Derivation string `json:"derivation"`
	Finding    string `json:"finding"`
}

func writeDatasetsJSON(w io.Writer) error {
	doc := datasetsListJSON{Schema: analysis.Schema}
	for _, b := range datasets.Builtins() {
		doc.Datasets = append(doc.Datasets, builtinJSON{Name: b.Name, Description: b.Description, Synthetic: true})
	}
	for _, r := range datasets.Literature() {
		e := literatureJSON{Name: r.Name, Citation: r.Citation, Measure: r.Measure, Derivation: r.Derivation, Finding: r.Finding}
		if r.Law != nil {
			e.Law = r.Law.String()
		}
		doc.Literature = append(doc.Literature, e)
	}
	return encodeJSON(w, doc)
}
