package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/syngeom/syngeom/internal/outfile"
)

// WriteFileAtomic creates or replaces the file at path with what write
// produces, so that readers see either the old file or the complete new one,
// never a partial file. The data go to a temporary file in the same
// directory (a rename is atomic only within one file system), which is
// flushed, synced and then renamed over path. On any error, including a
// panic in write, the temporary file is removed and an existing file at
// path is left untouched.
//
// The new file gets mode 0644 (or the mode of the file it replaces). A
// symbolic link is followed and its target replaced. A destination that is
// not a regular file — a terminal, pipe or device such as /dev/stdout or
// /dev/null, a named pipe — cannot be replaced and is written directly, as
// is the process's standard output redirected to a file (see package
// internal/outfile).
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := outfile.Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
