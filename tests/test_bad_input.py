"""Bad input gets a clear error naming file, row and column, or a counted warning."""

import csv

import pandas as pd
import pytest
from datasets import write_tables

import influence
from influence.cli import main
from influence.io import read_dataset
from influence.io.quality import InputError

PEOPLE = [
    {"id": "p1", "name": "Ana", "account": "Acme", "reports_to": ""},
    {"id": "p2", "name": "Ben", "account": "Acme", "reports_to": "p1"},
    {"id": "p3", "name": "Cleo", "account": "Acme", "reports_to": "p1"},
    {"id": "u1", "name": "Our AE", "internal": "true"},
]
EVENTS = [{"id": "e1", "date": "2026-03-01", "type": "meeting"}]
PARTS = [{"event_id": "e1", "person_id": "p1"}, {"event_id": "e1", "person_id": "u1"}]


def dataset(tmp_path, **over):
    tables = {
        "people": PEOPLE,
        "events": EVENTS,
        "participants": PARTS,
        "relationships": [{"source": "p2", "target": "p3", "type": "peer"}],
    }
    tables.update(over)
    return write_tables(tmp_path / "in", **tables)


def run_cli(tmp_path, folder, capsys):
    code = main(["analyze", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--jobs", "1"])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def only_issue(path):
    issues = read_dataset(path).quality.issues
    assert len(issues) == 1, issues
    return issues[0]


def assert_accounted(path, broken: dict[str, int]):
    """Rows read are the data rows written (counted by the csv module), rows skipped are the
    rows the test broke on purpose (``broken``: file -> count), and no others."""
    q = read_dataset(path).quality
    written = {}
    for f in sorted(path.glob("*.csv")):
        with open(f, newline="", encoding="utf-8") as fh:
            written[f.name] = sum(1 for _ in csv.DictReader(fh))
    assert dict(q.rows_read) == written
    assert {f: n for f, n in q.rows_skipped.items() if n} == broken
    assert {f: q.rows_used(f) for f in written} == {
        f: n - broken.get(f, 0) for f, n in written.items()
    }


def test_missing_required_column_is_an_error(tmp_path, capsys):
    folder = dataset(tmp_path, people=[{"id": "p1", "title": "CFO"}])
    code, out, err = run_cli(tmp_path, folder, capsys)
    assert code == 2
    assert err == (
        "influence: error: people.csv, row 1, column 'name': missing required "
        "column 'name' (columns found: id, title)\n"
    )
    assert "Traceback" not in err and out == ""


def test_missing_column_in_optional_file(tmp_path):
    folder = dataset(tmp_path, relationships=[{"source": "p1", "kind": "peer"}])
    with pytest.raises(InputError, match=r"relationships.csv, row 1, column 'target'"):
        read_dataset(folder)


@pytest.mark.parametrize(
    ("table", "rows", "file", "row", "column"),
    [
        (
            "relationships",
            [
                {"source": "p1", "target": "p2", "type": "peer"},
                {"source": "p1", "target": "p9", "type": "peer"},
            ],
            "relationships.csv",
            3,
            "target",
        ),
        (
            "participants",
            PARTS + [{"event_id": "e1", "person_id": "ghost"}],
            "participants.csv",
            4,
            "person_id",
        ),
    ],
)
def test_unknown_person_is_counted(tmp_path, capsys, table, rows, file, row, column):
    folder = dataset(tmp_path, **{table: rows})
    issue = only_issue(folder)
    assert (issue.file, issue.row, issue.column, issue.code) == (
        file,
        row,
        column,
        "unknown_person",
    )
    assert_accounted(folder, {file: 1})
    code, out, err = run_cli(tmp_path, folder, capsys)
    assert code == 0
    assert "1 data-quality warnings" in err and "1 × unknown_person" in err
    assert f"{file}, row {row}, column '{column}'" in err
    summary = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert (
        summary.loc[0, "warnings"] == 1 and summary.loc[0, "warning_counts"] == "unknown_person=1"
    )
    dq = pd.read_csv(tmp_path / "out" / "data_quality.csv")
    assert dq[["file", "row", "column", "code"]].values.tolist() == [
        [file, row, column, "unknown_person"]
    ]


def test_duplicate_ids(tmp_path):
    folder = dataset(
        tmp_path, people=PEOPLE + [{"id": "p2", "name": "Ben again", "account": "Acme"}]
    )
    issue = only_issue(folder)
    assert (issue.file, issue.row, issue.column, issue.code) == (
        "people.csv",
        6,
        "id",
        "duplicate_id",
    )
    people = read_dataset(folder).people
    assert people.set_index("id").loc["p2", "name"] == "Ben"  # the first row is kept
    assert_accounted(folder, {"people.csv": 1})


def test_unparseable_dates(tmp_path):
    events = EVENTS + [{"id": "e2", "date": "31/31/2026", "type": "call"}]
    folder = dataset(tmp_path, events=events)
    issue = only_issue(folder)
    assert (issue.file, issue.row, issue.column, issue.code) == (
        "events.csv",
        3,
        "date",
        "bad_date",
    )
    assert "'31/31/2026'" in issue.message
    assert_accounted(folder, {"events.csv": 1})


def test_reports_to_cycle(tmp_path):
    people = [
        {"id": "p1", "name": "Ana", "account": "Acme", "reports_to": "p3"},
        {"id": "p2", "name": "Ben", "account": "Acme", "reports_to": "p1"},
        {"id": "p3", "name": "Cleo", "account": "Acme", "reports_to": "p2"},
        {"id": "u1", "name": "Our AE", "internal": "true"},
    ]
    folder = dataset(tmp_path, people=people)
    issue = only_issue(folder)
    assert (issue.file, issue.row, issue.column, issue.code) == (
        "people.csv",
        2,
        "reports_to",
        "reports_to_cycle",
    )
    t = read_dataset(folder)
    assert t.people.set_index("id")["reports_to"].to_dict() == {
        "p1": "",
        "p2": "p1",
        "p3": "p2",
        "u1": "",
    }


def test_empty_people_file_is_an_error(tmp_path, capsys):
    folder = dataset(tmp_path)
    (folder / "people.csv").write_bytes(b"")
    code, _, err = run_cli(tmp_path, folder, capsys)
    assert code == 2
    assert err == "influence: error: people.csv: the file is empty; people are required\n"


def test_header_only_people_file_is_an_error(tmp_path):
    folder = dataset(tmp_path)
    (folder / "people.csv").write_text("id,name\n")
    with pytest.raises(InputError, match="people.csv: no people"):
        read_dataset(folder)


def test_empty_optional_file_is_a_warning(tmp_path):
    folder = dataset(tmp_path)
    (folder / "relationships.csv").write_bytes(b"")
    issue = only_issue(folder)
    assert (issue.file, issue.code) == ("relationships.csv", "empty_file")


def test_windows_1252_file(tmp_path):
    folder = dataset(tmp_path)
    text = (
        "id,name,account\np1,José Müller,Société Générale\n"
        "p2,Zoë Œuvre – “Quote”,Société Générale\n"
    )
    (folder / "people.csv").write_bytes(text.encode("cp1252"))
    (folder / "participants.csv").write_text("event_id,person_id\ne1,p1\ne1,p2\n")
    (folder / "relationships.csv").write_text("source,target,type\n")
    t = read_dataset(folder)
    assert t.people["name"].tolist() == ["José Müller", "Zoë Œuvre – “Quote”"]
    assert t.people["account"].iat[0] == "Société Générale"
    issue = only_issue(folder)
    assert (issue.file, issue.code) == ("people.csv", "encoding")
    assert "read as cp1252" in issue.message and "line 2" in issue.message


def test_latin1_bytes_undefined_in_cp1252(tmp_path):
    folder = dataset(tmp_path)
    (folder / "people.csv").write_bytes("id,name,account\np1,Ren\x81e,Acme\n".encode("latin-1"))
    (folder / "participants.csv").write_text("event_id,person_id\n")
    (folder / "relationships.csv").write_text("source,target,type\n")
    t = read_dataset(folder)
    assert t.people["name"].iat[0] == "Ren\x81e"
    assert "read as latin-1" in t.quality.issues[0].message


def test_utf8_bom(tmp_path):
    folder = dataset(tmp_path)
    (folder / "people.csv").write_bytes(b"\xef\xbb\xbfid,name,account\np1,Ana,Acme\np2,Ben,Acme\n")
    (folder / "participants.csv").write_text("event_id,person_id\ne1,p1\n")
    (folder / "relationships.csv").write_text("source,target,type\np1,p2,peer\n")
    t = read_dataset(folder)
    assert list(t.people["id"]) == ["p1", "p2"]  # the header 'id' was found despite the BOM
    assert only_issue(folder).code == "utf8_bom"


def test_no_such_input(tmp_path, capsys):
    code = main(["analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert code == 2
    assert (
        capsys.readouterr().err
        == f"influence: error: {tmp_path / 'nope'}: no such file or folder\n"
    )


def test_workbook_equals_folder(tmp_path):
    folder = dataset(tmp_path)
    book = tmp_path / "acme.xlsx"
    with pd.ExcelWriter(book) as w:
        for name in ["people", "relationships", "events", "participants"]:
            pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).to_excel(
                w, sheet_name=name, index=False
            )
    a = influence.load(folder).account("Acme").influencers()
    b = influence.load(book).account("Acme").influencers()
    pd.testing.assert_frame_equal(a, b)
