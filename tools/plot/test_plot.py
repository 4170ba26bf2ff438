"""Tests for wijksim_plot; run with: /usr/bin/python3 -m pytest tools/plot"""

import csv
import json
import os
import random
import statistics
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import wijksim_plot  # noqa: E402
from synthetic_store import open_store  # noqa: E402

SCRIPT = os.path.join(HERE, "wijksim_plot.py")
REPLICATES = 3
WEEKS = 104
ELECTION_WEEK = 60
UNITS = {
    "GM9999": ("city", "Teststad"),
    "WK999901": ("wijk", "Centrum"),
    "BU99990101": ("buurt", "Oude Haven"),
    "BU99990102": ("buurt", "Nieuwe Markt"),
}
PHASE_NAMES = ["none", "verkenning", "uitvoering", "borging"]
METRICS = ["active_share", "unsafe_share", "mean_trust", "incidents"]


def phase_of_week(week):
    if week < 10:
        return 0
    if week <= 40:
        return 1
    if week <= 80:
        return 2
    return 3


def make_run(run_dir, replicates=REPLICATES):
    """Write a synthetic run folder; return {(rep, week, unit, metric): value}."""
    rng = random.Random(42)
    truth = {}
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, "timeseries.csv"), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(wijksim_plot.CSV_HEADER)
        for rep in range(replicates):
            for week in range(WEEKS + 1):
                for unit, (level, _name) in UNITS.items():
                    for metric in METRICS:
                        base = 0.2 + 0.001 * week if metric != "incidents" else 5
                        value = base + rng.uniform(-0.05, 0.05)
                        truth[(rep, week, unit, metric)] = value
                        out.writerow([rep, week, level, unit, metric, repr(value)])
                    out.writerow([rep, week, level, unit, "phase", phase_of_week(week)])
    manifest = {
        "wijksim_run": 1,
        "scenario_name": "testscenario",
        "start_date": "2025-01-06",
        "weeks": WEEKS,
        "seed": 1,
        "replicates": replicates,
        "phase_names": PHASE_NAMES,
        "elections_weeks": [ELECTION_WEEK],
        "units": {code: name for code, (_level, name) in UNITS.items()},
        "engine": {"version": "test"},
    }
    with open(os.path.join(run_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    write_store(run_dir, truth, replicates)
    return truth


def write_store(run_dir, truth, replicates):
    """The run's results.sqlite (an experiment of one variant), holding the same values as its
    timeseries.csv: the fan chart draws the bands `wijksim compare` computes from it."""
    outcomes = METRICS + ["phase"]
    variant = "testscenario"
    manifest = {"wijksim_experiment": 1, "experiment": {"scenario": "s.json", "replicates": replicates,
                                                        "outcomes": outcomes, "variants": [{"name": variant}]},
                "experiment_hash": "test", "scenario_file": "s.json", "variants": [variant],
                "baseline": variant, "outcomes": outcomes, "levels": ["city", "wijk", "buurt"],
                "interval_weeks": 1, "replicates": replicates}
    db = open_store(run_dir, manifest)
    for rep in range(replicates):
        db.execute("INSERT INTO runs VALUES (?, ?, -1, '{}', ?, 1, 'ok', NULL, 0.1)", (rep + 1, variant, rep))
        rows = [(rep + 1, week, level, unit, metric, truth[(rep, week, unit, metric)])
                for week in range(WEEKS + 1) for unit, (level, _name) in UNITS.items() for metric in METRICS]
        rows += [(rep + 1, week, level, unit, "phase", phase_of_week(week))
                 for week in range(WEEKS + 1) for unit, (level, _name) in UNITS.items()]
        db.executemany("INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()


def make_bench(path):
    benchmarks = []
    for size in (1000, 10000, 100000):
        for threads in (1, 2, 4):
            benchmarks.append({
                "name": f"BM_WeeklyStep/{size}/threads:{threads}",
                "run_type": "iteration", "real_time": 1.0, "time_unit": "ms",
                "items_per_second": size * threads * 10.0})
            benchmarks.append({
                "name": f"BM_Seed/{size}/{threads}",
                "run_type": "iteration", "real_time": 1.0, "time_unit": "ms",
                "items_per_second": size * 3.0})
    with open(path, "w") as f:
        json.dump({"context": {}, "benchmarks": benchmarks}, f)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run_dir = str(tmp_path_factory.mktemp("run"))
    truth = make_run(run_dir)
    return run_dir, truth


def cli(*args):
    return subprocess.run([sys.executable, SCRIPT, *args],
                          capture_output=True, text=True)


def assert_image(path, ext):
    assert os.path.getsize(path) > 0
    with open(path, "rb") as f:
        head = f.read(512)
    if ext == "png":
        assert head.startswith(b"\x89PNG")
    else:
        assert b"<svg" in head


@pytest.mark.parametrize("ext", ["png", "svg"])
@pytest.mark.parametrize("kind", ["fan", "fan_buurt_en", "heatgrid", "bench"])
def test_subcommands_write_images(run, tmp_path, kind, ext):
    run_dir, _ = run
    out = str(tmp_path / f"{kind}.{ext}")
    if kind == "fan":
        result = cli("fan", run_dir, "--out", out)
    elif kind == "fan_buurt_en":
        result = cli("fan", run_dir, "--out", out, "--unit", "BU99990102",
                     "--metrics", "unsafe_share", "incidents", "--lang", "en")
    elif kind == "heatgrid":
        result = cli("heatgrid", run_dir, "--metric", "unsafe_share", "--out", out)
    else:
        bench = str(tmp_path / "bench.json")
        make_bench(bench)
        result = cli("bench", bench, "--out", out)
    assert result.returncode == 0, result.stderr
    assert_image(out, ext)


def test_single_replicate_fan(tmp_path):
    run_dir = str(tmp_path / "run1")
    make_run(run_dir, replicates=1)
    out = str(tmp_path / "fan.png")
    result = cli("fan", run_dir, "--out", out)
    assert result.returncode == 0, result.stderr
    assert_image(out, "png")


@pytest.mark.parametrize("command", ["fan", "heatgrid"])
def test_missing_metric_exits_2(run, tmp_path, command):
    run_dir, _ = run
    out = str(tmp_path / "x.png")
    flag = "--metrics" if command == "fan" else "--metric"
    result = cli(command, run_dir, "--out", out, flag, "no_such_metric")
    assert result.returncode == 2
    assert "no_such_metric" in result.stderr
    assert ("bands.csv" if command == "fan" else "timeseries.csv") in result.stderr
    assert not os.path.exists(out)


def test_missing_run_folder_and_files_exit_2(tmp_path):
    missing = str(tmp_path / "nope")
    result = cli("fan", missing, "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2 and missing in result.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("heatgrid", str(empty), "--metric", "unsafe_share",
                 "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2 and "manifest.json" in result.stderr

    result = cli("bench", str(tmp_path / "none.json"), "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2 and "none.json" in result.stderr


def test_bad_output_extension_exits_2(run, tmp_path):
    result = cli("fan", run[0], "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and ".png" in result.stderr


def test_ambiguous_unit_exits_2(run, tmp_path):
    result = cli("fan", run[0], "--level", "buurt", "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2 and "--unit" in result.stderr


def test_fan_median_matches_independent_median(run):
    run_dir, truth = run
    data = wijksim_plot.fan_data(run_dir, ["unsafe_share", "mean_trust"],
                                 level="wijk", unit="WK999901")
    bands = data.bands["unsafe_share"]
    week = 37
    values = [truth[(rep, week, "WK999901", "unsafe_share")] for rep in range(REPLICATES)]
    index = list(bands.weeks).index(week)
    # The engine's quantiles (bands.csv) against Python's own: the median, and the quartiles
    # as linear interpolation between order statistics ('inclusive').
    assert bands.median[index] == pytest.approx(statistics.median(values), abs=1e-12)
    p25, _, p75 = statistics.quantiles(values, n=4, method="inclusive")
    assert bands.p25[index] == pytest.approx(p25, abs=1e-12)
    assert bands.p75[index] == pytest.approx(p75, abs=1e-12)
    assert os.path.isfile(os.path.join(run_dir, "bands.csv"))  # compare ran first
    assert bands.p05[index] <= bands.p25[index] <= bands.median[index]
    assert bands.median[index] <= bands.p75[index] <= bands.p95[index]
    assert len(bands.weeks) == WEEKS + 1
    assert bands.replicates == REPLICATES
    # Phases come from replicate 0 and are grouped into contiguous runs.
    assert wijksim_plot.phase_runs(data.phases) == [(10, 40, 1), (41, 80, 2), (81, 104, 3)]


def test_heatgrid_yearly_mean(run):
    run_dir, truth = run
    grid = wijksim_plot.heatgrid_data(run_dir, "unsafe_share")
    assert grid.units == ["BU99990101", "BU99990102"]
    assert grid.years == [0, 1, 2]
    # Year 1 = weeks 1..52, averaged over all replicates.
    expected = statistics.fmean(truth[(rep, week, "BU99990102", "unsafe_share")]
                                for rep in range(REPLICATES)
                                for week in range(1, 53))
    assert grid.values[1, 1] == pytest.approx(expected, rel=1e-12)


def test_parse_benchmark_names():
    parse = wijksim_plot.parse_benchmark_name
    assert parse("BM_WeeklyStep/100000/threads:2") == ("BM_WeeklyStep", [100000.0], 2)
    assert parse("BM_WeeklyStep/100000/2") == ("BM_WeeklyStep", [100000.0, 2.0], None)
    assert parse("BM_WeeklyStep/100000/min_time:0.5/real_time/threads:8") == \
        ("BM_WeeklyStep", [100000.0], 8)


def test_bench_points_thread_counts(tmp_path):
    path = str(tmp_path / "bench.json")
    make_bench(path)
    points = wijksim_plot.bench_points(path)
    weekly = {(p.size, p.threads): p.items_per_second
              for p in points if p.family == "BM_WeeklyStep"}
    assert weekly[(10000.0, 4)] == 10000 * 4 * 10.0
    seed_threads = {p.threads for p in points if p.family == "BM_Seed"}
    assert seed_threads == {1, 2, 4}  # from the second numeric argument
