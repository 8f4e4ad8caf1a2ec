package testgeom_test

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/testgeom"
)

// cover tallies the coverage of the true λ by the headline (robust)
// interval and by the Gaussian-model LR interval, their widths and the
// spread of λ̂ over simulated data sets.
type cover struct {
	runs, open        int
	robust, lr        int
	wRobust, wLR      float64
	sum, sumSq, scale float64
}

func (c *cover) add(r *testgeom.Result, truth float64) {
	li := r.LambdaInterval
	if r.LambdaHat == nil || li == nil || r.LambdaCI[0] == nil || r.LambdaCI[1] == nil || li.LRCI[0] == nil || li.LRCI[1] == nil {
		c.open++
		return
	}
	c.runs++
	lo, hi := *r.LambdaCI[0], *r.LambdaCI[1]
	if lo <= truth && truth <= hi {
		c.robust++
	}
	if *li.LRCI[0] <= truth && truth <= *li.LRCI[1] {
		c.lr++
	}
	c.wRobust += hi - lo
	c.wLR += *li.LRCI[1] - *li.LRCI[0]
	c.sum += *r.LambdaHat
	c.sumSq += *r.LambdaHat * *r.LambdaHat
	if li.Scale != nil {
		c.scale += *li.Scale
	}
}

func (c *cover) rates() (robust, lr float64) {
	n := float64(c.runs)
	return float64(c.robust) / n, float64(c.lr) / n
}

func (c *cover) row(name string, truth float64) string {
	n := float64(c.runs)
	m := c.sum / n
	sd := math.Sqrt(math.Max(c.sumSq/n-m*m, 0))
	rb, lr := c.rates()
	return fmt.Sprintf("| %s | %d | %.3f | %.4f | %.3f | %.4f | %+.4f | %.4f | %.2f |", name, c.runs, rb, c.wRobust/n, lr, c.wLR/n, m-truth, sd, c.scale/n)
}

const coverHeader = "| cell | data sets | robust cover | robust width | LR cover | LR width | bias of λ̂ | sd of λ̂ | mean k |\n|---|---|---|---|---|---|---|---|---|"

var truths = []struct {
	name string
	pot  testgeom.Potential
	lam  float64
}{{"NE", testgeom.NegEntropy{}, 0}, {"p=2", testgeom.PNorm{P: 2}, 1}, {"p=3", testgeom.PNorm{P: 3}, 2}}

// coverageCell (diagnostics on a subsample of 500: only λ̂ and its
// intervals are studied) simulates reps data sets of n synapses after one dual step
// under the truth (the paper's robustness set-up: log-normal weights of
// random sign, step 0.1·|g(0.1)|), Gaussian (df 0) or Student-t(df).
func coverageCell(t testing.TB, pot testgeom.Potential, truth, df float64, n, reps int) *cover {
	c := &cover{}
	for r := range reps {
		spec, err := datasets.PaperRobustness(pot, "lognormal", uint64(7919*n+r+1))
		if err != nil {
			t.Fatal(err)
		}
		spec.N, spec.StepDF = n, df
		p, err := spec.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		res, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{Candidates: []testgeom.Potential{testgeom.NegEntropy{}, testgeom.PNorm{P: 2}}, NullReplicates: -1, Workers: 1, SampleMax: 500})
		if err != nil {
			t.Fatal(err)
		}
		c.add(res, truth)
	}
	return c
}

// The headline interval holds its level under heavy-tailed steps where the
// Gaussian LR interval does not, and costs no width under Gaussian steps
// (a short version of TestLongIntervalCoverage).
func TestRobustIntervalCoverage(t *testing.T) {
	gauss := coverageCell(t, testgeom.NegEntropy{}, 0, 0, 1000, 40)
	heavy := coverageCell(t, testgeom.NegEntropy{}, 0, 5, 1000, 40)
	t.Log("\n" + coverHeader + "\n" + gauss.row("NE Gaussian n=1000", 0) + "\n" + heavy.row("NE t(5) n=1000", 0))
	if ratio := gauss.wRobust / gauss.wLR; ratio < 0.85 || ratio > 1.15 {
		t.Errorf("Gaussian steps: robust/LR width %.3f, want about 1", ratio)
	}
	if rb, _ := gauss.rates(); rb < 0.85 {
		t.Errorf("Gaussian steps: robust coverage %.3f", rb)
	}
	rb, lr := heavy.rates()
	if rb < 0.85 || heavy.wRobust < 1.2*heavy.wLR {
		t.Errorf("t(5) steps: robust coverage %.3f, width %.4f against LR %.4f", rb, heavy.wRobust, heavy.wLR)
	}
	t.Logf("t(5) steps: LR coverage %.3f, robust %.3f", lr, rb)
}

// TestLongIntervalCoverage is the coverage study of the headline interval:
// truths NE, p = 2, p = 3; steps Gaussian, Student-t(5), Student-t(3);
// n = 300, 3,000, 30,000; 200 data sets per cell (SYNGEOM_LONG=1). The
// robust interval must cover within 95% ± 3% where λ̂ itself is consistent
// and the step has a finite fourth moment (the sandwich variance needs
// it): Gaussian and t(5) steps whose λ̂ is biased by less than half its
// sd. Elsewhere the table is reported (docs/intervals.md) and the robust
// interval must cover at least as often as the LR interval.
func TestLongIntervalCoverage(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the interval coverage study")
	}
	reps := 200
	var b strings.Builder
	b.WriteString(coverHeader + "\n")
	for _, tr := range truths {
		for _, df := range []float64{0, 5, 3} {
			for _, n := range []int{300, 3000, 30000} {
				c := coverageCell(t, tr.pot, tr.lam, df, n, reps)
				step := "Gaussian"
				if df > 0 {
					step = fmt.Sprintf("t(%g)", df)
				}
				row := c.row(fmt.Sprintf("%s %s n=%d", tr.name, step, n), tr.lam)
				b.WriteString(row + "\n")
				t.Log(row)
				rb, lr := c.rates()
				m := c.sum / float64(c.runs)
				sd := math.Sqrt(math.Max(c.sumSq/float64(c.runs)-m*m, 0))
				consistent := math.Abs(m-tr.lam) < 0.5*sd
				if df != 3 && consistent && math.Abs(rb-0.95) > 0.03 {
					t.Errorf("%s %s n=%d: robust coverage %.3f", tr.name, step, n, rb)
				}
				if rb < lr-0.02 {
					t.Errorf("%s %s n=%d: robust coverage %.3f below the LR interval's %.3f", tr.name, step, n, rb, lr)
				}
			}
		}
	}
	t.Log("\n" + b.String())
}

// chainCell simulates reps sets of chains (synapses imaged at several
// sessions, consecutive pairs) and tallies the cluster-robust interval
// (Options.Clusters) and the robust interval that treats pairs as
// independent.
func chainCell(t testing.TB, spec datasets.Chains, truth float64, reps int) (clustered, naive *cover) {
	clustered, naive = &cover{}, &cover{}
	for r := range reps {
		spec.Seed = uint64(r + 1)
		p, err := spec.Simulate()
		if err != nil {
			t.Fatal(err)
		}
		o := testgeom.Options{Candidates: []testgeom.Potential{testgeom.NegEntropy{}, testgeom.PNorm{P: 2}}, NullReplicates: -1, Workers: 1, SampleMax: 500}
		res, err := testgeom.TestPaired(p.Before, p.After, o)
		if err != nil {
			t.Fatal(err)
		}
		naive.add(res, truth)
		o.Clusters = p.Synapse
		if res, err = testgeom.TestPaired(p.Before, p.After, o); err != nil {
			t.Fatal(err)
		}
		if res.LambdaInterval == nil || res.LambdaInterval.Method != "cluster_robust_lr" {
			t.Fatalf("chains: interval %+v", res.LambdaInterval)
		}
		clustered.add(res, truth)
	}
	return clustered, naive
}

// chainSpec: each synapse has its own step size, so the sizes of a
// chain's shifts are correlated (λ̂ stays consistent under NE).
var chainSpec = datasets.Chains{Potential: testgeom.NegEntropy{}, Init: datasets.LogNormal{Mu: 0, Sigma: 0.5},
	Step: 0.1, Shift: 0.02, SynapseScale: 0.4, Sessions: 5, N: 400}

// Consecutive pairs of one synapse: the cluster-robust interval keeps its
// level where the interval of independent pairs does not (short version).
func TestChainIntervalCoverage(t *testing.T) {
	cl, nv := chainCell(t, chainSpec, 0, 30)
	t.Log("\n" + coverHeader + "\n" + cl.row("chains, synapse-robust", 0) + "\n" + nv.row("chains, pairs independent", 0))
	if rb, _ := cl.rates(); rb < 0.85 {
		t.Errorf("chains: cluster-robust coverage %.3f", rb)
	}
	if cl.wRobust <= nv.wRobust {
		t.Errorf("chains: the cluster-robust interval (%.4f) is not wider than the independent-pairs one (%.4f)", cl.wRobust, nv.wRobust)
	}
}

// TestLongChainIntervalCoverage: 400 simulations of chains per row, coverage of
// the cluster-robust interval within 95% ± 3% (SYNGEOM_LONG=1).
func TestLongChainIntervalCoverage(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the chain coverage study")
	}
	var b strings.Builder
	b.WriteString(coverHeader + "\n")
	for _, sc := range []struct {
		name   string
		mod    func(*datasets.Chains)
		assert bool // λ̂ consistent: the coverage must be nominal
	}{
		{"NE, Gaussian steps, synapse step scale 0.4", func(*datasets.Chains) {}, true},
		// Heavy tails on top (k ≈ 7): the sandwich of 400 synapses
		// under-covers a little (0.91); reported.
		{"NE, t(5) steps, synapse step scale 0.4", func(c *datasets.Chains) { c.StepDF = 5 }, false},
		{"NE, Gaussian steps, no synapse effect", func(c *datasets.Chains) { c.SynapseScale = 0 }, true},
		// A drift of each synapse correlates the shifts of a chain and
		// also biases λ̂ (the drift accumulates in w_t): reported.
		{"NE, Gaussian steps, synapse drift sd 0.1", func(c *datasets.Chains) { c.SynapseScale, c.SynapseSD = 0, 0.1 }, false},
	} {
		spec := chainSpec
		sc.mod(&spec)
		cl, nv := chainCell(t, spec, 0, 400)
		b.WriteString(cl.row(sc.name+", synapse-robust", 0) + "\n" + nv.row(sc.name+", pairs independent", 0) + "\n")
		rb, _ := cl.rates()
		if sc.assert && math.Abs(rb-0.95) > 0.03 {
			t.Errorf("%s: cluster-robust coverage %.3f", sc.name, rb)
		}
		if nb, _ := nv.rates(); rb < nb-0.02 {
			t.Errorf("%s: cluster-robust coverage %.3f below the independent-pairs %.3f", sc.name, rb, nb)
		}
	}
	t.Log("\n" + b.String())
}
