package exactsum

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// values spread over many binary orders of magnitude, with cancellation.
func values(seed uint64, n int) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Ldexp(rng.NormFloat64(), rng.IntN(200)-100)
		if i%3 == 2 {
			x[i] = -x[i-1] * (1 + 1e-15)
		}
	}
	return x
}

func TestSumIsExactAndOrderFree(t *testing.T) {
	x := values(1, 5000)
	want := new(big.Float).SetPrec(4000)
	for _, v := range x {
		want.Add(want, new(big.Float).SetFloat64(v))
	}
	var fwd, rev, split Sum
	for _, v := range x {
		fwd.Add(v)
	}
	for i := len(x) - 1; i >= 0; i-- {
		rev.Add(x[i])
	}
	var a, b Sum
	for i, v := range x {
		if i%2 == 0 {
			a.Add(v)
		} else {
			b.Add(v)
		}
	}
	split.Merge(&b)
	split.Merge(&a)
	for name, s := range map[string]*Sum{"forward": &fwd, "reverse": &rev, "merged": &split} {
		got, ok := s.Big()
		if !ok || got.Cmp(want) != 0 {
			t.Errorf("%s: exact sum %v, want %v", name, got, want)
		}
	}
	wf, _ := want.Float64()
	if fwd.Float() != wf || rev.Float() != wf || split.Float() != wf {
		t.Errorf("rounded sums %v %v %v, want %v", fwd.Float(), rev.Float(), split.Float(), wf)
	}
}

func TestFsumExamples(t *testing.T) {
	// Cases from the documentation of Python's math.fsum, where naive
	// summation is wrong.
	var s Sum
	for i := 0; i < 10; i++ {
		s.Add(0.1)
	}
	if s.Float() != 1.0 {
		t.Errorf("ten times 0.1 = %v, want 1", s.Float())
	}
	var c Sum
	for _, v := range []float64{1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50} {
		c.Add(v)
	}
	if c.Float() != 1e-100 {
		t.Errorf("cancelling sum = %v, want 1e-100", c.Float())
	}
}

func TestAddProductIsExact(t *testing.T) {
	a, b := 1+math.Ldexp(1, -30), 1-math.Ldexp(1, -30) // a·b = 1 − 2^−60, not a float64
	var s Sum
	s.AddProduct(a, b)
	s.Add(-1)
	if got, want := s.Float(), -math.Ldexp(1, -60); got != want {
		t.Errorf("a·b − 1 = %v, want %v", got, want)
	}
	var n Sum
	n.AddInt(3, 0.1)
	n.AddProduct(-3, 0.1)
	if n.Float() != 0 {
		t.Errorf("3·0.1 − 3·0.1 = %v", n.Float())
	}
}

func TestNonFinite(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{1, math.Inf(1)}, math.Inf(1)},
		{[]float64{math.Inf(-1), 2}, math.Inf(-1)},
		{[]float64{math.Inf(1), math.Inf(-1)}, math.NaN()},
		{[]float64{math.NaN(), 1}, math.NaN()},
	} {
		var s Sum
		for _, v := range c.in {
			s.Add(v)
		}
		got := s.Float()
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("sum of %v = %v, want %v", c.in, got, c.want)
		}
		if _, ok := s.Big(); ok {
			t.Errorf("Big of %v claims a finite value", c.in)
		}
	}
	var big Sum
	big.Add(math.MaxFloat64)
	big.Add(math.MaxFloat64)
	big.Add(-math.MaxFloat64)
	if big.Float() != math.MaxFloat64 {
		t.Errorf("overflowing partials: %v, want MaxFloat64", big.Float())
	}
}

func TestBinaryRoundTrip(t *testing.T) {
	var s Sum
	for _, v := range values(2, 100) {
		s.Add(v)
	}
	s.posInf = true
	b := s.AppendBinary([]byte("x"))
	var r Sum
	rest, err := r.DecodeBinary(append(b[1:], 'y'))
	if err != nil || string(rest) != "y" {
		t.Fatalf("decode: rest %q, err %v", rest, err)
	}
	if r.Float() != s.Float() || len(r.partials) != len(s.partials) {
		t.Errorf("round trip %v, want %v", r.Float(), s.Float())
	}
	if _, err := r.DecodeBinary(b[1 : len(b)-3]); err == nil {
		t.Error("truncated encoding decoded without error")
	}
}

func TestMomentsAreOrderFreeAndAccurate(t *testing.T) {
	// Values with a large mean and a small spread, where Σx² − (Σx)²/n
	// in float64 would lose every digit.
	rng := rand.New(rand.NewPCG(3, 3))
	x := make([]float64, 3*ChunkSize+17)
	for i := range x {
		x[i] = 1e8 + rng.NormFloat64()
	}
	var a, b Chunked
	for _, v := range x {
		a.Add(v)
	}
	a.Flush()
	for _, part := range [][]float64{x[:1000], x[1000 : 2*ChunkSize+5], x[2*ChunkSize+5:]} {
		var p Chunked
		for _, v := range part {
			p.Add(v)
		}
		p.Flush()
		b.Merge(&p.Moments)
	}
	n, mean, m2 := a.Result()
	want := new(big.Float).SetPrec(300)
	for _, v := range x {
		want.Add(want, new(big.Float).SetFloat64(v))
	}
	want.Quo(want, new(big.Float).SetInt64(int64(len(x))))
	wm, _ := want.Float64()
	var ss float64
	for _, v := range x {
		d := v - wm
		ss += d * d
	}
	if n != int64(len(x)) || math.Abs(mean-wm) > 1e-16*wm || math.Abs(m2-ss) > 1e-9*ss {
		t.Errorf("moments n=%d mean=%v m2=%v, want %d %v %v", n, mean, m2, len(x), wm, ss)
	}
	_, mb, m2b := b.Result()
	if math.Abs(mb-mean) > 1e-16*wm || math.Abs(m2b-m2) > 1e-9*ss {
		t.Errorf("split into shards: mean %v m2 %v, unsplit %v %v", mb, m2b, mean, m2)
	}
	enc := a.Moments.AppendBinary(nil)
	var r Moments
	if rest, err := r.DecodeBinary(enc); err != nil || len(rest) != 0 {
		t.Fatalf("decode: %v", err)
	}
	if n2, m, v := r.Result(); n2 != n || m != mean || v != m2 {
		t.Errorf("round trip (%d, %v, %v), want (%d, %v, %v)", n2, m, v, n, mean, m2)
	}
}

// AddSlice gives the moments of Add value by value, bit for bit, across
// chunk ends.
func TestChunkedAddSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	x := make([]float64, 3*ChunkSize+77)
	for i := range x {
		x[i] = 1e3 + rng.NormFloat64()
	}
	var one, sl Chunked
	for _, v := range x {
		one.Add(v)
	}
	for lo := 0; lo < len(x); {
		hi := min(len(x), lo+rng.IntN(2*ChunkSize))
		sl.AddSlice(x[lo:hi])
		lo = hi
	}
	if one.Pending() != sl.Pending() {
		t.Fatalf("pending %d, want %d", sl.Pending(), one.Pending())
	}
	one.Flush()
	sl.Flush()
	if a, b := string(one.AppendBinary(nil)), string(sl.AppendBinary(nil)); a != b {
		t.Errorf("AddSlice %+v, Add %+v", sl, one)
	}
}
