package checkpoint

import "math"

// Rounding a weight to a float format with m explicit mantissa bits is, to
// a good approximation, multiplicative noise. For x = f·2^e with f in
// [1, 2), round-to-nearest leaves an absolute error uniform on ±2^(e−m)/2,
// a relative error u·2^−m/f with u uniform on ±1/2. Its variance is
// 2^−2m/12 · E[f⁻²]; over a log-uniform mantissa (weights spread over
// several binades, Benford's law) E[f⁻²] = 3/(8 ln 2), so
//
//	CV = 2^−m / √(32 ln 2) ≈ 0.212 · 2^−m.
//
// The simpler 2^−(m+1)/√3 = 2^−m/√12 measures the error against the
// bottom of the binade (f = 1) and is 1.36 times larger. Subnormals, where
// the step no longer scales with the value, are left out.

// RoundingCV is the coefficient of variation of the relative error left by
// rounding a weight to this dtype (0 for dtypes that are not readable).
func (d DType) RoundingCV() float64 {
	m, _ := d.format()
	if m == 0 {
		return 0
	}
	return math.Ldexp(1/math.Sqrt(32*math.Ln2), -m)
}

// NegligibleRoundingCV is the rounding CV below which rounding is no
// noise worth correcting for (float32 and float64; float16 and bfloat16
// are above it).
const NegligibleRoundingCV = 1e-6

// LongName is the dtype's usual name (bfloat16, float32, …).
func (d DType) LongName() string {
	switch d {
	case F64:
		return "float64"
	case F32:
		return "float32"
	case F16:
		return "float16"
	case BF16:
		return "bfloat16"
	}
	return string(d)
}
