package ingest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

// checkParquetFooter walks the Thrift-encoded file metadata before arrow-go
// decodes it, and refuses lists, maps and strings that declare more
// elements than the footer has bytes left. The Thrift decoder reserves
// memory for the declared count before reading the elements, so a 20-byte
// footer could otherwise make it allocate gigabytes. Files whose footer
// cannot be located are left to the reader, whose errors already say so.
func checkParquetFooter(f *os.File, size int64) error {
	if size < 12 {
		return nil
	}
	var tail [8]byte
	if _, err := f.ReadAt(tail[:], size-8); err != nil {
		return nil
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if string(tail[4:]) != "PAR1" || n <= 0 || n > size-12 {
		return nil
	}
	meta := make([]byte, n)
	if _, err := f.ReadAt(meta, size-8-n); err != nil {
		return nil
	}
	t := thriftWalker{b: meta}
	if err := t.skip(thriftStruct, 0); err != nil {
		return fmt.Errorf("corrupt or truncated Parquet file: metadata at byte %d: %w", size-8-n+int64(t.p), err)
	}
	return nil
}

// Thrift compact-protocol type codes.
const (
	thriftTrue   = 1
	thriftFalse  = 2
	thriftByte   = 3
	thriftI16    = 4
	thriftI32    = 5
	thriftI64    = 6
	thriftDouble = 7
	thriftBinary = 8
	thriftList   = 9
	thriftSet    = 10
	thriftMap    = 11
	thriftStruct = 12
)

// thriftMaxDepth bounds the nesting of structures; Parquet metadata nests
// a handful of levels.
const thriftMaxDepth = 64

var errThriftEOF = errors.New("ends inside a value")

// thriftWalker skips over compact-protocol values without building them.
type thriftWalker struct {
	b []byte
	p int
}

func (t *thriftWalker) byte() (byte, error) {
	if t.p >= len(t.b) {
		return 0, errThriftEOF
	}
	c := t.b[t.p]
	t.p++
	return c, nil
}

func (t *thriftWalker) varint() (uint64, error) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c, err := t.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("varint longer than 10 bytes")
}

// count reads a declared element count and refuses one that exceeds the
// bytes left (every element takes at least one byte; booleans in a
// collection do, too).
func (t *thriftWalker) count(n uint64, what string) (int, error) {
	if left := uint64(len(t.b) - t.p); n > left {
		return 0, fmt.Errorf("a %s declares %d elements but only %d bytes follow", what, n, left)
	}
	return int(n), nil
}

func (t *thriftWalker) skip(typ byte, depth int) error {
	if depth > thriftMaxDepth {
		return fmt.Errorf("values nested more than %d deep", thriftMaxDepth)
	}
	switch typ {
	case thriftTrue, thriftFalse:
		// A field's boolean lives in its type; a collection's takes a byte.
		return nil
	case thriftByte:
		_, err := t.byte()
		return err
	case thriftI16, thriftI32, thriftI64:
		_, err := t.varint()
		return err
	case thriftDouble:
		if len(t.b)-t.p < 8 {
			return errThriftEOF
		}
		t.p += 8
		return nil
	case thriftBinary:
		n, err := t.varint()
		if err != nil {
			return err
		}
		k, err := t.count(n, "string")
		if err != nil {
			return err
		}
		t.p += k
		return nil
	case thriftList, thriftSet:
		h, err := t.byte()
		if err != nil {
			return err
		}
		n := uint64(h >> 4)
		if n == 15 {
			if n, err = t.varint(); err != nil {
				return err
			}
		}
		k, err := t.count(n, "list")
		if err != nil {
			return err
		}
		elem := h & 0x0f
		for range k {
			if elem == thriftTrue || elem == thriftFalse {
				if _, err := t.byte(); err != nil {
					return err
				}
				continue
			}
			if err := t.skip(elem, depth+1); err != nil {
				return err
			}
		}
		return nil
	case thriftMap:
		n, err := t.varint()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		k, err := t.count(n, "map")
		if err != nil {
			return err
		}
		kv, err := t.byte()
		if err != nil {
			return err
		}
		for range k {
			if err := t.skip(kv>>4, depth+1); err != nil {
				return err
			}
			if err := t.skip(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case thriftStruct:
		for {
			h, err := t.byte()
			if err != nil {
				return err
			}
			ft := h & 0x0f
			if ft == 0 {
				return nil
			}
			if h>>4 == 0 { // long form: the field id follows as a varint
				if _, err := t.varint(); err != nil {
					return err
				}
			}
			if err := t.skip(ft, depth+1); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("unknown value type %d", typ)
}
