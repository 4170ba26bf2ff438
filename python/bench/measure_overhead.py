#!/usr/bin/python3
"""What a Python call adds to the engine: wijksim.run against `wijksim run` on the same run.

    PYTHONPATH=build/release/python /usr/bin/python3 python/bench/measure_overhead.py \
        [--cli build/release/engine/wijksim] [--scenario scenarios/hengelo-noord.json]
        [--replicates 10] [--threads 2] [--repeats 7]

Alternates CLI and Python runs (the machine is shared: alternating spreads its noise over
both) and reports medians of
  - the CLI's engine time: timing.wall_seconds of its manifest (the replicates, no loading or writing),
  - the CLI process: start to exit, loading the scenario and writing the run folder included,
  - the Python call: wijksim.run(...) from call to returned DataFrame,
with CPU seconds (every thread) beside each, and the Python call's excess over the CLI's
engine time in per cent.
"""
import argparse
import json
import os
import pathlib
import resource
import statistics
import subprocess
import tempfile
import time

import wijksim

REPO = pathlib.Path(__file__).resolve().parents[2]


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", default=str(REPO / "build/release/engine/wijksim"))
    ap.add_argument("--scenario", default=str(REPO / "scenarios/hengelo-noord.json"))
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()

    rows = {k: [] for k in ("cli_engine", "cli_process", "cli_cpu", "py_call", "py_engine", "py_cpu")}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run")
        for _ in range(args.repeats):
            c0, t0 = cpu_children(), time.perf_counter()
            subprocess.run([args.cli, "run", args.scenario, "--replicates", str(args.replicates), "--threads",
                            str(args.threads), "--quiet", "--force", "--out", out], check=True, capture_output=True)
            rows["cli_process"].append(time.perf_counter() - t0)
            rows["cli_cpu"].append(cpu_children() - c0)
            rows["cli_engine"].append(json.load(open(os.path.join(out, "manifest.json")))["timing"]["wall_seconds"])

            c0, t0 = cpu_self(), time.perf_counter()
            df = wijksim.run(args.scenario, replicates=args.replicates, threads=args.threads)
            rows["py_call"].append(time.perf_counter() - t0)
            rows["py_cpu"].append(cpu_self() - c0)
            rows["py_engine"].append(df.attrs["manifest"]["timing"]["wall_seconds"])
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"{pathlib.Path(args.scenario).name}, {args.replicates} replicates, {args.threads} threads, "
          f"median of {args.repeats} alternating runs ({len(df):,} rows returned)")
    print(f"  CLI engine time (manifest)   {med['cli_engine']:7.3f} s")
    print(f"  CLI process                  {med['cli_process']:7.3f} s   CPU {med['cli_cpu']:7.3f} s")
    print(f"  Python engine time           {med['py_engine']:7.3f} s")
    print(f"  Python call                  {med['py_call']:7.3f} s   CPU {med['py_cpu']:7.3f} s")
    print(f"  Python call vs CLI engine    {100 * (med['py_call'] / med['cli_engine'] - 1):+6.1f} %")
    print(f"  Python call vs CLI process   {100 * (med['py_call'] / med['cli_process'] - 1):+6.1f} %")
    print(f"  Python CPU vs CLI CPU        {100 * (med['py_cpu'] / med['cli_cpu'] - 1):+6.1f} %")


if __name__ == "__main__":
    main()
