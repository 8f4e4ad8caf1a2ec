package testgeom

import (
	"math"
	"testing"

	"github.com/syngeom/syngeom/geometry"
)

// TestRobustnessExperiment reruns the paper's robustness experiment
// (Pogodin et al. 2024, robustness experiment): 30 seeds × {log-normal, normal} initial weights × true
// {NE, p = 2, p = 3}, n = 1000. The paper's ΔCDF at the true candidate must
// average 0.02–0.05 and the other two named families at least 0.2; the
// likelihood must recover p = λ + 1 within ±0.05 on average and its 95%
// intervals must cover the truth in 85–100% of the 180 runs. (The one
// exception to "≥ 0.2" is p = 2 against a true p = 3 from log-normal
// weights, where the paper's own code also scores below 0.1.)
func TestRobustnessExperiment(t *testing.T) {
	truths := []geometry.Potential{geometry.NegEntropy{}, geometry.PNorm{P: 2}, geometry.PNorm{P: 3}}
	names := []string{"NE", "p=2.0", "p=3.0"}
	covered, runs := 0, 0
	for ti, truth := range truths {
		lamTrue, _ := geometry.Lambda(truth)
		for _, init := range []string{"lognormal", "normal"} {
			var sumTrue, sumErr float64
			sumWrong := map[string]float64{}
			for seed := range 30 {
				rng := stream(uint64(seed), uint64(100+ti), 0)
				w0, w1 := simulatePaper(rng, 1000, init, truth)
				res, err := TestPaired(w0, w1, Options{NullReplicates: -1, SampleMax: 1})
				if err != nil {
					t.Fatal(err)
				}
				for _, nm := range names {
					c := res.find(nm)
					if c.DCDF == nil {
						t.Fatalf("%s/%s seed %d: %s has no ΔCDF (%s)", names[ti], init, seed, nm, c.Status)
					}
					if nm == names[ti] {
						sumTrue += *c.DCDF
					} else {
						sumWrong[nm] += *c.DCDF
					}
				}
				runs++
				if res.LambdaHat == nil || res.LambdaCI[0] == nil || res.LambdaCI[1] == nil {
					t.Errorf("%s/%s seed %d: no λ̂ or interval (%s)", names[ti], init, seed, res.ProfileStatus)
					continue
				}
				sumErr += *res.LambdaHat - lamTrue
				if *res.LambdaCI[0] <= lamTrue && lamTrue <= *res.LambdaCI[1] {
					covered++
				}
			}
			meanTrue, bias := sumTrue/30, sumErr/30
			t.Logf("%-5s %-9s: mean ΔCDF true %.4f, wrong %v, mean λ̂ − λ %.4f", names[ti], init, meanTrue, scale(sumWrong, 1.0/30), bias)
			if meanTrue < 0.02 || meanTrue > 0.05 {
				t.Errorf("%s/%s: mean ΔCDF at the truth %.4f, want 0.02–0.05", names[ti], init, meanTrue)
			}
			for nm, s := range sumWrong {
				if names[ti] == "p=3.0" && init == "lognormal" && nm == "p=2.0" {
					// Two p-norms are not different families, and here they are
					// close: the authors' code gives 0.083 for p = 2 on the
					// reference set pairs_02 made the same way. Still require a
					// clear separation from the truth.
					if s/30 < 2*meanTrue {
						t.Errorf("%s/%s: p = 2 scores %.4f, not clearly above the truth %.4f", names[ti], init, s/30, meanTrue)
					}
					continue
				}
				if s/30 < 0.2 {
					t.Errorf("%s/%s: mean ΔCDF of wrong family %s is %.4f, want ≥ 0.2", names[ti], init, nm, s/30)
				}
			}
			if math.Abs(bias) > 0.05 {
				t.Errorf("%s/%s: mean p̂ − p = %.4f, want within ±0.05", names[ti], init, bias)
			}
		}
	}
	frac := float64(covered) / float64(runs)
	t.Logf("95%% intervals cover the truth in %d of %d runs (%.1f%%)", covered, runs, 100*frac)
	if frac < 0.85 {
		t.Errorf("coverage %.3f, want 0.85–1", frac)
	}
}

func scale(m map[string]float64, f float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range m {
		out[k] = math.Round(v*f*1e4) / 1e4
	}
	return out
}
