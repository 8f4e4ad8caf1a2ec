package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDeterminismAcrossGOMAXPROCS runs fit, test and
// power as separate processes at GOMAXPROCS 1, 2 and 8, twice at 2, and
// requires byte-identical JSON: parallel reductions use fixed chunks and
// ordered merges, and every random choice comes from the seed.
func TestDeterminismAcrossGOMAXPROCS(t *testing.T) {
	bin := buildSyngeom(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "w.csv")
	if code, _, stderr := runCLI("simulate", "dualshift", "-n", "3000", "--seed", "5", "-o", data); code != exitOK {
		t.Fatalf("simulate: %s", stderr)
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"fit", []string{"fit", data, "--column", "before", "--gof-samples", "30", "--bootstrap", "20", "--json", "-"}},
		{"test", []string{"test", data, "--bootstrap", "30", "--json", "-"}},
		{"power", []string{"power", "--n", "100,300", "--sims", "8", "--seed", "3", "--json", "-"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var first []byte
			for i, procs := range []string{"1", "2", "8", "2"} {
				cmd := exec.Command(bin, c.args...)
				cmd.Env = append(cmd.Environ(), "GOMAXPROCS="+procs)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("GOMAXPROCS=%s: %v\n%s", procs, err, stderr.String())
				}
				if !json.Valid(out) || len(out) < 100 {
					t.Fatalf("GOMAXPROCS=%s: not a JSON document:\n%s", procs, out)
				}
				if i == 0 {
					first = out
					continue
				}
				if !bytes.Equal(out, first) {
					t.Fatalf("GOMAXPROCS=%s (run %d) differs from GOMAXPROCS=1:\n%s", procs, i+1, firstDiff(first, out))
				}
			}
		})
	}
}

// firstDiff shows the neighbourhood of the first differing byte.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return "GOMAXPROCS=1: …" + string(a[lo:min(len(a), i+80)]) + "…\nother:        …" + string(b[lo:min(len(b), i+80)]) + "…"
}
