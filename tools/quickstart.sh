#!/usr/bin/env bash
# One-command set-up for a fresh Debian 12 machine.
#   bash tools/quickstart.sh demo   install what is missing, build, run hengelo-noord, plot it
#   bash tools/quickstart.sh test   install what is missing, build, run every test
# Everything comes from Debian's packages; nothing is downloaded at build or run time.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
case "$mode" in demo|test) ;; *) echo "usage: bash tools/quickstart.sh demo|test" >&2; exit 2 ;; esac

packages=(g++ cmake ninja-build git pkg-config
          libeigen3-dev libboost-random-dev libboost-dev nlohmann-json3-dev catch2 libbenchmark-dev
          libsqlite3-dev libnlopt-dev libnlopt-cxx-dev libcli11-dev python3-matplotlib python3-pytest libopenmpi-dev openmpi-bin
          python3-dev pybind11-dev python3-numpy python3-pandas  # the Python module (python/)
          chromium  # chromium: the report test opens the HTML report headless
          libcpp-httplib-dev libjs-chart.js  # wijksim serve: HTTP server, charts on its page
          clang libclang-rt-14-dev  # clang + libFuzzer runtime: the fuzz harnesses (fuzz/)
          ccache)  # compiler cache: rebuilds (and the four presets' shared sources) compile once

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "quickstart: all packages present"
    return
  fi
  echo "quickstart: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}

build() {
  # ccache with paths relative to the checkout, so another clone of the same tree hits the cache.
  if command -v ccache > /dev/null; then
    export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$PWD"
  fi
  cmake --preset release
  cmake --build --preset release -j "$(nproc)"
}

install_missing
build

if [ "$mode" = demo ]; then
  out=out/hengelo-noord
  ./build/release/engine/wijksim run scenarios/hengelo-noord.json --out "$out" --replicates 10 --force
  /usr/bin/python3 tools/plot/wijksim_plot.py fan "$out" --out "$out/fan.png" \
    --metrics active_share unsafe_share mean_trust
  echo "quickstart: results in $out (manifest.json, timeseries.csv, summary.json, fan.png)"
else
  ctest --preset release --output-on-failure -j 2
  # Sanitizers. AddressSanitizer + UBSan over the whole suite but the slow pattern ensembles and
  # the Python-side tests (plots, report, docs, the Python module: their C++ paths run in the
  # release suite);
  # ThreadSanitizer over the tests that run threads (replicates, buurten, experiment batches,
  # the pool itself). Any finding fails the test and so this script (set -e).
  stamp() { date +%s; }
  t0=$(stamp)
  cmake --preset asan
  cmake --build --preset asan -j "$(nproc)"
  ctest --preset asan -j 2 -LE '^(plot|report|docs|python)$'
  t1=$(stamp)
  cmake --preset tsan
  cmake --build --preset tsan -j "$(nproc)"
  ctest --preset tsan -j 2 -LE mpi -R '^(repro|experiment)\.|^unit\.(the pool|parallel_for|several threads|exceptions thrown)|^hardening\.crash|^serve\.api$'
  t2=$(stamp)
  echo "quickstart: sanitizers passed (asan+ubsan $((t1 - t0)) s, tsan $((t2 - t1)) s)"
  # Fuzzing (clang, libFuzzer + ASan + UBSan): each parser's harness for a bounded time over a
  # copy of its seed corpus plus its regression inputs. Any finding fails this script.
  bash fuzz/run.sh "${WIJKSIM_FUZZ_SECONDS:-30}"
  t3=$(stamp)
  echo "quickstart: fuzzing passed ($((t3 - t2)) s)"
fi
