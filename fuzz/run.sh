#!/usr/bin/env bash
# Builds the fuzz preset (clang, libFuzzer + ASan + UBSan) and runs every harness for a bounded
# time over a scratch copy of its committed corpus plus its regression inputs.
#   bash fuzz/run.sh [SECONDS_PER_HARNESS] [HARNESS...]     (default 45 s, every harness)
# FUZZ_JOBS (default 2) harnesses run at once. A crash, sanitizer report, leak, timeout (10 s
# per input) or out-of-memory (2 GiB) fails the script; the input is saved in build/fuzz/findings/
# and becomes fuzz/regressions/<harness>/ once fixed. The committed corpus is never grown here:
# to add what a long run found, minimise it by hand (-merge=1) into fuzz/corpus/<harness>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-45}"
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(scenario experiment set_override cbs_import)
jobs="${FUZZ_JOBS:-2}"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

findings=build/fuzz/findings
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$findings"

run_one() {
  local name=$1
  local corpus="$scratch/$name"
  mkdir -p "$corpus"
  cp fuzz/corpus/"$name"/* "$corpus"/
  # The first folder receives new inputs (the scratch copy); the regressions are only read.
  if build/fuzz/fuzz/fuzz_"$name" "$corpus" fuzz/regressions/"$name" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
      -artifact_prefix="$findings/$name-" -print_final_stats=1 >"$scratch/$name.log" 2>&1; then
    echo "fuzz: $name ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/$name.log" | grep -o '[0-9]*$') inputs in ${seconds} s)"
  else
    echo "fuzz: $name FAILED; log follows, inputs in $findings/"
    tail -n 60 "$scratch/$name.log"
    return 1
  fi
}

status=0
pids=()
for name in "${harnesses[@]}"; do
  run_one "$name" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
