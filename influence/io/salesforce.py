"""Salesforce weekly Data Export: the ``WE_<org>_1.ZIP`` archive or the folder unpacked from it.

Only ``Contact.csv`` is required. The files read, and the columns taken from each (every
other column is ignored, so files of hundreds of MB read quickly):

``Account.csv``
    ``Id, Name`` — account names (made unique with the id when two accounts share one).
``Contact.csv``
    people of customer accounts: ``Id, AccountId, FirstName, LastName, Title,
    Department, Email, ReportsToId, OwnerId``.
``User.csv``
    our own team (``internal``): ``Id, FirstName, LastName, Title, Email, ManagerId,
    Department``.
``Task.csv``
    one event per task (``Id, WhoId, AccountId, OwnerId, ActivityDate, TaskSubtype,
    Type, Subject``) with two participants: the owner (a User) and the contact ``WhoId``.
``Event.csv`` and ``EventRelation.csv``
    meetings (``Id, WhoId, AccountId, OwnerId, ActivityDate/StartDateTime, Subject,
    Type``) attended by their owner, their ``WhoId`` and every ``RelationId`` of
    ``EventRelation``.
``Opportunity.csv`` and ``OpportunityContactRole.csv``
    contact roles on opportunities become ``buying_role`` (and ``is_primary``).
``AccountContactRelation.csv``
    contacts related to several accounts (see below).

Ids are normalised to their 18-character form (:func:`normalize_ids`), so an export that
mixes 15- and 18-character ids (reports, spreadsheets, older tools) still links up.

A contact related to more than one account keeps its own id in its primary account
(``Contact.AccountId``) and gets one more person row per other account, with id
``<ContactId>@<AccountId>`` and ``crm_id`` = the contact id. Activities logged on that
other account are attributed to that row, so the contact takes part in the analysis of
every account it is related to, while the ids of all other people (and every reference
to the contact from its own account) stay the ids Salesforce gives them.

See ``docs/crm-mapping.md`` for the complete field mapping and the data-quality codes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from influence.defaults import TRUE_WORDS
from influence.io.frames import (
    first_dates,
    lookup,
    lookup_table,
    per_value,
    skip_rows,
    text_column,
    text_frame,
    warn_rows,
)
from influence.io.quality import DataQuality, InputError
from influence.io.tables import META, Tables, _key, validate
from influence.io.text import Bundle, read_csv_data

ID_SUFFIX = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_ID_RE = r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?"
_ID = re.compile(_ID_RE)

CONTACT, LEAD, USER, ACCOUNT = "003", "00Q", "005", "001"

#: Opportunity contact roles (standard picklist and common custom values) → buying role.
ROLE_MAP = {
    _key(k): v
    for k, v in {
        "Decision Maker": "Decision Maker",
        "Economic Buyer": "Economic Buyer",
        "Economic Decision Maker": "Economic Buyer",
        "Budget Holder": "Economic Buyer",
        "Technical Buyer": "Technical Buyer",
        "Technical Decision Maker": "Technical Buyer",
        "Evaluator": "Evaluator",
        "Influencer": "Influencer",
        "Champion": "Champion",
        "Business User": "Business User",
        "End User": "Business User",
        "User": "Business User",
        "Executive Sponsor": "Executive Sponsor",
        "Executive": "Executive Sponsor",
        "Sponsor": "Executive Sponsor",
        "Other": "Other",
    }.items()
}
#: When a contact has several roles, the first in this order wins (primary roles first).
ROLE_PRIORITY = [
    "Economic Buyer",
    "Decision Maker",
    "Executive Sponsor",
    "Champion",
    "Technical Buyer",
    "Evaluator",
    "Influencer",
    "Business User",
    "Other",
    "",
]

COLUMNS = {
    "Account.csv": ["Id", "Name", "IsDeleted"],
    "Contact.csv": [
        "Id",
        "AccountId",
        "Name",
        "FirstName",
        "LastName",
        "Title",
        "Department",
        "Email",
        "ReportsToId",
        "OwnerId",
        "IsDeleted",
    ],
    "User.csv": [
        "Id",
        "Name",
        "FirstName",
        "LastName",
        "Title",
        "Email",
        "ManagerId",
        "Department",
        "IsActive",
    ],
    "Task.csv": [
        "Id",
        "WhoId",
        "WhatId",
        "AccountId",
        "OwnerId",
        "ActivityDate",
        "CompletedDateTime",
        "CreatedDate",
        "TaskSubtype",
        "Type",
        "Subject",
        "IsDeleted",
    ],
    "Event.csv": [
        "Id",
        "WhoId",
        "WhatId",
        "AccountId",
        "OwnerId",
        "StartDateTime",
        "ActivityDateTime",
        "ActivityDate",
        "DurationInMinutes",
        "Subject",
        "Type",
        "IsChild",
        "IsDeleted",
    ],
    "EventRelation.csv": ["EventId", "RelationId", "IsInvitee", "IsWhat", "Status", "IsDeleted"],
    "Opportunity.csv": ["Id", "AccountId", "IsDeleted"],
    "OpportunityContactRole.csv": ["ContactId", "OpportunityId", "Role", "IsPrimary", "IsDeleted"],
    "AccountContactRelation.csv": [
        "ContactId",
        "AccountId",
        "IsDirect",
        "IsActive",
        "Roles",
        "IsDeleted",
    ],
}
REQUIRED = {
    "Account.csv": ["Id"],
    "Contact.csv": ["Id"],
    "User.csv": ["Id"],
    "Task.csv": ["Id", "WhoId", "OwnerId"],
    "Event.csv": ["Id", "OwnerId"],
    "EventRelation.csv": ["EventId", "RelationId"],
    "Opportunity.csv": ["Id", "AccountId"],
    "OpportunityContactRole.csv": ["ContactId", "OpportunityId"],
    "AccountContactRelation.csv": ["ContactId", "AccountId"],
}
ID_COLUMNS = {
    "Id",
    "AccountId",
    "ReportsToId",
    "OwnerId",
    "ManagerId",
    "WhoId",
    "WhatId",
    "EventId",
    "RelationId",
    "ContactId",
    "OpportunityId",
}


# --- ids ------------------------------------------------------------------------------------


def _suffixed_bytes(b: np.ndarray) -> np.ndarray:
    """18-character ids as an ``(n, 18)`` byte array, of 15-character ids as ``(n, 15)``."""
    upper = ((b >= 65) & (b <= 90)).reshape(-1, 3, 5)
    idx = (upper * (1 << np.arange(5))).sum(axis=2)
    suffix = np.frombuffer(ID_SUFFIX, dtype=np.uint8)[idx]
    return np.ascontiguousarray(np.concatenate([b, suffix], axis=1))


def _suffixes(base: list[str]) -> list[str]:
    """18-character ids of 15-character ids (vectorised checksum)."""
    if not base:
        return []
    b = np.frombuffer("".join(base).encode("ascii"), dtype=np.uint8).reshape(-1, 15)
    return _suffixed_bytes(b).view("S18").ravel().astype(str).tolist()


def _arrow_text(values):
    """``values`` (an Arrow string array, or strings) as an Arrow string array."""
    import pyarrow as pa

    if isinstance(values, pa.Array):
        return values
    return pa.array(np.asarray(values, dtype=object), type=pa.string())


def _normalize_distinct(values) -> np.ndarray:
    """:func:`normalize_ids` of distinct strings (an Arrow string array or a sequence).

    Values that are ids as they stand are found and completed with Arrow and NumPy; only
    the others (empty, padded with spaces, not ids) are looked at one by one. Returns an
    object array in the same order.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow_text(values)
    n = len(arr)
    if not n:
        return np.array([], dtype=object)
    ok = pc.match_substring_regex(arr, f"^{_ID_RE}$").to_numpy(zero_copy_only=False)
    ok = np.asarray(ok, dtype=bool)
    everything = bool(ok.all())
    good = arr if everything else arr.filter(pa.array(ok))
    ids = np.array([], dtype=object)
    if len(good):
        offsets = np.frombuffer(good.buffers()[1], dtype=np.int32)[good.offset :][: len(good)]
        data = np.frombuffer(good.buffers()[2], dtype=np.uint8)
        full = _suffixed_bytes(data[offsets[:, None] + np.arange(15)])
        m = len(full)
        ids = pa.StringArray.from_buffers(
            m,
            pa.py_buffer(np.arange(0, 18 * m + 1, 18, dtype=np.int32)),
            pa.py_buffer(full.tobytes()),
        ).to_numpy(zero_copy_only=False)
    if everything:
        return np.asarray(ids, dtype=object)
    out = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object).copy()
    out[ok] = ids
    for i in np.flatnonzero(~ok):
        v = str(out[i]).strip()
        out[i] = _suffixes([v[:15]])[0] if _ID.fullmatch(v) else v
    return out


def normalize_ids(values: pd.Series) -> pd.Series:
    """Salesforce ids in their 18-character, case-insensitive form.

    15-character ids are case-sensitive; the standard checksum (one character per block of
    five, a bit per upper-case letter) makes them 18 characters long, so both forms of
    the same id compare equal. The suffix of 18-character ids is recomputed too (some
    tools lower-case it). Anything that is not an id is only stripped of spaces. Work is
    done once per distinct value, so a million rows with a few thousand ids are cheap.

    >>> normalize_ids(pd.Series(["001A0000006Vm9r", "001A0000006Vm9rIAC", "", "x"])).tolist()
    ['001A0000006Vm9rIAC', '001A0000006Vm9rIAC', '', 'x']
    """
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), ""))
    out = _normalize_distinct([str(u) for u in uniques])
    if (codes < 0).any():  # pragma: no cover - NaN was replaced above
        out = np.append(out, "")
    return pd.Series(out[codes], index=values.index, dtype=object)


#: Columns kept as exported (messages quote them); every other column is cleaned on reading.
RAW_COLUMNS = {"Role", "Roles"}


def _clean(column: str, distinct) -> np.ndarray | None:
    """Distinct values of a column as read: ids normalised, other text stripped."""
    if column in ID_COLUMNS:
        return _normalize_distinct(distinct)
    if column in RAW_COLUMNS:
        return None
    return _strip_distinct(distinct)


def _strip_distinct(values) -> np.ndarray | None:
    """``str.strip`` of distinct strings (Arrow or a sequence); ``None`` if none changes."""
    import pyarrow.compute as pc

    arr = _arrow_text(values)
    if not len(arr):
        return None
    # Every value starting or ending with anything but printable ASCII (a superset of
    # the white space str.strip removes) is stripped in Python.
    edge = pc.match_substring_regex(arr, r"^[^!-~]|[^!-~]$").to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(np.asarray(edge, dtype=bool))
    if not len(idx):
        return None
    out = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object).copy()
    out[idx] = [str(v).strip() for v in out[idx]]
    return out


# --- helpers --------------------------------------------------------------------------------


def _col(df: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as text (empty if the file has no such column), stripped but for ids."""
    return text_column(df, col, strip=col not in ID_COLUMNS)


def _get(df: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` of a frame read by :class:`_Reader` (already clean; "" if absent)."""
    if col not in df:
        return pd.Series("", index=df.index, dtype=object)
    return df[col] if col not in RAW_COLUMNS else _col(df, col)


def _true(df: pd.DataFrame, col: str) -> pd.Series:
    """A boolean column (``true``/``false``, ``1``/``0``) of a read frame as booleans."""
    flag = per_value(_get(df, col), lambda v: str(v).strip().lower() in TRUE_WORDS)
    return flag.astype(bool)


def _name(df: pd.DataFrame) -> pd.Series:
    full = (_get(df, "FirstName") + " " + _get(df, "LastName")).str.strip()
    name = _get(df, "Name")
    return name.where(name != "", full)


def _prefix(ids: pd.Series, prefix: str | tuple[str, ...]) -> pd.Series:
    """Which ids start with ``prefix`` (the key prefix of an object type, or one of them)."""
    codes, uniques = pd.factorize(ids)
    hit = np.array([str(u).startswith(prefix) for u in uniques] + [False], dtype=bool)
    return pd.Series(hit[codes], index=ids.index)


class _Reader:
    """Reads the files of one export with its data-quality log."""

    def __init__(self, path: Path):
        self.bundle = Bundle(path)
        self.q = DataQuality()

    def read(self, name: str, *, required: bool = False) -> pd.DataFrame | None:
        stored = self.bundle.find(name)
        if stored is None:
            if required:
                raise InputError(
                    self.bundle.path.name,
                    f"no {name} in this Salesforce export "
                    f"(files found: {', '.join(self.bundle.names()) or 'none'})",
                )
            return None
        df = read_csv_data(
            self.bundle.read_bytes(name), stored, self.q, columns=COLUMNS[name], clean=_clean
        )
        if df.empty and len(df.columns) == len(META):  # an empty file
            if required:
                raise InputError(stored, "the file is empty")
            return None
        missing = [c for c in REQUIRED[name] if c not in df.columns]
        if missing:
            raise InputError(stored, f"missing required column '{missing[0]}'", 1, missing[0])
        if "IsDeleted" in df:
            df = skip_rows(
                self.q,
                df,
                _true(df, "IsDeleted"),
                "deleted",
                "IsDeleted",
                lambda r: "deleted record (IsDeleted); the row is skipped",
            )
        return df.reset_index(drop=True)


# --- the tables -----------------------------------------------------------------------------


def _account_names(acc: pd.DataFrame | None) -> pd.Series:
    """Account id → a human-readable name, unique per account."""
    if acc is None or acc.empty:
        return pd.Series(dtype=object)
    acc = acc[acc["Id"] != ""].drop_duplicates("Id")
    name = _get(acc, "Name")
    name = name.where(name != "", acc["Id"])
    dup = name.duplicated(keep=False)
    name = name.where(~dup, name + " (" + acc["Id"] + ")")
    return lookup_table(acc["Id"], name)


def _account_of(ids: pd.Series, names: pd.Series) -> pd.Series:
    """Account names of account ids (the id itself when the account is not exported)."""
    name = lookup(ids, names, None)
    return name.where(name.notna(), ids)


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


def _roles(values: pd.Series, q: DataQuality, df: pd.DataFrame, column: str) -> pd.Series:
    """Buying roles of Salesforce role texts (multi-select: the highest-priority one)."""
    codes, uniques = pd.factorize(values)
    best, unknown = [], []
    for text in uniques:
        found = []
        for part in re.split(r"[;,]", str(text)):
            if part.strip():
                role = ROLE_MAP.get(_key(part))
                found.append(role or "Other")
                if role is None:
                    unknown.append(text)
        best.append(min(found, key=ROLE_PRIORITY.index) if found else "")
    if unknown:
        bad = values.isin(set(unknown))
        warn_rows(
            q,
            df,
            bad,
            "unknown_buying_role",
            column,
            lambda r: f"unknown role {r[column]!r}; read as 'Other'",
            skipped=False,
        )
    return pd.Series(np.asarray(best, dtype=object)[codes], index=values.index, dtype=object)


def read_salesforce(path: Path) -> Tables:
    """Read a Salesforce Data Export (zip or folder) into canonical tables."""
    path = Path(path)
    r = _Reader(path)
    q = r.q
    contacts = r.read("Contact.csv", required=True)
    if contacts is None or contacts.empty:
        raise InputError("Contact.csv", "no contacts: the file has no data rows")
    accounts = r.read("Account.csv")
    if accounts is None:
        q.warn("Account.csv", "missing_file", "no Account.csv; accounts are named by their id")
    users = r.read("User.csv")
    if users is None:
        q.warn("User.csv", "missing_file", "no User.csv; activity owners are not known")
    names = _account_names(accounts)

    # People: contacts.
    acct_id = _get(contacts, "AccountId")
    if accounts is not None:
        warn_rows(
            q,
            contacts,
            (acct_id != "") & ~acct_id.isin(names.index),
            "unknown_account",
            "AccountId",
            lambda x: f"account {x['AccountId']!r} is not in Account.csv; named by its id",
            skipped=False,
        )
    people = text_frame(
        {
            "id": contacts["Id"],
            "name": _name(contacts),
            "title": _get(contacts, "Title"),
            "department": _get(contacts, "Department"),
            "account": _account_of(acct_id, names).where(acct_id != "", ""),
            "reports_to": _get(contacts, "ReportsToId"),
            "email": _get(contacts, "Email"),
            "internal": "false",
            "crm_id": contacts["Id"],
            "account_id": acct_id,
            "owner_id": _get(contacts, "OwnerId"),
        }
    )
    people[META] = contacts[META].to_numpy()
    contact_acct = lookup_table(contacts["Id"], acct_id)
    rt = people["reports_to"]
    other = (rt != "") & rt.isin(contact_acct.index)
    other &= lookup(rt, contact_acct).to_numpy() != people["account_id"].to_numpy()
    warn_rows(
        q,
        people,
        other,
        "reports_to_other_account",
        "ReportsToId",
        lambda x: f"{x['id']!r} reports to {x['reports_to']!r} of another account; kept",
        skipped=False,
    )

    # People: contacts in more than one account.
    alias = _aliases(r, contacts, contact_acct, names, people)

    # Buying roles from opportunity contact roles.
    people = pd.concat([people, alias], ignore_index=True)
    people = _buying_roles(r, people, contact_acct)

    # People: our team.
    team = pd.DataFrame(columns=["id"])
    if users is not None:
        team = text_frame(
            {
                "id": users["Id"],
                "name": _name(users),
                "title": _get(users, "Title"),
                "department": _get(users, "Department"),
                "account": "",
                "reports_to": _get(users, "ManagerId"),
                "email": _get(users, "Email"),
                "internal": "true",
                "crm_id": users["Id"],
            }
        )
        team[META] = users[META].to_numpy()
    all_people = pd.concat([team, people], ignore_index=True)
    for c in ["account_id", "owner_id", "buying_role", "is_primary"]:
        all_people[c] = all_people[c].astype(object).where(all_people[c].notna(), "")

    user_ids = pd.Index(team["id"].unique())
    contact_ids = pd.Index(contact_acct.index)
    alias_keys = text_frame(
        {"person_id": alias["crm_id"], "acct_id": alias["account_id"], "alias": alias["id"]}
    )
    ev1, pa1 = _tasks(r, names, contact_acct, user_ids, contact_ids)
    ev2, pa2 = _events(r, names, contact_acct, user_ids, contact_ids)
    events = pd.concat([ev1, ev2], ignore_index=True)
    parts = pd.concat([pa1, pa2], ignore_index=True)
    if not alias_keys.empty and not parts.empty:
        parts = parts.merge(alias_keys, on=["person_id", "acct_id"], how="left")
        parts["person_id"] = parts["alias"].where(parts["alias"].notna(), parts["person_id"])
    parts = parts.drop(columns=["acct_id", "alias"], errors="ignore")
    name = path.stem if path.is_file() else path.name
    return validate(all_people, None, events, parts, quality=q, name=name)


def _aliases(
    r: _Reader,
    contacts: pd.DataFrame,
    contact_acct: pd.Series,
    names: pd.Series,
    people: pd.DataFrame,
) -> pd.DataFrame:
    """One person row per (contact, other account) of ``AccountContactRelation.csv``."""
    cols = list(people.columns)
    acr = r.read("AccountContactRelation.csv")
    if acr is None or acr.empty:
        return pd.DataFrame(columns=cols)
    q = r.q
    acr = skip_rows(
        q,
        acr,
        ~acr["ContactId"].isin(contact_acct.index),
        "unknown_contact",
        "ContactId",
        lambda x: f"contact {x['ContactId']!r} is not in Contact.csv; the row is skipped",
    )
    if "IsActive" in acr:
        acr = skip_rows(
            q,
            acr,
            ~_true(acr, "IsActive") & (_get(acr, "IsActive") != ""),
            "inactive_relation",
            "IsActive",
            lambda x: "inactive account-contact relation; the row is skipped",
        )
    primary = lookup(acr["ContactId"], contact_acct).to_numpy() == acr["AccountId"]
    indirect = acr[~primary & (acr["AccountId"] != "")]
    indirect = skip_rows(
        q,
        indirect,
        indirect.duplicated(["ContactId", "AccountId"]).to_numpy(),
        "duplicate_relation",
        "AccountId",
        lambda x: f"{x['ContactId']!r} is related to {x['AccountId']!r} twice; counted once",
    )
    if names.size:
        warn_rows(
            q,
            indirect,
            ~indirect["AccountId"].isin(names.index),
            "unknown_account",
            "AccountId",
            lambda x: f"account {x['AccountId']!r} is not in Account.csv; named by its id",
            skipped=False,
        )
    base = people.drop_duplicates("id").set_index("id")
    src = base.loc[indirect["ContactId"].to_numpy()]
    out = text_frame(
        {
            "id": (indirect["ContactId"] + "@" + indirect["AccountId"]).to_numpy(),
            "name": src["name"].to_numpy(),
            "title": src["title"].to_numpy(),
            "department": src["department"].to_numpy(),
            "account": _account_of(indirect["AccountId"], names).to_numpy(),
            "reports_to": "",
            "email": src["email"].to_numpy(),
            "internal": "false",
            "crm_id": indirect["ContactId"].to_numpy(),
            "account_id": indirect["AccountId"].to_numpy(),
            "owner_id": src["owner_id"].to_numpy(),
            "_file": indirect["_file"].to_numpy(),
            "_row": indirect["_row"].to_numpy(),
        }
    )
    if "Roles" in indirect:
        out["acr_role"] = _roles(
            _get(indirect, "Roles"), q, indirect.reset_index(drop=True), "Roles"
        ).to_numpy()
    return out


def _buying_roles(r: _Reader, people: pd.DataFrame, contact_acct: pd.Series) -> pd.DataFrame:
    """``buying_role`` and ``is_primary`` from opportunity contact roles (per account)."""
    people["buying_role"] = people.pop("acr_role") if "acr_role" in people else ""
    people["buying_role"] = (
        people["buying_role"].astype(object).where(people["buying_role"].notna(), "")
    )
    people["is_primary"] = "false"
    ocr = r.read("OpportunityContactRole.csv")
    if ocr is None or ocr.empty:
        return people
    q = r.q
    opps = r.read("Opportunity.csv")
    ocr = skip_rows(
        q,
        ocr,
        ~ocr["ContactId"].isin(contact_acct.index),
        "unknown_contact",
        "ContactId",
        lambda x: f"contact {x['ContactId']!r} is not in Contact.csv; the row is skipped",
    ).reset_index(drop=True)
    opp_acct = lookup_table([], [])
    if opps is not None:
        opp_acct = lookup_table(opps["Id"], opps["AccountId"])
    acct = lookup(ocr["OpportunityId"], opp_acct)
    # The person row of the contact in the opportunity's account (an alias) or its own row.
    alias = ocr["ContactId"] + "@" + acct
    target = alias.where(alias.isin(people["id"]), ocr["ContactId"])
    role = _roles(_get(ocr, "Role"), q, ocr, "Role")
    best = pd.DataFrame(
        {
            "id": target,
            "role": role,
            "primary": _true(ocr, "IsPrimary"),
            "rank": role.map(ROLE_PRIORITY.index),
            "row": ocr["_row"],
        }
    )
    primary = best.groupby("id")["primary"].any()
    best = best.sort_values(["id", "primary", "rank", "row"], ascending=[True, False, True, True])
    best = best[best["role"] != ""].drop_duplicates("id").set_index("id")["role"]
    found = lookup(people["id"], best, None)
    people["buying_role"] = found.where(found.notna(), people["buying_role"])
    is_primary = people["id"].isin(primary.index[primary.to_numpy(dtype=bool)])
    people["is_primary"] = np.where(is_primary, "true", "false").astype(object)
    return people


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
    out[META] = df[META].to_numpy()
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


def _common(r: _Reader, df: pd.DataFrame, file: str) -> pd.DataFrame:
    """Drop activities with a missing or repeated id."""
    q = r.q
    df = skip_rows(
        q, df, df["Id"] == "", "missing_id", "Id", lambda x: "empty Id; the row is skipped"
    )
    return skip_rows(
        q,
        df,
        df["Id"].duplicated().to_numpy(),
        "duplicate_id",
        "Id",
        lambda x: f"duplicate {file} Id {x['Id']!r}; the first row with it is kept",
    )


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
    task = _common(r, task, "Task")
    who = task["WhoId"]
    task = skip_rows(
        q,
        task,
        who == "",
        "no_contact",
        "WhoId",
        lambda x: "task without a contact (WhoId); the row is skipped",
    )
    task = skip_rows(
        q,
        task,
        _prefix(task["WhoId"], LEAD),
        "lead",
        "WhoId",
        lambda x: (
            f"task on lead {x['WhoId']!r} (leads are not people of an account); the row is skipped"
        ),
    )
    task = skip_rows(
        q,
        task,
        ~task["WhoId"].isin(contact_ids),
        "unknown_contact",
        "WhoId",
        lambda x: (
            f"contact {x['WhoId']!r} is not in Contact.csv (deleted or not exported); "
            "the row is skipped"
        ),
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
    events[META] = task[META].to_numpy()
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
    ev = _common(r, ev, "Event")
    ev = skip_rows(
        q,
        ev,
        _true(ev, "IsChild"),
        "child_event",
        "IsChild",
        lambda x: "copy of a group event in an invitee's calendar (IsChild); the row is skipped",
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
    events[META] = ev[META].to_numpy()
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
    unknown = (who != "") & ~lead & ~who.isin(contact_ids)
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
    has_who = who.isin(contact_ids).to_numpy()
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
        listed = pd.MultiIndex.from_frame(rel[["event_id", "person_id"]])
        dup = pd.MultiIndex.from_frame(derived[["event_id", "person_id"]]).isin(listed)
        derived = derived[~dup]
    return events, pd.concat([derived, rel], ignore_index=True)


def _relations(
    r: _Reader, ev_acct: pd.Series, user_ids: pd.Index, contact_ids: pd.Index
) -> pd.DataFrame:
    """Attendees of ``EventRelation.csv`` that are contacts or users of kept events."""
    rel = r.read("EventRelation.csv")
    if rel is None or rel.empty:
        return pd.DataFrame(columns=["event_id", "person_id", "role", "acct_id", *META])
    q = r.q
    rel = skip_rows(
        q,
        rel,
        ~rel["EventId"].isin(ev_acct.index),
        "unknown_event",
        "EventId",
        lambda x: f"event {x['EventId']!r} is not in Event.csv or was skipped; the row is skipped",
    )
    rid = rel["RelationId"]
    rel = skip_rows(
        q,
        rel,
        _true(rel, "IsWhat") | ~_prefix(rid, (CONTACT, LEAD, USER)),
        "not_a_person",
        "RelationId",
        lambda x: f"{x['RelationId']!r} is a record, not a person; the row is skipped",
    )
    rid = rel["RelationId"]
    rel = skip_rows(
        q,
        rel,
        _prefix(rid, LEAD),
        "lead",
        "RelationId",
        lambda x: f"lead {x['RelationId']!r} is not a person of an account; the row is skipped",
    )
    rid = rel["RelationId"]
    rel = skip_rows(
        q,
        rel,
        _prefix(rid, CONTACT) & ~rid.isin(contact_ids),
        "unknown_contact",
        "RelationId",
        lambda x: (
            f"contact {x['RelationId']!r} is not in Contact.csv (deleted or not "
            "exported); the row is skipped"
        ),
    )
    rid = rel["RelationId"]
    rel = skip_rows(
        q,
        rel,
        _prefix(rid, USER) & ~rid.isin(user_ids),
        "unknown_user",
        "RelationId",
        lambda x: f"user {x['RelationId']!r} is not in User.csv; the row is skipped",
    )
    rel = skip_rows(
        q,
        rel,
        per_value(_get(rel, "Status"), lambda v: str(v).lower() == "declined").astype(bool),
        "declined",
        "Status",
        lambda x: "invitation declined; the row is skipped",
    )
    out = text_frame(
        {
            "event_id": rel["EventId"].to_numpy(),
            "person_id": rel["RelationId"].to_numpy(),
            "role": "attendee",
            "acct_id": lookup(rel["EventId"], ev_acct).to_numpy(),
        }
    )
    out[META] = rel[META].to_numpy()
    return out
