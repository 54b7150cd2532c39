"""Salesforce Data Export: fixtures shaped like a real weekly export, exact canonical values."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from influence.io import detect_format, read_dataset
from influence.io.quality import InputError
from influence.io.salesforce import normalize_ids, read_salesforce

ROOT = Path(__file__).resolve().parents[1]


def sfid(base15: str) -> str:
    """The 18-character form of a 15-character id."""
    return normalize_ids(pd.Series([base15])).iat[0]


ACME, BETA = "0015g00000AcmeA", "0015g00000BetaB"
MUELLER, JOSE, CHEN, DIAZ = (
    "0035g00000Cnt1A",
    "0035g00000Cnt2B",
    "0035g00000Cnt3C",
    "0035g00000Cnt4D",
)
ALICE, BOB = "0055g00000UsrAa", "0055g00000UsrBb"
LEAD, GONE = "00Q5g00000Lead1", "0035g00000Gone1"
EVENT, OPP = "00U5g00000Evt1A", "0065g00000Opp1A"


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def export_files(acr: bool = False) -> dict[str, bytes]:
    """The files of a small export; ids mix 15- and 18-character forms on purpose."""
    stamp = "2025-01-02T09:00:00.000Z"
    f = {
        "Account.csv": [
            ["Id", "IsDeleted", "MasterRecordId", "Name", "Type", "OwnerId", "CreatedDate",
             "SystemModstamp"],
            [sfid(ACME), "false", "", "Acme Corp", "Customer", sfid(ALICE), stamp, stamp],
            [sfid(BETA), "false", "", "Beta GmbH", "Prospect", sfid(BOB), stamp, stamp],
        ],
        "Contact.csv": [
            ["Id", "IsDeleted", "MasterRecordId", "AccountId", "LastName", "FirstName",
             "Salutation", "Title", "Department", "Email", "ReportsToId", "OwnerId",
             "CreatedDate", "SystemModstamp"],
            [sfid(MUELLER), "false", "", sfid(ACME), "Müller", "Jürgen", "Mr.", "CEO",
             "Executive", "jm@acme.example", "", sfid(ALICE), stamp, stamp],
            [sfid(JOSE), "false", "", ACME, "García", "José", "", "CTO", "IT",
             "jg@acme.example", MUELLER, ALICE, stamp, stamp],
            [sfid(CHEN), "false", "", sfid(BETA), "Chen", "Li", "", "Buyer", "Procurement",
             "lc@beta.example", sfid(MUELLER), sfid(BOB), stamp, stamp],
            [sfid(DIAZ), "false", "", sfid(BETA), "Díaz", "Ana", "", "CFO", "Finance",
             "ad@beta.example", "", sfid(BOB), stamp, stamp],
        ],
        "User.csv": [
            ["Id", "Username", "LastName", "FirstName", "Title", "Email", "IsActive",
             "ManagerId", "Department", "SystemModstamp"],
            [sfid(ALICE), "alice@us.example", "Archer", "Alice", "VP Sales", "alice@us.example",
             "true", "", "Sales", stamp],
            [sfid(BOB), "bob@us.example", "Baker", "Bob", "AE", "bob@us.example", "true",
             sfid(ALICE), "Sales", stamp],
        ],
        "Task.csv": [
            ["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "OwnerId", "Type",
             "IsDeleted", "AccountId", "CreatedDate", "SystemModstamp", "TaskSubtype"],
            ["00T5g00000Tsk1A", JOSE, "", "Intro", "2025-01-06", "Completed", ALICE, "",
             "false", ACME, stamp, stamp, "Email"],
            ["00T5g00000Tsk2B", sfid(MUELLER), "", "Pricing", "2025-01-07", "Completed",
             sfid(BOB), "Call", "false", sfid(ACME), stamp, stamp, "Task"],
            ["00T5g00000Tsk3C", LEAD, "", "Cold call", "2025-01-08", "Completed", ALICE,
             "Call", "false", "", stamp, stamp, "Call"],
            ["00T5g00000Tsk4D", GONE, "", "Old", "2025-01-09", "Completed", ALICE, "Email",
             "false", ACME, stamp, stamp, "Task"],
            ["00T5g00000Tsk5E", sfid(DIAZ), "", "Workshop", "2025-01-10", "Completed", BOB,
             "Meeting", "false", BETA, stamp, stamp, "Task"],
        ],
        "Event.csv": [
            ["Id", "WhoId", "WhatId", "Subject", "ActivityDateTime", "ActivityDate",
             "DurationInMinutes", "AccountId", "OwnerId", "Type", "IsDeleted", "IsChild",
             "StartDateTime", "SystemModstamp"],
            [sfid(EVENT), sfid(MUELLER), sfid(ACME), "QBR", "2025-02-03T14:00:00.000Z",
             "2025-02-03", "60", sfid(ACME), sfid(ALICE), "Meeting", "false", "false",
             "2025-02-03T14:00:00.000Z", stamp],
        ],
        "EventRelation.csv": [
            ["Id", "RelationId", "EventId", "Status", "IsInvitee", "IsParent", "IsWhat",
             "IsDeleted", "SystemModstamp"],
            ["0RE5g00000Rel1A", MUELLER, EVENT, "Accepted", "false", "true", "false", "false",
             stamp],
            ["0RE5g00000Rel2B", sfid(JOSE), sfid(EVENT), "Accepted", "true", "false", "false",
             "false", stamp],
            ["0RE5g00000Rel3C", sfid(BOB), sfid(EVENT), "New", "true", "false", "false",
             "false", stamp],
        ],
        "Opportunity.csv": [
            ["Id", "IsDeleted", "AccountId", "Name", "StageName", "CloseDate"],
            [sfid(OPP), "false", sfid(ACME), "Acme renewal", "Negotiation", "2025-06-30"],
        ],
        "OpportunityContactRole.csv": [
            ["Id", "OpportunityId", "ContactId", "Role", "IsPrimary", "CreatedDate",
             "IsDeleted"],
            ["00K5g00000Ocr1A", OPP, MUELLER, "Economic Decision Maker", "true", stamp,
             "false"],
            ["00K5g00000Ocr2B", OPP, sfid(JOSE), "Technical Buyer", "false", stamp, "false"],
        ],
    }  # fmt: skip
    if acr:
        f["AccountContactRelation.csv"] = [
            ["Id", "AccountId", "ContactId", "Roles", "IsDirect", "IsActive", "IsDeleted"],
            ["07k5g00000Acr1A", ACME, JOSE, "", "true", "true", "false"],
            ["07k5g00000Acr2B", BETA, JOSE, "Influencer", "false", "true", "false"],
        ]
    out = {name: _csv(rows).encode("utf-8") for name, rows in f.items()}
    out["Contact.csv"] = _csv(f["Contact.csv"]).encode("latin-1")  # ISO-8859-1 export
    return out


def write_export(folder: Path, *, acr: bool = False, as_zip: bool = False) -> Path:
    files = export_files(acr)
    folder.mkdir(parents=True, exist_ok=True)
    if as_zip:
        path = folder / "WE_00D5g000000TEST_1.ZIP"
        with zipfile.ZipFile(path, "w") as z:
            for name, data in files.items():
                z.writestr(name, data)
        return path
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_normalize_ids_15_and_18_characters():
    ids = pd.Series(["001A0000006Vm9r", "001A0000006Vm9rIAC", "001a0000006vm9r", " x ", ""])
    assert normalize_ids(ids).tolist() == [
        "001A0000006Vm9rIAC",
        "001A0000006Vm9rIAC",
        "001a0000006vm9rAAA",
        "x",
        "",
    ]


@pytest.mark.parametrize("as_zip", [False, True])
def test_people_events_and_quality(tmp_path, as_zip):
    path = write_export(tmp_path / "export", as_zip=as_zip)
    assert detect_format(path) == "salesforce"
    t = read_dataset(path)
    p = t.people.set_index("id")
    ext = t.people[~t.people["internal"]]
    assert ext.groupby("account").size().to_dict() == {"Acme Corp": 2, "Beta GmbH": 2}
    assert sorted(t.people.loc[t.people["internal"], "name"]) == ["Alice Archer", "Bob Baker"]
    assert p.loc[sfid(MUELLER), "name"] == "Jürgen Müller"
    assert p.loc[sfid(JOSE), "name"] == "José García"
    # 15-character ids in the file link up with 18-character ones.
    assert p.loc[sfid(JOSE), "reports_to"] == sfid(MUELLER)
    assert p.loc[sfid(BOB), "reports_to"] == sfid(ALICE)
    assert p.loc[sfid(CHEN), "reports_to"] == sfid(MUELLER)  # into another account: kept
    assert p.loc[sfid(MUELLER), "buying_role"] == "Economic Buyer"
    assert p.loc[sfid(MUELLER), "is_primary"] == "true"
    assert p.loc[sfid(JOSE), "buying_role"] == "Technical Buyer"
    assert p.loc[sfid(JOSE), "is_primary"] == "false"
    assert p.loc[sfid(DIAZ), "buying_role"] == ""

    ev = t.events.set_index("id")
    assert ev["type"].to_dict() == {
        sfid("00T5g00000Tsk1A"): "email",
        sfid("00T5g00000Tsk2B"): "call",
        sfid("00T5g00000Tsk5E"): "meeting",
        sfid(EVENT): "meeting",
    }
    assert ev.loc[sfid(EVENT), "account"] == "Acme Corp"
    assert ev.loc[sfid(EVENT), "date"] == pd.Timestamp("2025-02-03 14:00")
    meeting = t.participants[t.participants["event_id"] == sfid(EVENT)]
    assert dict(zip(meeting["person_id"], meeting["role"])) == {
        sfid(ALICE): "organizer",
        sfid(MUELLER): "attendee",
        sfid(JOSE): "attendee",
        sfid(BOB): "attendee",
    }
    email = t.participants[t.participants["event_id"] == sfid("00T5g00000Tsk1A")]
    assert dict(zip(email["person_id"], email["role"])) == {
        sfid(ALICE): "sender",
        sfid(JOSE): "recipient",
    }

    q = t.quality
    assert q.counts() == {
        "encoding": 1,
        "lead": 1,
        "reports_to_other_account": 1,
        "unknown_contact": 1,
    }
    lead = next(i for i in q.issues if i.code == "lead")
    assert (lead.file, lead.row, lead.column) == ("Task.csv", 4, "WhoId")
    gone = next(i for i in q.issues if i.code == "unknown_contact")
    assert (gone.file, gone.row) == ("Task.csv", 5)
    other = next(i for i in q.issues if i.code == "reports_to_other_account")
    assert (other.file, other.row) == ("Contact.csv", 4)
    assert q.rows_read["Task.csv"] == 5 and q.rows_skipped["Task.csv"] == 2
    assert q.rows_read["EventRelation.csv"] == 3 and q.rows_skipped["EventRelation.csv"] == 0
    assert q.rows_read["Contact.csv"] == 4 and q.rows_used("Contact.csv") == 4
    assert "AccountContactRelation.csv" not in q.rows_read  # optional, missing


def test_contact_in_two_accounts(tmp_path):
    t = read_salesforce(write_export(tmp_path / "export", acr=True))
    p = t.people.set_index("id")
    alias = f"{sfid(JOSE)}@{sfid(BETA)}"
    assert p.loc[alias, "account"] == "Beta GmbH"
    assert p.loc[alias, "crm_id"] == sfid(JOSE)
    assert p.loc[alias, "name"] == "José García"
    assert p.loc[alias, "buying_role"] == "Influencer"
    assert p.loc[sfid(JOSE), "account"] == "Acme Corp"  # its own id stays in its account
    ext = t.people[~t.people["internal"]]
    assert ext.groupby("account").size().to_dict() == {"Acme Corp": 2, "Beta GmbH": 3}
    assert t.quality.rows_read["AccountContactRelation.csv"] == 2


def test_missing_optional_files_and_format_override(tmp_path):
    folder = tmp_path / "export"
    files = export_files()
    folder.mkdir()
    for name in ["Contact.csv", "Task.csv"]:
        (folder / name).write_bytes(files[name])
    t = read_dataset(folder, format="salesforce")
    assert len(t.people) == 4  # contacts only; no users
    assert t.people["account"].tolist() == [sfid(ACME), sfid(ACME), sfid(BETA), sfid(BETA)]
    codes = t.quality.counts()
    assert codes["missing_file"] == 2 and codes["unknown_owner"] == 3
    assert len(t.events) == 3 and set(t.participants["role"]) == {"recipient", "attendee"}


def test_no_contacts_is_an_input_error(tmp_path):
    (tmp_path / "Account.csv").write_text("Id,Name\n0015g00000AcmeAAAA,Acme\n")
    with pytest.raises(InputError, match="no Contact.csv"):
        read_salesforce(tmp_path)


def test_generated_export_loads_with_row_accounting(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_export.py"), str(tmp_path), "--accounts",
         "20", "--seed", "3", "--zip", "--latin1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (zipped,) = tmp_path.glob("WE_*_1.ZIP")
    t = read_dataset(zipped)
    q = t.quality
    with zipfile.ZipFile(zipped) as z:
        lines = {n: z.read(n).count(b"\n") - 1 for n in z.namelist()}
    for name, n in lines.items():
        assert q.rows_read[name] == n, name
        assert 0 <= q.rows_skipped[name] <= n
    assert q.rows_used("Contact.csv") == lines["Contact.csv"]
    assert len(t.people) == lines["Contact.csv"] + lines["User.csv"]
    task_events = t.events["id"].str.startswith("00T").sum()
    assert task_events == q.rows_used("Task.csv")
    skipped = sum(
        1 for i in q.issues if i.file == "Task.csv" and i.code in ("lead", "unknown_contact")
    )
    assert skipped == q.rows_skipped["Task.csv"] > 0
    assert q.counts()["encoding"] >= 1
    assert t.people["internal"].sum() == lines["User.csv"]
