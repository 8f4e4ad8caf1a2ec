#!/usr/bin/env python3
"""numpy/scipy reference of syngeom's paired geometry scan, for measurement only.

Reads the raw little-endian float64 columns written by bench/gen
(PREFIX.w0.f64, PREFIX.w1.f64) and computes, with plain vectorised numpy:

  * the paper's ΔCDF for the 21 candidates (NE and p = 1.1 … 3.0), uncentred
    and centred, and the change magnitude. d = g(w1) − g(w0) with
    g(w) = sign(w)|w|^(p−1) (p-norms) or sign(w)(log|w| + 1) (NE, pairs with
    a zero weight left out); z = d / sd(d) (unbiased sd), centred
    (d − mean)/sd; F_n(x_k) = #{z < x_k}/n on x = linspace(−5, 5, 1000);
    ΔCDF = h·Σ|F_n − Φ| with h = 10/999. F_n comes from one sort of d per
    candidate and a binary search of the grid (the same numbers as the
    paper's n × 1000 comparison, which does not fit in memory at scale);
  * the Box–Cox profile log-likelihood on λ = −1.5, −1.4, …, 3.5 as
    testgeom/profile.go defines it: over pairs with both weights nonzero,
    e = s0·|w0|^λ·expm1(λ·log|w1/w0|)/λ for pairs that keep their sign
    (s0·log|w1/w0| at λ = 0), (s1|w1|^λ − s0|w0|^λ)/λ for pairs that flip
    (λ > 0 only; with any flip ℓ = −∞ for λ ≤ 0), σ̂² the ML variance of e and
    ℓ(λ) = −n/2·(log 2πσ̂² + 1) + (λ − 1)·Σ log|w1|;
  * log-normal and gamma maximum-likelihood fits (scipy.stats, floc=0) of
    the positive weights before and after, on every value.

It prints the time of each part and their total, excluding the file read
(reported separately), and the values needed to check syngeom's JSON output
(--compare). It is a measurement aid, not part of syngeom: no test needs it.
Dependencies: numpy and scipy (Debian: python3-numpy, python3-scipy).
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
from scipy import special, stats

GRID = np.linspace(-5.0, 5.0, 1000)
STEP = 10.0 / 999.0
PHI = special.ndtr(GRID)
LAMBDAS = [(k - 15) * 0.1 for k in range(51)]


def candidates():
    """The paper's grid: NE, then p = 1.1 … 3.0, named as syngeom names them."""
    return [("NE", None)] + [("p=%.1f" % (k / 10), k / 10) for k in range(11, 31)]


def dcdf_sorted(d, buf):
    """ΔCDF (uncentred, centred) of shifts d, sorting d in place; buf is
    scratch of d's size."""
    n = d.size
    mean = d.mean()
    sd = d.std(ddof=1)
    d.sort()
    out = []
    for shift in (0.0, mean):  # z = (d − shift)/sd is monotone in d: still sorted
        z = np.subtract(d, shift, out=buf)
        z /= sd
        f = np.searchsorted(z, GRID, side="left") / n
        out.append(float(STEP * np.abs(f - PHI).sum()))
    return out


class Prepared:
    """Finite pairs with the logs and signs every part reuses."""

    def __init__(self, w0, w1):
        ok = np.isfinite(w0) & np.isfinite(w1)
        self.n_input = w0.size
        self.w0, self.w1 = (w0, w1) if ok.all() else (w0[ok], w1[ok])
        self.positive = bool((self.w0 > 0).all() and (self.w1 > 0).all())
        with np.errstate(divide="ignore"):
            self.l0 = np.log(np.abs(self.w0))
            self.l1 = np.log(np.abs(self.w1))
        if self.positive:
            self.s0 = self.s1 = None
            self.nz = None  # every pair has both weights nonzero
        else:
            self.s0, self.s1 = np.sign(self.w0), np.sign(self.w1)
            self.nz = (self.w0 != 0) & (self.w1 != 0)


def shifts(pp, p):
    """d = g(w1) − g(w0) and g(w0) for one candidate (p None is NE)."""
    if p is None:
        if pp.positive:
            return pp.l1 - pp.l0, pp.l0 + 1.0
        m = pp.nz
        g0 = pp.s0[m] * (pp.l0[m] + 1.0)
        return pp.s1[m] * (pp.l1[m] + 1.0) - g0, g0
    q = p - 1.0
    g0 = np.exp(q * pp.l0)  # |w|^(p−1); exp(−inf) = 0 at w = 0
    g1 = np.exp(q * pp.l1)
    if not pp.positive:
        g0 *= pp.s0
        g1 *= pp.s1
    g1 -= g0
    return g1, g0


def scan_candidates(pp):
    rows = []
    buf = np.empty(pp.w0.size)
    for name, p in candidates():
        d, g0 = shifts(pp, p)
        magnitude = float(np.linalg.norm(d) / max(np.linalg.norm(g0), 1e-10))
        del g0
        unc, cen = dcdf_sorted(d, buf[:d.size])
        rows.append({"name": name, "n": int(d.size), "dcdf": unc, "dcdf_centered": cen,
                     "magnitude": magnitude})
    return rows


def profile(pp):
    if pp.positive:
        l0, l1 = pp.l0, pp.l1
        flips = 0
        same = None
    else:
        m = pp.nz
        l0, l1 = pp.l0[m], pp.l1[m]
        s0, s1 = pp.s0[m], pp.s1[m]
        same = s0 == s1
        flips = int(l0.size - same.sum())
    n = l0.size
    sum_l1 = float(l1.sum())
    dl = l1 - l0
    buf0, buf1 = np.empty(n), np.empty(n)
    out = []
    for lam in LAMBDAS:
        if n < 2 or (lam <= 0 and flips > 0):
            out.append({"lambda": lam, "loglik": -math.inf})
            continue
        if abs(lam) < 1e-12:
            e = dl if same is None else s0 * dl
            v = e.var()
        else:
            e = np.multiply(l0, lam, out=buf0)
            np.exp(e, out=e)
            t = np.multiply(dl, lam, out=buf1)
            e *= np.expm1(t, out=t)
            if same is not None:
                e *= s0
                if flips:
                    f = ~same
                    e[f] = s1[f] * np.exp(lam * l1[f]) - s0[f] * np.exp(lam * l0[f])
            v = e.var() / (lam * lam)
        ll = -n / 2 * (math.log(2 * math.pi * v) + 1) + (lam - 1) * sum_l1 if v > 0 else math.nan
        out.append({"lambda": lam, "loglik": ll})
    return out


def fits(pp):
    out = {}
    for label, w in (("before", pp.w0), ("after", pp.w1)):
        x = w[w > 0]
        s, _, scale = stats.lognorm.fit(x, floc=0)
        a, _, gscale = stats.gamma.fit(x, floc=0)
        out[label] = {"n": int(x.size),
                      "lognormal": {"meanlog": math.log(scale), "sdlog": s},
                      "gamma": {"shape": a, "rate": 1 / gscale}}
    return out


def run(prefix):
    t = time.perf_counter()
    w0 = np.fromfile(prefix + ".w0.f64", dtype="<f8")
    w1 = np.fromfile(prefix + ".w1.f64", dtype="<f8")
    if w0.size != w1.size:
        sys.exit("%s: w0 has %d values, w1 %d" % (prefix, w0.size, w1.size))
    times = {"read": time.perf_counter() - t}
    t0 = time.perf_counter()
    pp = Prepared(w0, w1)
    del w0, w1
    times["prepare"] = time.perf_counter() - t0
    t = time.perf_counter()
    cands = scan_candidates(pp)
    times["dcdf"] = time.perf_counter() - t
    t = time.perf_counter()
    prof = profile(pp)
    times["profile"] = time.perf_counter() - t
    t = time.perf_counter()
    fit = fits(pp)
    times["fits"] = time.perf_counter() - t
    times["geometry"] = times["prepare"] + times["dcdf"] + times["profile"]
    times["total"] = time.perf_counter() - t0
    best = min(cands, key=lambda c: c["dcdf"])["name"]
    best_c = min(cands, key=lambda c: c["dcdf_centered"])["name"]
    finite = [r for r in prof if math.isfinite(r["loglik"])]
    lam_grid = max(finite, key=lambda r: r["loglik"])["lambda"] if finite else None
    return {"file": prefix, "n": pp.n_input, "pairs": int(pp.w0.size), "times": times,
            "candidates": cands, "best_by_dcdf": best, "best_by_dcdf_centered": best_c,
            "profile": prof, "lambda_hat_grid": lam_grid, "fits": fit,
            "numpy": np.__version__, "scipy": __import__("scipy").__version__}


def report(res):
    t = res["times"]
    print("reference (numpy %s, scipy %s) on %s: %d pairs" % (res["numpy"], res["scipy"], res["file"], res["pairs"]))
    print("  read %.3f s (not counted); prepare (logs) %.3f s, ΔCDF 21 candidates %.3f s, profile 51 λ %.3f s, "
          "fits %.3f s; geometry (prepare+ΔCDF+profile) %.3f s; total %.3f s"
          % (t["read"], t["prepare"], t["dcdf"], t["profile"], t["fits"], t["geometry"], t["total"]))
    print("  best by ΔCDF %s (centred %s); λ̂ on the grid %s"
          % (res["best_by_dcdf"], res["best_by_dcdf_centered"], res["lambda_hat_grid"]))
    for c in res["candidates"]:
        if c["name"] in ("NE", "p=1.1", "p=1.5", "p=2.0", "p=3.0", res["best_by_dcdf"]):
            print("  %-6s ΔCDF %.9f  centred %.9f  magnitude %.9f" % (c["name"], c["dcdf"], c["dcdf_centered"], c["magnitude"]))
    for label, f in res["fits"].items():
        print("  %-6s lognormal meanlog %.6f sdlog %.6f; gamma shape %.6f rate %.6f (n = %d)"
              % (label, f["lognormal"]["meanlog"], f["lognormal"]["sdlog"], f["gamma"]["shape"], f["gamma"]["rate"], f["n"]))


# Agreement required of syngeom's JSON. ΔCDF: the shifts differ by a few ulp
# (syngeom's table-driven exp/log), which can move a value across a grid point
# and change ΔCDF by h/n per crossing. Profile: the ladder steps |w|^λ by
# repeated multiplication, a relative error of about 1e-13 in σ̂².
DCDF_TOL = 1e-7
MAGNITUDE_RTOL = 1e-9
LOGLIK_TOL = 1e-6  # absolute, plus 1e-11 relative


def compare(res, path):
    """Checks syngeom's test JSON (and optionally analyze JSON) against res."""
    problems = []
    with open(path) as f:
        geo = json.load(f)["geometry"]
    by_name = {c["name"]: c for c in geo["candidates"]}
    worst = {"dcdf": 0.0, "dcdf_centered": 0.0, "magnitude": 0.0, "loglik": 0.0}
    for c in res["candidates"]:
        g = by_name.get(c["name"])
        if g is None:
            problems.append("candidate %s missing from %s" % (c["name"], path))
            continue
        if g["n"] != c["n"]:
            problems.append("%s: n %d vs %d" % (c["name"], g["n"], c["n"]))
        for k in ("dcdf", "dcdf_centered"):
            diff = abs(g[k] - c[k])
            worst[k] = max(worst[k], diff)
            if not diff <= DCDF_TOL:
                problems.append("%s %s: syngeom %.12g, reference %.12g" % (c["name"], k, g[k], c[k]))
        rel = abs(g["magnitude"] - c["magnitude"]) / abs(c["magnitude"])
        worst["magnitude"] = max(worst["magnitude"], rel)
        if not rel <= MAGNITUDE_RTOL:
            problems.append("%s magnitude: syngeom %.12g, reference %.12g" % (c["name"], g["magnitude"], c["magnitude"]))
    for k in ("best_by_dcdf", "best_by_dcdf_centered"):
        if geo[k] != res[k]:
            problems.append("%s: syngeom %s, reference %s" % (k, geo[k], res[k]))
    prof = {round(p["lambda"], 6): p["loglik"] for p in geo["profile"]}
    for r in res["profile"]:
        g = prof.get(round(r["lambda"], 6))
        ref = -math.inf if r["loglik"] is None else r["loglik"]
        if g is None and math.isinf(ref):
            continue  # syngeom writes −∞ as null
        if g is None:
            problems.append("λ = %.1f: no log-likelihood in syngeom's profile" % r["lambda"])
            continue
        diff = abs(g - ref)
        worst["loglik"] = max(worst["loglik"], diff)
        if not diff <= LOGLIK_TOL + 1e-11 * abs(ref):
            problems.append("λ = %.1f: ℓ syngeom %.12g, reference %.12g" % (r["lambda"], g, ref))
    finite = [(p["loglik"], p["lambda"]) for p in geo["profile"] if p["loglik"] is not None]
    lam_grid = max(finite)[1] if finite else None
    if lam_grid is None or res["lambda_hat_grid"] is None or abs(lam_grid - res["lambda_hat_grid"]) > 1e-9:
        problems.append("λ̂ on the grid: syngeom %s, reference %s" % (lam_grid, res["lambda_hat_grid"]))
    if geo.get("lambda_hat") is None or abs(geo["lambda_hat"] - res["lambda_hat_grid"]) > 0.1:
        problems.append("refined λ̂ %s is not within one grid step of %s" % (geo.get("lambda_hat"), res["lambda_hat_grid"]))
    print("check %s: worst |ΔCDF diff| %.2g (centred %.2g, tolerance %g), worst magnitude rel. diff %.2g (%g), "
          "worst |ℓ diff| %.2g (%g + 1e-11·|ℓ|); best by ΔCDF %s/%s; λ̂ grid %s, refined %s"
          % (path, worst["dcdf"], worst["dcdf_centered"], DCDF_TOL, worst["magnitude"], MAGNITUDE_RTOL,
             worst["loglik"], LOGLIK_TOL, geo["best_by_dcdf"], res["best_by_dcdf"], lam_grid, geo.get("lambda_hat")))
    return problems


def compare_fits(res, path):
    """syngeom analyze fits every family on a random subsample (--fit-max-n)
    and, for the families with sufficient statistics, again on all values
    ("full_data"). The full-data log-normal and gamma fits must equal the
    reference's (relative 1e-9). The subsample fits must be within 6 of
    their standard errors: the standard errors come from the observed
    information, which assumes the family is right; these data are not
    log-normal (the additive part gives log w1 a heavy left tail), so the
    subsample estimates vary about twice as much as those errors say."""
    problems = []
    with open(path) as f:
        doc = json.load(f)
    fits_json, comparisons = doc["fits"], doc.get("fit_comparisons", {})
    for label in ("before", "after"):
        ours = {f["family"]: f for f in fits_json.get(label, [])}
        full = {f["family"]: f for f in comparisons.get(label, {}).get("full_data") or []}
        for family, names in (("lognormal", ("meanlog", "sdlog")), ("gamma", ("shape", "rate"))):
            g = ours.get(family)
            if g is None or g.get("status") != "ok":
                problems.append("%s %s: no fit in %s" % (label, family, path))
                continue
            for k in names:
                ref = res["fits"][label][family][k]
                se = g["se"][k] * math.sqrt(g["n"] / res["fits"][label]["n"]) if g["n"] < res["fits"][label]["n"] else 0
                tol = 6 * math.hypot(g["se"][k], se) + 1e-9 * abs(ref)
                if not abs(g["params"][k] - ref) <= tol:
                    problems.append("%s %s %s: syngeom %.8g (n = %d), reference %.8g (n = %d), tolerance %.3g"
                                    % (label, family, k, g["params"][k], g["n"], ref, res["fits"][label]["n"], tol))
                h = full.get(family)
                if g["n"] < res["fits"][label]["n"]:
                    if h is None or h.get("n") != res["fits"][label]["n"]:
                        problems.append("%s %s: no full-data fit on %d values in %s" % (label, family, res["fits"][label]["n"], path))
                    elif not abs(h["params"][k] - ref) <= 1e-9 * abs(ref):
                        problems.append("%s %s %s: full-data syngeom %.12g, reference %.12g"
                                        % (label, family, k, h["params"][k], ref))
    print("check %s: log-normal and gamma fits: on all values equal to the reference (1e-9), on the subsample within 6 standard errors" % path)
    return problems


def finite_json(x):
    """x with every non-finite float replaced by None (strict JSON)."""
    if isinstance(x, dict):
        return {k: finite_json(v) for k, v in x.items()}
    if isinstance(x, list):
        return [finite_json(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("prefix", help="PREFIX of PREFIX.w0.f64 and PREFIX.w1.f64 (as written by bench/gen)")
    ap.add_argument("--json", help="write the timings and values as JSON to this file")
    ap.add_argument("--compare", help="syngeom test JSON to check against the reference values")
    ap.add_argument("--compare-analyze", help="syngeom analyze JSON whose fits to check")
    ap.add_argument("--values", help="take the reference values from this earlier --json output instead of computing them")
    args = ap.parse_args()
    if args.values:
        with open(args.values) as f:
            res = json.load(f)
        n = os.path.getsize(args.prefix + ".w0.f64") // 8
        if res["n"] != n:
            sys.exit("%s holds the values of %d pairs, %s has %d" % (args.values, res["n"], args.prefix, n))
    else:
        res = run(args.prefix)
    report(res)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(finite_json(res), f, indent=1)
    if args.compare or args.compare_analyze:
        problems = []
        if args.compare:
            problems += compare(res, args.compare)
        if args.compare_analyze:
            problems += compare_fits(res, args.compare_analyze)
        for p in problems:
            print("MISMATCH:", p, file=sys.stderr)
        if problems:
            sys.exit(1)
        print("agreement: OK")


if __name__ == "__main__":
    main()
