"""wijksim's Python API: loading, errors, tables, the DataFrame a run returns, threads."""
import json
import pickle
import threading
import time

import numpy as np
import pandas as pd
import pytest

import wijksim
from conftest import HENGELO, SMALL


def test_load_and_to_dict_round_trip():
    s = wijksim.load(HENGELO, set={"building_blocks.trust": 0.6})
    assert s.name == "hengelo-noord"
    assert s.source == str(HENGELO)
    assert s.overrides == {"building_blocks.trust": 0.6}
    d = s.to_dict()
    assert d["building_blocks"]["trust"] == 0.6
    assert d["city"]["wijken"][0]["code"] == "WK016402"
    again = wijksim.load(d)
    assert again.to_dict() == d and again.hash == s.hash
    assert wijksim.load(s, set={"building_blocks.trust": 0.5}).hash == wijksim.load(HENGELO).hash  # the file's own value
    assert "hengelo-noord" in repr(s)
    copy = pickle.loads(pickle.dumps(s))  # multiprocessing sends scenarios this way
    assert copy.hash == s.hash and copy.source == s.source and copy.overrides == s.overrides


def test_bad_scenario_raises_with_every_problem():
    doc = json.loads(SMALL.read_text())
    doc["building_blocks"]["trust"] = 1.5
    doc["city"]["wijken"][1]["buurten"][0]["residents"] = "many"
    doc["buildng_blocks"] = {}
    with pytest.raises(wijksim.ScenarioError) as info:
        wijksim.load(doc)
    problems = {p.path: p for p in info.value.problems}
    assert set(problems) >= {"building_blocks.trust", "city.wijken[1].buurten[0].residents", "buildng_blocks"}, problems
    trust = problems["building_blocks.trust"]
    assert trust.file == "<dict>"
    assert trust.found.startswith("1.5") and "0" in trust.expected and "1" in trust.expected, trust
    residents = problems["city.wijken[1].buurten[0].residents"]
    assert residents.found == '"many"' and residents.expected.startswith("an integer"), residents
    assert "building_blocks" in problems["buildng_blocks"].expected  # the nearest valid key
    # str() lists them the way the CLI prints them
    assert "<dict>: building_blocks.trust: " in str(info.value)
    assert isinstance(info.value, ValueError)


def test_bad_override_and_file_name_the_place():
    with pytest.raises(wijksim.ScenarioError) as info:
        wijksim.load(SMALL, set={"building_blocks.trust": "high", "building_blocks.nonsense": 1})
    paths = [p.path for p in info.value.problems]
    assert "building_blocks.trust" in paths and "building_blocks.nonsense" in paths, info.value.problems
    with pytest.raises(wijksim.ScenarioError) as info:
        wijksim.load("/nonexistent/scenario.json")
    assert info.value.problems[0].file == "/nonexistent/scenario.json"
    with pytest.raises(wijksim.ScenarioError):
        wijksim.run(SMALL, years=1, replicates=0)
    with pytest.raises(wijksim.ScenarioError) as info:
        wijksim.run(SMALL, years=1, detail="street")
    assert info.value.problems[0].path == "output.detail"
    with pytest.raises(wijksim.ScenarioError):
        wijksim.import_cbs(gemeente="Atlantis")


def test_run_returns_the_tidy_table():
    df = wijksim.run(SMALL, years=1, replicates=2, seed=3, threads=2, detail="wijk")
    assert list(df.columns) == ["replicate", "week", "level", "unit", "metric", "value"]
    for col in ("level", "unit", "metric"):
        assert isinstance(df[col].dtype, pd.CategoricalDtype), col
    assert list(df["level"].cat.categories) == ["city", "wijk", "buurt"]
    assert list(df["unit"].cat.categories) == ["GM9999", "WK999901", "WK999902"]
    assert list(df["metric"].cat.categories) == list(wijksim.metrics().index)
    assert sorted(df["replicate"].unique()) == [0, 1]
    weeks = sorted(df["week"].unique())
    assert weeks[0] == 0 and weeks[-1] == 52  # interval 13 (the scenario's) and the final week
    assert set(df["level"].unique()) == {"city", "wijk"}
    n_units, n_metrics = 3, len(wijksim.metrics())
    assert len(df) == 2 * len(weeks) * n_units * n_metrics
    m = df.attrs["manifest"]
    assert m["seed"] == 3 and m["replicates"] == 2 and m["weeks"] == 52 and m["threads"] == 2
    assert m["scenario"]["simulation"]["seed"] == 3
    share = df[(df.level == "city") & (df.metric == "active_share")].value
    assert ((share >= 0) & (share <= 1)).all() and share.max() > 0


def test_threads_do_not_change_results():
    a = wijksim.run(SMALL, years=1, replicates=3, threads=1, detail="buurt")
    b = wijksim.run(SMALL, years=1, replicates=3, threads=2, detail="buurt")
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    # one replicate: the threads split the buurten instead
    c = wijksim.run(HENGELO, years=0.5, replicates=1, threads=1)
    d = wijksim.run(HENGELO, years=0.5, replicates=1, threads=2)
    pd.testing.assert_frame_equal(c, d, check_exact=True)
    assert not a.equals(wijksim.run(SMALL, years=1, replicates=3, threads=2, detail="buurt", seed=99))


def test_gil_is_released_while_the_engine_runs():
    # A Python thread keeps running while another waits in wijksim.run: with the GIL held for
    # the call, its clock readings would show one gap as long as the engine's run.
    stamps = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    start = time.perf_counter()
    df = wijksim.run(HENGELO, years=6, replicates=4, threads=1)
    end = time.perf_counter()
    done.set()
    t.join()
    inside = [s for s in stamps if start <= s <= end]
    gaps = np.diff([start, *inside, end])
    engine = df.attrs["manifest"]["timing"]["wall_seconds"]
    assert engine > 0.2, engine
    assert gaps.max() < 0.5 * engine, (gaps.max(), engine)


def test_params_and_metrics_tables():
    p = wijksim.params()
    assert p.index.name == "name"
    row = p.loc["building_blocks.process_leadership"]
    assert row["default"] == 0.5 and row["min"] == 0 and row["max"] == 1 and row["unit"] == "share"
    assert {"meaning", "source"} <= set(p.columns)
    assert len(p) > 100
    m = wijksim.metrics()
    assert m.loc["active_share", "better"] == "higher"
    assert m.loc["unsafe_share", "better"] == "lower"
    assert wijksim.__version__ == wijksim.engine_info()["version"]
