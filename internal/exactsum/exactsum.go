package exactsum

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"
)

// Sum is an exact sum of float64 values. The zero value is 0. Infinities and
// NaN are tracked apart from the finite partials, so a non-finite input
// gives the IEEE result (Inf, −Inf or NaN) whatever the order.
type Sum struct {
	partials []float64
	posInf   bool
	negInf   bool
	nan      bool
}

// Add adds x exactly.
func (s *Sum) Add(x float64) {
	switch {
	case math.IsNaN(x):
		s.nan = true
		return
	case math.IsInf(x, 1):
		s.posInf = true
		return
	case math.IsInf(x, -1):
		s.negInf = true
		return
	case x == 0:
		return
	}
	i := 0
	for _, y := range s.partials {
		if math.Abs(x) < math.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		if math.IsInf(hi, 0) {
			// The partials overflow float64: keep them apart (their exact sum
			// still comes out of Big).
			s.partials[i] = y
			i++
			continue
		}
		lo := y - (hi - x)
		if lo != 0 {
			s.partials[i] = lo
			i++
		}
		x = hi
	}
	s.partials = append(s.partials[:i], x)
}

// AddProduct adds a·b exactly (the product is split into two float64 by
// a fused multiply-add).
func (s *Sum) AddProduct(a, b float64) {
	p := a * b
	if math.IsInf(p, 0) || math.IsNaN(p) {
		s.Add(p)
		return
	}
	s.Add(p)
	s.Add(math.FMA(a, b, -p))
}

// AddInt adds n·x exactly for an integer n with |n| < 2^53.
func (s *Sum) AddInt(n int64, x float64) { s.AddProduct(float64(n), x) }

// Merge adds the exact value of o.
func (s *Sum) Merge(o *Sum) {
	s.nan = s.nan || o.nan
	s.posInf = s.posInf || o.posInf
	s.negInf = s.negInf || o.negInf
	for _, y := range o.partials {
		s.Add(y)
	}
}

// nonFinite is the IEEE value of a sum with a non-finite term, or 0 and
// false.
func (s *Sum) nonFinite() (float64, bool) {
	switch {
	case s.nan || (s.posInf && s.negInf):
		return math.NaN(), true
	case s.posInf:
		return math.Inf(1), true
	case s.negInf:
		return math.Inf(-1), true
	}
	return 0, false
}

// bigPrec holds any sum of float64 exactly: the partials span at most the
// 2098 binary places between 2^1023 and 2^−1074, plus room for carries.
const bigPrec = 2200

// Big returns the exact finite value of the sum in a big.Float of at least
// bigPrec bits; ok is false when a term was non-finite.
func (s *Sum) Big() (v *big.Float, ok bool) {
	if _, bad := s.nonFinite(); bad {
		return nil, false
	}
	v = new(big.Float).SetPrec(bigPrec)
	t := new(big.Float).SetPrec(bigPrec)
	for _, y := range s.partials {
		v.Add(v, t.SetFloat64(y))
	}
	return v, true
}

// Float returns the sum rounded to the nearest float64.
func (s *Sum) Float() float64 {
	if v, bad := s.nonFinite(); bad {
		return v
	}
	v, _ := s.Big()
	f, _ := v.Float64()
	return f
}

// AppendBinary appends an encoding of s to b.
func (s *Sum) AppendBinary(b []byte) []byte {
	var flags byte
	if s.posInf {
		flags |= 1
	}
	if s.negInf {
		flags |= 2
	}
	if s.nan {
		flags |= 4
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(len(s.partials)))
	for _, y := range s.partials {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(y))
	}
	return b
}

var errShort = errors.New("exactsum: encoding is truncated")

// DecodeBinary reads a sum written by AppendBinary from the front of b and
// returns the rest.
func (s *Sum) DecodeBinary(b []byte) ([]byte, error) {
	if len(b) < 1 {
		return nil, errShort
	}
	flags := b[0]
	s.posInf, s.negInf, s.nan = flags&1 != 0, flags&2 != 0, flags&4 != 0
	n, k := binary.Uvarint(b[1:])
	if k <= 0 || n > uint64(len(b)) {
		return nil, errShort
	}
	b = b[1+k:]
	if uint64(len(b)) < 8*n {
		return nil, errShort
	}
	s.partials = make([]float64, n)
	for i := range s.partials {
		s.partials[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return b[8*n:], nil
}
