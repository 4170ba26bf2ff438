#!/usr/bin/env bash
# Compares the weekly step of two or more builds on the same machine in the same run,
# interleaved (A, B, ..., A, B, ...), so drift in the machine's load hits every build alike.
# Writes the medians over all repetitions of each build and each build's ratio to the first
# (see bench/README.md, "Model v2 against the commit before it").
#
# Usage: bench/compare_step.sh OUT_JSON ROUNDS REPS FILTER NAME=BUILD_DIR NAME=BUILD_DIR...
#   OUT_JSON   summary: per build every repetition's real and CPU time, medians, ns per
#              resident-step, bytes per resident, per-phase medians; the per-process Google
#              Benchmark files are kept in OUT_JSON.d/
#   ROUNDS     rounds over all builds (e.g. 7)
#   REPS       Google Benchmark repetitions per process (e.g. 3)
#   FILTER     benchmark filter matching one benchmark, e.g. 'BM_WeeklyStep/1000000/1/'
#   NAME=DIR   a Release build directory holding bench/wijksim_bench; the first is the base
set -euo pipefail

out="${1:?output json}"
rounds="${2:?rounds}"
reps="${3:?repetitions}"
filter="${4:?benchmark filter}"
shift 4
(($# >= 2)) || { echo "error: give at least two NAME=BUILD_DIR" >&2; exit 2; }
names=() dirs=()
for arg in "$@"; do
  names+=("${arg%%=*}")
  dirs+=("${arg#*=}")
  [[ -x "${arg#*=}/bench/wijksim_bench" ]] || { echo "error: ${arg#*=}/bench/wijksim_bench not found" >&2; exit 2; }
done
raw="$out.d"
rm -rf "$raw"
mkdir -p "$raw"

for ((r = 1; r <= rounds; ++r)); do
  for k in "${!names[@]}"; do
    echo "round $r/$rounds: ${names[$k]} (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    "${dirs[$k]}/bench/wijksim_bench" --benchmark_filter="$filter" --benchmark_repetitions="$reps" \
      --benchmark_out="$raw/${names[$k]}-$r.json" --benchmark_out_format=json >/dev/null
  done
done

/usr/bin/python3 - "$raw" "$out" "$rounds" "$reps" "$filter" "${names[@]}" <<'PY'
import glob, json, statistics, sys
raw, out, rounds, reps, flt, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6:]
res = {}
for name in names:
    rows, rev, loads = [], None, []
    for r in range(1, rounds + 1):
        doc = json.load(open(f"{raw}/{name}-{r}.json", encoding="utf-8"))
        rev = doc["context"].get("wijksim_git_revision")
        loads.append(doc["context"].get("load_avg", [None])[0])
        rows += [b for b in doc["benchmarks"] if b.get("run_type") == "iteration"]
    med = lambda k: statistics.median(b[k] for b in rows)
    adults = rows[0]["adults"]
    to_ns = {"ms": 1e6, "us": 1e3, "ns": 1.0}[rows[0]["time_unit"]]
    res[name] = {
        "revision": rev,
        "repetitions": len(rows),
        "load_avg_at_start": loads,
        "real_time_ms": [round(b["real_time"] * to_ns / 1e6, 3) for b in rows],
        "cpu_time_ms": [round(b["cpu_time"] * to_ns / 1e6, 3) for b in rows],
        "median_real_time_ms": med("real_time") * to_ns / 1e6,
        "median_cpu_time_ms": med("cpu_time") * to_ns / 1e6,
        "adults": adults,
        "median_ns_per_resident_step": med("real_time") * to_ns / adults,
        "median_cpu_ns_per_resident_step": med("cpu_time") * to_ns / adults,
        "bytes_per_resident": rows[0]["bytes_per_resident"],
        "rss_per_resident": med("rss_per_resident"),
        "median_ns_per_phase": {k[3:]: round(statistics.median(b[k] for b in rows), 2)
                                for k in sorted(rows[0]) if k.startswith("ns_")},
    }
base = res[names[0]]
summary = {
    "filter": flt, "rounds": rounds, "repetitions_per_process": reps, "base": names[0],
    "runs": res,
    "ratio_to_base": {n: {"real_time": res[n]["median_real_time_ms"] / base["median_real_time_ms"],
                          "cpu_time": res[n]["median_cpu_time_ms"] / base["median_cpu_time_ms"]}
                      for n in names[1:]},
}
json.dump(summary, open(out, "w", encoding="utf-8"), indent=2)
for n in names:
    r = res[n]
    print(f"{n} ({r['revision']}): median real {r['median_real_time_ms']:.2f} ms = {r['median_ns_per_resident_step']:.1f} ns "
          f"per resident-step, CPU {r['median_cpu_time_ms']:.2f} ms = {r['median_cpu_ns_per_resident_step']:.1f} ns, "
          f"{r['bytes_per_resident']:.0f} B/resident, {r['repetitions']} repetitions")
for n, q in summary["ratio_to_base"].items():
    print(f"{n} / {names[0]}: real {q['real_time']:.3f}, CPU {q['cpu_time']:.3f}")
PY
