#!/usr/bin/env python3
"""Summarises bench/run.sh results as Markdown tables (standard library only).

Usage: table.py RESULTS.tsv

RESULTS.tsv has one row per timed run: commit, n, command, run, wall_s,
max_rss_kb, load1, the reference's own timings (ref_read_s, ref_geometry_s,
ref_fits_s, ref_total_s; empty for syngeom rows) and the command line.
Rows are grouped by build, size and command; each group shows the median.
"""

import csv
import statistics
import sys

LABELS = {
    "scan": "test, geometry scan only (--bootstrap 0 --null-replicates 0)",
    "test": "test (defaults)",
    "analyze": "analyze --quiet (defaults)",
    "reference": "numpy/scipy reference (bench/reference.py)",
}
ORDER = ["scan", "test", "analyze", "reference"]


def count(n):
    return int(float(n))


def fmt_n(n):
    v = count(n)
    e = len(str(v)) - 1
    return "10^%d" % e if v == 10 ** e else str(v)


def fmt_rate(r):
    return "%.2f M" % (r / 1e6) if r >= 1e5 else "%.0f k" % (r / 1e3)


def main():
    with open(sys.argv[1]) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    groups = {}
    for r in rows:
        groups.setdefault((r["commit"], r["n"], r["command"]), []).append(r)
    keys = sorted({(c, n) for c, n, _ in groups}, key=lambda k: (count(k[1]), k[0]))

    print("| N | build | command | runs | median wall s (min–max) | rows/s | median peak RSS | load avg 1 min (min–max) |")
    print("|---|---|---|---|---|---|---|---|")
    med = {}
    for commit, n in keys:
        for c in ORDER + sorted({k[2] for k in groups} - set(ORDER)):
            g = groups.get((commit, n, c))
            if not g:
                continue
            walls = [float(r["wall_s"]) for r in g]
            rss = [int(r["max_rss_kb"]) for r in g]
            loads = [float(r["load1"]) for r in g]
            m = statistics.median(walls)
            med[(commit, n, c)] = m
            print("| %s | %s | %s | %d | %.2f (%.2f–%.2f) | %s | %.0f MB | %.2f (%.2f–%.2f) |"
                  % (fmt_n(n), commit, LABELS.get(c, c), len(g), m, min(walls), max(walls),
                     fmt_rate(count(n) / m), statistics.median(rss) / 1024,
                     statistics.median(loads), min(loads), max(loads)))

    # The reference does not depend on syngeom's build: every build's scan is
    # compared with all reference runs of the same size.
    ref = {}
    for r in rows:
        if r["command"] == "reference":
            ref.setdefault(r["n"], []).append(r)
    scans = [(commit, n) for commit, n in keys if n in ref and (commit, n, "scan") in med]
    if not scans:
        return
    print()
    print("numpy reference against the geometry scan of syngeom (medians; reference times exclude the file read;")
    print("the reference runs are those of every build at that size):")
    print()
    print("| N | syngeom build | reference runs | reference read s | reference ΔCDF + profile s | reference fits s "
          "| reference total s | syngeom scan wall s | ΔCDF + profile / scan wall | reference wall / scan wall |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for commit, n in scans:
        g = ref[n]

        def m(k):
            return statistics.median(float(r[k]) for r in g)

        scan = med[(commit, n, "scan")]
        print("| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f× | %.1f× |"
              % (fmt_n(n), commit, len(g), m("ref_read_s"), m("ref_geometry_s"), m("ref_fits_s"), m("ref_total_s"),
                 scan, m("ref_geometry_s") / scan, m("wall_s") / scan))


if __name__ == "__main__":
    main()
