#!/usr/bin/env python3
"""Summarises bench/run.sh results as Markdown tables (standard library only).

Usage: table.py RESULTS.tsv OUTDIR

RESULTS.tsv has one row per timed run (commit, n, command, run, wall_s,
max_rss_kb, load1, cmdline); OUTDIR holds the reference_<n>_<run>.json
files whose internal timings give the reference's compute time.
"""

import csv
import glob
import json
import os
import statistics
import sys

LABELS = {
    "scan": "test, geometry scan only (--bootstrap 0 --null-replicates 0)",
    "test": "test (defaults)",
    "analyze": "analyze --quiet (defaults)",
    "reference": "numpy/scipy reference (python3 bench/reference.py)",
}


def count(n):
    return int(float(n))


def fmt_n(n):
    v = count(n)
    e = len(str(v)) - 1
    return "10^%d" % e if v == 10 ** e else str(v)


def fmt_rate(r):
    return "%.2f M" % (r / 1e6) if r >= 1e5 else "%.0f k" % (r / 1e3)


def main():
    path, outdir = sys.argv[1], sys.argv[2]
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    groups = {}
    for r in rows:
        groups.setdefault((r["n"], r["command"]), []).append(r)
    commits = sorted({r["commit"] for r in rows})
    print("Build: %s" % ", ".join(commits))
    print()
    print("| N | command | runs | median wall s (min–max) | rows/s | median peak RSS | load avg 1 min (min–max) |")
    print("|---|---|---|---|---|---|---|")
    order = ["scan", "test", "analyze", "reference"]
    sizes = sorted({r["n"] for r in rows}, key=count)
    med = {}
    for n in sizes:
        for c in order:
            g = groups.get((n, c))
            if not g:
                continue
            walls = [float(r["wall_s"]) for r in g]
            rss = [int(r["max_rss_kb"]) for r in g]
            loads = [float(r["load1"]) for r in g]
            m = statistics.median(walls)
            med[(n, c)] = m
            print("| %s | %s | %d | %.2f (%.2f–%.2f) | %s | %.0f MB | %.2f (%.2f–%.2f) |"
                  % (fmt_n(n), LABELS.get(c, c), len(g), m, min(walls), max(walls), fmt_rate(count(n) / m),
                     statistics.median(rss) / 1024, statistics.median(loads), min(loads), max(loads)))
    print()
    print("Reference compute time (excluding the file read) against the geometry scan of syngeom:")
    print()
    print("| N | reference read s | reference ΔCDF + profile s (incl. logs) | reference fits s | reference total s "
          "| syngeom scan wall s | ratio: reference ΔCDF+profile / syngeom scan | ratio: reference wall / syngeom scan wall |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        files = sorted(glob.glob(os.path.join(outdir, "reference_%s_*.json" % n)))
        runs = [r for r in groups.get((n, "reference"), [])]
        if not files or not runs:
            continue
        times = []
        for fn in files:
            with open(fn) as f:
                times.append(json.load(f)["times"])

        def m(k):
            return statistics.median(t[k] for t in times)

        scan = med.get((n, "scan"))
        ref_wall = med[(n, "reference")]
        ratio = "%.1f×" % (m("geometry") / scan) if scan else "–"
        ratio_wall = "%.1f×" % (ref_wall / scan) if scan else "–"
        print("| %s | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |"
              % (fmt_n(n), m("read"), m("geometry"), m("fits"), m("total"),
                 "%.2f" % scan if scan else "–", ratio, ratio_wall))


if __name__ == "__main__":
    main()
