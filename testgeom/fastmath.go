package testgeom

import "math"

// Table-driven exp and log for the scan's hot loops, where math.Exp and
// math.Log (general-purpose, with a division in Log) were a third of the
// time. Both are within a few ulp of the correctly rounded result (TestFastMath
// checks 4 ulp, and 2e-16 absolute for log near 1), and fall back on the
// math package outside the range they handle.

const (
	expBits  = 8
	expN     = 1 << expBits
	logBits  = 8
	logN     = 1 << logBits
	ln2Hi    = 6.93147180369123816490e-01 // fdlibm: 32 significant bits
	ln2Lo    = 1.90821492927058770002e-10
	shifter  = 0x1.8p52 // adding it rounds to an integer in the low bits
	logStart = 0x3fe6955500000000
)

var (
	expTable [expN]float64 // 2^(j/expN)
	logInvC  [logN]float64 // 1/c_j, rounded; exactly 1 for the interval holding 1
	logLogC  [logN]float64 // −log(logInvC[j])
)

func init() {
	for j := range expTable {
		expTable[j] = math.Exp2(float64(j) / expN)
	}
	// Interval j holds the z in [0.7071…, 1.4142…) whose bits minus
	// logStart have j as their top mantissa bits; c_j is its centre.
	for j := range logInvC {
		lo := math.Float64frombits(logStart + uint64(j)<<(52-logBits))
		hi := math.Float64frombits(logStart + uint64(j+1)<<(52-logBits))
		c := (lo + hi) / 2
		if lo <= 1 && 1 < hi {
			c = 1
		}
		logInvC[j] = 1 / c
		logLogC[j] = -math.Log(logInvC[j])
	}
}

// fastExp is e^x (the scalar form, for single values and tests).
func fastExp(x float64) float64 {
	var d [1]float64
	expScaled(d[:], []float64{x}, 1)
	return d[0]
}

// fastLog is log x (the scalar form).
func fastLog(x float64) float64 {
	if x < 0 {
		return math.Log(x) // NaN
	}
	var d [1]float64
	logAbs(d[:], []float64{x})
	return d[0]
}

// expScaled sets dst[i] = e^(c·x[i]). The kernels call it on blocks of
// weights: the iterations are independent, so the processor overlaps the
// polynomials of successive elements, where one call per element waited for
// each in turn.
func expScaled(dst, x []float64, c float64) {
	x = x[:len(dst)]
	vectorsThenGo(len(x),
		func(i int) int { return expVector(dst[i:], x[i:], c) },
		func(i, end int) int { expScalar(dst[i:end], x[i:end], c); return end - i })
}

// vectorsThenGo runs a kernel over n values by vectors where it can: the
// vectors from value i on do whole groups of four up to one they leave to
// the Go loop, which does that group (values i to end) and says how many
// it did; fewer than asked stops the walk there. Without vectors the Go
// loop does everything. It returns how many values were done.
func vectorsThenGo(n int, vectors func(i int) int, goLoop func(i, end int) int) int {
	i := 0
	for vectorKernels {
		i += vectors(i)
		end := min(i+4, n)
		if j := goLoop(i, end); j < end-i || end == n {
			return i + j
		}
		i = end
	}
	return goLoop(0, n)
}

// expScalar is expScaled one value at a time.
func expScalar(dst, x []float64, c float64) {
	// A local copy of the constants: the loop reads them from the stack as
	// operands, where each constant would be loaded by its own instruction.
	k := expConst
	for i, v := range x {
		v *= c
		if !(math.Abs(v) < k.max) {
			dst[i] = math.Exp(v)
			continue
		}
		kd := v*k.invLn2 + k.shifter
		kf := kd - k.shifter
		j := int64(kf)
		r := (v - kf*k.ln2Hi) - kf*k.ln2Lo
		// e^r − 1 for |r| ≤ ln2/512 to degree 4 (the next term is below
		// 4e-17 of the result), grouped in pairs to shorten the chain of
		// dependent operations.
		r2 := r * r
		p := r * ((k.one + r*k.c2) + r2*(k.c3+r*k.c4))
		t := expTable[j&(expN-1)]
		scale := math.Float64frombits(uint64(j>>expBits+1023) << 52)
		dst[i] = (t + t*p) * scale
	}
}

// expConst are expScaled's constants: the range it handles, 2^8/ln2, the
// shifter, ln2/2^8 in two parts and the Taylor coefficients.
var expConst = struct {
	max, invLn2, shifter, ln2Hi, ln2Lo, one, c2, c3, c4 float64
}{700, expN / math.Ln2, shifter, ln2Hi / expN, ln2Lo / expN, 1, 0.5, 1.0 / 6, 1.0 / 24}

// logAbs sets dst[i] = log|x[i]|, blockwise like expScaled.
func logAbs(dst, x []float64) {
	x = x[:len(dst)]
	vectorsThenGo(len(x),
		func(i int) int { return logVector(dst[i:], x[i:]) },
		func(i, end int) int { logScalar(dst[i:end], x[i:end]); return end - i })
}

// logScalar is logAbs one value at a time.
func logScalar(dst, x []float64) {
	x = x[:len(dst)]
	for i, v := range x {
		v = math.Abs(v)
		if !(v >= 0x1p-1022 && v <= math.MaxFloat64) {
			dst[i] = math.Log(v)
			continue
		}
		ix := math.Float64bits(v)
		tmp := ix - logStart
		j := (tmp >> (52 - logBits)) & (logN - 1)
		k := float64(int64(tmp) >> 52)
		z := math.Float64frombits(ix - tmp&(0xfff<<52))
		r := math.FMA(z, logInvC[j], -1)
		// log(1 + r) − r for |r| < 2^−9 to degree 6 (the next term is
		// below 1e-17 of r), grouped as for exp.
		r2 := r * r
		p := r2 * ((-0.5 + r*(1.0/3)) + r2*((-0.25+r*(1.0/5))+r2*(-1.0/6)))
		dst[i] = (k*ln2Hi + logLogC[j]) + (r + (p + k*ln2Lo))
	}
}
