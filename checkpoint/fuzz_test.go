package checkpoint

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen: whatever the bytes, opening and reading a checkpoint returns
// values or an *Error, never a panic. The seeds are the fixtures; go test
// runs only them, go test -fuzz=FuzzOpen explores.
func FuzzOpen(f *testing.F) {
	for _, name := range []string{"cnn_before.pt", "cnn_before.safetensors", "cnn_before.npz", "dtypes.pt", "dtypes.npz", "dtypes.safetensors", "f32.npy"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(safetensorsBytes(`{"w":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]}}`, make([]byte, 8)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "in.bin")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		err := openAndRead(path)
		var ce *Error
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("error %v (%T) is not an *Error", err, err)
		}
	})
}

// FuzzPickle: the pickle of a torch.save archive is interpreted without a
// panic, whatever its bytes.
func FuzzPickle(f *testing.F) {
	for _, name := range []string{"cnn_before.pt", "dtypes.pt"} {
		zr, err := zip.OpenReader(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		for _, m := range zr.File {
			if filepath.Base(m.Name) == "data.pkl" {
				rc, _ := m.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				f.Add(b)
			}
		}
		zr.Close()
	}
	f.Add([]byte("\x80\x02}q\x00."))
	f.Fuzz(func(t *testing.T, data []byte) {
		names, tensors, err := unpickle(data)
		if err == nil && len(names) != len(tensors) {
			t.Fatalf("%d names for %d tensors", len(names), len(tensors))
		}
	})
}

// FuzzNPYHeader: any header parses or fails cleanly.
func FuzzNPYHeader(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "f32.npy"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:128])
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'shape': (}   \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := readNPYHeader(bytes.NewReader(data))
		if err == nil && h.length > int64(len(data)) {
			t.Fatalf("header of %d bytes from %d", h.length, len(data))
		}
	})
}
