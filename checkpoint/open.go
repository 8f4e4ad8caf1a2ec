package checkpoint

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Checkpoint is an open checkpoint: its tensors in the order of the file.
type Checkpoint struct {
	Path    string    // the path as given
	Format  string    // "safetensors", "safetensors (sharded)", "pytorch", "npy" or "npz"
	Tensors []*Tensor // in file order
	closers []io.Closer
}

// Close closes the checkpoint's files.
func (c *Checkpoint) Close() error {
	var errs []error
	for _, f := range c.closers {
		errs = append(errs, f.Close())
	}
	c.closers = nil
	return errors.Join(errs...)
}

// Detect names the checkpoint format of path from its magic bytes (a
// directory or a .json file is a sharded safetensors index), or returns ""
// when path is not a checkpoint (a CSV or Parquet table, for example).
func Detect(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(path, IndexName)); err == nil {
			return "safetensors (sharded)"
		}
		return ""
	}
	if strings.HasSuffix(strings.ToLower(path), ".index.json") {
		return "safetensors (sharded)"
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var head [16]byte
	n, _ := io.ReadFull(f, head[:])
	b := head[:n]
	switch {
	case bytes.HasPrefix(b, []byte("\x93NUMPY")):
		return "npy"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("PK\x05\x06")):
		if zr, err := zip.NewReader(f, st.Size()); err == nil {
			for _, m := range zr.File {
				if m.Name == "data.pkl" || strings.HasSuffix(m.Name, "/data.pkl") {
					return "pytorch"
				}
			}
			return "npz"
		}
		return ""
	case n >= 9 && b[8] == '{':
		if l := binary.LittleEndian.Uint64(b); l <= maxHeader && int64(l) <= st.Size()-8 {
			return "safetensors"
		}
	case n >= 2 && b[0] == 0x80 && b[1] <= 5:
		return "pytorch (legacy)"
	}
	return ""
}

// Open opens a checkpoint and lists its tensors, reading headers only.
func Open(path string) (*Checkpoint, error) {
	switch Detect(path) {
	case "safetensors":
		return openSafetensors(path)
	case "safetensors (sharded)":
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			path = filepath.Join(path, IndexName)
		}
		return openSharded(path)
	case "pytorch":
		return openTorch(path)
	case "npz":
		return openNPZ(path)
	case "npy":
		return openNPY(path)
	case "pytorch (legacy)":
		return nil, errorf(path, "a PyTorch file in the legacy (pre-1.6) format, which cannot be read without executing its pickle; save it again with a recent torch.save (the zip format)")
	}
	if _, err := os.Stat(path); err != nil {
		_, _, err := openFile(path)
		return nil, err
	}
	return nil, errorf(path, "not a checkpoint: neither safetensors, a torch.save zip archive, nor a NumPy .npy/.npz file")
}
