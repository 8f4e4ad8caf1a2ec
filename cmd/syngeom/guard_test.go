package main

import (
	"math"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"1000", 1000}, {"4GB", 4e9}, {"4gb", 4e9}, {"512MiB", 512 << 20}, {"1.5g", 1.5e9},
		{"2 GiB", 2 << 30}, {"1e9", 1e9}, {"64kB", 64e3}, {"7B", 7}, {"3T", 3e12},
	} {
		got, err := parseBytes(c.in)
		if err != nil || got != c.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "GB", "-1GB", "4XB", "NaN", "inf", "1e30TB", "four"} {
		if _, err := parseBytes(bad); err == nil {
			t.Errorf("parseBytes(%q) succeeded", bad)
		}
	}
}

// TestResourceGuards checks --max-rows and --max-memory on Parquet (refused
// from the metadata) and CSV (refused while reading), for every command
// that loads data, and that generous limits change nothing.
func TestResourceGuards(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	dir := t.TempDir()
	files := map[string]string{}
	for _, ext := range []string{"parquet", "csv"} {
		path := filepath.Join(dir, "w."+ext)
		if code, _, stderr := runCLI("simulate", "dualshift", "-n", "2000", "--seed", "2", "-o", path); code != exitOK {
			t.Fatalf("simulate: %s", stderr)
		}
		files[ext] = path
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"parquet rows", []string{"test", files["parquet"], "--max-rows", "1000"}, exitInput,
			[]string{"w.parquet", "2,000 rows", "limit of 1,000 rows", "--max-rows"}},
		{"parquet memory", []string{"test", files["parquet"], "--max-memory", "100kB"}, exitInput,
			[]string{"w.parquet", "2,000 rows need about 128 kB", "budget of 100 kB", "--max-memory"}},
		{"csv rows", []string{"test", files["csv"], "--max-rows", "1000"}, exitInput,
			[]string{"w.csv", "limit of 1,000 rows", "--max-rows", "stopped reading"}},
		{"csv memory", []string{"test", files["csv"], "--max-memory", "100kB"}, exitInput,
			[]string{"w.csv", "budget of 100 kB", "--max-memory", "stopped reading"}},
		{"fit rows", []string{"fit", files["csv"], "--column", "before", "--max-rows", "10"}, exitInput,
			[]string{"w.csv", "limit of 10 rows"}},
		{"exact limit", []string{"test", files["parquet"], "--max-rows", "2000", "--max-memory", "1GB", "--bootstrap", "0", "--null-replicates", "0"}, exitOK,
			[]string{"2000 pairs"}},
		{"csv exact limit", []string{"test", files["csv"], "--max-rows", "2000", "--bootstrap", "0", "--null-replicates", "0"}, exitOK,
			[]string{"2000 pairs"}},
		{"bad size", []string{"test", files["csv"], "--max-memory", "lots"}, exitInput,
			[]string{"--max-memory", `"lots"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runCLI(c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			msg := stderr
			if code == exitOK {
				msg = out
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
		})
	}
}
