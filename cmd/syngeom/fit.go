package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/fit"
	"github.com/syngeom/syngeom/ingest"
)

func init() {
	register(&command{
		name:    "fit",
		summary: "fit distributions by maximum likelihood, with calibrated goodness of fit and model comparison",
		usage:   "syngeom fit FILE... [flags]",
		help: `
Fits candidate distributions to the weights by maximum likelihood, with R's
parameterisations (fitdistrplus, actuar):

  positive data  normal (mean, sd), lognormal (meanlog, sdlog), gamma (shape,
                 rate), weibull (shape, scale), exponential (rate),
                 loglogistic (shape, scale), invgauss (mean, shape),
                 powernormal (lambda, mu, sigma: Box-Cox normal, exact
                 truncated density; lambda = 0 is lognormal)
  signed data    normal, student-t (location, scale, df), laplace (location,
                 scale), logistic (location, scale)

The defaults are the positive families when every value is positive and the
signed ones otherwise. Per family: estimates with standard errors from the
observed information, log-likelihood, AIC, AICc, BIC, ΔAIC and Akaike
weights; Kolmogorov-Smirnov, Cramér-von Mises and Anderson-Darling
statistics with parametric-bootstrap p-values that refit the family on every
resample (above --gof-max-n values the bootstrap runs on a random subsample
of that size, reported). Then Vuong tests between non-nested families and
likelihood-ratio tests for the nested pairs (exponential in gamma and
Weibull, lognormal in powernormal). A family that cannot be fitted says why
in its row.

With --truncate-below L every family is fitted to the law of x given x ≥ L
(a detection limit) by numerical maximum likelihood of f(x)/S(L). Values
equal to L are inside the support and count in the fits. A continuous law
puts no mass at L itself, so for the goodness-of-fit statistics the values
at L stand for the interval from L to halfway to the next value. Integer
data (every value a whole number, such as voxel counts) are said so in the
output and treated as rounded: the value k stands for [k − ½, k + ½) of the
continuous law (the count L for [L, L + ½)), and tied values are spread
evenly over that interval's probability; the fits use the density at k.

A truncated fit whose likelihood has no maximum (it grows as the parameters
run off, e.g. a normal truncated far in its upper tail, which tends to an
exponential law) is reported as "not identified", with the law it tends
to; it is not ranked, and comparisons with it are "not informative", as
are Vuong tests of two fits that coincide. A p-value at the floor of its
bootstrap (no resample as extreme as the data) prints as a bound, "<0.001"
with 999 resamples. Resamples that could not be refitted are counted, with
the reasons, and left out. A long bootstrap shows its progress on a
terminal.

With paired or unpaired data both samples are fitted (--sample picks one);
a single column is fitted as "sample". With --group every sample is also
fitted per group, under the name "<sample>/<group>".

Examples:
  syngeom fit sizes.csv --column volume
  syngeom fit pairs.parquet --sample after --families lognormal,gamma,powernormal
  syngeom fit em.csv --column area --truncate-below 0.01 --json fits.json`,
		flags: bind(addFitFlags, runFitCommand),
	})
}

// fitFlags are the flags of syngeom fit.
type fitFlags struct {
	opt        *ingest.Options
	which      *string
	families   *string
	truncate   *string
	gofSamples *int
	gofMaxN    *int
	bootstrap  *int
	seed       *uint64
	jsonPath   *string
}

// addFitFlags declares the flags of syngeom fit.
func addFitFlags(fs *pflag.FlagSet) *fitFlags {
	f := &fitFlags{}
	f.opt = addIngestFlags(fs)
	f.which = fs.String("sample", "both", "with two samples: fit before, after or both")
	f.families = fs.String("families", "", `comma-separated families, or "positive", "signed", "all" (default: by the sign of the data)`)
	f.truncate = fs.String("truncate-below", "", "detection limit L: fit the law of x given x ≥ L (values below L are an error)")
	f.gofSamples = fs.Int("gof-samples", 999, "parametric-bootstrap resamples for the GOF p-values (0 = none)")
	f.gofMaxN = fs.Int("gof-max-n", fit.DefaultGOFMaxN, "above this many values the GOF bootstrap runs on a random subsample of this size")
	f.bootstrap = fs.Int("bootstrap", 0, "nonparametric bootstrap resamples for percentile confidence intervals (0 = none)")
	f.seed = fs.Uint64("seed", 1, "random seed: the same seed gives the same output")
	f.jsonPath = fs.String("json", "", `write the results as JSON to this file ("-" = stdout, instead of the text)`)
	return f
}

// runFitCommand runs syngeom fit once its flags are parsed.
func runFitCommand(env *runEnv, fs *pflag.FlagSet, f *fitFlags, args []string) error {
	if len(args) == 0 {
		return usagef("fit needs a FILE")
	}
	fo := fit.Options{GOFSamples: *f.gofSamples, GOFMaxN: *f.gofMaxN, Bootstrap: *f.bootstrap, Seed: *f.seed}
	if *f.gofSamples < 0 || *f.bootstrap < 0 || *f.gofMaxN < 1 {
		return usagef("--gof-samples and --bootstrap must be ≥ 0 and --gof-max-n ≥ 1")
	}
	if *f.truncate != "" {
		l, err := strconv.ParseFloat(*f.truncate, 64)
		if err != nil || math.IsNaN(l) || math.IsInf(l, 0) {
			return usagef("--truncate-below wants a finite number, not %q", *f.truncate)
		}
		fo.TruncateBelow = &l
	}
	fams, err := fit.ParseFamilySet(*f.families)
	if err != nil {
		return usagef("--families: %v", err)
	}
	switch *f.which {
	case "before", "after", "both":
	default:
		return usagef("--sample wants before, after or both, not %q", *f.which)
	}
	data, err := ingest.Load(args, *f.opt)
	if err != nil {
		return err
	}
	samples, err := fitSamples(data, *f.which)
	if err != nil {
		return err
	}
	out := fitOutput{Schema: analysis.Schema, Fits: map[string][]fit.Result{}, Comparisons: map[string]fitComparison{}}
	out.Input = fitInput{Files: data.Files, Format: data.Format, Shape: string(data.Shape), Roles: data.Roles,
		Rows: data.Rows, N: map[string]int{}, Excluded: data.Excluded, Counts: data.Counts, Notes: data.Notes}
	var reports []namedReport
	prog := newProgress(env.stderr, fo.GOFSamples > 0)
	defer prog.done()
	for _, s := range samples {
		name := s.name
		fo.Progress = func(family string, done, total int) {
			prog.status(fmt.Sprintf("goodness-of-fit bootstrap: %s, %s %d/%d", name, family, done, total))
		}
		x, zeroNote := fittedValues(s.x, fams)
		rep, err := fit.Fit(x, fams, fo)
		prog.clear()
		if err != nil {
			return fmt.Errorf("sample %s: %w", s.name, err)
		}
		if zeroNote != "" {
			rep.Notes = append([]string{zeroNote}, rep.Notes...)
		}
		out.Input.N[s.name] = len(x)
		out.Fits[s.name] = rep.Fits
		out.Comparisons[s.name] = fitComparison{Ranking: rep.Ranking, Best: rep.Best, Vuong: rep.Vuong, LRTests: rep.LRTests,
			IntegerData: rep.IntegerData, Notes: rep.Notes}
		reports = append(reports, namedReport{s.name, rep})
	}
	out.Input.TruncateBelow, out.Input.GOFSamples, out.Input.GOFMaxN = fo.TruncateBelow, fo.GOFSamples, fo.GOFMaxN
	out.Input.Bootstrap, out.Input.Seed = fo.Bootstrap, fo.Seed
	prog.done()
	return emitResult(env, *f.jsonPath, &out, func(w io.Writer) { printFits(w, data, reports, fo) })
}

// fittedValues leaves the zero weights out of a sample without negative
// values when the families need positive values (the defaults then are the
// positive families), as analyze does: a zero is an absent synapse, and one
// zero would otherwise stop every positive family.
func fittedValues(x []float64, fams []*fit.Family) ([]float64, string) {
	pos, zeros := fit.WithoutZeroWeights(x, fams)
	if zeros == 0 {
		return x, ""
	}
	return pos, fmt.Sprintf("left out %d zero weights (absent synapses): the positive families cannot use them (--families signed keeps them)", zeros)
}

// fitOutput is the JSON document of `syngeom fit`.
type fitOutput struct {
	Schema      string                   `json:"schema"`
	Input       fitInput                 `json:"input"`
	Fits        map[string][]fit.Result  `json:"fits"`
	Comparisons map[string]fitComparison `json:"comparisons"`
}

type fitInput struct {
	Files         []string          `json:"files"`
	Format        string            `json:"format"`
	Shape         string            `json:"shape"`
	Roles         map[string]string `json:"roles"`
	Rows          int64             `json:"rows"`
	N             map[string]int    `json:"n"` // values fitted, per sample
	Excluded      map[string]int64  `json:"excluded"`
	Counts        map[string]int64  `json:"counts"`
	Notes         []string          `json:"notes"`
	TruncateBelow *float64          `json:"truncate_below"`
	GOFSamples    int               `json:"gof_samples"`
	GOFMaxN       int               `json:"gof_max_n"`
	Bootstrap     int               `json:"bootstrap"`
	Seed          uint64            `json:"seed"`
}

type fitComparison struct {
	Ranking     []string        `json:"ranking"`
	Best        string          `json:"best"`
	Vuong       []fit.VuongTest `json:"vuong"`
	LRTests     []fit.LRTest    `json:"lr_tests"`
	IntegerData bool            `json:"integer_data"`
	Notes       []string        `json:"notes,omitempty"`
}

type namedSample struct {
	name string
	x    []float64
}

type namedReport struct {
	name string
	rep  *fit.Report
}

// fitSamples picks the samples to fit from the loaded data: each chosen
// sample overall and, with a group column, per group ("before/<group>").
func fitSamples(d *ingest.Data, which string) ([]namedSample, error) {
	type part struct {
		name  string
		x     []float64
		group []int32
	}
	var parts []part
	if d.Shape == ingest.ShapeSingle {
		if which == "after" {
			return nil, usagef("--sample after: the input has a single sample")
		}
		parts = []part{{"sample", d.Before, d.Group}}
	} else {
		afterGroup := d.Group // paired: one group per pair
		if d.Shape == ingest.ShapeUnpaired {
			afterGroup = d.GroupAfter
		}
		if which != "after" {
			parts = append(parts, part{"before", d.Before, d.Group})
		}
		if which != "before" {
			parts = append(parts, part{"after", d.After, afterGroup})
		}
	}
	var out []namedSample
	for _, p := range parts {
		out = append(out, namedSample{p.name, p.x})
		if len(d.GroupNames) == 0 || len(p.group) != len(p.x) {
			continue
		}
		by := make([][]float64, len(d.GroupNames))
		for i, g := range p.group {
			by[g] = append(by[g], p.x[i])
		}
		for g, name := range d.GroupNames {
			out = append(out, namedSample{p.name + "/" + name, by[g]})
		}
	}
	return out, nil
}

// pnum formats a p-value; one below the float64 range prints as "<1e-300".
func pnum(v *float64) string {
	if v != nil && *v == 0 {
		return "<1e-300"
	}
	return fnum(v, 3)
}

func fnum(v *float64, digits int) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'g', digits, 64)
}

// printFits writes R-like summaries: per family the estimates with standard
// errors, then one goodness-of-fit table per sample and the comparisons.
func printFits(w io.Writer, d *ingest.Data, reports []namedReport, fo fit.Options) {
	fmt.Fprintf(w, "input    %s (%s, %s, %d rows)\n", strings.Join(d.Files, ", "), d.Format, d.Shape, d.Rows)
	if fo.TruncateBelow != nil {
		fmt.Fprintf(w, "fits conditional on x ≥ %g (left truncation)\n", *fo.TruncateBelow)
	}
	for _, nr := range reports {
		rep := nr.rep
		if nr.name == "sample" {
			fmt.Fprintf(w, "\n=== n = %d ===\n", rep.N)
		} else {
			fmt.Fprintf(w, "\n=== sample %s: n = %d ===\n", nr.name, rep.N)
		}
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
		for _, r := range rep.Fits {
			fmt.Fprintf(w, "\n%s", r.Family)
			switch r.Status {
			case fit.StatusOK:
			case fit.StatusNotIdentified:
				fmt.Fprintf(w, ": NOT IDENTIFIED, not ranked: %s\nwhere the optimiser stopped (maximum likelihood: %s):\n", r.Limit, r.Method)
			default:
				fmt.Fprintf(w, ": not fitted: %s\n", r.Status)
				continue
			}
			if r.Status == fit.StatusOK {
				fmt.Fprintf(w, " (maximum likelihood: %s)\n", r.Method)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			hasCI := r.CI != nil
			if hasCI {
				fmt.Fprintf(tw, "\testimate\tstd. error\t%g%% bootstrap interval\t\n", 100*r.CILevel)
			} else {
				fmt.Fprint(tw, "\testimate\tstd. error\t\n")
			}
			for _, name := range r.ParamNames {
				v := r.Params[name]
				se := "-"
				if s, ok := r.SE[name]; ok {
					se = strconv.FormatFloat(s, 'g', 6, 64)
				}
				if hasCI {
					ci := r.CI[name]
					fmt.Fprintf(tw, "%s\t%.8g\t%s\t[%.6g, %.6g]\t\n", name, v, se, ci[0], ci[1])
				} else {
					fmt.Fprintf(tw, "%s\t%.8g\t%s\t\n", name, v, se)
				}
			}
			tw.Flush()
			fmt.Fprintf(w, "loglik %s  AIC %s  AICc %s  BIC %s\n", fnum(r.LogLik, 10), fnum(r.AIC, 10), fnum(r.AICc, 10), fnum(r.BIC, 10))
			for _, n := range r.Notes {
				fmt.Fprintf(w, "note: %s\n", n)
			}
		}
		printGOFTable(w, rep, fo)
		printComparisons(w, rep)
	}
}

func printGOFTable(w io.Writer, rep *fit.Report, fo fit.Options) {
	fmt.Fprintln(w, "\nGoodness of fit and criteria (ranked by AIC)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "family\tk\tloglik\tAIC\tΔAIC\tweight\tBIC\tKS\tp\tCvM\tp\tAD\tp\t\n")
	order := append([]string(nil), rep.Ranking...)
	for _, r := range rep.Fits {
		if r.Status != fit.StatusOK {
			order = append(order, r.Family)
		}
	}
	byName := map[string]fit.Result{}
	for _, r := range rep.Fits {
		byName[r.Family] = r
	}
	sub := 0
	var failures, unidentified []string
	for _, name := range order {
		r := byName[name]
		switch r.Status {
		case fit.StatusOK:
		case fit.StatusNotIdentified:
			unidentified = append(unidentified, r.Family)
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\tn.i.\t-\t%s\t%s\t-\t%s\t-\t%s\t-\t\n", r.Family, len(r.ParamNames),
				fnum(r.LogLik, 8), fnum(r.AIC, 8), fnum(r.BIC, 8), fnum(r.KS, 4), fnum(r.CvM, 4), fnum(r.AD, 4))
			continue
		default:
			fmt.Fprintf(tw, "%s\t%d\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t\n", r.Family, len(r.ParamNames))
			continue
		}
		pv := r.PValues
		if pv != nil {
			if pv.Subsample {
				sub = pv.N
			}
			if f := bootstrapFailures(pv); f != "" {
				failures = append(failures, r.Family+": "+f)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Family, len(r.ParamNames),
			fnum(r.LogLik, 8), fnum(r.AIC, 8), fnum(r.DeltaAIC, 4), fnum(r.AkaikeWeight, 3), fnum(r.BIC, 8),
			fnum(r.KS, 4), gofP(pv, "ks"), fnum(r.CvM, 4), gofP(pv, "cvm"), fnum(r.AD, 4), gofP(pv, "ad"))
	}
	tw.Flush()
	for _, name := range unidentified {
		fmt.Fprintf(w, "n.i. %s is not identified: not ranked, no bootstrap (see its note above)\n", name)
	}
	switch {
	case fo.GOFSamples == 0:
		fmt.Fprintln(w, "p-values: not computed (--gof-samples 0)")
	case sub > 0:
		fmt.Fprintf(w, "p-values: parametric bootstrap, %d refitted resamples, on a random subsample of %d values (n > --gof-max-n)\n", fo.GOFSamples, sub)
	default:
		fmt.Fprintf(w, "p-values: parametric bootstrap, %d refitted resamples\n", fo.GOFSamples)
	}
	if fo.GOFSamples > 0 {
		fmt.Fprintf(w, "\"<%s\": no resample was as extreme as the data; the p-value is below the floor 1/(resamples + 1) of %d resamples, not equal to it\n",
			strconv.FormatFloat(1/float64(fo.GOFSamples+1), 'g', 3, 64), fo.GOFSamples)
	}
	for _, f := range failures {
		fmt.Fprintf(w, "bootstrap failures: %s\n", f)
	}
}

// gofP formats a bootstrap p-value: "<floor" when no resample was as
// extreme as the data (the p-value is then only a bound).
func gofP(pv *fit.PValues, stat string) string {
	v, atFloor := pv.PValue(stat)
	if v != nil && atFloor {
		return "<" + strconv.FormatFloat(pv.Floor(), 'g', 3, 64)
	}
	return pnum(v)
}

// bootstrapFailures says how many GOF resamples failed and why, or "".
func bootstrapFailures(pv *fit.PValues) string {
	if pv.Skipped != "" {
		return "no resamples: " + pv.Skipped
	}
	if pv.Failed == 0 {
		return ""
	}
	reasons := make([]string, 0, len(pv.FailureReasons))
	for why, n := range pv.FailureReasons {
		reasons = append(reasons, fmt.Sprintf("%d: %s", n, why))
	}
	sort.Strings(reasons)
	return fmt.Sprintf("%d of %d resamples could not be refitted and are left out of the p-values (%s)",
		pv.Failed, pv.Failed+pv.Samples, strings.Join(reasons, "; "))
}

// printTests writes a titled table of tests, a row each by row, when there
// are any.
func printTests[T any](w io.Writer, title, header string, tests []T, row func(tw io.Writer, t T)) {
	if len(tests) == 0 {
		return
	}
	fmt.Fprintln(w, "\n"+title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, header)
	for _, t := range tests {
		row(tw, t)
	}
	tw.Flush()
}

func printComparisons(w io.Writer, rep *fit.Report) {
	printTests(w, "Likelihood-ratio tests (nested families)", "nested\tin\tnull\tLR\tdf\tp\n", rep.LRTests, func(tw io.Writer, t fit.LRTest) {
		if t.Status != fit.StatusOK {
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\t%d\t-\t%s: %s\n", t.Nested, t.Full, t.Null, t.DF, t.Status, t.Reason)
			return
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", t.Nested, t.Full, t.Null, fnum(t.Statistic, 5), t.DF, pnum(t.PValue))
	})
	printTests(w, "Vuong tests (Z > 0 favours the first family; two-sided p)", "first\tsecond\tZ\tp\tZ (Schwarz)\tp (Schwarz)\tat 5%\n", rep.Vuong, func(tw io.Writer, t fit.VuongTest) {
		if t.Status != fit.StatusOK {
			msg := t.Status
			if t.Reason != "" {
				msg += ": " + t.Reason
			}
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t%s\n", t.A, t.B, msg)
			return
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.A, t.B, fnum(t.Statistic, 4), pnum(t.PValue),
			fnum(t.StatisticSchwarz, 4), pnum(t.PValueSchwarz), t.Favours)
	})
	if rep.Best != "" {
		fmt.Fprintf(w, "\nbest by AIC: %s\n", rep.Best)
	}
}
