"""The README's command-line examples run as written (its Python examples run as doctests)."""

import io
import json
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
