package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/testgeom"
)

// The same consecutive pairs written as a wide table whose synapse id
// repeats give the same synapse-robust interval as the long table paired
// with --consecutive: pairs of one synapse are never taken as independent.
func TestWideRepeatedIDsCluster(t *testing.T) {
	c := datasets.Chains{Potential: geometry.NegEntropy{}, Init: datasets.LogNormal{SDLog: 0.5}, Step: 0.1, Shift: 0.02,
		SynapseScale: 0.4, Sessions: 4, N: 120, Seed: 9}
	p, err := c.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	var wide strings.Builder
	wide.WriteString("synapse_id,before,after\n")
	for i := range p.Before {
		fmt.Fprintf(&wide, "s%d,%v,%v\n", p.Synapse[i], p.Before[i], p.After[i])
	}
	dir := t.TempDir()
	run := func(name, content string, args ...string) *testgeom.Result {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runTest(append([]string{path, "--candidates", "NE,2", "--bootstrap", "0", "--null-replicates", "0", "--json", "-"}, args...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		var doc struct {
			Geometry *testgeom.Result `json:"geometry"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Geometry
	}
	l := run("long.csv", longChainsCSV(p), "--id", "synapse", "--time", "session", "--value", "value", "--consecutive")
	w := run("wide.csv", wide.String())
	li, wi := l.LambdaInterval, w.LambdaInterval
	if wi == nil || !strings.HasPrefix(wi.Method, "cluster_robust") || wi.Clusters != 120 {
		t.Fatalf("wide table with repeated ids: interval %+v, want synapse-robust over 120 synapses", wi)
	}
	if li == nil || *l.LambdaCI[0] != *w.LambdaCI[0] || *l.LambdaCI[1] != *w.LambdaCI[1] || *l.LambdaHat != *w.LambdaHat {
		t.Errorf("wide λ̂ %v [%v, %v], long %v [%v, %v]", *w.LambdaHat, *w.LambdaCI[0], *w.LambdaCI[1], *l.LambdaHat, *l.LambdaCI[0], *l.LambdaCI[1])
	}
}
