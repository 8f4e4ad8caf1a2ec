// Package fit fits probability distributions to samples of synaptic weights
// by maximum likelihood and says how well each fits and which fits best.
//
// Families follow R's parameterisations (fitdistrplus and actuar), so that
// numbers can be checked against R directly:
//
//	positive data:
//	  normal        mean, sd          (sd is the MLE, divided by n)
//	  lognormal     meanlog, sdlog
//	  gamma         shape, rate
//	  weibull       shape, scale
//	  exponential   rate
//	  loglogistic   shape, scale      (actuar dllogis)
//	  invgauss      mean, shape       (actuar dinvgauss; shape is the λ of Tweedie)
//	  powernormal   lambda, mu, sigma (Box–Cox normal; lambda = 0 is lognormal)
//	signed data:
//	  normal        mean, sd
//	  student-t     location, scale, df
//	  laplace       location, scale
//	  logistic      location, scale
//
// scipy uses the same quantities under other names: lognorm(s=sdlog,
// scale=exp(meanlog)), gamma(a=shape, scale=1/rate), weibull_min(c=shape,
// scale), fisk(c=shape, scale), invgauss(mu=mean/shape, scale=shape).
//
// Each family's law is a small value type implementing Distribution, the
// method set of gonum's distuv (LogProb, Prob, CDF, Survival, LogCDF,
// LogSurvival, Quantile, Rand, NumParameters, Params). CDF, survival and
// their logarithms are computed without 1 − F cancellation, so
// Anderson–Darling statistics stay exact in the far tails. Its Family
// descriptor, returned by NormalFamily(), GammaFamily(), …, fits it; Lookup
// finds one by name (R's and scipy's short names too), and
// PositiveFamilies, SignedFamilies and AllFamilies are the candidate sets.
//
// Family.Fit estimates one family (EstimateOptions); Fit and FitContext fit
// several to one sample and compare them (Options, Report). FitSummary fits
// the families that have sufficient statistics from a Summary of exact sums
// (SummaryAccumulator), for samples too large to hold or read in a stream.
// Truncate conditions a law on x ≥ L, and WithoutZeroWeights leaves out the
// zeros (absent synapses) of a sample of weights for the positive
// families.
//
// As in distuv, each family lives in a file of its own (normal.go,
// lognormal.go, gamma.go, weibull.go, exponential.go, loglogistic.go,
// invgauss.go, powernormal.go, studentt.go, laplace.go, logistic.go): the
// value type, the descriptor, the estimator and its derivatives. dist.go
// holds the Distribution interface and the helpers the laws share (the
// cumulative-hazard tails of the exponential and Weibull laws among them),
// family.go the Family type and the registry, the ordered list of
// families.
//
// # Estimation
//
// Normal, log-normal, exponential and inverse Gaussian have closed forms;
// gamma solves log a − ψ(a) = log x̄ − mean(log x) by Newton's method from
// sufficient statistics; Weibull solves its profile score in the shape by
// safeguarded Newton; Laplace takes the median and the mean absolute
// deviation. Log-logistic (a logistic law of log x), logistic, Student-t and
// power-normal use Newton's method with exact gradients and Hessians from
// moment-based starts (the power-normal from the log-normal fit, λ = 0).
// Where Newton fails the first three fall back to a Nelder–Mead search on
// log-scale parameters polished by finite-difference Newton, and the
// power-normal to the maximum of the untruncated Box–Cox profile
// likelihood (as scipy.stats.boxcox). Per-element passes use
// cached logarithms (no math.Pow), run on fixed blocks in parallel and add
// the block sums in order, so results do not depend on the number of
// goroutines.
//
// Standard errors come from the observed information: analytic for every
// family except under truncation, where the Hessian is taken by finite
// differences in the optimisation coordinates. The Laplace likelihood is
// not twice differentiable in its location, so its standard errors use the
// expected information (scale/√n for both parameters).
//
// The power-normal uses the exact density of the Box–Cox normal truncated to
// the range of the transform (see PowerNormal); where the normal puts no
// visible mass beyond the boundary this is the usual Box–Cox likelihood.
// Student-t fits whose df runs past 10^6 are reported as failed ("df
// diverges"): the data are then as light-tailed as a normal law.
//
// Left truncation (Options.TruncateBelow) fits the law of x given x ≥ L by
// the conditional likelihood f(x)/S(L), maximised numerically for every
// family (Nelder–Mead from the untruncated estimate, then Newton; Result.Method
// says so), and compares the data with the truncated law in the GOF
// statistics; values below L are an InputError. Values equal to L are inside
// the support. A truncated fit whose likelihood has no maximum — the kept
// mass S(L) of the parent runs to zero, as for a normal truncated far in its
// upper tail, which tends to an exponential law — has Status
// StatusNotIdentified and says in Result.Limit which law the fits tend to;
// it is not ranked, bootstrapped or compared.
//
// The GOF statistics need 0 < F < 1 at every value. Integer data (every
// value a whole number, e.g. voxel counts; Report.IntegerData) are treated
// as rounded: the value k stands for [k − ½, k + ½) of the continuous law,
// cut at L, and tied values are spread evenly over that interval's
// probability (the deterministic randomised probability transform). In
// other data, values equal to L stand for [L, halfway to the next value).
// Report.Notes states which convention applied.
//
// # Goodness of fit and comparison
//
// KS, CvM and AD are computed on the sorted sample, AD from log F and log S
// directly (R's gofstat takes log(1 − F), which becomes −Inf in far upper
// tails). Their p-values come from a parametric bootstrap: each resample is
// drawn from the fitted law, the family is refitted on it and the statistic
// recomputed, so the estimation is accounted for. Resample b of a family
// uses its own PCG stream derived from the seed, the family's name and b,
// and memory is one resample per worker, so the p-values are identical for
// any GOMAXPROCS. Above Options.GOFMaxN values (default 10^5) the bootstrap
// runs on a random subsample of that size, refitted, and says so. Refits of
// numerical fits start from the fit and reuse its Hessian or exact
// derivatives. Resamples that cannot be drawn or refitted are counted in
// PValues.Failed with their reasons and left out. A p-value at the floor
// 1/(resamples + 1) is flagged (PValues.KSAtFloor, …): it is only a bound.
//
// Models are ranked by AIC with ΔAIC and Akaike weights; non-nested pairs
// get Vuong tests (with and without Schwarz's correction), nested pairs
// (exponential ⊂ gamma, exponential ⊂ Weibull, log-normal ⊂ power-normal)
// likelihood-ratio tests. Tests between two fits that coincide (Vuong's ω
// below 0.001) or involve a fit that is not identified are
// StatusNotInformative, without a statistic. A family that cannot be
// fitted reports why in its own Result and never stops the others.
package fit
