#!/usr/bin/env bash
# Macro benchmark: whole `wijksim run`s, timed from outside (wall time and peak RSS from
# /usr/bin/time -v) with the engine's own per-phase timers from each manifest.
#   bash bench/macro.sh [BUILD_DIR] [--netherlands]
# Cases: hengelo-noord (10 replicates, 2 threads), the 1M benchmark city (bench/city-1m.json,
# 10 years, 1 and 2 threads) and, with --netherlands, every buurt of the country
# (scenarios/netherlands.json: 15.2M adults, 10 years, 2 threads; about 2 GB and several minutes).
# Writes bench/macro.json (one entry per case). Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
nl=0
for a in "$@"; do
  case "$a" in
    --netherlands) nl=1 ;;
    *) build="$a" ;;
  esac
done
wijksim="$build/engine/wijksim"
[ -x "$wijksim" ] || { echo "macro: $wijksim not built (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "macro: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cases=("hengelo-noord|scenarios/hengelo-noord.json|2|--replicates 10"
       "city-1m-1-thread|bench/city-1m.json|1|"
       "city-1m-2-threads|bench/city-1m.json|2|")
[ "$nl" = 1 ] && cases+=("netherlands|scenarios/netherlands.json|2|")

entries=()
for c in "${cases[@]}"; do
  IFS='|' read -r name scenario threads extra <<<"$c"
  echo "macro: $name ..." >&2
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/$name.time" "$wijksim" run "$scenario" --out "$work/$name" --threads "$threads" \
    --force --quiet $extra >/dev/null
  entries+=("$(/usr/bin/python3 - "$work/$name.time" "$work/$name/manifest.json" "$name" "$scenario" "$threads" <<'PY'
import json, re, sys
time_file, manifest_file, name, scenario, threads = sys.argv[1:]
text = open(time_file).read()
wall = text.split("Elapsed (wall clock) time (h:mm:ss or m:ss):")[1].split("\n")[0].strip()
parts = [float(p) for p in wall.split(":")]
seconds = sum(p * 60 ** (len(parts) - 1 - i) for i, p in enumerate(parts))
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
m = json.load(open(manifest_file))
timing = m["timing"]
weeks = m["weeks"] + m["burn_in_weeks"]
print(json.dumps({"name": name, "scenario": scenario, "threads": int(threads), "replicates": m["replicates"],
                  "weeks_simulated": weeks, "wall_seconds": round(seconds, 2), "peak_rss_bytes": rss_kb * 1024,
                  "resident_state_bytes": timing["resident_state_bytes"],
                  "build_seconds": round(timing["phase_cpu_seconds"]["build"], 3),
                  "phase_cpu_seconds": {k: round(v, 3) for k, v in timing["phase_cpu_seconds"].items()},
                  "engine": m["engine"].get("git_revision", "")}))
PY
)")
done
{
  echo "{\"context\": {\"date\": \"$(date -u +%FT%TZ)\", \"host\": \"$(hostname)\", \"load_avg\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"},"
  echo " \"runs\": ["
  for i in "${!entries[@]}"; do
    sep=","; [ "$i" -eq $((${#entries[@]} - 1)) ] && sep=""
    echo "  ${entries[$i]}$sep"
  done
  echo " ]}"
} > bench/macro.json
/usr/bin/python3 -c "
import json
d = json.load(open('bench/macro.json'))
for r in d['runs']:
    print(f\"{r['name']:20s} {r['threads']} thread(s)  wall {r['wall_seconds']:8.1f} s  peak RSS {r['peak_rss_bytes']/2**30:6.2f} GiB  build {r['build_seconds']:6.2f} s\")
"
echo "macro: wrote bench/macro.json" >&2
