"""HubSpot CSV exports: a folder or ``.zip`` of contacts, companies, deals and activities.

Files are recognised by their headers (file names are only a tie-breaker), and headers may
be the UI labels of an export ("Record ID", "First Name", "Associated Company IDs", …) or
the internal property names of the API and of data-sync tools (``hs_object_id``,
``firstname``, ``associatedcompanyid``, …); both map to the same fields:

==================  =================================================================
canonical           HubSpot (UI label / internal name)
==================  =================================================================
people.id           contacts: Record ID / hs_object_id (also Contact ID, vid)
people.name         First Name + Last Name / firstname + lastname
people.title        Job Title / jobtitle
people.department   Department / department
people.email        Email / email
people.account      name of the company: Associated Company IDs (Primary) /
                    associatedcompanyid (first id) → companies' Company name / name;
                    else Associated Company / Company Name / company (text)
people.buying_role  Buying Role / hs_buying_role (Budget Holder → Economic Buyer,
                    End User → Business User, Blocker → Other with stance blocker)
internal people     every owner: Contact owner, Company owner, Deal owner,
                    Activity assigned to, HubSpot Owner / hubspot_owner_id; with
                    ``owners.csv`` (id, firstName, lastName, email) owner ids get names
events              meetings / calls / emails / engagements: Record ID / hs_object_id,
                    Activity date / hs_timestamp (ISO or epoch milliseconds), type from
                    the file (meetings, calls, emails) or Activity type /
                    hs_engagement_type, subject from Meeting name / hs_meeting_title,
                    Call title / hs_call_title, Email subject / hs_email_subject
participants        the owner (organizer) and every id in Associated Contact IDs
                    (attendee)
==================  =================================================================

Deals add a ``deals`` column to people: the number of deals a contact is associated
with. See ``docs/crm-mapping.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from influence.io.delimited import Bundle, header_of, read_csv_data
from influence.io.frames import (
    first_dates,
    lookup,
    lookup_table,
    skip_rows,
    text_column,
    text_frame,
    warn_rows,
)
from influence.io.quality import DataQuality, InputError
from influence.io.tables import Tables, _key, set_provenance, validate

#: canonical field → header keys (``_key`` of UI labels and internal names), first wins.
FIELDS = {
    "id": ["record_id", "hs_object_id", "contact_id", "company_id", "deal_id", "vid", "id"],
    "first": ["first_name", "firstname"],
    "last": ["last_name", "lastname"],
    "name": ["name", "company_name", "full_name"],
    "title": ["job_title", "jobtitle"],
    "department": ["department", "hs_department"],
    "email": ["email", "email_address"],
    "company_id": [
        "associated_company_ids_primary",
        "associatedcompanyid",
        "primary_associated_company_id",
        "associated_company_id",
        "associated_company_ids",
        "company_ids",
    ],
    "company": ["associated_company", "company_name", "company"],
    "owner": [
        "hubspot_owner",
        "hubspot_owner_id",
        "contact_owner",
        "company_owner",
        "deal_owner",
        "activity_assigned_to",
        "assigned_to",
        "owner",
        "owner_id",
    ],
    "buying_role": ["buying_role", "hs_buying_role"],
    "contact_ids": ["associated_contact_ids", "associated_contact_id", "contact_ids"],
    "date": ["activity_date", "hs_timestamp", "timestamp", "hs_createdate", "create_date"],
    "type": ["activity_type", "hs_engagement_type", "engagement_type", "type"],
    "subject": [
        "meeting_name",
        "meeting_title",
        "hs_meeting_title",
        "call_title",
        "hs_call_title",
        "email_subject",
        "hs_email_subject",
        "subject",
        "activity_title",
        "title",
    ],
    "deal": ["deal_name", "dealname", "deal_stage", "dealstage"],
}
#: Activity type implied by headers a file has (meetings, calls and emails exports).
KIND_HEADERS = {
    "meeting": ["meeting_name", "meeting_title", "hs_meeting_title", "hs_meeting_outcome"],
    "call": ["call_title", "hs_call_title", "hs_call_duration", "call_duration"],
    "email": ["email_subject", "hs_email_subject", "hs_email_direction"],
}
BUYING_ROLES = {
    "budget_holder": "Economic Buyer",
    "champion": "Champion",
    "decision_maker": "Decision Maker",
    "end_user": "Business User",
    "executive_sponsor": "Executive Sponsor",
    "influencer": "Influencer",
    "legal_and_compliance": "Evaluator",
    "legal_compliance": "Evaluator",
    "blocker": "Other",
    "other": "Other",
}
#: Header keys the reader looks at; other columns are not needed (only the first
#: :data:`~influence.defaults.MAX_EXTRA_COLUMNS` of them are read).
USED = frozenset(k for keys in [*FIELDS.values(), *KIND_HEADERS.values()] for k in keys)
TYPES = {"meeting": "meeting", "call": "call", "email": "email", "incoming_email": "email"}


def _field(columns: list[str], field: str) -> str | None:
    """The column of ``columns`` that holds ``field`` (by its UI label or internal name)."""
    keys = {_key(c): c for c in columns}
    for k in FIELDS[field]:
        if k in keys:
            return keys[k]
    return None


def classify(header: list[str], name: str = "") -> str | None:
    """What a HubSpot CSV holds, from its header: contacts, companies, deals, activities."""
    keys = {_key(c) for c in header}
    has = lambda f: any(k in keys for k in FIELDS[f])  # noqa: E731
    if not has("id"):
        return None
    if has("date") and (has("contact_ids") or has("type") or _kind(header)):
        return "activities"
    if has("deal"):
        return "deals"
    if has("first") or has("last") or "email" in keys:
        return "contacts"
    if has("name"):
        return "companies"
    stem = name.lower()
    for kind in ("contacts", "companies", "deals"):
        if kind[:-1] in stem or kind[:5] in stem:
            return kind
    return None


def _kind(header: list[str]) -> str | None:
    keys = {_key(c) for c in header}
    for kind, hints in KIND_HEADERS.items():
        if any(h in keys for h in hints):
            return kind
    return None


def _files(bundle: Bundle) -> dict[str, list[str]]:
    """CSV files of the export by what they hold."""
    out: dict[str, list[str]] = {}
    for name in bundle.names():
        if not name.lower().endswith(".csv"):
            continue
        kind = classify(header_of(bundle.head(name)), name)
        if kind:
            out.setdefault(kind, []).append(name)
    return out


def looks_like_hubspot(bundle: Bundle) -> bool:
    """Whether a folder or zip holds HubSpot contacts exported with HubSpot's headers."""
    for name in bundle.names():
        if name.lower().endswith(".csv"):
            keys = {_key(c) for c in header_of(bundle.head(name))}
            hubspot = {"record_id", "hs_object_id", "associated_company_ids", "hubspot_owner_id"}
            if keys & hubspot and classify(list(keys), name) == "contacts":
                return True
    return False


def _ids(df: pd.DataFrame, col: str | None) -> pd.Series:
    """Ids as text (``12.0`` → ``12``)."""
    if col is None:
        return pd.Series("", index=df.index, dtype=object)
    s = text_column(df, col)
    return s.where(~s.str.fullmatch(r"\d+\.0"), s.str[:-2])


def _first_id(values: pd.Series) -> pd.Series:
    return values.str.split(r"[;,]", n=1, regex=True).str[0].str.strip().astype(object)


def _timestamps(values: pd.Series) -> pd.Series:
    """Epoch milliseconds (as HubSpot's API writes ``hs_timestamp``) to ISO datetimes."""
    ms = values.str.fullmatch(r"\d{11,13}").fillna(False).to_numpy(dtype=bool)
    if not ms.any():
        return values
    out = values.copy()
    stamps = pd.to_datetime(values[ms].astype("int64"), unit="ms")
    out[ms] = stamps.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(dtype=object)
    return out


def read_hubspot(path: Path) -> Tables:
    """Read a HubSpot export (folder or zip of CSV files) into canonical tables."""
    path = Path(path)
    bundle = Bundle(path)
    q = DataQuality()
    files = _files(bundle)
    if not files.get("contacts"):
        raise InputError(
            path.name,
            "no HubSpot contacts export here (a CSV with Record ID and First/Last Name "
            f"or Email columns; files found: {', '.join(bundle.names()) or 'none'})",
        )

    def read(name: str) -> pd.DataFrame:
        return read_csv_data(bundle.read_bytes(name), name, q, used=USED)

    # Companies → account names.
    companies = pd.concat([read(f) for f in files.get("companies", [])] or [pd.DataFrame()])
    names = lookup_table([], [])
    owners: list[pd.Series] = []
    if not companies.empty:
        cols = list(companies.columns)
        cid, cname = (
            _ids(companies, _field(cols, "id")),
            text_column(companies, _field(cols, "name")),
        )
        cname = cname.where(cname != "", cid)
        dup = cname.duplicated(keep=False) & ~cid.duplicated()
        names = lookup_table(cid, cname.where(~dup, cname + " (" + cid + ")"))
        owners.append(text_column(companies, _field(cols, "owner")))

    # Contacts.
    raw = pd.concat([read(f) for f in files["contacts"]], ignore_index=True)
    cols = list(raw.columns)
    pid = _ids(raw, _field(cols, "id"))
    full = (
        text_column(raw, _field(cols, "first")) + " " + text_column(raw, _field(cols, "last"))
    ).str.strip()
    email = text_column(raw, _field(cols, "email"))
    company_id = _first_id(_ids(raw, _field(cols, "company_id")))
    company_text = text_column(raw, _field(cols, "company"))
    account = lookup(company_id, names, None)
    account = account.where(account.notna(), company_id.where(company_id != "", company_text))
    role_raw = text_column(raw, _field(cols, "buying_role"))
    role_key = role_raw.map(lambda v: _key(str(v).split(";")[0])).astype(object)
    role = role_key.map(lambda k: BUYING_ROLES.get(k, "Other" if k else "")).astype(object)
    owner = text_column(raw, _field(cols, "owner"))
    owners.append(owner)
    people = text_frame(
        {
            "id": pid,
            "name": full.where(full != "", email),
            "title": text_column(raw, _field(cols, "title")),
            "department": text_column(raw, _field(cols, "department")),
            "account": account,
            "email": email,
            "buying_role": role,
            "stance": np.where(role_key == "blocker", "blocker", ""),
            "internal": "false",
            "owner_id": np.where(owner != "", "owner:" + owner, ""),
        }
    )
    set_provenance(people, raw)
    contact_ids = pd.Index(pid.to_numpy(dtype=object))

    # Deals: how many deals each contact is on.
    deals = [read(f) for f in files.get("deals", [])]
    people["deals"] = 0
    for d in deals:
        dcols = list(d.columns)
        owners.append(text_column(d, _field(dcols, "owner")))
        on = _ids(d, _field(dcols, "contact_ids")).str.split(r"[;,]", regex=True).explode()
        counts = on.str.strip().value_counts()
        people["deals"] += lookup(
            people["id"], lookup_table(counts.index, counts.values), 0
        ).astype(int)

    # Activities.
    events, parts = [], []
    for f in files.get("activities", []):
        e, p = _activities(read(f), f, q, names, contact_ids)
        events.append(e)
        parts.append(p)
        owners.append(p.loc[p["role"] == "organizer", "person_id"].str[len("owner:") :])

    team = _team(bundle, owners, q)
    all_people = pd.concat([team, people], ignore_index=True)
    events = pd.concat(events, ignore_index=True) if events else None
    parts = pd.concat(parts, ignore_index=True) if parts else None
    # What validation does not take is let go first (the files' own frames, the parts
    # concatenated above): on a large export they would add to validation's peak.
    del raw, people, team, deals, owners
    name = path.stem if path.is_file() else path.name
    return validate(all_people, None, events, parts, quality=q, name=name)


def _team(bundle: Bundle, owners: list[pd.Series], q: DataQuality) -> pd.DataFrame:
    """Internal people: every owner named anywhere, with names from ``owners.csv``."""
    values = pd.concat(owners, ignore_index=True) if owners else pd.Series(dtype=object)
    values = sorted(set(values.astype(str)) - {""})
    team = text_frame({"id": ["owner:" + v for v in values], "name": values})
    team["internal"] = "true"
    team["_file"], team["_row"] = "(owners)", None
    stored = bundle.find("owners.csv")
    if stored:
        o = read_csv_data(bundle.read_bytes(stored), stored, q, used=USED)
        cols = list(o.columns)
        oid = _ids(o, _field(cols, "id") or _field(cols, "owner"))
        oname = (
            text_column(o, _field(cols, "first")) + " " + text_column(o, _field(cols, "last"))
        ).str.strip()
        key = team["name"].copy()
        found = lookup(key, lookup_table(oid, oname), None)
        team["name"] = found.where(found.notna() & (found != ""), key)
        team["email"] = lookup(key, lookup_table(oid, text_column(o, _field(cols, "email"))))
    return team


def _activities(
    df: pd.DataFrame, file: str, q: DataQuality, names: pd.Series, contact_ids: pd.Index
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events and participants of one meetings / calls / emails / engagements file."""
    cols = list(df.columns)
    df = df.assign(_id=_ids(df, _field(cols, "id")))
    df = skip_rows(q, df, df["_id"] == "", "missing_id", None, lambda x: "empty id; row skipped")
    df = skip_rows(
        q,
        df,
        df["_id"].duplicated().to_numpy(),
        "duplicate_id",
        _field(cols, "id"),
        lambda x: f"duplicate activity id {x['_id']!r}; the first row with it is kept",
    )
    date_col = _field(cols, "date")
    df = df.assign(_date=_timestamps(text_column(df, date_col)))
    date, raw = first_dates(df, ["_date"], "%Y-%m-%d %H:%M:%S")
    bad = (date == "").to_numpy()
    empty = (raw == "").to_numpy()
    warn_rows(
        q,
        df,
        bad & empty,
        "missing_date",
        date_col,
        lambda x: "activity without a date; the row is skipped",
        skipped=True,
    )
    warn_rows(
        q,
        df.assign(_raw=raw.to_numpy()),
        bad & ~empty,
        "bad_date",
        date_col,
        lambda x: f"cannot parse date {x['_raw']!r}; the row is skipped",
        skipped=True,
    )
    df, date = df[~bad].reset_index(drop=True), date[~bad].reset_index(drop=True)
    kind = _kind(cols)
    typ = text_column(df, _field(cols, "type")).map(lambda v: _key(v)).astype(object)
    typ = typ.map(lambda v: TYPES.get(v, v or kind or "task")).astype(object)
    company = _first_id(_ids(df, _field(cols, "company_id")))
    account = lookup(company, names, None)
    stem = file.rsplit(".", 1)[0]
    eid = (stem + ":" + df["_id"]).astype(object)
    events = text_frame(
        {
            "id": eid,
            "date": date,
            "type": typ,
            "subject": text_column(df, _field(cols, "subject")),
            "account": account.where(account.notna(), company),
        }
    )
    set_provenance(events, df)
    owner = text_column(df, _field(cols, "owner"))
    has = (owner != "").to_numpy()
    org = text_frame(
        {"event_id": eid[has], "person_id": "owner:" + owner[has], "role": "organizer"}
    )
    set_provenance(org, df, np.flatnonzero(has))
    who = _ids(df, _field(cols, "contact_ids")).str.split(r"[;,]", regex=True)
    att = pd.DataFrame({"event_id": eid, "person_id": who, "_i": np.arange(len(df))}).explode(
        "person_id"
    )
    att["person_id"] = att["person_id"].fillna("").astype(str).str.strip().astype(object)
    att = att[att["person_id"] != ""]
    unknown = ~att["person_id"].isin(contact_ids)
    src = df.iloc[att["_i"].to_numpy()].reset_index(drop=True).assign(_p=att["person_id"].values)
    warn_rows(
        q,
        src,
        unknown.to_numpy(),
        "unknown_contact",
        _field(cols, "contact_ids"),
        lambda x: f"contact {x['_p']!r} is not in the contacts export; left out",
        skipped=False,
    )
    att = att[~unknown.to_numpy()].drop_duplicates(["event_id", "person_id"])
    rows = att["_i"].to_numpy(dtype=int)
    att = text_frame(
        {"event_id": att["event_id"], "person_id": att["person_id"], "role": "attendee"}
    )
    att["_file"], att["_row"] = df["_file"].to_numpy()[rows], df["_row"].to_numpy()[rows]
    return events, pd.concat([org, att], ignore_index=True)
