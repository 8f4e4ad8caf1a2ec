package signalsafe

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCreateTempForget(t *testing.T) {
	dir := t.TempDir()
	f, err := CreateTemp(dir, ".out.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if Pending() != 1 {
		t.Fatalf("Pending = %d after CreateTemp, want 1", Pending())
	}
	final := filepath.Join(dir, "out")
	if err := os.Rename(f.Name(), final); err != nil {
		t.Fatal(err)
	}
	Forget(f.Name())
	if Pending() != 0 {
		t.Fatalf("Pending = %d after Forget, want 0", Pending())
	}
}

func TestCreateTempError(t *testing.T) {
	if _, err := CreateTemp(filepath.Join(t.TempDir(), "missing"), "x-*"); err == nil {
		t.Fatal("CreateTemp in a missing directory succeeded")
	}
	if Pending() != 0 {
		t.Fatalf("a failed CreateTemp was recorded")
	}
}

// A recorded directory is removed with its files by Remove.
func TestMkdirTempRemove(t *testing.T) {
	dir, err := MkdirTemp(t.TempDir(), "work-*")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "part"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if Pending() != 1 {
		t.Fatalf("Pending = %d after MkdirTemp, want 1", Pending())
	}
	Remove(dir)
	if _, err := os.Stat(dir); !os.IsNotExist(err) || Pending() != 0 {
		t.Errorf("after Remove: stat %v, %d pending", err, Pending())
	}
}
