package fit

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Fits from sufficient statistics equal Fit on the values, and shards of
// the values merged in any grouping give the same summary.
func TestFitSummaryEqualsFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	x := make([]float64, 30000)
	for i := range x {
		x[i] = math.Exp(0.7*rng.NormFloat64() + 1)
	}
	fams := []*Family{normalFamily, logNormalFamily, exponentialFamily, gammaFamily, weibullFamily}
	rep, err := Fit(x, fams, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var acc SummaryAccumulator
	acc.Add(x[:7000])
	var other SummaryAccumulator
	other.Add(x[7000:])
	acc.Merge(&other)
	sm, err := acc.Summary(true)
	if err != nil {
		t.Fatal(err)
	}
	got := FitSummary(sm, fams)
	if len(got) != 4 {
		t.Fatalf("%d fits from the summary, want 4 (Weibull has no sufficient statistics)", len(got))
	}
	for i, r := range got {
		want := rep.Fits[i]
		if r.Family != want.Family || r.Status != "ok" || r.N != len(x) {
			t.Fatalf("fit %d: %s %q n=%d, want %s ok %d", i, r.Family, r.Status, r.N, want.Family, len(x))
		}
		for _, name := range r.ParamNames {
			if !relEqual(r.Params[name], want.Params[name], 1e-12) || !relEqual(r.SE[name], want.SE[name], 1e-9) {
				t.Errorf("%s %s: %v ± %v, Fit gives %v ± %v", r.Family, name, r.Params[name], r.SE[name], want.Params[name], want.SE[name])
			}
		}
		if !relEqual(*r.LogLik, *want.LogLik, 1e-12) || !relEqual(*r.BIC, *want.BIC, 1e-12) {
			t.Errorf("%s: loglik %v, Fit gives %v", r.Family, *r.LogLik, *want.LogLik)
		}
		if r.KS != nil || r.PValues != nil {
			t.Errorf("%s: GOF statistics from a summary", r.Family)
		}
	}
	b := acc.AppendBinary([]byte{})
	var dec SummaryAccumulator
	if rest, err := dec.DecodeBinary(b); err != nil || len(rest) != 0 {
		t.Fatalf("decode: %v", err)
	}
	if s2, _ := dec.Summary(true); s2 != sm {
		t.Errorf("round trip %+v, want %+v", s2, sm)
	}
}

func TestSummaryZerosAndSigns(t *testing.T) {
	var a SummaryAccumulator
	a.Add([]float64{0, 1, 2, math.NaN(), 3, 0})
	if z, neg := a.Counts(); z != 2 || neg != 0 {
		t.Errorf("zeros %d negative %d, want 2 0", z, neg)
	}
	pos, _ := a.Summary(true)
	all, _ := a.Summary(false)
	if pos.N != 3 || pos.Mean != 2 || pos.Min != 1 || all.N != 5 || all.Positive || all.Min != 0 {
		t.Errorf("positive %+v, all %+v", pos, all)
	}
	a.Add([]float64{-1})
	if _, err := a.Summary(true); err == nil {
		t.Error("a positive summary of a sample with a negative value")
	}
	if r := FitSummary(Summary{N: 1, Positive: true}, []*Family{gammaFamily}); r[0].Status == "ok" {
		t.Error("gamma fitted to one value")
	}
}

func relEqual(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b)) }

// oneAtATime is the accumulation SummaryAccumulator.Add does by blocks,
// value by value with math.Min and math.Max, as it was written before.
func oneAtATime(a *SummaryAccumulator, x []float64) {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if a.all.N()+int64(a.all.Pending()) == 0 {
			a.minAll, a.maxAll = v, v
		}
		a.minAll, a.maxAll = math.Min(a.minAll, v), math.Max(a.maxAll, v)
		a.all.Add(v)
		switch {
		case v > 0:
			if a.pos.N()+int64(a.pos.Pending()) == 0 {
				a.minPos, a.maxPos = v, v
			}
			a.minPos, a.maxPos = math.Min(a.minPos, v), math.Max(a.maxPos, v)
			a.pos.Add(v)
			a.logPos.Add(math.Log(v))
		case v == 0:
			a.zeros++
		default:
			a.negative++
		}
	}
}

// Add by blocks gives the accumulator of adding the values one at a time,
// bit for bit, whatever the batches: NaN, ±Inf, both zeros, both signs, and
// batches that end inside blocks and chunks.
func TestSummaryAddByBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 1))
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1)}
	for trial := range 40 {
		n := 1 + rng.IntN(30000)
		x := make([]float64, n)
		for i := range x {
			switch r := rng.Float64(); {
			case r < 0.05*float64(trial%3):
				x[i] = specials[rng.IntN(len(specials))]
			case trial%4 == 0:
				x[i] = math.Exp(rng.NormFloat64()) // positive only
			default:
				x[i] = 0.02 * rng.NormFloat64()
			}
		}
		if trial%5 == 1 { // a sample of zeros of both signs only
			for i := range x {
				x[i] = specials[3+rng.IntN(2)]
			}
		}
		var got, want SummaryAccumulator
		for lo := 0; lo < n; {
			hi := min(n, lo+1+rng.IntN(9000))
			got.Add(x[lo:hi])
			oneAtATime(&want, x[lo:hi])
			lo = hi
		}
		g, w := got.AppendBinary(nil), want.AppendBinary(nil)
		if string(g) != string(w) {
			t.Fatalf("trial %d (%d values): by blocks %+v, one at a time %+v", trial, n, got, want)
		}
	}
}
