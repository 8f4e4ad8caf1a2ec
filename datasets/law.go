package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// Law is a distribution of initial weights.
type Law interface {
	// Rand draws one weight.
	Rand(r *rand.Rand) float64
	// String is the law in the syntax ParseLaw reads, so a simulation can
	// be repeated from its description.
	String() string
}

// LogNormal is the law of exp(MeanLog + SDLog·Z), Z standard normal (the
// parameters are named as fit.LogNormal's and R's meanlog, sdlog). With
// RandomSign each weight's sign is then flipped with probability ½ (the
// paper's signed log-normal initialisation).
type LogNormal struct {
	MeanLog, SDLog float64 // mean and sd of log |w|
	RandomSign     bool    // flip each sign with probability ½
}

// LogNormalFromMoments is the log-normal law with the given mean and
// standard deviation (of the weight, not of its log), as the paper's
// calc_ln_mu_sigma computes it.
func LogNormalFromMoments(mean, sd float64, randomSign bool) LogNormal {
	v := sd * sd
	return LogNormal{
		MeanLog:    math.Log(mean * mean / math.Sqrt(mean*mean+v)),
		SDLog:      math.Sqrt(math.Log(1 + v/(mean*mean))),
		RandomSign: randomSign,
	}
}

// Rand draws one value using r.
func (l LogNormal) Rand(r *rand.Rand) float64 {
	w := math.Exp(l.MeanLog + l.SDLog*r.NormFloat64())
	if l.RandomSign && r.Uint64()&1 == 1 {
		w = -w
	}
	return w
}

// String writes the law in the form ParseLaw reads.
func (l LogNormal) String() string {
	name := "lognormal"
	if l.RandomSign {
		name = "signed-lognormal"
	}
	return name + ":mu=" + fmtNum(l.MeanLog) + ",sigma=" + fmtNum(l.SDLog)
}

// Median is exp(MeanLog), the median of |w|.
func (l LogNormal) Median() float64 { return math.Exp(l.MeanLog) }

// Mean is exp(MeanLog + SDLog²/2), the mean of |w|.
func (l LogNormal) Mean() float64 { return math.Exp(l.MeanLog + l.SDLog*l.SDLog/2) }

// Normal is the law N(Mean, SD²).
type Normal struct {
	Mean, SD float64 // mean and standard deviation
}

// Rand draws one value using r.
func (n Normal) Rand(r *rand.Rand) float64 { return n.Mean + n.SD*r.NormFloat64() }

// String writes the law in the form ParseLaw reads.
func (n Normal) String() string {
	return "normal:mean=" + fmtNum(n.Mean) + ",sd=" + fmtNum(n.SD)
}

// TwoPoint puts probability 1−P on Low and P on High: weights that are in
// one of two states before learning (e.g. the binary part of EM synapse
// sizes in Dorkenwald et al. 2022).
type TwoPoint struct {
	Low, High, P float64 // the two weights and the probability of High
}

// Rand draws one value using r.
func (t TwoPoint) Rand(r *rand.Rand) float64 {
	if r.Float64() < t.P {
		return t.High
	}
	return t.Low
}

// String writes the law in the form ParseLaw reads.
func (t TwoPoint) String() string {
	return "twopoint:low=" + fmtNum(t.Low) + ",high=" + fmtNum(t.High) + ",p=" + fmtNum(t.P)
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// LawSyntax describes what ParseLaw accepts, for help texts.
const LawSyntax = "lognormal:MU,SIGMA (log scale), lognormal:mean=M,sd=S (moments of the weight), " +
	"signed-lognormal:... (the same with random signs), normal:MEAN,SD, twopoint:LOW,HIGH,P (P = probability of HIGH)"

// ParseLaw reads a law such as "lognormal:-0.702,0.9355",
// "signed-lognormal:mean=0.0316,sd=0.0316", "normal:0,0.1" or
// "twopoint:0.1,1,0.3". Values are positional or key=value.
func ParseLaw(s string) (Law, error) {
	name, args, _ := strings.Cut(strings.TrimSpace(s), ":")
	name = strings.ToLower(strings.TrimSpace(name))
	vals := map[string]float64{}
	var pos []float64
	if strings.TrimSpace(args) != "" {
		for _, f := range strings.Split(args, ",") {
			k, v, hasKey := strings.Cut(strings.TrimSpace(f), "=")
			if !hasKey {
				v = k
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, paramErrorf("law %q: %q is not a finite number", s, f)
			}
			if hasKey {
				k = strings.ToLower(strings.TrimSpace(k))
				if _, dup := vals[k]; dup {
					return nil, paramErrorf("law %q: %s given twice", s, k)
				}
				vals[k] = x
			} else {
				pos = append(pos, x)
			}
		}
	}
	// take assigns positional values to keys in order, then checks that
	// exactly the wanted keys are present.
	take := func(keys ...string) error {
		if len(pos) > 0 && len(vals) > 0 {
			return paramErrorf("law %q: use either positional values or key=value, not both", s)
		}
		if len(pos) > 0 {
			if len(pos) != len(keys) {
				return paramErrorf("law %q: want %d values (%s)", s, len(keys), strings.Join(keys, ","))
			}
			for i, k := range keys {
				vals[k] = pos[i]
			}
		}
		for _, k := range keys {
			if _, ok := vals[k]; !ok {
				return paramErrorf("law %q: missing %s (want %s)", s, k, strings.Join(keys, ","))
			}
		}
		if len(vals) != len(keys) {
			return paramErrorf("law %q: unexpected parameters (want %s)", s, strings.Join(keys, ","))
		}
		return nil
	}
	switch name {
	case "lognormal", "signed-lognormal":
		signed := name == "signed-lognormal"
		if _, moments := vals["mean"]; moments {
			if err := take("mean", "sd"); err != nil {
				return nil, err
			}
			if !(vals["mean"] > 0) || !(vals["sd"] > 0) {
				return nil, paramErrorf("law %q: mean and sd must be positive", s)
			}
			return LogNormalFromMoments(vals["mean"], vals["sd"], signed), nil
		}
		if err := take("mu", "sigma"); err != nil {
			return nil, err
		}
		if !(vals["sigma"] > 0) {
			return nil, paramErrorf("law %q: sigma must be positive", s)
		}
		return LogNormal{MeanLog: vals["mu"], SDLog: vals["sigma"], RandomSign: signed}, nil
	case "normal":
		if err := take("mean", "sd"); err != nil {
			return nil, err
		}
		if !(vals["sd"] > 0) {
			return nil, paramErrorf("law %q: sd must be positive", s)
		}
		return Normal{Mean: vals["mean"], SD: vals["sd"]}, nil
	case "twopoint", "two-point":
		if err := take("low", "high", "p"); err != nil {
			return nil, err
		}
		if !(vals["p"] >= 0 && vals["p"] <= 1) {
			return nil, paramErrorf("law %q: p must be in [0, 1]", s)
		}
		return TwoPoint{Low: vals["low"], High: vals["high"], P: vals["p"]}, nil
	}
	return nil, paramErrorf("unknown law %q; want one of %s", s, LawSyntax)
}

// ParamError is an impossible simulation setting or unknown name; the
// command line reports it as an input error.
type ParamError struct {
	Msg string // the message shown to the user
}

// Error returns the message.
func (e *ParamError) Error() string { return e.Msg }

// Is makes the error match analysis.ErrInput (exit code 2 in the CLI).
func (e *ParamError) Is(target error) bool { return inputerr.Is(target) }

func paramErrorf(format string, a ...any) error {
	return &ParamError{fmt.Sprintf(format, a...)}
}
