#!/usr/bin/python3
"""Open an HTML report in headless Chromium and check it the way a reader would see it.

    browser_check.py REPORT.html --screenshot OUT.png [--min-images N] [--chromium PATH]

Talks the Chrome DevTools Protocol over --remote-debugging-pipe (the browser reads commands on
fd 3 and writes replies on fd 4, NUL-separated JSON), so no websocket library is needed.
Fails (exit 1) on: a console error or uncaught exception, a failed or external request, an
image that did not load, no images at all, or a blank screenshot. A missing Chromium is a
failure too, not a skip: CI must exercise the browser.
"""

import argparse
import base64
import fcntl
import io
import json
import os
import select
import shutil
import sys
import tempfile
import time

TIMEOUT = 60.0


class Browser:
    def __init__(self, chromium, profile, log):
        # Pipe ends first moved above fd 10, so the dup2 onto 3 and 4 in the child cannot
        # overwrite one another.
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (cmd_r, res_w)]
        for fd in (cmd_r, res_w):
            os.close(fd)
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        actions = [(os.POSIX_SPAWN_DUP2, high[0], 3), (os.POSIX_SPAWN_DUP2, high[1], 4),
                   (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
                   (os.POSIX_SPAWN_DUP2, 1, 2)]
        self.pid = os.posix_spawn(chromium, args, os.environ, file_actions=actions)
        for fd in high:
            os.close(fd)
        self.out, self.inp = cmd_w, res_r
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, wait=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.out, json.dumps(msg).encode() + b"\0")
        if not wait:
            return None
        reply = self.wait(lambda m: m.get("id") == self.next_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait(self, match, timeout=TIMEOUT):
        """Reads messages until one matches; events on the way are kept in self.events."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self.buf:
                raw, self.buf = self.buf.split(b"\0", 1)
                m = json.loads(raw)
                if "method" in m:
                    self.events.append(m)
                if match(m):
                    return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply from chromium in time")
            ready, _, _ = select.select([self.inp], [], [], left)
            if ready:
                chunk = os.read(self.inp, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe (crashed?)")
                self.buf += chunk

    def close(self):
        try:
            self.send("Browser.close", wait=False)
        except OSError:
            pass
        for _ in range(50):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return
            time.sleep(0.1)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)


def non_white_share(png):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    import numpy as np
    img = mpimg.imread(io.BytesIO(png), format="png")
    rgb = img[..., :3]
    ink = np.any(rgb < 0.94, axis=-1)
    return float(ink.mean()), img.shape, len(np.unique((rgb * 255).astype(int).reshape(-1, 3)[::97], axis=0))


def check(report, screenshot, min_images, chromium, sections=()):
    problems = []
    profile = tempfile.mkdtemp(prefix="wijksim-chromium-")
    browser = Browser(chromium, profile, screenshot + ".chromium.log")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1280, "height": 1600, "deviceScaleFactor": 1, "mobile": False}, session=session)
        url = "file://" + os.path.abspath(report)
        nav = browser.send("Page.navigate", {"url": url}, session=session)
        if nav.get("errorText"):
            problems.append(f"navigation failed: {nav['errorText']}")
        browser.wait(lambda m: m.get("method") == "Page.loadEventFired")
        # Let late console messages and decoding finish.
        probe = ("(async () => { await Promise.all([...document.images].map(i => i.decode().catch(() => null)));"
                 " return JSON.stringify({images: [...document.images].map(i => ({src: i.src.slice(0, 40),"
                 " complete: i.complete, width: i.naturalWidth})), svgs: document.querySelectorAll('svg').length,"
                 " title: document.title, h1: (document.querySelector('h1') || {}).textContent || '',"
                 " text: document.body.innerText.length}); })()")
        value = browser.send("Runtime.evaluate", {"expression": probe, "awaitPromise": True,
                                                  "returnByValue": True}, session=session)
        page = json.loads(value["result"]["value"])
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
        png = base64.b64decode(shot["data"])
        with open(screenshot, "wb") as f:
            f.write(png)
        metrics = browser.send("Page.getLayoutMetrics", session=session)
        size = metrics.get("cssContentSize") or metrics.get("contentSize")
        full = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                       "clip": {"x": 0, "y": 0, "width": size["width"],
                                                                "height": size["height"], "scale": 0.5}},
                            session=session)
        with open(screenshot.replace(".png", "") + "-full.png", "wb") as f:
            f.write(base64.b64decode(full["data"]))
        # A section as the reader sees it (e.g. the programme area): its own screenshot, and a
        # failure if the page does not have it.
        for section in sections:
            rect = browser.send("Runtime.evaluate", {"expression": (
                f"(() => {{ const e = document.getElementById({json.dumps(section)}); if (!e) return null;"
                " let end = e.nextElementSibling; let bottom = e.getBoundingClientRect().bottom;"
                " while (end && end.tagName !== 'H2') { bottom = end.getBoundingClientRect().bottom; end = end.nextElementSibling; }"
                " const r = e.getBoundingClientRect();"
                " return JSON.stringify({x: 0, y: r.top + window.scrollY - 8, width: 1280,"
                " height: Math.min(2400, bottom - r.top + 16)}); })()"), "returnByValue": True}, session=session)
            value = rect["result"].get("value")
            if not value:
                problems.append(f"section #{section} not found")
                continue
            clip = dict(json.loads(value), scale=1)
            part = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                           "clip": clip}, session=session)
            with open(screenshot.replace(".png", "") + f"-{section}.png", "wb") as f:
                f.write(base64.b64decode(part["data"]))
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)

    for e in browser.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            problems.append("console error: " + " ".join(str(a.get("value", a.get("description", "")))
                                                         for a in p.get("args", [])))
        elif m == "Runtime.exceptionThrown":
            problems.append("uncaught exception: " + p.get("exceptionDetails", {}).get("text", ""))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            problems.append("log error: " + p["entry"].get("text", ""))
        elif m == "Network.loadingFailed":
            problems.append(f"request failed: {p.get('errorText')} {p.get('blockedReason', '')}")
        elif m == "Network.requestWillBeSent":
            req = p.get("request", {}).get("url", "")
            if not req.startswith(("data:", "file:", "about:")):
                problems.append(f"external request: {req[:100]}")
    images = page["images"]
    bad = [i for i in images if not i["complete"] or i["width"] <= 0]
    if len(images) < min_images:
        problems.append(f"{len(images)} image(s) on the page, expected at least {min_images}")
    if bad:
        problems.append(f"{len(bad)} image(s) did not load: {bad[:3]}")
    ink, shape, colours = non_white_share(png)
    if ink < 0.02 or colours < 8:
        problems.append(f"screenshot looks blank: {ink:.1%} non-white pixels, {colours} colours")
    print(f"browser_check: {report}: title {page['title']!r}; {len(images) - len(bad)} of "
          f"{len(images)} images loaded; "
          f"{page['svgs']} inline svg; {page['text']} characters of text; screenshot {shape[1]}x{shape[0]} "
          f"with {ink:.1%} non-white pixels -> {screenshot}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--section", action="append", default=[], metavar="ID",
                    help="also screenshot the section headed by the element with this id (repeatable)")
    ap.add_argument("--min-images", type=int, default=1)
    ap.add_argument("--chromium", default=os.environ.get("WIJKSIM_CHROMIUM", "/usr/bin/chromium"))
    args = ap.parse_args()
    if not os.access(args.chromium, os.X_OK):
        print(f"browser_check: FAIL: {args.chromium} not found; install Debian's chromium "
              f"(apt-get install --no-install-recommends chromium, as tools/quickstart.sh does)", file=sys.stderr)
        return 1
    if not os.path.isfile(args.report):
        print(f"browser_check: FAIL: {args.report}: no such file", file=sys.stderr)
        return 1
    problems = check(args.report, args.screenshot, args.min_images, args.chromium, args.section)
    for p in problems:
        print(f"browser_check: FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
