package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3" // s3:// shards and output (gs:// comes with beamx)
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/syngeom/syngeom/beam/pipeline"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/ingest"
	"github.com/syngeom/syngeom/stream"
	"github.com/syngeom/syngeom/testgeom"
)

// options are the command's own flags; Beam's flags live in the same
// (standard) flag set because the SDK reads them from there.
type options struct {
	input          string
	format         string
	before, after  string
	group          string
	zero           string
	candidates     string
	bootstrap      int
	nullReplicates int
	seed           uint64
	workers        int
	output         string
}

// register declares the flags, with the defaults of `syngeom test`.
func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.input, "input", "", "shard files: comma-separated paths or glob patterns (file arguments are appended)")
	fs.StringVar(&o.format, "format", "", "shard format: parquet, csv or tsv (default: from the file name, then the content)")
	fs.StringVar(&o.before, "before", "", "column of the weights before (default: detected)")
	fs.StringVar(&o.after, "after", "", "column of the weights after (default: detected)")
	fs.StringVar(&o.group, "group", "", "column of a grouping (animal, layer, cell type): results per group and overall")
	fs.StringVar(&o.zero, "zero", ingest.ZeroKeep, `zeros: "keep" them as weights, or treat them as "missing"`)
	fs.StringVar(&o.candidates, "candidates", "", "comma-separated geometries, as for `syngeom test` (default: the paper's grid)")
	def := testgeom.DefaultOptions()
	fs.IntVar(&o.bootstrap, "bootstrap", def.Bootstrap, "resamples of synapses for win frequencies and an interval of λ̂ (0 = none)")
	fs.IntVar(&o.nullReplicates, "null-replicates", def.NullReplicates, "Gaussian-null simulations behind the calibrated ΔCDF p-values (0 = none)")
	fs.Uint64Var(&o.seed, "seed", def.Seed, "seed of every random choice (same seed, same output)")
	fs.IntVar(&o.workers, "workers", 0, "goroutines per shard on a worker (0 = all its cores); does not change the result")
	fs.StringVar(&o.output, "output", "", "path of the JSON result (required; local or any scheme Beam knows, e.g. gs://)")
}

// config turns the flags and the file arguments into a stream.Config.
func (o *options) config(ctx context.Context, args []string) (stream.Config, error) {
	if o.output == "" {
		return stream.Config{}, errors.New("--output is required")
	}
	files, err := expand(ctx, o.input, args)
	if err != nil {
		return stream.Config{}, err
	}
	if len(files) == 0 {
		return stream.Config{}, errors.New("no shard files: give --input or file arguments")
	}
	cfg := stream.Config{
		Files: files,
		Ingest: ingest.Options{
			Format: o.format,
			Before: o.before,
			After:  o.after,
			Group:  o.group,
			Zero:   o.zero,
		},
		Test: testgeom.Options{
			Bootstrap:      o.bootstrap,
			NullReplicates: o.nullReplicates,
			Seed:           o.seed,
			Workers:        o.workers,
		},
	}
	// Refuse bad test options here rather than on the workers.
	if o.candidates != "" {
		cands, err := geometry.ParseCandidates(o.candidates)
		if err != nil {
			return stream.Config{}, &stream.InputError{Msg: fmt.Sprintf("candidates: %v", err)}
		}
		cfg.Test.Candidates = cands
	}
	if err := cfg.Validate(); err != nil {
		return stream.Config{}, err
	}
	return cfg, nil
}

// expand returns the files of --input (comma-separated paths or patterns)
// followed by args. Patterns are expanded by the file system of their
// scheme (local, gs://, s3://), in lexical order. A pattern that matches
// nothing is an error, so that a typo does not silently drop shards.
func expand(ctx context.Context, input string, args []string) ([]string, error) {
	var files []string
	for _, item := range strings.Split(input, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.ContainsAny(item, "*?[") {
			files = append(files, item)
			continue
		}
		matches, err := list(ctx, item)
		if err != nil {
			return nil, fmt.Errorf("--input %q: %w", item, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("--input %q matches no file", item)
		}
		slices.Sort(matches)
		files = append(files, matches...)
	}
	return append(files, args...), nil
}

// list expands one pattern.
func list(ctx context.Context, pattern string) ([]string, error) {
	if !strings.Contains(pattern, "://") {
		return filepath.Glob(pattern)
	}
	fs, err := filesystem.New(ctx, pattern)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	return fs.List(ctx, pattern)
}

func main() {
	var o options
	o.register(flag.CommandLine)
	flag.StringVar(&beamlog.LogLevel, "log_level", "warn", "Beam's logging: debug, info, warn or error (info shows the job's progress)")
	flag.Parse()
	// Init must come right after parsing: when a runner starts this binary
	// as a worker, Init runs the worker and never returns.
	beam.Init()

	ctx := context.Background()
	cfg, err := o.config(ctx, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "syngeom-beam:", err)
		os.Exit(2)
	}
	p, err := pipeline.New(cfg, o.output)
	if err != nil {
		fmt.Fprintln(os.Stderr, "syngeom-beam:", err)
		os.Exit(2)
	}
	if err := beamx.Run(ctx, p); err != nil {
		fmt.Fprintln(os.Stderr, "syngeom-beam:", err)
		os.Exit(1)
	}
}
