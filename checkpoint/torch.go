package checkpoint

import (
	"archive/zip"
	"io"
	"strings"
)

// maxPickle caps data.pkl (a state_dict of thousands of tensors pickles
// to well under a megabyte).
const maxPickle = 256 << 20

// openTorch opens the zip archive torch.save writes: <name>/data.pkl, one
// member <name>/data/<key> per storage, and optionally <name>/byteorder.
func openTorch(path string) (*Checkpoint, error) {
	f, size, err := openFile(path)
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{Path: path, Format: "pytorch", closers: []io.Closer{f}}
	fail := func(e error) (*Checkpoint, error) {
		c.Close()
		return nil, e
	}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return fail(errorf(path, "not a readable zip archive: %v", err))
	}
	members := map[string]*zip.File{}
	var pkl *zip.File
	for _, m := range zr.File {
		members[m.Name] = m
		if pkl == nil && (m.Name == "data.pkl" || strings.HasSuffix(m.Name, "/data.pkl")) {
			pkl = m
		}
	}
	if pkl == nil {
		return fail(errorf(path, "a zip archive without data.pkl: not written by torch.save"))
	}
	prefix := strings.TrimSuffix(pkl.Name, "data.pkl")
	big := false
	if m := members[prefix+"byteorder"]; m != nil {
		b, err := readMember(path, f, size, m, 16)
		if err != nil {
			return fail(err)
		}
		switch strings.TrimSpace(string(b)) {
		case "little":
		case "big":
			big = true
		default:
			return fail(errorf(path, "byteorder %q is neither little nor big", b))
		}
	}
	data, err := readMember(path, f, size, pkl, maxPickle)
	if err != nil {
		return fail(err)
	}
	names, pts, err := unpickle(data)
	if err != nil {
		return fail(errorf(path, "%s: %v", pkl.Name, err))
	}
	for i, pt := range pts {
		t := &Tensor{Name: names[i], File: path, big: big}
		if pt.unreadable != "" {
			t.DType, t.Unreadable = "quantized", pt.unreadable
			if err := t.setShape(pt.shape); err != nil {
				return fail(err)
			}
			c.Tensors = append(c.Tensors, t)
			continue
		}
		st := pt.storage
		t.DType, t.offset, t.strides = st.dtype, pt.offset, pt.strides
		if err := t.setShape(pt.shape); err != nil {
			return fail(err)
		}
		if !t.DType.Readable() {
			t.Unreadable = dtypeNote(string(st.dtype))
			c.Tensors = append(c.Tensors, t)
			continue
		}
		m := members[prefix+"data/"+st.key]
		if m == nil {
			return fail(tensorErrorf(path, t.Name, "its storage %s is missing from the archive (truncated file?)", prefix+"data/"+st.key))
		}
		if t.src, err = zipMember(path, f, size, m); err != nil {
			return fail(err)
		}
		if want := st.numel * int64(t.DType.Size()); t.src.size < want {
			return fail(tensorErrorf(path, t.Name, "truncated storage: the pickle declares %d values (%d bytes), the archive holds %d bytes", st.numel, want, t.src.size))
		}
		if err := t.checkExtent(); err != nil {
			return fail(err)
		}
		c.Tensors = append(c.Tensors, t)
	}
	if len(c.Tensors) == 0 {
		return fail(errorf(path, "the pickle holds no tensors"))
	}
	return c, nil
}

// readMember reads a small zip member whole, refusing one larger than limit.
func readMember(path string, f io.ReaderAt, size int64, m *zip.File, limit int64) ([]byte, error) {
	src, err := zipMember(path, f, size, m)
	if err != nil {
		return nil, err
	}
	if src.size > limit {
		return nil, errorf(path, "zip member %s of %d bytes exceeds the %d-byte limit", m.Name, src.size, limit)
	}
	var r io.Reader
	if src.at != nil {
		r = io.NewSectionReader(src.at, src.base, src.size)
	} else {
		rc, err := src.open()
		if err != nil {
			return nil, errorf(path, "zip member %s: %v", m.Name, err)
		}
		defer rc.Close()
		r = io.LimitReader(rc, src.size)
	}
	b := make([]byte, src.size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, errorf(path, "zip member %s is truncated: %v", m.Name, err)
	}
	return b, nil
}
