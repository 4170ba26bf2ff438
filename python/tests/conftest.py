"""Shared set-up of the Python module's tests (run through CTest, label python).

CTest sets PYTHONPATH to the built package, WIJKSIM_CLI to the wijksim binary of the same
build, WIJKSIM_SOURCE_DIR to the repository and WIJKSIM_TEST_WORK to a scratch folder.
"""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

SOURCE = pathlib.Path(os.environ.get("WIJKSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
CLI = os.environ.get("WIJKSIM_CLI", str(SOURCE / "build/release/engine/wijksim"))
SMALL = SOURCE / "tests/regression/small.json"        # 2,000 residents, 5 buurten: fast
HENGELO = SOURCE / "scenarios/hengelo-noord.json"     # 10,250 residents


@pytest.fixture
def work(tmp_path_factory, request):
    """A fresh scratch folder per test (under WIJKSIM_TEST_WORK when CTest sets it)."""
    base = os.environ.get("WIJKSIM_TEST_WORK")
    if base:
        path = pathlib.Path(base) / request.node.name.replace("[", "_").replace("]", "")
        if path.exists():
            import shutil
            shutil.rmtree(path)
        path.mkdir(parents=True)
        return path
    return tmp_path_factory.mktemp("wijksim")


def cli(*args, check=True):
    """Runs the wijksim CLI; returns the CompletedProcess (text)."""
    r = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError(f"wijksim {' '.join(map(str, args))} exited {r.returncode}:\n{r.stderr}")
    return r


def read_tidy(file):
    """A CLI CSV with exact doubles (the CLI writes shortest round-trip text)."""
    return pd.read_csv(file, float_precision="round_trip", keep_default_na=False, na_values=[""])


def assert_same_bits(a, b):
    """Two float arrays are equal bit for bit (NaN included)."""
    a = np.ascontiguousarray(a, dtype=np.float64)
    b = np.ascontiguousarray(b, dtype=np.float64)
    assert a.shape == b.shape
    diff = np.flatnonzero(a.view(np.int64) != b.view(np.int64))
    assert diff.size == 0, f"{diff.size} value(s) differ, first at row {diff[0]}: {a[diff[0]]!r} vs {b[diff[0]]!r}"


def python_script(code, *args, **kw):
    """Runs `code` in a fresh interpreter (the same one as the tests) with the module on its path."""
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], **kw)
