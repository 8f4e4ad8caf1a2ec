package checkpoint

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"
)

// The pickle of torch.save is interpreted by gopickle's unpickler (its
// stack machine, memo and marks), but nothing in it is executed: scanPickle
// first refuses every opcode a state_dict does not need and every length
// that runs past the data (gopickle allocates the lengths it is given),
// and findClass resolves only the globals that rebuild tensors, their
// storages and ordered dictionaries.

// pickleArg is the operand of each accepted opcode: a fixed size in bytes,
// or a length prefix of that many bytes followed by as many bytes
// (negative), or a newline-terminated line (lines).
var pickleArg = map[byte]int{
	'(': 0, '.': 0, '0': 0, '1': 0, '2': 0, 'N': 0, 'R': 0, ']': 0, '}': 0, 'a': 0, 'b': 0,
	'e': 0, 's': 0, 't': 0, ')': 0, 'u': 0, 'l': 0, 'd': 0, 'Q': 0,
	0x85: 0, 0x86: 0, 0x87: 0, 0x88: 0, 0x89: 0, 0x93: 0, 0x94: 0, // TUPLE1-3, NEWTRUE/FALSE, STACK_GLOBAL, MEMOIZE
	'K': 1, 'h': 1, 'q': 1, 0x80: 1, // BININT1, BINGET, BINPUT, PROTO
	'M': 2,                 // BININT2
	'J': 4, 'j': 4, 'r': 4, // BININT, LONG_BINGET, LONG_BINPUT
	'G': 8,                      // BINFLOAT
	'U': -1, 0x8a: -1, 0x8c: -1, // SHORT_BINSTRING, LONG1, SHORT_BINUNICODE
	'X': -4, 'T': -4, // BINUNICODE, BINSTRING
	0x8d: -8, 0x95: 8, // BINUNICODE8, FRAME (checked below)
	'c': lines, // GLOBAL module\nname\n
}

const lines = 100

// scanPickle walks the opcodes without executing them.
func scanPickle(data []byte) error {
	i := 0
	for i < len(data) {
		op := data[i]
		arg, ok := pickleArg[op]
		if !ok {
			return fmt.Errorf("pickle opcode 0x%02x at byte %d is not one a state_dict of tensors uses; refusing to interpret it", op, i)
		}
		i++
		rest := len(data) - i
		switch {
		case arg == lines:
			for range 2 {
				j := bytes.IndexByte(data[i:], '\n')
				if j < 0 || j > 256 {
					return fmt.Errorf("pickle GLOBAL at byte %d is malformed", i-1)
				}
				i += j + 1
			}
		case op == 0x95: // FRAME: an 8-byte length of the following opcodes
			if rest < 8 {
				return fmt.Errorf("pickle truncated at byte %d", i)
			}
			if n := binary.LittleEndian.Uint64(data[i:]); n > uint64(rest-8) {
				return fmt.Errorf("pickle frame of %d bytes at byte %d runs past the data", n, i-1)
			}
			i += 8
		case arg >= 0:
			if rest < arg {
				return fmt.Errorf("pickle truncated at byte %d", i)
			}
			i += arg
		default:
			w := -arg
			if rest < w {
				return fmt.Errorf("pickle truncated at byte %d", i)
			}
			var n uint64
			switch w {
			case 1:
				n = uint64(data[i])
			case 4:
				n = uint64(binary.LittleEndian.Uint32(data[i:]))
			case 8:
				n = binary.LittleEndian.Uint64(data[i:])
			}
			if n > uint64(rest-w) {
				return fmt.Errorf("pickle item at byte %d claims %d bytes, more than the data holds", i-1, n)
			}
			i += w + int(n)
		}
		if op == '.' {
			return nil
		}
	}
	return fmt.Errorf("pickle ends without its STOP opcode (truncated)")
}

// storageClass is a torch.*Storage class, naming a dtype.
type storageClass struct {
	name  string
	dtype DType
}

var storageDTypes = map[string]DType{
	"FloatStorage": F32, "DoubleStorage": F64, "HalfStorage": F16, "BFloat16Storage": BF16,
	"LongStorage": "I64", "IntStorage": "I32", "ShortStorage": "I16", "CharStorage": "I8",
	"ByteStorage": "U8", "BoolStorage": "BOOL", "ComplexFloatStorage": "C64", "ComplexDoubleStorage": "C128",
	"QInt8Storage": "Q8", "QUInt8Storage": "QU8", "QInt32Storage": "QI32", "QUInt4x2Storage": "QU4x2",
}

// ptStorage is a persistent storage reference: ('storage', class, key,
// location, numel).
type ptStorage struct {
	dtype DType
	key   string
	numel int64
}

// ptTensor is a rebuilt tensor: a view of a storage.
type ptTensor struct {
	storage    *ptStorage
	offset     int64
	shape      []int64
	strides    []int64
	unreadable string
}

type rebuildTensor struct{}

// Call is torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
// requires_grad, backward_hooks[, metadata]) (and _rebuild_tensor, its
// first four arguments).
func (rebuildTensor) Call(args ...any) (any, error) {
	if len(args) < 4 {
		return nil, fmt.Errorf("_rebuild_tensor with %d arguments", len(args))
	}
	st, ok := args[0].(*ptStorage)
	if !ok {
		return nil, fmt.Errorf("_rebuild_tensor of something that is not a storage")
	}
	off, ok := args[1].(int)
	if !ok || off < 0 {
		return nil, fmt.Errorf("_rebuild_tensor with a bad storage offset %v", args[1])
	}
	shape, err := intTuple(args[2])
	if err != nil {
		return nil, fmt.Errorf("tensor size: %v", err)
	}
	strides, err := intTuple(args[3])
	if err != nil {
		return nil, fmt.Errorf("tensor stride: %v", err)
	}
	if len(strides) != len(shape) {
		return nil, fmt.Errorf("tensor with %d sizes and %d strides", len(shape), len(strides))
	}
	return &ptTensor{storage: st, offset: int64(off), shape: shape, strides: strides}, nil
}

func intTuple(v any) ([]int64, error) {
	t, ok := v.(*types.Tuple)
	if !ok {
		return nil, fmt.Errorf("not a tuple")
	}
	out := make([]int64, 0, t.Len())
	for _, x := range *t {
		n, ok := x.(int)
		if !ok || n < 0 {
			return nil, fmt.Errorf("%v is not a non-negative integer", x)
		}
		out = append(out, int64(n))
	}
	return out, nil
}

type rebuildParameter struct{}

// Call is torch._utils._rebuild_parameter(data, requires_grad,
// backward_hooks): the tensor itself.
func (rebuildParameter) Call(args ...any) (any, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("_rebuild_parameter without data")
	}
	if _, ok := args[0].(*ptTensor); !ok {
		return nil, fmt.Errorf("_rebuild_parameter of something that is not a tensor")
	}
	return args[0], nil
}

type rebuildQTensor struct{}

// Call is torch._utils._rebuild_qtensor: a quantized tensor, listed but
// not read.
func (rebuildQTensor) Call(args ...any) (any, error) {
	t := &ptTensor{unreadable: "a quantized tensor (only float64, float32, float16 and bfloat16 weights are read)"}
	if len(args) > 2 {
		t.shape, _ = intTuple(args[2])
	}
	return t, nil
}

// findClass resolves the globals a state_dict needs and refuses the rest.
func findClass(module, name string) (any, error) {
	switch module + "." + name {
	case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
		return rebuildTensor{}, nil
	case "torch._utils._rebuild_parameter":
		return rebuildParameter{}, nil
	case "torch._utils._rebuild_qtensor":
		return rebuildQTensor{}, nil
	}
	if module == "torch" {
		if d, ok := storageDTypes[name]; ok {
			return &storageClass{name: name, dtype: d}, nil
		}
	}
	return nil, fmt.Errorf("the pickle refers to the Python global %s.%s; only tensors and dicts, lists and tuples of tensors (a state_dict) are read — save model.state_dict() rather than the model", module, name)
}

// persistentLoad resolves ('storage', class, key, location, numel).
func persistentLoad(pid any) (any, error) {
	t, ok := pid.(*types.Tuple)
	if !ok || t.Len() < 5 {
		return nil, fmt.Errorf("persistent id %v is not a storage reference", pid)
	}
	if s, _ := t.Get(0).(string); s != "storage" {
		return nil, fmt.Errorf("persistent id of kind %v, not a storage", t.Get(0))
	}
	cls, ok := t.Get(1).(*storageClass)
	if !ok {
		return nil, fmt.Errorf("storage of an unknown class %v", t.Get(1))
	}
	key, ok := t.Get(2).(string)
	if !ok || key == "" || strings.ContainsAny(key, "/\\") {
		return nil, fmt.Errorf("storage key %v is not a plain name", t.Get(2))
	}
	numel, ok := t.Get(4).(int)
	if !ok || numel < 0 || int64(numel) > MaxElements {
		return nil, fmt.Errorf("storage size %v out of range", t.Get(4))
	}
	return &ptStorage{dtype: cls.dtype, key: key, numel: int64(numel)}, nil
}

// unpickle interprets a torch.save pickle and returns its tensors by
// dotted name, in order.
func unpickle(data []byte) (names []string, tensors []*ptTensor, err error) {
	if err := scanPickle(data); err != nil {
		return nil, nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			names, tensors, err = nil, nil, fmt.Errorf("malformed pickle (%v)", r)
		}
	}()
	u := pickle.NewUnpickler(bytes.NewReader(data))
	u.FindClass = findClass
	u.PersistentLoad = persistentLoad
	root, err := u.Load()
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	// Containers are visited once: the memo can make a container appear
	// twice, or inside itself, which a state_dict never does.
	visited := map[any]bool{}
	var walk func(prefix string, v any, depth int) error
	walk = func(prefix string, v any, depth int) error {
		if depth > 32 {
			return fmt.Errorf("containers nested more than 32 deep")
		}
		switch v.(type) {
		case *types.Dict, *types.OrderedDict, *types.List, *types.Tuple:
			if visited[v] {
				return fmt.Errorf("a container appears twice or inside itself")
			}
			visited[v] = true
		}
		join := func(k any) string {
			s := fmt.Sprint(k)
			if prefix == "" {
				return s
			}
			return prefix + "." + s
		}
		switch x := v.(type) {
		case *ptTensor:
			if prefix == "" {
				prefix = "tensor"
			}
			if seen[prefix] {
				return fmt.Errorf("two tensors named %q", prefix)
			}
			seen[prefix] = true
			names, tensors = append(names, prefix), append(tensors, x)
		case *types.Dict:
			for _, e := range *x {
				if err := walk(join(e.Key), e.Value, depth+1); err != nil {
					return err
				}
			}
		case *types.OrderedDict:
			for el := x.List.Front(); el != nil; el = el.Next() {
				e := el.Value.(*types.OrderedDictEntry)
				if err := walk(join(e.Key), e.Value, depth+1); err != nil {
					return err
				}
			}
		case *types.List:
			for i, e := range *x {
				if err := walk(join(i), e, depth+1); err != nil {
					return err
				}
			}
		case *types.Tuple:
			for i, e := range *x {
				if err := walk(join(i), e, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk("", root, 0); err != nil {
		return nil, nil, err
	}
	return names, tensors, nil
}
