// Package veclog takes the natural logarithms of a slice of values with
// the same bits as math.Log, four values to an AVX2 register on amd64.
//
// math.Log on amd64 is an assembly routine (the FreeBSD algorithm: the
// reduction to [√2/2, √2), s = f/(2+f) and a polynomial in s²) that works
// on one value at a time. Logs fills a slice with the same operations in the
// same order, lane by lane, so each result is math.Log's to the bit
// (TestLogsMatchMathLog). Values the routine treats as special cases (zero,
// negative, infinite, NaN) go to math.Log itself, as does everything on
// other processors or with the build tag purego.
package veclog
