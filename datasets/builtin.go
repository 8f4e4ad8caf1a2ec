package datasets

import (
	"strings"

	"github.com/syngeom/syngeom/geometry"
)

// Builtin is a dataset that ships with syngeom, generated in code on demand.
type Builtin struct {
	Name        string                 // the name Load accepts (any case)
	Description string                 // one line for `syngeom datasets list`
	Make        func() (*Pairs, error) // generates the table
}

// builtins lists the demo and the paper's robustness tables (seed 1), one per
// true potential and initial law.
func builtins() []Builtin {
	out := []Builtin{{
		Name: DemoName,
		Description: "SYNTHETIC demo: 20,000 synapses of two cell types, log-normal sizes (Song et al. 2005), " +
			"one NE dual step, noise CV 0.1, turnover, missing values; the default input of analyze",
		Make: func() (*Pairs, error) { return Demo(), nil },
	}}
	for _, init := range []string{"lognormal", "normal"} {
		for _, p := range []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}} {
			s, err := PaperRobustness(p, init, 1)
			if err != nil {
				panic(err)
			}
			s.Name = "robustness-" + init + "-" + strings.ReplaceAll(strings.ToLower(p.Name()), "=", "")
			out = append(out, Builtin{
				Name:        s.Name,
				Description: s.Describe() + " (the paper's robustness setting)",
				Make:        s.Simulate,
			})
		}
	}
	return out
}

// Builtins returns the built-in datasets in a fixed order.
func Builtins() []Builtin { return builtins() }

// Load generates the built-in dataset called name. For a literature entry
// it explains that the entry is a distribution, not a dataset.
func Load(name string) (*Pairs, error) {
	var names []string
	for _, b := range builtins() {
		if strings.EqualFold(b.Name, name) {
			return b.Make()
		}
		names = append(names, b.Name)
	}
	if r, ok := LookupLiterature(name); ok {
		if r.Law == nil {
			return nil, paramErrorf("%q is a qualitative literature entry, not a dataset", r.Name)
		}
		return nil, paramErrorf("%q is a literature distribution, not a dataset; simulate from it with "+
			"'syngeom simulate dualshift --init-lit %s'", r.Name, r.Name)
	}
	return nil, paramErrorf("unknown dataset %q; built-in datasets: %s", name, strings.Join(names, ", "))
}
