#!/usr/bin/env python3
"""Generate a Salesforce-shaped weekly Data Export of any size, for benchmarks and tests.

    python bench/make_export.py OUT_DIR --accounts 3000 [--seed 7] [--shape activity|contact]
                                [--zip] [--latin1]

Writes ``Account.csv, Contact.csv, User.csv, Task.csv, Event.csv, EventRelation.csv,
Opportunity.csv, OpportunityContactRole.csv`` (or ``WE_<org>_1.ZIP`` holding them with
``--zip``) with the columns, column order and quirks of a real export:

* account sizes are lognormal (mean ~30 contacts, a few accounts with thousands);
* reports-to hierarchies inside accounts, and ~1% of contacts reporting into another
  account; a few dozen users (our team) with their own manager hierarchy;
* ~12 activities per contact over 15 months: tasks (emails, calls, other) and meetings
  with attendees in ``EventRelation.csv`` (the meeting's contact, colleagues, users);
* opportunities with contact roles (one primary per opportunity);
* quirks: 15-character ids in ~3% of the reference columns, tasks on Leads (``00Q``),
  tasks on deleted contacts, extra columns (``IsDeleted``, ``CreatedDate``,
  ``SystemModstamp``, …), accented names, and Latin-1 (ISO-8859-1) encoding with
  ``--latin1``.

Everything is vectorised with numpy and pandas and seeded: the same arguments give the
same bytes. 3,000 accounts (~90k contacts, ~1M activity rows) take a few seconds.
"""

from __future__ import annotations

import argparse
import io
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ALPHABET = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "u1")
SUFFIX = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "u1")

FIRST = [
    "Anna", "José", "Lena", "Marc", "Sofia", "Jürgen", "Chloé", "Raj", "Mei", "Omar",
    "Zoë", "Liam", "Inès", "Noah", "Björn", "Elena", "André", "Priya", "Tomás", "Hannah",
    "Lucas", "Marta", "Søren", "Fatima", "Jean", "Olivia", "Mateo", "Ingrid", "Hugo", "Ana",
]  # fmt: skip
LAST = [
    "Müller", "García", "Smith", "Dubois", "Rossi", "Nguyen", "Johansson", "Kowalski",
    "O'Brien", "Martín", "Schäfer", "Patel", "Brown", "Lefèvre", "Costa", "Fernández",
    "Wong", "Jensen", "Novak", "Ibáñez", "Weiß", "Silva", "Taylor", "Åberg", "Moreau",
]  # fmt: skip
TITLES = [
    ["CEO", "CFO", "COO", "CTO", "Chief Revenue Officer"],
    ["VP Operations", "VP Finance", "VP Engineering", "VP Procurement", "VP Sales"],
    ["Director of IT", "Finance Director", "Head of Procurement", "Director of Operations"],
    ["Senior Manager", "IT Manager", "Procurement Manager", "Operations Manager"],
    ["Analyst", "Engineer", "Specialist", "Coordinator", "Buyer", "Accountant"],
]
DEPARTMENTS = ["Executive", "Finance", "IT", "Operations", "Procurement", "Sales", "Legal"]
ROLES = [
    "Decision Maker", "Economic Buyer", "Economic Decision Maker", "Technical Buyer",
    "Evaluator", "Influencer", "Business User", "Executive Sponsor", "Other",
]  # fmt: skip
STATUS = ["Accepted", "Accepted", "New", "Declined"]
SUBJECTS = ["Follow-up", "Pricing review", "Intro call", "QBR", "Renewal", "Demo, part 2"]
START = np.datetime64("2024-01-01")
DAYS = 456  # 15 months


def ids(prefix: str, n: int, start: int = 0) -> np.ndarray:
    """``n`` distinct 18-character Salesforce ids with a 3-character key ``prefix``.

    The 12 characters after the prefix are a mixed-case base-62 number (so that the
    15-character form is case-sensitive) and the last 3 are the standard checksum.
    """
    k = np.arange(start, start + n, dtype=np.uint64)
    k = (k * np.uint64(2654435761) + np.uint64(916132831)) % np.uint64(62**9)
    digits = np.empty((n, 9), dtype=np.uint8)
    for i in range(8, -1, -1):
        digits[:, i] = ALPHABET[(k % np.uint64(62)).astype(np.intp)]
        k //= np.uint64(62)
    head = np.frombuffer((prefix + "5g0").encode(), "u1")
    base = np.concatenate([np.broadcast_to(head, (n, 6)), digits], axis=1)
    upper = ((base >= 65) & (base <= 90)).reshape(n, 3, 5)
    suffix = SUFFIX[(upper * (1 << np.arange(5))).sum(axis=2)]
    full = np.ascontiguousarray(np.concatenate([base, suffix], axis=1))
    return full.view("S18").ravel().astype(str).astype(object)


def short15(values: np.ndarray, rng: np.random.Generator, share: float = 0.03) -> np.ndarray:
    """Cut ``share`` of the ids to their 15-character form, as reports and old tools do."""
    out = values.copy()
    pick = rng.random(len(out)) < share
    out[pick] = np.array([v[:15] for v in out[pick]], dtype=object)
    return out


def stamps(days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """ISO datetimes (UTC, as in the export) on the given day offsets."""
    secs = (days * 86400 + rng.integers(7 * 3600, 19 * 3600, len(days))).astype("timedelta64[s]")
    t = (START.astype("datetime64[s]") + secs).astype(str).astype(object)
    return t + ".000Z"


def dates(days: np.ndarray) -> np.ndarray:
    return (START + days.astype("timedelta64[D]")).astype(str).astype(object)


# Export shapes: (log-mean and log-sd of account sizes, tasks and meetings per contact).
SHAPES = {
    "activity": (2.42, 1.45, 9, 3),  # mean ~30 contacts, heavy skew, ~12 activities each
    "contact": (3.2, 1.1, 3, 1),  # mean ~45 contacts, milder skew, ~4 activities each
}


def build(n_accounts: int, seed: int = 7, shape: str = "activity") -> dict[str, pd.DataFrame]:
    """The tables of an export with ``n_accounts`` accounts, as DataFrames of text."""
    mu, sigma, tasks, meetings = SHAPES[shape]
    rng = np.random.default_rng(seed)
    # Accounts: lognormal sizes (activity shape: mean ~30), a few very large ones.
    sizes = np.clip(rng.lognormal(mu, sigma, n_accounts), 2, 6000).astype(int)
    acc_id = ids("001", n_accounts)
    acc_name = (
        np.array(
            [
                f"{a} {b}"
                for a, b in zip(rng.choice(LAST, n_accounts), rng.integers(1, 10**6, n_accounts))
            ],
            dtype=object,
        )
        + np.array([" Inc.", " GmbH", " S.A.", " Ltd", ""], dtype=object)[
            rng.integers(0, 5, n_accounts)
        ]
    )
    n_users = int(np.clip(12 + n_accounts // 40, 12, 60))
    user_id = ids("005", n_users)
    acc_owner = rng.integers(0, n_users, n_accounts)
    now = stamps(rng.integers(0, DAYS, n_accounts), rng)
    account = pd.DataFrame(
        {
            "Id": acc_id,
            "IsDeleted": "false",
            "MasterRecordId": "",
            "Name": acc_name,
            "Type": rng.choice(["Customer", "Prospect", "Partner"], n_accounts),
            "ParentId": "",
            "BillingCity": rng.choice(["Zürich", "Lyon", "Austin", "Madrid", "Oslo"], n_accounts),
            "Industry": rng.choice(["Banking", "Healthcare", "Retail", "Energy"], n_accounts),
            "OwnerId": user_id[acc_owner],
            "CreatedDate": now,
            "CreatedById": user_id[0],
            "LastModifiedDate": now,
            "SystemModstamp": now,
        }
    )

    # Users: our team, with a manager hierarchy.
    mgr = np.where(np.arange(n_users) == 0, -1, rng.integers(0, np.maximum(np.arange(n_users), 1)))
    u_first = rng.choice(FIRST, n_users)
    u_last = rng.choice(LAST, n_users)
    user = pd.DataFrame(
        {
            "Id": user_id,
            "Username": [f"user{i}@acme.example" for i in range(n_users)],
            "LastName": u_last,
            "FirstName": u_first,
            "CompanyName": "Acme Analytics",
            "Department": rng.choice(["Sales", "Customer Success", "Solutions"], n_users),
            "Title": rng.choice(["Account Executive", "CSM", "Sales Engineer"], n_users),
            "Email": [f"user{i}@acme.example" for i in range(n_users)],
            "IsActive": np.where(rng.random(n_users) < 0.9, "true", "false"),
            "UserType": "Standard",
            "ManagerId": np.where(mgr >= 0, user_id[np.maximum(mgr, 0)], ""),
            "CreatedDate": stamps(rng.integers(0, 30, n_users), rng),
            "SystemModstamp": stamps(rng.integers(0, DAYS, n_users), rng),
        }
    )

    # Contacts: a hierarchy per account (each reports to an earlier colleague).
    n = int(sizes.sum())
    c_acc = np.repeat(np.arange(n_accounts), sizes)
    first_of = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    local = np.arange(n) - first_of[c_acc]
    parent = np.where(local > 0, first_of[c_acc] + (rng.random(n) ** 2 * local).astype(int), -1)
    parent[(local > 0) & (rng.random(n) < 0.08)] = -1
    depth = np.zeros(n, dtype=int)
    for _ in range(64):
        new = np.where(parent >= 0, depth[np.maximum(parent, 0)] + 1, 0)
        if (new == depth).all():
            break
        depth = new
    level = np.minimum(depth, len(TITLES) - 1)
    titles = np.empty(n, dtype=object)
    for lv, options in enumerate(TITLES):
        pick = level == lv
        titles[pick] = rng.choice(options, pick.sum())
    c_id = ids("003", n)
    reports = np.where(parent >= 0, c_id[np.maximum(parent, 0)], "").astype(object)
    cross = (rng.random(n) < 0.01) & (n > 1)
    reports[cross] = c_id[rng.integers(0, n, cross.sum())]
    reports[reports == c_id] = ""
    first = rng.choice(FIRST, n).astype(object)
    last = rng.choice(LAST, n).astype(object)
    created = stamps(rng.integers(0, DAYS, n), rng)
    contact = pd.DataFrame(
        {
            "Id": c_id,
            "IsDeleted": "false",
            "MasterRecordId": "",
            "AccountId": short15(acc_id[c_acc], rng),
            "LastName": last,
            "FirstName": first,
            "Salutation": rng.choice(["", "Mr.", "Ms.", "Dr."], n),
            "MailingCity": rng.choice(["München", "São Paulo", "Paris", "Boston"], n),
            "Phone": "+1 555 0100",
            "Email": [f"c{i}@example.com" for i in range(n)],
            "Title": titles,
            "Department": rng.choice(DEPARTMENTS, n),
            "ReportsToId": short15(reports, rng),
            "OwnerId": user_id[acc_owner[c_acc]],
            "CreatedDate": created,
            "LastModifiedDate": created,
            "SystemModstamp": created,
        }
    )

    # Activities: ~12 per contact, skewed (some contacts are much busier).
    weight = rng.lognormal(0, 1, n)
    weight /= weight.sum()
    n_task, n_event = tasks * n, meetings * n
    who = rng.choice(n, n_task, p=weight)
    t_owner = np.where(
        rng.random(n_task) < 0.8, acc_owner[c_acc[who]], rng.integers(0, n_users, n_task)
    )
    t_days = rng.integers(0, DAYS, n_task)
    who_id = c_id[who].copy()
    lead = rng.random(n_task) < 0.01
    who_id[lead] = ids("00Q", int(lead.sum()))
    gone = ~lead & (rng.random(n_task) < 0.005)
    who_id[gone] = ids("003", int(gone.sum()), start=n + 10)  # deleted contacts
    t_acc = np.where(lead, "", acc_id[c_acc[who]]).astype(object)
    subtype = rng.choice(["Task", "Email", "Call", "ListEmail"], n_task, p=[0.3, 0.4, 0.25, 0.05])
    ttype = np.where(subtype == "Call", "Call", np.where(subtype == "Task", "Other", "Email"))
    ttype = np.where((subtype == "Task") & (rng.random(n_task) < 0.3), "Meeting", ttype)
    tstamp = stamps(t_days, rng)
    task = pd.DataFrame(
        {
            "Id": ids("00T", n_task),
            "WhoId": short15(who_id, rng),
            "WhatId": np.where(rng.random(n_task) < 0.3, t_acc, ""),
            "Subject": rng.choice(SUBJECTS, n_task),
            "ActivityDate": dates(t_days),
            "Status": "Completed",
            "Priority": "Normal",
            "OwnerId": short15(user_id[t_owner], rng),
            "Description": "",
            "Type": ttype,
            "IsDeleted": "false",
            "AccountId": t_acc,
            "IsClosed": "true",
            "CreatedDate": tstamp,
            "CreatedById": user_id[t_owner],
            "LastModifiedDate": tstamp,
            "SystemModstamp": tstamp,
            "TaskSubtype": subtype,
            "CompletedDateTime": tstamp,
        }
    )

    # Meetings with attendees from the same account (and sometimes a second user).
    e_who = rng.choice(n, n_event, p=weight)
    e_acc = c_acc[e_who]
    e_owner = acc_owner[e_acc]
    e_days = rng.integers(0, DAYS, n_event)
    e_id = ids("00U", n_event)
    e_start = stamps(e_days, rng)
    event = pd.DataFrame(
        {
            "Id": e_id,
            "WhoId": c_id[e_who],
            "WhatId": acc_id[e_acc],
            "Subject": rng.choice(SUBJECTS, n_event),
            "Location": "",
            "IsAllDayEvent": "false",
            "ActivityDateTime": e_start,
            "ActivityDate": dates(e_days),
            "DurationInMinutes": rng.choice(["30", "45", "60", "90"], n_event),
            "Description": "",
            "AccountId": acc_id[e_acc],
            "OwnerId": user_id[e_owner],
            "Type": rng.choice(["Meeting", "Meeting", "Call", ""], n_event),
            "IsPrivate": "false",
            "ShowAs": "Busy",
            "IsDeleted": "false",
            "IsChild": "false",
            "IsGroupEvent": "true",
            "GroupEventType": "1",
            "CreatedDate": e_start,
            "SystemModstamp": e_start,
            "StartDateTime": e_start,
            "EndDateTime": e_start,
        }
    )
    extra = rng.poisson(1.5, n_event)  # colleagues invited besides the meeting's contact
    ev_rep = np.repeat(np.arange(n_event), extra)
    col_local = (rng.random(len(ev_rep)) * sizes[e_acc[ev_rep]]).astype(int)
    attendees = np.concatenate([e_who, first_of[e_acc[ev_rep]] + col_local])
    att_event = np.concatenate([np.arange(n_event), ev_rep])
    second = rng.random(n_event) < 0.15
    rel_person = np.concatenate([c_id[attendees], user_id[rng.integers(0, n_users, second.sum())]])
    rel_event = np.concatenate([att_event, np.nonzero(second)[0]])
    order = np.argsort(rel_event, kind="stable")
    rel_person, rel_event = rel_person[order], rel_event[order]
    once = ~pd.DataFrame({"e": rel_event, "p": rel_person}).duplicated().to_numpy()
    rel_person, rel_event = rel_person[once], rel_event[once]
    rel_stamp = e_start[rel_event]
    m = len(rel_event)
    relation = pd.DataFrame(
        {
            "Id": ids("0RE", m),
            "RelationId": rel_person,
            "EventId": e_id[rel_event],
            "Status": rng.choice(STATUS, m, p=[0.5, 0.3, 0.15, 0.05]),
            "RespondedDate": rel_stamp,
            "Response": "",
            "IsInvitee": "true",
            "IsParent": "false",
            "IsWhat": "false",
            "IsDeleted": "false",
            "CreatedDate": rel_stamp,
            "SystemModstamp": rel_stamp,
        }
    )  # fmt: skip

    # Opportunities (about 1.5 per account) with 1–4 contact roles each.
    n_opp = int(n_accounts * 1.5)
    o_acc = rng.integers(0, n_accounts, n_opp)
    o_id = ids("006", n_opp)
    o_close = rng.integers(0, DAYS, n_opp)
    opportunity = pd.DataFrame(
        {
            "Id": o_id,
            "IsDeleted": "false",
            "AccountId": acc_id[o_acc],
            "Name": [f"Deal {i}" for i in range(n_opp)],
            "StageName": rng.choice(["Prospecting", "Negotiation", "Closed Won"], n_opp),
            "Amount": rng.integers(5, 500, n_opp).astype(str),
            "CloseDate": dates(o_close),
            "OwnerId": user_id[acc_owner[o_acc]],
            "CreatedDate": stamps(o_close, rng),
            "SystemModstamp": stamps(o_close, rng),
        }
    )
    per = rng.integers(1, 5, n_opp)
    ocr_opp = np.repeat(np.arange(n_opp), per)
    ocr_contact = first_of[o_acc[ocr_opp]] + (
        rng.random(len(ocr_opp)) * sizes[o_acc[ocr_opp]]
    ).astype(int)
    first_role = np.concatenate([[True], ocr_opp[1:] != ocr_opp[:-1]])
    k = len(ocr_opp)
    ocr = pd.DataFrame(
        {
            "Id": ids("00K", k),
            "OpportunityId": o_id[ocr_opp],
            "ContactId": c_id[ocr_contact],
            "Role": rng.choice(ROLES, k),
            "IsPrimary": np.where(first_role, "true", "false"),
            "CreatedDate": stamps(o_close[ocr_opp], rng),
            "IsDeleted": "false",
        }
    )
    return {
        "Account.csv": account,
        "Contact.csv": contact,
        "User.csv": user,
        "Task.csv": task,
        "Event.csv": event,
        "EventRelation.csv": relation,
        "Opportunity.csv": opportunity,
        "OpportunityContactRole.csv": ocr,
    }


def to_csv(df: pd.DataFrame, latin1: bool = False) -> bytes:
    """CSV bytes, quoted only where needed (fast: pyarrow's writer when available)."""
    try:
        import pyarrow as pa
        from pyarrow import csv as pa_csv

        table = pa.Table.from_pandas(df.astype(str), preserve_index=False)
        buf = io.BytesIO()
        pa_csv.write_csv(table, buf, pa_csv.WriteOptions(quoting_style="needed"))
        data = buf.getvalue()
    except ImportError:  # pragma: no cover
        data = df.to_csv(index=False).encode("utf-8")
    if latin1:
        data = data.decode("utf-8").encode("latin-1", errors="replace")
    return data


def write(
    out: Path, tables: dict[str, pd.DataFrame], *, as_zip: bool, latin1: bool, org: str
) -> Path:
    """Write the tables as CSV files in ``out`` (or one zip archive in it)."""
    out.mkdir(parents=True, exist_ok=True)
    if not as_zip:
        for name, df in tables.items():
            (out / name).write_bytes(to_csv(df, latin1))
        return out
    path = out / f"WE_{org}_1.ZIP"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, df in tables.items():
            z.writestr(name, to_csv(df, latin1))
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output folder")
    ap.add_argument("--accounts", type=int, default=100, help="number of accounts")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--shape", choices=sorted(SHAPES), default="activity", help="see SHAPES")
    ap.add_argument("--zip", action="store_true", help="write WE_<org>_1.ZIP instead of files")
    ap.add_argument("--latin1", action="store_true", help="encode as ISO-8859-1")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    tables = build(args.accounts, args.seed, args.shape)
    path = write(args.out, tables, as_zip=args.zip, latin1=args.latin1, org="00D5g0000000001EAA")
    counts = ", ".join(f"{k} {len(v):,}" for k, v in tables.items())
    print(f"{path}: {counts} ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
