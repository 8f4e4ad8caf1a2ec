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

// writeMultiplicativePairs writes n synapses whose changes are exactly
// multiplicative (negative entropy): w1 = w0·exp(0.1ε), in two groups.
func writeMultiplicativePairs(t *testing.T, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("animal,before,after\n")
	for i := 0; i < n; i++ {
		w0 := math.Exp(-0.7 + 0.9*rng.NormFloat64())
		w1 := w0 * math.Exp(0.1*rng.NormFloat64())
		fmt.Fprintf(&b, "%s,%v,%v\n", []string{"a", "b"}[i%2], w0, w1)
	}
	path := filepath.Join(t.TempDir(), "pairs.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runTest(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"test"}, args...), &runEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	return code, out.String(), errb.String()
}

func TestTestCommandJSON(t *testing.T) {
	path := writeMultiplicativePairs(t, 600)
	code, out, errs := runTest(path, "--bootstrap", "20", "--null-replicates", "50", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Schema string `json:"schema"`
		Input  struct {
			Pairs int `json:"pairs_used"`
		} `json:"input"`
		Geometry struct {
			Candidates []struct {
				Name       string   `json:"name"`
				P          *float64 `json:"p"`
				DCDF       *float64 `json:"dcdf"`
				DCDFPValue *float64 `json:"dcdf_p_value"`
			} `json:"candidates"`
			BestByLikelihood string             `json:"best_by_likelihood"`
			LambdaHat        *float64           `json:"lambda_hat"`
			LambdaCI         [2]*float64        `json:"lambda_ci"`
			BootstrapWins    map[string]float64 `json:"bootstrap_wins"`
			LRTests          struct {
				Euclidean struct {
					PValue *float64 `json:"p_value"`
				} `json:"euclidean"`
			} `json:"lr_tests"`
			Verdict string `json:"verdict"`
		} `json:"geometry"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	g := doc.Geometry
	if doc.Schema != "syngeom/1" || doc.Input.Pairs != 600 || len(g.Candidates) != 21 {
		t.Fatalf("schema %q, pairs %d, %d candidates", doc.Schema, doc.Input.Pairs, len(g.Candidates))
	}
	if g.Candidates[0].Name != "NE" || g.Candidates[0].P != nil || g.Candidates[0].DCDFPValue == nil {
		t.Errorf("first candidate: %+v", g.Candidates[0])
	}
	if g.LambdaHat == nil || g.LambdaCI[0] == nil || *g.LambdaCI[0] > 0 || *g.LambdaCI[1] < 0 {
		t.Errorf("λ̂ %v with interval %v should cover 0 (the data are multiplicative)", g.LambdaHat, g.LambdaCI)
	}
	if g.LRTests.Euclidean.PValue == nil || *g.LRTests.Euclidean.PValue > 1e-6 {
		t.Errorf("Euclidean not rejected: %v", g.LRTests.Euclidean.PValue)
	}
	if !strings.Contains(g.Verdict, "most consistent with negative entropy") || strings.Contains(g.Verdict, "prove") {
		t.Errorf("verdict: %s", g.Verdict)
	}
	sum := 0.0
	for _, v := range g.BootstrapWins {
		sum += v
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("bootstrap win fractions sum to %v", sum)
	}
	// Same seed, same bytes.
	_, again, _ := runTest(path, "--bootstrap", "20", "--null-replicates", "50", "--json", "-")
	if again != out {
		t.Error("two runs with the same seed differ")
	}
}

func TestTestCommandTextAndGroups(t *testing.T) {
	path := writeMultiplicativePairs(t, 400)
	jsonPath := filepath.Join(t.TempDir(), "out.json")
	code, out, errs := runTest(path, "--group", "animal", "--candidates", "NE,1.5,2,3,hypentropy:0.1",
		"--bootstrap", "0", "--null-replicates", "30", "--json", jsonPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"candidate", "hypentropy(beta=0.1)", "λ̂ =", "LR test of Euclidean", "=== group a ===", "=== group b ===", "most consistent with"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			Group    string `json:"group"`
			Geometry struct {
				N int `json:"n"`
			} `json:"geometry"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) != 2 || doc.Groups[0].Geometry.N != 200 || doc.Groups[1].Geometry.N != 200 {
		t.Errorf("groups: %+v", doc.Groups)
	}
}

func TestTestCommandErrors(t *testing.T) {
	path := writeMultiplicativePairs(t, 50)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "needs a FILE"},
		{[]string{path, "--candidates", "NE,0.5"}, "p > 1"},
		{[]string{path, "--bootstrap", "-1"}, "--bootstrap"},
		{[]string{filepath.Join(t.TempDir(), "missing.csv")}, "missing.csv"},
	} {
		code, _, errs := runTest(tc.args...)
		if code != exitInput || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tc.args, code, errs, tc.want)
		}
	}
}
