"""Hostile input: every loader either reads a file with exact row accounting or stops with
an ``InputError`` naming the file. Never another exception, never a hang.

Inputs are built from small valid datasets (canonical CSV folder, ``.xlsx`` workbook,
Salesforce export folder and zip, HubSpot export) and then damaged: random bytes,
truncation, ``;`` and tab delimiters, quoted newlines, duplicate headers, formulas, mixed
date formats, odd encodings. Hypothesis runs derandomized, so CI sees the same examples.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence.cli import main
from influence.io import read_dataset
from influence.io.quality import InputError

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 30  # seconds per example: a loader that takes longer on a few KB is hanging

FUZZ = settings(
    max_examples=int(os.environ.get("INFLUENCE_FUZZ_EXAMPLES", "60")),  # more: fuzz deeper
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CANONICAL = {
    "people.csv": [
        ["id", "name", "title", "account", "reports_to", "email", "level", "stance", "internal"],
        ["p1", "Ana Ruiz", "CEO", "Acme", "", "ana@acme.example", "1", "champion", "false"],
        ["p2", "Ben Ode", "CIO", "Acme", "p1", "ben@acme.example", "2", "skeptic", "false"],
        ["p3", "Cleo Ng", "CFO", "Acme", "p1", "", "2", "", "false"],
        ["u1", "Our AE", "AE", "", "", "", "", "", "true"],
    ],
    "relationships.csv": [
        ["source", "target", "type", "strength", "directed", "start", "end"],
        ["p2", "p3", "peer", "0.5", "", "2025-01-01", ""],
        ["p1", "p2", "advises", "0.9", "true", "", ""],
    ],
    "events.csv": [
        ["id", "date", "type", "subject", "account"],
        ["e1", "2026-03-01", "meeting", "Kick-off", "Acme"],
        ["e2", "2026-03-05T10:00:00", "call", "Follow-up", "Acme"],
    ],
    "participants.csv": [
        ["event_id", "person_id", "role"],
        ["e1", "p1", "attendee"],
        ["e1", "u1", "organizer"],
        ["e2", "p2", "attendee"],
        ["e2", "u1", "organizer"],
    ],
}

A1, A2 = "0015g00000AcmeAAAA", "0015g00000BetaBAAA"
C1, C2, C3 = "0035g00000Cnt1AAAA", "0035g00000Cnt2BAAA", "0035g00000Cnt3CAAA"
U1 = "0055g00000UsrAaAAA"
SALESFORCE = {
    "Account.csv": [["Id", "Name", "IsDeleted"], [A1, "Acme Corp", "false"],
                    [A2, "Beta GmbH", "false"]],
    "Contact.csv": [
        ["Id", "AccountId", "FirstName", "LastName", "Title", "Email", "ReportsToId", "IsDeleted"],
        [C1, A1, "Jürgen", "Müller", "CEO", "jm@acme.example", "", "false"],
        [C2, A1, "José", "García", "CTO", "jg@acme.example", C1, "false"],
        [C3, A2, "Li", "Chen", "Buyer", "lc@beta.example", "", "false"],
    ],
    "User.csv": [["Id", "FirstName", "LastName", "Email", "IsActive"],
                 [U1, "Alice", "Archer", "alice@us.example", "true"]],
    "Task.csv": [
        ["Id", "WhoId", "Subject", "ActivityDate", "OwnerId", "Type", "AccountId", "TaskSubtype",
         "IsDeleted"],
        ["00T5g00000Tsk1AAAA", C1, "Intro", "2025-01-06", U1, "", A1, "Email", "false"],
        ["00T5g00000Tsk2BAAA", C2, "Pricing", "2025-01-07", U1, "Call", A1, "Task", "false"],
        ["00T5g00000Tsk3CAAA", C3, "Demo", "2025-01-08", U1, "Meeting", A2, "Task", "false"],
    ],
}  # fmt: skip

HUBSPOT = {
    "contacts.csv": [
        ["Record ID", "First Name", "Last Name", "Email", "Job Title", "Contact owner",
         "Associated Company IDs"],
        ["101", "Jürgen", "Müller", "jm@acme.example", "CEO", "Alice Archer", "9001"],
        ["102", "José", "García", "jg@acme.example", "CTO", "Alice Archer", "9001"],
        ["103", "Li", "Chen", "lc@beta.example", "Buyer", "Bob Baker", "9002"],
    ],
    "companies.csv": [["hs_object_id", "name", "hubspot_owner_id"],
                      ["9001", "Acme Corp", "Alice Archer"], ["9002", "Beta GmbH", "Bob Baker"]],
    "meetings.csv": [
        ["Record ID", "Activity date", "Meeting name", "Activity assigned to",
         "Associated Contact IDs"],
        ["5001", "2025-02-03 14:00", "QBR", "Alice Archer", "101;102"],
        ["5002", "03/02/2025", "Intro", "Bob Baker", "103"],
    ],
}  # fmt: skip

NASTY = [
    '=HYPERLINK("http://x","y")',
    "+1 555 0100",
    "-2",
    "@SUM(A1)",
    "line one\nline two",
    'quote " inside',
    "semi;colon",
    "tab\tinside",
    "2025-13-45",
    "03/04/2025",
    "4 March 2025",
    "2025-03-04T25:61:00",
    "1738576800000",
    "",
    " ",
    "\x00",
    "\ufeff",
    "ü€\u200b",
    "x" * 5000,
]
cell = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


@st.composite
def damaged(draw, base: dict[str, list[list[str]]]) -> dict[str, bytes]:
    """The files of ``base`` with one file damaged in a few ways."""
    files = {name: [list(r) for r in rows] for name, rows in base.items()}
    name = draw(st.sampled_from(sorted(files)))
    rows = files[name]
    for _ in range(draw(st.integers(0, 4))):  # replace cells (header included)
        i = draw(st.integers(0, len(rows) - 1))
        j = draw(st.integers(0, len(rows[i]) - 1))
        rows[i][j] = draw(cell)
    if draw(st.booleans()):  # a duplicate header
        j = draw(st.integers(0, len(rows[0]) - 1))
        for r in rows:
            r.append(r[j])
    if draw(st.integers(0, 3)) == 0:  # ragged rows
        i = draw(st.integers(0, len(rows) - 1))
        rows[i] = rows[i][: draw(st.integers(0, len(rows[i])))] + draw(st.lists(cell, max_size=3))
    if draw(st.integers(0, 3)) == 0:  # blank lines
        rows.insert(draw(st.integers(1, len(rows))), [])
    out = {}
    for fname, frows in files.items():
        delim = draw(st.sampled_from([",", ";", "\t"])) if fname == name else ","
        end = draw(st.sampled_from(["\n", "\r\n"])) if fname == name else "\n"
        buf = io.StringIO()
        csv.writer(buf, delimiter=delim, lineterminator=end).writerows(frows)
        text = buf.getvalue()
        enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
        data = text.encode(enc, errors="replace") if fname == name else text.encode("utf-8")
        out[fname] = data
    data = out[name]
    how = draw(st.sampled_from(["none", "truncate", "insert", "random"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=30)) + data[at:]
    elif how == "random":
        data = draw(st.binary(max_size=300))
    out[name] = data
    return out


class Hang(Exception):
    pass


@contextmanager
def budget(seconds: int = BUDGET):
    def alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def undamaged(files: dict[str, bytes], base: dict[str, list[list[str]]]) -> dict[str, int]:
    """The data rows written to each file of ``files`` left as ``base`` has it (the files
    :func:`damaged` did not touch): their rows must all be read."""
    out = {}
    for name, rows in base.items():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        if files.get(name) == buf.getvalue().encode("utf-8"):
            out[name] = len(rows) - 1
    return out


def check(
    path: Path, files: list[str], format: str | None = None, written: dict[str, int] | None = None
) -> None:
    """The property every loader must have (see the module docstring). ``written``: the
    number of data rows of the files that were not damaged (:func:`undamaged`)."""
    with budget():
        try:
            t = read_dataset(path, format)
        except InputError as err:
            named = [path.name] + files
            assert any(n in str(err) for n in named), str(err)
            return
    q = t.quality
    assert q.rows_read, "no file was counted"
    for file, n in q.rows_read.items():
        skipped = sum(i.rows for i in q.issues if i.file == file and i.skipped)
        assert 0 <= q.rows_skipped[file] <= n, file
        assert skipped == q.rows_skipped[file], file
    for file, n in (written or {}).items():
        assert q.rows_read[file] == n, file


def used_rows(t) -> dict[str, int]:
    """Distinct (file, row) pairs that made it into the canonical tables, per file."""
    frames = [df[["_file", "_row"]] for df in (t.people, t.relationships, t.events,
                                                t.participants)]  # fmt: skip
    rows = pd.concat(frames).drop_duplicates()
    return rows.groupby("_file").size().to_dict()


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@FUZZ
@given(files=damaged(CANONICAL))
def test_canonical_folder(tmp_path, files):
    folder = write_folder(tmp_path / "canonical", files)
    check(folder, list(files), written=undamaged(files, CANONICAL))
    try:
        t = read_dataset(folder)
    except InputError:
        return
    # In the canonical format every used row is in the tables exactly once.
    used = used_rows(t)
    for file in t.quality.rows_read:
        assert used.get(file, 0) == t.quality.rows_used(file), file


@FUZZ
@given(files=damaged(SALESFORCE), as_zip=st.booleans())
def test_salesforce_export(tmp_path, files, as_zip):
    folder = write_folder(tmp_path / "sf", files)
    path = folder
    if as_zip:
        path = tmp_path / "WE_00D_1.ZIP"
        with zipfile.ZipFile(path, "w") as z:
            for name, data in files.items():
                z.writestr(name, data)
    check(path, list(files), "salesforce", undamaged(files, SALESFORCE))


@FUZZ
@given(files=damaged(HUBSPOT))
def test_hubspot_export(tmp_path, files):
    folder = write_folder(tmp_path / "hs", files)
    check(folder, list(files), "hubspot", undamaged(files, HUBSPOT))


@settings(FUZZ, max_examples=FUZZ.max_examples // 2)
@given(
    cells=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 8), cell), max_size=6),
    blank_sheet=st.booleans(),
)
def test_workbook(tmp_path, cells, blank_sheet):
    frames = {n[:-4]: pd.DataFrame(r[1:], columns=r[0]) for n, r in CANONICAL.items()}
    names = sorted(frames)
    for t, j, value in cells:
        df = frames[names[t]]
        j %= len(df.columns)
        # openpyxl refuses control characters; a workbook cannot hold them.
        df.iat[0, j] = "".join(c for c in value if c >= " " or c in "\n\t")
    if blank_sheet:
        frames["events"] = frames["events"].iloc[:0]
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        for name, df in frames.items():
            df.to_excel(w, sheet_name=name, index=False)
    check(path, [path.name])


@settings(FUZZ, max_examples=FUZZ.max_examples // 2)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".xlsx", ".zip"]))
def test_random_bytes_as_workbook_or_zip(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    check(path, [path.name])


def test_truncated_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        pd.DataFrame(CANONICAL["people.csv"][1:], columns=CANONICAL["people.csv"][0]).to_excel(
            w, sheet_name="people", index=False
        )
    data = path.read_bytes()
    for cut in (10, len(data) // 2, len(data) - 10):
        path.write_bytes(data[:cut])
        with pytest.raises(InputError, match="book.xlsx"):
            read_dataset(path)


def test_one_megabyte_field(tmp_path):
    rows = [list(r) for r in CANONICAL["people.csv"]]
    rows[2][2] = "t" * (1 << 20)
    files = {**{n: r for n, r in CANONICAL.items()}, "people.csv": rows}
    folder = tmp_path / "big"
    folder.mkdir()
    for name, frows in files.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(frows)
    t = read_dataset(folder)
    assert t.people.set_index("id").at["p2", "title"] == "t" * (1 << 20)


def test_row_numbers_are_line_numbers_with_quoted_newlines(tmp_path):
    """A record whose field spans lines is reported at the line it starts on."""
    folder = tmp_path / "nl"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "id,name,title,account\n"
        'p1,Ana,"Chief\nExecutive\nOfficer",Acme\n'  # lines 2-4
        "p2,Ben,CIO,Acme\n"  # line 5
        "p2,Ben again,CIO,Acme\n"  # line 6: duplicate id
        'p3,"Cleo\r\nNg",CFO,Acme\n'  # lines 7-8
        ",No id,CTO,Acme\n",  # line 9: missing id
        encoding="utf-8",
        newline="",
    )
    t = read_dataset(folder)
    assert t.people["_row"].tolist() == [2, 5, 7]
    found = {(i.code, i.row) for i in t.quality.issues}
    assert ("duplicate_id", 6) in found and ("missing_id", 9) in found


def test_people_all_skipped_is_an_error(tmp_path):
    folder = tmp_path / "none"
    folder.mkdir()
    (folder / "people.csv").write_text("id,name,title\n,", encoding="utf-8")
    with pytest.raises(InputError, match=r"people.csv: no usable people.*row 2: empty id"):
        read_dataset(folder)


def test_only_our_team_is_an_error(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "people.csv").write_text("id,name,internal\nu1,Us,true\n", encoding="utf-8")
    assert main(["analyze", str(folder), "--out", str(tmp_path / "out"), "--quiet"]) == 2


def test_unreadable_csv_names_the_file(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "people.csv").write_text('id,name\np1,"unterminated\n', encoding="utf-8")
    with pytest.raises(InputError, match="people.csv"):
        read_dataset(folder)


@settings(FUZZ, max_examples=FUZZ.max_examples // 3)
@given(files=damaged(CANONICAL))
def test_cli_exit_code_is_0_or_2(tmp_path, files, capsys):
    folder = write_folder(tmp_path / "cli", files)
    out = tmp_path / "out"
    with budget(60):
        code = main(["analyze", str(folder), "--out", str(out), "--executor", "serial",
                     "--maps", "0", "--quiet"])  # fmt: skip
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 2:
        assert any(n in err for n in [folder.name, *files]), err


def test_cli_subprocess_never_shows_a_traceback(tmp_path):
    cases = {
        "random.xlsx": b"PK\x03\x04 not really a workbook",
        "random.zip": b"\x00\x01\x02",
    }
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "people.csv").write_bytes(b'id,name\np1,"open quote\n\xff\xfe')
    paths = {folder: "people.csv"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        paths[tmp_path / name] = name
    for path, named in paths.items():
        r = subprocess.run(
            [sys.executable, "-m", "influence", "analyze", str(path), "--out",
             str(tmp_path / "out"), "--quiet"],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr
        assert r.stderr.startswith("influence: error: ") and named in r.stderr, r.stderr
