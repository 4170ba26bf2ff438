"""What readers of the charts and the report see: tick labels, the contrast sentence, costs
that count professionals, the programme-area figures and the buurt map. Run with:
WIJKSIM_BIN=build/release/engine/wijksim /usr/bin/python3 -m pytest tools/plot"""

import json
import os
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import matplotlib  # noqa: E402
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import buurt_map  # noqa: E402
import catalogue  # noqa: E402
import labels  # noqa: E402
import report  # noqa: E402
import results  # noqa: E402
import wijksim_plot as wp  # noqa: E402
from synthetic_store import open_store  # noqa: E402


def tick_texts(ax, axis="y"):
    ax.figure.canvas.draw()
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks if t.get_text()]


@pytest.mark.parametrize("low, high", [(0.060, 0.064), (0.0601, 0.0609), (0.2, 0.6), (0.0, 0.015)])
def test_share_ticks_are_distinct_exact_and_dutch(low, high):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [low, high])
    wp.format_y_for(ax, "active_share", "nl")
    texts = tick_texts(ax)
    plt.close(fig)
    assert len(set(texts)) == len(texts), texts       # never "6%, 6%, 6%"
    assert all(t.endswith("%") for t in texts)
    assert not any("." in t for t in texts), texts    # decimal comma in Dutch
    for t, v in zip(texts, ax.get_yticks()[:len(texts)]):
        pass
    # Every label is the tick's exact value, not a rounding of it.
    fig, ax = plt.subplots()
    ax.plot([0, 1], [low, high])
    wp.format_y_for(ax, "active_share", "nl")
    ax.figure.canvas.draw()
    lo, hi = ax.get_ylim()
    for tick, label in zip(ax.get_yticks(), ax.get_yticklabels()):
        if lo <= tick <= hi:
            assert float(label.get_text().rstrip("%").replace("−", "-").replace(",", ".")) == pytest.approx(100 * tick)
    plt.close(fig)


def test_difference_axis_in_percentage_points_signed():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [-0.01, 0.015])
    wp.format_difference_axis(ax.yaxis, "active_share", "nl")
    texts = tick_texts(ax)
    plt.close(fig)
    assert "0" in texts and any(t.startswith("+") for t in texts) and any(t.startswith("−") for t in texts)
    assert not any(t.endswith("%") for t in texts)      # points, not percent
    assert wp.difference_unit("active_share", "nl") == "procentpunt"
    assert wp.difference_unit("mean_trust", "nl") == ""


def test_format_number():
    assert labels.format_number(1234.5, 1, "nl") == "1.234,5"
    assert labels.format_number(1234.5, 1, "en") == "1,234.5"
    assert labels.format_number(-0.04, 1, "nl") == "0,0"        # no "−0,0"
    assert labels.format_number(-2.5, 1, "nl", sign=True) == "−2,5"
    assert labels.unique_decimals([0.06, 0.0625, 0.065], "nl", 100) == 2
    assert labels.unique_decimals([0.015, 0.03], "nl", 100) == 1   # not "+2" for 1.5


def test_catalogue_comes_from_the_engine():
    cat = catalogue.catalogue()
    assert cat["active_share"]["better"] == "higher" and cat["active_share"]["unit"] == "share"
    assert cat["unsafe_share"]["better"] == "lower"
    assert cat["staff_euros"]["unit"] == "euros"
    assert labels.metric_label("unsafe_share", "nl") == "voelt zich weleens onveilig"
    assert results.direction("incidents") == "lower"


@pytest.mark.parametrize("low, high, verdict", [
    (0.010, 0.020, "better_large"), (0.002, 0.020, "better"), (-0.002, 0.003, "negligible"),
    (-0.004, 0.020, "unclear"), (-0.020, -0.010, "worse_large"), (-0.020, -0.001, "worse")])
def test_contrast_verdict(low, high, verdict):
    assert results.contrast_verdict(low, high, 0.005, "higher") == verdict


def test_contrast_verdict_lower_is_better():
    # Less unsafety is better: a clearly negative difference is a clear improvement.
    assert results.contrast_verdict(-0.03, -0.02, 0.01, "lower") == "better_large"


def test_ranking_verdict_says_worse_too():
    assert wp.rank_verdict({"low": -0.03, "high": -0.01}, "active_share") == "worse"
    assert wp.rank_verdict({"low": -0.03, "high": -0.01}, "unsafe_share") == "better"
    assert wp.rank_verdict({"low": -0.01, "high": 0.01}, "active_share") == "unclear"
    assert labels.text("rank_worse", "nl").startswith("duidelijk slechter")


def test_map_paths_parse_and_draw(tmp_path):
    rings = buurt_map.parse_path("M0 0L10 0L10 10Z M20 20L30 20L30 30L20 30Z")
    assert [len(r) for r in rings] == [3, 4]
    with pytest.raises(buurt_map.MapError):
        buurt_map.parse_path("m0 0l10 0l0 10z")
    outlines = buurt_map.load_outlines("GM0150")  # Deventer, shipped in data/cbs
    assert len(outlines) > 60 and "BU01500101" in outlines
    values = {code: (i % 5 - 2) / 100 for i, code in enumerate(outlines)}
    fig = buurt_map.map_figure(outlines, values, "nl", title="t", highlight={"BU01500101"},
                               credit="Bron: CBS, Kerncijfers wijken en buurten 2024")
    out = tmp_path / "map.png"
    fig.savefig(out)
    plt.close(fig)
    img = plt.imread(out)
    # Something is drawn in colour (not a blank or grey page) and the credit is on it.
    rgb = img[..., :3]
    assert (np.ptp(rgb, axis=2) > 0.2).mean() > 0.02
    assert "CBS" in fig._supxlabel.get_text()


# ---- a store with a programme area, professionals' costs and contrasts ------------------------

def make_area_store(directory):
    """City of two wijken (W1 in the programme, W2 not); variants base, stop, lead. The
    programme raises W1's active residents by 100 (base) or 40 (stop); W2 never changes. Staff
    cost 200,000 more in base than in stop."""
    os.makedirs(directory, exist_ok=True)
    outcomes = ["active_share", "active_residents", "euros_spent", "staff_euros"]
    variants = ["base", "stop"]
    doc = {"description": "q", "scenario": "s.json", "replicates": 6, "outcomes": outcomes,
           "levels": ["city", "wijk"],
           "variants": [{"name": "base"}, {"name": "stop", "set": {"programme.stop_at_election": 1}}],
           "contrasts": [{"name": "doorgaan vs stoppen", "a": "base", "b": "stop"}],
           "smallest_effect": {"active_share": 0.005}}
    # The scenario the store names: `wijksim compare` reads the programme area (W1) and the
    # wijken's adults (1,000 and 3,000) from it.
    def buurt(code, n):
        return {"code": code, "name": code, "residents": n * 6 // 5, "deprivation": 0.5,
                "age": {"0-15": n // 5, "15-25": n // 5, "25-45": n * 3 // 10, "45-65": n * 3 // 10, "65+": n // 5}}
    scenario = {"name": "area-test", "description": "two wijken, the programme in W1", "programme": {"wijken": ["W1"]},
                "city": {"code": "GM", "name": "Stad", "wijken": [
                    {"code": "W1", "name": "Noord", "buurten": [buurt("B1", 1000)]},
                    {"code": "W2", "name": "Zuid", "buurten": [buurt("B2", 3000)]}]}}
    for name, content in (("s.json", scenario), ("e.json", doc)):
        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
            json.dump(content, f)
    manifest = {"experiment": doc, "experiment_file": os.path.join(directory, "e.json"), "experiment_hash": "h", "variants": variants,
                "baseline": "base", "outcomes": outcomes, "levels": ["city", "wijk"], "replicates": 6,
                "cells": [{"variant": v, "design_point": -1} for v in variants], "seeds": {"experiment": 1}, "engine": {}}
    db = open_store(directory, manifest)
    rid = 0
    adults = {"W1": 1000, "W2": 3000}
    for v in variants:
        for rep in range(6):
            rid += 1
            db.execute("INSERT INTO runs VALUES (?, ?, 0, '{}', ?, ?, 'ok', '', 1)", (rid, v, rep, rep))
            for week in (0, 52, 104):
                noise = (rep % 3 - 1) * 2
                gain = {"base": 100, "stop": 40}[v] * week / 104
                act = {"W1": 200 + gain + noise, "W2": 600 + noise}
                rows = []
                for w in ("W1", "W2"):
                    rows += [(rid, week, "wijk", w, "active_residents", act[w]),
                             (rid, week, "wijk", w, "active_share", act[w] / adults[w])]
                total = act["W1"] + act["W2"]
                euros = {"base": 50000, "stop": 30000}[v] * week / 104
                staff = {"base": 300000, "stop": 100000}[v] * week / 104
                rows += [(rid, week, "city", "GM", "active_residents", total),
                         (rid, week, "city", "GM", "active_share", total / 4000),
                         (rid, week, "city", "GM", "euros_spent", euros + rep),
                         (rid, week, "city", "GM", "staff_euros", staff)]
                db.executemany("INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    ctx = {"programme_area": {"wijken": ["W1"], "start_buurten": []}, "wijk_of": {"B1": "W1", "B2": "W2"},
           "adults": adults, "units": {"GM": "Stad", "W1": "Noord", "W2": "Zuid"},
           "credit": "Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED)", "parameters": [],
           "runs": {"planned": 12, "ok": 12}}
    with open(os.path.join(directory, "report_context.json"), "w") as f:
        json.dump(ctx, f)


def test_programme_area_is_not_diluted(tmp_path):
    make_area_store(str(tmp_path))
    exp = results.open_experiment(str(tmp_path))
    assert exp.programme_area() == ["W1"]
    area = results.difference(exp.scoped_series("active_share", "area"), "base", "stop")
    city = results.difference(exp.scoped_series("active_share", "city"), "base", "stop")
    assert area.mean[-1] == pytest.approx(60 / 1000)   # 60 more active of W1's 1,000 adults
    assert city.mean[-1] == pytest.approx(60 / 4000)   # the same 60 over the whole city
    exp.close()


def test_cost_counts_professionals(tmp_path):
    make_area_store(str(tmp_path))
    exp = results.open_experiment(str(tmp_path))
    c = results.cost_per_active(exp, "base", "stop", "area")
    assert c["included"] == ["euros_spent", "staff_euros"]
    assert c["extra_euros"] == pytest.approx(20000 + 200000)
    assert c["cost"] == pytest.approx(220000 / 60)
    exp.close()


def test_report_answers_the_contrast_first(tmp_path):
    make_area_store(str(tmp_path))
    out = tmp_path / "r.html"
    assert report.main([str(tmp_path), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    kern = page[page.index('id="kernpunten"'):page.index('id="programme-area"')]
    assert "doorgaan vs stoppen" in kern and "in het programmagebied (Noord)" in kern
    assert "+6,0 procentpunt" in kern                    # the area figure, not the diluted +1,5
    assert "meer dan het kleinste effect dat telt (0,5 procentpunt)" in kern
    assert "€ 3.667" in kern                              # 220,000 / 60, professionals included
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in page
    assert page.index('id="programme-area"') < page.index("De vergeleken scenario")


def test_incomplete_store_says_so_on_top(tmp_path):
    make_area_store(str(tmp_path))
    ctx_path = tmp_path / "report_context.json"
    ctx = json.loads(ctx_path.read_text())
    ctx["runs"] = {"planned": 20, "ok": 12}
    ctx_path.write_text(json.dumps(ctx))
    out = tmp_path / "r.html"
    assert report.main([str(tmp_path), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.index('id="incomplete"') < page.index("<h2>")
    assert "12 van de 20" in page


def make_two_wijk_area_store(directory):
    """City of three wijken (adults 1,000, 3,000 and 500); the programme covers W1 and W2. Per
    replicate r the shares are 0.1 + 0.01 r (W1), 0.3 (W2) and 0.9 (W3, outside)."""
    os.makedirs(directory, exist_ok=True)
    outcomes = ["active_share", "active_residents", "euros_spent"]
    variants = ["base", "more"]
    doc = {"description": "q", "scenario": "s.json", "replicates": 5, "outcomes": outcomes,
           "levels": ["city", "wijk"], "variants": [{"name": "base"}, {"name": "more"}]}

    def buurt(code, n):
        return {"code": code, "name": code, "residents": n * 6 // 5, "deprivation": 0.5,
                "age": {"0-15": n // 5, "15-25": n // 5, "25-45": n * 3 // 10, "45-65": n * 3 // 10, "65+": n // 5}}
    adults = {"W1": 1000, "W2": 3000, "W3": 500}
    scenario = {"name": "area2", "description": "three wijken", "programme": {"wijken": ["W2", "W1"]},
                "city": {"code": "GM", "name": "Stad", "wijken": [
                    {"code": w, "name": w, "buurten": [buurt("B" + w, n)]} for w, n in adults.items()]}}
    for name, content in (("s.json", scenario), ("e.json", doc)):
        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
            json.dump(content, f)
    manifest = {"experiment": doc, "experiment_file": os.path.join(directory, "e.json"), "experiment_hash": "h",
                "variants": variants, "baseline": "base", "outcomes": outcomes, "levels": ["city", "wijk"],
                "replicates": 5, "cells": [{"variant": v, "design_point": -1} for v in variants],
                "seeds": {"experiment": 1}, "engine": {}}
    db = open_store(directory, manifest)
    rid = 0
    for v in variants:
        for rep in range(5):
            rid += 1
            db.execute("INSERT INTO runs VALUES (?, ?, -1, '{}', ?, ?, 'ok', '', 1)", (rid, v, rep, rep))
            extra = 0.05 if v == "more" else 0.0
            share = {"W1": 0.1 + 0.01 * rep + extra, "W2": 0.3 + extra * (1 + rep % 2), "W3": 0.9}
            rows = []
            for week in (0, 52):
                for w, s in share.items():
                    rows += [(rid, week, "wijk", w, "active_share", s),
                             (rid, week, "wijk", w, "active_residents", s * adults[w])]
                rows += [(rid, week, "city", "GM", "active_share", 0.5),
                         (rid, week, "city", "GM", "active_residents", sum(s * adults[w] for w, s in share.items())),
                         (rid, week, "city", "GM", "euros_spent", (1000.0 + 100 * rep) if v == "more" else 0.0)]
            db.executemany("INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()


def test_engine_weights_the_programme_area_by_adults(tmp_path):
    """`wijksim compare` takes the programme's wijken (scenario order, W3 left out) as one unit:
    shares weighted by adults, counts summed; the cost's bootstrap is the same on every run."""
    d = str(tmp_path)
    make_two_wijk_area_store(d)
    exp = results.open_experiment(d)
    assert exp.programme_area() == ["W1", "W2"]
    share = exp.area_series("active_share")["base"]
    count = exp.area_series("active_residents")["base"]
    for k, (point, rep) in enumerate(share.keys):
        assert share.values[k, -1] == pytest.approx(((0.1 + 0.01 * rep) * 1000 + 0.3 * 3000) / 4000)
        assert count.values[k, -1] == pytest.approx((0.1 + 0.01 * rep) * 1000 + 0.3 * 3000)
    c = results.cost_per_active(exp, "more", scope="area")
    gains = [0.05 * 1000 + 0.05 * (1 + r % 2) * 3000 for r in range(5)]
    assert c["status"] == "ok" and c["n"] == 5
    assert c["extra_active"] == pytest.approx(np.mean(gains))
    assert c["cost"] == pytest.approx(np.mean([1000 + 100 * r for r in range(5)]) / np.mean(gains))
    assert c["cost_ci"][0] < c["cost"] < c["cost_ci"][1]
    with open(os.path.join(d, results.COSTS_FILE), encoding="utf-8") as f:
        first = f.read()
    os.utime(os.path.join(d, results.STORE_FILE))  # newer than the derived files: compare again
    os.utime(os.path.join(d, results.COSTS_FILE), (0, 0))
    assert results.refresh_compare(d, results.COSTS_FILE)
    with open(os.path.join(d, results.COSTS_FILE), encoding="utf-8") as f:
        assert f.read() == first
    exp.close()
