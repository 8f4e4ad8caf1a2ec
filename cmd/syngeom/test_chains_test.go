package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/compare"
	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/testgeom"
)

// longChainsCSV writes simulated chains as a long table: synapse, session,
// value and a constant cell column.
func longChainsCSV(p *datasets.ChainPairs) string {
	var b strings.Builder
	b.WriteString("synapse,session,value,cell\n")
	for i := range p.Before {
		if p.Step[i] == 0 {
			fmt.Fprintf(&b, "s%d,0,%v,a\n", p.Synapse[i], p.Before[i])
		}
		fmt.Fprintf(&b, "s%d,%d,%v,a\n", p.Synapse[i], p.Step[i]+1, p.After[i])
	}
	return b.String()
}

// A long table of chains, paired with --consecutive: λ̂'s interval sums
// scores per synapse, the bootstrap resamples synapses, and
// --group-by-step compares the steps.
func TestConsecutiveChains(t *testing.T) {
	c := datasets.Chains{Potential: geometry.NegEntropy{}, Init: datasets.LogNormal{SDLog: 0.5}, Step: 0.1, Shift: 0.02,
		SynapseScale: 0.4, Sessions: 4, N: 150, Seed: 5}
	p, err := c.Simulate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "chains.csv")
	if err := os.WriteFile(path, []byte(longChainsCSV(p)), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{path, "--id", "synapse", "--time", "session", "--value", "value", "--consecutive",
		"--bootstrap", "20", "--null-replicates", "0", "--json", "-"}
	code, out, errOut := runTest(append(args, "--group-by-step")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Geometry *testgeom.Result `json:"geometry"`
		Groups   []struct {
			Group    string           `json:"group"`
			Geometry *testgeom.Result `json:"geometry"`
		} `json:"groups"`
		NoiseAware struct {
			Groups *compare.GroupComparison `json:"group_comparison"`
		} `json:"noise_aware"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	li := doc.Geometry.LambdaInterval
	// Either step model's synapse-robust interval, whichever the data prefer.
	if li == nil || (li.Method != "cluster_robust_lr" && li.Method != "cluster_robust_student_t_lr") || li.Clusters != 150 || doc.Geometry.N != 450 {
		t.Fatalf("pooled interval %+v over %d pairs, want a synapse-robust interval over 150 synapses and 450 pairs", li, doc.Geometry.N)
	}
	if bs := doc.Geometry.Bootstrap; bs == nil || !strings.Contains(bs.Note, "whole synapses: 150,") {
		t.Errorf("bootstrap %+v does not resample synapses", bs)
	}
	if len(doc.Groups) != 3 || doc.Groups[0].Group != "0→1" || doc.Groups[2].Group != "2→3" {
		t.Fatalf("groups %+v, want the three steps", doc.Groups)
	}
	gc := doc.NoiseAware.Groups
	if gc == nil || gc.LRPValue == nil || gc.RobustPValue == nil || !strings.Contains(gc.Assumptions, "share synapses") {
		t.Fatalf("group comparison %+v", gc)
	}
	// A wider interval than that of independent pairs: the synapses' step
	// sizes differ, so their pairs' scores are correlated.
	if lo, hi := *doc.Geometry.LambdaCI[0], *doc.Geometry.LambdaCI[1]; !(hi-lo > *li.LRCI[1]-*li.LRCI[0]) {
		t.Errorf("synapse-robust interval [%v, %v] not wider than the LR interval %v", lo, hi, li.LRCI)
	}
	if code, _, errOut := runTest(append(args, "--group-by-step", "--group", "cell")...); code != 2 || !strings.Contains(errOut, "--group-by-step") {
		t.Errorf("--group-by-step with --group: exit %d, %s", code, errOut)
	}
	// Consecutive pairs stream with their synapses, to the same document,
	// with the steps as groups or not.
	for _, extra := range [][]string{nil, {"--group-by-step"}} {
		_, def, _ := runTest(append(args, extra...)...)
		if code, streamed, errOut := runTest(append(append(args, extra...), "--stream")...); code != 0 || streamed != def {
			t.Errorf("--consecutive %v with --stream: exit %d, %s; the same document as without: %v", extra, code, errOut, streamed == def)
		}
	}
}
