package geometry

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Potential is a separable mirror-descent potential φ, seen through its dual
// map g = φ′ applied to one weight. Learning under φ moves g(w) by a
// gradient step, so the paper's prediction is g(w1) = g(w0) + ξ with
// Gaussian ξ independent of w0.
type Potential interface {
	// Name is the candidate's label: "NE", "p=2.0", "hypentropy(beta=0.1)".
	Name() string
	// Dual is g(w). It is NaN where g is undefined (w = 0 under NE).
	Dual(w float64) float64
	// Inverse is g⁻¹(y). sign is the sign of the weight before the step; only
	// sign-preserving potentials (NE) use it, as the paper's code does.
	Inverse(y, sign float64) float64
	// LogAbsDerivative is log|g′(w)|, the Jacobian term of the likelihood of
	// w1 given w0. It is -Inf or +Inf where g′ vanishes or blows up.
	LogAbsDerivative(w float64) float64
	// Defined reports whether g(w) exists (NE and Box–Cox with λ ≤ 0 need w ≠ 0).
	Defined(w float64) bool
	// SignPreserving reports whether g⁻¹(g(w0) + ξ) always has the sign of
	// w0, so that a pair whose sign flips is impossible under the potential.
	SignPreserving() bool
}

// Lambda returns the Box–Cox exponent λ = p − 1 of a potential in the
// p-norm / negative-entropy family (NE is λ = 0) and false for others.
func Lambda(p Potential) (float64, bool) {
	switch q := p.(type) {
	case PNorm:
		return q.P - 1, true
	case NegEntropy:
		return 0, true
	case BoxCox:
		return q.Lambda, true
	}
	return math.NaN(), false
}

// Sign returns −1, 0 or +1 (Sign(0) = 0, as torch.sign): the sign of a
// weight as Potential.Inverse takes it.
func Sign(w float64) float64 {
	switch {
	case w > 0:
		return 1
	case w < 0:
		return -1
	}
	return 0
}

// signPower is sign(x)·|x|^q with sign(0) = 0, the paper's signpower.
func signPower(x, q float64) float64 {
	return math.Pow(math.Abs(x), q) * Sign(x)
}

// PNorm is φ(w) = |w|^P / P for P > 1; P = 2 is Euclidean (gradient descent).
type PNorm struct {
	P float64 // the exponent, > 1
}

// Name is "p=" and the exponent, as in the paper's grid ("p=2.0").
func (p PNorm) Name() string { return "p=" + formatExponent(p.P) }

// Dual is g(w) = sign(w)|w|^(P−1).
func (p PNorm) Dual(w float64) float64 { return signPower(w, p.P-1) }

// Inverse is g⁻¹(y) = sign(y)|y|^(1/(P−1)); the sign before the step is not needed.
func (p PNorm) Inverse(y, _ float64) float64 { return signPower(y, 1/(p.P-1)) }

// Defined reports whether w is finite: g is defined on the whole line.
func (p PNorm) Defined(w float64) bool { return !math.IsNaN(w) && !math.IsInf(w, 0) }

// SignPreserving is false: a step can carry a weight across zero.
func (p PNorm) SignPreserving() bool { return false }

// LogAbsDerivative is log|g′(w)| = log(P−1) + (P−2)·log|w|.
func (p PNorm) LogAbsDerivative(w float64) float64 {
	// g′(w) = (P−1)|w|^(P−2)
	return math.Log(p.P-1) + (p.P-2)*math.Log(math.Abs(w))
}

// NegEntropy is φ(w) = |w| log|w| (exponentiated gradient, multiplicative
// updates): g(w) = sign(w)(1 + log|w|), undefined at 0, sign-preserving.
type NegEntropy struct{}

// Name is "NE".
func (NegEntropy) Name() string { return "NE" }

// Dual is g(w) = sign(w)(1 + log|w|), NaN at 0.
func (NegEntropy) Dual(w float64) float64 {
	if w == 0 {
		return math.NaN()
	}
	return (math.Log(math.Abs(w)) + 1) * Sign(w)
}

// Inverse is g⁻¹(y) on the half-line of sign s, the sign before the step.
func (NegEntropy) Inverse(y, s float64) float64 { return s * math.Exp(y*s-1) }

// Defined reports whether w is finite and nonzero.
func (NegEntropy) Defined(w float64) bool {
	return w != 0 && !math.IsNaN(w) && !math.IsInf(w, 0)
}

// SignPreserving is true: every weight stays on its half-line.
func (NegEntropy) SignPreserving() bool { return true }

// LogAbsDerivative is log|g′(w)| = −log|w|.
func (NegEntropy) LogAbsDerivative(w float64) float64 { return -math.Log(math.Abs(w)) }

// BoxCox is the continuous family used for estimation: g(w) =
// sign(w)(|w|^λ − 1)/λ, and sign(w)·log|w| at λ = 0. Its dual shifts equal
// those of PNorm{λ+1} divided by λ (and of NegEntropy at λ = 0) for pairs
// that keep their sign, which is all the likelihood needs.
type BoxCox struct {
	Lambda float64 // λ = p − 1
}

// Name is "lambda=" and λ.
func (b BoxCox) Name() string { return "lambda=" + strconv.FormatFloat(b.Lambda, 'g', -1, 64) }

// Dual is g(w) = sign(w)(|w|^λ − 1)/λ (sign(w)·log|w| at λ = 0), NaN where undefined.
func (b BoxCox) Dual(w float64) float64 {
	if !b.Defined(w) {
		return math.NaN()
	}
	a := math.Abs(w)
	if b.Lambda == 0 {
		return math.Log(a) * Sign(w)
	}
	return math.Expm1(b.Lambda*math.Log(a)) / b.Lambda * Sign(w)
}

// Inverse is g⁻¹(y) on the half-line of sign s, the sign before the step.
func (b BoxCox) Inverse(y, s float64) float64 {
	if b.Lambda == 0 {
		return s * math.Exp(s*y)
	}
	return s * math.Exp(math.Log1p(b.Lambda*s*y)/b.Lambda)
}

// Defined reports whether w is finite, and nonzero unless λ > 0.
func (b BoxCox) Defined(w float64) bool {
	if math.IsNaN(w) || math.IsInf(w, 0) {
		return false
	}
	return w != 0 || b.Lambda > 0
}

// SignPreserving reports whether λ ≤ 0, where each half-line maps onto the whole line.
func (b BoxCox) SignPreserving() bool { return b.Lambda <= 0 }

// LogAbsDerivative is log|g′(w)| = (λ − 1)·log|w|.
func (b BoxCox) LogAbsDerivative(w float64) float64 {
	return (b.Lambda - 1) * math.Log(math.Abs(w))
}

// Hypentropy is φ(w) = w·asinh(w/β) − √(w² + β²) (Ghai et al. 2020):
// g(w) = asinh(w/β). It behaves like NE for |w| ≫ β and like the Euclidean
// potential for |w| ≪ β, and allows zeros and sign changes.
type Hypentropy struct {
	Beta float64 // β > 0, the scale where NE-like turns Euclidean-like
}

// Name is "hypentropy(beta=β)".
func (h Hypentropy) Name() string {
	return "hypentropy(beta=" + strconv.FormatFloat(h.Beta, 'g', -1, 64) + ")"
}

// Dual is g(w) = asinh(w/β).
func (h Hypentropy) Dual(w float64) float64 { return math.Asinh(w / h.Beta) }

// Inverse is g⁻¹(y) = β·sinh(y); the sign before the step is not needed.
func (h Hypentropy) Inverse(y, _ float64) float64 { return h.Beta * math.Sinh(y) }

// Defined reports whether w is finite: g is defined on the whole line.
func (h Hypentropy) Defined(w float64) bool { return !math.IsNaN(w) && !math.IsInf(w, 0) }

// SignPreserving is false: a step can carry a weight across zero.
func (h Hypentropy) SignPreserving() bool { return false }

// LogAbsDerivative is log|g′(w)| = −½·log(w² + β²).
func (h Hypentropy) LogAbsDerivative(w float64) float64 {
	return -0.5 * math.Log(w*w+h.Beta*h.Beta)
}

// formatExponent writes 2 as "2.0" and 1.25 as "1.25", matching the
// candidate names "p=1.1" … "p=3.0" of the paper's grid.
func formatExponent(p float64) string {
	if r := math.Round(p * 10); math.Abs(p*10-r) < 1e-9 {
		return strconv.FormatFloat(r/10, 'f', 1, 64)
	}
	return strconv.FormatFloat(p, 'g', -1, 64)
}

// DefaultCandidates is the paper's grid: NE and p = 1.1, 1.2, …, 3.0.
func DefaultCandidates() []Potential {
	c := []Potential{NegEntropy{}}
	for k := 11; k <= 30; k++ {
		c = append(c, PNorm{P: float64(k) / 10})
	}
	return c
}

// ParseCandidates reads a comma-separated list such as
// "NE,1.5,2,2.5,3,hypentropy:0.1". Numbers are p-norm exponents (p > 1),
// with or without "p="; a bad list is an input error (analysis.ErrInput).
func ParseCandidates(s string) ([]Potential, error) {
	var out []Potential
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		var c Potential
		lf := strings.ToLower(f)
		switch {
		case lf == "ne" || lf == "negentropy" || lf == "negative_entropy" || lf == "negative-entropy":
			c = NegEntropy{}
		case strings.HasPrefix(lf, "hypentropy"):
			arg := strings.TrimLeft(strings.TrimPrefix(lf, "hypentropy"), ":=(")
			arg = strings.TrimSuffix(strings.TrimPrefix(arg, "beta="), ")")
			beta, err := strconv.ParseFloat(arg, 64)
			if err != nil || !(beta > 0) || math.IsInf(beta, 0) {
				return nil, &inputError{fmt.Sprintf("candidate %q: hypentropy needs a positive beta, e.g. hypentropy:0.1", f)}
			}
			c = Hypentropy{Beta: beta}
		default:
			p, err := strconv.ParseFloat(strings.TrimPrefix(lf, "p="), 64)
			if err != nil || math.IsInf(p, 0) || math.IsNaN(p) {
				return nil, &inputError{fmt.Sprintf("candidate %q: want NE, a p-norm exponent such as 1.5, or hypentropy:BETA", f)}
			}
			if p <= 1 {
				return nil, &inputError{fmt.Sprintf("candidate %q: a p-norm needs p > 1 (p → 1 is NE)", f)}
			}
			c = PNorm{P: p}
		}
		if seen[c.Name()] {
			return nil, &inputError{fmt.Sprintf("candidate %q listed twice", f)}
		}
		seen[c.Name()] = true
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, &inputError{fmt.Sprintf("no candidates in %q", s)}
	}
	return out, nil
}
