package testgeom_test

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/syngeom/syngeom/datasets"
	"github.com/syngeom/syngeom/geometry"
	"github.com/syngeom/syngeom/testgeom"
)

// cover tallies the coverage of the true λ by the default (headline)
// interval, by the Gaussian model's robust interval and by its LR
// interval, their widths, how often the Student-t model is the headline,
// and the spread of λ̂ under both step models over simulated data sets.
type cover struct {
	runs, open         int
	def, robust, lr    int
	wDef, wRobust, wLR float64
	tHead              int
	sum, sumSq, scale  float64
	g, t               moments // λ̂ of the Gaussian and Student-t models
}

// moments accumulates a mean and a standard deviation.
type moments struct{ n, s, ss float64 }

func (m *moments) add(x float64) { m.n++; m.s += x; m.ss += x * x }
func (m moments) mean() float64  { return m.s / m.n }
func (m moments) sd() float64 {
	mu := m.mean()
	return math.Sqrt(math.Max(m.ss/m.n-mu*mu, 0))
}

func covers(ci [2]*float64, truth float64) (bool, float64) {
	return *ci[0] <= truth && truth <= *ci[1], *ci[1] - *ci[0]
}

func (c *cover) add(r *testgeom.Result, truth float64) {
	li := r.LambdaInterval
	if r.LambdaHat == nil || li == nil || r.LambdaCI[0] == nil || r.LambdaCI[1] == nil || li.LRCI[0] == nil || li.LRCI[1] == nil {
		c.open++
		return
	}
	gci := r.LambdaCI // the Gaussian headline (robust) interval
	if li.StudentT() {
		c.tHead++
		gci = [2]*float64{li.GaussianCI[0], li.GaussianCI[1]}
		if gci[0] == nil || gci[1] == nil {
			c.open++
			return
		}
	}
	c.runs++
	in, w := covers(r.LambdaCI, truth)
	if in {
		c.def++
	}
	c.wDef += w
	in, w = covers(gci, truth)
	if in {
		c.robust++
	}
	c.wRobust += w
	in, w = covers(li.LRCI, truth)
	if in {
		c.lr++
	}
	c.wLR += w
	c.sum += *r.LambdaHat
	c.sumSq += *r.LambdaHat * *r.LambdaHat
	if li.Scale != nil {
		c.scale += *li.Scale
	}
	if sm := r.StepModels; sm != nil && sm.Status == "ok" {
		c.g.add(*sm.Gaussian.LambdaHat)
		c.t.add(*sm.StudentT.LambdaHat)
	}
}

// rates are the coverages of the default, Gaussian robust and Gaussian LR
// intervals.
func (c *cover) rates() (def, robust, lr float64) {
	n := float64(c.runs)
	return float64(c.def) / n, float64(c.robust) / n, float64(c.lr) / n
}

func (c *cover) sd() float64 {
	n := float64(c.runs)
	m := c.sum / n
	return math.Sqrt(math.Max(c.sumSq/n-m*m, 0))
}

func (c *cover) row(name string, truth float64) string {
	n := float64(c.runs)
	d, rb, lr := c.rates()
	return fmt.Sprintf("| %s | %d | %.3f | %.4f | %.2f | %.3f | %.4f | %.3f | %.4f | %+.4f | %.4f | %.4f | %.4f | %.2f |", name, c.runs,
		d, c.wDef/n, float64(c.tHead)/n, rb, c.wRobust/n, lr, c.wLR/n, c.sum/n-truth, c.sd(), c.g.sd(), c.t.sd(), c.scale/n)
}

const coverHeader = "| cell | data sets | default cover | default width | share t headline | Gaussian robust cover | robust width | Gaussian LR cover | LR width | bias of default λ̂ | sd of default λ̂ | sd λ̂ Gaussian | sd λ̂ t | mean k |\n" +
	"|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

var truths = []struct {
	name string
	pot  geometry.Potential
	lam  float64
}{{"NE", geometry.NegEntropy{}, 0}, {"p=2", geometry.PNorm{P: 2}, 1}, {"p=3", geometry.PNorm{P: 3}, 2}}

// coverageCell simulates reps data sets of n synapses after one dual step
// under the truth (the paper's robustness set-up: log-normal weights of
// random sign, step 0.1·|g(0.1)|), Gaussian (df 0) or Student-t(df) with
// that scale, and tallies the intervals. The pairs all enter the step
// models (n ≤ DefaultSampleMax), as they do for data of that size.
func coverageCell(t testing.TB, pot geometry.Potential, truth, df float64, n, reps, workers int) *cover {
	res := make([]*testgeom.Result, reps)
	errs := make([]error, reps)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				res[r], errs[r] = coverageRun(pot, df, n, r)
			}
		}()
	}
	for r := range reps {
		next <- r
	}
	close(next)
	wg.Wait()
	c := &cover{}
	for r := range reps {
		if errs[r] != nil {
			t.Fatal(errs[r])
		}
		c.add(res[r], truth)
	}
	return c
}

func coverageRun(pot geometry.Potential, df float64, n, r int) (*testgeom.Result, error) {
	spec, err := datasets.PaperRobustness(pot, "lognormal", uint64(7919*n+r+1))
	if err != nil {
		return nil, err
	}
	spec.N, spec.StepDF = n, df
	p, err := spec.Simulate()
	if err != nil {
		return nil, err
	}
	return testgeom.TestPaired(p.Before, p.After, testgeom.Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}, NullReplicates: -1, Workers: 1})
}

// The default interval holds its level under heavy-tailed steps where the
// Gaussian LR interval does not, and costs no width under Gaussian steps
// (a short version of TestLongIntervalCoverage).
func TestRobustIntervalCoverage(t *testing.T) {
	gauss := coverageCell(t, geometry.NegEntropy{}, 0, 0, 1000, 40, 2)
	heavy := coverageCell(t, geometry.NegEntropy{}, 0, 5, 1000, 40, 2)
	t.Log("\n" + coverHeader + "\n" + gauss.row("NE Gaussian n=1000", 0) + "\n" + heavy.row("NE t(5) n=1000", 0))
	if ratio := gauss.wDef / gauss.wLR; ratio < 0.85 || ratio > 1.15 {
		t.Errorf("Gaussian steps: default/LR width %.3f, want about 1", ratio)
	}
	if d, _, _ := gauss.rates(); d < 0.85 {
		t.Errorf("Gaussian steps: default coverage %.3f", d)
	}
	if gauss.tHead > 6 {
		t.Errorf("Gaussian steps: the Student-t model is the headline in %d of 40", gauss.tHead)
	}
	d, rb, lr := heavy.rates()
	if d < 0.85 || rb < 0.85 || heavy.wRobust < 1.2*heavy.wLR {
		t.Errorf("t(5) steps: default coverage %.3f, robust %.3f, width %.4f against LR %.4f", d, rb, heavy.wRobust, heavy.wLR)
	}
	if heavy.tHead < 30 {
		t.Errorf("t(5) steps: the Student-t model is the headline in only %d of 40", heavy.tHead)
	}
	t.Logf("t(5) steps: LR coverage %.3f, robust %.3f, default %.3f", lr, rb, d)
}

// TestLongIntervalCoverage is the coverage study of the default interval:
// truths NE, p = 2, p = 3; steps Gaussian, Student-t(5), Student-t(3);
// n = 300, 3,000, 30,000; SYNGEOM_COVER_REPS (default 200) data sets per
// cell (SYNGEOM_LONG=1). The default interval must cover within 95% ± 3%
// in every cell; the Gaussian robust and LR intervals are reported beside
// it (docs/intervals.md), and under t(3) steps the Student-t λ̂ must
// spread less than the Gaussian one.
func TestLongIntervalCoverage(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the interval coverage study")
	}
	reps := 200
	if v, err := strconv.Atoi(os.Getenv("SYNGEOM_COVER_REPS")); err == nil && v > 0 {
		reps = v
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	var b strings.Builder
	b.WriteString(coverHeader + "\n")
	for _, tr := range truths {
		for _, df := range []float64{0, 5, 3} {
			for _, n := range []int{300, 3000, 30000} {
				c := coverageCell(t, tr.pot, tr.lam, df, n, reps, workers)
				step := "Gaussian"
				if df > 0 {
					step = fmt.Sprintf("t(%g)", df)
				}
				row := c.row(fmt.Sprintf("%s %s n=%d", tr.name, step, n), tr.lam)
				b.WriteString(row + "\n")
				t.Log(row)
				d, _, _ := c.rates()
				if math.Abs(d-0.95) > 0.03 {
					t.Errorf("%s %s n=%d: default coverage %.3f", tr.name, step, n, d)
				}
				if df == 3 && !(c.t.sd() < c.g.sd()) {
					t.Errorf("%s t(3) n=%d: sd of the Student-t λ̂ %.4f not below the Gaussian's %.4f", tr.name, n, c.t.sd(), c.g.sd())
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
		o := testgeom.Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}}, NullReplicates: -1, Workers: 1}
		res, err := testgeom.TestPaired(p.Before, p.After, o)
		if err != nil {
			t.Fatal(err)
		}
		naive.add(res, truth)
		o.Clusters = p.Synapse
		if res, err = testgeom.TestPaired(p.Before, p.After, o); err != nil {
			t.Fatal(err)
		}
		if li := res.LambdaInterval; li == nil || (li.Method != "cluster_robust_lr" && li.Method != "cluster_robust_student_t_lr") {
			t.Fatalf("chains: interval %+v", res.LambdaInterval)
		}
		clustered.add(res, truth)
	}
	return clustered, naive
}

// chainSpec: each synapse has its own step size, so the sizes of a
// chain's shifts are correlated (λ̂ stays consistent under NE).
var chainSpec = datasets.Chains{Potential: geometry.NegEntropy{}, Init: datasets.LogNormal{MeanLog: 0, SDLog: 0.5},
	Step: 0.1, Shift: 0.02, SynapseScale: 0.4, Sessions: 5, N: 400}

// Consecutive pairs of one synapse: the cluster-robust interval keeps its
// level where the interval of independent pairs does not (short version).
func TestChainIntervalCoverage(t *testing.T) {
	cl, nv := chainCell(t, chainSpec, 0, 30)
	t.Log("\n" + coverHeader + "\n" + cl.row("chains, synapse-robust", 0) + "\n" + nv.row("chains, pairs independent", 0))
	if d, _, _ := cl.rates(); d < 0.85 {
		t.Errorf("chains: cluster-robust coverage %.3f", d)
	}
	if cl.wDef <= nv.wDef {
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
		rb, _, _ := cl.rates()
		if sc.assert && math.Abs(rb-0.95) > 0.03 {
			t.Errorf("%s: cluster-robust coverage %.3f", sc.name, rb)
		}
		if nb, _, _ := nv.rates(); rb < nb-0.02 {
			t.Errorf("%s: cluster-robust coverage %.3f below the independent-pairs %.3f", sc.name, rb, nb)
		}
	}
	t.Log("\n" + b.String())
}

// TestLongSubsampledCoverage: above SampleMax the Student-t headline is the
// subsample's own interval, not rescaled to n (SYNGEOM_LONG=1; 200 data
// sets of 4,000 pairs with SampleMax 1,000 per row). It must cover within
// 95% ± 3%; its width is that of the subsample.
func TestLongSubsampledCoverage(t *testing.T) {
	if os.Getenv("SYNGEOM_LONG") != "1" {
		t.Skip("set SYNGEOM_LONG=1 to run the subsampled coverage study")
	}
	var b strings.Builder
	b.WriteString(coverHeader + "\n")
	for _, tr := range truths[:2] {
		for _, df := range []float64{5, 3} {
			c := &cover{}
			for r := range 200 {
				spec, err := datasets.PaperRobustness(tr.pot, "lognormal", uint64(104729+r))
				if err != nil {
					t.Fatal(err)
				}
				spec.N, spec.StepDF = 4000, df
				p, err := spec.Simulate()
				if err != nil {
					t.Fatal(err)
				}
				res, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}},
					NullReplicates: -1, Workers: 2, SampleMax: 1000})
				if err != nil {
					t.Fatal(err)
				}
				c.add(res, tr.lam)
			}
			row := c.row(fmt.Sprintf("%s t(%g) n=4000, subsample ~1000", tr.name, df), tr.lam)
			b.WriteString(row + "\n")
			if d, _, _ := c.rates(); math.Abs(d-0.95) > 0.03 {
				t.Errorf("%s t(%g) subsampled: default coverage %.3f", tr.name, df, d)
			}
		}
	}
	t.Log("\n" + b.String())
}

// The bootstrap's percentile interval of a subsample (m of n pairs,
// rescaled by √(m/n) about the full data's λ̂) covers the truth at its
// level: the replicates scatter about the subsample's own λ̂, so their
// deviations are taken from it. Taken from the full data's λ̂ instead, the
// interval was shifted by √(m/n) times the subsample's error, about one
// standard error of λ̂: 60 data sets of 10,000 pairs under NE with
// SampleMax 1,000 and 50 resamples each, coverage 57 of 60 here, 46 of 60
// so (with 20,000 pairs, 2,000 kept and 100 resamples: 57 and 48 of 60).
func TestSubsampledBootstrapCoverage(t *testing.T) {
	const reps = 60
	hits := make([]bool, reps)
	errs := make([]error, reps)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for r := range reps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			spec, err := datasets.PaperRobustness(geometry.NegEntropy{}, "lognormal", uint64(15485863+r))
			if err != nil {
				errs[r] = err
				return
			}
			spec.N = 10000
			p, err := spec.Simulate()
			if err != nil {
				errs[r] = err
				return
			}
			res, err := testgeom.TestPaired(p.Before, p.After, testgeom.Options{Candidates: []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}},
				NullReplicates: -1, Bootstrap: 50, Seed: uint64(r + 1), Workers: 1, SampleMax: 1000, NoStepModels: true})
			if err != nil {
				errs[r] = err
				return
			}
			ci := res.Bootstrap.LambdaCI
			if !res.Bootstrap.Subsampled || ci[0] == nil || ci[1] == nil {
				errs[r] = fmt.Errorf("data set %d: bootstrap %+v", r, res.Bootstrap)
				return
			}
			hits[r] = *ci[0] <= 0 && 0 <= *ci[1]
		}()
	}
	wg.Wait()
	n := 0
	for r := range reps {
		if errs[r] != nil {
			t.Fatal(errs[r])
		}
		if hits[r] {
			n++
		}
	}
	if cov := float64(n) / reps; cov < 0.87 {
		t.Errorf("subsampled bootstrap interval covers the truth in %d of %d data sets (%.2f)", n, reps, cov)
	} else {
		t.Logf("subsampled bootstrap interval covers the truth in %d of %d data sets", n, reps)
	}
}
