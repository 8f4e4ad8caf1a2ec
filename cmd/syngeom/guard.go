package main

import (
	"fmt"
	"math"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/syngeom/syngeom/ingest"
)

// memoryFlag parses --max-memory: a byte count with an optional decimal
// (kB, MB, GB, TB) or binary (KiB, MiB, GiB, TiB) unit. Setting it also
// makes the budget the Go runtime's soft memory limit, so the collector
// works harder near it instead of letting the heap grow to the kernel's
// out-of-memory killer.
type memoryFlag struct{ n *int64 }

func (m *memoryFlag) String() string {
	if m.n == nil || *m.n == 0 {
		return "0"
	}
	return ingest.FormatBytes(*m.n)
}

func (m *memoryFlag) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	*m.n = n
	if n > 0 {
		debug.SetMemoryLimit(n)
	}
	return nil
}

func (m *memoryFlag) Type() string { return "size" }

var byteUnits = []struct {
	suffix string
	scale  float64
}{
	// Longest suffixes first, so "MiB" is not read as "B".
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"t", 1e12},
	{"b", 1},
}

// parseBytes reads "4GB", "512MiB", "1.5g", "1e9" or "1000000".
func parseBytes(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	scale := 1.0
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, scale = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.scale
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v*scale >= math.MaxInt64 {
		return 0, fmt.Errorf("want a size such as 4GB or 512MiB, not %q", s)
	}
	return int64(v * scale), nil
}
