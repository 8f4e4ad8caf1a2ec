package stream

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/syngeom/syngeom/testgeom"
)

// Encodings of partial results. A Part1 carries its Config, the readers'
// reports and the exact accumulators; a Part2 carries the Part1 it was
// started from as well, so either decodes on a machine that has nothing
// else.

const (
	part1Magic = "syngeom-stream-part1-2"
	part2Magic = "syngeom-stream-part2-2"
)

// MarshalBinary encodes the first pass.
func (p *Part1) MarshalBinary() ([]byte, error) {
	head, err := json.Marshal(struct {
		Config Config             `json:"config"`
		Shards map[int]*shardInfo `json:"shards"`
		Groups []string           `json:"groups"`
		Sums   []string           `json:"sums"`
	}{p.cfg, p.shards, slices.Sorted(maps.Keys(p.groups)), slices.Sorted(maps.Keys(p.sums))})
	if err != nil {
		return nil, err
	}
	b := appendBlock([]byte(part1Magic), head)
	pooled, err := p.pooled.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b = appendBlock(b, pooled)
	for _, name := range slices.Sorted(maps.Keys(p.groups)) {
		g, err := p.groups[name].MarshalBinary()
		if err != nil {
			return nil, err
		}
		b = appendBlock(b, g)
	}
	for _, scope := range slices.Sorted(maps.Keys(p.sums)) {
		a := p.sums[scope]
		b = appendBlock(b, a[1].AppendBinary(a[0].AppendBinary(nil)))
	}
	return b, nil
}

// UnmarshalBinary decodes a first pass into p (a zero Part1 will do).
func (p *Part1) UnmarshalBinary(b []byte) error {
	rest, err := p.decode(b)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errMalformed
	}
	return nil
}

func (p *Part1) decode(b []byte) ([]byte, error) {
	if len(b) < len(part1Magic) || string(b[:len(part1Magic)]) != part1Magic {
		return nil, errMalformed
	}
	head, b, err := nextBlock(b[len(part1Magic):])
	if err != nil {
		return nil, err
	}
	var h struct {
		Config Config             `json:"config"`
		Shards map[int]*shardInfo `json:"shards"`
		Groups []string           `json:"groups"`
		Sums   []string           `json:"sums"`
	}
	if err := json.Unmarshal(head, &h); err != nil {
		return nil, errMalformed
	}
	q, err := newPart1(h.Config)
	if err != nil {
		return nil, err
	}
	q.shards = h.Shards
	if q.shards == nil {
		q.shards = map[int]*shardInfo{}
	}
	scans := []*testgeom.Scan{q.pooled}
	for _, name := range h.Groups {
		scans = append(scans, q.group(name))
	}
	for _, sc := range scans {
		var block []byte
		if block, b, err = nextBlock(b); err != nil {
			return nil, err
		}
		if err := sc.UnmarshalBinary(block); err != nil {
			return nil, err
		}
	}
	for _, scope := range h.Sums {
		var block []byte
		if block, b, err = nextBlock(b); err != nil {
			return nil, err
		}
		a := q.summaries(scope)
		rest, err := a[0].DecodeBinary(block)
		if err == nil {
			rest, err = a[1].DecodeBinary(rest)
		}
		if err != nil || len(rest) != 0 {
			return nil, errMalformed
		}
	}
	*p = *q
	return b, nil
}

// MarshalBinary encodes the second pass with the first pass it started
// from.
func (p *Part2) MarshalBinary() ([]byte, error) {
	first, err := p.first.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := appendBlock([]byte(part2Magic), first)
	passes := []*testgeom.SecondPass{p.pooled}
	for _, name := range slices.Sorted(maps.Keys(p.groups)) {
		passes = append(passes, p.groups[name])
	}
	for _, g := range passes {
		block, err := g.MarshalBinary()
		if err != nil {
			return nil, err
		}
		b = appendBlock(b, block)
	}
	return b, nil
}

// UnmarshalBinary decodes a second pass into p (a zero Part2 will do).
func (p *Part2) UnmarshalBinary(b []byte) error {
	if len(b) < len(part2Magic) || string(b[:len(part2Magic)]) != part2Magic {
		return errMalformed
	}
	block, b, err := nextBlock(b[len(part2Magic):])
	if err != nil {
		return err
	}
	first := new(Part1)
	if err := first.UnmarshalBinary(block); err != nil {
		return err
	}
	q := newPart2(first)
	passes := []*testgeom.SecondPass{q.pooled}
	for _, name := range slices.Sorted(maps.Keys(q.groups)) {
		passes = append(passes, q.groups[name])
	}
	for _, g := range passes {
		if block, b, err = nextBlock(b); err != nil {
			return err
		}
		if err := g.UnmarshalBinary(block); err != nil {
			return err
		}
	}
	if len(b) != 0 {
		return errMalformed
	}
	*p = *q
	return nil
}
