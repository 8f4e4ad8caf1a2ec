package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeNoisyPairs writes n synapses with multiplicative (NE) changes of
// log-sd step, measured with additive noise of sd noise, with a same-session
// repeat of the before measurement and a condition column whose last third
// is a control with half the step.
func writeNoisyPairs(t *testing.T, n int, step, noise float64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	b.WriteString("condition,before,before_repeat,after\n")
	for i := 0; i < n; i++ {
		w0 := math.Exp(0.5 * rng.NormFloat64())
		cond, s := "learn", step
		if i >= 2*n/3 {
			cond, s = "ctrl", step/2
		}
		w1 := w0 * math.Exp(s*rng.NormFloat64())
		fmt.Fprintf(&b, "%s,%v,%v,%v\n", cond, w0+noise*rng.NormFloat64(), w0+noise*rng.NormFloat64(), w1+noise*rng.NormFloat64())
	}
	path := filepath.Join(t.TempDir(), "noisy.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type noiseDoc struct {
	NoiseAware struct {
		NoiseEstimate *struct {
			Model struct{ CV, SD float64 } `json:"model"`
		} `json:"noise_estimate"`
		Correction *struct {
			Status      string      `json:"status"`
			NoiseSource string      `json:"noise_source"`
			Naive       *float64    `json:"naive_lambda_hat"`
			Lambda      *float64    `json:"lambda_hat"`
			CI          [2]*float64 `json:"lambda_ci"`
		} `json:"correction"`
		Control *struct {
			AddsChange *float64 `json:"adds_change_p_value"`
		} `json:"control"`
		Groups *struct {
			LRPValue *float64 `json:"lr_p_value"`
		} `json:"group_comparison"`
	} `json:"noise_aware"`
}

// TestTestCommandNoise: with the noise given, and with the noise estimated
// from a same-session repeat column, the corrected λ̂ of NE changes under
// additive noise is near 0 while the naive one is not; the condition column
// as a control shows that learning adds change.
func TestTestCommandNoise(t *testing.T) {
	path := writeNoisyPairs(t, 900, 0.3, 0.2)
	common := []string{path, "--before", "before", "--after", "after", "--bootstrap", "0", "--null-replicates", "0", "--noise-replicates", "10", "--noise-bootstrap", "10", "--json", "-"}
	for _, extra := range [][]string{{"--noise-sd", "0.2"}, {"--repeat-before", "before_repeat", "--noise-kind", "sd"}} {
		code, out, errs := runTest(append(common, extra...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, errs)
		}
		var doc noiseDoc
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		c := doc.NoiseAware.Correction
		if c == nil || c.Lambda == nil || c.Naive == nil {
			t.Fatalf("%v: no correction: %+v", extra, c)
		}
		t.Logf("%v: naive %.3f, corrected %.3f (%s)", extra, *c.Naive, *c.Lambda, c.NoiseSource)
		if *c.Naive < 0.3 || math.Abs(*c.Lambda) > 0.25 {
			t.Errorf("%v: naive %v, corrected %v", extra, *c.Naive, *c.Lambda)
		}
		if e := doc.NoiseAware.NoiseEstimate; len(extra) > 2 && (e == nil || math.Abs(e.Model.SD-0.2) > 0.03) {
			t.Errorf("estimated noise %+v, want sd 0.2", e)
		}
	}
	code, out, errs := runTest(path, "--before", "before", "--after", "after", "--group", "condition", "--control-group", "ctrl", "--bootstrap", "0", "--null-replicates", "0")
	if code != 0 {
		t.Fatalf("control: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "learning versus control:") || !strings.Contains(out, "learning adds change beyond the control") {
		t.Errorf("control report:\n%s", out)
	}
}

// TestTestCommandGroupComparison: --group adds the LR test of a common λ.
func TestTestCommandGroupComparison(t *testing.T) {
	path := writeMultiplicativePairs(t, 400)
	code, out, errs := runTest(path, "--group", "animal", "--bootstrap", "0", "--null-replicates", "0", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc noiseDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if g := doc.NoiseAware.Groups; g == nil || g.LRPValue == nil || *g.LRPValue < 0.001 {
		t.Errorf("group comparison of two groups with the same geometry: %+v", g)
	}
}

func TestTestCommandNoiseUsage(t *testing.T) {
	path := writeMultiplicativePairs(t, 50)
	for _, args := range [][]string{
		{"--noise-cv", "-1"},
		{"--noise-cv", "0.1", "--noise-from", path},
		{"--noise-value", "x"},
		{"--noise-kind", "big"},
		{"--noise-method", "magic"},
		{"--noise-bootstrap", "-1"},
		{"--control-group", "a"},
		{"--control", path, "--control-group", "a"},
	} {
		code, _, errs := runTest(append([]string{path, "--bootstrap", "0", "--null-replicates", "0"}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}
