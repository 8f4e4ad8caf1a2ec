package checkpoint

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A small reader of the .npy header rather than codeberg.org/sbinet/npyio:
// npyio reads whole arrays into memory, and its header parser allocates the
// header length a file claims and slices by positions it does not check,
// so a hostile file could make it allocate gigabytes or panic.

// maxNPYHeader caps the header of a .npy file (NumPy writes ~128 bytes).
const maxNPYHeader = 1 << 20

// npyHeader is what a .npy header says.
type npyHeader struct {
	dtype   DType
	descr   string
	big     bool
	fortran bool
	shape   []int64
	length  int64 // bytes before the data
}

// readNPYHeader parses the header at the start of r.
func readNPYHeader(r io.Reader) (*npyHeader, error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:8]); err != nil || !bytes.HasPrefix(pre[:], []byte("\x93NUMPY")) {
		return nil, fmt.Errorf("not a .npy array (no \\x93NUMPY magic)")
	}
	var n, start int64
	switch pre[6] {
	case 1:
		if _, err := io.ReadFull(r, pre[8:10]); err != nil {
			return nil, fmt.Errorf("truncated .npy header")
		}
		n, start = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2, 3:
		var l [4]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return nil, fmt.Errorf("truncated .npy header")
		}
		n, start = int64(binary.LittleEndian.Uint32(l[:])), 12
	default:
		return nil, fmt.Errorf(".npy format version %d.%d is not supported", pre[6], pre[7])
	}
	if n > maxNPYHeader {
		return nil, fmt.Errorf(".npy header of %d bytes exceeds the 1 MB limit", n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("truncated .npy header (it claims %d bytes)", n)
	}
	h := &npyHeader{length: start + n}
	s := string(buf)
	descr, err := dictValue(s, "descr")
	if err != nil {
		return nil, err
	}
	if len(descr) < 2 || descr[0] != '\'' && descr[0] != '"' || descr[len(descr)-1] != descr[0] {
		return nil, fmt.Errorf(".npy descr %s is not a simple dtype string (structured arrays are not read)", descr)
	}
	h.descr = descr[1 : len(descr)-1]
	h.dtype, h.big = npyDType(h.descr)
	order, err := dictValue(s, "fortran_order")
	if err != nil {
		return nil, err
	}
	switch order {
	case "True":
		h.fortran = true
	case "False":
	default:
		return nil, fmt.Errorf(".npy fortran_order %q is neither True nor False", order)
	}
	shape, err := dictValue(s, "shape")
	if err != nil {
		return nil, err
	}
	if len(shape) < 2 || shape[0] != '(' || shape[len(shape)-1] != ')' {
		return nil, fmt.Errorf(".npy shape %q is not a tuple", shape)
	}
	h.shape = []int64{}
	for tok := range strings.SplitSeq(shape[1:len(shape)-1], ",") {
		tok = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(tok), "L"))
		if tok == "" {
			continue
		}
		d, err := strconv.ParseInt(tok, 10, 64)
		if err != nil || d < 0 {
			return nil, fmt.Errorf(".npy shape %q has a dimension that is not a non-negative integer", shape)
		}
		h.shape = append(h.shape, d)
	}
	return h, nil
}

// dictValue returns the text of a value in the header's Python dict
// literal: a quoted string, a word or a parenthesised tuple.
func dictValue(s, key string) (string, error) {
	i := strings.Index(s, "'"+key+"'")
	if i < 0 {
		return "", fmt.Errorf(".npy header lacks %q", key)
	}
	rest := strings.TrimLeft(s[i+len(key)+2:], " ")
	if !strings.HasPrefix(rest, ":") {
		return "", fmt.Errorf(".npy header: no value for %q", key)
	}
	rest = strings.TrimLeft(rest[1:], " ")
	if rest == "" {
		return "", fmt.Errorf(".npy header: no value for %q", key)
	}
	var end int
	switch rest[0] {
	case '\'', '"':
		end = strings.IndexByte(rest[1:], rest[0]) + 2
	case '(':
		end = strings.IndexByte(rest, ')') + 1
	default:
		end = strings.IndexAny(rest, ",}")
	}
	if end <= 0 {
		return "", fmt.Errorf(".npy header: unterminated value for %q", key)
	}
	return strings.TrimSpace(rest[:end]), nil
}

// npyDType maps a NumPy dtype string ('<f4') to a DType.
func npyDType(descr string) (DType, bool) {
	if len(descr) < 2 {
		return DType("numpy " + descr), false
	}
	big := descr[0] == '>'
	body := descr
	if strings.ContainsRune("<>|=", rune(descr[0])) {
		body = descr[1:]
	}
	switch body {
	case "f8":
		return F64, big
	case "f4":
		return F32, big
	case "f2":
		return F16, big
	case "i8", "i4", "i2", "i1", "u8", "u4", "u2", "u1":
		return DType(strings.ToUpper(body[:1]) + strconv.Itoa(8*int(body[1]-'0'))), big
	case "b1", "?":
		return "BOOL", big
	}
	return DType("numpy " + descr), big
}

// npyTensor builds the tensor a header describes; src lacks only its size.
func npyTensor(path, name string, h *npyHeader, src source) (*Tensor, error) {
	t := &Tensor{Name: name, DType: h.dtype, File: path, big: h.big, src: src}
	if err := t.setShape(h.shape); err != nil {
		return nil, err
	}
	if !t.DType.Readable() {
		t.Unreadable = dtypeNote(string(h.dtype))
		return t, nil
	}
	if h.fortran && len(h.shape) > 1 {
		t.strides = make([]int64, len(h.shape))
		s := int64(1)
		for i, d := range h.shape {
			t.strides[i] = s
			s *= max(d, 1)
		}
	}
	if err := t.checkExtent(); err != nil {
		return nil, err
	}
	return t, nil
}

// openNPY opens a .npy file: one tensor, named after the file.
func openNPY(path string) (*Checkpoint, error) {
	f, size, err := openFile(path)
	if err != nil {
		return nil, err
	}
	h, err := readNPYHeader(io.NewSectionReader(f, 0, size))
	if err != nil {
		f.Close()
		return nil, errorf(path, "%v", err)
	}
	name := strings.TrimSuffix(baseName(path), ".npy")
	t, err := npyTensor(path, name, h, source{at: f, base: h.length, size: size - h.length})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Checkpoint{Path: path, Format: "npy", Tensors: []*Tensor{t}, closers: []io.Closer{f}}, nil
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// maxInflation bounds the declared size of a deflated member against its
// compressed size: deflate cannot exceed about 1032:1, so a larger claim is
// a forged header (a zip bomb).
const maxInflation = 1100

// zipMember is where a zip member's bytes are: in place (stored) or behind
// a decompressor, with its declared size checked against the file.
func zipMember(path string, f io.ReaderAt, size int64, m *zip.File) (source, error) {
	off, err := m.DataOffset()
	if err != nil {
		return source{}, errorf(path, "zip member %s: %v", m.Name, err)
	}
	csize, usize := int64(m.CompressedSize64), int64(m.UncompressedSize64)
	if csize < 0 || usize < 0 || off < 0 || csize > size-off {
		return source{}, errorf(path, "zip member %s claims %d bytes beyond the end of the file (truncated or corrupt file)", m.Name, csize)
	}
	switch m.Method {
	case zip.Store:
		if usize != csize {
			return source{}, errorf(path, "zip member %s is stored but declares %d bytes compressed and %d uncompressed", m.Name, csize, usize)
		}
		return source{at: f, base: off, size: usize}, nil
	case zip.Deflate:
		if usize > maxInflation*csize+1024 {
			return source{}, errorf(path, "zip member %s declares %d bytes from %d compressed: more than deflate can produce (a zip bomb?)", m.Name, usize, csize)
		}
		return source{size: usize, open: m.Open}, nil
	}
	return source{}, errorf(path, "zip member %s uses compression method %d; only stored and deflated members are read", m.Name, m.Method)
}

// openNPZ opens a NumPy .npz archive: one tensor per .npy member.
func openNPZ(path string) (*Checkpoint, error) {
	f, size, err := openFile(path)
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{Path: path, Format: "npz", closers: []io.Closer{f}}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		c.Close()
		return nil, errorf(path, "not a readable zip archive: %v", err)
	}
	for _, m := range zr.File {
		if !strings.HasSuffix(m.Name, ".npy") {
			continue
		}
		src, err := zipMember(path, f, size, m)
		if err != nil {
			c.Close()
			return nil, err
		}
		name := strings.TrimSuffix(m.Name, ".npy")
		h, err := memberHeader(f, src, m)
		if err != nil {
			c.Close()
			return nil, tensorErrorf(path, name, "%v", err)
		}
		if h.length > src.size {
			c.Close()
			return nil, tensorErrorf(path, name, "truncated member")
		}
		if src.at != nil {
			src.base += h.length
		} else {
			open, skip := src.open, h.length
			src.open = func() (io.ReadCloser, error) {
				rc, err := open()
				if err != nil {
					return nil, err
				}
				if _, err := io.CopyN(io.Discard, rc, skip); err != nil {
					rc.Close()
					return nil, err
				}
				return rc, nil
			}
		}
		src.size -= h.length
		t, err := npyTensor(path, name, h, src)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.Tensors = append(c.Tensors, t)
	}
	if len(c.Tensors) == 0 {
		c.Close()
		return nil, errorf(path, "a zip archive with neither .npy members nor a PyTorch data.pkl")
	}
	return c, nil
}

// memberHeader reads the .npy header of a zip member.
func memberHeader(f io.ReaderAt, src source, m *zip.File) (*npyHeader, error) {
	if src.at != nil {
		return readNPYHeader(io.NewSectionReader(f, src.base, src.size))
	}
	rc, err := m.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readNPYHeader(rc)
}
