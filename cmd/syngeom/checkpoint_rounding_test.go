package main

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/checkpoint"
)

// writeRoundingPair writes a bfloat16 checkpoint pair of two tensors whose
// changes are about the size of the rounding step: positive log-normal
// weights near 0.05 (bfloat16 step 2^−12 to 2^−11 there) moved by an
// additive (Euclidean) step of sd 0.0005.
func writeRoundingPair(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	specs := []checkpoint.TensorSpec{
		{Name: "layers.0.mlp.weight", DType: checkpoint.BF16, Shape: []int64{60, 50}},
		{Name: "layers.1.mlp.weight", DType: checkpoint.BF16, Shape: []int64{60, 50}},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var w0, w1 []float64
	for range 6000 {
		v := math.Exp(-3 + 0.5*rng.NormFloat64())
		w0 = append(w0, v)
		w1 = append(w1, v+0.0005*rng.NormFloat64())
	}
	paths := [2]string{filepath.Join(dir, "base.safetensors"), filepath.Join(dir, "tuned.safetensors")}
	writeSafetensorsPair(t, paths, specs, [2][]float64{w0, w1})
	return paths[:]
}

var roundingFast = []string{"--bootstrap", "0", "--null-replicates", "0", "--noise-replicates", "8", "--noise-bootstrap", "10"}

// TestCheckpointRoundingNoise: on bfloat16 checkpoints with changes the
// size of the rounding step, the warning (before the verdict) points to
// --rounding-noise; with the flag the text and the JSON carry the
// correction with the bfloat16 CV, its source, the naive and corrected λ̂
// and the assumptions, on a subsample of the stated size, the same for the
// same seed.
func TestCheckpointRoundingNoise(t *testing.T) {
	paths := writeRoundingPair(t)
	code, out, errOut := runCLI(append([]string{"test", paths[0], paths[1]}, roundingFast...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	hint, verdict := strings.Index(out, "--rounding-noise adds λ̂ corrected"), strings.Index(out, "λ̂ = ")
	if hint < 0 || verdict < hint {
		t.Errorf("no warning pointing to --rounding-noise before the verdict:\n%s", out)
	}
	if strings.Contains(out, "rounding-corrected") {
		t.Errorf("correction without the flag:\n%s", out)
	}

	args := append([]string{"test", paths[0], paths[1], "--rounding-noise", "--rounding-noise-pairs", "5000", "--seed", "3"}, roundingFast...)
	code, out, errOut = runCLI(args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	t.Logf("\n%s", out)
	for _, want := range []string{"rounding noise: rounding to bfloat16, multiplicative CV 0.00166", "subsample of 5000 of the 6000 usable pairs",
		"rounding-corrected geometry, pooled (indirect", "corrected λ̂ = ", "rounding-corrected geometry of layers.1.mlp.weight", "the intervals assume"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if strings.Contains(out, "--rounding-noise adds") {
		t.Error("the hint to --rounding-noise is shown with the flag")
	}

	jsonOf := func() []byte {
		dir := t.TempDir()
		p := filepath.Join(dir, "r.json")
		if code, _, errOut := runCLI(append(args, "--json", p)...); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := jsonOf()
	var doc struct {
		Checkpoint struct {
			RoundingNoise *struct {
				CV     float64 `json:"cv"`
				Source string  `json:"source"`
				Sample struct {
					Eligible, Used, Cap int
					Subsampled          bool
				} `json:"sample"`
				Correction *struct {
					Noise       struct{ CV float64 }
					NoiseSource string      `json:"noise_source"`
					N           int         `json:"n"`
					Naive       *float64    `json:"naive_lambda_hat"`
					NaiveCI     [2]*float64 `json:"naive_lambda_ci"`
					Lambda      *float64    `json:"lambda_hat"`
					LambdaCI    [2]*float64 `json:"lambda_ci"`
					Assumptions string      `json:"assumptions"`
				} `json:"correction"`
				Groups []struct {
					Group      string
					Pairs      int
					Correction *struct{} `json:"correction"`
				} `json:"groups"`
			} `json:"rounding_noise"`
		} `json:"checkpoint"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	rn := doc.Checkpoint.RoundingNoise
	if rn == nil || rn.Correction == nil {
		t.Fatalf("no checkpoint.rounding_noise.correction in the JSON:\n%.2000s", b)
	}
	c := rn.Correction
	if want := checkpoint.BF16.RoundingCV(); rn.CV != want || c.Noise.CV != want {
		t.Errorf("CV %g (correction %g), want %g", rn.CV, c.Noise.CV, want)
	}
	if rn.Source != "rounding to bfloat16" || c.NoiseSource != rn.Source {
		t.Errorf("source %q / %q", rn.Source, c.NoiseSource)
	}
	if rn.Sample.Eligible != 6000 || rn.Sample.Used != 5000 || rn.Sample.Cap != 5000 || !rn.Sample.Subsampled || c.N != 5000 {
		t.Errorf("sample %+v, correction n %d", rn.Sample, c.N)
	}
	if c.Naive == nil || c.NaiveCI[0] == nil || c.Lambda == nil || c.LambdaCI[0] == nil || c.LambdaCI[1] == nil || c.Assumptions == "" {
		t.Errorf("correction incomplete: %+v", c)
	}
	if len(rn.Groups) != 2 || rn.Groups[0].Pairs+rn.Groups[1].Pairs != 5000 || rn.Groups[0].Correction == nil {
		t.Errorf("groups %+v", rn.Groups)
	}
	if b2 := jsonOf(); string(b2) != string(b) {
		t.Error("the same seed gave different JSON")
	}
}

// TestRoundingNoiseUsage: the flag is for checkpoints; on a table it is a
// usage error (exit 2), and so is a subsample cap out of range.
func TestRoundingNoiseUsage(t *testing.T) {
	code, _, errOut := runCLI("test", "testdata/golden/analyze_pairs.csv", "--rounding-noise")
	if code != 2 || !strings.Contains(errOut, "--rounding-noise") {
		t.Errorf("table: exit %d, %s", code, errOut)
	}
	paths := writeRoundingPair(t)
	code, _, errOut = runCLI("test", paths[0], paths[1], "--rounding-noise", "--rounding-noise-pairs", "2000000")
	if code != 2 || !strings.Contains(errOut, "--rounding-noise-pairs") {
		t.Errorf("cap: exit %d, %s", code, errOut)
	}
}

// TestRoundingNoiseFloat32: rounding to float32 is negligible; with the
// flag the output says so and runs no correction.
func TestRoundingNoiseFloat32(t *testing.T) {
	dir := t.TempDir()
	specs := []checkpoint.TensorSpec{{Name: "fc.weight", DType: checkpoint.F32, Shape: []int64{40, 50}}}
	var w [2][]float64
	for k := range w {
		for i := range 2000 {
			v := 0.05 * (1.5 + math.Sin(float64(i)*1.7))
			w[k] = append(w[k], v*(1+0.01*float64(k)*math.Cos(float64(i)*2.9)))
		}
	}
	paths := [2]string{filepath.Join(dir, "b.safetensors"), filepath.Join(dir, "a.safetensors")}
	writeSafetensorsPair(t, paths, specs, w)
	code, out, errOut := runCLI("test", paths[0], paths[1], "--rounding-noise", "--bootstrap", "0", "--null-replicates", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "rounding to float32 has CV 2.5e-08, negligible") || strings.Contains(out, "rounding-corrected") {
		t.Errorf("float32 rounding not reported as negligible:\n%s", out)
	}
}

// TestCheckpointAnalyzeRoundingHTML: analyze's page and JSON carry the
// rounding warning and the pointer to test --rounding-noise.
func TestCheckpointAnalyzeRoundingHTML(t *testing.T) {
	paths := writeRoundingPair(t)
	dir := t.TempDir()
	page, js := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.json")
	code, out, errOut := runCLI("analyze", paths[0], paths[1], "--html", page, "--json", js, "--bootstrap", "0", "--null-replicates", "0", "--gof-samples", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	hint := "syngeom test BEFORE AFTER --rounding-noise"
	for name, b := range map[string][]byte{"text": []byte(out), "html": readFile(t, page), "json": readFile(t, js)} {
		if !strings.Contains(string(b), "BF16 rounding step") || !strings.Contains(string(b), hint) {
			t.Errorf("%s lacks the rounding warning or the pointer to --rounding-noise", name)
		}
	}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
