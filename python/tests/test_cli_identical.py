"""The same scenario and seed give the same numbers through Python as through the CLI."""
import json

import numpy as np
import pandas as pd
import pytest

import wijksim
from conftest import CLI, HENGELO, SMALL, assert_same_bits, cli, read_tidy


def compare_with_cli(df, run_dir):
    csv = read_tidy(run_dir / "timeseries.csv")
    assert list(df.columns) == list(csv.columns) == ["replicate", "week", "level", "unit", "metric", "value"]
    assert len(df) == len(csv)
    for col in ("replicate", "week"):
        np.testing.assert_array_equal(df[col].to_numpy(), csv[col].to_numpy())
    for col in ("level", "unit", "metric"):
        assert (df[col].astype(str).to_numpy() == csv[col].astype(str).to_numpy()).all(), col
    assert_same_bits(df["value"].to_numpy(), csv["value"].to_numpy())


@pytest.mark.parametrize("scenario,args,kw", [
    # several replicates over 2 threads, every buurt, an override
    (SMALL, ["--replicates", 3, "--seed", 7, "--years", 2, "--detail", "buurt", "--threads", 2,
             "--set", "building_blocks.trust=0.6"],
     dict(replicates=3, seed=7, years=2, detail="buurt", threads=2, set={"building_blocks.trust": 0.6})),
    # a real city, one replicate split over buurten on 2 threads, the scenario's own seed
    (HENGELO, ["--replicates", 1, "--years", 1, "--threads", 2], dict(replicates=1, years=1, threads=2)),
    # hengelo-noord without its programme, wijk detail, 2 replicates on 1 thread
    (HENGELO, ["--replicates", 2, "--years", 1.5, "--threads", 1, "--set", "programme.enabled=false"],
     dict(replicates=2, years=1.5, threads=1, set={"programme.enabled": False})),
])
def test_run_matches_cli_bit_for_bit(work, scenario, args, kw):
    out = work / "cli-run"
    cli("run", scenario, "--out", out, "--quiet", *args)
    df = wijksim.run(scenario, **kw)
    compare_with_cli(df, out)
    # The manifest is the CLI's but for how it was called and how long it took.
    m_cli = json.loads((out / "manifest.json").read_text())
    m_py = df.attrs["manifest"]
    for key in ("scenario_name", "scenario_file", "scenario_hash", "seed", "replicates", "weeks", "burn_in_weeks",
                "detail", "interval_weeks", "units", "engine", "scenario", "elections_weeks", "phase_names"):
        assert m_py[key] == m_cli[key], key
    assert sorted(m_py["overrides"]) == sorted(m_cli["overrides"])
    assert m_py["command_line"].startswith("python: wijksim.run(")
    assert "files" not in m_py


def test_loaded_scenario_with_overrides_matches_cli(work):
    # Overrides given to load() and to run() together equal the CLI's --set and flags.
    out = work / "cli-run"
    cli("run", SMALL, "--out", out, "--quiet", "--replicates", 2, "--years", 1, "--threads", 2,
        "--set", "programme.plan=hengelo", "--set", "building_blocks.process_leadership=0.1")
    s = wijksim.load(SMALL, set={"programme.plan": "hengelo", "building_blocks.process_leadership": 0.1})
    compare_with_cli(wijksim.run(s, replicates=2, years=1, threads=2), out)


def test_dict_scenario_matches_file(work):
    # A scenario given as a dict runs the same as the file holding it.
    doc = json.loads(SMALL.read_text())
    a = wijksim.run(doc, replicates=2, years=1, threads=2)
    b = wijksim.run(SMALL, replicates=2, years=1, threads=2)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a.attrs["manifest"]["scenario_hash"] == b.attrs["manifest"]["scenario_hash"]


def test_import_cbs_matches_cli(work):
    out = work / "hengelo.json"
    cli("import-cbs", "--kwb", wijksim._core.data_dir + "/cbs-kwb-2024-bevolking.csv", "--gemeente", "Hengelo (O.)",
        "--wijk", "WK016402", "--out", out)
    s = wijksim.import_cbs(gemeente="Hengelo (O.)", wijken=["WK016402"])
    assert s.to_dict() == wijksim.load(out).to_dict()
    assert s.hash == wijksim.load(out).hash
    assert [w["code"] for w in s.to_dict()["city"]["wijken"]] == ["WK016402"]
