#!/usr/bin/env bash
# Benchmark harness of syngeom: generates paired-weight Parquet files, times
# `syngeom test` and `syngeom analyze` on them under /usr/bin/time -v, runs
# the numpy/scipy reference (bench/reference.py) on the same numbers, checks
# that both give the same values and prints the results table.
#
# Usage: bench/run.sh [--large]      (--large adds 10^8 pairs; see bench/README.md)
#
# Environment (all optional):
#   BENCH_OUT       output directory (default bench/out)
#   BENCH_SIZES     pair counts (default "1e6 1e7"; --large or BENCH_LARGE=1 appends 1e8)
#   BENCH_REPS      runs of each syngeom command per size (default 3; the table shows the median)
#   BENCH_REF_REPS  runs of the numpy reference per size (default 3; 0 skips it)
#   BENCH_COMMANDS  which syngeom commands to time, from "scan scan1 test analyze sim" (default all five;
#                   scan1 is scan on one core, GOMAXPROCS=1, for the scaling from one core to all;
#                   sim runs the scan's passes shard by shard on one core, bench/shardsim, once a
#                   size, and projects the wall time on more cores than the machine has)
#   BENCH_SIM_SHARDS  shards of the simulation (default 16; their files are generated beside the others)
#   BENCH_STREAM    1 adds --stream to test and analyze (the default path streams wide pairs by itself)
#   BENCH_SHARDS    Parquet files per size (default 1)
#   BENCH_SEED      generator seed (default 1)
#   BENCH_COMMIT    label of the measured build (default: git describe of the tree, "-dirty" if modified)
#   PYTHON          interpreter with numpy and scipy (default: the first python3 that imports them)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

sizes=${BENCH_SIZES:-"1e6 1e7"}
if [[ "${1:-}" == "--large" || "${BENCH_LARGE:-0}" == 1 ]]; then
	sizes="$sizes 1e8"
elif [[ $# -gt 0 ]]; then
	echo "usage: bench/run.sh [--large]" >&2
	exit 2
fi
out=${BENCH_OUT:-bench/out}
reps=${BENCH_REPS:-3}
ref_reps=${BENCH_REF_REPS:-3}
commands=${BENCH_COMMANDS:-"scan scan1 test analyze sim"}
sim_shards=${BENCH_SIM_SHARDS:-16}
shards=${BENCH_SHARDS:-1}
seed=${BENCH_SEED:-1}
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)

# run echoes a command exactly as it is executed, then executes it.
run() {
	printf '+'
	printf ' %q' "$@"
	printf '\n'
	"$@"
}

if [[ ! -x /usr/bin/time ]]; then
	echo "/usr/bin/time is missing; installing the Debian package time" >&2
	if [[ $(id -u) == 0 ]]; then
		run apt-get update
		run apt-get install -y time
	else
		run sudo apt-get update
		run sudo apt-get install -y time
	fi
fi

py=${PYTHON:-}
if [[ -n "$py" ]] && ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
	echo "PYTHON=$py cannot import numpy and scipy" >&2
	exit 2
fi
if [[ -z "$py" ]]; then
	for cand in python3 /usr/bin/python3; do
		if command -v "$cand" >/dev/null && "$cand" -c 'import numpy, scipy' 2>/dev/null; then
			py=$cand
			break
		fi
	done
fi
if [[ -z "$py" ]]; then
	echo "no python3 with numpy and scipy; install python3-numpy python3-scipy (or set PYTHON)." >&2
	echo "Continuing without the reference." >&2
	have_numpy=0
	ref_reps=0
	py=python3 # the table needs only the standard library
else
	have_numpy=1
fi

commit=${BENCH_COMMIT:-$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)}
bin="$out/syngeom"
run go build -o "$bin" ./cmd/syngeom
run go build -o "$out/gen" ./bench/gen
run go build -o "$out/shardsim" ./bench/shardsim

# The default path is measured: it streams a wide table of pairs by itself.
stream_test="" stream_analyze=""
if [[ ${BENCH_STREAM:-0} == 1 ]]; then
	stream_test="--stream" stream_analyze="--stream"
fi

# Runs accumulate in results.tsv (delete it to start over); the table groups
# them by build, size and command.
results="$out/results.tsv"
header=$'commit\tn\tcommand\trun\twall_s\tmax_rss_kb\tload1\tref_read_s\tref_geometry_s\tref_fits_s\tref_total_s\tcmdline\tcpu_s'
if [[ -s "$results" && "$(head -n 1 "$results")" != "$header" ]]; then
	echo "$results has the columns of an older harness; moved to $results.old" >&2
	mv "$results" "$results.old"
fi
if [[ ! -s "$results" ]]; then
	printf '%s\n' "$header" >"$results"
fi

# timed LABEL N RUN REFJSON CMD...: runs CMD under /usr/bin/time -v (stdout
# discarded), appending wall time, peak RSS and the 1-minute load average to
# the results, and the reference's own timings when REFJSON is not "-".
timed() {
	local label=$1 n=$2 i=$3 refjson=$4
	shift 4
	local log="$out/logs/$label-$n-$i.time"
	local load
	load=$(cut -d' ' -f1 /proc/loadavg)
	printf '+ [load %s] /usr/bin/time -v' "$load"
	printf ' %q' "$@"
	printf ' >/dev/null\n'
	if ! /usr/bin/time -v -o "$log" "$@" >/dev/null; then
		echo "FAILED ($label, n = $n, run $i): $*" >&2
		tail -n 25 "$log" >&2
		exit 1
	fi
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (j = 1; j <= n; j++) s = s * 60 + p[j]
		print s }' "$log")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
	local cpu
	cpu=$(awk -F': ' '/User time \(seconds\)/ {u = $2} /System time \(seconds\)/ {s = $2} END {printf "%.2f", u + s}' "$log")
	local reftimes=$'\t\t\t'
	if [[ $refjson != - ]]; then
		reftimes=$("$py" -c 'import json, sys
t = json.load(open(sys.argv[1]))["times"]
print("\t".join("%.4f" % t[k] for k in ("read", "geometry", "fits", "total")))' "$refjson")
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$commit" "$n" "$label" "$i" "$wall" "$rss" "$load" "$reftimes" "$*" "$cpu" >>"$results"
}

check_failed=""
for n in $sizes; do
	prefix="$out/pairs_$n"
	stamp="$prefix.args"
	gen_args=(--n "$n" --out "$prefix" --shards "$shards" --seed "$seed")
	if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${gen_args[*]}" ]]; then
		rm -f "$stamp" "$out/reference_${n}_"*.json
		run /usr/bin/time -f "generated in %e s, peak RSS %M KB" "$out/gen" "${gen_args[@]}"
		echo "${gen_args[*]}" >"$stamp"
	fi
	if [[ $shards == 1 ]]; then
		files=("$prefix.parquet")
	else
		files=("$prefix"-*-of-"$(printf %03d "$shards")".parquet)
	fi
	cols=(--before w0 --after w1)
	for c in $commands; do
		if [[ $c == sim ]]; then
			# The same law and seed in sim_shards files, each pass of each
			# shard timed alone on one core.
			sim_prefix="$out/sim_pairs_$n"
			sim_args=(--n "$n" --out "$sim_prefix" --shards "$sim_shards" --seed "$seed" --no-raw)
			if [[ ! -f "$sim_prefix.args" || "$(cat "$sim_prefix.args")" != "${sim_args[*]}" ]]; then
				run "$out/gen" "${sim_args[@]}"
				echo "${sim_args[*]}" >"$sim_prefix.args"
			fi
			{
				echo "build $commit, n = $n:"
				run "$out/shardsim" "${cols[@]}" --bootstrap 0 --null-replicates 0 "$sim_prefix"-*-of-"$(printf %03d "$sim_shards")".parquet
			} | tee "$out/sim_$n.txt"
			continue
		fi
		for ((i = 1; i <= reps; i++)); do
			case $c in
			scan) timed scan "$n" "$i" - "$bin" test "${files[@]}" "${cols[@]}" --bootstrap 0 --null-replicates 0 --json "$out/scan_$n.json" $stream_test ;;
			scan1) timed scan1 "$n" "$i" - env GOMAXPROCS=1 "$bin" test "${files[@]}" "${cols[@]}" --bootstrap 0 --null-replicates 0 --json "$out/scan1_$n.json" $stream_test ;;
			test) timed test "$n" "$i" - "$bin" test "${files[@]}" "${cols[@]}" --json "$out/test_$n.json" $stream_test ;;
			analyze) timed analyze "$n" "$i" - "$bin" analyze "${files[@]}" "${cols[@]}" --json "$out/analyze_$n.json" --quiet $stream_analyze ;;
			*)
				echo "unknown command $c in BENCH_COMMANDS (want scan, scan1, test, analyze, sim)" >&2
				exit 2
				;;
			esac
		done
	done
	# The reference holds about 70 bytes per pair (columns, logs, scratch); ask
	# for 100.
	need_kb=$(awk -v n="$n" 'BEGIN { printf "%d", n * 100 / 1024 }')
	avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
	n_ref=$ref_reps
	if ((n_ref > 0 && avail_kb < need_kb)); then
		echo "skipping the reference at n = $n: it needs about $((need_kb / 1024)) MB, $((avail_kb / 1024)) MB available" >&2
		n_ref=0
	fi
	for ((i = 1; i <= n_ref; i++)); do
		timed reference "$n" "$i" "$out/reference_${n}_$i.json" "$py" bench/reference.py "$prefix" --json "$out/reference_${n}_$i.json"
	done
	# The values check: the reference against syngeom's JSON of the same file.
	# (with BENCH_REF_REPS=0, the values of an earlier reference run are used)
	if ((have_numpy)) && [[ -f "$out/reference_${n}_1.json" ]]; then
		check=()
		[[ -f "$out/scan_$n.json" && " $commands " == *" scan "* ]] && check+=(--compare "$out/scan_$n.json")
		[[ -f "$out/analyze_$n.json" && " $commands " == *" analyze "* ]] && check+=(--compare-analyze "$out/analyze_$n.json")
		if ((${#check[@]} > 0)); then
			if ! run "$py" bench/reference.py "$prefix" --values "$out/reference_${n}_1.json" "${check[@]}" | tee "$out/check_$n.txt"; then
				check_failed="$check_failed $n"
			fi
		fi
	fi
done

echo
echo "build $commit, $(go version | cut -d' ' -f3), $(nproc) cores; table from $results"
run "$py" bench/table.py "$results" --svg "$out/scaling.svg"
if [[ " $commands " == *" sim "* ]]; then
	echo
	echo "The scan on more cores, simulated shard by shard (bench/shardsim):"
	for n in $sizes; do
		cat "$out/sim_$n.txt"
	done
fi
if [[ -n "$check_failed" ]]; then
	echo "VALUES DISAGREE between syngeom and the reference at n =$check_failed (see $out/check_*.txt)" >&2
	exit 1
fi
