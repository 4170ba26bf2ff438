"""The engine's metric catalogue (unit, meaning, better direction, labels), read once.

The catalogue is declared in one place, WIJKSIM_METRICS in engine/include/wijksim/sim/metrics.hpp,
and printed by `wijksim metrics --format json`. The plot tools keep no copy: they run the engine
that wrote the data. Which engine: $WIJKSIM_BIN (set by `wijksim report` and `wijksim plot`), else
a `wijksim` next to this source tree's build folders, else `wijksim` on PATH. $WIJKSIM_METRICS_JSON
may name a file holding that JSON instead (e.g. for notebooks without the engine).
"""

import glob
import json
import os
import shutil
import subprocess

_HERE = os.path.dirname(os.path.abspath(__file__))
_cache = None


class CatalogueError(Exception):
    """The catalogue cannot be found; exit status 2 with the message."""


def _engine():
    env = os.environ.get("WIJKSIM_BIN")
    if env:
        return env
    tree = os.path.normpath(os.path.join(_HERE, "..", ".."))
    for path in sorted(glob.glob(os.path.join(tree, "build", "*", "engine", "wijksim"))):
        if os.access(path, os.X_OK):
            return path
    return shutil.which("wijksim")


def engine_path():
    """The wijksim binary the tools run (CatalogueError when there is none)."""
    engine = _engine()
    if not engine:
        raise CatalogueError("needs the wijksim binary: set WIJKSIM_BIN")
    return engine


def engine_json(*args):
    """JSON printed by `wijksim ARGS...` of the engine that wrote the data (e.g. params)."""
    engine = _engine()
    if not engine:
        raise CatalogueError("needs the wijksim binary: set WIJKSIM_BIN")
    try:
        out = subprocess.run([engine, *args], check=True, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise CatalogueError(f"{engine} {' '.join(args)} failed: {exc}") from exc
    return json.loads(out)


def _read():
    path = os.environ.get("WIJKSIM_METRICS_JSON")
    if path:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    engine = _engine()
    if not engine:
        raise CatalogueError("the metric catalogue comes from the engine: set WIJKSIM_BIN to the "
                             "wijksim binary (or run through `wijksim plot` / `wijksim report`)")
    try:
        out = subprocess.run([engine, "metrics", "--format", "json"], check=True,
                             capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise CatalogueError(f"{engine} metrics --format json failed: {exc}") from exc
    return json.loads(out)


def catalogue():
    """{metric name: entry} with keys name, unit, better, scope, meaning, labels."""
    global _cache
    if _cache is None:
        _cache = {m["name"]: m for m in _read()["metrics"]}
    return _cache


def info(metric):
    return catalogue().get(metric, {})


def unit(metric):
    """share, count, mean, index, hours_per_week or euros ('' for an unknown metric)."""
    return info(metric).get("unit", "")


def direction(metric):
    """'higher', 'lower' or 'none'."""
    return info(metric).get("better", "none")


def label(metric, lang="nl"):
    """The metric's label in `lang`; the raw name for a metric the engine does not know."""
    return (info(metric).get("labels") or {}).get(lang) or metric


def is_share(metric):
    return unit(metric) == "share"
