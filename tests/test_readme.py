"""The README's command-line examples run as written (its Python examples run as doctests)."""

import io
import json
import math
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.S)
    return [
        shlex.split(line[2:]) for b in blocks for line in b.splitlines() if line.startswith("$ ")
    ]


def test_readme_commands_run(tmp_path):
    (tmp_path / "data").symlink_to(ROOT / "data")
    commands = readme_commands()
    assert [c[:2] for c in commands] == [
        ["influence", "analyze"],
        ["influence", "paths"],
        ["influence", "paths"],
        ["influence", "people"],
        ["influence", "paths"],
        ["influence", "evidence"],
        ["influence", "support"],
        ["influence", "next-moves"],
        ["influence", "risks"],
        ["influence", "trend"],
        ["influence", "diff"],
    ]
    outputs = []
    for cmd in commands:
        done = subprocess.run(
            [sys.executable, "-m", "influence", *cmd[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    people = pd.read_csv(ROOT / "data" / "example" / "people.csv", dtype=str)
    for pid, name in zip(people["id"], people["name"]):  # one row per person, with the id
        assert any(line.split()[:3] == [pid, *name.split()] for line in outputs[3].splitlines())
    # "maria chen" is ceo: the same chains as --to ceo
    assert outputs[4] == outputs[1]
    # arch–cio: the advises relationship (0.9) and the reports_to line (0.8) of people.csv
    assert [line.split()[:3] for line in outputs[5].splitlines()[1:3]] == [
        ["relationship", "relationships.csv", "row"], ["reports_to", "people", "row"]]  # fmt: skip
    assert outputs[6].startswith("Overall predicted support of Globex: ")
    assert len(outputs[7].splitlines()) == 1 + 3  # header and k = 3 rows
    risks = {r["flag"]: r for r in json.loads(outputs[8])}
    assert list(risks) == ["single_threaded", "no_decision_coverage"]
    # the Economic Buyer and the Decision Maker of people.csv, whom our team has no tie to
    assert risks["no_decision_coverage"]["people"] == ["ceo", "cio"]
    trend = pd.read_csv(io.StringIO(outputs[9]))
    # Globex's events run from 2026-09 to 2026-11-02: quarter ends 09-30, then the as-of date
    assert sorted(set(trend["period"])) == ["2026-09-30", "2026-11-02"]
    inf = pd.read_csv(tmp_path / "out" / "example" / "globex" / "influencers.csv")
    assert inf["name"].iloc[0] == "Maria Chen"
    # ae → arch → ceo: 0.851 × 0.675 × 0.5 (one introduction), recomputed by hand
    assert outputs[1].splitlines()[0] == "1. strength 0.287, 2 hops"
    assert "Jo Smith (ae) -> Lee Novak (arch)" in outputs[2]
    changes = pd.read_csv(tmp_path / "out" / "changes" / "changes.csv")
    # ops's only activity (m1, 2026-09-01) is after 2026-08-31: new; cio and ops were last
    # active on 2026-09-01, 62 days before 2026-11-02: gone quiet
    assert changes[["id", "change"]].values.tolist() == [
        ["ops", "new"],
        ["cio", "gone_quiet"],
        ["ops", "gone_quiet"],
    ]


def test_cli_help_is_complete():
    """Every option of every subcommand (read from the parser, not listed by hand) is in
    that subcommand's --help, with its help text, and named in the README."""
    import argparse

    from influence.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(sub.choices) == sorted(
        ["analyze", "diff", "engagement", "evidence", "influencers", "next-moves", "paths",
         "people", "risks", "support", "trend"]
    )  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "influence", "--help"], capture_output=True)
    assert done.returncode == 0 and b"usage: influence" in done.stdout
    missing = []
    for name, command in sub.choices.items():
        done = subprocess.run(
            [sys.executable, "-m", "influence", name, "--help"], capture_output=True, text=True
        )
        assert done.returncode == 0
        assert f"usage: influence {name}" in done.stdout
        for action in command._actions:
            for option in action.option_strings:
                if option in ("-h", "--help"):
                    continue
                assert option in done.stdout, (name, option)
                assert action.help, (name, option)
                if option.startswith("--") and f"`{option}" not in readme:
                    missing.append(f"{name} {option}")
    assert not missing, f"options the README does not name: {missing}"


# --- the README's figures ------------------------------------------------------------------
# The notebook examples print what this version computes on data/example (the doctests keep
# them current). Those with a hand-checkable rule are derived here from the input files and
# the documented formulas, independently of the code; the README marks the rest
# (influence scores, coalitions, trend, flags, roles) as examples.


def readme_block(start: str) -> list[str]:
    """The output lines of the README doctest that starts with ``start``."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(start))
    out = []
    for line in lines[at + 1 :]:
        if line.startswith(">>>") or not line.strip() or line.startswith("```"):
            break
        out.append(line)
    return out


def example_strengths() -> dict[tuple[str, str], float]:
    """Tie strength of every directed pair of data/example, from the module docstring of
    influence.graph.ties with the documented defaults: explicit contributions combine as
    a noisy-OR, events give w · 2^(-Δ/180) · 1/(n-1) to each pair of participants (an
    e-mail with a sender: one full contribution per recipient, one-way: reciprocity 0.5),
    summed and saturated as 0.9 (1 - e^(-x/2)); both combine as a noisy-OR."""
    import csv
    import datetime as dt

    def rows(name):
        with open(ROOT / "data" / "example" / name, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    channel = {"meeting": 1.0, "call": 0.7, "email": 0.3}
    events = {e["id"]: e for e in rows("events.csv")}
    as_of = max(dt.date.fromisoformat(e["date"]) for e in events.values())
    explicit: dict[tuple, list] = {}
    for p in rows("people.csv"):
        if p["reports_to"]:
            explicit.setdefault((p["reports_to"], p["id"]), []).append(0.8)
    for r in rows("relationships.csv"):
        s = float(r["strength"])
        explicit.setdefault((r["source"], r["target"]), []).append(s)
        if r["directed"] != "true":
            explicit.setdefault((r["target"], r["source"]), []).append(s)
    x: dict[tuple, float] = {}
    parts = rows("participants.csv")
    for eid, e in events.items():
        who = [p for p in parts if p["event_id"] == eid]
        age = (as_of - dt.date.fromisoformat(e["date"])).days
        c = channel[e["type"]] * 2 ** (-age / 180)
        senders = [p["person_id"] for p in who if p["role"] == "sender"]
        if e["type"] == "email" and senders:
            pairs = [(s, p["person_id"]) for s in senders for p in who if p["role"] != "sender"]
            c *= 0.5  # one-way mail: min/max of the counts is 0
        else:
            ids = [p["person_id"] for p in who]
            pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
            c /= len(ids) - 1
        for a, b in pairs:
            x[(a, b)] = x.get((a, b), 0.0) + c
            x[(b, a)] = x.get((b, a), 0.0) + c
    out = {}
    for pair in set(explicit) | set(x):
        s_rel = 1 - math.prod(1 - c for c in explicit.get(pair, []))
        s_int = 0.9 * (1 - math.exp(-x.get(pair, 0.0) / 2))
        out[pair] = 1 - (1 - s_rel) * (1 - s_int)
    return out


def test_readme_paths_follow_the_documented_rule():
    # S(p) = 0.5^(h-1) · Π max(s_ab, s_ba), with the tie strengths derived by hand.
    s = example_strengths()
    table = readme_block('>>> paths[["rank", "strength", "hops", "path"]]')[1:]
    assert len(table) == 2
    for line in table:
        rank, strength, hops, path = re.fullmatch(r"\d+\s+(\d+)\s+([\d.]+)\s+(\d+)\s+\[(.*)\]",
                                                  line.strip()).groups()  # fmt: skip
        ids = [v.strip() for v in path.split(",")]
        assert len(ids) - 1 == int(hops)
        hop = [max(s.get((a, b), 0.0), s.get((b, a), 0.0)) for a, b in zip(ids, ids[1:])]
        assert round(0.5 ** (int(hops) - 1) * math.prod(hop), 3) == float(strength), line


def test_readme_evidence_follows_the_documented_rule():
    # relationships.csv row 2 is its first data row (arch advises cio, 0.9); a reporting
    # line counts 0.8; meeting m1 (3 people, 62 days before the latest event, 2026-11-02)
    # gives 1.0 · 2^(-62/180) / 2 to each pair.
    lines = readme_block('>>> acct.evidence("arch", "cio")')[1:]
    got = [(line.split()[1], float(line.split()[-1])) for line in lines]
    assert got == [
        ("relationship", 0.9),
        ("reports_to", 0.8),
        ("event", round(2 ** (-62 / 180) / 2, 3)),
    ]


def test_readme_support_figures_follow_the_model():
    # Friedkin–Johnsen solved densely in the test (test_support.reference_support), over
    # the influence column (whose figures the README gives as examples).
    from test_support import reference_gain, reference_support

    import influence

    acct = influence.load(ROOT / "data" / "example").account("Globex")
    infl = acct.influencers().set_index("id")["influence"]
    x = reference_support(acct.person_graph).clip(-1, 1)
    w = infl.reindex(x.index).fillna(0)
    (overall,) = readme_block(">>> round(acct.overall_support(), 2)")
    assert round(float((w * x).sum() / w.sum()), 2) == float(overall)
    rows = readme_block('>>> acct.next_moves(k=2)[["rank", "name", "gain", "path_names"]]')[1:]
    names = dict(zip(acct.influencers()["name"], acct.influencers()["id"]))
    ext = infl.reindex(x.index)
    gains = {v: reference_gain(acct.person_graph, ext, v) for v in x.index}
    best = sorted(gains, key=lambda v: -gains[v])[:2]
    for line, pid in zip(rows, best):
        name = re.search(r"\d+\s+\d+\s+(.+?)\s+(-?[\d.]+)\s+\[", line)
        assert names[name.group(1)] == pid, line
        assert round(gains[pid], 2) == float(name.group(2)), line
