package compare

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestHolm(t *testing.T) {
	// Holm (1979): sorted p 0.01, 0.02, 0.04 over m = 3 give 0.03, 0.04,
	// 0.04 (the last raised to keep the order).
	got := holm([]float64{0.04, 0.01, 0.02})
	want := []float64{0.04, 0.03, 0.04}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("holm = %v, want %v", got, want)
		}
	}
}

// TestDeviationNamesOnlyTheOddGroups: 40 groups under negative entropy
// and two under the Euclidean geometry; the deviation test names those two
// and no other.
func TestDeviationNamesOnlyTheOddGroups(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var w0, w1 []float64
	var group []int32
	var names []string
	for g := range 42 {
		names = append(names, string(rune('A'+g/26))+string(rune('a'+g%26)))
		for range 300 {
			a := math.Exp(rng.NormFloat64()*0.5 + 1)
			var b float64
			if g == 5 || g == 30 { // Euclidean: additive Gaussian step
				b = a + 0.3*rng.NormFloat64()
				for b <= 0 {
					b = a + 0.3*rng.NormFloat64()
				}
			} else { // negative entropy: multiplicative step
				b = a * math.Exp(0.1*rng.NormFloat64())
			}
			w0, w1, group = append(w0, a), append(w1, b), append(group, int32(g))
		}
	}
	gc, err := Groups(w0, w1, group, names, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(gc.Deviating) != 2 || gc.Deviating[0] != names[5] || gc.Deviating[1] != names[30] {
		t.Fatalf("deviating = %v, want [%s %s]", gc.Deviating, names[5], names[30])
	}
	if gc.DeviationCorrection == "" {
		t.Fatal("no correction stated")
	}
	for _, g := range gc.Groups {
		if g.DeviationPAdjusted == nil || *g.DeviationPAdjusted < *g.DeviationPValue {
			t.Fatalf("group %s: adjusted p %v below raw %v", g.Group, g.DeviationPAdjusted, g.DeviationPValue)
		}
	}
}
