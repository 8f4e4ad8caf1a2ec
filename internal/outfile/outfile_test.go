package outfile

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if _, err := io.WriteString(f, text); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A regular file is replaced through a temporary file; a link to one keeps
// being a link, to the new content.
func TestRegularFileAndLink(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	write(t, path, "first")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Atomic() {
		t.Error("a regular file is not replaced atomically")
	}
	io.WriteString(f, "half")
	f.Abort()
	if got := read(t, path); got != "first" {
		t.Errorf("after Abort the file holds %q", got)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(path, link); err != nil {
		t.Skip(err)
	}
	write(t, link, "second")
	if li, err := os.Lstat(link); err != nil || li.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file: %v %v", li.Mode(), err)
	}
	if got := read(t, path); got != "second" {
		t.Errorf("the link's target holds %q", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d entries in the directory, want the file and the link (no temporary file)", len(ents))
	}
}

// A device is written directly and stays a device.
func TestDevNull(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/null")
	}
	f, err := Create(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if f.Atomic() {
		t.Error("/dev/null would be replaced by a rename")
	}
	io.WriteString(f, "discarded")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Errorf("/dev/null is no longer a device: %v %v", fi.Mode(), err)
	}
}

// A named pipe is written directly to its reader.
func TestNamedPipe(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no named pipes")
	}
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip(err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(path)
		got <- string(b)
	}()
	write(t, path, "through the pipe")
	if s := <-got; s != "through the pipe" {
		t.Errorf("the reader got %q", s)
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v %v", fi.Mode(), err)
	}
}

// A name of the standard output redirected to a regular file (as
// /dev/stdout is under `> out.txt`) goes through the open stream, after
// what was written there, and the name is left alone.
func TestStdoutRedirectedToFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.txt")
	out, err := os.Create(target)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	saved := os.Stdout
	os.Stdout = out
	defer func() { os.Stdout = saved }()
	alias := filepath.Join(dir, "stdout")
	if err := os.Symlink(target, alias); err != nil {
		t.Skip(err)
	}
	io.WriteString(out, "summary\n")
	if !IsStdout(alias) {
		t.Fatal("the alias is not recognised as the standard output")
	}
	write(t, alias, "document\n")
	io.WriteString(out, "end\n")
	if got := read(t, target); got != "summary\ndocument\nend\n" {
		t.Errorf("stdout file holds %q", got)
	}
	if li, err := os.Lstat(alias); err != nil || li.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the alias was replaced: %v %v", li.Mode(), err)
	}
}

func TestDirectoryRefused(t *testing.T) {
	if _, err := Create(t.TempDir()); err == nil {
		t.Error("a directory was accepted as an output file")
	}
}
