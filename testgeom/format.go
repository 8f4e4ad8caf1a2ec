package testgeom

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatFixed writes x with d decimals, as %.*f does, except that a value
// which rounds to zero reads 0, not -0: an estimate of -0.0001 printed
// with three decimals has no sign to show.
func FormatFixed(x float64, d int) string {
	s := strconv.FormatFloat(x, 'f', d, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return s
}

// FormatSigned is FormatFixed with a sign always written, as %+.*f does,
// and none for a value that rounds to zero.
func FormatSigned(x float64, d int) string {
	s := FormatFixed(x, d)
	if strings.HasPrefix(s, "-") || strings.Trim(s, "0.") == "" || math.IsNaN(x) {
		return s
	}
	return "+" + s
}

// FormatCI writes a 95% interval as "[lo, hi]" with d decimals, −∞ or ∞
// for a missing end: the form of the verdicts (LambdaDecimals chooses d).
func FormatCI(ci [2]*float64, d int) string {
	f := func(x *float64, inf string) string {
		if x == nil {
			return inf
		}
		return FormatFixed(*x, d)
	}
	return "[" + f(ci[0], "−∞") + ", " + f(ci[1], "∞") + "]"
}

// DescribeLambda names the geometry an estimate l of λ points to, from
// which named geometries (negative entropy, λ = 0; Euclidean, λ = 1) its
// interval ci contains: the wording of the verdicts.
func DescribeLambda(l float64, ci [2]*float64) string {
	lo, hi := math.Inf(-1), math.Inf(1)
	if ci[0] != nil {
		lo = *ci[0]
	}
	if ci[1] != nil {
		hi = *ci[1]
	}
	has0, has1 := lo <= 0 && 0 <= hi, lo <= 1 && 1 <= hi
	switch {
	case has0 && has1:
		return fmt.Sprintf("a geometry between negative entropy and Euclidean that the data cannot pin down (p ≈ %.2f)", l+1)
	case has0:
		return "negative entropy (multiplicative updates)"
	case has1:
		return "the Euclidean geometry (additive updates)"
	case hi < 0:
		return fmt.Sprintf("a geometry more multiplicative than negative entropy (p ≈ %.2f)", l+1)
	case lo > 1:
		return fmt.Sprintf("a p-norm beyond Euclidean (p ≈ %.2f)", l+1)
	}
	return fmt.Sprintf("a p-norm between negative entropy and Euclidean (p ≈ %.2f)", l+1)
}

func describeCandidate(name string) string {
	switch {
	case name == "NE":
		return "negative entropy (multiplicative updates)"
	case name == "p=2.0":
		return "the Euclidean geometry (additive updates)"
	case strings.HasPrefix(name, "p="):
		return "the p-norm " + name
	}
	return name
}
