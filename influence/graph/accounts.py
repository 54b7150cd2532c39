"""Splitting a dataset into accounts.

An external person belongs to the account in ``people.account``. Our own team
(``internal``) belongs to every account it has ties or events with. An event belongs to
every account whose people take part in it (or that its ``account`` column names); in
each account it keeps the participants of that account and our team. A relationship
belongs to an account when both ends do. ``reports_to`` lines into another account stay
in the people table but are not ties of either account.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from influence.io.quality import DataQuality
from influence.io.tables import Tables


def account_names(tables: Tables) -> list[str]:
    """The accounts of a dataset, sorted."""
    p = tables.people
    return sorted(set(p.loc[~p["internal"], "account"]))


def slugify(name: str, taken: set[str] | None = None) -> str:
    """A folder-safe name for an account, unique among ``taken``.

    >>> slugify("Crestline Bank & Trust, Inc.")
    'crestline-bank-trust-inc'
    """
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "account"
    slug, i = base, 2
    while taken is not None and slug in taken:
        slug, i = f"{base}-{i}", i + 1
    return slug


def _by_account(df: pd.DataFrame, key: pd.Series) -> dict[str, pd.DataFrame]:
    return {k: g.reset_index(drop=True) for k, g in df.groupby(key.to_numpy(), sort=False)}


def _memberships(tables: Tables, wanted: list[str]):
    """Who belongs to which account (``account, id``), each event's accounts, each person's."""
    people = tables.people
    owner = pd.Series(
        people["account"].where(~people["internal"], "").to_numpy(object),
        index=people["id"].to_numpy(object),
    )
    part = tables.participants
    acct = part["person_id"].map(owner)
    events = tables.events
    named = events[events["account"] != ""]
    ev_acct = pd.concat(
        [
            pd.DataFrame({"event_id": part["event_id"][acct != ""], "account": acct[acct != ""]}),
            pd.DataFrame({"event_id": named["id"], "account": named["account"]}),
        ]
    ).drop_duplicates()
    ev_acct = ev_acct[ev_acct["account"].isin(np.asarray(wanted, dtype=object))]
    team_ev = part[(acct == "").to_numpy()].merge(ev_acct, on="event_id")[["account", "person_id"]]
    rel = tables.relationships
    ra, rb = rel["source"].map(owner), rel["target"].map(owner)
    team_rel = pd.concat(
        [
            pd.DataFrame({"account": ra, "person_id": rel["target"]})[(ra != "") & (rb == "")],
            pd.DataFrame({"account": rb, "person_id": rel["source"]})[(rb != "") & (ra == "")],
        ]
    )
    ext = people[~people["internal"] & people["account"].isin(np.asarray(wanted, dtype=object))]
    m = pd.concat(
        [
            pd.DataFrame({"account": ext["account"], "id": ext["id"]}),
            pd.concat([team_ev, team_rel]).rename(columns={"person_id": "id"}),
        ]
    ).drop_duplicates()
    m = m[m["account"].isin(np.asarray(wanted, dtype=object))]
    return m.sort_values(["account", "id"]).reset_index(drop=True), ev_acct, owner


def split_accounts(tables: Tables, names: list[str] | None = None) -> dict[str, Tables]:
    """One :class:`Tables` per account (all accounts, or those in ``names``), in one pass."""
    wanted = account_names(tables) if names is None else list(names)
    m, ev_acct, owner = _memberships(tables, wanted)
    people = m.merge(tables.people.drop(columns=["account"]), on="id")
    member = pd.MultiIndex.from_frame(m[["account", "id"]])
    boss = pd.MultiIndex.from_arrays([people["account"], people["reports_to"]])
    people["reports_to"] = people["reports_to"].where(boss.isin(member), "")
    cols = list(tables.people.columns)
    people = people[cols]

    part = tables.participants.merge(ev_acct, on="event_id")
    mine = pd.MultiIndex.from_arrays([part["account"], part["person_id"]]).isin(member)
    part = part[mine]
    events = (
        part[["account", "event_id"]]
        .drop_duplicates()
        .merge(
            tables.events.rename(columns={"account": "_event_account", "id": "event_id"}),
            on="event_id",
        )
        .sort_values(["account", "event_id"])
    )
    events = events.rename(columns={"event_id": "id", "account": "key"})
    events["account"] = events.pop("_event_account")

    rel = tables.relationships
    so, to = rel["source"].map(owner).to_numpy(object), rel["target"].map(owner).to_numpy(object)
    rel = rel.assign(_a=np.where(so != "", so, to))
    ours = rel[rel["_a"] == ""].merge(m.rename(columns={"id": "source"}), on="source")
    rel = pd.concat([rel[rel["_a"] != ""], ours.assign(_a=ours["account"])])
    rel = rel.drop(columns=["account"], errors="ignore")
    keep = pd.MultiIndex.from_arrays([rel["_a"], rel["source"]]).isin(member)
    keep &= pd.MultiIndex.from_arrays([rel["_a"], rel["target"]]).isin(member)
    rel = rel[keep]

    by = {
        "people": _by_account(people, people["account"]),
        "participants": _by_account(part.drop(columns=["account"]), part["account"]),
        "events": _by_account(events.drop(columns=["key"]), events["key"]),
        "relationships": _by_account(rel.drop(columns=["_a"]), rel["_a"]),
    }
    out = {}
    for name in wanted:
        p = by["people"].get(name, tables.people.iloc[:0])
        ev = by["events"].get(name)
        ev = tables.events.iloc[:0] if ev is None else ev[list(tables.events.columns)]
        out[name] = Tables(
            p,
            by["relationships"].get(name, tables.relationships.iloc[:0]),
            ev,
            by["participants"].get(name, tables.participants.iloc[:0]),
            DataQuality(),  # the dataset's log stays with the dataset
            name,
        )
    return out


def split_ties(ties: pd.DataFrame, accounts: dict[str, Tables]) -> dict[str, pd.DataFrame]:
    """The rows of a dataset-wide tie (or contribution) table that belong to each account.

    A row belongs to an account when both of its people do (our team belongs to every
    account it takes part in). Done with joins and one grouping, not a scan per account.
    """
    m = pd.concat([pd.DataFrame({"account": n, "id": t.people["id"]}) for n, t in accounts.items()])
    ext = pd.concat(
        [t.people.loc[~t.people["internal"], ["id", "account"]] for t in accounts.values()]
    )
    owner = pd.Series(ext["account"].to_numpy(object), index=ext["id"].to_numpy(object))
    so, to = ties["source"].map(owner), ties["target"].map(owner)
    home = so.fillna(to)
    ours = ties[home.isna()].merge(m.rename(columns={"id": "source"}), on="source")
    a = pd.concat([ties[home.notna()].assign(account=home[home.notna()]), ours])
    member = pd.MultiIndex.from_frame(m[["account", "id"]])
    both = pd.MultiIndex.from_arrays([a["account"], a["source"]]).isin(member)
    a = a[both & pd.MultiIndex.from_arrays([a["account"], a["target"]]).isin(member)]
    a = a.sort_values(["account", "source", "target"], kind="stable")
    groups = _by_account(a.drop(columns=["account"]), a["account"])
    return {n: groups.get(n, ties.iloc[:0].reset_index(drop=True)) for n in accounts}
