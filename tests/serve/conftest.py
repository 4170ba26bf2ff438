"""Fixtures for the `wijksim serve` tests: the binary comes from $WIJKSIM (CTest sets it)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverproc import Server  # noqa: E402


@pytest.fixture(scope="session")
def wijksim():
    path = os.environ.get("WIJKSIM")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("set WIJKSIM to the wijksim executable (CTest does)")
    return path


@pytest.fixture(scope="module")
def server(wijksim):
    s = Server(wijksim, threads=2, extra=("--max-body", "1", "--memory-budget", "512"))
    yield s
    assert s.stop() == 0, "wijksim serve must stop cleanly on SIGINT"
