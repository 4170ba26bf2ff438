#!/usr/bin/python3
"""Times to first charts and to the full ensemble, as the workbench page sees them (issue 14):

    measure_latency.py WIJKSIM [--threads 2] [--repeat 3]

Starts `wijksim serve`, posts the page's default comparison (no programme vs. the programme,
20 replicates each, 8 years) for hengelo-noord (scenarios/hengelo-noord.json, 10k residents)
and for Deventer (GM0150, 103k residents, every wijk), polls every 50 ms like a fast page, and
prints the server's own times (first_week_seconds: every variant has its first observed week,
the charts start to grow; first_result_seconds: one replicate of every variant done, so
every chart and difference has a line; all_results_seconds) and the client's. Not a test:
timings depend on the machine and on what else runs on it (see docs/SERVE.md).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverproc import Server  # noqa: E402

CASES = {
    "hengelo-noord (10k residents)": {"scenario_file": "hengelo-noord.json"},
    "Deventer GM0150 (103k residents)": {"gemeente": "GM0150"},
}


def measure(server, source):
    body = dict(source, years=8, replicates=20, seed=1, baseline="zonder-programma",
                set={"programme.enabled": False},
                variants=[{"name": "programma", "set": {"programme.enabled": True}}])
    t0 = time.monotonic()
    status, r = server.json("POST", "/api/runs", body)
    assert status == 201, r
    first_client = None
    while True:
        status, s = server.json("GET", f"/api/runs/{r['id']}")
        if first_client is None and s["first_result_seconds"] >= 0:
            first_client = time.monotonic() - t0
        if s["status"] in ("done", "failed", "cancelled"):
            return s, first_client, time.monotonic() - t0
        time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wijksim")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    server = Server(args.wijksim, threads=args.threads)
    try:
        print(f"wijksim serve --threads {args.threads}; load average before: {os.getloadavg()[0]:.2f}")
        for name, source in CASES.items():
            for k in range(args.repeat):
                s, first, total = measure(server, source)
                print(f"{name}: run {k + 1}: {s['status']}, {s['city']['adults']} adults, 2 x {s['replicates']} replicates: "
                      f"first weeks {s['first_week_seconds']:.2f} s, first charts {s['first_result_seconds']:.2f} s (client {first:.2f} s), full ensemble "
                      f"{s['all_results_seconds']:.2f} s (client {total:.2f} s); load average {os.getloadavg()[0]:.2f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
