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

import pandas as pd

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


def split_accounts(tables: Tables, names: list[str] | None = None) -> dict[str, Tables]:
    """One :class:`Tables` per account (all accounts, or those in ``names``), in one pass."""
    people = tables.people
    wanted = account_names(tables) if names is None else list(names)
    acct = people.set_index("id")["account"].where(~people.set_index("id")["internal"], "")
    part = tables.participants.assign(acct=tables.participants["person_id"].map(acct))
    ev_acct = pd.concat(
        [
            part.loc[part["acct"] != "", ["event_id", "acct"]],
            tables.events.loc[tables.events["account"] != "", ["id", "account"]].set_axis(
                ["event_id", "acct"], axis=1
            ),
        ]
    ).drop_duplicates()
    ev_acct = ev_acct[ev_acct["acct"].isin(wanted)]
    # Each participant row goes to every account of its event where it belongs.
    part_acc = part.merge(ev_acct, on="event_id", suffixes=("", "_event"))
    part_acc = part_acc[(part_acc["acct"] == part_acc["acct_event"]) | (part_acc["acct"] == "")]
    rel = tables.relationships
    ra, rb = rel["source"].map(acct), rel["target"].map(acct)
    own = rel.assign(_a=ra.where(ra != "", rb))
    rel_acc = own[((ra == rb) | (ra == "") | (rb == "")) & (own["_a"] != "")]
    internal_ids = set(people.loc[people["internal"], "id"])
    internal_rel = rel[rel["source"].isin(internal_ids) & rel["target"].isin(internal_ids)]

    by_event = dict(tuple(part_acc.groupby("acct_event", sort=False)))
    by_rel = dict(tuple(rel_acc.groupby("_a", sort=False)))
    by_people = dict(tuple(people[~people["internal"]].groupby("account", sort=False)))
    events = tables.events.set_index("id", drop=False)
    team = people[people["internal"]]
    out = {}
    for name in wanted:
        ext = by_people.get(name, people.iloc[:0])
        pa = by_event.get(name, part.iloc[:0]).drop(columns=["acct", "acct_event"], errors="ignore")
        r = by_rel.get(name, rel.iloc[:0]).drop(columns=["_a"], errors="ignore")
        present = set(pa["person_id"]) | set(r["source"]) | set(r["target"])
        our = team[team["id"].isin(present)]
        ids = set(ext["id"]) | set(our["id"])
        r = pd.concat(
            [r, internal_rel[internal_rel["source"].isin(ids) & internal_rel["target"].isin(ids)]]
        )
        p = pd.concat([ext, our]).sort_values("id").reset_index(drop=True)
        p["reports_to"] = p["reports_to"].where(p["reports_to"].isin(ids), "")
        p.loc[p["internal"], "account"] = name
        ev = events.loc[sorted(set(pa["event_id"]))].reset_index(drop=True)
        out[name] = Tables(
            p, r.reset_index(drop=True), ev, pa.reset_index(drop=True), tables.quality, name
        )
    return out


def split_ties(ties: pd.DataFrame, accounts: dict[str, Tables]) -> dict[str, pd.DataFrame]:
    """The rows of a dataset-wide tie (or contribution) table that belong to each account.

    A row belongs to an account when both of its people do (our team belongs to every
    account it takes part in). Done with one grouping, not one scan per account.
    """
    owner: dict[str, str] = {}
    team: dict[str, set[str]] = {}
    for name, t in accounts.items():
        p = t.people
        owner.update(zip(p.loc[~p["internal"], "id"], [name] * int((~p["internal"]).sum())))
        team[name] = set(p.loc[p["internal"], "id"])
    a, b = ties["source"].map(owner), ties["target"].map(owner)
    home = a.fillna(b)
    same = (a == b) | a.isna() | b.isna()
    grouped = dict(tuple(ties[same & home.notna()].groupby(home[same & home.notna()], sort=False)))
    all_team = set().union(*team.values()) if team else set()
    ours = ties[ties["source"].isin(all_team) & ties["target"].isin(all_team)]
    out = {}
    for name in accounts:
        part = grouped.get(name, ties.iloc[:0])
        member = team[name]
        mine = part[
            ~(part["source"].isin(all_team - member) | part["target"].isin(all_team - member))
        ]
        both = ours[ours["source"].isin(member) & ours["target"].isin(member)]
        out[name] = (
            pd.concat([mine, both])
            .sort_values(["source", "target"], kind="stable")
            .reset_index(drop=True)
        )
    return out
