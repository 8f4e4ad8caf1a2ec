package ingest

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/syngeom/syngeom/internal/signalsafe"
)

// Pivoted holds the validated pairs of a scan in a temporary file, for a
// reader that scans them more than once: the two passes of a streamed test
// pivot a long table once instead of once per pass. Close removes the
// file.
type Pivoted struct {
	dir string
	sum Summary
}

// Pivot scans paired files (ScanContext) into a temporary file; Scan then
// hands out the same batches and Summary without reading the files again.
func Pivot(ctx context.Context, paths []string, opt Options) (*Pivoted, error) {
	dir, err := signalsafe.MkdirTemp("", "syngeom-pairs-")
	if err != nil {
		return nil, fmt.Errorf("keeping the pairs in a temporary file: %w", err)
	}
	p := &Pivoted{dir: dir}
	w, err := newSpillWriter(p.path())
	if err != nil {
		p.Close()
		return nil, err
	}
	var rec []byte
	sum, err := ScanContext(ctx, paths, opt, func(b *Batch) error {
		if len(b.Before) != len(b.After) || b.GroupAfter != nil {
			return &Error{File: paths[0], Msg: "not paired data: only pairs are kept for a second scan"}
		}
		rec = appendBatch(rec[:0], b)
		_, err := w.w.Write(rec)
		return err
	})
	if err := w.finish(err); err != nil {
		p.Close()
		return nil, err
	}
	p.sum = *sum
	return p, nil
}

func (p *Pivoted) path() string { return filepath.Join(p.dir, "pairs") }

// Close removes the temporary file.
// It is recorded with the signal handler's temporary files until then.
func (p *Pivoted) Close() error {
	signalsafe.Remove(p.dir)
	return nil
}

// Scan hands the pairs to fn in the batches of the first scan, with the
// group names of the whole scan, and returns a copy of its Summary. It
// stops with ctx.Err() once ctx is done.
func (p *Pivoted) Scan(ctx context.Context, fn func(*Batch) error) (*Summary, error) {
	f, err := os.Open(p.path())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	b := &Batch{GroupNames: p.sum.GroupNames}
	var scratch []byte
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ok, err := readBatch(r, b, &scratch)
		if err != nil {
			return nil, fmt.Errorf("reading the kept pairs back: %w", err)
		}
		if !ok {
			break
		}
		if err := fn(b); err != nil {
			return nil, err
		}
	}
	return p.Summary(), nil
}

// Summary is a copy of the Summary of the scan that made p.
func (p *Pivoted) Summary() *Summary {
	sum := p.sum
	sum.Files, sum.Notes = slices.Clone(sum.Files), slices.Clone(sum.Notes)
	sum.GroupNames, sum.StepNames = slices.Clone(sum.GroupNames), slices.Clone(sum.StepNames)
	sum.Roles, sum.Excluded, sum.Counts = maps.Clone(sum.Roles), maps.Clone(sum.Excluded), maps.Clone(sum.Counts)
	return &sum
}

// A batch on file: its length n and which optional columns follow (bit 0
// groups, bit 1 synapses and steps), then the n before and n after values
// and those columns.
func appendBatch(rec []byte, b *Batch) []byte {
	n := len(b.Before)
	var flags byte
	if len(b.Group) == n {
		flags |= 1
	}
	if len(b.Synapse) == n {
		flags |= 2
	}
	rec = binary.LittleEndian.AppendUint32(rec, uint32(n))
	rec = append(rec, flags)
	for _, x := range [2][]float64{b.Before, b.After} {
		for _, v := range x {
			rec = binary.LittleEndian.AppendUint64(rec, math.Float64bits(v))
		}
	}
	cols := [][]int32{}
	if flags&1 != 0 {
		cols = append(cols, b.Group)
	}
	if flags&2 != 0 {
		cols = append(cols, b.Synapse, b.Step)
	}
	for _, c := range cols {
		for _, v := range c {
			rec = binary.LittleEndian.AppendUint32(rec, uint32(v))
		}
	}
	return rec
}

// readBatch reads the next batch into b, reusing its slices and the
// scratch buffer; false at the end of the file.
func readBatch(r *bufio.Reader, b *Batch, scratch *[]byte) (bool, error) {
	var head [5]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, err
	}
	n := int(binary.LittleEndian.Uint32(head[:4]))
	flags := head[4]
	read := func(size int) ([]byte, error) {
		if cap(*scratch) < n*size {
			*scratch = make([]byte, n*size)
		}
		buf := (*scratch)[:n*size]
		_, err := io.ReadFull(r, buf)
		return buf, err
	}
	floats := func(dst []float64) ([]float64, error) {
		buf, err := read(8)
		dst = dst[:0]
		for i := range n {
			dst = append(dst, math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:])))
		}
		return dst, err
	}
	ints := func(dst []int32, present bool) ([]int32, error) {
		if !present {
			return nil, nil
		}
		buf, err := read(4)
		dst = dst[:0]
		for i := range n {
			dst = append(dst, int32(binary.LittleEndian.Uint32(buf[4*i:])))
		}
		return dst, err
	}
	var err error
	if b.Before, err = floats(b.Before); err != nil {
		return false, err
	}
	if b.After, err = floats(b.After); err != nil {
		return false, err
	}
	if b.Group, err = ints(b.Group, flags&1 != 0); err != nil {
		return false, err
	}
	if b.Synapse, err = ints(b.Synapse, flags&2 != 0); err != nil {
		return false, err
	}
	if b.Step, err = ints(b.Step, flags&2 != 0); err != nil {
		return false, err
	}
	return true, nil
}
