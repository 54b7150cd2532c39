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

The package: :mod:`~influence.io.salesforce.ids` (id forms and key prefixes),
:mod:`~influence.io.salesforce.reader` (the files and their columns),
:mod:`~influence.io.salesforce.people` (related contacts, buying roles),
:mod:`~influence.io.salesforce.activities` (tasks and events); :func:`read_salesforce`
puts them together.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from influence.io.frames import lookup, lookup_table, text_frame, warn_rows
from influence.io.quality import InputError
from influence.io.salesforce.activities import _events, _tasks
from influence.io.salesforce.ids import normalize_ids
from influence.io.salesforce.people import _aliases, _buying_roles
from influence.io.salesforce.reader import _account_names, _account_of, _get, _name, _Reader
from influence.io.tables import Tables, set_provenance, validate

__all__ = ["normalize_ids", "read_salesforce"]


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
    set_provenance(people, contacts)
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
        set_provenance(team, users)
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
    # What validation does not take is let go first: on a large export the files' own
    # frames and the parts concatenated above take hundreds of MB, which would add to
    # validation's peak.
    del ev1, ev2, pa1, pa2, contacts, accounts, users, people, team, alias
    if not alias_keys.empty and not parts.empty:
        parts = parts.merge(alias_keys, on=["person_id", "acct_id"], how="left")
        parts["person_id"] = parts["alias"].where(parts["alias"].notna(), parts["person_id"])
    parts = parts.drop(columns=["acct_id", "alias"], errors="ignore")
    name = path.stem if path.is_file() else path.name
    return validate(all_people, None, events, parts, quality=q, name=name)
