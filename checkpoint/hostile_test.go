package checkpoint

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// safetensorsBytes builds a safetensors file from a header and data.
func safetensorsBytes(header string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

// rezip copies a zip archive, letting edit change or drop members.
func rezip(t *testing.T, src string, edit func(name string, data []byte) ([]byte, bool)) []byte {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, m := range zr.File {
		rc, _ := m.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		data, keep := edit(m.Name, data)
		if !keep {
			continue
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: m.Name, Method: zip.Store})
		w.Write(data)
	}
	zw.Close()
	return out.Bytes()
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zipBomb is an npz whose member declares far more bytes than deflate can
// make of its compressed size.
func zipBomb(t *testing.T) []byte {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	hdr := "\x93NUMPY\x01\x00" + "\x76\x00" + "{'descr': '<f8', 'fortran_order': False, 'shape': (137438953472,), }" + strings.Repeat(" ", 49) + "\n"
	var comp bytes.Buffer
	comp.WriteString(hdr)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "w.npy", Method: zip.Store, CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(comp.Len())})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	b := out.Bytes()
	// Forge the member as deflated with a declared size of 1 TiB, in the
	// local and the central header.
	for _, sig := range [][]byte{[]byte("PK\x03\x04"), []byte("PK\x01\x02")} {
		for i := bytes.Index(b, sig); i >= 0; {
			off := 8
			if sig[2] == 1 {
				off = 10
			}
			binary.LittleEndian.PutUint16(b[i+off:], zip.Deflate)
			sz := 22
			if sig[2] == 1 {
				sz = 24
			}
			binary.LittleEndian.PutUint32(b[i+sz:], 0xFFFFFFF0)
			break
		}
	}
	return b
}

func TestHostileFiles(t *testing.T) {
	pt := filepath.Join("testdata", "cnn_before.pt")
	cases := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"data beyond the file", "a.safetensors", safetensorsBytes(`{"w":{"dtype":"F32","shape":[1000000],"data_offsets":[0,4000000]}}`, make([]byte, 16)), "outside"},
		{"header length beyond the file", "b.safetensors", append([]byte{0, 0, 0, 0, 0, 0, 0, 16, '{'}, make([]byte, 64)...), ""},
		{"shape product overflow", "c.safetensors", safetensorsBytes(`{"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}}`, make([]byte, 4)), "2^48"},
		{"shape and offsets disagree", "d.safetensors", safetensorsBytes(`{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,4]}}`, make([]byte, 4)), "needs 12 bytes"},
		{"truncated safetensors", "e.safetensors", fixture(t, "cnn_before.safetensors")[:2000], ""},
		{"npy shape beyond the data", "f.npy", append([]byte("\x93NUMPY\x01\x00\x46\x00{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 8), }     \n"), make([]byte, 8)...), "claims"},
		{"npy header length huge", "g.npy", []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{"), "1 MB"},
		{"zip bomb", "h.npz", zipBomb(t), "zip bomb"},
		{"truncated storage", "i.pt", rezip(t, pt, func(name string, d []byte) ([]byte, bool) {
			if strings.HasSuffix(name, "/data/0") {
				return d[:len(d)/2], true
			}
			return d, true
		}), "truncated storage"},
		{"missing storage", "j.pt", rezip(t, pt, func(name string, d []byte) ([]byte, bool) { return d, !strings.HasSuffix(name, "/data/0") }), "missing"},
		{"unknown global", "k.pt", rezip(t, pt, func(name string, d []byte) ([]byte, bool) {
			if strings.HasSuffix(name, "data.pkl") {
				return bytes.Replace(d, []byte("ctorch._utils\n_rebuild_tensor_v2\n"), []byte("cposix\nsystem\n"+strings.Repeat("N0", 10)), 1), true
			}
			return d, true
		}), "global posix.system"},
		{"unknown opcode", "l.pt", rezip(t, pt, func(name string, d []byte) ([]byte, bool) {
			if strings.HasSuffix(name, "data.pkl") {
				d = append([]byte{}, d...)
				d[2] = 'i' // INST, which instantiates a class
			}
			return d, true
		}), "opcode 0x69"},
		{"truncated pickle", "m.pt", rezip(t, pt, func(name string, d []byte) ([]byte, bool) {
			if strings.HasSuffix(name, "data.pkl") {
				return d[:len(d)/2], true
			}
			return d, true
		}), "pickle"},
		{"legacy torch.save", "n.pt", []byte("\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.\x80\x02M\xe9\x03."), "legacy"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		path := filepath.Join(dir, c.file)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := openAndRead(path)
		runtime.ReadMemStats(&after)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want an *Error", c.name, err)
		} else if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a message with %q", c.name, err, c.want)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > 32<<20 {
			t.Errorf("%s: allocated %d MiB", c.name, a>>20)
		}
	}
}

// openAndRead opens a file and reads every readable tensor, as the fuzz
// targets do (tensors of more than a million values are skipped).
func openAndRead(path string) error {
	c, err := Open(path)
	if err != nil {
		return err
	}
	defer c.Close()
	buf := make([]float64, 4096)
	for _, t := range c.Tensors {
		if t.Unreadable != "" || t.Count > 1<<20 {
			continue
		}
		it, err := t.Iter()
		if err != nil {
			return err
		}
		for {
			_, err := it.Next(buf)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				it.Close()
				return err
			}
		}
		it.Close()
	}
	return nil
}
