#!/usr/bin/env bash
# experiment.mpi: `mpirun -np 2 wijksim experiment` gives the same store content as a
# single-process batch (compared by key through `wijksim export`, wall times left out).
# usage: mpi_test.sh WIJKSIM MPIEXEC SCENARIO WORKDIR
set -euo pipefail
wijksim="$1" mpiexec="$2" scenario="$3" work="$4"
rm -rf "$work"
mkdir -p "$work"
cp "$scenario" "$work/hengelo-noord.json"
cat > "$work/exp.json" <<'JSON'
{"scenario": "hengelo-noord.json", "years": 0.5, "replicates": 3, "seed": 7,
 "outcomes": ["active_share", "unsafe_share"],
 "variants": [{"name": "baseline"}, {"name": "no-leader", "set": {"building_blocks.process_leadership": 0}}]}
JSON
"$wijksim" experiment "$work/exp.json" --out "$work/single" --threads 2 --progress none
"$mpiexec" -np 2 --oversubscribe "$wijksim" experiment "$work/exp.json" --out "$work/mpi" --threads 1 --progress none
for d in single mpi; do
  "$wijksim" export "$work/$d" > /dev/null
  # runs.csv without wall_seconds (column 12)
  cut -d, -f1-11,13- "$work/$d/runs.csv" > "$work/$d/runs-nowall.csv"
done
cmp "$work/single/outcomes.csv" "$work/mpi/outcomes.csv"
cmp "$work/single/runs-nowall.csv" "$work/mpi/runs-nowall.csv"
n=$(wc -l < "$work/mpi/outcomes.csv")
[ "$n" -gt 1 ] || { echo "no outcome rows" >&2; exit 1; }
# Both ranks wrote their own shard store.
[ -f "$work/mpi/mpi/rank-0-of-2/results.sqlite" ] && [ -f "$work/mpi/mpi/rank-1-of-2/results.sqlite" ]
echo "mpi: 2 ranks == single process ($n outcome lines)"
