package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runPower(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"power"}, args...), &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	return code, out.String(), errb.String()
}

// TestPowerCommand: a small plan in JSON and as text; the JSON has one row
// per sample size and method, and reruns are identical.
func TestPowerCommand(t *testing.T) {
	args := []string{"--n", "40,120", "--sims", "4", "--candidates", "NE,2,3", "--noise-cv", "0.1", "--change", "0.3", "--seed", "5"}
	code, out, errs := runPower(append(args, "--json", "-")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		TrueFamily string `json:"true_family"`
		Rows       []struct {
			N            int      `json:"n"`
			Method       string   `json:"method"`
			PRightFamily *float64 `json:"p_right_family"`
			Width        *float64 `json:"median_lambda_ci_width"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.TrueFamily != "NE" || len(doc.Rows) != 4 || doc.Rows[0].Method != "dcdf" || doc.Rows[3].N != 120 ||
		doc.Rows[1].Width == nil || doc.Rows[0].Width != nil || doc.Rows[3].PRightFamily == nil {
		t.Fatalf("unexpected table: %s", out)
	}
	if _, again, _ := runPower(append(args, "--json", "-")...); again != out {
		t.Fatal("a rerun with the same seed gave a different table")
	}
	code, text, errs := runPower(args...)
	if code != 0 || !strings.Contains(text, "P(right family)") || !strings.Contains(text, "likelihood") || !strings.Contains(errs, "simulated experiments") {
		t.Fatalf("exit %d, text:\n%s\nstderr: %s", code, text, errs)
	}
}

// TestPowerUnpairedAndFile: an unpaired plan whose initial law resamples a
// file of weights.
func TestPowerUnpairedAndFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.csv")
	if err := os.WriteFile(path, []byte("size\n0.2\n0.5\n0.9\n1.4\n2.2\n0.7\n0.3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runPower("--unpaired", "--init-file", path, "--n", "200", "--sims", "2", "--candidates", "NE,2", "--potential", "2", "--change", "0.5", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"unpaired_distance"`) || !strings.Contains(out, "empirical:") {
		t.Fatalf("unexpected output: %s", out)
	}
}

func TestPowerUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--refine"},
		{"--init", "lognormal:0,1", "--init-lit", "song2005"},
		{"--init-lit", "nosuchpaper"},
		{"--potential", "hypentropy:1", "--sims", "1", "--n", "20"},
		{"--n", "5", "--sims", "1"},
		{"--step", "-1"},
		{"file.csv"},
	} {
		if code, _, errs := runPower(args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}
