"""Tests for the experiment charts and the HTML report, on a synthetic experiment folder with
known differences. Run with: /usr/bin/python3 -m pytest tools/plot"""

import json
import math
import os
import re
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import report  # noqa: E402
import results  # noqa: E402
import wijksim_plot  # noqa: E402
from synthetic_store import open_store  # noqa: E402

REPS = 5
WEEKS = list(range(0, 105, 4)) + [104]
WEEKS = sorted(set(WEEKS))
BUURTEN = ["BU01", "BU02", "BU03"]
STEP_WEEK = 52  # from here on 'plus' is clearly ahead of the baseline
PARAMS = ["building_blocks.trust", "building_blocks.resources", "building_blocks.vision"]


def active_share(variant, rep, week):
    noise = 0.002 * ((rep * 7 + week) % 5 - 2)
    gain = 0.05 if variant == "plus" and week >= STEP_WEEK else 0.0
    return 0.2 + 0.0005 * week + noise + gain


def make_experiment(directory, with_costs=True):
    """A store with variants base and plus (and a 'same' copy of base) and known effects."""
    os.makedirs(directory, exist_ok=True)
    outcomes = ["active_share", "unsafe_share", "mean_trust", "phase"]
    if with_costs:
        outcomes += ["active_residents", "euros_spent"]
    variants = ["base", "plus", "same"]
    doc = {"description": "Test question: does plus help?", "scenario": "s.json", "replicates": REPS,
           "outcomes": outcomes,
           "variants": [{"name": "base"}, {"name": "plus", "description": "more",
                                           "set": {"building_blocks.resources": 2}},
                        {"name": "same"}]}
    manifest = {"wijksim_experiment": 1, "experiment": doc, "experiment_file": "exp.json",
                "experiment_hash": "abc", "scenario_file": "s.json", "variants": variants,
                "baseline": "base", "outcomes": outcomes, "levels": ["city", "buurt"],
                "interval_weeks": 4, "replicates": REPS,
                "seeds": {"experiment": 17, "rule": "common random numbers"},
                "engine": {"version": "9.9.9", "git_revision": "deadbeef"},
                "command_line": "wijksim experiment exp.json", "created_utc": "2026-11-22T10:00:00Z"}
    db = open_store(directory, manifest)
    run_id = 0
    for v in variants:
        for rep in range(REPS):
            run_id += 1
            db.execute("INSERT INTO runs VALUES (?, ?, -1, '{}', ?, 1, 'ok', '', 0.1)", (run_id, v, rep))
            rows = []
            for week in WEEKS:
                a = active_share("plus" if v == "plus" else "base", rep, week)
                city = {"active_share": a, "unsafe_share": 0.3 - 0.3 * (a - 0.2),
                        "mean_trust": 0.5 + 0.1 * (a - 0.2), "phase": 1 + (week >= 40),
                        "active_residents": 1000 * a,
                        "euros_spent": week * 100.0 + (1000.0 * week / 104 if v == "plus" else 0)}
                for m in outcomes:
                    rows.append((run_id, week, "city", "GM1", m, city[m]))
                for i, b in enumerate(BUURTEN):
                    rows.append((run_id, week, "buurt", b, "active_share", a + 0.01 * i))
            db.executemany("INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    context = {"scenario": {"name": "Teststad", "file": "s.json", "hash": "h1", "start_date": "2026-01-05"},
               "phase_names": ["none", "verkennen", "uitvoeren"], "elections_weeks": [60],
               "programme": {"enabled": True, "planned_weeks": 104},
               "units": {"GM1": "Teststad", "BU01": "Oost", "BU02": "West", "BU03": "Noord"},
               "parameters": [{"name": "building_blocks.resources", "value": 1.0, "default": 1.0,
                               "unit": "share", "meaning": "resources", "source": "Platform31"},
                              {"name": "staff.turnover", "value": 0.2, "default": 0.15,
                               "unit": "per_year", "meaning": "leaving", "source": "MODEL.md"}]}
    with open(os.path.join(directory, "report_context.json"), "w") as f:
        json.dump(context, f)
    return directory


def make_sensitivity(directory, method):
    indices = []
    for k, p in enumerate(PARAMS):
        e = lambda x: {"estimate": x, "ci_low": x - 0.05, "ci_high": x + 0.05}  # noqa: E731
        if method == "sobol":
            indices.append({"parameter": p, "S1": e(0.1 * (k + 1)), "ST": e(0.12 * (k + 1))})
        else:
            indices.append({"parameter": p, "mu": e(0.01 * k), "mu_star": e(0.02 * (k + 1)),
                            "sigma": e(0.005 * k)})
    results_ = [{"variant": "base", "outcome": o, "level": "city", "unit": "GM1", "indices": indices}
                for o in ("active_share", "unsafe_share")]
    doc = {"method": method, "parameters": PARAMS, "results": results_, "base_rows": 8, "trajectories": 4}
    with open(os.path.join(directory, "sensitivity.json"), "w") as f:
        json.dump(doc, f)


@pytest.fixture()
def exp_dir(tmp_path):
    return make_experiment(str(tmp_path / "exp"))


# ---- numbers ----------------------------------------------------------------------------------

def test_paired_difference_and_tipping_point(exp_dir):
    exp = results.open_experiment(exp_dir)
    series = exp.series("active_share")
    d = results.difference(series, "plus", "base")
    assert d.first_week_significant() == STEP_WEEK
    assert d.mean[-1] == pytest.approx(0.05)
    assert np.all(d.low[d.weeks >= STEP_WEEK] > 0)
    # Identical variant: difference exactly zero, never significant.
    same = results.difference(series, "same", "base")
    assert np.all(same.mean == 0) and same.first_week_significant() is None
    ranks = results.ranking(series, "base", "active_share")
    assert ranks[0]["variant"] == "plus" and ranks[0]["p_best"] == pytest.approx(1.0)


def test_cost_per_additional_active_resident(exp_dir):
    exp = results.open_experiment(exp_dir)
    c = results.cost_per_active(exp, "plus")
    # 1000 extra euros and 0.05 x 1000 = 50 extra active residents: 20 euros each.
    assert c["status"] == "ok"
    assert c["cost"] == pytest.approx(20.0)
    assert c["cost_ci"][0] <= 20.0 + 1e-9 <= c["cost_ci"][1] + 2e-9
    assert results.cost_per_active(exp, "same")["status"] == "no_gain"


def test_cost_not_recorded(tmp_path):
    exp = results.open_experiment(make_experiment(str(tmp_path / "e"), with_costs=False))
    assert results.cost_per_active(exp, "plus")["status"] == "not_recorded"


# ---- charts -------------------------------------------------------------------------------------

@pytest.mark.parametrize("ext", [".png", ".svg"])
def test_experiment_charts(exp_dir, tmp_path, ext):
    make_sensitivity(exp_dir, "sobol")
    jobs = {"variants": ["--metric", "active_share"], "diff": ["--metric", "unsafe_share"],
            "ranking": [], "sensitivity": [], "heatgrid": ["--metric", "active_share", "--minus", "base",
                                                           "--variant", "plus"]}
    for command, extra in jobs.items():
        out = str(tmp_path / (command + ext))
        assert wijksim_plot.main([command, exp_dir, "--out", out, "--lang", "en"] + extra) == 0
        with open(out, "rb") as f:
            head = f.read(200)
        assert head.startswith(b"\x89PNG") if ext == ".png" else b"<svg" in head or b"<?xml" in head
        assert os.path.getsize(out) > 5000


def test_morris_chart(exp_dir, tmp_path):
    make_sensitivity(exp_dir, "morris")
    out = str(tmp_path / "morris.png")
    assert wijksim_plot.main(["sensitivity", exp_dir, "--out", out]) == 0
    assert os.path.getsize(out) > 5000


def test_chart_errors_name_the_problem(exp_dir, tmp_path, capsys):
    out = str(tmp_path / "x.png")
    assert wijksim_plot.main(["variants", exp_dir, "--metric", "nope", "--out", out]) == 2
    assert "nope" in capsys.readouterr().err
    assert wijksim_plot.main(["sensitivity", exp_dir, "--out", out]) == 2
    assert "sensitivity.json" in capsys.readouterr().err
    assert wijksim_plot.main(["ranking", str(tmp_path / "missing"), "--out", out]) == 2
    assert not os.path.exists(out)


# ---- report -------------------------------------------------------------------------------------

def test_report_is_self_contained_and_complete(exp_dir, tmp_path):
    make_sensitivity(exp_dir, "sobol")
    out = str(tmp_path / "r.html")
    assert report.main([exp_dir, "--out", out, "--lang", "nl"]) == 0
    page = open(out, encoding="utf-8").read()
    # Nothing fetched: every src is a data: URL, no scripts, stylesheets or frames.
    assert re.findall(r'src="(?!data:)', page) == []
    assert not re.search(r"<(script|link|iframe|object)\b", page)
    assert "url(" not in page
    assert len(re.findall(r'<img alt="[^"]*" src="data:image/png;base64,', page)) >= 8
    for words in ("actieve bewoners", "voelt zich weleens onveilig", "vertrouwen",
                  "Test question: does plus help?", "Omslagpunt", "Aannameregister",
                  "staff.turnover", "MODEL.md", "9.9.9", "experimentzaad 17"):
        assert words in page, words
    assert "vanaf <b>1,0 jaar</b> (week 52)" in page  # the tipping point
    assert "€ 20" in page  # cost per additional active resident
    assert not [f for f in os.listdir(tmp_path) if ".tmp-" in f]


def test_report_in_english(exp_dir, tmp_path):
    out = str(tmp_path / "r.html")
    assert report.main([exp_dir, "--out", out, "--lang", "en"]) == 0
    page = open(out, encoding="utf-8").read()
    assert "active residents" in page and "Tipping point" in page and "Assumptions register" in page
    assert "No sensitivity analysis" in page


def test_report_bad_input_leaves_no_file(tmp_path, capsys):
    out = str(tmp_path / "r.html")
    assert report.main([str(tmp_path / "missing"), "--out", out]) == 2
    assert "folder not found" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert report.main([str(empty), "--out", out]) == 2
    assert "results.sqlite" in capsys.readouterr().err
    assert not os.path.exists(out)


def test_report_unwritable_output(exp_dir, tmp_path, capsys):
    out = str(tmp_path / "no-such-folder" / "r.html")
    assert report.main([exp_dir, "--out", out]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert not os.path.exists(os.path.dirname(out))


def test_every_label_exists_in_both_languages():
    import labels
    for table in (labels.TEXT, labels.REPORT_TEXT, labels.PARAMETER_LABELS):
        assert set(table["nl"]) == set(table["en"])


# ---- parameter uncertainty --------------------------------------------------------------------

def write_comparison(directory, with_uncertainty):
    """comparison.json for the synthetic store: plus beats base on active_share in 92% of 25
    parameter sets (robust), same against base on unsafe_share in only 60% (not robust). Written
    over the engine's (compare runs first, so the files beside it are up to date and kept)."""
    results.refresh_compare(directory, results.AREA_FILE)
    def row(variant, outcome, mean, share, robust, statement, hinges):
        r = {"variant": variant, "outcome": outcome, "level": "city", "unit": "GM1", "design_point": -1,
             "week": 104, "n_pairs": REPS, "baseline_mean": 0.25, "mean_difference": mean,
             "ci95_t": [mean - 0.01, mean + 0.01], "probability_of_improvement": share}
        if with_uncertainty:
            r["parameter_uncertainty"] = {
                "sets": 25, "interval95_over_sets": [mean - 0.03, mean + 0.03],
                "share_of_sets_better": share, "robust": robust, "statement": statement,
                "hinges_on": hinges, "hinges_method": "partial rank correlation (PRCC) of the difference"}
        return r
    rows = [row("plus", "active_share", 0.05, 0.92, True,
                "in 92% of the plausible parameter sets, plus beats base on active_share",
                [{"parameter": "staff.turnover", "correlation": -0.61},
                 {"parameter": "participation.dropout", "correlation": 0.34}]),
            row("same", "active_share", 0.0, 0.4, False,
                "in 60% of the plausible parameter sets, base beats same on active_share; not robust: "
                "the ranking depends on parameter values",
                [{"parameter": "building_blocks.resources", "correlation": 0.72}])]
    doc = {"baseline": "base", "comparisons": rows}
    if with_uncertainty:
        doc["parameter_uncertainty"] = {"source": "prior", "sets": 25, "parameters": 150}
    with open(os.path.join(directory, "comparison.json"), "w") as f:
        json.dump(doc, f)


def text_of(page):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_states_robustness_over_parameter_sets(exp_dir, tmp_path, lang):
    write_comparison(exp_dir, with_uncertainty=True)
    out = str(tmp_path / "r.html")
    assert report.main([exp_dir, "--out", out, "--lang", lang]) == 0
    page = open(out, encoding="utf-8").read()
    words = text_of(page)
    assert 'id="parameter-uncertainty"' in page and 'id="noise-only"' not in page
    if lang == "nl":
        assert "In 92% van de plausibele parametersets is plus beter dan base op aandeel actieve bewoners: " \
               "die rangorde is robuust" in words
        # The not-robust ranking: the winner as compare decided it (base), the share, the verdict.
        assert "De rangorde van base en same op aandeel actieve bewoners is niet robuust: " \
               "maar in 60% van de plausibele parametersets is base beter" in words
        assert "25 sets uit de prior" in words
        assert "Het verschil hangt vooral af van staff.turnover (leaving; −0,61), participation.dropout (+0,34)" in words
        assert "simulatieruis én parameteronzekerheid" in words
    else:
        assert "In 92% of the plausible parameter sets, plus beats base on share of active residents: " \
               "the ranking is robust" in words
        assert "The ranking of base and same on share of active residents is not robust: " \
               "base is better in only 60% of the plausible parameter sets" in words
        assert "The difference hinges mostly on staff.turnover (leaving; −0.61)" in words
    # The headline carries the primary outcome's verdict too; the table lists both rows.
    head = text_of(page[page.index('id="kernpunten"'):page.index("</div>", page.index('id="kernpunten"'))])
    assert ("92%" in head) and ("60%" in head)
    table_part = text_of(page[page.index('id="parameter-uncertainty"'):page.index("<h2", page.index('id="parameter-uncertainty"'))])
    assert "building_blocks.resources (+0,72)" in table_part or "building_blocks.resources (+0.72)" in table_part


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_without_uncertainty_says_noise_only(exp_dir, tmp_path, lang):
    write_comparison(exp_dir, with_uncertainty=False)
    out = str(tmp_path / "r.html")
    assert report.main([exp_dir, "--out", out, "--lang", lang]) == 0
    page = open(out, encoding="utf-8").read()
    words = text_of(page)
    assert 'id="noise-only"' in page and "plausibele" not in words and "plausible" not in words
    assert ("tonen alleen simulatieruis" if lang == "nl" else "show simulation noise only") in words


def test_intervals_of_counts_and_euros_do_not_go_below_zero():
    """A difference of a count or euros whose interval would put the variant below zero is
    clipped at minus the baseline's level, and the report says so; shares and means are not."""
    row = {"mean": -1.0, "low": -7.5, "high": 2.0, "base": 3.0}
    assert report.clip_difference("initiatives_completed", -7.5, 2.0, 3.0) == (-3.0, 2.0, True)
    assert report.clip_difference("euros_spent", -9000.0, 10.0, 5000.0) == (-5000.0, 10.0, True)
    assert report.clip_difference("initiatives_completed", -2.0, 2.0, 3.0) == (-2.0, 2.0, False)
    assert report.clip_difference("mean_trust", -7.5, 2.0, 3.0) == (-7.5, 2.0, False)
    nl = report.fmt_ci_clipped("initiatives_completed", row, "nl")
    assert nl.startswith("\u22123 … +2") and "afgekapt" in nl
    en = report.fmt_ci_clipped("initiatives_completed", row, "en")
    assert "clipped" in en
    assert "clipped" not in report.fmt_ci_clipped("initiatives_completed", dict(row, low=-2.0), "en")


# ---- the engine's intervals -------------------------------------------------------------------

def write_differences(exp_dir, rows):
    """differences.csv as `wijksim compare` writes it, newer than the store: `rows` in place of
    the rows of their pair and outcome, the other rows kept."""
    path = os.path.join(exp_dir, results.DIFFERENCES_FILE)
    replaced = {tuple(map(str, r[:6])) for r in rows}
    with open(path, encoding="utf-8") as f:
        header, *kept = f.read().splitlines()
    kept = [line for line in kept if tuple(line.split(",")[:6]) not in replaced]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join([header] + kept + [",".join(map(str, r)) for r in rows]) + "\n")
    store = os.path.join(exp_dir, results.STORE_FILE)
    os.utime(path, (os.path.getmtime(store) + 10, os.path.getmtime(store) + 10))


def test_differences_drawn_are_the_engines(exp_dir):
    """difference() and ranking() take the interval per week from differences.csv (the engine's),
    not from a t-table of their own: marked numbers come back as written."""
    assert results.refresh_compare(exp_dir, results.DIFFERENCES_FILE)  # every file of compare fresh
    exp = results.open_experiment(exp_dir)
    series = exp.series("active_share")
    unit = exp.units("city")[0]
    computed = results.difference(series, "plus", "base")
    rows = [("plus", "base", -1, "active_share", "city", unit, int(w), int(n), m, 100 + j, 200 + j)
            for j, (w, n, m) in enumerate(zip(computed.weeks, computed.n, computed.mean))]
    write_differences(exp_dir, rows)
    exp = results.open_experiment(exp_dir)
    series = exp.series("active_share")
    d = results.difference(series, "plus", "base")
    assert list(d.low) == [100 + j for j in range(len(rows))]
    assert list(d.high) == [200 + j for j in range(len(rows))]
    rank = {r["variant"]: r for r in results.ranking(series, "base", "active_share")}
    assert (rank["plus"]["low"], rank["plus"]["high"]) == (100 + len(rows) - 1, 200 + len(rows) - 1)
    # Rows of other pairs (a count that differs) are not taken for these, nor replaced by numbers
    # of the tools' own: the user is told to run compare again.
    write_differences(exp_dir, [r[:7] + (r[7] + 1,) + r[8:] for r in rows])
    exp = results.open_experiment(exp_dir)
    with pytest.raises(results.ResultsError, match="wijksim compare"):
        results.difference(exp.series("active_share"), "plus", "base")


def test_stale_differences_are_refreshed_by_the_engine(exp_dir):
    """A differences.csv older than the store is brought up to date by `wijksim compare`, not
    replaced by intervals computed here: marked rows in a stale file do not survive."""
    assert results.refresh_compare(exp_dir, results.DIFFERENCES_FILE)
    path = os.path.join(exp_dir, results.DIFFERENCES_FILE)
    with open(path, encoding="utf-8") as f:
        fresh = f.read()
    unit = results.open_experiment(exp_dir).units("city")[0]
    write_differences(exp_dir, [("plus", "base", -1, "active_share", "city", unit, 104, REPS, 9, 100, 200)])
    store = os.path.join(exp_dir, results.STORE_FILE)
    os.utime(path, (os.path.getmtime(store) - 10, os.path.getmtime(store) - 10))  # older than the store
    exp = results.open_experiment(exp_dir)
    d = results.difference(exp.series("active_share"), "plus", "base")
    with open(path, encoding="utf-8") as f:
        assert f.read() == fresh  # compare ran again and wrote what it wrote before
    assert d.mean[-1] == pytest.approx(0.05) and d.high[-1] < 1


def test_engine_differences_match_the_store(exp_dir):
    """`wijksim compare` on the store: its t-intervals per week are those of the pairs."""
    exp = results.open_experiment(exp_dir)
    series = exp.series("active_share")
    d = results.difference(series, "plus", "base")
    assert exp.engine_differences()  # read, not recomputed
    _, vv, bb = results.paired(series, "plus", "base")
    diff = vv - bb
    assert REPS == 5  # the t quantile below is of 4 degrees of freedom
    half = 2.776445 * np.std(diff, axis=0, ddof=1) / np.sqrt(REPS)
    assert np.allclose(d.mean, diff.mean(axis=0)) and np.all(d.n == REPS)
    assert np.allclose(d.low, diff.mean(axis=0) - half, atol=1e-9) and np.allclose(d.high, diff.mean(axis=0) + half, atol=1e-9)


def test_chance_of_being_best_is_the_engines(tmp_path):
    """rankings.csv of `wijksim compare`: per replicate the best variant in the outcome's better
    direction wins it, ties shared; a replicate not run by every variant does not count."""
    finals = {"base": [0.1, 0.3, 0.2, 0.2, 0.9], "a": [0.2, 0.2, 0.3, 0.2], "b": [0.3, 0.1, 0.3, 0.2]}
    outcomes = ["active_share", "unsafe_share", "phase"]
    manifest = {"wijksim_experiment": 1, "experiment": {"replicates": 5, "outcomes": outcomes},
                "variants": list(finals), "baseline": "base", "outcomes": outcomes, "levels": ["city"],
                "interval_weeks": 4, "replicates": 5, "seeds": {"experiment": 17, "rule": "common random numbers"},
                "engine": {"version": "9.9.9", "git_revision": "deadbeef"}, "experiment_file": "exp.json",
                "experiment_hash": "abc", "scenario_file": "s.json", "command_line": "wijksim experiment exp.json",
                "created_utc": "2026-11-22T10:00:00Z"}
    directory = str(tmp_path / "best")
    os.makedirs(directory)
    db = open_store(directory, manifest)
    run_id = 0
    for v, values in finals.items():
        for rep, x in enumerate(values):
            run_id += 1
            db.execute("INSERT INTO runs VALUES (?, ?, -1, '{}', ?, 1, 'ok', '', 0.1)", (run_id, v, rep))
            for week, value in ((0, 0.5), (4, x)):  # week 0 ties everywhere; ranked at the final week
                db.executemany("INSERT INTO outcomes VALUES (?, ?, 'city', 'GM1', ?, ?)",
                               [(run_id, week, m, value) for m in outcomes])
    db.commit()
    db.close()
    exp = results.open_experiment(directory)
    # higher is better: b, base, a and b tied, all three tied (the fifth replicate only base ran)
    rankings = exp.engine_rankings("active_share", "city", "GM1")
    assert {v: r[:2] for v, r in rankings.items()} == {v: (4, 4) for v in finals}  # week 4, 4 replicates
    assert {v: r[2] for v, r in rankings.items()} == pytest.approx({"base": 1 / 3, "a": 5 / 24, "b": 11 / 24})
    # lower is better: base, b, base, all three tied
    best = {r["variant"]: r["p_best"] for r in results.ranking(exp.series("unsafe_share"), "base", "unsafe_share")}
    assert best == pytest.approx({"base": 7 / 12, "a": 1 / 12, "b": 1 / 3})
    # an outcome that is not judged has no best
    assert all(math.isnan(r[2]) for r in exp.engine_rankings("phase", "city", "GM1").values())


def test_variants_without_common_replicates_have_no_difference(exp_dir):
    """One shard of a store: base ran replicates 0-1, the others 2-4. No pairs, so no engine rows
    and no interval: NaN, not an error and not a number of the tools' own."""
    import sqlite3
    db = sqlite3.connect(os.path.join(exp_dir, results.STORE_FILE))
    db.execute("DELETE FROM runs WHERE (variant = 'base') = (replicate >= 2)")
    db.execute("DELETE FROM outcomes WHERE run_id NOT IN (SELECT id FROM runs)")
    db.commit()
    db.close()
    exp = results.open_experiment(exp_dir)
    d = results.difference(exp.series("active_share"), "plus", "base")
    assert np.all(d.n == 0) and np.all(np.isnan(d.mean)) and np.all(np.isnan(d.low))
    rows = results.ranking(exp.series("active_share"), "base", "active_share")
    assert all(math.isnan(r["p_best"]) and math.isnan(r["mean"]) for r in rows)
