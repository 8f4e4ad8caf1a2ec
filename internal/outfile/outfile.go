// Package outfile opens the destination of an output file.
//
// A regular file, or a name that does not exist yet, is replaced
// atomically: the data go to a temporary file in the same directory (a
// rename is atomic only within one file system), which Commit syncs and
// renames over the destination, so that readers see either the old file or
// the complete new one. A symbolic link to a regular file is followed: its
// target is replaced and the link kept.
//
// Anything else — a terminal, a pipe, a device such as /dev/null or
// /dev/stdout, a named pipe, a socket — cannot be replaced by a rename, and
// must not be (renaming over /dev/stdout would replace the device node), so
// it is opened and written directly. So is a name of the process's own
// standard output or error when that is redirected to a regular file
// (/dev/stdout with `> out.txt`): the data go through the open stream, after
// what was written there before, instead of replacing the file.
package outfile

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/syngeom/syngeom/internal/signalsafe"
)

// File is an output being written; write to it, then Commit or Abort.
type File struct {
	*os.File
	path  string      // the destination as given
	final string      // the regular file to replace (atomic only)
	mode  os.FileMode // of the replaced file, else 0644 (atomic only)
	tmp   string      // the temporary file; "" when written directly
	std   bool        // the process's stdout or stderr: never closed
	done  bool
}

// Create opens the destination path for writing.
func Create(path string) (*File, error) {
	if fi, err := os.Stat(path); err == nil {
		if std := stdStream(fi); std != nil {
			return &File{File: std, path: path, std: true}, nil
		}
		if !fi.Mode().IsRegular() {
			if fi.IsDir() {
				return nil, fmt.Errorf("write %s: is a directory", path)
			}
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				return nil, fmt.Errorf("write %s: %w", path, err)
			}
			return &File{File: f, path: path}, nil
		}
	}
	final := path
	if li, err := os.Lstat(path); err == nil && li.Mode()&os.ModeSymlink != 0 {
		if real, err := filepath.EvalSymlinks(path); err == nil {
			final = real
		}
	}
	dir, base := filepath.Split(final)
	if base == "" {
		return nil, fmt.Errorf("write %q: not a file name", path)
	}
	if dir == "" {
		dir = "."
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(final); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := signalsafe.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &File{File: tmp, path: path, final: final, mode: mode, tmp: tmp.Name()}, nil
}

// NotRegular reports whether path exists and is not a regular file (after
// following links): a device, pipe or socket, written directly.
func NotRegular(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.Mode().IsRegular() && !fi.IsDir()
}

// IsStdout reports whether path names the process's standard output
// (/dev/stdout, /proc/self/fd/1, or the file or pipe it is redirected to).
func IsStdout(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	so, err := os.Stdout.Stat()
	return err == nil && os.SameFile(fi, so)
}

// stdStream returns os.Stdout or os.Stderr when fi is the file behind it.
func stdStream(fi os.FileInfo) *os.File {
	for _, f := range []*os.File{os.Stdout, os.Stderr} {
		if s, err := f.Stat(); err == nil && os.SameFile(fi, s) {
			return f
		}
	}
	return nil
}

// Atomic reports whether the output replaces a regular file on Commit.
func (f *File) Atomic() bool { return f.tmp != "" }

// Path returns the destination as given.
func (f *File) Path() string { return f.path }

// Commit finishes the output: an atomic one is synced, given its mode and
// renamed into place (the directory is then synced, best effort); a direct
// one is closed (a standard stream is left open).
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	if f.std {
		return nil
	}
	if !f.Atomic() {
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		return nil
	}
	defer signalsafe.Remove(f.tmp) // a no-op after the rename; drops it from the list
	err := f.Chmod(f.mode)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.tmp, f.final)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	// Sync the directory so that the rename itself survives a crash. Some
	// platforms cannot sync a directory; the file is complete either way.
	if d, err := os.Open(filepath.Dir(f.final)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Abort discards an atomic output (the destination is untouched) and
// closes a direct one, whatever was written to it. It does nothing after
// Commit, so `defer f.Abort()` cleans up every early return.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	if f.std {
		return
	}
	f.Close()
	if f.Atomic() {
		signalsafe.Remove(f.tmp)
	}
}
