#!/usr/bin/env python3
"""How long a 1,000-person influence map takes to become interactive in a browser.

    .venv/bin/python bench/map_load.py [--people 1000] [--runs 5] [--keep map.html]

Builds a synthetic account (seeded: communities of 15–40 people with a reports-to
hierarchy, ~6 ties per person, mostly inside the community, a few hundred events, a
team of our own people), renders it with :func:`influence.render.map.build_map`, opens
the page ``--runs`` times in headless Debian Chromium (a fresh browser context each
time, network cut off) and measures the time from navigation start to
``window.mapReady === true`` (the map is laid out and responds to clicks). Prints each
run, the median, PASS/FAIL against the 3 s target and the machine it ran on.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from influence.render.map import build_map

CHROMIUM = "/usr/bin/chromium"
TARGET_S = 3.0
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

FIRST = ["Ana", "Bo", "Chloé", "Dev", "Eun-ji", "Femi", "Gita", "Hugo", "Inès", "Jonas", "Kai"]
LAST = ["Lee", "Núñez", "Okafor", "Patel", "Quinn", "Rossi", "Sato", "Tran", "Ueda", "Weber"]
STANCES = ["champion", "supporter", "neutral", "neutral", "skeptic", "blocker", "", ""]
TITLES = ["Manager", "Engineer", "Analyst"]
ROLES = ["Decision Maker", "Economic Buyer", "Technical Buyer", "Evaluator", "Business User", ""]


def synthetic_account(n: int = 1000, seed: int = 11) -> dict:
    """Keyword arguments of ``build_map`` for a seeded synthetic account of ``n`` people."""
    rng = random.Random(seed)
    n_team = max(3, n // 60)
    n_ext = n - n_team
    # Communities of 15–40 people; each has a head, managers and staff (reports_to).
    sizes = []
    while sum(sizes) < n_ext:
        sizes.append(rng.randint(15, 40))
    sizes[-1] -= sum(sizes) - n_ext
    people, community_of, members = [], {}, []
    i = 0
    for c, size in enumerate(sizes):
        group = []
        for k in range(size):
            pid = f"p{i:04d}"
            influence = round(100 * rng.random() ** 2.5, 2)
            people.append(
                {
                    "id": pid,
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                    "title": "Director" if k == 0 else rng.choice(TITLES),
                    "department": f"Dept {c}",
                    "influence": influence,
                    "pagerank": round(rng.random() / n, 6),
                    "betweenness": round(rng.random() ** 3 / 3, 4),
                    "eigenvector": round(rng.random() / 2, 4),
                    "closeness": round(rng.random(), 4),
                    "degree": round(rng.random() / 10, 4),
                    "community": c,
                    "coalition": f"Coalition {c}",
                    "network_role": rng.choice(["contributor", "contributor", "broker"]),
                    "hidden_influencer": rng.random() < 0.03,
                    "stance": rng.choice(STANCES),
                    "buying_role": rng.choice(ROLES),
                    "internal": False,
                    "strongest_internal_tie_name": "Team 0",
                    "coverage_strength": round(rng.random(), 3),
                    "last_contact": f"2024-0{rng.randint(1, 6)}-1{rng.randint(0, 9)}",
                }
            )
            community_of[pid] = c
            group.append(pid)
            i += 1
        members.append(group)
    order = sorted(people, key=lambda p: -p["influence"])
    for r, p in enumerate(order, start=1):
        p["rank"] = r
    team = [f"t{j:02d}" for j in range(n_team)]
    for j, pid in enumerate(team):
        people.append({"id": pid, "name": f"Team {j}", "title": "Account Executive",
                       "internal": True, "influence": math.nan})  # fmt: skip
    ties: dict[tuple[str, str], tuple[float, bool, str]] = {}

    def tie(a: str, b: str, strength: float, formal: bool, label: str) -> None:
        if a != b:
            ties.setdefault((min(a, b), max(a, b)), (round(strength, 3), formal, label))

    for group in members:
        head = group[0]
        managers = group[1 : 1 + max(1, len(group) // 6)]
        for m in managers:
            tie(head, m, 1.0, True, "manages")
        for pid in group[1 + len(managers) :]:
            tie(rng.choice(managers), pid, 1.0, True, "manages")
    ext_ids = [p["id"] for p in people if not p["internal"]]
    target = 3 * n  # ~6 ties per person
    while len(ties) < target:
        a = rng.choice(ext_ids)
        b = rng.choice(members[community_of[a]]) if rng.random() < 0.85 else rng.choice(ext_ids)
        label = rng.choice(["peer", "3 meetings", "advises"])
        tie(a, b, 0.05 + 0.95 * rng.random() ** 1.5, False, label)
    for t in team:
        for b in rng.sample(ext_ids, 12):
            tie(t, b, rng.random(), False, "2 calls")
    tie_df = pd.DataFrame(
        [(a, b, s, f, lab, False) for (a, b), (s, f, lab) in sorted(ties.items())],
        columns=["source", "target", "strength", "formal", "label", "directed"],
    )
    events, links = [], []
    for e in range(n // 2):
        eid = f"e{e:04d}"
        events.append({"id": eid, "date": f"2024-0{1 + e % 6}-{10 + e % 18}",
                       "type": rng.choice(["meeting", "call", "email"]),
                       "subject": f"Topic {e}"})  # fmt: skip
        for pid in {rng.choice(team), *rng.sample(ext_ids, rng.randint(1, 4))}:
            links.append({"event_id": eid, "person_id": pid})
    paths = {p["id"]: [{"strength": 0.5, "path": ["Team 0", p["name"]]}] for p in order[:40]}
    return {
        "people": pd.DataFrame(people),
        "ties": tie_df,
        "title": f"Synthetic account ({n:,} people)",
        "as_of": "2024-06-30",
        "data_range": ("2024-01-10", "2024-06-27"),
        "events": pd.DataFrame(events),
        "event_links": pd.DataFrame(links),
        "paths": paths,
    }


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def measure(path: Path, runs: int) -> list[float]:
    """Seconds from navigation start to ``window.mapReady`` for each of ``runs`` loads."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                context.route(
                    "**/*",
                    lambda r: r.abort() if r.request.url.startswith("http") else r.continue_(),
                )
                page = context.new_page()
                page.goto(path.resolve().as_uri(), wait_until="commit")
                # performance.now() counts from the navigation start; polled every frame.
                ms = page.wait_for_function(
                    "() => window.mapReady === true && performance.now()",
                    polling="raf",
                    timeout=120_000,
                ).json_value()
                times.append(ms / 1000)
                context.close()
        finally:
            browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="also save the map here")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    m = build_map(**synthetic_account(args.people))
    build_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = m.save(Path(tmp) / "map.html")
        if args.keep:
            m.save(args.keep)
        size = path.stat().st_size
        print(f"map: {args.people:,} people, {size / 1e6:.1f} MB HTML, built in {build_s:.2f} s")
        times = measure(path, args.runs)
    for k, t in enumerate(times, start=1):
        print(f"run {k}: {t:.2f} s to interactive")
    med = statistics.median(times)
    ok = med <= TARGET_S
    print(f"median: {med:.2f} s (target {TARGET_S:.0f} s): {'PASS' if ok else 'FAIL'}")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.release()}, {chromium_version()}, "
        f"Python {platform.python_version()}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
