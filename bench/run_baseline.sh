#!/usr/bin/env bash
# Runs the benchmark suite and writes bench/baseline.json (medians of 3 repetitions) and
# bench/baseline.png (items/s against city size, one line per thread count).
#
# Usage: bench/run_baseline.sh [BUILD_DIR] [extra benchmark flags...]
#   BUILD_DIR defaults to build/release (relative to the repository root); it must be a
#   Release build with the benchmarks enabled (WIJKSIM_BUILD_BENCH=ON, the default).
#   Extra flags are passed on, e.g. --benchmark_filter=BM_WeeklyStep/ .
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-build/release}"
shift || true
case "$build" in /*) ;; *) build="$root/$build" ;; esac
exe="$build/bench/wijksim_bench"

if [[ ! -x "$exe" ]]; then
  echo "error: $exe not found or not executable." >&2
  echo "Build it first, e.g.:" >&2
  echo "  cmake --preset release && cmake --build build/release --target wijksim_bench -j2" >&2
  exit 2
fi
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)"
if [[ "$build_type" != "Release" ]]; then
  echo "warning: $build is a '${build_type:-unknown}' build, not Release: timings are not comparable." >&2
fi

cd "$root"
load="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
echo "load average before the run: $load (other work on the machine skews the timings)" >&2

"$exe" \
  --benchmark_out=bench/baseline.json \
  --benchmark_out_format=json \
  --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true \
  "$@"

# The plot tool draws every family on one axis with the second numeric argument as the thread
# count, so BM_Build (adults built/s) and BM_CrossBuurtTies (third argument: cross-buurt %,
# whose two variants it would merge into one point) are left out of the picture: it shows the
# step families only. All families stay in baseline.json.
plot_json="$(mktemp --suffix=.json)"
trap 'rm -f "$plot_json"' EXIT
/usr/bin/python3 - bench/baseline.json "$plot_json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
keep = ("BM_WeeklyStep/", "BM_WeeklyStepBaseline/")
doc["benchmarks"] = [b for b in doc["benchmarks"] if b.get("name", "").startswith(keep)]
json.dump(doc, open(sys.argv[2], "w", encoding="utf-8"))
PY
/usr/bin/python3 tools/plot/wijksim_plot.py bench "$plot_json" --out bench/baseline.png
echo "wrote bench/baseline.json and bench/baseline.png" >&2
