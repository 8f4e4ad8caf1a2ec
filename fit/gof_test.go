package fit

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Reference values of log Φ(z) and Φ(z) from mpmath at 40 digits.
var normalTailCases = []struct{ z, logCDF, cdf float64 }{
	{-40, -804.6084420137537881666068, 0}, // Φ underflows float64
	{-30, -454.3212439563431971073558, 4.906713927148187059533809e-198},
	{-20.5, -214.0667289632638001665304, 1.076467325879096033530687e-93},
	{-20, -203.9171553710972639368045, 2.753624118606233695075623e-89},
	{-19.9, -201.9171677073325975747969, 2.03464320878272980621703e-88},
	{-10, -53.23128515051247057834703, 7.619853024160526065973343e-24},
	{-5, -15.0649983939887257360837, 2.866515718791939116737523e-7},
	{-1, -1.841021645009263505770783, 0.1586552539314570514147675},
	{0, -0.6931471805599453094172321, 0.5},
	{1, -0.1727537790234498895264832, 0.8413447460685429485852325},
	{5, -2.866516129637635933845963e-7, 0.9999997133484281208060883},
	{8.3, -5.205569744890254160064948e-17, 0.9999999999999999479443026},
	{10, -7.619853024160526070429306e-24, 1},
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), math.SmallestNonzeroFloat64)
}

func TestNormalTails(t *testing.T) {
	// math.Erfc is accurate to about 1.2e-13 relative in the far tail.
	const tol = 2e-13
	for _, c := range normalTailCases {
		if e := relErr(NormalLogCDF(c.z), c.logCDF); e > tol {
			t.Errorf("NormalLogCDF(%g) = %.17g, want %.17g (rel err %.2g)", c.z, NormalLogCDF(c.z), c.logCDF, e)
		}
		if e := relErr(NormalLogSurvival(-c.z), c.logCDF); e > tol {
			t.Errorf("NormalLogSurvival(%g) = %.17g, want %.17g (rel err %.2g)", -c.z, NormalLogSurvival(-c.z), c.logCDF, e)
		}
		if e := relErr(NormalCDF(c.z), c.cdf); e > tol {
			t.Errorf("NormalCDF(%g) = %.17g, want %.17g (rel err %.2g)", c.z, NormalCDF(c.z), c.cdf, e)
		}
		if e := relErr(NormalSurvival(-c.z), c.cdf); e > tol {
			t.Errorf("NormalSurvival(%g) = %.17g, want %.17g (rel err %.2g)", -c.z, NormalSurvival(-c.z), c.cdf, e)
		}
	}
	if v := NormalLogCDF(math.Inf(-1)); !math.IsInf(v, -1) {
		t.Errorf("NormalLogCDF(-Inf) = %g, want -Inf", v)
	}
	if v := NormalLogCDF(math.Inf(1)); v != 0 {
		t.Errorf("NormalLogCDF(+Inf) = %g, want 0", v)
	}
	if v := NormalLogCDF(math.NaN()); !math.IsNaN(v) {
		t.Errorf("NormalLogCDF(NaN) = %g, want NaN", v)
	}
}

// The statistics of a three-point sample against the uniform law on [0, 1],
// worked by hand from the definitions.
func TestGOFStatisticsByHand(t *testing.T) {
	x := []float64{0.1, 0.5, 0.7}
	uniform := func(v float64) float64 { return v }
	logU := func(v float64) float64 { return math.Log(v) }
	logS := func(v float64) float64 { return math.Log1p(-v) }
	// D = max(1/3−0.1, 0.1−0, 2/3−0.5, 0.5−1/3, 1−0.7, 0.7−2/3) = 0.3
	if got := KS(x, uniform); math.Abs(got-0.3) > 1e-15 {
		t.Errorf("KS = %.17g, want 0.3", got)
	}
	// W² = 1/36 + (0.1−1/6)² + (0.5−0.5)² + (0.7−5/6)²
	w2 := 1.0/36 + math.Pow(0.1-1.0/6, 2) + math.Pow(0.7-5.0/6, 2)
	if got := CramerVonMises(x, uniform); math.Abs(got-w2) > 1e-15 {
		t.Errorf("CvM = %.17g, want %.17g", got, w2)
	}
	// A² = −3 − (1/3)[1(ln .1 + ln .3) + 3(ln .5 + ln .5) + 5(ln .7 + ln .9)]
	a2 := -3 - (math.Log(0.1)+math.Log(0.3)+3*(2*math.Log(0.5))+5*(math.Log(0.7)+math.Log(0.9)))/3
	if got := AndersonDarling(x, logU, logS); math.Abs(got-a2) > 1e-14 {
		t.Errorf("AD = %.17g, want %.17g", got, a2)
	}
	for name, v := range map[string]float64{
		"KS":  KS(nil, uniform),
		"CvM": CramerVonMises(nil, uniform),
		"AD":  AndersonDarling(nil, logU, logS),
	} {
		if !math.IsNaN(v) {
			t.Errorf("%s of an empty sample = %g, want NaN", name, v)
		}
	}
}

// A point far in the upper tail must not turn A² into +Inf through
// log(1 − Φ) = log 0: with log-survival it stays finite and matches the value
// from the exact tail.
func TestAndersonDarlingFarTail(t *testing.T) {
	z := []float64{-1, 0, 0.5, 40}
	a2 := AndersonDarling(z, NormalLogCDF, NormalLogSurvival)
	if math.IsInf(a2, 0) || math.IsNaN(a2) {
		t.Fatalf("AD with a point at z = 40 = %g, want finite", a2)
	}
	// The textbook form with the reversed index, log S(40) = −804.608… from mpmath.
	n := len(z)
	logS := []float64{NormalLogSurvival(-1), NormalLogSurvival(0), NormalLogSurvival(0.5), -804.6084420137537881666068}
	sum := 0.0
	for i := 1; i <= n; i++ {
		sum += float64(2*i-1) * (NormalLogCDF(z[i-1]) + logS[n-i])
	}
	want := -float64(n) - sum/float64(n)
	if relErr(a2, want) > 1e-14 {
		t.Errorf("AD = %.17g, want %.17g", a2, want)
	}
}

// AndersonDarlingNormal, with its one erfc per point, is AndersonDarling
// with the two log tails to the bit, at the branch points 0 and ±20 too.
func TestAndersonDarlingNormalExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := []float64{-45, -20, -19.999999999999996, -3, 0, 1e-300, 2, 20, 20.000000000000004, 60}
	for range 5000 {
		x = append(x, 3*rng.NormFloat64())
	}
	slices.Sort(x)
	for _, ms := range [][2]float64{{0, 1}, {0.25, 1.5}, {-1, 0.3}} {
		z := make([]float64, len(x))
		for i, v := range x {
			z[i] = (v - ms[0]) / ms[1]
		}
		want := AndersonDarling(z, NormalLogCDF, NormalLogSurvival)
		if got := AndersonDarlingNormal(x, ms[0], ms[1]); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("mean %g sd %g: AndersonDarlingNormal = %.17g, want %.17g", ms[0], ms[1], got, want)
		}
	}
	if got := AndersonDarlingNormal(nil, 0, 1); !math.IsNaN(got) {
		t.Errorf("empty sample: %g, want NaN", got)
	}
}
