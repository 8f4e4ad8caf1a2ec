package analysis

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/syngeom/syngeom/ingest"
)

// How long a large in-memory analysis takes to return once its context is
// cancelled, at several moments of the run. It logs the delays (timings
// are machine-dependent, so nothing is asserted on them). Opt-in:
// SYNGEOM_LONG=1; SYNGEOM_CANCEL_N sets the number of pairs (default 10^7).
func TestLongCancelLatency(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to measure the cancellation delay")
	}
	n := 10_000_000
	if s := os.Getenv("SYNGEOM_CANCEL_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	before, after := make([]float64, n), make([]float64, n)
	for i := range before {
		before[i] = math.Exp(rng.NormFloat64())
		after[i] = before[i] * math.Exp(0.3*rng.NormFloat64())
	}
	d, err := ingest.FromSlices(ingest.Slices{Before: before, After: after})
	if err != nil {
		t.Fatal(err)
	}
	for _, after := range []time.Duration{500 * time.Millisecond, 2 * time.Second, 5 * time.Second, 8 * time.Second, 13 * time.Second, 14 * time.Second, 16 * time.Second, 17 * time.Second, 18 * time.Second, 19 * time.Second, 21 * time.Second, 22 * time.Second,
		10 * time.Second, 12 * time.Second, 15 * time.Second, 20 * time.Second, 30 * time.Second} {
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		timer := time.AfterFunc(after, cancel)
		_, err := AnalyzeContext(ctx, d, DefaultOptions())
		delay := time.Since(start) - after
		timer.Stop()
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Logf("cancel after %v: the run ended first (%v, err %v)", after, time.Since(start), err)
			continue
		}
		t.Logf("%d pairs, cancelled after %v: returned %v later", n, after, delay.Round(time.Millisecond))
	}
}
