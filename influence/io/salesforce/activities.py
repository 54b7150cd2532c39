"""Activities of a Salesforce export: tasks, and events with their attendees, as
events and participants."""

from __future__ import annotations

import numpy as np
import pandas as pd

from influence.io.frames import (
    first_dates,
    lookup,
    lookup_table,
    per_value,
    skip_checks,
    text_frame,
    warn_rows,
)
from influence.io.quality import DataQuality
from influence.io.salesforce.ids import ACCOUNT, CONTACT, LEAD, USER, _prefix
from influence.io.salesforce.reader import _account_of, _get, _Reader, _true
from influence.io.tables import META, _isin, set_provenance


def _channel_of(subtype: str, kind: str) -> str:
    sub, kind = subtype.strip().lower(), kind.strip().lower()
    if sub in ("email", "call"):
        return sub
    for word in ("call", "email", "meeting"):
        if word in kind:
            return word
    return "task"


def _channel(task: pd.DataFrame) -> pd.Series:
    """Event type of a task: its TaskSubtype (Email, Call), else what Type says, else task."""
    pair = _get(task, "TaskSubtype") + "\x1f" + _get(task, "Type")
    return per_value(pair, lambda v: _channel_of(*(str(v).split("\x1f") + [""])[:2]))


def _participant_frame(
    df: pd.DataFrame, person: pd.Series, role: pd.Series | str, acct_id: pd.Series
) -> pd.DataFrame:
    out = text_frame(
        {
            "event_id": df["Id"].to_numpy(),
            "person_id": person.to_numpy(),
            "role": role.to_numpy() if isinstance(role, pd.Series) else role,
            "acct_id": acct_id.to_numpy(),
        }
    )
    set_provenance(out, df)
    return out


def _owners(
    q: DataQuality, df: pd.DataFrame, user_ids: pd.Index, role, acct_id: pd.Series
) -> pd.DataFrame:
    """Owner participants of activities; owners that are not exported users are logged."""
    owner = _get(df, "OwnerId")
    known = owner.isin(user_ids).to_numpy()
    warn_rows(
        q,
        df,
        ~known,
        "unknown_owner",
        "OwnerId",
        lambda x: (
            f"owner {x['OwnerId']!r} is not in User.csv (a queue or a user not "
            "exported); the activity is kept without its owner"
        ),
        skipped=False,
    )
    keep = df[known]
    return _participant_frame(
        keep, owner[known], role[known] if isinstance(role, pd.Series) else role, acct_id[known]
    )


def _id_checks(df: pd.DataFrame, file: str) -> list[tuple]:
    """The checks (:func:`~influence.io.frames.skip_checks`) that drop activities with a
    missing or repeated id."""
    ids = df["Id"]
    return [
        (ids == "", "missing_id", "Id", lambda x: "empty Id; the row is skipped"),
        (
            ids.duplicated().to_numpy(),
            "duplicate_id",
            "Id",
            lambda x: f"duplicate {file} Id {x['Id']!r}; the first row with it is kept",
        ),
    ]


def _bad_dates(r: _Reader, df: pd.DataFrame, date: pd.Series, raw: pd.Series, cols: str):
    keep = (date != "").to_numpy()
    missing = (raw == "").to_numpy()
    warn_rows(
        r.q,
        df,
        missing,
        "missing_date",
        cols,
        lambda x: "activity without a date; the row is skipped",
        skipped=True,
    )
    warn_rows(
        r.q,
        df.assign(_raw=raw.to_numpy()),
        ~keep & ~missing,
        "bad_date",
        cols,
        lambda x: f"cannot parse date {x['_raw']!r}; the row is skipped",
        skipped=True,
    )
    return keep


def _dated(
    r: _Reader, df: pd.DataFrame, columns: list[str], fmt: str
) -> tuple[pd.DataFrame, pd.Series]:
    """The rows of a task or event table with a readable date (the first of ``columns``
    that is set), and those dates; the others are logged and skipped."""
    date, raw = first_dates(df, columns, fmt, text=_get)
    keep = _bad_dates(r, df, date, raw, "ActivityDate")
    return df[keep].reset_index(drop=True), date[keep].reset_index(drop=True)


def _activity_account(df: pd.DataFrame, who: pd.Series, contact_acct: pd.Series) -> pd.Series:
    """The account id of each task or event: ``AccountId``, else ``WhatId`` when it is an
    account, else the account of its contact ``who``."""
    acct_id = _get(df, "AccountId")
    what = _get(df, "WhatId")
    acct_id = acct_id.where(acct_id != "", what.where(_prefix(what, ACCOUNT), ""))
    return acct_id.where(acct_id != "", lookup(who, contact_acct))


def _tasks(
    r: _Reader,
    names: pd.Series,
    contact_acct: pd.Series,
    user_ids: pd.Index,
    contact_ids: pd.Index,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events and participants of ``Task.csv``."""
    task = r.read("Task.csv")
    if task is None:
        return pd.DataFrame(), pd.DataFrame()
    q = r.q
    who = task["WhoId"]
    task = skip_checks(
        q,
        task,
        [
            *_id_checks(task, "Task"),
            (
                who == "",
                "no_contact",
                "WhoId",
                lambda x: "task without a contact (WhoId); the row is skipped",
            ),
            (
                _prefix(who, LEAD),
                "lead",
                "WhoId",
                lambda x: (
                    f"task on lead {x['WhoId']!r} (leads are not people of an account); "
                    "the row is skipped"
                ),
            ),
            (
                ~_isin(who, contact_ids),
                "unknown_contact",
                "WhoId",
                lambda x: (
                    f"contact {x['WhoId']!r} is not in Contact.csv (deleted or not exported); "
                    "the row is skipped"
                ),
            ),
        ],
    )
    task, date = _dated(r, task, ["ActivityDate", "CompletedDateTime", "CreatedDate"], "%Y-%m-%d")
    acct_id = _activity_account(task, task["WhoId"], contact_acct)
    kind = _channel(task)
    events = text_frame(
        {
            "id": task["Id"],
            "date": date,
            "type": kind,
            "subject": _get(task, "Subject"),
            "account": _account_of(acct_id, names).where(acct_id != "", ""),
        }
    )
    set_provenance(events, task)
    email = kind == "email"
    owner_role = pd.Series(np.where(email, "sender", "organizer"), index=task.index, dtype=object)
    who_role = pd.Series(np.where(email, "recipient", "attendee"), index=task.index, dtype=object)
    parts = pd.concat(
        [
            _owners(q, task, user_ids, owner_role, acct_id),
            _participant_frame(task, task["WhoId"], who_role, acct_id),
        ],
        ignore_index=True,
    )
    return events, parts


def _events(
    r: _Reader,
    names: pd.Series,
    contact_acct: pd.Series,
    user_ids: pd.Index,
    contact_ids: pd.Index,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Meetings of ``Event.csv`` with their attendees from ``EventRelation.csv``."""
    ev = r.read("Event.csv")
    if ev is None:
        return pd.DataFrame(), pd.DataFrame()
    q = r.q
    ev = skip_checks(
        q,
        ev,
        [
            *_id_checks(ev, "Event"),
            (
                _true(ev, "IsChild"),
                "child_event",
                "IsChild",
                lambda x: (
                    "copy of a group event in an invitee's calendar (IsChild); the row is skipped"
                ),
            ),
        ],
    )
    ev, date = _dated(
        r, ev, ["StartDateTime", "ActivityDateTime", "ActivityDate"], "%Y-%m-%d %H:%M:%S"
    )
    who = _get(ev, "WhoId")
    acct_id = _activity_account(ev, who, contact_acct)
    call = per_value(_get(ev, "Type"), lambda v: "call" in str(v).lower()).astype(bool)
    events = text_frame(
        {
            "id": ev["Id"],
            "date": date,
            "type": np.where(call, "call", "meeting"),
            "subject": _get(ev, "Subject"),
            "account": _account_of(acct_id, names).where(acct_id != "", ""),
            "duration": _get(ev, "DurationInMinutes"),
        }
    )
    set_provenance(events, ev)
    lead = _prefix(who, LEAD)
    warn_rows(
        q,
        ev,
        lead,
        "lead",
        "WhoId",
        lambda x: f"lead {x['WhoId']!r} is not a person of an account; left out of the meeting",
        skipped=False,
    )
    has_who = _isin(who, contact_ids).to_numpy()
    unknown = (who != "") & ~lead & ~has_who
    warn_rows(
        q,
        ev,
        unknown,
        "unknown_contact",
        "WhoId",
        lambda x: (
            f"contact {x['WhoId']!r} is not in Contact.csv (deleted or not exported); "
            "left out of the meeting"
        ),
        skipped=False,
    )
    derived = pd.concat(
        [
            _owners(q, ev, user_ids, "organizer", acct_id),
            _participant_frame(ev[has_who], who[has_who], "attendee", acct_id[has_who]),
        ],
        ignore_index=True,
    )
    ev_acct = lookup_table(ev["Id"], acct_id)
    rel = _relations(r, ev_acct, user_ids, contact_ids)
    if not rel.empty:
        # An attendee listed in EventRelation is counted there, not from Event.csv.
        derived = derived[~_listed(derived, rel)]
    return events, pd.concat([derived, rel], ignore_index=True)


def _listed(derived: pd.DataFrame, rel: pd.DataFrame) -> np.ndarray:
    """Whether each ``(event_id, person_id)`` of ``derived`` is a row of ``rel`` too (the
    pairs compared as integer codes)."""
    n = len(derived)
    pair = np.zeros(n + len(rel), dtype=np.int64)
    for c in ["event_id", "person_id"]:
        both = np.concatenate([derived[c].to_numpy(dtype=object), rel[c].to_numpy(dtype=object)])
        codes, distinct = pd.factorize(both)
        pair = pair * (len(distinct) + 1) + codes + 1
    return pd.Series(pair[:n]).isin(pair[n:]).to_numpy()


def _relations(
    r: _Reader, ev_acct: pd.Series, user_ids: pd.Index, contact_ids: pd.Index
) -> pd.DataFrame:
    """Attendees of ``EventRelation.csv`` that are contacts or users of kept events."""
    rel = r.read("EventRelation.csv")
    if rel is None or rel.empty:
        return pd.DataFrame(columns=["event_id", "person_id", "role", "acct_id", *META])
    rid = rel["RelationId"]
    contact, lead, user = (_prefix(rid, p).to_numpy() for p in (CONTACT, LEAD, USER))
    rel = skip_checks(
        r.q,
        rel,
        [
            (
                ~_isin(rel["EventId"], ev_acct.index),
                "unknown_event",
                "EventId",
                lambda x: (
                    f"event {x['EventId']!r} is not in Event.csv or was skipped; the row is skipped"
                ),
            ),
            (
                _true(rel, "IsWhat").to_numpy() | ~(contact | lead | user),
                "not_a_person",
                "RelationId",
                lambda x: f"{x['RelationId']!r} is a record, not a person; the row is skipped",
            ),
            (
                lead,
                "lead",
                "RelationId",
                lambda x: (
                    f"lead {x['RelationId']!r} is not a person of an account; the row is skipped"
                ),
            ),
            (
                contact & ~_isin(rid, contact_ids).to_numpy(),
                "unknown_contact",
                "RelationId",
                lambda x: (
                    f"contact {x['RelationId']!r} is not in Contact.csv (deleted or not "
                    "exported); the row is skipped"
                ),
            ),
            (
                user & ~_isin(rid, user_ids).to_numpy(),
                "unknown_user",
                "RelationId",
                lambda x: f"user {x['RelationId']!r} is not in User.csv; the row is skipped",
            ),
            (
                per_value(_get(rel, "Status"), lambda v: str(v).lower() == "declined").astype(bool),
                "declined",
                "Status",
                lambda x: "invitation declined; the row is skipped",
            ),
        ],
    )
    out = text_frame(
        {
            "event_id": rel["EventId"].to_numpy(),
            "person_id": rel["RelationId"].to_numpy(),
            "role": "attendee",
            "acct_id": lookup(rel["EventId"], ev_acct).to_numpy(),
        }
    )
    set_provenance(out, rel)
    return out
