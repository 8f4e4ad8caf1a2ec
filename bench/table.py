#!/usr/bin/env python3
"""Summarises bench/run.sh results as Markdown tables (standard library only).

Usage: table.py RESULTS.tsv [--svg FIGURE.svg]

RESULTS.tsv has one row per timed run: commit, n, command, run, wall_s,
max_rss_kb, load1, the reference's own timings (ref_read_s, ref_geometry_s,
ref_fits_s, ref_total_s; empty for syngeom rows), the command line and
cpu_s (user + system CPU seconds). Rows are grouped by build, size and
command; each group shows the median. With --svg, a figure of pairs per
second against N (log-log) for the newest build is written too.
"""

import csv
import math
import statistics
import sys

LABELS = {
    "scan": "test, geometry scan only (--bootstrap 0 --null-replicates 0)",
    "scan1": "the same scan on one core (GOMAXPROCS=1)",
    "test": "test (defaults)",
    "analyze": "analyze --quiet (defaults)",
    "reference": "numpy/scipy reference (bench/reference.py)",
}
ORDER = ["scan", "scan1", "test", "analyze", "reference"]
CORES_PROJECTED = 16


def count(n):
    return int(float(n))


def fmt_n(n):
    v = count(n)
    e = len(str(v)) - 1
    return "10^%d" % e if v == 10 ** e else str(v)


def fmt_rate(r):
    return "%.2f M" % (r / 1e6) if r >= 1e5 else "%.0f k" % (r / 1e3)


def cpu_of(r):
    v = r.get("cpu_s")
    return float(v) if v not in (None, "") else None


def main():
    args = sys.argv[1:]
    svg = None
    if "--svg" in args:
        i = args.index("--svg")
        svg = args[i + 1]
        del args[i:i + 2]
    with open(args[0]) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    groups = {}
    for r in rows:
        groups.setdefault((r["commit"], r["n"], r["command"]), []).append(r)
    keys = sorted({(c, n) for c, n, _ in groups}, key=lambda k: (count(k[1]), k[0]))

    print("| N | build | command | runs | median wall s (min–max) | rows/s | median CPU s | CPU ns per pair "
          "| median peak RSS | load avg 1 min (min–max) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    med = {}
    for commit, n in keys:
        for c in ORDER + sorted({k[2] for k in groups} - set(ORDER)):
            g = groups.get((commit, n, c))
            if not g:
                continue
            walls = [float(r["wall_s"]) for r in g]
            rss = [int(r["max_rss_kb"]) for r in g]
            loads = [float(r["load1"]) for r in g]
            cpus = [x for x in map(cpu_of, g) if x is not None]
            m = statistics.median(walls)
            med[(commit, n, c)] = m
            cpu, per = "–", "–"
            if cpus:
                mc = statistics.median(cpus)
                cpu, per = "%.2f" % mc, "%.0f" % (mc / count(n) * 1e9)
            print("| %s | %s | %s | %d | %.2f (%.2f–%.2f) | %s | %s | %s | %.0f MB | %.2f (%.2f–%.2f) |"
                  % (fmt_n(n), commit, LABELS.get(c, c), len(g), m, min(walls), max(walls),
                     fmt_rate(count(n) / m), cpu, per, statistics.median(rss) / 1024,
                     statistics.median(loads), min(loads), max(loads)))

    scaling(keys, med)
    reference(rows, keys, med)
    if svg and rows:
        # The build measured last: results.tsv is in the order of the runs.
        figure(svg, keys, med, rows[-1]["commit"])


def scaling(keys, med):
    """One core against all, and what the shard model projects for more.

    The passes split the pairs into shards that the cores work on
    independently, then merge; what does not split (start-up, the merge,
    the per-run fixed costs) is the serial fraction s. From the wall times
    on one core (T1) and on two (T2), T2 = T1 (s + (1 - s)/2) gives s, and
    Amdahl's law projects T16 = T1 (s + (1 - s)/16).
    """
    pairs = [(c, n) for c, n in keys if (c, n, "scan") in med and (c, n, "scan1") in med]
    if not pairs:
        return
    print()
    print("Scaling of the scan from one core to two, and the projection to %d cores by the shard model"
          % CORES_PROJECTED)
    print("(serial fraction s from T2 = T1·(s + (1 − s)/2); T%d = T1·(s + (1 − s)/%d)):" % (CORES_PROJECTED, CORES_PROJECTED))
    print()
    print("| N | build | one core wall s | two cores wall s | speed-up | serial fraction | projected %d-core wall s | projected speed-up |"
          % CORES_PROJECTED)
    print("|---|---|---|---|---|---|---|---|")
    for c, n in pairs:
        t1, t2 = med[(c, n, "scan1")], med[(c, n, "scan")]
        s = min(1.0, max(0.0, 2 * t2 / t1 - 1))
        t16 = t1 * (s + (1 - s) / CORES_PROJECTED)
        print("| %s | %s | %.2f | %.2f | %.2f× | %.2f | %.2f | %.1f× |" % (fmt_n(n), c, t1, t2, t1 / t2, s, t16, t1 / t16))


def reference(rows, keys, med):
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


def figure(path, keys, med, newest):
    """Pairs per second against N, log-log, one line per command, for the
    build newest (the one measured last)."""
    series = {}
    for c, n in keys:
        if c != newest:
            continue
        for cmd in ORDER:
            if (c, n, cmd) in med:
                series.setdefault(cmd, []).append((count(n), count(n) / med[(c, n, cmd)]))
    if not series:
        return
    w, h, left, right, top, bottom = 640, 400, 70, 220, 40, 50
    xs = [x for s in series.values() for x, _ in s]
    ys = [y for s in series.values() for _, y in s]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

    def px(x):
        return left + (math.log10(x) - x0) / (x1 - x0) * (w - left - right)

    def py(y):
        return h - bottom - (math.log10(y) - y0) / (y1 - y0) * (h - top - bottom)

    colors = {"scan": "#1b6ca8", "scan1": "#7fb3d5", "test": "#c0392b", "analyze": "#27ae60", "reference": "#555555"}
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (w, h),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="14">Pairs per second against N, build %s (whole processes, medians)</text>' % (left, newest)]
    for e in range(x0, x1 + 1):
        x = px(10 ** e)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, top, x, h - bottom))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">10^%d</text>' % (x, h - bottom + 18, e))
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y, w - right, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">10^%d</text>' % (left - 6, y + 4, e))
    out.append('<text x="%d" y="%d" text-anchor="middle">N (pairs)</text>' % ((left + w - right) // 2, h - 12))
    out.append('<text x="16" y="%d" transform="rotate(-90 16 %d)" text-anchor="middle">pairs per second</text>' % (h // 2, h // 2))
    for i, cmd in enumerate(c for c in ORDER if c in series):
        pts = sorted(series[cmd])
        col = colors.get(cmd, "#000")
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                   % (col, " ".join("%.1f,%.1f" % (px(x), py(y)) for x, y in pts)))
        for x, y in pts:
            out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (px(x), py(y), col))
        ly = top + 10 + 18 * i
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>' % (w - right + 12, ly, w - right + 32, ly, col))
        out.append('<text x="%d" y="%d">%s</text>' % (w - right + 38, ly + 4, {"scan": "scan, 2 cores", "scan1": "scan, 1 core",
                                                                                 "reference": "numpy reference"}.get(cmd, cmd)))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
