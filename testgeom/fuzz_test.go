package testgeom

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// pairsFromBytes turns fuzz bytes into before/after values, sixteen bytes
// per pair, reaching every float64 bit pattern.
func pairsFromBytes(b []byte, max int) (w0, w1 []float64) {
	n := len(b) / 16
	if n > max {
		n = max
	}
	w0, w1 = make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		w0[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[16*i:]))
		w1[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[16*i+8:]))
	}
	return w0, w1
}

// seedPairs encodes pairs for the seed corpus; it cycles small patterns so
// seeds pass MinPairs.
func seedPairs(n int, before, after func(i int) float64) []byte {
	b := make([]byte, 16*n)
	for i := 0; i < n; i++ {
		binary.LittleEndian.PutUint64(b[16*i:], math.Float64bits(before(i)))
		binary.LittleEndian.PutUint64(b[16*i+8:], math.Float64bits(after(i)))
	}
	return b
}

func addPairSeeds(f *testing.F) {
	f.Add([]byte{})
	f.Add(seedPairs(12, func(i int) float64 { return 1 }, func(i int) float64 { return 1 }))
	f.Add(seedPairs(12, func(i int) float64 { return float64(i + 1) }, func(i int) float64 { return float64(i + 1) }))
	f.Add(seedPairs(15, func(i int) float64 { return 0.1 * float64(i+1) }, func(i int) float64 { return 0.12*float64(i+1) + 0.01*float64(i%3) }))
	f.Add(seedPairs(12, func(i int) float64 { return float64(i) - 5 }, func(i int) float64 { return 2*float64(i) - 5 }))
	f.Add(seedPairs(12, func(i int) float64 { return 1e300 * float64(i+1) }, func(i int) float64 { return 1e-300 * float64(i+1) }))
	f.Add(seedPairs(12, func(i int) float64 { return 5e-324 * float64(i+1) }, func(i int) float64 { return math.Copysign(0, -1) }))
}

// FuzzTestPaired feeds arbitrary pairs to TestPaired: no panic, refusals are
// input errors, and every result encodes as JSON.
func FuzzTestPaired(f *testing.F) {
	addPairSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		w0, w1 := pairsFromBytes(data, 48)
		var res *Result
		var err error
		within(t, func() { res, err = TestPaired(w0, w1, Options{Bootstrap: 2, NullReplicates: -1, Seed: 1, Workers: 1}) }, w0, w1)
		checkFuzzResult(t, res, err, w0, w1)
	})
}

// FuzzTestUnpaired does the same for the two-sample test.
func FuzzTestUnpaired(f *testing.F) {
	addPairSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		w0, w1 := pairsFromBytes(data, 48)
		var res *UnpairedResult
		var err error
		within(t, func() {
			res, err = TestUnpaired(w0, w1, UnpairedOptions{Bootstrap: 2, Seed: 1, Workers: 1, GridPoints: 64})
		}, w0, w1)
		checkFuzzResult(t, res, err, w0, w1)
	})
}

// FuzzTestSnapshot does the same for the single-snapshot test.
func FuzzTestSnapshot(f *testing.F) {
	addPairSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		w0, _ := pairsFromBytes(data, 48)
		var res *SnapshotResult
		var err error
		within(t, func() { res, err = TestSnapshot(w0, SnapshotOptions{Workers: 1}) }, w0, nil)
		checkFuzzResult(t, res, err, w0, nil)
	})
}

func checkFuzzResult[R any](t *testing.T, res *R, err error, w0, w1 []float64) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, inputerr.ErrInput) {
			t.Fatalf("(%v, %v): error %v is not an input error", w0, w1, err)
		}
		return
	}
	if res == nil {
		t.Fatalf("(%v, %v): nil result without error", w0, w1)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatalf("(%v, %v): result does not encode: %v", w0, w1, err)
	}
}

// fuzzHang is how long one call on at most 48 pairs may take before the
// fuzzer reports the input as a hang (calls take milliseconds).
const fuzzHang = 20 * time.Second

// within runs fn and fails if it has not returned after fuzzHang, so the
// fuzzer saves inputs that hang instead of stalling on them.
func within(t *testing.T, fn func(), w0, w1 []float64) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(fuzzHang):
		t.Fatalf("(%v, %v): no result after %v", w0, w1, fuzzHang)
	}
}
