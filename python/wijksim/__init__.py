"""wijksim: the district-programme simulation engine, from Python.

The same engine as the ``wijksim`` command line, called in-process: the numbers are
bit-identical to the CLI's for the same scenario and seed, and results come back as pandas
DataFrames in the tidy shapes of the CLI's files.

    >>> import wijksim
    >>> s = wijksim.load("scenarios/hengelo-noord.json", set={"building_blocks.trust": 0.6})
    >>> df = wijksim.run(s, years=6, replicates=10, seed=1)
    >>> df[(df.level == "city") & (df.metric == "active_share")].groupby("week").value.mean()

Functions: :func:`load`, :func:`import_cbs`, :func:`run`, :func:`experiment`, :func:`open`,
:func:`params`, :func:`metrics`. Invalid input raises :class:`ScenarioError` with every
problem (file, JSON path, what was found and what was expected), as the CLI prints them.
Long calls release the GIL, and Ctrl-C (or a notebook's interrupt) stops them within a
simulated week, raising KeyboardInterrupt.
"""
from __future__ import annotations

import builtins
import json
import os
import shutil
import sqlite3
import tempfile
import weakref
from typing import Any, Iterable, Mapping, NamedTuple, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core

__all__ = [
    "Problem", "ScenarioError", "Scenario", "Experiment",
    "load", "import_cbs", "run", "experiment", "open", "params", "metrics",
    "engine_info", "LEVELS",
]

#: The levels of the tidy tables, in output order (the categories of their ``level`` column).
LEVELS = ("city", "wijk", "buurt")

PathLike = Union[str, "os.PathLike[str]"]


# ---- errors ---------------------------------------------------------------------------------

class Problem(NamedTuple):
    """One problem in an input: where it is and what was wrong, as the CLI reports it."""

    file: str      #: the scenario or experiment file ("<dict>" for a dict), or the argument
    path: str      #: the JSON path, dotted: ``building_blocks.trust``, ``city.wijken[0].code``
    found: str     #: what was found (the part of the message before "expected")
    expected: str  #: what was expected
    message: str   #: the whole message: found and expected in the engine's words

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.path:
            where += ": " + self.path
        return where + ": " + self.message


def _split_message(message: str) -> tuple[str, str]:
    # The engine writes "found X, expected Y" (also "X; expected Y", "X: expected Y", "unknown
    # key; did you mean K?" and "missing: what"). The last separator wins, because the found
    # value may itself be quoted text holding one.
    cut, sep = -1, ""
    for s in (", expected ", "; expected ", ": expected ", "; did you mean "):
        i = message.rfind(s)
        if i > cut:
            cut, sep = i, s
    if cut < 0:
        if message.startswith("missing: "):
            return "missing", message[len("missing: "):]
        return message, ""
    found = message[:cut]
    if found.startswith("found "):
        found = found[len("found "):]
    expected = message[cut + len(sep):]
    if sep == "; did you mean ":
        expected = "did you mean " + expected
    return found, expected


class ScenarioError(ValueError):
    """Invalid input: a scenario, an experiment, a store or an argument.

    ``problems`` lists every problem found at once (a :class:`Problem` each, with ``path``,
    ``found`` and ``expected``); ``str(error)`` prints them one per line like the CLI does.
    """

    def __init__(self, message: str, problems: Iterable[Sequence[str]] = ()):
        super().__init__(message)
        self.problems: list[Problem] = []
        for file, path, msg in problems:
            found, expected = _split_message(msg)
            self.problems.append(Problem(file, path, found, expected, msg))

    def __reduce__(self):  # picklable (multiprocessing) with its problems
        return (ScenarioError, (str(self), [(p.file, p.path, p.message) for p in self.problems]))


_core.set_input_error(ScenarioError)


# ---- scenarios ------------------------------------------------------------------------------

def _value_text(value: Any) -> str:
    # Values of set={...} are Python values, written as JSON (what --set parses).
    if isinstance(value, np.generic):
        value = value.item()
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ScenarioError(f"set: {value!r} is not a JSON value",
                            [("set", "", f"found {value!r}, expected a JSON value ({e})")]) from None


def _overrides(set: Optional[Mapping[str, Any]]) -> list[tuple[str, str]]:
    if set is None:
        return []
    if not isinstance(set, Mapping):
        raise TypeError("set must be a mapping of dotted parameter paths to values")
    return [(str(path), _value_text(v)) for path, v in set.items()]


class Scenario:
    """A validated scenario: a file or dict with its overrides applied and checked.

    Made by :func:`load` or :func:`import_cbs`; pass it to :func:`run`, or to
    :func:`experiment` as the ``"scenario"`` of an experiment dict.
    """

    __slots__ = ("_h",)

    def __init__(self, handle: "_core.Scenario"):
        self._h = handle

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self._h.name

    @property
    def description(self) -> str:
        """The scenario's description."""
        return self._h.description

    @property
    def source(self) -> str:
        """The file it was read from, or ``"<dict>"``."""
        return self._h.source

    @property
    def hash(self) -> str:
        """Hash of the resolved scenario, as recorded in manifests."""
        return self._h.hash

    @property
    def overrides(self) -> dict[str, Any]:
        """The overrides applied, in order: dotted path -> value."""
        return {p: json.loads(v) for p, v in self._h.overrides}

    def to_dict(self) -> dict:
        """The resolved scenario: every value, defaults filled in, in the user's units.

        It loads back (``load(s.to_dict())``) to the same scenario.
        """
        return json.loads(self._h.resolved_json)

    def with_overrides(self, set: Mapping[str, Any]) -> "Scenario":
        """A copy with more overrides (dotted path -> value), validated like :func:`load`."""
        return Scenario(self._h.with_overrides(_overrides(set)))

    def __reduce__(self):  # picklable (multiprocessing): rebuilt from its document and overrides
        return (_scenario_from_parts, (self._h.document_json, self._h.source, list(self._h.overrides)))

    def __repr__(self) -> str:
        extra = f", {len(self._h.overrides)} override(s)" if self._h.overrides else ""
        return f"<wijksim.Scenario {self.name!r} from {self.source}{extra}, hash {self.hash}>"


def _scenario_from_parts(document_json: str, source: str, overrides: list) -> Scenario:
    return Scenario(_core.Scenario.from_json(document_json, source, [tuple(o) for o in overrides]))


def load(source: Union[PathLike, Mapping[str, Any], Scenario],
         set: Optional[Mapping[str, Any]] = None) -> Scenario:
    """Reads and validates a scenario.

    Args:
        source: a scenario file (JSON), a dict with the same content, or a Scenario.
        set: overrides by dotted path, e.g. ``{"building_blocks.trust": 0.6,
            "programme.enabled": False, "programme.phases.1.max_weeks": 30}`` (the CLI's
            ``--set PATH=VALUE``), checked like the file itself.

    Raises:
        ScenarioError: with every problem found (file, JSON path, found, expected).
    """
    ov = _overrides(set)
    if isinstance(source, Scenario):
        return Scenario(source._h.with_overrides(ov))
    if isinstance(source, Mapping):
        try:
            text = json.dumps(source, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise ScenarioError(f"<dict>: not JSON: {e}", [("<dict>", "", f"found a value JSON cannot hold ({e}), "
                                                            "expected JSON values (dict, list, str, number, bool, None)")]) from None
        return Scenario(_core.Scenario.from_json(text, "<dict>", ov))
    return Scenario(_core.Scenario.from_file(os.fspath(source), ov))


def import_cbs(gemeente: Optional[str] = None, wijken: Sequence[str] = (), *, all: bool = False,
               kwb: Optional[PathLike] = None, income: Optional[PathLike] = None,
               indicators: Optional[PathLike] = None,
               set: Optional[Mapping[str, Any]] = None) -> Scenario:
    """A scenario from CBS *Kerncijfers wijken en buurten* (``wijksim import-cbs``).

    Args:
        gemeente: a gemeente by name (``"Hengelo (O.)"``, case-insensitive) or code
            (``"GM0164"``, ``"0164"``).
        wijken: keep only these wijken (codes, e.g. ``["WK016402"]``); empty: all.
        all: every gemeente of the file instead of one (the whole country).
        kwb: the KWB export; default the repository's ``data/cbs/cbs-kwb-2024-bevolking.csv``.
        income: a richer KWB export with low-income shares for buurt deprivation.
        indicators: real buurt indicators (deprivation from housing, recorded crime); default
            the repository's ``data/cbs/cbs-buurt-2024-indicators.csv``; ``"none"``: every buurt
            keeps deprivation 0.4.
        set: overrides applied to the imported scenario, as in :func:`load`.

    Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED).
    """
    if (gemeente is None) == (not all):
        raise ScenarioError("import_cbs: give gemeente=... or all=True",
                            [("import_cbs", "gemeente", "found " + ("both" if all else "neither") +
                              ", expected gemeente=NAME|CODE or all=True")])
    kwb_file = os.fspath(kwb) if kwb is not None else os.path.join(_core.data_dir, "cbs-kwb-2024-bevolking.csv")
    ind_file = os.fspath(indicators) if indicators is not None else os.path.join(_core.data_dir, "cbs-buurt-2024-indicators.csv")
    text = _core.import_cbs(kwb_file, gemeente or "", all, list(wijken), os.fspath(income) if income else "", ind_file)
    doc = json.loads(text)
    return Scenario(_core.Scenario.from_json(text, "<import_cbs " + doc["city"]["code"] + ">", _overrides(set)))


# ---- running --------------------------------------------------------------------------------

def _threads(threads: Optional[int]) -> int:
    if threads is None:
        return _core.default_threads()
    if int(threads) != threads or not 1 <= threads <= 1024:
        raise ScenarioError(f"threads: found {threads!r}, expected 1 to 1024",
                            [("run", "threads", f"found {threads!r}, expected an integer from 1 to 1024")])
    return int(threads)


def _categorical(codes: np.ndarray, categories: Sequence[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(categories))


def run(scenario: Union[Scenario, PathLike, Mapping[str, Any]], *, years: Optional[float] = None,
        replicates: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None,
        detail: Optional[str] = None, set: Optional[Mapping[str, Any]] = None) -> pd.DataFrame:
    """Runs the replicates of a scenario and returns them as a tidy DataFrame.

    The same run as ``wijksim run SCENARIO --years Y --replicates R --seed N --threads T
    --detail D``: the rows and values of its ``timeseries.csv``, bit for bit, without writing
    files. The GIL is released while the engine runs; Ctrl-C stops it (KeyboardInterrupt).

    Args:
        scenario: a Scenario, or a file or dict to :func:`load`.
        years: years after the start date (default: the scenario's ``simulation.years``).
        replicates: replicates (default: the scenario's).
        seed: the seed (default: the scenario's); replicate r runs with (seed, r).
        threads: threads (default: every core); results do not depend on it.
        detail: ``"city"``, ``"wijk"`` or ``"buurt"`` (default: the scenario's ``output.detail``).
        set: further overrides, as in :func:`load`.

    Returns:
        DataFrame with columns ``replicate`` (int32), ``week`` (int32), ``level``, ``unit``,
        ``metric`` (categoricals) and ``value`` (float64), in the order of timeseries.csv;
        ``df.attrs["manifest"]`` is the run's manifest (scenario, overrides, seed, engine
        version, timing) as ``manifest.json`` holds it.

    Raises:
        ScenarioError: invalid scenario or arguments, or a city too large for this machine.
    """
    s = scenario if isinstance(scenario, Scenario) else load(scenario)
    extra: dict[str, Any] = {}
    # In the CLI's order: --seed, --replicates, --years, --detail, then --set.
    if seed is not None:
        extra["simulation.seed"] = seed
    if replicates is not None:
        extra["simulation.replicates"] = replicates
    if years is not None:
        extra["simulation.years"] = years
    if detail is not None:
        extra["output.detail"] = detail
    if set:
        extra.update(set)
    h = s._h.with_overrides(_overrides(extra)) if extra else s._h
    n = _threads(threads)
    args = ", ".join(f"{k}={v!r}" for k, v in (("years", years), ("replicates", replicates), ("seed", seed),
                                              ("threads", n), ("detail", detail)) if v is not None)
    out = h.run(n, f"python: wijksim.run({h.source!r}, {args})")
    df = pd.DataFrame({
        "replicate": out["replicate"],
        "week": out["week"],
        "level": _categorical(out["level"], LEVELS),
        "unit": _categorical(out["unit"], out["units"]),
        "metric": _categorical(out["metric"], _core.metric_names()),
        "value": out["value"],
    })
    df.attrs["manifest"] = json.loads(out["manifest"])
    return df


# ---- experiments ----------------------------------------------------------------------------

def _store_manifest(path: str) -> dict:
    file = os.path.join(path, "results.sqlite")
    con = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        return {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM manifest ORDER BY key")}
    finally:
        con.close()


class Experiment:
    """A results store (``DIR/results.sqlite``) of an experiment: runs, outcomes, comparisons.

    Made by :func:`experiment` (which runs it) or :func:`open` (which reads an existing one,
    e.g. written by ``wijksim experiment``). Tables are read from the store when first used.
    """

    def __init__(self, path: PathLike, _tempdir: Optional[str] = None):
        self.path = os.fspath(path)
        self._columns = _core.read_store(self.path)  # raises ScenarioError when there is no store
        self.manifest: dict = _store_manifest(self.path)
        self._runs: Optional[pd.DataFrame] = None
        self._outcomes: Optional[pd.DataFrame] = None
        if _tempdir is not None:  # out=None: the store lives as long as this object
            self._cleanup = weakref.finalize(self, shutil.rmtree, _tempdir, True)

    @property
    def variants(self) -> list[str]:
        """Variant names, in the experiment's order."""
        return list(self.manifest.get("variants", []))

    @property
    def baseline(self) -> str:
        """The variant the others are compared with."""
        return self.manifest.get("baseline", "")

    @property
    def runs(self) -> pd.DataFrame:
        """One row per run: ``variant``, ``design_point``, ``replicate``, ``seed``, ``status``
        (ok or failed), ``error``, ``wall_seconds``, ``parameters`` (JSON of every override),
        and a column per design parameter. ``wijksim export``'s runs.csv has the same rows plus
        each run's design role (A/B/AB_i, Morris trajectory and step) and the parameter ranges."""
        if self._runs is None:
            r = self._columns["runs"]
            df = pd.DataFrame({
                "variant": pd.Categorical(r["variant"], categories=self.variants or sorted(set(r["variant"]))),
                "design_point": r["design_point"],
                "replicate": r["replicate"],
                "seed": r["seed"],
                "status": pd.Categorical(r["status"], categories=["ok", "failed"]),
                "error": r["error"],
                "wall_seconds": r["wall_seconds"],
                "parameters": r["parameters"],
            })
            design = self.manifest.get("design") or {}
            if design.get("parameters"):
                values = [json.loads(p) if p else {} for p in r["parameters"]]
                for name in design["parameters"]:
                    df[name] = [v.get(name, np.nan) for v in values]
            self._runs = df
        return self._runs

    @property
    def outcomes(self) -> pd.DataFrame:
        """Tidy outcome rows of every run: ``variant``, ``design_point``, ``replicate``,
        ``week``, ``level``, ``unit``, ``metric``, ``value`` (as ``wijksim export``'s
        outcomes.csv; failed runs have none)."""
        if self._outcomes is None:
            o = self._columns["outcomes"]
            runs = self.runs
            idx = o["run"]
            self._outcomes = pd.DataFrame({
                "variant": runs["variant"].to_numpy()[idx],
                "design_point": runs["design_point"].to_numpy()[idx],
                "replicate": runs["replicate"].to_numpy()[idx],
                "week": o["week"],
                "level": _categorical(o["level"], LEVELS),
                "unit": _categorical(o["unit"], o["units"]),
                "metric": _categorical(o["metric"], _core.metric_names()),
                "value": o["value"],
            })
            self._outcomes["variant"] = pd.Categorical(self._outcomes["variant"], categories=runs["variant"].cat.categories)
        return self._outcomes

    def final(self, level: str = "city") -> pd.DataFrame:
        """Final-week outcomes at one level, one row per run and unit, a column per metric."""
        o = self.outcomes
        o = o[o["level"] == level]
        last = o.groupby(["variant", "design_point", "replicate"], observed=True)["week"].transform("max")
        o = o[o["week"] == last]
        wide = o.pivot_table(index=["variant", "design_point", "replicate", "unit"], columns="metric",
                             values="value", observed=True, aggfunc="first")
        wide.columns = wide.columns.astype(str)
        wide.columns.name = None
        return wide.reset_index()

    def compare(self) -> pd.DataFrame:
        """Every variant against the baseline (``wijksim compare``): paired differences with t
        and bootstrap 95% intervals, probability of improvement, first significant week.
        Writes comparison.json/.csv and bands.csv into the store's folder and returns
        comparison.csv; :meth:`bands` reads the per-week bands."""
        _core.compare(self.path)
        return pd.read_csv(os.path.join(self.path, "comparison.csv"))

    def bands(self) -> pd.DataFrame:
        """Per-week bands of every series (bands.csv of :meth:`compare`, run first if needed)."""
        file = os.path.join(self.path, "bands.csv")
        if not os.path.exists(file) or os.path.getmtime(file) < os.path.getmtime(os.path.join(self.path, "results.sqlite")):
            _core.compare(self.path)
        return pd.read_csv(file)

    def sensitivity(self, outcomes: Sequence[str] = (), level: str = "city",
                    week: Optional[int] = None) -> pd.DataFrame:
        """Sobol' or Morris indices of a store with a ``sobol``/``saltelli`` or ``morris``
        design (``wijksim sensitivity``), with bootstrap 95% intervals; writes
        sensitivity.json/.csv into the store's folder and returns sensitivity.csv."""
        _core.sensitivity(self.path, list(outcomes), level, week)
        return pd.read_csv(os.path.join(self.path, "sensitivity.csv"))

    def __repr__(self) -> str:
        return (f"<wijksim.Experiment {self.path}: {len(self._columns['runs']['variant'])} run(s), "
                f"variants {self.variants}>")


def _experiment_document(spec: Mapping[str, Any], folder: str) -> dict:
    # A Scenario or dict as the experiment's scenario is written next to the store, because
    # experiments refer to their scenario by file (and record that file's hash per run).
    doc = dict(spec)
    sc = doc.get("scenario")
    if isinstance(sc, (Scenario, Mapping)):
        content = sc.to_dict() if isinstance(sc, Scenario) else load(sc).to_dict()
        os.makedirs(folder, exist_ok=True)
        file = os.path.join(os.path.abspath(folder), "scenario.json")
        with builtins.open(file + ".tmp", "w", encoding="utf-8") as f:
            json.dump(content, f, indent=2)
        os.replace(file + ".tmp", file)
        doc["scenario"] = file
    elif isinstance(sc, os.PathLike):
        doc["scenario"] = os.fspath(sc)
    return doc


def experiment(spec: Union[PathLike, Mapping[str, Any]], out: Optional[PathLike] = None, *,
               threads: Optional[int] = None, progress: bool = False) -> Experiment:
    """Runs an experiment (``wijksim experiment FILE --out DIR``) and returns its store.

    Args:
        spec: an experiment file, or a dict with the same content (docs/EXPERIMENTS.md). In a
            dict, ``"scenario"`` may be a Scenario or a scenario dict (written to
            ``OUT/scenario.json``) or a file name (relative to the current folder).
        out: the store's folder; an existing store of the same experiment is resumed (only
            runs not yet ok are run). Default: a temporary folder removed with the object.
        threads: concurrent runs (default: every core); results do not depend on it.
        progress: a progress line on stderr.

    Ctrl-C stops the batch, keeps every finished run in the store and raises
    KeyboardInterrupt; call again with the same ``out`` to resume.

    Raises:
        ScenarioError: an invalid experiment, scenario or store folder.
        RuntimeError: runs failed (the store keeps them; call again to retry them).
    """
    tempdir = None
    if out is None:
        tempdir = tempfile.mkdtemp(prefix="wijksim-experiment-")
        out_dir = tempdir
    else:
        out_dir = os.fspath(out)
    try:
        if isinstance(spec, Mapping):
            file, text = "<dict>", json.dumps(_experiment_document(spec, out_dir), allow_nan=False)
        else:
            file, text = os.fspath(spec), ""
        n = _threads(threads)
        s = _core.run_experiment(file, text, out_dir, n, bool(progress),
                                 f"python: wijksim.experiment({file!r}, out={out_dir!r}, threads={n})")
        if s["failed"]:
            raise RuntimeError(f"{s['failed']} run(s) failed; first: {s['first_error']} "
                               f"(the store {out_dir} keeps them; call again to retry the failed runs)")
        return Experiment(out_dir, _tempdir=tempdir)
    except BaseException:
        if tempdir is not None:
            shutil.rmtree(tempdir, ignore_errors=True)
        raise


def open(path: PathLike) -> Experiment:
    """Opens an existing results store (a folder holding results.sqlite) for reading."""
    return Experiment(path)


# ---- tables ---------------------------------------------------------------------------------

def params() -> pd.DataFrame:
    """The parameter table (``wijksim params``): name, meaning, unit, type, default, min, max,
    source, one row per parameter, indexed by its dotted name."""
    df = pd.DataFrame(json.loads(_core.param_table_json()))
    if "range" in df.columns:
        rng = df.pop("range")
        at = list(df.columns).index("default") + 1 if "default" in df.columns else len(df.columns)
        df.insert(at, "min", [r[0] if isinstance(r, list) and len(r) == 2 else np.nan for r in rng])
        df.insert(at + 1, "max", [r[1] if isinstance(r, list) and len(r) == 2 else np.nan for r in rng])
    return df.set_index("name") if "name" in df.columns else df


def metrics() -> pd.DataFrame:
    """The metrics of the tidy tables, in the engine's order: ``name`` and ``better``
    (higher, lower or none: which way is an improvement), indexed by name."""
    return pd.DataFrame({"name": _core.metric_names(), "better": _core.metric_directions()}).set_index("name")


def engine_info() -> dict:
    """Version, git revision, compiler and library versions of the engine."""
    return json.loads(_core.engine_info())


__version__: str = engine_info()["version"]
