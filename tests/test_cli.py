"""The command line: stable folders, clean temporary files, safe CSV cells and terminal text."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from datasets import write_tables

from influence.cli import main
from influence.render.files import csv_bytes

ROOT = Path(__file__).resolve().parents[1]
FORMULA_CHARS = ("=", "+", "@")  # "-" starts negative numbers too


def run_cli(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "influence", *args],
        cwd=ROOT,
        capture_output=True,
        timeout=timeout,
        **kw,
    )


def two_acmes(folder: Path) -> Path:
    """Accounts "ACME" and "Acme": both slugify to ``acme``."""
    people = [
        {"id": "me", "name": "Jo Rep", "account": "", "internal": "true"},
        {"id": "big-1", "name": "Big One", "account": "ACME"},
        {"id": "big-2", "name": "Big Two", "account": "ACME"},
        {"id": "small-1", "name": "Small One", "account": "Acme"},
        {"id": "small-2", "name": "Small Two", "account": "Acme"},
    ]
    rels = [
        {"source": "me", "target": "big-1", "type": "peer"},
        {"source": "big-1", "target": "big-2", "type": "peer"},
        {"source": "me", "target": "small-1", "type": "peer"},
        {"source": "small-1", "target": "small-2", "type": "peer"},
    ]
    return write_tables(folder, people=people, relationships=rels)


def ids_in(path: Path) -> set[str]:
    return set(pd.read_csv(path, dtype=str)["id"])


# --- folder names do not depend on the selection -------------------------------------------


def test_selected_account_goes_to_the_folder_the_full_run_gave_it(tmp_path):
    data = two_acmes(tmp_path / "in")
    out = tmp_path / "out"
    base = ["analyze", str(data), "--out", str(out), "--executor", "serial", "--quiet"]
    assert main(base) == 0
    assert ids_in(out / "acme" / "influencers.csv") >= {"big-1", "big-2"}
    assert ids_in(out / "acme-2" / "influencers.csv") >= {"small-1", "small-2"}
    assert main(base + ["--accounts", "Acme"]) == 0
    # Acme still in acme-2; ACME's folder untouched by the run of Acme alone
    assert ids_in(out / "acme-2" / "influencers.csv") >= {"small-1", "small-2"}
    assert ids_in(out / "acme" / "influencers.csv") >= {"big-1", "big-2"}
    summary = pd.read_csv(out / "summary.csv")
    assert summary[["account", "slug"]].values.tolist() == [["Acme", "acme-2"]]


# --- temporary files --------------------------------------------------------------------------


@pytest.mark.parametrize("resume", [False, True])
def test_temporary_files_of_a_killed_run_are_removed(tmp_path, resume):
    data = two_acmes(tmp_path / "in")
    out = tmp_path / "out"
    args = ["analyze", str(data), "--out", str(out), "--executor", "serial", "--quiet"]
    assert main(args) == 0
    left = [out / "acme" / ".coalitions.svg.k3j_x9q2.part", out / ".summary.csv.abc123.part",
            out / "acme" / "charts" / ".ranking.png.zz.part"]  # fmt: skip
    for p in left:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"half a file")
    keep = out / "acme" / "notes.part"  # not one of ours: kept
    keep.write_bytes(b"mine")
    assert main(args + ["--resume"] * resume) == 0
    assert not [p for p in left if p.exists()]
    assert keep.exists()
    assert not list(out.rglob(".*.part"))


# --- CSV cells -----------------------------------------------------------------------------

PAYLOADS = {
    "title": "abc\r=2+2",
    "department": "Ops\n@SUM(A1:A9)",
    "location": "Oslo, Norway\r\n+cmd|' /C calc'!A0",
}


def formula_parts(data: bytes) -> list[str]:
    """Every piece of ``data`` that a spreadsheet could read as a cell starting a formula:
    split at any line break (bare CR included), ``,`` and ``;``."""
    text = data.decode("utf-8")
    parts = re.split(r"\r\n|\r|\n|,|;", text)
    return [p for p in (q.strip('"') for q in parts) if p.startswith(FORMULA_CHARS)]


def test_csv_cells_with_line_breaks_are_quoted_and_neutralised_after_each_break():
    df = pd.DataFrame(
        {"text": [PAYLOADS["title"], "fine", PAYLOADS["department"], PAYLOADS["location"]],
         "n": [1.5, 2.0, 3.0, 4.0]}
    )  # fmt: skip
    data = csv_bytes(df)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 1 + len(df)  # no CR or LF started a row
    assert [r[0] for r in rows[1:]] == ["abc\r'=2+2", "fine", "Ops\n'@SUM(A1:A9)",
                                        "Oslo, Norway\r\n'+cmd|' /C calc'!A0"]  # fmt: skip
    assert formula_parts(data) == []
    # what pandas reads back is the neutralised text, row for row
    back = pd.read_csv(io.BytesIO(data))
    assert back["n"].tolist() == [1.5, 2.0, 3.0, 4.0]


def test_each_semicolon_part_of_a_multi_value_cell_is_neutralised():
    df = pd.DataFrame({"members": [["ann", "=1+1", "@x"], ["bo"]], "s": ["a;-1;b", "=c;+d"]})
    data = csv_bytes(df)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1] == ["ann;'=1+1;'@x", "a;'-1;b"]
    assert rows[2] == ["bo", "'=c;'+d"]
    for row in rows[1:]:
        for cell in row:
            assert not [p for p in cell.split(";") if p.startswith(("=", "+", "-", "@"))]


def test_written_csvs_start_no_row_or_part_with_a_formula(tmp_path):
    people = [
        {"id": "me", "name": "Jo Rep", "account": "", "internal": "true"},
        {"id": "p1", "name": "Ann Boss", "account": "Acme", **PAYLOADS},
        {"id": "=1+1", "name": 'Eve;=HYPERLINK("http://x")', "account": "Acme"},
        {"id": "p3", "name": "Cy Dee", "account": "Acme"},
    ]
    rels = [
        {"source": "me", "target": "p1", "type": "peer"},
        {"source": "p1", "target": "=1+1", "type": "peer"},
        {"source": "=1+1", "target": "p3", "type": "peer"},
        {"source": "p1", "target": "p3", "type": "peer"},
    ]
    data = write_tables(tmp_path / "in", people=people, relationships=rels)
    out = tmp_path / "out"
    assert main(["analyze", str(data), "--out", str(out), "--executor", "serial", "--quiet"]) == 0
    inf = (out / "acme" / "influencers.csv").read_bytes()
    assert b"abc\r'=2+2" in inf
    members = pd.read_csv(out / "acme" / "coalitions.csv")["members"].tolist()
    assert any("'=1+1" in m for m in members)
    for path in out.rglob("*.csv"):
        data = path.read_bytes()
        text = data.decode("utf-8")
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) == 1 + len(frame), path  # no CR or LF split a row
        for row in rows:
            for cell in row:
                for part in re.split(r"\r\n|\r|\n|;", cell):
                    assert not part.startswith(FORMULA_CHARS), (path, cell)
        assert formula_parts(data) == [], path


# --- terminal output -----------------------------------------------------------------------

ESCAPES = "\x1b]0;owned\x07Eve\x1b[2J\x9b31m Adams\u202e"


def test_paths_output_holds_no_control_characters(tmp_path):
    people = [
        {"id": "me", "name": "Jo\x1b[5m Rep", "account": "", "internal": "true"},
        {"id": "p1", "name": ESCAPES, "account": "Acme"},
        {"id": "p2", "name": "Ann Boss", "account": "Acme"},
    ]
    rels = [
        {"source": "me", "target": "p1", "type": "peer"},
        {"source": "p1", "target": "p2", "type": "peer"},
    ]
    data = write_tables(tmp_path / "in", people=people, relationships=rels)
    done = run_cli("paths", str(data), "--to", "p2")
    assert done.returncode == 0, done.stderr
    assert b"Eve" in done.stdout and b"Adams" in done.stdout
    for stream in (done.stdout, done.stderr):
        assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", stream.replace(b"\n", b"")), stream
        assert "\x9b" not in stream.decode("utf-8") and "\u202e" not in stream.decode("utf-8")


def test_analyze_output_holds_no_control_characters(tmp_path):
    people = [
        {"id": "me", "name": "Jo Rep", "account": "", "internal": "true"},
        {"id": "p1", "name": ESCAPES, "account": "Evil\x1b[2J Corp"},
        {"id": "p2", "name": "Ann Boss", "account": "Evil\x1b[2J Corp"},
    ]
    rels = [{"source": "me", "target": "p1", "type": "peer"},
            {"source": "p1", "target": "p2", "type": "peer"}]  # fmt: skip
    data = write_tables(tmp_path / "in", people=people, relationships=rels)
    done = run_cli("analyze", str(data), "--out", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout + done.stderr
    summary = json.loads(next((tmp_path / "out").glob("*/summary.json")).read_text())
    assert "\x1b" in summary["account"]  # the data itself is kept as given
