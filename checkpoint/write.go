package checkpoint

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
)

// TensorSpec declares a tensor to write.
type TensorSpec struct {
	Name  string  // the tensor's name
	DType DType   // F64, F32 or BF16
	Shape []int64 // dimensions, outermost first
}

// SafetensorsWriter writes a safetensors file: the header is written
// first from the declared tensors, then their values in order, in
// batches, so a large file is written with bounded memory (the benchmark
// harness and tests use it).
type SafetensorsWriter struct {
	f      *os.File
	w      *bufio.Writer
	specs  []TensorSpec
	counts []int64
	cur    int
	done   int64 // values of the current tensor written
	buf    [8]byte
}

// CreateSafetensors creates path and writes the header of specs.
func CreateSafetensors(path string, specs []TensorSpec) (*SafetensorsWriter, error) {
	header := map[string]any{}
	var off int64
	counts := make([]int64, len(specs))
	for i, s := range specs {
		if s.DType != F64 && s.DType != F32 && s.DType != BF16 {
			return nil, fmt.Errorf("checkpoint: writing dtype %s is not supported", s.DType)
		}
		n := int64(1)
		for _, d := range s.Shape {
			n *= d
		}
		counts[i] = n
		size := n * int64(s.DType.Size())
		header[s.Name] = map[string]any{"dtype": s.DType, "shape": s.Shape, "data_offsets": []int64{off, off + size}}
		off += size
	}
	h, err := json.Marshal(header)
	if err != nil {
		return nil, err
	}
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := &SafetensorsWriter{f: f, w: bufio.NewWriterSize(f, 1<<20), specs: specs, counts: counts}
	binary.LittleEndian.PutUint64(w.buf[:], uint64(len(h)))
	w.w.Write(w.buf[:])
	w.w.Write(h)
	w.skipEmpty()
	return w, nil
}

func (w *SafetensorsWriter) skipEmpty() {
	for w.cur < len(w.specs) && w.done == w.counts[w.cur] {
		w.cur++
		w.done = 0
	}
}

// Write appends values, converted to each tensor's dtype (bfloat16 by
// rounding to nearest even), filling the tensors in order.
func (w *SafetensorsWriter) Write(vals []float64) error {
	for _, v := range vals {
		if w.cur >= len(w.specs) {
			return fmt.Errorf("checkpoint: more values than the declared tensors hold")
		}
		switch w.specs[w.cur].DType {
		case F64:
			binary.LittleEndian.PutUint64(w.buf[:], math.Float64bits(v))
			w.w.Write(w.buf[:8])
		case F32:
			binary.LittleEndian.PutUint32(w.buf[:], math.Float32bits(float32(v)))
			w.w.Write(w.buf[:4])
		case BF16:
			binary.LittleEndian.PutUint16(w.buf[:], ToBFloat16(v))
			w.w.Write(w.buf[:2])
		}
		w.done++
		w.skipEmpty()
	}
	return nil
}

// Close checks that every declared value was written and closes the file.
func (w *SafetensorsWriter) Close() error {
	err := w.w.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil && w.cur < len(w.specs) {
		err = fmt.Errorf("checkpoint: tensor %s is incomplete", w.specs[w.cur].Name)
	}
	return err
}

// ToBFloat16 rounds v to the nearest bfloat16 (ties to even), as
// torch.Tensor.bfloat16 does, and returns its bits.
func ToBFloat16(v float64) uint16 {
	b := math.Float32bits(float32(v))
	if b&0x7fffffff > 0x7f800000 { // NaN
		return uint16(b>>16) | 0x40
	}
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}
