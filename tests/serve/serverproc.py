"""Starts `wijksim serve --port 0` for a test and stops it with SIGINT (as Ctrl-C would)."""

import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


class Server:
    def __init__(self, wijksim, threads=2, extra=()):
        self.work = tempfile.mkdtemp(prefix="wijksim-serve-test-")
        self.log = open(os.path.join(self.work, "server.log"), "w+")
        self.proc = subprocess.Popen([wijksim, "serve", "--port", "0", "--threads", str(threads),
                                      "--work", os.path.join(self.work, "runs"), *extra],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://[^ ]+/", line)
        if not m:
            self.proc.kill()
            self.log.seek(0)
            raise RuntimeError(f"wijksim serve did not print its URL: {line!r} {self.log.read()}")
        self.url = m.group(0).rstrip("/")

    def request(self, method, path, body=None, raw=None, timeout=60):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def json(self, method, path, body=None, raw=None):
        status, _, data = self.request(method, path, body, raw)
        return status, json.loads(data)

    def wait_run(self, run_id, timeout=120, until=("done", "failed", "cancelled")):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, s = self.json("GET", f"/api/runs/{run_id}")
            assert status == 200, s
            if s["status"] in until:
                return s
            time.sleep(0.2)
        raise TimeoutError(f"run {run_id} not finished in {timeout} s")

    def stop(self):
        """Ctrl-C; returns the exit code (the server must stop cleanly and quickly)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "hung"
        return self.proc.returncode
