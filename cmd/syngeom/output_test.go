package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

var quickAnalyze = []string{"analyze", "testdata/golden/analyze_pairs.csv", "--group", "group", "--candidates", "NE,1.5,2",
	"--bootstrap", "0", "--null-replicates", "0", "--gof-samples", "0"}

func isJSON(s string) bool {
	var v map[string]any
	return json.Unmarshal([]byte(s), &v) == nil && v["schema"] != nil
}

// --json /dev/stdout is --json -: the document on stdout instead of the
// text, for every command with --json.
func TestJSONToDevStdout(t *testing.T) {
	if _, err := os.Stat("/dev/stdout"); err != nil {
		t.Skip("no /dev/stdout")
	}
	for _, args := range [][]string{
		append(append([]string{}, quickAnalyze...), "--json", "/dev/stdout"),
		{"test", "testdata/golden/analyze_pairs.csv", "--bootstrap", "0", "--null-replicates", "5", "--json", "/dev/stdout"},
		{"fit", "testdata/golden/analyze_pairs.csv", "--column", "before", "--gof-samples", "0", "--json", "/dev/stdout"},
	} {
		out, _ := runAnalyze(t, args...)
		if !isJSON(out) {
			t.Errorf("syngeom %s: stdout is not the JSON document:\n%.300s", strings.Join(args, " "), out)
		}
	}
	out, _ := runAnalyze(t, "inspect", "testdata/golden/analyze_pairs.csv", "--json", "/dev/stdout")
	var v map[string]any
	if json.Unmarshal([]byte(out), &v) != nil {
		t.Errorf("inspect --json /dev/stdout: stdout is not JSON:\n%.300s", out)
	}
	if fi, err := os.Lstat("/dev/stdout"); err != nil || fi.Mode().IsRegular() {
		t.Errorf("/dev/stdout became a regular file: %v", err)
	}
}

// Devices and named pipes are written directly: no rename over them.
func TestOutputsToDevicesAndPipes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/null or named pipes")
	}
	args := append(append([]string{}, quickAnalyze...), "--json", os.DevNull, "--html", os.DevNull, "--shifts", os.DevNull)
	out, _ := runAnalyze(t, args...)
	if !strings.Contains(out, "Verdict:") {
		t.Errorf("no summary on stdout: %.200s", out)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Fatalf("%s is no longer a device", os.DevNull)
	}
	dir := t.TempDir()
	for _, flag := range []string{"--json", "--html", "--shifts"} {
		fifo := filepath.Join(dir, strings.TrimPrefix(flag, "--"))
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip(err)
		}
		got := make(chan []byte)
		go func() {
			b, _ := os.ReadFile(fifo)
			got <- b
		}()
		runAnalyze(t, append(append([]string{}, quickAnalyze...), flag, fifo, "--quiet")...)
		b := <-got
		switch flag {
		case "--json":
			if !isJSON(string(b)) {
				t.Errorf("--json to a named pipe: %.200s", b)
			}
		case "--html":
			if !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
				t.Errorf("--html to a named pipe: %.200s", b)
			}
		case "--shifts":
			// No extension: CSV.
			if !bytes.HasPrefix(b, []byte("pair,group,w0,w1,shift\n")) {
				t.Errorf("--shifts to a named pipe: %.200s", b)
			}
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("%s: the named pipe was replaced", flag)
		}
	}
	// Two outputs cannot share stdout.
	var o, e bytes.Buffer
	code := run(append(append([]string{}, quickAnalyze...), "--json", "-", "--html", "/dev/stdout"), &runEnv{stdout: &o, stderr: &e, stdin: strings.NewReader("")})
	if code != 2 || !strings.Contains(e.String(), "--json and --html name the standard output") {
		t.Errorf("two outputs on stdout: exit %d, %q", code, e.String())
	}
}
