package main

import (
	"strings"
	"testing"
)

// The verdict on checkpoints does not speak of imaging: the weights are
// exact, so λ̂ is the training's, and the note about measurement noise and
// intrinsic fluctuations is replaced, in test and in analyze.
func TestCheckpointVerdictExactWeights(t *testing.T) {
	for _, cmd := range []string{"test", "analyze"} {
		args := []string{cmd, "../../checkpoint/testdata/cnn_before.safetensors", "../../checkpoint/testdata/cnn_after.safetensors",
			"--seed", "1", "--bootstrap", "0", "--null-replicates", "0"}
		if cmd == "analyze" {
			args = append(args, "--gof-samples", "0")
		}
		code, out, errOut := runFitCLI(args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", cmd, code, errOut)
		}
		if strings.Contains(out, "intrinsic fluctuations") || strings.Contains(out, "no-learning control") || !strings.Contains(out, "weights are exact") {
			t.Errorf("%s verdict on checkpoints:\n%s", cmd, out)
		}
	}
}
