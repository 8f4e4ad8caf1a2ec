package fit

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// floatsFromBytes turns fuzz bytes into float64 values, eight bytes each, so
// the fuzzer can reach every bit pattern (NaN payloads, denormals, ±0, ±Inf).
func floatsFromBytes(b []byte, max int) []float64 {
	n := len(b) / 8
	if n > max {
		n = max
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return x
}

func fuzzSeedBytes(vals ...float64) []byte {
	b := make([]byte, 8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return b
}

// FuzzFit feeds arbitrary samples to Fit with every family: it must not
// panic, must refuse non-finite input with an InputError, and its report
// must encode as JSON (no NaN or Inf escapes into a number field).
func FuzzFit(f *testing.F) {
	f.Add(fuzzSeedBytes(), false)
	f.Add(fuzzSeedBytes(1), false)
	f.Add(fuzzSeedBytes(1, 1, 1, 1), true)
	f.Add(fuzzSeedBytes(0.1, 0.2, 0.3, 5, 7), false)
	f.Add(fuzzSeedBytes(-1, 0, 1, 2, 3, 1e300), false)
	f.Add(fuzzSeedBytes(5e-324, 1e-310, 2e-308, 1), true)
	f.Add(fuzzSeedBytes(math.Copysign(0, -1), 0, 0, 1e-300), false)
	f.Add(fuzzSeedBytes(1e308, 1.7e308, 1e307, 1), false)
	f.Fuzz(func(t *testing.T, data []byte, withBootstrap bool) {
		x := floatsFromBytes(data, 64)
		opts := Options{Seed: 1, Workers: 1}
		if withBootstrap {
			opts.Bootstrap, opts.GOFSamples = 3, 3
		}
		finite := true
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				finite = false
			}
		}
		rep, err := Fit(x, AllFamilies(), opts)
		if err != nil {
			if !errors.Is(err, inputerr.ErrInput) {
				t.Fatalf("Fit(%v): error %v is not an input error", x, err)
			}
			return
		}
		if !finite {
			t.Fatalf("Fit accepted non-finite data %v", x)
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatalf("Fit(%v): report does not encode: %v", x, err)
		}
		for _, r := range rep.Fits {
			if r.Status == "" {
				t.Fatalf("Fit(%v): family %s has no status", x, r.Family)
			}
		}
	})
}
