package pipeline

import (
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	pathpkg "path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // plain paths
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/syngeom/syngeom/stream"
)

// Registration lets remote workers, which rebuild the pipeline's functions
// from their names, find them and call them without reflection.
func init() {
	register.DoFn2x2[context.Context, int, []byte, error](&pass1Fn{})
	register.DoFn3x2[context.Context, int, []byte, []byte, error](&pass2Fn{})
	register.DoFn2x2[[]byte, []byte, []byte, error](&finishFn{})
	register.DoFn2x1[context.Context, []byte, error](&writeFn{})
	register.Combiner1[[]byte](&mergePart1Fn{})
	register.Combiner1[[]byte](&mergePart2Fn{})
}

// New returns a pipeline that runs the paired geometry test of cfg over
// cfg.Files and writes the JSON document to output (a local path or any
// scheme registered with Beam's filesystem package, such as gs://).
func New(cfg stream.Config, output string) (*beam.Pipeline, error) {
	if output == "" {
		return nil, errors.New("pipeline: no output path")
	}
	p, s := beam.NewPipelineWithRoot()
	doc, err := Geometry(s, cfg)
	if err != nil {
		return nil, err
	}
	WriteFile(s, output, doc)
	return p, nil
}

// Geometry adds the paired geometry test of cfg to the pipeline under s. It
// returns a PCollection of []byte holding exactly one element: the JSON
// document that stream.Run(cfg) returns.
func Geometry(s beam.Scope, cfg stream.Config) (beam.PCollection, error) {
	if len(cfg.Files) == 0 {
		return beam.PCollection{}, errors.New("pipeline: no shard files")
	}
	enc, err := json.Marshal(cfg)
	if err != nil {
		return beam.PCollection{}, fmt.Errorf("pipeline: encoding the configuration: %w", err)
	}
	conf := string(enc)
	s = s.Scope("syngeom.Geometry")

	index := make([]int, len(cfg.Files))
	for i := range index {
		index[i] = i
	}
	// Create emits its elements as one bundle; the reshuffle lets the runner
	// spread the shards over all workers.
	shards := beam.Reshuffle(s, beam.CreateList(s, index))

	part1 := beam.ParDo(s.Scope("Pass1"), &pass1Fn{configFn{Config: conf}}, shards)
	first := beam.Combine(s.Scope("MergePass1"), &mergePart1Fn{}, part1)
	part2 := beam.ParDo(s.Scope("Pass2"), &pass2Fn{configFn{Config: conf}}, shards, beam.SideInput{Input: first})
	second := beam.Combine(s.Scope("MergePass2"), &mergePart2Fn{}, part2)
	return beam.ParDo(s.Scope("Finish"), &finishFn{configFn{Config: conf}}, second, beam.SideInput{Input: first}), nil
}

// WriteFile writes every []byte element of doc (Geometry yields one) to
// path, replacing the file.
func WriteFile(s beam.Scope, path string, doc beam.PCollection) {
	beam.ParDo0(s.Scope("WriteFile"), &writeFn{Path: path}, doc)
}

// configFn is the part of the DoFns that need the run's Config. Beam
// serialises a DoFn's exported fields to ship it to workers, so the Config
// travels as its JSON encoding and is decoded once per DoFn instance, in
// Setup.
type configFn struct {
	Config string // JSON of the stream.Config
	cfg    stream.Config
}

// Setup decodes the Config.
func (f *configFn) Setup() error {
	if err := json.Unmarshal([]byte(f.Config), &f.cfg); err != nil {
		return fmt.Errorf("pipeline: decoding the configuration: %w", err)
	}
	return nil
}

// decodePart1 decodes the merged first pass.
func decodePart1(b []byte) (*stream.Part1, error) {
	first := new(stream.Part1)
	if err := first.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("pipeline: decoding the merged first pass: %w", err)
	}
	return first, nil
}

// pass1Fn runs the first pass over one shard.
type pass1Fn struct{ configFn }

func (f *pass1Fn) ProcessElement(ctx context.Context, shard int) ([]byte, error) {
	return onShard(ctx, f.cfg, shard, func(cfg stream.Config) (*stream.Part1, error) { return stream.Pass1Context(ctx, cfg, shard) })
}

// onShard runs pass on a local copy of a shard and encodes its result.
func onShard[P encoding.BinaryMarshaler](ctx context.Context, cfg stream.Config, shard int, pass func(stream.Config) (P, error)) ([]byte, error) {
	cfg, cleanup, err := localShard(ctx, cfg, shard)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	p, err := pass(cfg)
	if err != nil {
		return nil, err
	}
	return p.MarshalBinary()
}

// pass2Fn runs the second pass over one shard, given the merged first pass.
type pass2Fn struct{ configFn }

func (f *pass2Fn) ProcessElement(ctx context.Context, shard int, firstBytes []byte) ([]byte, error) {
	first, err := decodePart1(firstBytes)
	if err != nil {
		return nil, err
	}
	return onShard(ctx, f.cfg, shard, func(cfg stream.Config) (*stream.Part2, error) { return stream.Pass2Context(ctx, cfg, shard, first) })
}

// finishFn turns the two merged passes into the JSON document.
type finishFn struct{ configFn }

func (f *finishFn) ProcessElement(secondBytes, firstBytes []byte) ([]byte, error) {
	first, err := decodePart1(firstBytes)
	if err != nil {
		return nil, err
	}
	second := new(stream.Part2)
	if err := second.UnmarshalBinary(secondBytes); err != nil {
		return nil, fmt.Errorf("pipeline: decoding the merged second pass: %w", err)
	}
	return stream.Finish(f.cfg, first, second)
}

// mergePart1Fn and mergePart2Fn combine encoded partial results. The
// accumulator is the encoding itself (Beam codes []byte natively); the empty
// slice is the identity, the value of an empty combine.
type mergePart1Fn struct{}

func (mergePart1Fn) CreateAccumulator() []byte { return nil }

func (mergePart1Fn) MergeAccumulators(a, b []byte) ([]byte, error) {
	return mergeEncoded[stream.Part1](a, b)
}

type mergePart2Fn struct{}

func (mergePart2Fn) CreateAccumulator() []byte { return nil }

func (mergePart2Fn) MergeAccumulators(a, b []byte) ([]byte, error) {
	return mergeEncoded[stream.Part2](a, b)
}

// part is the method set shared by *stream.Part1 and *stream.Part2.
type part[T any, P any] interface {
	*T
	Merge(P) error
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

// mergeEncoded decodes two encoded partial results, merges them and encodes
// the merge. The inputs are not modified: Beam may still hold them.
func mergeEncoded[T any, P part[T, P]](a, b []byte) ([]byte, error) {
	if len(a) == 0 {
		return b, nil
	}
	if len(b) == 0 {
		return a, nil
	}
	pa, pb := P(new(T)), P(new(T))
	if err := pa.UnmarshalBinary(a); err != nil {
		return nil, fmt.Errorf("pipeline: decoding a partial result: %w", err)
	}
	if err := pb.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("pipeline: decoding a partial result: %w", err)
	}
	if err := pa.Merge(pb); err != nil {
		return nil, err
	}
	return pa.MarshalBinary()
}

// writeFn writes each element to Path through Beam's file system registry,
// so that the path may name a bucket as well as a local file.
type writeFn struct {
	Path string
}

func (f *writeFn) ProcessElement(ctx context.Context, doc []byte) error {
	fs, err := filesystem.New(ctx, f.Path)
	if err != nil {
		return fmt.Errorf("pipeline: %s: %w", f.Path, err)
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, f.Path)
	if err != nil {
		return fmt.Errorf("pipeline: %s: %w", f.Path, err)
	}
	if _, err := w.Write(doc); err != nil {
		w.Close()
		return fmt.Errorf("pipeline: writing %s: %w", f.Path, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("pipeline: writing %s: %w", f.Path, err)
	}
	return nil
}

// isRemote reports whether path names a file through a Beam file system
// scheme (gs://, s3://, ...) rather than a local path.
func isRemote(path string) bool {
	return strings.Index(path, "://") > 0
}

// localShard returns cfg with shard's file as a local path. The shard
// readers read local files only, so a remote shard is first copied to a
// temporary file of the same base name (the format is detected from the
// extension); cleanup removes it. The reader's report names no path for
// paired tables, so the result is that of the same files read locally, and
// the document lists the remote paths given in the Config.
func localShard(ctx context.Context, cfg stream.Config, shard int) (local stream.Config, cleanup func(), err error) {
	if shard < 0 || shard >= len(cfg.Files) || !isRemote(cfg.Files[shard]) {
		return cfg, func() {}, nil
	}
	remote := cfg.Files[shard]
	dir, err := os.MkdirTemp("", "syngeom-shard-")
	if err != nil {
		return cfg, nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, pathpkg.Base(remote))
	if err := copyFile(ctx, remote, path); err != nil {
		cleanup()
		return cfg, nil, fmt.Errorf("pipeline: copying shard %d: %w", shard, err)
	}
	local = cfg
	local.Files = slices.Clone(cfg.Files)
	local.Files[shard] = path
	return local, cleanup, nil
}

// copyFile copies remote, read through Beam's file systems, to the local
// file path.
func copyFile(ctx context.Context, remote, path string) error {
	fs, err := filesystem.New(ctx, remote)
	if err != nil {
		return err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, remote)
	if err != nil {
		return err
	}
	defer r.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", remote, err)
	}
	return f.Close()
}
