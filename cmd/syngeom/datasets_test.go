package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/ingest"
)

func TestDatasetsList(t *testing.T) {
	out, _ := mustRun(t, "datasets", "list")
	for _, want := range []string{"demo", "SYNTHETIC", "robustness-normal-p3.0", "song2005", "avermann2012", "loewenstein2011",
		"doi:10.1371/journal.pbio.0030068", "doi:10.1152/jn.00917.2011", "lognormal:mu=-0.702,sigma=0.9355", "qualitative"} {
		if !strings.Contains(out, want) {
			t.Errorf("datasets list does not mention %q", want)
		}
	}
	out, _ = mustRun(t, "datasets", "list", "--json")
	var doc datasetsListJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Datasets) != len(datasets.Builtins()) || len(doc.Literature) != len(datasets.Literature()) || doc.Datasets[0].Name != "demo" {
		t.Errorf("JSON list: %+v", doc)
	}
	for _, l := range doc.Literature {
		if l.Law != "" {
			if _, err := datasets.ParseLaw(l.Law); err != nil {
				t.Errorf("%s: law %q does not parse: %v", l.Name, l.Law, err)
			}
		}
	}
}

func TestDatasetsExportDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.parquet")
	_, errs := mustRun(t, "datasets", "export", "demo", "-o", path)
	if !strings.Contains(errs, "SYNTHETIC") || !strings.Contains(errs, "20000 synapses") {
		t.Errorf("stderr: %s", errs)
	}
	d, err := ingest.Load([]string{path}, ingest.Options{Group: "group"})
	if err != nil {
		t.Fatal(err)
	}
	demo := datasets.Demo()
	var wantB, wantA []float64
	for i := range demo.Before {
		if demo.Before[i] == demo.Before[i] && demo.After[i] == demo.After[i] { // both not NaN
			wantB, wantA = append(wantB, demo.Before[i]), append(wantA, demo.After[i])
		}
	}
	if !sameBits(d.Before, wantB) || !sameBits(d.After, wantA) || strings.Join(d.GroupNames, ",") != "type_A,type_B" {
		t.Errorf("exported demo differs from datasets.Demo(): %d pairs, groups %v", len(d.Before), d.GroupNames)
	}
	long := filepath.Join(t.TempDir(), "demo_long.tsv")
	mustRun(t, "datasets", "export", "demo", "--long", "-o", long)
	dl, err := ingest.Load([]string{long}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(dl.Before, wantB) || !sameBits(dl.After, wantA) {
		t.Errorf("long export differs: %d pairs", len(dl.Before))
	}
}

func TestDatasetsErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.csv")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"datasets"}, "list or export"},
		{[]string{"datasets", "show"}, "list or export"},
		{[]string{"datasets", "list", "extra"}, "no arguments"},
		{[]string{"datasets", "list", "-o", out}, "export"},
		{[]string{"datasets", "export", "-o", out}, "one NAME"},
		{[]string{"datasets", "export", "demo"}, "-o FILE"},
		{[]string{"datasets", "export", "demo", "-o", "demo.json"}, ".parquet"},
		{[]string{"datasets", "export", "song2005", "-o", out}, "--init-lit song2005"},
		{[]string{"datasets", "export", "nothing", "-o", out}, "demo"},
	} {
		code, _, errs := runSyngeom(c.args...)
		if code != exitInput || !strings.Contains(errs, c.msg) {
			t.Errorf("syngeom %s: exit %d, stderr %q; want exit 2 mentioning %q", strings.Join(c.args, " "), code, errs, c.msg)
		}
	}
}
