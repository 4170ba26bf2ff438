"""Ctrl-C stops a run or an experiment promptly with KeyboardInterrupt; an interrupted
experiment keeps its finished runs and resumes."""
import os
import signal
import sqlite3
import subprocess
import time

import wijksim
from conftest import HENGELO, SMALL, python_script

RUN = """
import sys, time, wijksim
print("started", flush=True)
try:
    wijksim.run(sys.argv[1], years=100, replicates=8, threads=2)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""

EXPERIMENT = """
import sys, wijksim
doc = {"scenario": sys.argv[1], "years": 10, "replicates": 40, "seed": 1, "outcomes": ["active_share"],
       "variants": [{"name": "baseline"}]}
print("started", flush=True)
try:
    wijksim.experiment(doc, out=sys.argv[2], threads=2)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def committed_runs(store):
    """Runs committed to a store so far (0 while it does not exist yet or is being written)."""
    try:
        con = sqlite3.connect(f"file:{store}/results.sqlite?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute("SELECT COUNT(*) FROM runs WHERE status = 'ok'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def interrupt_when(code, ready, *args):
    """Starts `code`, sends SIGINT once ready() holds, returns (stdout, stderr, seconds from
    the signal to the exit, exit code)."""
    p = python_script(code, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    deadline = time.perf_counter() + 120
    while not ready() and time.perf_counter() < deadline:
        time.sleep(0.05)
    sent = time.perf_counter()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    return out.strip(), err, time.perf_counter() - sent, p.returncode


def test_ctrl_c_stops_a_run():
    # 8 replicates of 104 years of hengelo-noord take minutes; the interrupt ends it in a week.
    start = time.perf_counter()
    out, err, waited, rc = interrupt_when(RUN, lambda: time.perf_counter() - start > 2, HENGELO)
    assert out == "interrupted", (out, err)
    assert rc == 0 and waited < 5, waited


def test_ctrl_c_stops_an_experiment_which_then_resumes(work):
    store = work / "store"
    out, err, waited, rc = interrupt_when(EXPERIMENT, lambda: committed_runs(store) > 0, SMALL, store)
    assert out == "interrupted", (out, err)
    assert waited < 10, waited
    e = wijksim.open(store)
    done = len(e.runs)
    assert 0 < done < 40 and (e.runs["status"] == "ok").all(), done  # only whole runs were kept
    # Resuming runs only what is missing, and gives what an uninterrupted batch gives.
    doc = {"scenario": str(SMALL), "years": 10, "replicates": 40, "seed": 1, "outcomes": ["active_share"],
           "variants": [{"name": "baseline"}]}
    resumed = wijksim.experiment(doc, out=store, threads=2)
    assert len(resumed.runs) == 40
    first = resumed.runs.set_index("replicate")["wall_seconds"]
    kept = e.runs.set_index("replicate")["wall_seconds"]
    assert (first.loc[kept.index] == kept).all()  # the finished runs were not run again
