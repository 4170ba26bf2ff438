#!/usr/bin/python3
"""The workbench in headless Chromium, as a strategist uses it (issue 14):

open the page, pick Hengelo, select De Noork on the map, wait for the charts, move process
leadership from 0.6 to 0 with the keyboard, and see the charts and the map change. Fails on a
console error, an uncaught exception, a failed request or any request that leaves 127.0.0.1.

    browser_test.py WIJKSIM --out DIR [--docs-image PNG] [--replicates N]

Chromium is driven over the DevTools protocol on a pipe (tests/report/browser_check.py's Browser).
"""

import argparse
import base64
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "report"))
sys.path.insert(0, HERE)
from browser_check import Browser, non_white_share  # noqa: E402
from serverproc import Server  # noqa: E402


class Page:
    def __init__(self, browser, session):
        self.b, self.s = browser, session

    def eval(self, expr):
        r = self.b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True},
                        session=self.s)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expr}: {r['exceptionDetails'].get('text')}")
        return r["result"].get("value")

    def wait_for(self, expr, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = self.eval(expr)
            if v:
                return v
            time.sleep(0.2)
        raise TimeoutError(f"timed out after {timeout} s waiting for {what}")

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.b.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                        session=self.s)

    def key(self, key, code, vk):
        for kind in ("rawKeyDown", "keyUp"):
            self.b.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": code,
                                                   "windowsVirtualKeyCode": vk}, session=self.s)

    def screenshot(self, path):
        shot = self.b.send("Page.captureScreenshot", {"format": "png"}, session=self.s)
        png = base64.b64decode(shot["data"])
        with open(path, "wb") as f:
            f.write(png)
        return png


CHART_STATE = """JSON.stringify({
  status: S.status && S.status.status, id: S.runId,
  active: S.charts.active_share ? S.charts.active_share.data.datasets.filter(d => !d.label.startsWith('_'))
            .map(d => d.data.map(p => p.y)) : [],
  diff: S.charts.diff ? S.charts.diff.data.datasets.filter(d => !d.label.startsWith('_'))
            .map(d => d.data.map(p => p.y)) : [],
  map: document.getElementById('map').dataset.signature || '',
  layer: document.getElementById('map-layer').value,
  paths: document.querySelectorAll('#map path').length,
  first: S.status && S.status.first_result_seconds, all: S.status && S.status.all_results_seconds})"""


def run(args):
    problems = []
    os.makedirs(args.out, exist_ok=True)
    server = Server(args.wijksim, threads=2)
    profile = tempfile.mkdtemp(prefix="wijksim-chromium-")
    browser = Browser(args.chromium, profile, os.path.join(args.out, "chromium.log"))
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1400, "height": 1100, "deviceScaleFactor": 1, "mobile": False}, session=session)
        page = Page(browser, session)
        browser.send("Page.navigate", {"url": server.url + "/"}, session=session)
        page.wait_for("document.body && document.body.dataset.ready === '1'", 30, "the page to start")
        lang = page.eval("document.documentElement.lang")
        if lang != "nl":
            problems.append(f"page language {lang!r}, expected Dutch by default")
        gemeenten = page.eval("document.querySelectorAll('#gemeenten option').length")
        if gemeenten != 342:
            problems.append(f"{gemeenten} gemeenten offered, expected 342")

        # Fewer replicates keep the test short on a shared CI machine; the page's default is 20.
        page.eval(f"(() => {{ const r = document.getElementById('replicates'); r.value = {args.replicates};"
                  " r.dispatchEvent(new Event('change')); })()")
        # Pick Hengelo the way a user does: type in the search box and leave it.
        page.eval("(() => { const g = document.getElementById('gemeente'); g.focus(); })()")
        browser.send("Input.insertText", {"text": "Hengelo"}, session=session)
        page.eval("document.getElementById('gemeente').dispatchEvent(new Event('change'))")
        page.wait_for("document.querySelectorAll('#map path').length > 50", 30, "the map of Hengelo")
        name = page.eval("document.getElementById('gemeente').value")
        if not name.startswith("Hengelo"):
            problems.append(f"gemeente input shows {name!r}")

        # Select De Noork with a real mouse click on its outline.
        box = page.eval("""(() => { const p = document.querySelector('#map path[data-code="BU01640202"]');
            p.scrollIntoView({block: 'center'}); const r = p.getBoundingClientRect();
            return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()""")
        hit = page.eval(f"document.elementFromPoint({box['x']}, {box['y']}).dataset.code")
        if hit != "BU01640202":
            # The centre of a concave outline can fall outside it: use a point on the path itself.
            box = page.eval("""(() => { const p = document.querySelector('#map path[data-code="BU01640202"]');
                const l = p.getTotalLength(); const svg = p.ownerSVGElement; const m = p.getScreenCTM();
                for (let i = 0; i < 200; i++) { const q = p.getPointAtLength(l * i / 200);
                  const c = svg.createSVGPoint(); c.x = q.x; c.y = q.y; const s = c.matrixTransform(m);
                  for (const [dx, dy] of [[2,2],[-2,-2],[2,-2],[-2,2]])
                    if (document.elementFromPoint(s.x + dx, s.y + dy) === p) return {x: s.x + dx, y: s.y + dy}; }
                return null; })()""")
        page.click(box["x"], box["y"])
        page.wait_for("""document.querySelector('#map path[data-code="BU01640202"]').classList.contains('selected')""",
                      10, "De Noork to be selected")
        area = page.eval("document.getElementById('area-note').textContent")
        t0 = time.monotonic()
        page.wait_for("S.status && S.status.status === 'done' && S.status.variants.length === 2"
                      " && JSON.stringify(S.status.variants[1].set).includes('BU01640202')",
                      args.timeout, "the first ensemble")
        before = json.loads(page.eval(CHART_STATE))
        first_wall = time.monotonic() - t0
        pl = page.eval("document.getElementById('slider-building_blocks.process_leadership').value")
        if abs(float(pl) - 0.6) > 1e-9:
            problems.append(f"process leadership starts at {pl}, expected 0.6")
        if not before["active"] or not before["diff"]:
            problems.append(f"charts empty after the first run: {len(before['active'])} lines, {len(before['diff'])} differences")
        if before["paths"] < 50 or len(set(before["map"].split("|"))) < 3:
            problems.append("map not coloured after the first run")
        page.screenshot(os.path.join(args.out, "workbench-before.png"))

        # Move process leadership to 0 with the keyboard (Home = the slider's minimum).
        page.eval("document.getElementById('slider-building_blocks.process_leadership').focus()")
        page.key("Home", "Home", 36)
        pl = page.eval("document.getElementById('slider-building_blocks.process_leadership').value")
        if float(pl) != 0:
            problems.append(f"process leadership slider at {pl} after Home, expected 0")
        page.wait_for(f"S.runId && S.runId !== {json.dumps(before['id'])} && S.status && S.status.id === S.runId"
                      " && S.status.status === 'done'", args.timeout, "the ensemble after the slider moved")
        after = json.loads(page.eval(CHART_STATE))
        if after["active"] == before["active"]:
            problems.append("the active-residents chart did not change when process leadership went to 0")
        if after["diff"] == before["diff"]:
            problems.append("the difference chart did not change")
        if after["map"] == before["map"]:
            problems.append(f"the map ({after['layer']}) did not change")
        old = server.json("GET", f"/api/runs/{before['id']}")[1]["status"]
        png = page.screenshot(os.path.join(args.out, "workbench.png"))
        ink, shape, colours = non_white_share(png)
        if ink < 0.05 or colours < 12:
            problems.append(f"screenshot looks blank: {ink:.1%} ink, {colours} colours")
        # The English switch relabels the page without losing the results.
        page.eval("(() => { const l = document.getElementById('lang'); l.value = 'en';"
                  " l.dispatchEvent(new Event('change')); })()")
        english = json.loads(page.eval("JSON.stringify({h1: document.querySelector('h1').textContent,"
                                       " lang: document.documentElement.lang,"
                                       " blocks: [...document.querySelectorAll('#blocks b')].map(b => b.textContent),"
                                       " lines: S.charts.active_share.data.datasets.length})"))
        if english["h1"] != "wijksim workbench" or english["lang"] != "en" or \
                not any("process leadership" in b for b in english["blocks"]) or english["lines"] == 0:
            problems.append(f"English switch: {english}")
        page.screenshot(os.path.join(args.out, "workbench-en.png"))
        if args.docs_image:
            shutil.copyfile(os.path.join(args.out, "workbench.png"), args.docs_image)
        print(f"browser_test: {area!r}; first run done after {first_wall:.1f} s in the browser "
              f"(server: first charts {before['first']:.2f} s, all {before['all']:.2f} s); "
              f"after the slider: first charts {after['first']:.2f} s, all {after['all']:.2f} s; "
              f"previous run {before['id']} is {old}; screenshot {shape[1]}x{shape[0]}, {ink:.0%} ink")
    except Exception:
        # What the page showed when it went wrong, for the CI log and artefacts.
        try:
            page.screenshot(os.path.join(args.out, "workbench-failure.png"))
            print("browser_test: page state: " + page.eval(
                "JSON.stringify({status: document.getElementById('status-text').textContent,"
                " problems: document.getElementById('problems').textContent, run: S.runId,"
                " error: document.body.dataset.error || ''})"), file=sys.stderr)
        except Exception as e2:  # noqa: BLE001
            print(f"browser_test: could not read the page state: {e2}", file=sys.stderr)
        raise
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
        rc = server.stop()
        if rc != 0:
            problems.append(f"wijksim serve exited with {rc} on SIGINT, expected 0")

    for e in browser.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            problems.append("console " + p.get("type") + ": " + " ".join(str(a.get("value", a.get("description", "")))
                                                                        for a in p.get("args", [])))
        elif m == "Runtime.exceptionThrown":
            problems.append("uncaught exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            problems.append("log error: " + p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
        elif m == "Network.loadingFailed" and p.get("errorText") != "net::ERR_ABORTED":
            problems.append(f"request failed: {p.get('errorText')} {p.get('blockedReason', '')}")
        elif m == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if not (url.startswith(server.url + "/") or url.startswith(("data:", "about:"))):
                problems.append(f"request leaves 127.0.0.1: {url[:100]}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wijksim")
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs-image")
    ap.add_argument("--replicates", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=240)
    ap.add_argument("--chromium", default=os.environ.get("WIJKSIM_CHROMIUM", "/usr/bin/chromium"))
    args = ap.parse_args()
    if not os.access(args.chromium, os.X_OK):
        print(f"browser_test: FAIL: {args.chromium} not found (apt-get install chromium, as tools/quickstart.sh does)",
              file=sys.stderr)
        return 1
    problems = run(args)
    for p in problems:
        print(f"browser_test: FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
