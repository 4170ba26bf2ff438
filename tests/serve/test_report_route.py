"""`POST /api/runs/{id}/report`: the HTML report of the very runs on the page (needs Debian's
python3-matplotlib, like `wijksim report`; label report, so not under the sanitizers)."""

import time

from test_api import SMALL


def test_report_of_a_finished_run(server):
    status, r = server.json("POST", "/api/runs", SMALL)
    assert status == 201
    assert server.wait_run(r["id"])["status"] == "done"
    status, a = server.json("POST", f"/api/runs/{r['id']}/report?lang=nl")
    assert status == 202 and a["report"] in ("running", "ready")
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        status, headers, body = server.request("GET", f"/api/runs/{r['id']}/report")
        if status != 202:
            break
        time.sleep(1)
    assert status == 200, body[:2000]
    assert headers["Content-Type"].startswith("text/html")
    html = body.decode()
    assert "<img" in html and "data:image/png;base64," in html
    assert "met-regie" in html and "zonder" in html
    assert server.json("GET", f"/api/runs/{r['id']}")[1]["report"] == "ready"
