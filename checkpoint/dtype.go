package checkpoint

import (
	"encoding/binary"
	"math"
)

// DType is a tensor's element type, named as safetensors names it (F32,
// BF16, I64, …).
type DType string

// The readable dtypes.
const (
	F64  DType = "F64"
	F32  DType = "F32"
	F16  DType = "F16"
	BF16 DType = "BF16"
)

// Readable reports whether values of this dtype convert to float64.
func (d DType) Readable() bool {
	switch d {
	case F64, F32, F16, BF16:
		return true
	}
	return false
}

// Size is the bytes of one element (0 when unknown).
func (d DType) Size() int {
	switch d {
	case F64, "I64", "U64", "C64":
		return 8
	case F32, "I32", "U32":
		return 4
	case F16, BF16, "I16", "U16":
		return 2
	case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2", "Q8", "QU8":
		return 1
	case "C128":
		return 16
	}
	return 0
}

// Step is the spacing of representable numbers near x in this dtype (the
// rounding step: a change smaller than about half of it is lost). It is 0
// for dtypes that are not readable.
func (d DType) Step(x float64) float64 {
	mant, minExp := d.format()
	if mant == 0 {
		return 0
	}
	return stepOf(x, mant, minExp)
}

// stepOf is 2^(e − mant) for |x| in [2^e, 2^(e+1)), e at least minExp,
// read off the float64 exponent bits: the per-pair statistics call it for
// every weight, and math.Frexp with math.Ldexp cost about 15 ns a call.
// Infinities, NaN and steps below the normal float64 range (float64
// weights near 2^−1022) take the general path, with the same values.
func stepOf(x float64, mant, minExp int) float64 {
	eb := int(math.Float64bits(x) >> 52 & 0x7ff)
	e := max(eb-1023, minExp) // eb = 0: zero or subnormal, below every minExp
	if k := e - mant; eb != 0x7ff && k >= -1022 {
		return math.Float64frombits(uint64(k+1023) << 52)
	}
	x = math.Abs(x)
	_, e = math.Frexp(x) // x = f·2^e, f in [0.5, 1)
	e--
	if x == 0 || e < minExp {
		e = minExp
	}
	return math.Ldexp(1, e-mant)
}

// format is the number of explicit mantissa bits and the exponent of the
// smallest normal number (0, 0 for dtypes that are not readable).
func (d DType) format() (mant, minExp int) {
	switch d {
	case F64:
		return 52, -1022
	case F32:
		return 23, -126
	case F16:
		return 10, -14
	case BF16:
		return 7, -126
	}
	return 0, 0
}

// decode converts n elements of raw bytes to float64, exactly.
func decode(d DType, big bool, raw []byte, dst []float64) {
	var order binary.ByteOrder = binary.LittleEndian
	if big {
		order = binary.BigEndian
	}
	switch d {
	case F64:
		for i := range dst {
			dst[i] = math.Float64frombits(order.Uint64(raw[8*i:]))
		}
	case F32:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(order.Uint32(raw[4*i:])))
		}
	case F16:
		for i := range dst {
			dst[i] = halfToFloat(order.Uint16(raw[2*i:]))
		}
	case BF16:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(uint32(order.Uint16(raw[2*i:])) << 16))
		}
	}
}

// halfToFloat converts an IEEE 754 binary16 value, subnormals, infinities
// and NaN included.
func halfToFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}
