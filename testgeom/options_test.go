package testgeom_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/internal/inputerr"
	"github.com/syngeom/syngeom/testgeom"
)

// Zero means none: the zero Options run no null simulations and no
// bootstrap; DefaultOptions run syngeom test's.
func TestZeroOptionsResampleNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	w0, w1 := make([]float64, 500), make([]float64, 500)
	for i := range w0 {
		w0[i] = math.Exp(0.5 * rng.NormFloat64())
		w1[i] = w0[i] * math.Exp(0.2*rng.NormFloat64())
	}
	cands := []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}
	r, err := testgeom.TestPaired(w0, w1, testgeom.Options{Candidates: cands})
	if err != nil {
		t.Fatal(err)
	}
	if r.NullReplicates != 0 || r.Candidates[0].DCDFPValue != nil || r.Bootstrap != nil {
		t.Errorf("zero options: %d null replicates, p %v, bootstrap %v", r.NullReplicates, r.Candidates[0].DCDFPValue, r.Bootstrap)
	}
	o := testgeom.DefaultOptions()
	o.Candidates, o.Bootstrap, o.NullReplicates = cands, 5, 9
	r, err = testgeom.TestPaired(w0, w1, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.NullReplicates != 9 || r.Candidates[0].DCDFPValue == nil || r.Bootstrap == nil {
		t.Errorf("with resampling: %d null replicates, p %v, bootstrap %v", r.NullReplicates, r.Candidates[0].DCDFPValue, r.Bootstrap)
	}
	if d := testgeom.DefaultOptions(); d.Seed != testgeom.DefaultSeed || d.NullReplicates != testgeom.DefaultNullReplicates || d.Bootstrap != testgeom.DefaultBootstrap {
		t.Errorf("DefaultOptions %+v", d)
	}
}

func TestOptionsValidate(t *testing.T) {
	if err := testgeom.DefaultOptions().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	for _, o := range []testgeom.Options{{Bootstrap: -1}, {NullReplicates: -1}, {SampleMax: -1}, {Candidates: geometry.Potentials{}}} {
		if err := o.Validate(); !errors.Is(err, inputerr.ErrInput) {
			t.Errorf("%+v: error %v, want an input error", o, err)
		}
	}
	if err := (testgeom.Options{Bootstrap: -1}).Validate(); err == nil || err.Error() != "Bootstrap must be ≥ 0, not -1" {
		t.Errorf("message %q", err)
	}
}

// Candidates encode to JSON by name and decode to the same potentials.
func TestPotentialsJSON(t *testing.T) {
	ps := geometry.Potentials{geometry.NegEntropy{}, geometry.PNorm{P: 1.25}, geometry.PNorm{P: 1.1 + 1e-12}, geometry.Hypentropy{Beta: 0.1}}
	b, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	var got geometry.Potentials
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ps) {
		t.Fatalf("%s decoded to %v", b, got)
	}
	for i := range ps {
		if got[i] != ps[i] {
			t.Errorf("%s: candidate %d is %#v, want %#v", b, i, got[i], ps[i])
		}
	}
	if _, err := json.Marshal(geometry.Potentials{geometry.BoxCox{Lambda: 0.5}}); err == nil {
		t.Error("a Box–Cox potential encoded")
	}
}
