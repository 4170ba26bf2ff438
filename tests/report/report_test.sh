#!/usr/bin/env bash
# The report end to end: a tiny real experiment, `wijksim report` in Dutch and English, the
# bad-input cases, and (stage "browser") the Dutch report opened in headless Chromium.
#   report_test.sh WIJKSIM SOURCE_DIR WORK_DIR setup|errors|browser
set -euo pipefail
wijksim=$1 src=$2 work=$3 stage=$4
exp=$work/exp sens=$work/sens

case "$stage" in
setup)
  rm -rf "$work" && mkdir -p "$work"
  "$wijksim" experiment "$src/tests/report/tiny-experiment.json" --out "$exp" --threads 2 --progress none
  "$wijksim" experiment "$src/tests/report/tiny-morris.json" --out "$sens" --threads 2 --progress none
  "$wijksim" report "$exp" --out "$work/report-nl.html" --lang nl --sensitivity "$sens" --bench "$src/bench/baseline.json"
  "$wijksim" report "$exp" --out "$work/report-en.html" --lang en
  # The report refreshed what it needs: comparison, sensitivity and the context file.
  for f in "$exp/comparison.json" "$exp/report_context.json" "$sens/sensitivity.json"; do
    [ -s "$f" ] || { echo "FAIL: $f not written"; exit 1; }
  done
  grep -q "actieve bewoners" "$work/report-nl.html"
  grep -q "voelt zich weleens onveilig" "$work/report-nl.html"
  grep -q "Omslagpunt" "$work/report-nl.html"
  grep -q "Assumptions register" "$work/report-en.html"
  "$wijksim" plot ranking "$exp" --out "$work/ranking.svg" --lang en
  [ -s "$work/ranking.svg" ]
  # The benchmark chart only with --bench.
  grep -q "Rekensnelheid" "$work/report-nl.html"
  if grep -q "Engine speed" "$work/report-en.html"; then echo "FAIL: benchmark chart without --bench"; exit 1; fi
  # Without parameter uncertainty the report says its intervals are simulation noise only;
  # with it, it says per scenario in how many plausible parameter sets which one wins.
  grep -q 'id="noise-only"' "$work/report-nl.html"
  "$wijksim" experiment "$src/tests/report/tiny-uncertainty.json" --out "$work/unc" --threads 2 --progress none
  "$wijksim" report "$work/unc" --out "$work/unc-nl.html" --lang nl
  "$wijksim" report "$work/unc" --out "$work/unc-en.html" --lang en
  grep -q "van de plausibele parametersets is" "$work/unc-nl.html"
  grep -q "of the plausible parameter sets" "$work/unc-en.html"
  if grep -q 'id="noise-only"' "$work/unc-nl.html"; then echo "FAIL: noise-only note with parameter uncertainty"; exit 1; fi
  # A run folder reports too (one variant, no comparisons).
  "$wijksim" run "$src/tests/report/tiny-scenario.json" --out "$work/run" --replicates 2 --quiet --force
  "$wijksim" report "$work/run" --out "$work/run.html"
  grep -q "Verloop per scenario" "$work/run.html"
  # The metric catalogue: one list, for people (md) and tools (json); export's data dictionary.
  "$wijksim" metrics --format json | /usr/bin/python3 -c 'import json,sys; m={x["name"]: x for x in json.load(sys.stdin)["metrics"]}; assert m["unsafe_share"]["better"] == "lower" and m["staff_euros"]["unit"] == "euros"'
  catalogue=$("$wijksim" metrics)
  grep -q '| `active_share` | share | higher |' <<<"$catalogue"
  "$wijksim" export "$exp" >/dev/null
  head -1 "$exp/metrics.csv" | grep -q '^metric,unit,better,scope,meaning'
  # Half a store (one shard of two): compare warns, the report says so on top.
  "$wijksim" experiment "$src/tests/report/tiny-experiment.json" --out "$work/half" --shard 0/2 --threads 2 --progress none
  compared=$("$wijksim" compare "$work/half" 2>&1)
  grep -q "warning: incomplete store" <<<"$compared"
  "$wijksim" report "$work/half" --out "$work/half.html"
  grep -q 'id="incomplete"' "$work/half.html"
  ;;
errors)
  # Each case: exit status 2, a message naming the problem, no output file.
  expect() {
    local want=$1 pattern=$2; shift 2
    local out rc=0
    out=$("$wijksim" "$@" 2>&1) || rc=$?
    if [ "$rc" -ne "$want" ] || ! grep -q -- "$pattern" <<<"$out"; then
      echo "FAIL: wijksim $*: exit $rc (want $want), output: $out"; exit 1
    fi
    if ls "$work"/bad* >/dev/null 2>&1; then echo "FAIL: wijksim $*: left an output file"; exit 1; fi
  }
  mkdir -p "$work/empty"
  expect 2 "folder not found" report "$work/missing" --out "$work/bad.html"
  expect 2 "results.sqlite" report "$work/empty" --out "$work/bad.html"
  expect 2 "expected nl or en" report "$exp" --out "$work/bad.html" --lang fr
  expect 2 "does not exist" report "$exp" --out "$work/no-such-folder/bad.html"
  expect 2 "missing, expected --out" report "$exp"
  expect 2 "is a folder" report "$exp" --out "$work/empty"
  expect 2 "not recorded" plot diff "$exp" --metric incidents --out "$work/bad.png"
  expect 2 "ending in .html" report "$exp" --out "$work/bad.pdf"
  expect 2 'did you mean "stoppen"' experiment "$src/tests/report/bad-contrasts.json" --out "$work/bad-exp" --dry-run
  expect 2 "smallest_effect" experiment "$src/tests/report/bad-contrasts.json" --out "$work/bad-exp" --dry-run
  expect 2 "expected md, json or csv" metrics --format xml
  echo "errors: all bad inputs refused with exit 2 and no output"
  ;;
browser)
  /usr/bin/python3 "$src/tests/report/browser_check.py" "$work/report-nl.html" \
    --screenshot "$work/report-nl.png" --min-images 10 --section kernpunten
  /usr/bin/python3 "$src/tests/report/browser_check.py" "$work/unc-nl.html" \
    --screenshot "$work/unc-nl.png" --min-images 8 --section parameter-uncertainty
  ;;
*) echo "unknown stage $stage" >&2; exit 2 ;;
esac
