"""A small load test: 50 requests at once over loopback (reads, runs, cancellations and bad
input mixed). The server answers every one correctly and is healthy afterwards."""

import concurrent.futures
import json

RUN = {"gemeente": "GM0164", "wijken": ["WK016402"], "years": 0.25, "replicates": 1,
       "variants": [{"name": "geen-regie", "set": {"building_blocks.process_leadership": 0}}]}


def one(server, i):
    kind = i % 5
    if kind == 0:
        status, g = server.json("GET", "/api/gemeenten")
        return status == 200 and len(g) == 342
    if kind == 1:
        status, d = server.json("GET", "/api/gemeenten/GM0164")
        return status == 200 and len(d["outline"]["features"]) > 50
    if kind == 2:
        status, r = server.json("POST", "/api/runs", dict(RUN, seed=i))
        if status != 201:
            return False
        s = server.wait_run(r["id"], timeout=300)
        return s["status"] == "done" and s["seed"] == i and all(v["replicates_done"] == 1 for v in s["variants"])
    if kind == 3:
        status, r = server.json("POST", "/api/runs", dict(RUN, years=8, replicates=20, seed=i))
        if status != 201:
            return False
        status, d = server.json("DELETE", f"/api/runs/{r['id']}")
        return status == 200 and server.json("GET", f"/api/runs/{r['id']}")[1]["status"] == "cancelled"
    status, e = server.json("POST", "/api/runs", raw=b'{"gemeente": "GM0164", "set": ')
    return status == 400 and "line 1" in e["problems"][0]["message"]


def test_fifty_concurrent_requests(server):
    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda i: one(server, i), range(50)))
    assert all(results), [i for i, ok in enumerate(results) if not ok]
    status, h = server.json("GET", "/api/health")
    assert status == 200 and h["ok"] and h["active_runs"] == 0
