package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldenCommands is the fixed set of commands whose JSON guards the
// contract of every input shape and subcommand: a change of any number or
// field shows here, named by its JSON path. Each runs on small committed
// tables (testdata/golden/README.md) with a fixed seed, so the set is fast.
var goldenCommands = []struct {
	name string
	args []string
}{
	{"analyze_demo", []string{"analyze", "--candidates", "NE,2", "--families", "lognormal,gamma", "--bootstrap", "10", "--null-replicates", "20", "--gof-samples", "9", "--seed", "3"}},
	{"test_paired", []string{"test", "testdata/golden/analyze_pairs.csv", "--group", "group", "--candidates", "NE,1.5,2,3", "--bootstrap", "20", "--null-replicates", "20", "--seed", "7"}},
	{"test_long", []string{"test", "testdata/golden/long_chains.csv", "--id", "synapse", "--time", "session", "--value", "value", "--consecutive", "--candidates", "NE,1.5,2,3", "--bootstrap", "20", "--null-replicates", "20", "--seed", "7"}},
	{"test_unpaired", []string{"test", "testdata/golden/analyze_pairs.csv", "--unpaired", "--candidates", "NE,1.5,2,3", "--bootstrap", "20", "--seed", "7"}},
	{"test_single", []string{"test", "testdata/golden/analyze_pairs.csv", "--column", "before", "--seed", "7"}},
	{"fit", []string{"fit", "testdata/golden/analyze_pairs.csv", "--column", "before", "--families", "lognormal,gamma,weibull", "--gof-samples", "19", "--seed", "7"}},
	{"power", []string{"power", "--n", "100,300", "--sims", "20", "--seed", "3"}},
}

// TestGoldenCommands compares the JSON of each command with its stored
// document (numbers to a relative 1e-9, everything else exactly). After an
// intended change: go test ./cmd/syngeom -run TestGoldenCommands -update,
// then review the diff.
func TestGoldenCommands(t *testing.T) {
	for _, c := range goldenCommands {
		t.Run(c.name, func(t *testing.T) {
			out, _ := runAnalyze(t, append(c.args, "--json", "-")...)
			path := filepath.Join("testdata", "golden", "commands", c.name+".json")
			if *update {
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			compareGolden(t, out, path, "syngeom "+strings.Join(c.args, " "))
		})
	}
}
