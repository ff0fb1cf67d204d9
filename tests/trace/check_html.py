#!/usr/bin/env python3
"""Loads a page written by `csp --trace OUT.html` in headless Chromium and
checks that it really drew the trace.

    check_html.py PAGE.html [--lanes N] [--goroutines N] [--slices N]
                  [--screenshot OUT.png] [--window WxH]

The page's script fills in an invisible element once it has drawn,

    <div id="status" data-rendered="1" data-errors="0" data-lanes="2"
         data-goroutines="17" data-slices="...">

and counts script errors (window.onerror) into data-errors. This runs
`chromium --headless --dump-dom` on PAGE.html#selftest — with #selftest
the page also hovers over every lane, zooms, pans, draws the wake-up
arrows and resets the view, and sets data-selftest="ok" — and checks
those attributes: rendered, self-test done, no errors, and the expected
lanes (worker threads), goroutines and slices. Without --goroutines / --slices the expected counts are taken
from the trace JSON embedded in the page (go events and run slices). With
--screenshot it also takes a picture of the page and checks that it is a
non-empty PNG.

Exit status: 0 ok, 1 a check failed, 77 Chromium is not installed (the
caller reports the test as skipped).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio"]


def browser():
    for b in BROWSERS:
        path = shutil.which(b)
        if path:
            return path
    return None


def run_browser(exe, args, url):
    with tempfile.TemporaryDirectory() as profile:
        cmd = [exe] + FLAGS + ["--user-data-dir=" + profile] + args + [url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def expected_counts(page):
    with open(page, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r'<script id="trace" type="application/json">\n?(.*?)</script>', text, re.S)
    doc = json.loads(m.group(1))
    evs = doc["traceEvents"]
    gor = sum(1 for e in evs if e.get("ph") == "i" and e.get("cat") == "go")
    slices = sum(1 for e in evs if e.get("ph") == "X" and e.get("cat") == "run")
    return doc["otherData"]["threads"], gor, slices


def main():
    p = argparse.ArgumentParser()
    p.add_argument("page")
    p.add_argument("--lanes", type=int)
    p.add_argument("--goroutines", type=int)
    p.add_argument("--slices", type=int)
    p.add_argument("--screenshot")
    p.add_argument("--window", default="1400,700")
    o = p.parse_args()
    exe = browser()
    if not exe:
        print("skipped (no chromium)")
        return 77
    page = os.path.abspath(o.page)
    url = "file://" + page
    threads, gor, slices = expected_counts(page)
    want = {
        "data-rendered": "1",
        "data-errors": "0",
        "data-lanes": str(o.lanes if o.lanes is not None else threads),
        "data-goroutines": str(o.goroutines if o.goroutines is not None else gor),
        "data-slices": str(o.slices if o.slices is not None else slices),
    }
    want["data-selftest"] = "ok"
    r = run_browser(exe, ["--dump-dom"], url + "#selftest")
    m = re.search(r'<div id="status"([^>]*)>', r.stdout)
    if r.returncode != 0 or not m:
        print(f"{o.page}: no status element in the dumped DOM (chromium exit {r.returncode})")
        print("\n".join(r.stderr.splitlines()[-5:]))
        return 1
    have = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', m.group(1)))
    bad = [f"{k}={have.get(k)!r}, expected {v!r}" for k, v in want.items() if have.get(k) != v]
    if bad:
        print(f"{o.page}: " + "; ".join(bad))
        return 1
    if o.screenshot:
        shot = os.path.abspath(o.screenshot)
        if os.path.exists(shot):
            os.remove(shot)
        r = run_browser(exe, ["--screenshot=" + shot, "--window-size=" + o.window], url)
        try:
            with open(shot, "rb") as f:
                head = f.read(8)
            size = os.path.getsize(shot)
        except OSError:
            head, size = b"", 0
        if head != b"\x89PNG\r\n\x1a\n" or size < 2000:
            print(f"{o.page}: no screenshot ({size} bytes; chromium exit {r.returncode})")
            return 1
        print(f"ok: {' '.join(f'{k[5:]}={v}' for k, v in have.items())}; screenshot {size} bytes")
    else:
        print(f"ok: {' '.join(f'{k[5:]}={v}' for k, v in have.items())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
