package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runFitCLI runs syngeom in-process and returns the exit code and streams.
func runFitCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	return code, out.String(), errb.String()
}

// writeFitCSV writes a CSV file with the given header and rows of values.
func writeFitCSV(t *testing.T, header string, rows [][]float64) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(header + "\n")
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%.17g", v)
		}
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "w.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type fitJSON struct {
	Schema string `json:"schema"`
	Input  struct {
		N             map[string]int `json:"n"`
		TruncateBelow *float64       `json:"truncate_below"`
		GOFSamples    int            `json:"gof_samples"`
	} `json:"input"`
	Fits map[string][]struct {
		Family   string             `json:"family"`
		Status   string             `json:"status"`
		Params   map[string]float64 `json:"params"`
		SE       map[string]float64 `json:"se"`
		LogLik   *float64           `json:"loglik"`
		AIC      *float64           `json:"aic"`
		AICc     *float64           `json:"aicc"`
		BIC      *float64           `json:"bic"`
		KS       *float64           `json:"ks"`
		CvM      *float64           `json:"cvm"`
		AD       *float64           `json:"ad"`
		PValues  map[string]any     `json:"p_values"`
		DeltaAIC *float64           `json:"delta_aic"`
	} `json:"fits"`
	Comparisons map[string]struct {
		Best    string `json:"best"`
		LRTests []any  `json:"lr_tests"`
	} `json:"comparisons"`
}

func TestFitCommandPaired(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rows := make([][]float64, 300)
	for i := range rows {
		w0 := math.Exp(-0.5 + 0.8*r.NormFloat64())
		rows[i] = []float64{w0, w0 * math.Exp(0.1+0.2*r.NormFloat64())}
	}
	path := writeFitCSV(t, "before,after", rows)
	code, out, errs := runFitCLI("fit", path, "--families", "lnorm,gamma,powernormal,weibull", "--gof-samples", "19", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc fitJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if doc.Schema != "syngeom/1" || doc.Input.N["before"] != 300 || doc.Input.N["after"] != 300 || doc.Input.GOFSamples != 19 {
		t.Errorf("header: %+v", doc.Input)
	}
	for _, name := range []string{"before", "after"} {
		fits := doc.Fits[name]
		if len(fits) != 4 {
			t.Fatalf("%s: %d fits", name, len(fits))
		}
		for _, f := range fits {
			if f.Status != "ok" || f.LogLik == nil || f.AIC == nil || f.AICc == nil || f.BIC == nil || f.KS == nil || f.CvM == nil || f.AD == nil || len(f.SE) != len(f.Params) || f.PValues["ad"] == nil {
				t.Errorf("%s/%s incomplete: %+v", name, f.Family, f)
			}
		}
		if f := fits[0]; f.Family != "lognormal" || math.Abs(f.Params["sdlog"]-0.8) > 0.1 {
			t.Errorf("%s lognormal: %+v", name, f.Params)
		}
		if doc.Comparisons[name].Best == "" || len(doc.Comparisons[name].LRTests) != 1 {
			t.Errorf("%s comparisons: %+v", name, doc.Comparisons[name])
		}
	}
	// --sample after fits only the after column; the text output has the tables.
	code, out, errs = runFitCLI("fit", path, "--sample", "after", "--families", "lognormal,exponential", "--gof-samples", "9")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"sample after: n = 300", "meanlog", "std. error", "Goodness of fit", "AD", "best by AIC: lognormal", "p-values: parametric bootstrap, 9 refitted resamples"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sample before") {
		t.Error("--sample after also fitted before")
	}
}

func TestFitCommandSingleAndErrors(t *testing.T) {
	rows := [][]float64{{0.5}, {1.2}, {0.9}, {2.5}, {0.7}, {1.1}, {3.0}, {0.4}}
	path := writeFitCSV(t, "size", rows)
	jsonPath := filepath.Join(t.TempDir(), "out.json")
	code, _, errs := runFitCLI("fit", path, "--column", "size", "--truncate-below", "0.3", "--gof-samples", "9", "--bootstrap", "9", "--json", jsonPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc fitJSON
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Input.TruncateBelow == nil || *doc.Input.TruncateBelow != 0.3 || len(doc.Fits["sample"]) != 8 {
		t.Errorf("single sample with truncation: %+v, %d fits", doc.Input, len(doc.Fits["sample"]))
	}
	// Usage and input errors exit 2 with a message.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"fit"}, "needs a FILE"},
		{[]string{"fit", path, "--families", "cauchy"}, "unknown family"},
		{[]string{"fit", path, "--truncate-below", "x"}, "finite number"},
		{[]string{"fit", path, "--truncate-below", "0.45"}, "below the truncation point"},
		{[]string{"fit", path, "--sample", "after"}, "single sample"},
		{[]string{"fit", path, "--sample", "middle"}, "before, after or both"},
		{[]string{"fit", filepath.Join(t.TempDir(), "missing.csv")}, ""},
	} {
		code, _, errs := runFitCLI(c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", c.args, code, errs, c.want)
		}
	}
	// Data a family cannot use is reported in its row, not as a failure.
	neg := writeFitCSV(t, "x", [][]float64{{-1}, {0.5}, {2}, {0}, {1.5}})
	code, out, errs := runFitCLI("fit", neg, "--families", "normal,gamma", "--gof-samples", "0", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	fits := doc.Fits["sample"]
	if fits[0].Status != "ok" || !strings.Contains(fits[1].Status, "positive") {
		t.Errorf("statuses: %q, %q", fits[0].Status, fits[1].Status)
	}
}

func TestFitCommandGroups(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	b.WriteString("animal,size\n")
	for i := 0; i < 120; i++ {
		name, mu := "a", 0.0
		if i%3 == 0 {
			name, mu = "b", 1.0
		}
		fmt.Fprintf(&b, "%s,%.17g\n", name, math.Exp(mu+0.5*r.NormFloat64()))
	}
	path := filepath.Join(t.TempDir(), "g.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runFitCLI("fit", path, "--column", "size", "--group", "animal", "--families", "lognormal", "--gof-samples", "0", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc fitJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Input.N["sample"] != 120 || doc.Input.N["sample/a"] != 80 || doc.Input.N["sample/b"] != 40 {
		t.Fatalf("group sizes: %v", doc.Input.N)
	}
	a, bb := doc.Fits["sample/a"][0].Params["meanlog"], doc.Fits["sample/b"][0].Params["meanlog"]
	if math.Abs(a) > 0.25 || math.Abs(bb-1) > 0.25 {
		t.Errorf("per-group meanlog: a %.3g (want ≈ 0), b %.3g (want ≈ 1)", a, bb)
	}
}

// A column of positive weights with a few zeros (absent synapses) is
// fitted by the positive families on its nonzero values, as analyze fits
// it, and the output says how many zeros were left out; --families signed
// keeps them.
func TestFitLeavesOutZeroWeights(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.csv")
	content := "w\n0\n0\n0.5\n1.2\n0.8\n2.5\n0.3\n1.1\n0.9\n1.7\n0.6\n1.4\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runFitCLI("fit", path, "--gof-samples", "0", "--families", "lognormal,gamma")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "=== n = 10 ===") || !strings.Contains(out, "left out 2 zero weights") || strings.Contains(out, "not fitted") {
		t.Errorf("positive families on a column with zeros:\n%s", out)
	}
	code, out, _ = runFitCLI("fit", path, "--gof-samples", "0", "--families", "signed")
	if code != 0 || !strings.Contains(out, "=== n = 12 ===") || strings.Contains(out, "left out") {
		t.Errorf("signed families keep the zeros:\n%s", out)
	}
}
