"""Every route of `wijksim serve` (docs/SERVE.md) and every kind of bad request."""

import csv
import io
import json
import os
import subprocess
import tempfile
import time

# A small, fast request: Hengelo's wijk Noord (10k residents), half a year, two replicates.
SMALL = {"gemeente": "GM0164", "wijken": ["WK016402"], "years": 0.5, "replicates": 2, "seed": 3,
         "baseline": "zonder", "set": {"programme.enabled": False},
         "variants": [{"name": "met-regie", "set": {"programme.enabled": True, "building_blocks.process_leadership": 0.6,
                                                   "programme.start_buurten": ["BU01640202"],
                                                   "programme.wijken": ["WK016402"]}}]}


def test_gemeenten_lists_all_342_with_residents(server):
    status, g = server.json("GET", "/api/gemeenten")
    assert status == 200
    assert len(g) == 342
    hengelo = [x for x in g if x["code"] == "GM0164"]
    assert hengelo and hengelo[0]["name"].startswith("Hengelo") and hengelo[0]["residents"] > 80000
    assert [x["name"] for x in g] == sorted(x["name"] for x in g)


def test_gemeente_detail_has_hierarchy_indicators_and_outlines(server):
    status, d = server.json("GET", "/api/gemeenten/GM0164")
    assert status == 200
    noord = [w for w in d["wijken"] if w["code"] == "WK016402"][0]
    assert "BU01640202" in noord["buurten"]
    noork = [b for b in d["buurten"] if b["code"] == "BU01640202"][0]
    assert noork["name"] == "De Noork" and noork["wijk"] == "WK016402" and noork["residents"] > 1000
    assert 0.05 <= noork["deprivation"] <= 1 and "wozWaarde" in noork["indicators"]
    assert d["outline"]["viewBox"] and len(d["outline"]["features"]) > 50
    assert sum(w["residents"] for w in d["wijken"]) == sum(b["residents"] for b in d["buurten"])
    # By bare number too; an unknown code is a 404 with a suggestion.
    assert server.json("GET", "/api/gemeenten/0164")[1]["code"] == "GM0164"
    status, e = server.json("GET", "/api/gemeenten/Hengelo%20(O)")
    assert status == 404 and "Hengelo (O.)" in e["error"]


def test_params_and_scenarios(server):
    status, p = server.json("GET", "/api/params")
    assert status == 200
    paths = [x["path"] for x in p]
    assert sum(x.startswith("building_blocks.") for x in paths) == 7
    pl = [x for x in p if x["path"] == "building_blocks.process_leadership"][0]
    assert pl["min"] == 0 and pl["max"] == 1
    status, s = server.json("GET", "/api/scenarios")
    files = [x["file"] for x in s]
    assert status == 200 and "hengelo-noord.json" in files
    assert "hengelo-noord-experiment.json" not in files  # experiment files are not scenarios
    assert server.json("GET", "/api/health")[1]["ok"] is True


def test_run_streams_results_and_matches_wijksim_run(server, wijksim):
    status, r = server.json("POST", "/api/runs", SMALL)
    assert status == 201, r
    s = server.wait_run(r["id"])
    assert s["status"] == "done" and s["progress"] == 1
    assert [v["name"] for v in s["variants"]] == ["zonder", "met-regie"]
    assert all(v["replicates_done"] == 2 for v in s["variants"])
    for m in ("active_share", "unsafe_share", "trust_share"):
        fan = s["fans"][m]["met-regie"]
        assert len(fan["p50"]) == len(s["weeks"]) and fan["n"] == 2
        assert all(lo <= mid <= hi for lo, mid, hi in zip(fan["p5"], fan["p50"], fan["p95"]))
        d = s["differences"][m]["met-regie"]
        assert d["n"] == 2 and all(lo <= mu <= hi for lo, mu, hi in zip(d["lo"], d["mean"], d["hi"]))
    assert len(s["map"]["units"]) == 5 and "BU01640202" in s["map"]["units"]
    assert s["first_result_seconds"] > 0 and s["all_results_seconds"] >= s["first_result_seconds"]

    # The downloaded scenario is valid for `wijksim run` and reproduces the server's numbers
    # (same seed, same replicates: common random numbers with the CLI).
    status, headers, body = server.request("GET", f"/api/runs/{r['id']}/scenario?variant=met-regie")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    scenario = json.loads(body)
    assert scenario["building_blocks"]["process_leadership"] == 0.6
    assert scenario["programme"]["start_buurten"] == ["BU01640202"]
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "s.json")
        with open(f, "w") as out:
            json.dump(scenario, out)
        assert subprocess.run([wijksim, "validate", f], capture_output=True).returncode == 0
        subprocess.run([wijksim, "run", f, "--out", os.path.join(tmp, "run"), "--quiet", "--threads", "1"],
                       check=True, capture_output=True)
        cli = {}
        with open(os.path.join(tmp, "run", "timeseries.csv")) as ts:
            for row in csv.DictReader(ts):
                if row["level"] == "city" and row["metric"] == "active_share":
                    cli[(int(row["replicate"]), int(row["week"]))] = float(row["value"])
    status, _, data = server.request("GET", f"/api/runs/{r['id']}/data.csv")
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    # variants x replicates x weeks x (city + 5 buurten) x 5 outcomes
    assert len(rows) == 2 * 2 * len(s["weeks"]) * 6 * 5
    served = {(int(x["replicate"]), int(x["week"])): float(x["value"]) for x in rows
              if x["variant"] == "met-regie" and x["level"] == "city" and x["metric"] == "active_share"}
    common = set(served) & set(cli)
    assert len(common) >= len(s["weeks"])
    for k in common:
        assert abs(served[k] - cli[k]) < 1e-9, (k, served[k], cli[k])


def test_same_messages_as_the_cli(server, wijksim, tmp_path):
    # The CLI's exit-2 problem for an out-of-range building block ...
    hn = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios", "hengelo-noord.json")
    cli = subprocess.run([wijksim, "validate", hn, "--set", "building_blocks.trust=2"], capture_output=True, text=True)
    assert cli.returncode == 2
    cli_message = cli.stderr.strip().split(": ")[-1]
    # ... is the API's 400 problem for the same override.
    status, e = server.json("POST", "/api/runs", {"scenario_file": "hengelo-noord.json", "set": {"building_blocks.trust": 2}})
    assert status == 400 and e["error"] == "invalid input"
    assert any(cli_message in p["message"] for p in e["problems"]), (cli_message, e)
    # Scenario problems of an uploaded scenario name the scenario and its JSON path.
    status, e = server.json("POST", "/api/runs", {"scenario": {"name": "x", "city": {"wijken": []}}})
    assert status == 400 and any(p["file"] == "scenario" and p["path"].startswith("city") for p in e["problems"])


def bad(server, body=None, raw=None):
    status, e = server.json("POST", "/api/runs", body, raw)
    assert status == 400, e
    return " | ".join(p["text"] for p in e["problems"])


def test_bad_requests_are_400_with_every_problem(server):
    assert "line 1, column" in bad(server, raw=b'{"gemeente": ')
    assert "expected an object" in bad(server, raw=b"[1, 2]")
    assert "exactly one of" in bad(server, {"years": 1})
    assert "exactly one of" in bad(server, {"gemeente": "GM0164", "scenario_file": "hengelo-noord.json"})
    assert 'did you mean "Hengelo (O.)"' in bad(server, {"gemeente": "Hengelo (O)"})
    assert "WK999999" in bad(server, {"gemeente": "GM0164", "wijken": ["WK999999"]})
    assert "did you mean \"replicates\"" in bad(server, {"gemeente": "GM0164", "replicate": 3})
    assert "whole number from 1 to 200" in bad(server, {"gemeente": "GM0164", "replicates": 0})
    assert "whole number from 1 to 200" in bad(server, {"gemeente": "GM0164", "replicates": 2.5})
    assert "from 0.25 to 30" in bad(server, {"gemeente": "GM0164", "years": 100})
    assert "at most 3 variants" in bad(server, {"gemeente": "GM0164", "variants": [{"name": f"v{i}"} for i in range(4)]})
    assert "did you mean \"trust\"" in bad(server, {"gemeente": "GM0164", "set": {"building_blocks.trus": 0.5}})
    assert "expected letters, digits" in bad(server, {"gemeente": "GM0164", "variants": [{"name": "a b"}]})
    assert "shipped scenario" in bad(server, {"scenario_file": "../../etc/passwd"})
    assert "start_buurten is empty" in bad(server, {"gemeente": "GM0164", "wijken": ["WK016402"],
                                                     "set": {"programme.rollout_after": 2}})
    assert "YYYY-MM-DD" in bad(server, {"gemeente": "GM0164", "start_date": "30-03-2026"})
    several = bad(server, {"gemeente": "GM0164", "replicates": -1, "years": "x", "seed": "y"})
    assert several.count("request:") >= 3  # every problem at once


def test_budget_body_routes_and_methods(server):
    status, e = server.json("POST", "/api/runs", {"scenario_file": "netherlands.json", "replicates": 1})
    assert status == 422 and "memory budget" in e["error"]
    status, _, _ = server.request("POST", "/api/runs", raw=b"{" + b" " * (2 << 20) + b"}")
    assert status == 413
    assert server.json("GET", "/api/nothing")[0] == 404
    assert server.json("GET", "/api/runs/r999-0")[0] == 404
    assert server.json("DELETE", "/api/runs/r999-0")[0] == 404
    assert server.json("GET", "/api/runs/r999-0/scenario")[0] == 404
    assert server.json("GET", "/api/runs/r999-0/data.csv")[0] == 404
    assert server.json("POST", "/api/runs/r999-0/report")[0] == 404
    assert server.json("PUT", "/api/runs", {})[0] == 405
    assert server.json("DELETE", "/api/gemeenten")[0] == 405
    status, _, body = server.request("GET", "/")
    assert status == 200 and b"<html" in body
    status, _, body = server.request("GET", "/vendor/chart.min.js")
    assert status == 200 and b"Chart.js" in body[:200]
    assert server.request("GET", "/nothing.html")[0] == 404


def test_cancel_and_replace_stop_stale_work(server):
    big = dict(SMALL, years=8, replicates=40)
    status, a = server.json("POST", "/api/runs", big)
    assert status == 201
    status, d = server.json("DELETE", f"/api/runs/{a['id']}")
    assert status == 200 and d["status"] == "cancelled"
    s = server.json("GET", f"/api/runs/{a['id']}")[1]
    assert s["status"] == "cancelled"
    # A report needs a finished run.
    assert server.json("POST", f"/api/runs/{a['id']}/report")[0] == 409
    # replaces: the new run cancels the old one.
    status, b = server.json("POST", "/api/runs", big)
    status, c = server.json("POST", "/api/runs", dict(SMALL, replaces=b["id"]))
    assert status == 201
    assert server.json("GET", f"/api/runs/{b['id']}")[1]["status"] == "cancelled"
    assert server.wait_run(c["id"])["status"] == "done"
    status, e = server.json("GET", f"/api/runs/{c['id']}/scenario?variant=nope")
    assert status == 400 and "variant" in e["problems"][0]["path"]
    assert server.json("POST", f"/api/runs/{c['id']}/report?lang=fr")[0] == 400


def test_results_stream_week_by_week_before_any_replicate_is_done(server):
    # 30 years of wijk Noord: one replicate runs long enough (about a second in release) for
    # the polls to see replicates under way. Their weeks so far are already in the fans and the
    # map; later weeks are null.
    status, r = server.json("POST", "/api/runs", dict(SMALL, years=30, replicates=2))
    assert status == 201
    seen = None
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        s = server.json("GET", f"/api/runs/{r['id']}")[1]
        fan = s["fans"]["active_share"].get("zonder")
        if fan and s["variants"][0]["replicates_done"] == 0:
            known = [v for v in fan["p50"] if v is not None]
            if 0 < len(known) < len(fan["p50"]):
                seen = (len(known), len(fan["p50"]), s["map"]["mean"]["active_share"]["zonder"][:3])
                break
        if s["status"] not in ("running", "queued"):
            break
    server.json("DELETE", f"/api/runs/{r['id']}")
    assert seen, "no partial results seen while the first replicate ran"
    assert fan["p50"][0] is not None and fan["p50"][-1] is None


def test_uploaded_and_shipped_scenarios_run(server):
    hn = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios", "hengelo-noord.json")
    with open(hn) as f:
        scenario = json.load(f)
    for source in ({"scenario": scenario}, {"scenario_file": "hengelo-noord.json"}):
        status, r = server.json("POST", "/api/runs", dict(source, years=0.5, replicates=1, start_date="2027-01-04"))
        assert status == 201, r
        s = server.wait_run(r["id"])
        assert s["status"] == "done" and s["start_date"] == "2027-01-04"
        assert s["city"]["code"] == "GM0164" and len(s["map"]["units"]) == 5
