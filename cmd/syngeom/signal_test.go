package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildSyngeom compiles the command into a temporary directory, for tests
// that need a real process (signals, GOMAXPROCS from the environment).
func buildSyngeom(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "syngeom")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSignalRemovesPartialOutput starts a long simulation writing Parquet,
// signals it while the temporary output file exists, and checks the exit
// code and that neither the output nor a temporary file is left.
func TestSignalRemovesPartialOutput(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT delivery to a child on Windows")
	}
	bin := buildSyngeom(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, exitSIGINT}, {syscall.SIGTERM, exitSIGTERM}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(bin, "simulate", "dualshift", "-n", "30000000", "--seed", "3", "-o", "out.parquet")
			cmd.Dir = dir
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForTemp(t, dir, cmd)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("after %v: err %v, want exit code %d; stderr:\n%s", tc.sig, err, tc.code, stderr.String())
			}
			if got := ee.ExitCode(); got != tc.code {
				t.Fatalf("after %v: exit code %d, want %d; stderr:\n%s", tc.sig, got, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "stopped by "+sigName(tc.sig)) {
				t.Errorf("stderr does not say which signal stopped the run:\n%s", stderr.String())
			}
			if left := dirNames(t, dir); len(left) != 0 {
				t.Fatalf("after %v the directory still holds %v", tc.sig, left)
			}
		})
	}
}

// TestSignalDuringComputation signals fit while it bootstraps, before any
// output exists: the run stops with 130 and writes no JSON.
func TestSignalDuringComputation(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT delivery to a child on Windows")
	}
	bin := buildSyngeom(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "w.csv")
	var b strings.Builder
	b.WriteString("w\n")
	for i := range 5000 {
		b.WriteString(strings.Repeat("1", 1+i%3) + ".5\n")
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "fit", "w.csv", "--column", "w", "--gof-samples", "1000000", "--json", "fit.json")
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitSIGINT {
		t.Fatalf("fit after SIGINT: %v, want exit code %d", err, exitSIGINT)
	}
	if left := dirNames(t, dir); len(left) != 1 || left[0] != "w.csv" {
		t.Fatalf("after SIGINT the directory holds %v, want only w.csv", left)
	}
}

func sigName(s syscall.Signal) string {
	if s == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// waitForTemp polls until dir holds a temporary output file, so the signal
// arrives while the output is being written.
func waitForTemp(t *testing.T, dir string, cmd *exec.Cmd) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		for _, n := range dirNames(t, dir) {
			if strings.Contains(n, ".tmp") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("no temporary output file appeared")
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}
