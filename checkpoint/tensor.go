package checkpoint

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// MaxElements caps a tensor's element count (2^48, far above any real
// layer) so that counts and byte offsets never overflow.
const MaxElements = 1 << 48

// Tensor describes one tensor of a checkpoint. Its values are read in
// batches with Iter; nothing is read when it is described.
type Tensor struct {
	Name  string  // the tensor's name in the file
	DType DType   // the stored element type
	Shape []int64 // dimensions, outermost first
	Count int64   // number of elements
	File  string  // the file holding its values
	// Unreadable says why the values cannot be read ("" = they can):
	// an integer, boolean or quantized dtype.
	Unreadable string

	src     source
	offset  int64   // first element within the storage
	strides []int64 // in elements; nil = contiguous, row-major
	big     bool    // big-endian values
}

// Dims is the number of dimensions.
func (t *Tensor) Dims() int { return len(t.Shape) }

// ShapeString formats the shape as [3 4].
func (t *Tensor) ShapeString() string {
	s := make([]string, len(t.Shape))
	for i, d := range t.Shape {
		s[i] = fmt.Sprint(d)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// source is where a tensor's storage lies: a byte range of a random-access
// file, or a member read from its start (a deflated zip member).
type source struct {
	at   io.ReaderAt
	base int64                         // byte offset of the storage in at
	size int64                         // bytes of the storage
	open func() (io.ReadCloser, error) // sequential access when at is nil
}

// mulCheck is a·b, or false when it exceeds limit (a, b ≥ 0).
func mulCheck(a, b, limit int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if a > limit/b {
		return 0, false
	}
	return a * b, true
}

// setShape validates the shape and sets Count.
func (t *Tensor) setShape(shape []int64) error {
	t.Shape = shape
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			return tensorErrorf(t.File, t.Name, "negative dimension in shape %v", shape)
		}
		var ok bool
		if n, ok = mulCheck(n, d, MaxElements); !ok {
			return tensorErrorf(t.File, t.Name, "shape %v has more than 2^48 elements", shape)
		}
	}
	t.Count = n
	return nil
}

// checkExtent verifies that every element lies inside the storage, so no
// read can run past the file (or a malformed header claim data it lacks).
func (t *Tensor) checkExtent() error {
	if t.Count == 0 || t.Unreadable != "" {
		return nil
	}
	size := int64(t.DType.Size())
	if t.Count > t.src.size/size {
		// Stride-0 (expanded) views could otherwise repeat a few stored
		// values without end.
		return tensorErrorf(t.File, t.Name, "the header claims %d values but the storage holds only %d bytes (%s)", t.Count, t.src.size, t.DType)
	}
	last := t.offset + t.Count - 1 // index of the last element
	if t.strides != nil {
		if len(t.strides) != len(t.Shape) {
			return tensorErrorf(t.File, t.Name, "%d strides for %d dimensions", len(t.strides), len(t.Shape))
		}
		last = t.offset
		for i, s := range t.strides {
			if s < 0 {
				return tensorErrorf(t.File, t.Name, "negative stride %d", s)
			}
			step, ok := mulCheck(t.Shape[i]-1, s, MaxElements)
			if !ok || last > MaxElements-step {
				return tensorErrorf(t.File, t.Name, "strides %v reach beyond 2^48 elements", t.strides)
			}
			last += step
		}
	}
	if t.offset < 0 || last >= MaxElements {
		return tensorErrorf(t.File, t.Name, "storage offset %d out of range", t.offset)
	}
	if need := (last + 1) * size; need > t.src.size {
		return tensorErrorf(t.File, t.Name, "the header claims %d bytes of data but the storage holds %d (truncated or corrupt file)", need, t.src.size)
	}
	return nil
}

// contiguous reports whether the values lie in row-major order.
func (t *Tensor) contiguous() bool {
	if t.strides == nil {
		return true
	}
	want := int64(1)
	for i := len(t.Shape) - 1; i >= 0; i-- {
		if t.Shape[i] != 1 && t.strides[i] != want {
			return false
		}
		want *= t.Shape[i]
	}
	return true
}

// Iterator reads a tensor's values in row-major order, in batches.
type Iterator struct {
	t      *Tensor
	pos    int64
	raw    []byte
	seq    io.Reader
	closer io.Closer
	pages  *pager
	idx    []int64 // multi-index of the next value (strided tensors)
}

// Iter starts reading the values. Close the iterator when done.
func (t *Tensor) Iter() (*Iterator, error) {
	if t.Unreadable != "" {
		return nil, tensorErrorf(t.File, t.Name, "cannot read %s", t.Unreadable)
	}
	if !t.DType.Readable() {
		return nil, tensorErrorf(t.File, t.Name, "cannot read dtype %s: only float64, float32, float16 and bfloat16 tensors are read", t.DType)
	}
	it := &Iterator{t: t}
	size := int64(t.DType.Size())
	switch {
	case t.contiguous() && t.src.at != nil:
		it.seq = io.NewSectionReader(t.src.at, t.src.base+t.offset*size, t.Count*size)
	case t.contiguous():
		rc, err := t.src.open()
		if err != nil {
			return nil, tensorErrorf(t.File, t.Name, "%v", err)
		}
		it.closer = rc
		if _, err := io.CopyN(io.Discard, rc, t.offset*size); err != nil {
			rc.Close()
			return nil, it.readError(err)
		}
		it.seq = io.LimitReader(rc, t.Count*size)
	case t.src.at != nil:
		it.pages = newPager(t.src.at, t.src.base)
		it.idx = make([]int64, len(t.Shape))
	default:
		return nil, tensorErrorf(t.File, t.Name, "a non-contiguous tensor in a compressed member cannot be read in place")
	}
	return it, nil
}

// Close releases the iterator's file handles.
func (it *Iterator) Close() error {
	if it.closer != nil {
		return it.closer.Close()
	}
	return nil
}

func (it *Iterator) readError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return tensorErrorf(it.t.File, it.t.Name, "truncated storage: the data end after %d of %d values", it.pos, it.t.Count)
	}
	var ce *Error
	if errors.As(err, &ce) {
		return err
	}
	return tensorErrorf(it.t.File, it.t.Name, "reading values: %v", err)
}

// Next fills dst with the next values and returns how many; it returns
// 0, io.EOF after the last value.
func (it *Iterator) Next(dst []float64) (int, error) {
	t := it.t
	n := int(min(int64(len(dst)), t.Count-it.pos))
	if n == 0 {
		return 0, io.EOF
	}
	dst = dst[:n]
	size := t.DType.Size()
	if need := n * size; cap(it.raw) < need {
		it.raw = make([]byte, need)
	}
	raw := it.raw[:n*size]
	if it.seq != nil {
		if _, err := io.ReadFull(it.seq, raw); err != nil {
			return 0, it.readError(err)
		}
	} else {
		for i := range n {
			e := t.offset
			for d, k := range it.idx {
				e += k * t.strides[d]
			}
			if err := it.pages.read(e*int64(size), raw[i*size:(i+1)*size]); err != nil {
				return 0, it.readError(err)
			}
			for d := len(it.idx) - 1; d >= 0; d-- {
				if it.idx[d]++; it.idx[d] < t.Shape[d] {
					break
				}
				it.idx[d] = 0
			}
		}
	}
	decode(t.DType, t.big, raw, dst)
	it.pos += int64(n)
	return n, nil
}

// pager reads small pieces of a file through a few cached pages, for
// strided tensors (transposed views) whose values are scattered.
type pager struct {
	at   io.ReaderAt
	base int64
	page [pagerSlots][]byte
	key  [pagerSlots]int64
}

const (
	pageSize   = 1 << 16
	pagerSlots = 16
)

func newPager(at io.ReaderAt, base int64) *pager {
	p := &pager{at: at, base: base}
	for i := range p.key {
		p.key[i] = -1
	}
	return p
}

// read fills dst from byte off of the storage (dst never straddles a page:
// element sizes divide the page size).
func (p *pager) read(off int64, dst []byte) error {
	pg := off / pageSize
	slot := int(pg % pagerSlots)
	if p.key[slot] != pg {
		if p.page[slot] == nil {
			p.page[slot] = make([]byte, pageSize)
		}
		p.page[slot] = p.page[slot][:pageSize]
		n, err := p.at.ReadAt(p.page[slot], p.base+pg*pageSize)
		if n < int(off-pg*pageSize)+len(dst) {
			p.key[slot] = -1
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		p.page[slot] = p.page[slot][:n]
		p.key[slot] = pg
	}
	copy(dst, p.page[slot][off-pg*pageSize:])
	return nil
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
