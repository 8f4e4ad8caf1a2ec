package stream

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// chainRows lays out synapses measured at sessions as pairs, one row a
// step (1 → 2, 2 → 3, …), as a table without synapse ids has them.
func chainRows(rng *rand.Rand, synapses, sessions int) (before, after []float64) {
	for range synapses {
		w := math.Exp(0.5 * rng.NormFloat64())
		for range sessions - 1 {
			next := w * math.Exp(0.2*rng.NormFloat64())
			before, after = append(before, w), append(after, next)
			w = next
		}
	}
	return before, after
}

// TestChainCount: chains are found whatever the batches, and neither
// independent pairs nor integer pairs full of chance ties are taken for
// chains.
func TestChainCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	before, after := chainRows(rng, 1000, 5) // 4 rows a synapse, 3 of them chained
	var whole chainCount
	whole.add(before, after)
	if !whole.chained() || whole.Compared != int64(len(before)-2) || whole.Next < whole.Compared*7/10 || whole.Skip != 0 {
		t.Errorf("chains: %+v, want about three in four rows chained and none two rows on", whole)
	}
	var batched chainCount
	for lo := 0; lo < len(before); lo += 7 {
		hi := min(lo+7, len(before))
		batched.add(before[lo:hi], after[lo:hi])
	}
	if batched.Compared != whole.Compared || batched.Next != whole.Next || batched.Skip != whole.Skip {
		t.Errorf("in batches of 7: %+v, in one: %+v", batched, whole)
	}
	if w := whole.warning(); !strings.HasPrefix(w, fmt.Sprintf("%d of %d rows (", whole.Next, whole.Compared)) || !strings.Contains(w, "--id") {
		t.Errorf("warning %q", w)
	}

	independent := func(draw func() float64) chainCount {
		var c chainCount
		b, a := make([]float64, 5000), make([]float64, 5000)
		for i := range b {
			b[i], a[i] = draw(), draw()
		}
		c.add(b, a)
		return c
	}
	if c := independent(rng.ExpFloat64); c.chained() || c.Next != 0 {
		t.Errorf("independent continuous pairs: %+v", c)
	}
	small := func() float64 { return float64(1 + rng.IntN(4)) }
	if c := independent(small); c.chained() || c.Next < 1000 {
		t.Errorf("independent pairs of 1–4: %+v, want about a quarter tied by chance and no chains", c)
	}
	var zeros chainCount
	zeros.add(make([]float64, 100), make([]float64, 100))
	if zeros.Compared != 0 || zeros.chained() {
		t.Errorf("zeros: %+v, want none compared", zeros)
	}
	var capped chainCount
	for range 3 {
		capped.add(slices.Repeat(before, 200), slices.Repeat(after, 200))
	}
	if capped.Compared != chainCheckMax-2 {
		t.Errorf("after %d rows: %d compared, want the first %d rows", 3*200*len(before), capped.Compared, chainCheckMax)
	}
}

// TestChainedTableWarns: a streamed test of a chained table without ids
// warns, on every scope; with its synapse ids named, or on independent
// pairs, it does not.
func TestChainedTableWarns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	before, after := chainRows(rng, 600, 4)
	var chained, labelled, shuffled strings.Builder
	chained.WriteString("cell,w0,w1\n")
	labelled.WriteString("synapse,cell,w0,w1\n")
	shuffled.WriteString("cell,w0,w1\n")
	perm := rng.Perm(len(before))
	for i := range before {
		cell := []string{"pyr", "pv"}[i/3%2]
		fmt.Fprintf(&chained, "%s,%v,%v\n", cell, before[i], after[i])
		fmt.Fprintf(&labelled, "s%d,%s,%v,%v\n", i/3, cell, before[i], after[i])
		fmt.Fprintf(&shuffled, "%s,%v,%v\n", cell, before[perm[i]], after[perm[i]])
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name, table, id string
		warn            bool
	}{
		{"chained", chained.String(), "", true},
		{"labelled", labelled.String(), "synapse", false},
		{"shuffled", shuffled.String(), "", false},
	} {
		path := filepath.Join(dir, c.name+".csv")
		if err := os.WriteFile(path, []byte(c.table), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg := config(path)
		cfg.Ingest.ID, cfg.Ingest.Group = c.id, "cell"
		cfg.Test.Bootstrap, cfg.Test.NullReplicates = 0, 0
		first, second, err := Passes(cfg)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Assemble(cfg, first, second)
		if err != nil {
			t.Fatal(err)
		}
		scopes := [][]string{out.Geometry.Warnings}
		for _, g := range out.Groups {
			scopes = append(scopes, g.Geometry.Warnings)
		}
		for i, warnings := range scopes {
			got := slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, "begin with the value the row before ended with") })
			if got != c.warn {
				t.Errorf("%s, scope %d: chain warning %v, want %v (warnings %q)", c.name, i, got, c.warn, warnings)
			}
		}
	}
}
