package geometry

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// Potentials is a list of candidate geometries. It encodes to JSON as the
// candidates' names in the syntax of ParseCandidates ("NE", "p=1.5",
// "hypentropy:0.1"), so that Options travel to distributed workers; other
// potentials (BoxCox, custom types) do not encode.
type Potentials []Potential

// MarshalJSON writes the candidates as a list of names; nil as null.
func (ps Potentials) MarshalJSON() ([]byte, error) {
	if ps == nil {
		return []byte("null"), nil
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		switch p := p.(type) {
		case NegEntropy:
			names[i] = "NE"
		case PNorm:
			names[i] = "p=" + strconv.FormatFloat(p.P, 'g', -1, 64)
		case Hypentropy:
			names[i] = "hypentropy:" + strconv.FormatFloat(p.Beta, 'g', -1, 64)
		default:
			return nil, fmt.Errorf("geometry: candidate %s does not encode to JSON (only NE, p-norms and hypentropy do)", p.Name())
		}
	}
	return json.Marshal(names)
}

// UnmarshalJSON reads a list of names written by MarshalJSON (or any
// names ParseCandidates reads); null gives nil, the paper's grid.
func (ps *Potentials) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	if names == nil {
		*ps = nil
		return nil
	}
	out := make(Potentials, 0, len(names))
	for _, n := range names {
		c, err := ParseCandidates(n)
		if err != nil {
			return err
		}
		if len(c) != 1 {
			return &inputError{fmt.Sprintf("candidate %q: want one geometry", n)}
		}
		out = append(out, c[0])
	}
	*ps = out
	return nil
}

// inputError is a bad candidate list: an input error (inputerr.Is).
type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return inputerr.Is(target) }
