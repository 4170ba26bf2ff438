"""Ctrl-C stops a run or an experiment promptly with KeyboardInterrupt; an interrupted
experiment keeps its finished runs and resumes."""
import os
import signal
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


def interrupt_after(code, seconds, *args):
    p = python_script(code, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    time.sleep(seconds)
    sent = time.perf_counter()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    return out.strip(), err, time.perf_counter() - sent, p.returncode


def test_ctrl_c_stops_a_run():
    # 8 replicates of 104 years of hengelo-noord take minutes; the interrupt ends it in a week.
    out, err, waited, rc = interrupt_after(RUN, 2.0, HENGELO)
    assert out == "interrupted", (out, err)
    assert rc == 0 and waited < 5, waited


def test_ctrl_c_stops_an_experiment_which_then_resumes(work):
    store = work / "store"
    out, err, waited, rc = interrupt_after(EXPERIMENT, 1.5, SMALL, store)
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
