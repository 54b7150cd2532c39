#!/usr/bin/env python3
"""One large account, analysed exactly: 5,000 people and 100,000 activities.

    python bench/big_account.py [--people 5000] [--activities 100000] [--repeat 3]

Builds a canonical dataset in a temporary folder (departments as communities, a
reporting tree, meetings, calls and emails over a year, a team of five), then times
``influence.load`` and ``Account.influencers()`` (every metric exact: no sampling) and
prints the median seconds of each step and the peak memory of this process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import influence

STANCES = ["champion", "supporter", "neutral", "skeptic", "blocker"]


def make(
    folder: Path, people: int, activities: int, seed: int = 5, stance_share: float = 0.75
) -> None:
    """Write the dataset; ``stance_share`` of the customer people have a recorded stance."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"p{i:05d}" for i in range(people)], dtype=object)
    dept = rng.integers(0, 40, people)
    boss = np.where(np.arange(people) == 0, "", ids[np.maximum(0, (np.arange(people) - 1) // 8)])
    team = [f"u{i}" for i in range(5)]
    pd.DataFrame({
        "id": [*ids, *team], "name": [f"Person {i}" for i in range(people)] + team,
        "account": ["Big"] * people + [""] * 5, "reports_to": [*boss, *[""] * 5],
        "internal": ["false"] * people + ["true"] * 5,
        "stance": [*np.where(rng.random(people) < stance_share,
                             rng.choice(STANCES, people), ""), *[""] * 5],
    }).to_csv(folder / "people.csv", index=False)  # fmt: skip
    day = pd.Timestamp("2025-11-01") + pd.to_timedelta(rng.integers(0, 365, activities), "D")
    kind = rng.choice(["email", "meeting", "call"], activities, p=[0.6, 0.25, 0.15])
    pd.DataFrame({"id": [f"e{i}" for i in range(activities)], "date": day.strftime("%Y-%m-%d"),
                  "type": kind}).to_csv(folder / "events.csv", index=False)  # fmt: skip
    first = rng.integers(0, people, activities)
    # Most activities stay inside a department; one in five crosses departments.
    members = {d: np.flatnonzero(dept == d) for d in range(40)}
    second = np.array([rng.choice(members[dept[a]]) if rng.random() < 0.8
                       else rng.integers(0, people) for a in first])  # fmt: skip
    ours = rng.random(activities) < 0.1
    rows = [pd.DataFrame({"event_id": [f"e{i}" for i in range(activities)], "person_id": ids[first],
                          "role": "sender"}),
            pd.DataFrame({"event_id": [f"e{i}" for i in range(activities)],
                          "person_id": np.where(ours, rng.choice(team, activities), ids[second]),
                          "role": "recipient"})]  # fmt: skip
    part = pd.concat(rows).drop_duplicates(["event_id", "person_id"])
    part.to_csv(folder / "participants.csv", index=False)


def _times(seconds: list[float]) -> str:
    runs = ", ".join(f"{t:.1f}" for t in seconds)
    return f"median {statistics.median(seconds):.1f} s (runs: {runs})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--activities", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        make(Path(tmp), args.people, args.activities)
        loads, analyses = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            ds = influence.load(tmp)
            acct = ds.account("Big")
            loads.append(time.perf_counter() - t)
            t = time.perf_counter()
            inf = acct.influencers()
            analyses.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.people:,} people, {args.activities:,} activities, {len(acct.ties):,} ties")
    print(f"  load + ties: {_times(loads)}")
    print(f"  analysis:    {_times(analyses)}  (target: under 10 s)")
    print(f"  peak memory: {peak:,.0f} MB; top influencer {inf['name'].iat[0]}")


if __name__ == "__main__":
    main()
