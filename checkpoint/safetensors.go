package checkpoint

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxHeader caps a safetensors or index JSON header (the format's own limit
// is 100 MB).
const maxHeader = 100 << 20

// IndexName is the index file of a sharded Hugging Face checkpoint.
const IndexName = "model.safetensors.index.json"

// safetensorsEntry is one tensor of a safetensors header.
type safetensorsEntry struct {
	DType       string  `json:"dtype"`
	Shape       []int64 `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// readSafetensors lists the tensors of one safetensors file, in the order
// of their data. The file must stay open while they are read.
func readSafetensors(f io.ReaderAt, size int64, path string) ([]*Tensor, error) {
	var lenBuf [8]byte
	if _, err := f.ReadAt(lenBuf[:], 0); err != nil {
		return nil, errorf(path, "not a safetensors file: shorter than 8 bytes")
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > maxHeader || int64(n) > size-8 {
		return nil, errorf(path, "safetensors header length %d exceeds the file (%d bytes) or the 100 MB limit", n, size)
	}
	hdr := make([]byte, n)
	if _, err := f.ReadAt(hdr, 8); err != nil {
		return nil, errorf(path, "safetensors header: %v", err)
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(hdr))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, errorf(path, "safetensors header is not a JSON object: %v", err)
	}
	dataStart := 8 + int64(n)
	dataLen := size - dataStart
	var out []*Tensor
	for name, msg := range raw {
		if name == "__metadata__" {
			continue
		}
		var e safetensorsEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, tensorErrorf(path, name, "malformed header entry: %v", err)
		}
		t := &Tensor{Name: name, DType: DType(e.DType), File: path}
		if e.DType == "" {
			return nil, tensorErrorf(path, name, "no dtype")
		}
		if err := t.setShape(e.Shape); err != nil {
			return nil, err
		}
		if len(e.DataOffsets) != 2 || e.DataOffsets[0] < 0 || e.DataOffsets[1] < e.DataOffsets[0] || e.DataOffsets[1] > dataLen {
			return nil, tensorErrorf(path, name, "data offsets %v lie outside the %d bytes of data the file holds (truncated or corrupt file)", e.DataOffsets, dataLen)
		}
		begin, end := e.DataOffsets[0], e.DataOffsets[1]
		t.src = source{at: f, base: dataStart + begin, size: end - begin}
		if !t.DType.Readable() {
			t.Unreadable = dtypeNote(string(t.DType))
		} else if want := t.Count * int64(t.DType.Size()); want != end-begin {
			return nil, tensorErrorf(path, name, "shape %v of %s needs %d bytes, the data offsets give %d", e.Shape, e.DType, want, end-begin)
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *Tensor) int {
		if c := a.src.base - b.src.base; c != 0 {
			return int(min(max(c, -1), 1))
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// dtypeNote explains why a dtype is not read.
func dtypeNote(d string) string {
	kind := "a non-floating-point"
	switch {
	case strings.HasPrefix(d, "I"), strings.HasPrefix(d, "U"), strings.Contains(strings.ToLower(d), "int"), strings.Contains(strings.ToLower(d), "long"):
		kind = "an integer"
	case strings.HasPrefix(strings.ToUpper(d), "Q"):
		kind = "a quantized"
	case strings.EqualFold(d, "BOOL"):
		kind = "a boolean"
	case strings.HasPrefix(d, "F8"):
		kind = "an 8-bit floating-point"
	case strings.HasPrefix(d, "C"):
		kind = "a complex"
	}
	return "dtype " + d + ": " + kind + " tensor (only float64, float32, float16 and bfloat16 weights are read)"
}

// openSafetensors opens one safetensors file.
func openSafetensors(path string) (*Checkpoint, error) {
	f, size, err := openFile(path)
	if err != nil {
		return nil, err
	}
	ts, err := readSafetensors(f, size, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Checkpoint{Path: path, Format: "safetensors", Tensors: ts, closers: []io.Closer{f}}, nil
}

// openSharded opens a sharded checkpoint from its index file: the shards
// in the order of their names, each shard's tensors in data order.
func openSharded(index string) (*Checkpoint, error) {
	f, size, err := openFile(index)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > maxHeader {
		return nil, errorf(index, "index file larger than 100 MB")
	}
	var idx struct {
		WeightMap map[string]string `json:"weight_map"`
	}
	if err := json.NewDecoder(io.LimitReader(f, maxHeader)).Decode(&idx); err != nil {
		return nil, errorf(index, "not a safetensors index (JSON with a weight_map): %v", err)
	}
	if len(idx.WeightMap) == 0 {
		return nil, errorf(index, "the weight_map of the index is empty")
	}
	dir := filepath.Dir(index)
	var shards []string
	for name, file := range idx.WeightMap {
		if !filepath.IsLocal(file) {
			return nil, errorf(index, "tensor %q: shard %q is not a file name inside the checkpoint's directory", name, file)
		}
		if !slices.Contains(shards, file) {
			shards = append(shards, file)
		}
	}
	slices.Sort(shards)
	c := &Checkpoint{Path: index, Format: "safetensors (sharded)"}
	seen := map[string]string{}
	for _, s := range shards {
		path := filepath.Join(dir, s)
		sf, size, err := openFile(path)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.closers = append(c.closers, sf)
		ts, err := readSafetensors(sf, size, path)
		if err != nil {
			c.Close()
			return nil, err
		}
		for _, t := range ts {
			if prev, dup := seen[t.Name]; dup {
				c.Close()
				return nil, tensorErrorf(path, t.Name, "also in shard %s", prev)
			}
			seen[t.Name] = path
			c.Tensors = append(c.Tensors, t)
		}
	}
	for name, file := range idx.WeightMap {
		if seen[name] != filepath.Join(dir, file) {
			c.Close()
			return nil, errorf(index, "tensor %q is mapped to shard %s but that shard does not hold it", name, file)
		}
	}
	return c, nil
}

// openFile opens a file for reading and returns its size.
func openFile(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, &Error{File: path, Msg: "cannot open: " + strings.TrimPrefix(err.Error(), "open "+path+": ")}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, errorf(path, "%v", err)
	}
	return f, st.Size(), nil
}
