package exactsum

import (
	"encoding/binary"
	"math"
	"math/big"
)

// Moments are the count, mean and sum of squared deviations of a sample
// merged exactly: partial moments (n, mean, m2), computed in float64 over a
// chunk, are added as the exact Σx = n·mean and Σx² = m2 + n·mean² (each
// product split into two float64), so the total does not depend on the
// order of the merges; Result rounds mean = Σx/n and m2 = Σx² − (Σx)²/n
// once, computed without cancellation.
type Moments struct {
	n      int64
	s1, s2 Sum
}

// Add adds the moments of a chunk: n values with this mean and sum of
// squared deviations m2.
func (m *Moments) Add(n int64, mean, m2 float64) {
	if n == 0 {
		return
	}
	m.n += n
	m.s1.AddInt(n, mean)
	m.s2.Add(m2)
	sq := mean * mean
	m.s2.AddInt(n, sq)
	if !math.IsInf(sq, 0) && !math.IsNaN(sq) {
		m.s2.AddInt(n, math.FMA(mean, mean, -sq))
	}
}

// Merge adds other moments exactly.
func (m *Moments) Merge(o *Moments) {
	m.n += o.n
	m.s1.Merge(&o.s1)
	m.s2.Merge(&o.s2)
}

// N is the number of values.
func (m *Moments) N() int64 { return m.n }

// momentsPrec holds (Σx)² of an exact sum without rounding.
const momentsPrec = 2*bigPrec + 200

// Result returns n, the mean and the sum of squared deviations (≥ 0);
// NaN moments when a term was not finite, zeros when n = 0.
func (m *Moments) Result() (n int64, mean, m2 float64) {
	if m.n == 0 {
		return 0, 0, 0
	}
	s1, ok1 := m.s1.Big()
	s2, ok2 := m.s2.Big()
	if !ok1 || !ok2 {
		return m.n, m.s1.Float() / float64(m.n), math.NaN()
	}
	bn := new(big.Float).SetPrec(momentsPrec).SetInt64(m.n)
	bm := new(big.Float).SetPrec(momentsPrec).Quo(s1, bn)
	v := new(big.Float).SetPrec(momentsPrec).Mul(s1, bm)
	v.Sub(new(big.Float).SetPrec(momentsPrec).Set(s2), v)
	mean, _ = bm.Float64()
	m2, _ = v.Float64()
	return m.n, mean, math.Max(m2, 0)
}

// AppendBinary appends an encoding of m to b.
func (m *Moments) AppendBinary(b []byte) []byte {
	b = binary.AppendVarint(b, m.n)
	b = m.s1.AppendBinary(b)
	return m.s2.AppendBinary(b)
}

// DecodeBinary reads moments written by AppendBinary from the front of b
// and returns the rest.
func (m *Moments) DecodeBinary(b []byte) ([]byte, error) {
	n, k := binary.Varint(b)
	if k <= 0 {
		return nil, errShort
	}
	m.n = n
	rest, err := m.s1.DecodeBinary(b[k:])
	if err != nil {
		return nil, err
	}
	return m.s2.DecodeBinary(rest)
}

// Chunked accumulates a stream of values into Moments in fixed chunks of
// ChunkSize values counted from the first value, reduced in float64 with
// sums of deviations from the chunk's first value: the result depends only
// on the sequence of values, not on how it was cut into calls of Add.
type Chunked struct {
	Moments
	cur Shifted
}

// ChunkSize is the number of values reduced in float64 before an exact
// merge.
const ChunkSize = 8192

// Add accumulates x.
func (c *Chunked) Add(x float64) {
	c.cur.Add(x)
	if c.cur.N == ChunkSize {
		c.Flush()
	}
}

// AddSlice accumulates the values of xs in order, as Add of each would,
// in loops that keep the chunk's sums in registers.
func (c *Chunked) AddSlice(xs []float64) {
	for len(xs) > 0 {
		k := min(len(xs), ChunkSize-int(c.cur.N))
		c.cur.addSlice(xs[:k])
		xs = xs[k:]
		if c.cur.N == ChunkSize {
			c.Flush()
		}
	}
}

// Pending is the number of values in the current, unmerged chunk.
func (c *Chunked) Pending() int { return int(c.cur.N) }

// Flush ends the current chunk (as the end of a shard does).
func (c *Chunked) Flush() {
	if c.cur.N == 0 {
		return
	}
	c.Moments.Add(c.cur.Result())
	c.cur = Shifted{}
}

// Shifted sums N values in float64 as deviations from the first one, K:
// S1 = Σ(x − K) and S2 = Σ(x − K)², which keeps the sum of squares
// accurate when the mean is large compared with the spread.
type Shifted struct {
	N         int64   // values added
	K, S1, S2 float64 // the shift and the two shifted sums
}

// Add adds x.
func (s *Shifted) Add(x float64) {
	if s.N == 0 {
		s.K = x
	}
	d := x - s.K
	s.S1 += d
	s.S2 += d * d
	s.N++
}

// addSlice adds the values of xs in order, as Add of each would.
func (s *Shifted) addSlice(xs []float64) {
	if len(xs) == 0 {
		return
	}
	if s.N == 0 {
		s.K = xs[0]
	}
	k, s1, s2 := s.K, s.S1, s.S2
	for _, x := range xs {
		d := x - k
		s1 += d
		s2 += d * d
	}
	s.S1, s.S2 = s1, s2
	s.N += int64(len(xs))
}

// Result is the count, the mean and Σ(x − mean)² (at least 0), all 0
// without values.
func (s *Shifted) Result() (n int64, mean, m2 float64) {
	if s.N == 0 {
		return 0, 0, 0
	}
	fn := float64(s.N)
	return s.N, s.K + s.S1/fn, math.Max(s.S2-s.S1*s.S1/fn, 0)
}
