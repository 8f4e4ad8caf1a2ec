package fit

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/syngeom/syngeom/internal/parallel"
)

// DefaultGOFMaxN is the largest sample on which goodness-of-fit p-values
// are bootstrapped directly. Above it the statistics are still computed on
// all the data, but the bootstrap p-values come from a random subsample of
// this size (reported in PValues.N): at such n every parametric model is
// rejected anyway, and the p-value of a subsample says whether the misfit is
// visible at a size where it would matter.
const DefaultGOFMaxN = 100_000

// Options control Fit.
type Options struct {
	// TruncateBelow, when set, fits every family conditionally on
	// x ≥ *TruncateBelow (a detection limit).
	TruncateBelow *float64
	// GOFSamples is the number of parametric-bootstrap resamples for the
	// KS, CvM and AD p-values; 0 skips them.
	GOFSamples int
	// GOFMaxN is the subsample size above which p-values are bootstrapped
	// on a subsample (0 = DefaultGOFMaxN).
	GOFMaxN int
	// Bootstrap is the number of nonparametric resamples for percentile
	// confidence intervals of the parameters; 0 skips them.
	Bootstrap int
	// Level is the confidence level of the intervals (0 = 0.95).
	Level float64
	// Seed makes every random choice reproducible.
	Seed uint64
	// Workers is the number of goroutines (0 = GOMAXPROCS). Results are
	// identical for any value.
	Workers int
	// Progress, when set, is called after each goodness-of-fit resample
	// with the family's name and the resamples done out of total. It is
	// called from several goroutines and must not block for long.
	Progress func(family string, done, total int)

	ctx context.Context // set by FitContext; nil = never cancelled
}

// cancelled reports whether the run was cancelled (FitContext).
func (o *Options) cancelled() bool { return o.ctx != nil && o.ctx.Err() != nil }

// Report is the outcome of fitting several families to one sample.
type Report struct {
	N             int      `json:"n"`                        // the number of values fitted
	TruncateBelow *float64 `json:"truncate_below,omitempty"` // Options.TruncateBelow
	Fits          []Result `json:"fits"`                     // in the order the families were given
	Ranking       []string `json:"ranking"`                  // fitted families by AIC, best first
	Best          string   `json:"best,omitempty"`           // Ranking[0], when any family was fitted
	// Vuong tests for every pair of fitted, non-nested families, and
	// likelihood-ratio tests for the nested pairs.
	Vuong   []VuongTest `json:"vuong,omitempty"`
	LRTests []LRTest    `json:"lr_tests,omitempty"` // for each fitted nested pair
	Seed    uint64      `json:"seed"`               // Options.Seed
	// IntegerData is true when every value is a whole number; the
	// goodness-of-fit statistics then treat the values as rounded (Notes
	// says how).
	IntegerData bool `json:"integer_data"`
	// Notes state the conventions the statistics used for these data.
	Notes []string `json:"notes,omitempty"`
}

// Result is one family's fit. Numbers that could not be computed are null,
// and Status says why; Status is "ok" for a complete fit.
type Result struct {
	Family     string             `json:"family"`      // the family's name
	Status     string             `json:"status"`      // StatusOK, StatusNotIdentified, or why there is no fit
	N          int                `json:"n"`           // the number of values fitted
	ParamNames []string           `json:"param_names"` // the family's ParamNames
	Params     map[string]float64 `json:"params"`      // null when not fitted
	SE         map[string]float64 `json:"se"`          // null without standard errors
	// Cov is the covariance of the estimates (inverse observed
	// information), rows and columns in the order of ParamNames.
	Cov [][]float64 `json:"cov,omitempty"`
	// CI are bootstrap percentile intervals at level CILevel.
	CI           map[string][2]float64 `json:"ci,omitempty"`
	CILevel      float64               `json:"ci_level,omitempty"` // Options.Level
	LogLik       *float64              `json:"loglik"`             // maximised log-likelihood (conditional when truncated)
	AIC          *float64              `json:"aic"`                // 2k − 2ℓ
	AICc         *float64              `json:"aicc"`               // AIC corrected for small samples; null when n ≤ k + 1
	BIC          *float64              `json:"bic"`                // k log n − 2ℓ
	DeltaAIC     *float64              `json:"delta_aic"`          // AIC − the best AIC among the ranked fits; null when not ranked
	AkaikeWeight *float64              `json:"akaike_weight"`      // e^{−ΔAIC/2}, normalised over the ranked fits; null when not ranked
	Rank         int                   `json:"rank,omitempty"`     // 1 = best AIC
	KS           *float64              `json:"ks"`                 // Kolmogorov–Smirnov statistic
	CvM          *float64              `json:"cvm"`                // Cramér–von Mises statistic
	AD           *float64              `json:"ad"`                 // Anderson–Darling statistic
	PValues      *PValues              `json:"p_values"`           // bootstrap p-values of KS, CvM, AD; null without GOFSamples
	Method       string                `json:"method,omitempty"`   // how the estimate was computed
	// Limit, for a fit that is not identified, is the law the fits tend
	// to as the parameters run to the boundary.
	Limit string   `json:"limit,omitempty"`
	Notes []string `json:"notes,omitempty"` // conventions and caveats of this fit

	// Estimate is the fitted model itself, for plots and further use.
	Estimate *Estimate `json:"-"`
}

// PValues are parametric-bootstrap p-values of the GOF statistics: each
// resample is drawn from the fitted law, the family is refitted on it, and
// the statistic recomputed against the refit, so the p-values account for
// the estimation (the textbook tables do not).
type PValues struct {
	KS  *float64 `json:"ks"`  // of the Kolmogorov–Smirnov statistic
	CvM *float64 `json:"cvm"` // of the Cramér–von Mises statistic
	AD  *float64 `json:"ad"`  // of the Anderson–Darling statistic
	// Samples resamples were refitted; Failed could not be and are left
	// out, FailureReasons says why (reason → count).
	Samples        int            `json:"samples"`
	Failed         int            `json:"failed"`                    // resamples left out
	FailureReasons map[string]int `json:"failure_reasons,omitempty"` // reason → count of Failed
	// Skipped says why no resample was drawn, when none was.
	Skipped string `json:"skipped,omitempty"`
	// A p-value at the floor 1/(Samples+1) of the bootstrap (no resample
	// as extreme as the data) is only a bound, p ≤ Floor(): the *AtFloor
	// flags (omitted when false) mark them, and reports print them as
	// "< floor".
	KSAtFloor  bool `json:"ks_at_floor,omitempty"`  // KS is at the floor
	CvMAtFloor bool `json:"cvm_at_floor,omitempty"` // CvM is at the floor
	ADAtFloor  bool `json:"ad_at_floor,omitempty"`  // AD is at the floor
	// N is the sample size of the bootstrap: the data size, or the size of
	// the random subsample above GOFMaxN.
	N         int  `json:"n"`
	Subsample bool `json:"subsample"` // N is a random subsample of the data
	// With a subsample, the statistics of the subsample against its own
	// fit, to which the p-values refer.
	SubsampleKS  *float64 `json:"subsample_ks,omitempty"`  // KS of the subsample
	SubsampleCvM *float64 `json:"subsample_cvm,omitempty"` // CvM of the subsample
	SubsampleAD  *float64 `json:"subsample_ad,omitempty"`  // AD of the subsample
}

// num returns a pointer to v, or nil when v is NaN or infinite.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

type criteria struct{ aic, aicc, bic float64 }

func informationCriteria(ll float64, k, n int) criteria {
	fk, fn := float64(k), float64(n)
	c := criteria{aic: 2*fk - 2*ll, bic: fk*math.Log(fn) - 2*ll}
	if n-k-1 > 0 {
		c.aicc = c.aic + 2*fk*(fk+1)/(fn-fk-1)
	} else {
		c.aicc = math.Inf(1)
	}
	return c
}

// gofStats returns the KS, CvM and AD statistics of sorted against d, with
// one evaluation of the log tails per point.
func gofStats(sorted []float64, d Distribution) (ks, cvm, ad float64) {
	return gofStatsTails(len(sorted), func(j int) (float64, float64) { return logTails(d, sorted[j]) })
}

// gofStatsTails returns the KS, CvM and AD statistics of n sorted points
// whose model log F and log S are given by tails.
func gofStatsTails(n int, tails func(j int) (logF, logS float64)) (ks, cvm, ad float64) {
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	fn := float64(n)
	cvm = 1 / (12 * fn)
	s := 0.0
	for j := 0; j < n; j++ {
		lf, ls := tails(j)
		f := math.Exp(lf)
		if up := float64(j+1)/fn - f; up > ks {
			ks = up
		}
		if lo := f - float64(j)/fn; lo > ks {
			ks = lo
		}
		dv := f - float64(2*j+1)/(2*fn)
		cvm += dv * dv
		i := float64(j + 1)
		s += (2*i-1)*lf + (2*fn+1-2*i)*ls
	}
	ad = -fn - s/fn
	return ks, cvm, ad
}

// Law is the fitted law the data are compared with: Dist, truncated at
// Lower when the fit is truncated. Use it for densities, quantiles and QQ
// plots of truncated fits.
func (e *Estimate) Law() Distribution {
	if e.Truncated {
		return Truncate(e.Dist, e.Lower)
	}
	return e.Dist
}

// Fit fits each family to x by maximum likelihood and compares them. A
// family that cannot be fitted gets a Result whose Status says why; the
// error return is only for unusable input (non-finite values, values below
// the truncation point). With families nil, the defaults are the positive
// families when every value is positive and the signed ones otherwise.
func Fit(x []float64, families []*Family, opts Options) (*Report, error) {
	return FitContext(context.Background(), x, families, opts)
}

// FitContext is Fit that stops when ctx is done, between families and
// between resamples, and then returns ctx.Err().
func FitContext(ctx context.Context, x []float64, families []*Family, opts Options) (*Report, error) {
	opts.ctx = ctx
	if err := checkData(x, opts.TruncateBelow); err != nil {
		return nil, err
	}
	opts.Workers = parallel.Workers(opts.Workers)
	if opts.GOFMaxN <= 0 {
		opts.GOFMaxN = DefaultGOFMaxN
	}
	if opts.Level <= 0 || opts.Level >= 1 {
		opts.Level = 0.95
	}
	s := newSample(x, opts.Workers)
	if opts.TruncateBelow != nil {
		s.truncated, s.lower = true, *opts.TruncateBelow
	}
	if families == nil {
		families = SignedFamilies()
		if s.n > 0 && s.nonPositive == 0 {
			families = PositiveFamilies()
		}
	}
	rep := &Report{N: s.n, TruncateBelow: opts.TruncateBelow, Seed: opts.Seed}
	sorted := s.sortedX()
	rep.IntegerData, rep.Notes = dataNotes(sorted, s)
	for _, fam := range families {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := Result{Family: fam.Name, N: s.n, ParamNames: fam.ParamNames, Method: methodText(fam, s)}
		e, err := fam.fitSample(s, nil)
		if err != nil {
			r.Status = err.Error()
			rep.Fits = append(rep.Fits, r)
			continue
		}
		fam.withCovariance(e, s)
		r.Status = StatusOK
		if lim := notIdentified(fam, e, s); lim != "" {
			r.Status, r.Limit = StatusNotIdentified, lim
		}
		r.Estimate = e
		r.Notes = e.Notes
		r.Params = map[string]float64{}
		for i, name := range fam.ParamNames {
			r.Params[name] = e.Params[i]
		}
		if e.SE != nil {
			r.SE = map[string]float64{}
			for i, name := range fam.ParamNames {
				if v := e.SE[i]; !math.IsNaN(v) && !math.IsInf(v, 0) {
					r.SE[name] = v
				}
			}
			if allFinite(e.Cov) {
				r.Cov = e.Cov
			} else {
				r.Notes = append(r.Notes, "covariance not reported: not finite (the information matrix is near singular at this fit)")
			}
		}
		ic := informationCriteria(e.LogLik, fam.NumParameters(), s.n)
		r.LogLik, r.AIC, r.AICc, r.BIC = num(e.LogLik), num(ic.aic), num(ic.aicc), num(ic.bic)
		if r.AICc == nil {
			r.Notes = append(r.Notes, "AICc undefined: n ≤ k + 1")
		}
		ks, cvm, ad := gofStatsData(sorted, e.Law(), s.truncated, s.lower)
		r.KS, r.CvM, r.AD = num(ks), num(cvm), num(ad)
		if r.AD == nil && !math.IsNaN(ad) {
			r.Notes = append(r.Notes, "AD is infinite: some value has probability zero on one side under the fit")
		}
		if r.Status == StatusNotIdentified {
			// Resampling a law at the edge of the parameter space refits
			// nothing: its limit is another family's fit.
			if opts.GOFSamples > 0 {
				r.PValues = &PValues{N: s.n, Skipped: "the fit is not identified"}
			}
			rep.Fits = append(rep.Fits, r)
			continue
		}
		if opts.GOFSamples > 0 {
			r.PValues = bootstrapGOF(fam, e, s, opts)
		}
		if opts.Bootstrap > 0 {
			ci, failed := bootstrapCI(fam, e, s, opts)
			if ci != nil {
				r.CI, r.CILevel = ci, opts.Level
			}
			if failed > 0 {
				r.Notes = append(r.Notes, fmt.Sprintf("%d of %d bootstrap resamples could not be refitted and were left out of the intervals", failed, opts.Bootstrap))
			}
		}
		rep.Fits = append(rep.Fits, r)
	}
	if err := ctx.Err(); err != nil { // resamples may have been skipped
		return nil, err
	}
	rank(rep)
	rep.Vuong, rep.LRTests = compare(rep.Fits, s)
	return rep, nil
}

// rank orders the fitted families by AIC and fills ΔAIC and Akaike weights.
func rank(rep *Report) {
	var idx []int
	for i, r := range rep.Fits {
		if r.AIC != nil && r.Status == StatusOK {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return *rep.Fits[idx[a]].AIC < *rep.Fits[idx[b]].AIC })
	if len(idx) == 0 {
		return
	}
	best := *rep.Fits[idx[0]].AIC
	total := 0.0
	for _, i := range idx {
		total += math.Exp(-(*rep.Fits[i].AIC - best) / 2)
	}
	for k, i := range idx {
		r := &rep.Fits[i]
		d := *r.AIC - best
		r.DeltaAIC = num(d)
		r.AkaikeWeight = num(math.Exp(-d/2) / total)
		r.Rank = k + 1
		rep.Ranking = append(rep.Ranking, r.Family)
	}
	rep.Best = rep.Ranking[0]
}
