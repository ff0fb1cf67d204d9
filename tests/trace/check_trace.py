#!/usr/bin/env python3
"""Checks a trace written by `csp --trace OUT.json` (or the JSON inside
OUT.html): that it is valid Chrome trace event JSON and that its events
tell a consistent story.

    check_trace.py TRACE [--threads N] [--goroutines N] [--busy-lanes N]
                   [--min-gc N] [--min-flows N] [--min-timers N]
                   [--reason R]... [--end E]... [--truncated]

Rules:
  - the file is one JSON object with a traceEvents list; every event has
    name, ph, pid and tid, and a numeric ts unless it is metadata;
  - every worker 0..threads-1 has a thread_name; every tid an event uses
    has one too;
  - run slices (X, cat run) are on worker tracks only, and on each track
    every slice ends before the next one starts;
  - a goroutine is created once ("go" instant), before it first runs, and
    never runs on two threads at once; the number of go events equals
    otherData.goroutines;
  - each goroutine follows created -> run -> (yield -> run | block ->
    wake -> run)... -> done: every wake-up comes after a block that no
    other wake-up answered, every blocked slice has its block instant, and
    a goroutine that was blocked runs again only after a wake-up;
  - a GC slice lies inside a run slice of the same goroutine and track;
  - flows: every "s" has exactly one "f" with its id, not before it; the
    "s" lies in a run slice of the waker on its track, the "f" starts a
    run slice of the woken goroutine on its track.

The options add expectations: --threads / --goroutines compare with the
trace's counts, --busy-lanes asks for slices on at least that many worker
tracks, --min-* for at least that many GC slices, flows and timer
firings, --reason for a block reason that must occur, --end for a slice
end (exit, panic, done, running...) that must occur. A trace that says it
was truncated (recording stopped at CSP_TRACE_LIMIT records, on each
thread at a different moment) is only checked for its structure and its
tracks, and only when --truncated says that is expected.
Prints `ok: ...` and exits 0, or lists the problems and exits 1.
"""
import argparse
import collections
import json
import re
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".html") or path.endswith(".htm"):
        m = re.search(r'<script id="trace" type="application/json">\n?(.*?)</script>', text, re.S)
        if not m:
            raise ValueError("no trace JSON in the page")
        text = m.group(1)
    return json.loads(text)


def ns(x):
    """Microseconds with three decimals, as exact integer nanoseconds."""
    return int(round(x * 1000))


class Checker:
    def __init__(self, doc, opts):
        self.doc = doc
        self.opts = opts
        self.errors = []

    def err(self, msg):
        if len(self.errors) < 40:
            self.errors.append(msg)

    def run(self):
        doc = self.doc
        if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
            self.err("not an object with a traceEvents list")
            return
        other = doc.get("otherData", {})
        evs = doc["traceEvents"]
        names = {}
        for i, e in enumerate(evs):
            for k in ("name", "ph", "pid", "tid"):
                if k not in e:
                    self.err(f"event {i} has no {k}: {e}")
            if e.get("ph") != "M" and not isinstance(e.get("ts"), (int, float)):
                self.err(f"event {i} has no numeric ts: {e}")
            if e.get("ph") == "X" and not (isinstance(e.get("dur"), (int, float)) and e["dur"] >= 0):
                self.err(f"event {i} has a bad dur: {e}")
            if e.get("ph") == "M" and e.get("name") == "thread_name":
                names[e["tid"]] = e["args"]["name"]
        if self.errors:
            return
        threads = other.get("threads")
        if not isinstance(threads, int) or threads < 1:
            self.err(f"otherData.threads is {threads!r}")
            return
        for w in range(threads):
            if names.get(w) != f"worker {w}":
                self.err(f"worker {w} has thread_name {names.get(w)!r}")
        for e in evs:
            if e["tid"] not in names:
                self.err(f"tid {e['tid']} has no thread_name ({e['name']})")
                break
        if self.opts.threads is not None and threads != self.opts.threads:
            self.err(f"{threads} threads, expected {self.opts.threads}")

        runs = [e for e in evs if e["ph"] == "X" and e.get("cat") == "run"]
        gcs = [e for e in evs if e["ph"] == "X" and e.get("cat") == "gc"]
        inst = [e for e in evs if e["ph"] == "i"]
        self.check_tracks(runs, threads)
        truncated = other.get("truncated")
        if truncated != self.opts.truncated:
            self.err(f"otherData.truncated is {truncated!r}, expected {self.opts.truncated}")
        if truncated:
            self.summary = f"{threads} threads, {len(runs)} slices, truncated"
            return
        busy = len({e["tid"] for e in runs})
        if busy < self.opts.busy_lanes:
            self.err(f"slices on {busy} worker tracks, expected at least {self.opts.busy_lanes}")
        self.check_goroutines(runs, inst, other)
        self.check_gc(runs, gcs)
        self.check_flows(runs, evs)

        o = self.opts
        ntimers = sum(1 for e in inst if e.get("cat") == "timer")
        nflows = sum(1 for e in evs if e["ph"] == "s")
        if len(gcs) < o.min_gc:
            self.err(f"{len(gcs)} GC slices, expected at least {o.min_gc}")
        if nflows < o.min_flows:
            self.err(f"{nflows} flows, expected at least {o.min_flows}")
        if ntimers < o.min_timers:
            self.err(f"{ntimers} timer events, expected at least {o.min_timers}")
        reasons = {e["args"]["reason"] for e in inst if e.get("cat") == "block"}
        for r in o.reason:
            if r not in reasons:
                self.err(f"no block with reason {r!r} (have {sorted(reasons)})")
        ends = {e["args"]["end"] for e in runs}
        for r in o.end:
            if r not in ends:
                self.err(f"no slice that ended {r!r} (have {sorted(ends)})")
        self.summary = (f"{threads} threads, {other.get('goroutines')} goroutines, {len(runs)} slices, "
                        f"{nflows} flows, {len(gcs)} GCs, {ntimers} timer events")

    def check_tracks(self, runs, threads):
        by_tid = collections.defaultdict(list)
        for e in runs:
            if not (isinstance(e["tid"], int) and 0 <= e["tid"] < threads):
                self.err(f"run slice on tid {e['tid']}, not a worker: {e['name']}")
            by_tid[e["tid"]].append((ns(e["ts"]), ns(e["ts"]) + ns(e["dur"]), e))
        for tid, lst in by_tid.items():
            lst.sort(key=lambda t: t[0])
            for a, b in zip(lst, lst[1:]):
                if a[1] > b[0]:
                    self.err(f"tid {tid}: slice {a[2]['name']} at {a[2]['ts']} ends after "
                             f"{b[2]['name']} at {b[2]['ts']} starts")

    def check_goroutines(self, runs, inst, other):
        created = {}
        timeline = collections.defaultdict(list)
        # Order of events at one instant: creation, slice end, block, wake, slice start.
        for e in inst:
            a = e.get("args", {})
            cat = e.get("cat")
            if cat == "go":
                if a["g"] in created:
                    self.err(f"g{a['g']} created twice")
                created[a["g"]] = e
                timeline[a["g"]].append((ns(e["ts"]), 0, "go", e))
                if a.get("creator", 0) != 0 and a["creator"] not in created:
                    self.err(f"g{a['g']} created by g{a['creator']}, which does not exist yet")
            elif cat == "block":
                timeline[a["g"]].append((ns(e["ts"]), 2, "block", e))
            elif cat == "wake":
                timeline[a["g"]].append((ns(e["ts"]), 3, "wake", e))
        for e in runs:
            g = e["args"]["g"]
            timeline[g].append((ns(e["ts"]), 4, "begin", e))
            # An empty slice ends after it begins, not before.
            timeline[g].append((ns(e["ts"]) + ns(e["dur"]), 1 if ns(e["dur"]) else 5, "end", e))
        n = other.get("goroutines")
        if n != len(created):
            self.err(f"otherData.goroutines is {n}, but there are {len(created)} go events")
        if self.opts.goroutines is not None and len(created) != self.opts.goroutines:
            self.err(f"{len(created)} goroutines, expected {self.opts.goroutines}")
        for g, lst in timeline.items():
            if g not in created:
                self.err(f"g{g} has events but was never created")
                continue
            lst.sort(key=lambda t: (t[0], t[1]))
            state = "new"       # new, running, ready, blocking, blocked, dead
            pending_block = False
            for ts, _, what, e in lst:
                where = f"g{g} at {ts / 1000:.3f}us ({what})"
                if what == "go":
                    if state != "new":
                        self.err(f"{where}: created after it ran")
                elif what == "begin":
                    if state not in ("new", "ready"):
                        self.err(f"{where}: runs while {state}")
                    state = "running"
                elif what == "end":
                    if state != "running":
                        self.err(f"{where}: slice ends while {state}")
                    how = e["args"]["end"]
                    if how == "yield":
                        state = "ready"
                    elif how == "blocked":
                        state = "blocking"
                    else:
                        state = "dead"
                elif what == "block":
                    if state != "blocking":
                        self.err(f"{where}: block instant while {state}")
                    state = "blocked"
                elif what == "wake":
                    if state != "blocked":
                        self.err(f"{where}: woken while {state} (no block before it)")
                    state = "ready"
            if state == "blocking":
                self.err(f"g{g}: a blocked slice without its block instant")

    def check_gc(self, runs, gcs):
        by_key = collections.defaultdict(list)
        for e in runs:
            by_key[(e["tid"], e["args"]["g"])].append((ns(e["ts"]), ns(e["ts"]) + ns(e["dur"])))
        for e in gcs:
            a, b = ns(e["ts"]), ns(e["ts"]) + ns(e["dur"])
            lst = by_key.get((e["tid"], e["args"]["g"]), [])
            if not any(s <= a and b <= t for s, t in lst):
                self.err(f"GC of g{e['args']['g']} at {e['ts']} on tid {e['tid']} is outside its run slices")

    def check_flows(self, runs, evs):
        starts, finishes = {}, collections.defaultdict(list)
        for e in evs:
            if e["ph"] == "s":
                if e["id"] in starts:
                    self.err(f"flow {e['id']} starts twice")
                starts[e["id"]] = e
            elif e["ph"] == "f":
                finishes[e["id"]].append(e)
                if e.get("bp") != "e":
                    self.err(f"flow {e['id']}: f without bp e")
        by_tid = collections.defaultdict(list)
        for e in runs:
            by_tid[e["tid"]].append((ns(e["ts"]), ns(e["ts"]) + ns(e["dur"]), e["args"]["g"]))
        starts_at = {(tid, s): g for tid, lst in by_tid.items() for s, _, g in lst}
        wakes = {(e["tid"], ns(e["ts"])): e["args"] for e in evs if e["ph"] == "i" and e.get("cat") == "wake"}
        for fid, s in starts.items():
            fs = finishes.get(fid, [])
            if len(fs) != 1:
                self.err(f"flow {fid} has {len(fs)} ends")
                continue
            f = fs[0]
            if ns(f["ts"]) < ns(s["ts"]):
                self.err(f"flow {fid} ends before it starts")
            wake = wakes.get((s["tid"], ns(s["ts"])))
            if not wake:
                self.err(f"flow {fid} starts where there is no wake-up")
                continue
            t = ns(s["ts"])
            if not any(a <= t <= b and g == wake["by"] for a, b, g in by_tid.get(s["tid"], [])):
                self.err(f"flow {fid} starts outside a slice of its waker g{wake['by']}")
            if starts_at.get((f["tid"], ns(f["ts"]))) != wake["g"]:
                self.err(f"flow {fid} does not end at the start of a slice of g{wake['g']}")
        for fid in finishes:
            if fid not in starts:
                self.err(f"flow {fid} ends without a start")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("trace")
    p.add_argument("--threads", type=int)
    p.add_argument("--goroutines", type=int)
    p.add_argument("--busy-lanes", type=int, default=0)
    p.add_argument("--truncated", action="store_true")
    p.add_argument("--min-gc", type=int, default=0)
    p.add_argument("--min-flows", type=int, default=0)
    p.add_argument("--min-timers", type=int, default=0)
    p.add_argument("--reason", action="append", default=[])
    p.add_argument("--end", action="append", default=[])
    opts = p.parse_args()
    try:
        doc = load(opts.trace)
    except (OSError, ValueError) as e:
        print(f"{opts.trace}: {e}")
        return 1
    c = Checker(doc, opts)
    c.run()
    if c.errors:
        for m in c.errors:
            print(f"{opts.trace}: {m}")
        return 1
    print(f"ok: {c.summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
