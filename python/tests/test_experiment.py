"""wijksim.experiment and wijksim.open: the same store as `wijksim experiment`, read as DataFrames."""
import json
import os

import numpy as np
import pandas as pd
import pytest

import wijksim
from conftest import SMALL, assert_same_bits, cli, read_tidy


def small_experiment(**extra):
    doc = {
        "scenario": str(SMALL),
        "years": 1,
        "replicates": 3,
        "seed": 5,
        "outcomes": ["active_share", "unsafe_share"],
        "levels": ["city", "wijk"],
        "variants": [{"name": "baseline"}, {"name": "no-leader", "set": {"building_blocks.process_leadership": 0}}],
    }
    doc.update(extra)
    return doc


def test_experiment_matches_cli_store(work):
    doc = small_experiment()
    file = work / "exp.json"
    file.write_text(json.dumps(doc))
    cli("experiment", file, "--out", work / "cli", "--threads", 2, "--progress", "none")
    cli("export", work / "cli")
    e = wijksim.experiment(file, out=work / "py", threads=2)
    assert e.variants == ["baseline", "no-leader"] and e.baseline == "baseline"
    runs_cli = read_tidy(work / "cli/runs.csv")
    assert len(e.runs) == len(runs_cli) == 6
    assert (e.runs["status"] == "ok").all()
    assert list(e.runs["seed"]) == list(runs_cli["seed"])
    # Same rows as the CLI's export, in the export's order.
    ours = e.outcomes.sort_values(["variant", "design_point", "replicate", "metric", "level", "unit", "week"],
                                  key=lambda c: c.astype(str) if c.dtype.name == "category" else c, kind="stable")
    theirs = read_tidy(work / "cli/outcomes.csv")
    assert list(ours.columns) == list(theirs.columns)
    assert len(ours) == len(theirs)
    for col in ("variant", "level", "unit", "metric"):
        assert (ours[col].astype(str).to_numpy() == theirs[col].astype(str).to_numpy()).all(), col
    for col in ("design_point", "replicate", "week"):
        np.testing.assert_array_equal(ours[col].to_numpy(), theirs[col].to_numpy())
    assert_same_bits(ours["value"].to_numpy(), theirs["value"].to_numpy())
    # comparison through the engine's compare, as `wijksim compare` writes it
    c = e.compare()
    cli("compare", work / "cli")
    pd.testing.assert_frame_equal(c, pd.read_csv(work / "cli/comparison.csv"))
    assert set(c["variant"]) == {"no-leader"}
    assert len(e.bands()) > 0
    # the final week per run, wide
    f = e.final()
    assert len(f) == 6 and {"active_share", "unsafe_share"} <= set(f.columns)


def test_threads_do_not_change_the_store(work):
    a = wijksim.experiment(small_experiment(), out=work / "one", threads=1)
    b = wijksim.experiment(small_experiment(), out=work / "two", threads=2)
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes, check_exact=True)


def test_dict_with_a_scenario_object_and_temporary_store():
    s = wijksim.load(SMALL, set={"building_blocks.trust": 0.7})
    e = wijksim.experiment(small_experiment(scenario=s, replicates=2), threads=2)
    path = e.path
    assert os.path.exists(os.path.join(path, "results.sqlite"))
    assert json.load(open(os.path.join(path, "scenario.json")))["building_blocks"]["trust"] == 0.7
    assert len(e.runs) == 4
    # the same runs as from the scenario file with the override as a variant setting
    doc = small_experiment(replicates=2)
    for v in doc["variants"]:
        v.setdefault("set", {})["building_blocks.trust"] = 0.7
    f = wijksim.experiment(doc, threads=2)
    assert_same_bits(e.outcomes["value"].to_numpy(), f.outcomes["value"].to_numpy())
    del e
    import gc
    gc.collect()
    assert not os.path.exists(path)  # out=None: removed with the object


def test_open_reads_a_cli_store_and_a_design(work):
    doc = small_experiment(variants=[{"name": "base"}], replicates=1,
                           design={"method": "morris", "samples": 3, "seed": 2, "levels": 4,
                                   "parameters": {"building_blocks.trust": [0.2, 0.8],
                                                  "building_blocks.process_leadership": [0, 1]}})
    file = work / "morris.json"
    file.write_text(json.dumps(doc))
    cli("experiment", file, "--out", work / "store", "--threads", 2, "--progress", "none")
    e = wijksim.open(work / "store")
    assert len(e.runs) == 9  # 3 trajectories x (2 + 1) points
    assert {"building_blocks.trust", "building_blocks.process_leadership"} <= set(e.runs.columns)
    assert e.runs["building_blocks.trust"].between(0.2, 0.8).all()
    s = e.sensitivity(outcomes=["active_share"])
    cli("sensitivity", work / "store", "--outcome", "active_share")
    pd.testing.assert_frame_equal(s, pd.read_csv(work / "store/sensitivity.csv"))
    assert set(s["parameter"]) == {"building_blocks.trust", "building_blocks.process_leadership"}


def test_bad_experiment_and_missing_store(work):
    with pytest.raises(wijksim.ScenarioError) as info:
        wijksim.experiment(small_experiment(replicates=0, variants=[{"name": "a", "set": {"building_blocks.trus": 1}}]),
                           out=work / "bad")
    paths = [p.path for p in info.value.problems]
    assert "replicates" in paths, info.value.problems
    assert any("building_blocks.trus" in p.path or "building_blocks.trus" in p.found for p in info.value.problems), \
        info.value.problems
    assert not (work / "bad" / "results.sqlite").exists()
    with pytest.raises(wijksim.ScenarioError):
        wijksim.open(work)
