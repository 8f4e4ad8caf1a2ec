package testgeom

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/exactsum"
)

// Partial results travel between machines as bytes: MarshalBinary ends the
// current chunk and writes the exact totals; UnmarshalBinary reads them into
// an accumulator made the same way (NewScan with the same candidates, or
// SecondPass of the same merged first pass), which checks that it is.

const (
	scanMagic   = "syngeom-scan-1"
	secondMagic = "syngeom-pass2-2"
)

var errEncoding = errors.New("testgeom: malformed partial result")

type encoder struct{ b []byte }

func (e *encoder) int(v int64)         { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) uint(v uint64)       { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) float(v float64)     { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }
func (e *encoder) str(s string)        { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) sum(s *exactsum.Sum) { e.b = s.AppendBinary(e.b) }
func (e *encoder) xm(x *xmoments)      { e.b = x.AppendBinary(e.b) }
func (e *encoder) floats(x []float64) {
	e.uint(uint64(len(x)))
	for _, v := range x {
		e.float(v)
	}
}

// codec reads or writes the fields of a partial result; the encoding and
// the decoding list the fields once (total1.fields, secondFields), so they
// cannot drift apart.
type codec interface {
	ints(...*int64)
	sum(*exactsum.Sum)
	xm(*xmoments)
	floatSlice(*[]float64)
	intSlice(*[]int64)
}

func (e *encoder) ints(ps ...*int64) {
	for _, p := range ps {
		e.int(*p)
	}
}
func (e *encoder) floatSlice(p *[]float64) { e.floats(*p) }
func (e *encoder) intSlice(p *[]int64) {
	e.uint(uint64(len(*p)))
	for _, v := range *p {
		e.int(v)
	}
}

func (d *decoder) ints(ps ...*int64) {
	for _, p := range ps {
		*p = d.int()
	}
}
func (d *decoder) floatSlice(p *[]float64) { *p = d.floats() }
func (d *decoder) intSlice(p *[]int64) {
	n := d.uint()
	if n > uint64(len(d.b)) { // at least one byte each
		d.fail()
		return
	}
	*p = make([]int64, n)
	for i := range *p {
		(*p)[i] = d.int()
	}
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errEncoding
	}
	d.b = nil
}

func (d *decoder) int() int64 { return varint(d, binary.Varint) }

func (d *decoder) uint() uint64 { return varint(d, binary.Uvarint) }

// varint reads one signed or unsigned varint with read.
func varint[T int64 | uint64](d *decoder, read func([]byte) (T, int)) T {
	v, k := read(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return v
}

func (d *decoder) float() float64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}

func (d *decoder) str() string {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) sum(s *exactsum.Sum) {
	if d.err != nil {
		return
	}
	rest, err := s.DecodeBinary(d.b)
	if err != nil {
		d.fail()
		return
	}
	d.b = rest
}

func (d *decoder) xm(x *xmoments) {
	if d.err != nil {
		return
	}
	rest, err := x.DecodeBinary(d.b)
	if err != nil {
		d.fail()
		return
	}
	d.b = rest
}

func (d *decoder) floats() []float64 {
	n := d.uint()
	if n > uint64(len(d.b))/8 {
		d.fail()
		return nil
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = d.float()
	}
	return x
}

func encodeCandidates(e *encoder, cands []geometry.Potential) {
	e.uint(uint64(len(cands)))
	for _, c := range cands {
		e.str(c.Name())
	}
}

func checkCandidates(d *decoder, cands []geometry.Potential) error {
	n := d.uint()
	if d.err != nil {
		return d.err
	}
	if n != uint64(len(cands)) {
		return fmt.Errorf("testgeom: partial result of %d candidates, this accumulator has %d", n, len(cands))
	}
	for _, c := range cands {
		if name := d.str(); name != c.Name() {
			return fmt.Errorf("testgeom: partial result of candidate %q where this accumulator has %q", name, c.Name())
		}
	}
	return d.err
}

// MarshalBinary ends the current chunk and encodes the scan's exact totals.
func (s *Scan) MarshalBinary() ([]byte, error) {
	s.chunks.flush(s.process)
	e := &encoder{b: []byte(scanMagic)}
	encodeCandidates(e, s.cands)
	s.acc.fields(e)
	return e.b, nil
}

// fields lists the first-pass totals for a codec.
func (t *total1) fields(c codec) {
	c.ints(&t.finite, &t.nonFinite, &t.zeroPairs, &t.flips, &t.changed)
	c.sum(&t.sumL1)
	for k := range t.grid {
		c.xm(&t.grid[k])
		c.sum(&t.gridG[k])
	}
	for i := range t.cand {
		ct := &t.cand[i]
		c.xm(&ct.lik)
		c.ints(&ct.zeroN)
		c.sum(&ct.likG)
		c.sum(&ct.likJac)
	}
}

// UnmarshalBinary replaces the scan's totals by an encoded scan of the same
// candidates.
func (s *Scan) UnmarshalBinary(b []byte) error {
	if len(b) < len(scanMagic) || string(b[:len(scanMagic)]) != scanMagic {
		return errEncoding
	}
	d := &decoder{b: b[len(scanMagic):]}
	if err := checkCandidates(d, s.cands); err != nil {
		return err
	}
	t := newTotal1(len(s.plans))
	t.fields(d)
	if d.err != nil || len(d.b) != 0 {
		return errEncoding
	}
	s.chunks = chunker{}
	s.acc, s.p = t, nil
	return nil
}

// MarshalBinary ends the current chunk and encodes the second pass: its
// plan (to check that a decoder was started from the same first pass), the
// counts, the exact sums and the kept pairs.
func (g *SecondPass) MarshalBinary() ([]byte, error) {
	g.chunks.flush(g.process)
	e := &encoder{b: []byte(secondMagic)}
	encodeCandidates(e, g.scan.cands)
	g.encodePlan(e)
	secondFields(e, g.unc, g.cen, g.m3, g.m4, &g.fine, &g.rob, &g.sample0, &g.sample1, &g.samplePos)
	if g.labelled {
		g.syn.fields(e)
	}
	return e.b, nil
}

// fields lists the sample of synapses for a codec; a label is stored as
// the int64 of its bits.
func (s *synapseSample) fields(c codec) {
	label := make([]int64, len(s.label))
	for i, k := range s.label {
		label[i] = int64(k)
	}
	c.floatSlice(&s.w0)
	c.floatSlice(&s.w1)
	c.intSlice(&s.pos)
	c.intSlice(&label)
	s.label = make([]uint64, len(label))
	for i, k := range label {
		s.label[i] = uint64(k)
	}
}

// secondFields lists a second pass's results for a codec.
func secondFields(c codec, unc, cen []gridCounts, m3, m4 []exactsum.Sum, fine *[fineRungs]xmoments, rob *robustTotal, s0, s1 *[]float64, pos *[]int64) {
	for k := range unc {
		for _, counts := range []*gridCounts{&unc[k], &cen[k]} {
			for i := range counts {
				c.ints(&counts[i])
			}
		}
		c.sum(&m3[k])
		c.sum(&m4[k])
	}
	for j := range fine {
		c.xm(&fine[j])
	}
	rob.fields(c)
	c.floatSlice(s0)
	c.floatSlice(s1)
	c.intSlice(pos)
}

// encodePlan writes what the first pass fixed for this one.
func (g *SecondPass) encodePlan(e *encoder) {
	e.int(g.p.finite)
	e.uint(g.threshold)
	e.uint(g.seed)
	e.float(g.fineStart)
	e.float(g.step)
	e.float(g.robust.lambda)
	e.float(g.robust.shift)
	for c := range g.mean {
		e.float(g.mean[c])
		e.float(g.sd[c])
	}
}

// UnmarshalBinary replaces the pass's results by an encoded second pass
// started from the same merged first pass with the same sample settings.
func (g *SecondPass) UnmarshalBinary(b []byte) error {
	if len(b) < len(secondMagic) || string(b[:len(secondMagic)]) != secondMagic {
		return errEncoding
	}
	d := &decoder{b: b[len(secondMagic):]}
	if err := checkCandidates(d, g.scan.cands); err != nil {
		return err
	}
	plan := &encoder{}
	g.encodePlan(plan)
	if len(d.b) < len(plan.b) || string(d.b[:len(plan.b)]) != string(plan.b) {
		return errors.New("testgeom: the partial second pass was started from a different first pass or sample setting")
	}
	d.b = d.b[len(plan.b):]
	nc := len(g.mean)
	unc, cen := make([]gridCounts, nc), make([]gridCounts, nc)
	m3, m4 := make([]exactsum.Sum, nc), make([]exactsum.Sum, nc)
	var fine [fineRungs]xmoments
	var s0, s1 []float64
	var pos []int64
	var rob robustTotal
	secondFields(d, unc, cen, m3, m4, &fine, &rob, &s0, &s1, &pos)
	// A pass of pairs labelled with their synapses ends with its sample of
	// whole synapses.
	var syn synapseSample
	labelled := d.err == nil && len(d.b) > 0
	if labelled {
		syn.fields(d)
		if n := len(syn.w0); len(syn.w1) != n || len(syn.pos) != n || len(syn.label) != n {
			return errEncoding
		}
	}
	if d.err != nil || len(d.b) != 0 || len(s0) != len(s1) || len(pos) != len(s0) {
		return errEncoding
	}
	g.chunks = chunker{}
	g.unc, g.cen, g.m3, g.m4, g.fine, g.rob = unc, cen, m3, m4, fine, rob
	g.sample0, g.sample1, g.samplePos, g.sorted = s0, s1, pos, false
	g.labelled, g.syn, g.memCmp = labelled, syn, nil
	return nil
}
