"""HubSpot exports: UI-label and internal-name headers, files recognised by their headers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from influence.io import detect_format, read_dataset
from influence.io.hubspot import classify, read_hubspot

# File names say nothing: HubSpot names exports like this; headers tell what they hold.
FILES = {
    "hubspot-crm-exports-all-contacts-2025-03-01.csv": (
        "Record ID,First Name,Last Name,Email,Job Title,Contact owner,Associated Company IDs,"
        "Buying Role,Create Date,Last Activity Date\n"
        "101,Jürgen,Müller,jm@acme.example,CEO,Alice Archer,9001,Budget Holder,2024-01-01,\n"
        "102,José,García,jg@acme.example,CTO,Alice Archer,9001;9002,Blocker,2024-01-01,\n"
        "103,Li,Chen,lc@beta.example,Buyer,Bob Baker,9002,End User,2024-01-01,\n"
        "104,,,noname@beta.example,,,,,2024-01-01,\n"
    ),
    "export-2.csv": (  # companies with internal names
        "hs_object_id,name,domain,hubspot_owner_id,createdate\n"
        "9001,Acme Corp,acme.example,Alice Archer,2024-01-01\n"
        "9002,Beta GmbH,beta.example,Bob Baker,2024-01-01\n"
    ),
    "meetings.csv": (
        "Record ID,Activity date,Meeting name,Activity assigned to,Associated Contact IDs,"
        "Associated Company IDs,Meeting outcome\n"
        "5001,2025-02-03 14:00,QBR,Alice Archer,101;102,9001,Completed\n"
        "5002,,No date,Alice Archer,101,9001,Scheduled\n"
        "5003,2025-02-05 10:00,Intro,Bob Baker,103;999,9002,Completed\n"
    ),
    "calls.csv": (
        "hs_object_id,hs_timestamp,hs_call_title,hubspot_owner_id,associated_contact_ids,"
        "hs_call_duration\n"
        "7001,1738576800000,Follow-up,Bob Baker,102,300000\n"
    ),
    "deals.csv": (
        "Record ID,Deal Name,Deal Stage,Deal owner,Associated Contact IDs\n"
        "8001,Acme renewal,Negotiation,Alice Archer,101;102\n"
        "8002,Acme upsell,Qualified,Alice Archer,101\n"
    ),
}


def write(folder: Path, as_zip: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if as_zip:
        path = folder / "hubspot-export.zip"
        with zipfile.ZipFile(path, "w") as z:
            for name, text in FILES.items():
                z.writestr(name, text.encode("utf-8"))
        return path
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_classify_by_headers():
    assert classify(["hs_object_id", "firstname", "lastname", "email"]) == "contacts"
    assert classify(["Record ID", "Company name", "Company Domain Name"]) == "companies"
    assert classify(["Record ID", "Deal Name", "Associated Contact IDs"]) == "deals"
    assert classify(["hs_object_id", "hs_timestamp", "hs_meeting_title"]) == "activities"
    assert classify(["id", "name"], "people.csv") == "companies"
    assert classify(["whatever"]) is None


@pytest.mark.parametrize("as_zip", [False, True])
def test_hubspot_export(tmp_path, as_zip):
    path = write(tmp_path / "hs", as_zip)
    assert detect_format(path) == "hubspot"
    t = read_dataset(path)
    p = t.people.set_index("id")
    ext = t.people[~t.people["internal"]]
    # A contact without a company is put in "Unassigned" (and logged) by validate.
    assert ext.groupby("account").size().to_dict() == {
        "Acme Corp": 2,
        "Beta GmbH": 1,
        "Unassigned": 1,
    }
    assert p.loc["101", "name"] == "Jürgen Müller"
    assert p.loc["104", "name"] == "noname@beta.example"
    assert p.loc["101", "buying_role"] == "Economic Buyer"
    assert p.loc["102", "buying_role"] == "Other" and p.loc["102", "stance"] == "blocker"
    assert p.loc["103", "buying_role"] == "Business User"
    assert p.loc["102", "account"] == "Acme Corp"  # the first (primary) company
    assert p.loc["101", "deals"] == 2 and p.loc["103", "deals"] == 0
    team = t.people[t.people["internal"]]
    assert sorted(team["id"]) == ["owner:Alice Archer", "owner:Bob Baker"]

    ev = t.events.set_index("id")
    assert ev["type"].to_dict() == {
        "meetings:5001": "meeting",
        "meetings:5003": "meeting",
        "calls:7001": "call",
    }
    assert ev.loc["calls:7001", "date"] == pd.Timestamp("2025-02-03 10:00")
    assert ev.loc["meetings:5001", "account"] == "Acme Corp"
    qbr = t.participants[t.participants["event_id"] == "meetings:5001"]
    assert dict(zip(qbr["person_id"], qbr["role"])) == {
        "owner:Alice Archer": "organizer",
        "101": "attendee",
        "102": "attendee",
    }
    q = t.quality
    assert q.counts() == {"missing_date": 1, "no_account": 1, "unknown_contact": 1}
    missing = next(i for i in q.issues if i.code == "missing_date")
    assert (missing.file, missing.row) == ("meetings.csv", 3)
    unknown = next(i for i in q.issues if i.code == "unknown_contact")
    assert (unknown.file, unknown.row) == ("meetings.csv", 4)
    assert q.rows_read["meetings.csv"] == 3 and q.rows_skipped["meetings.csv"] == 1
    assert q.rows_read["hubspot-crm-exports-all-contacts-2025-03-01.csv"] == 4


def test_no_contacts_export(tmp_path):
    (tmp_path / "deals.csv").write_text(FILES["deals.csv"])
    with pytest.raises(Exception, match="no HubSpot contacts"):
        read_hubspot(tmp_path)
