"""The command line: stable folders, clean temporary files, safe CSV cells and terminal text."""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
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


class Terminal(io.StringIO):
    """Standard output that is a terminal."""

    def isatty(self) -> bool:
        return True


def test_csv_shown_on_a_terminal_holds_no_control_characters(tmp_path, monkeypatch):
    # --csv wrote CRM text raw: on a terminal its escape sequences ran (window title,
    # cleared screen). Redirected to a file or a pipe it is the data as given.
    people = [
        {"id": "me", "name": "Jo Rep", "account": "", "internal": "true"},
        {"id": "p1", "name": ESCAPES, "account": "Acme"},
        {"id": "p2", "name": "Ann Boss", "account": "Acme"},
    ]
    rels = [{"source": "me", "target": "p1", "type": "peer"},
            {"source": "p1", "target": "p2", "type": "peer"}]  # fmt: skip
    data = write_tables(tmp_path / "in", people=people, relationships=rels)
    for command in (["paths", str(data), "--to", "p2"], ["people", str(data)]):
        shown = Terminal()
        monkeypatch.setattr(sys, "stdout", shown)
        assert main([*command, "--csv"]) == 0
        text = shown.getvalue()
        assert "Eve" in text and "Adams" in text and "Ann Boss" in text
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", text), text
        saved = io.StringIO()
        monkeypatch.setattr(sys, "stdout", saved)
        assert main([*command, "--csv"]) == 0
        assert ESCAPES in saved.getvalue()


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


# --- one command per notebook method (#15.7) ------------------------------------------------

SAMPLE = ROOT / "data" / "sample"


def sample_people() -> list[dict]:
    """data/sample/people.csv read with the csv module (not through influence)."""
    with open(SAMPLE / "people.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_influencers_csv_is_the_api_table_at_full_precision():
    import influence

    done = run_cli("influencers", str(SAMPLE), "--account", "Crestline Bank", "--csv")
    assert done.returncode == 0, done.stderr
    got = pd.read_csv(io.BytesIO(done.stdout), keep_default_na=False)
    want = influence.load(SAMPLE).account("Crestline Bank").influencers()
    assert list(got.columns) == list(want.columns)
    assert got["id"].tolist() == want["id"].tolist()
    assert got["name"].tolist() == want["name"].tolist()
    for col in ["influence", "pagerank", "betweenness", "closeness", "coverage_strength"]:
        a = pd.to_numeric(got[col].replace("", None)).to_numpy(float)
        b = want[col].to_numpy(float)
        assert np.array_equal(a, b, equal_nan=True), col  # every digit, not rounded
    # the people of the account in people.csv, and our team, each once
    rows = sample_people()
    assert set(got["id"]) == {r["id"] for r in rows if r["account"] in ("Crestline Bank", "")}


def test_json_output_round_trips_the_floats():
    import influence

    done = run_cli("support", str(SAMPLE), "--account", "northwind logistics", "--json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    want = influence.load(SAMPLE).account("Northwind Logistics").support()
    assert [r["id"] for r in records] == want["id"].tolist()
    assert [r["predicted_support"] for r in records] == want["predicted_support"].tolist()
    known = [None if pd.isna(x) else x for x in want["known_stance"]]
    assert [r["known_stance"] for r in records] == known


def test_table_for_people_is_rounded():
    done = run_cli("influencers", str(SAMPLE), "--account", "Crestline Bank")
    assert done.returncode == 0, done.stderr
    numbers = re.findall(r"\d+\.\d+", done.stdout.decode("utf-8"))
    assert numbers and all(len(n.split(".")[1]) <= 2 for n in numbers)


def test_a_name_without_accents_finds_the_person():
    # resolved by hand from people.csv: Çağla Öztürk's row
    (row,) = [r for r in sample_people() if r["name"] == "Çağla Öztürk"]
    by_id = run_cli("paths", str(SAMPLE), "--to", row["id"], "-k", "2")
    by_name = run_cli("paths", str(SAMPLE), "--to", "cagla ozturk", "-k", "2")
    assert by_id.returncode == by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == by_id.stdout
    assert f"Çağla Öztürk ({row['id']})" in by_name.stdout.decode("utf-8")


def test_person_lookup_in_the_library():
    import influence

    rows = {r["name"]: r for r in sample_people()}
    ds = influence.load(SAMPLE)
    acct = ds.account("CRESTLINE BANK")
    assert acct.name == rows["Karim Haddad"]["account"]
    assert acct.person("Karim Haddad") == rows["Karim Haddad"]["id"]
    assert acct.person("  karim   HADDAD ") == rows["Karim Haddad"]["id"]
    assert ds.person("elodie girard") == rows["Élodie Girard"]["id"]
    assert ds.person("lukasz wrobel") == rows["Łukasz Wróbel"]["id"]
    assert acct.person(rows["Karim Haddad"]["id"]) == rows["Karim Haddad"]["id"]
    with pytest.raises(KeyError) as err:
        acct.person("Elodie")  # not a full name: suggestions, no guess
    assert rows["Élodie Girard"]["id"] in str(err.value)


def two_ann_lees(folder: Path) -> Path:
    people = [
        {"id": "me", "name": "Jo Rep", "account": "", "internal": "true"},
        {"id": "a1", "name": "Ann Lee", "title": "CFO", "account": "Acme"},
        {"id": "a2", "name": "Ánn LEE", "title": "Buyer", "account": "Acme"},
        {"id": "b1", "name": "Bo Chan", "account": "Acme"},
    ]
    rels = [{"source": "me", "target": "a1", "type": "peer"},
            {"source": "a1", "target": "a2", "type": "peer"},
            {"source": "a2", "target": "b1", "type": "peer"}]  # fmt: skip
    return write_tables(folder, people=people, relationships=rels)


def test_ambiguous_name_lists_the_candidates_with_ids(tmp_path):
    data = two_ann_lees(tmp_path / "in")
    done = run_cli("paths", str(data), "--to", "ann lee")
    assert done.returncode == 2
    err = done.stderr.decode("utf-8")
    assert "2 persons match 'ann lee'" in err
    assert "Ann Lee (a1, CFO, Acme)" in err and "Ánn LEE (a2, Buyer, Acme)" in err
    assert len(err.splitlines()) == 1
    exact = run_cli("paths", str(data), "--to", "Ánn LEE")  # the exact name is unique
    assert exact.returncode == 0, exact.stderr
    assert b"(a2)" in exact.stdout


def test_unknown_names_suggest_close_ones(tmp_path):
    data = two_ann_lees(tmp_path / "in")
    done = run_cli("evidence", str(data), "Bo Chen", "a2")
    assert done.returncode == 2
    assert "did you mean: Bo Chan (b1" in done.stderr.decode("utf-8")
    done = run_cli("influencers", str(SAMPLE), "--account", "Crestlin Bank")
    assert done.returncode == 2
    assert "did you mean: Crestline Bank?" in done.stderr.decode("utf-8")
    done = run_cli("influencers", str(SAMPLE))  # three accounts: say which
    assert done.returncode == 2 and b"--account" in done.stderr


def test_people_lists_every_id(tmp_path):
    done = run_cli("people", str(SAMPLE), "--csv")
    assert done.returncode == 0, done.stderr
    got = pd.read_csv(io.BytesIO(done.stdout), dtype=str, keep_default_na=False)
    rows = sample_people()
    assert sorted(got["id"]) == sorted(r["id"] for r in rows)
    assert dict(zip(got["id"], got["name"])) == {r["id"]: r["name"] for r in rows}
    assert got["internal"].tolist()[-4:] == ["True"] * 4  # our team last


def test_support_says_what_the_figure_means_as_the_report_does(tmp_path):
    """Globex's overall support, +0.29 (README), is nearest a supporter's +0.5 on the
    −1..+1 stance scale: the command words it as summary.csv and the report do."""
    done = run_cli("support", "data/example")
    assert done.returncode == 0, done.stderr
    first = done.stdout.decode("utf-8").splitlines()[0]
    assert first == (
        "Overall predicted support of Globex: +0.29 (leans like a supporter, on a scale "
        "from \u22121 (all blockers) to +1 (all champions), weighted by influence)"
    )


def test_a_reader_that_stops_early_ends_the_command_quietly():
    """``influence people DATA | head -1``: the closed pipe stops the command without an
    error message (exit status 141, 128 + SIGPIPE, as a shell reports for ``yes | head``)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "influence", "people", "data/sample"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    proc.stdout.close()  # nobody reads: every write gets EPIPE
    _, err = proc.communicate(timeout=300)
    assert err.decode("utf-8") == ""
    assert proc.returncode == 141


@pytest.mark.parametrize(
    ("command", "method"),
    [("next-moves", "next_moves"), ("engagement", "engagement"), ("risks", "risk_flags"),
     ("trend", "trend")],
)  # fmt: skip
def test_each_command_prints_its_method(command, method):
    import influence

    done = run_cli(command, "data/example", "--json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    want = getattr(influence.load("data/example").account("Globex"), method)()
    assert len(records) == len(want) > 0
    key = "flag" if "flag" in want else "id"
    assert [r[key] for r in records] == want[key].tolist()


# --- mistakes on the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "hint"),
    [(["analyse", "data/example"], "did you mean 'analyze'?"),
     (["next-move", "data/example"], "did you mean 'next-moves'?"),
     (["analyze", "data/example", "--out", "x", "--executor", "proceses"],
      "did you mean 'processes'?")],
)  # fmt: skip
def test_mistyped_choices_get_a_suggestion(args, hint, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert hint in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("flags", "message"),
    [(["--jobs", "0"], "argument --jobs: must be 1 or more, not 0"),
     (["--maps", "-2"], "argument --maps: must be -1 or more, not -2"),
     (["--account-timeout", "0"], "argument --account-timeout: must be at least")],
)  # fmt: skip
def test_bad_options_stop_before_any_work(tmp_path, flags, message):
    out = tmp_path / "out"
    done = run_cli("analyze", "data/sample", "--out", str(out), *flags)
    assert done.returncode == 2
    err = done.stderr.decode("utf-8")
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_out_pointing_at_a_file_is_a_clear_error(tmp_path):
    target = tmp_path / "taken"
    target.write_text("mine")
    for out in (target, target / "below"):
        done = run_cli("analyze", "data/sample", "--out", str(out))
        assert done.returncode == 2
        err = done.stderr.decode("utf-8")
        assert len(err.strip().splitlines()) == 1, err  # no progress, no data-quality lines
        assert err.startswith("influence: error: --out: ") and "is a file" in err
        assert "Errno" not in err and "Traceback" not in err
    assert target.read_text() == "mine"


# --- progress and Ctrl-C -------------------------------------------------------------------


def export(folder: Path, accounts: int) -> Path:
    """A Salesforce-shaped export of several accounts (bench/make_export.py)."""
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_export.py"), str(folder),
         "--accounts", str(accounts), "--seed", "5"],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder


def test_progress_in_a_log_is_a_line_every_tenth(tmp_path):
    data = export(tmp_path / "export", 10)
    out = tmp_path / "out"
    done = run_cli("analyze", str(data), "--out", str(out), "--maps", "4", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    err = done.stderr.decode("utf-8")
    assert "\r" not in err
    lines = [line for line in err.splitlines() if re.match(r"\d+/\d+ accounts", line)]
    n = len(pd.read_csv(out / "summary.csv"))
    assert 1 <= len(lines) <= 10
    assert lines[-1].startswith(f"{n}/{n} accounts (100%), ")
    shown = [int(line.split("/")[0]) for line in lines]
    assert shown == sorted(set(shown))


def test_ctrl_c_stops_soon_and_writes_the_finished_accounts(tmp_path):
    """SIGINT after the first account: the run ends within 10 s (the issue asks for 2 s;
    10 s is a generous bound for a loaded test machine), with exit status 130, and
    summary.csv and index.html list exactly the finished accounts; --resume finishes."""
    data = export(tmp_path / "export", 12)
    with open(data / "Account.csv", encoding="utf-8", newline="") as f:
        accounts = len(list(csv.DictReader(f)))
    out = tmp_path / "out"
    # Every account drawn, so each is a task of its own and many are left after the
    # first (small undrawn accounts travel together and finish at once).
    cmd = [sys.executable, "-m", "influence", "analyze", str(data), "--out", str(out),
           "--maps", "-1", "--jobs", "2"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not list(out.glob("*/.done")):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no account finished in time"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert time.monotonic() - sent < 10
    assert proc.returncode == 130
    err = err.decode("utf-8")
    assert "--resume" in err and "Traceback" not in err
    finished = {p.parent.name for p in out.glob("*/.done")}
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert set(summary["slug"]) == finished
    assert 1 <= len(finished) < accounts, "the run was meant to be interrupted half-way"
    index = (out / "index.html").read_text(encoding="utf-8")
    for slug in finished:
        assert f"{slug}/" in index
    again = subprocess.run(cmd + ["--resume"], cwd=ROOT, capture_output=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"skipped {len(finished)} finished accounts" in again.stdout.decode("utf-8")
    assert len(pd.read_csv(out / "summary.csv")) == accounts
