package testgeom_test

import (
	"os"
	"testing"

	"github.com/syngeom/syngeom/testgeom"
)

func TestScratch5000(t *testing.T) {
	if os.Getenv("SYNGEOM_SCRATCH") != "1" {
		t.Skip()
	}
	for _, s := range noiseScenarios {
		lam, _ := testgeom.Lambda(s.truth)
		cov, bias := 0, 0.0
		for seed := uint64(1); seed <= 20; seed++ {
			p := s.simulate(t, 5000, 5000+seed)
			r, _ := testgeom.CorrectNoise(p.Before, p.After, s.noise, "given", testgeom.NoiseOptions{Seed: seed})
			if r.Lambda == nil { t.Logf("%s: %s", s.name, r.Status); continue }
			bias += *r.Lambda - lam
			if val(r.LambdaCI[0]) <= lam && lam <= val(r.LambdaCI[1]) { cov++ }
		}
		t.Logf("%s n=5000: bias %.3f coverage %d/20", s.name, bias/20, cov)
	}
}
