package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/testgeom"
)

// flagDefaults are the default values of a command's flags.
func flagDefaults(t *testing.T, name string) map[string]string {
	t.Helper()
	c, ok := commands[name]
	if !ok {
		t.Fatalf("no command %s", name)
	}
	fs := newFlagSet(c)
	c.flags(fs)
	out := map[string]string{}
	for _, f := range []string{"seed", "bootstrap", "null-replicates", "gof-samples", "gof-max-n", "fit-max-n",
		"shift-geometry", "candidates", "families", "shift-families"} {
		if fl := fs.Lookup(f); fl != nil {
			out[f] = fl.DefValue
		}
	}
	return out
}

// The library's defaults are the command line's, so that a program and
// the CLI given the same data give the same result.
func TestLibraryDefaultsMatchFlags(t *testing.T) {
	a := analysis.DefaultOptions()
	want := map[string]string{
		"seed":            strconv.FormatUint(a.Test.Seed, 10),
		"bootstrap":       strconv.Itoa(a.Test.Bootstrap),
		"null-replicates": strconv.Itoa(a.Test.NullReplicates),
		"gof-samples":     strconv.Itoa(a.GOFSamples),
		"gof-max-n":       strconv.Itoa(a.GOFMaxN),
		"fit-max-n":       strconv.Itoa(a.FitMaxN),
		"shift-geometry":  a.ShiftGeometry,
		// nil in Options: the paper's candidates, families by sign, the
		// signed shift families.
		"candidates": "", "families": "", "shift-families": "",
	}
	if a.Test.Candidates != nil || a.Families != nil || a.ShiftFamilies != nil {
		t.Error("DefaultOptions sets candidates or families; the flags leave them to the library")
	}
	compareDefaults(t, "analyze", flagDefaults(t, "analyze"), want)

	g := testgeom.DefaultOptions()
	compareDefaults(t, "test", flagDefaults(t, "test"), map[string]string{
		"seed":            strconv.FormatUint(g.Seed, 10),
		"bootstrap":       strconv.Itoa(g.Bootstrap),
		"null-replicates": strconv.Itoa(g.NullReplicates),
		"candidates":      "",
	})
	if g.Candidates != nil {
		t.Error("testgeom.DefaultOptions sets candidates")
	}
}

func compareDefaults(t *testing.T, cmd string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: flags %v, want %v", cmd, got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s --%s: flag default %q, library default %q", cmd, k, got[k], v)
		}
	}
}

// Every error about the input matches analysis.ErrInput through an Is
// method; an error type marked in another way would not give exit code 2.
func TestNoOtherInputErrorMarker(t *testing.T) {
	marker := regexp.MustCompile(`\) InputError\(\) bool`)
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".go" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if marker.Match(b) {
			t.Errorf("%s: an InputError() bool method; give the type an Is method that matches analysis.ErrInput (internal/inputerr)", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
