"""Splitting a dataset into accounts.

An external person belongs to the account in ``people.account``. Our own team
(``internal``) belongs to every account it has ties or events with. An event belongs to
every account whose people take part in it (or that its ``account`` column names); in
each account it keeps the participants of that account and our team. A relationship
belongs to an account when both ends do. ``reports_to`` lines into another account stay
in the people table but are not ties of either account.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd

from influence.graph.arrays import TableCodes, positions, table_codes
from influence.graph.distinct import search_sorted, unique_ints
from influence.io.quality import DataQuality
from influence.io.tables import Tables

#: Candidate (row, account) pairs :meth:`AccountSplit._team_rows` checks at a time: a
#: bound on its memory (about 8 arrays of this many entries), not on any result.
TEAM_BLOCK = 2**20

__all__ = [
    "account_names",
    "split_findings",
    "slugify",
    "split_accounts",
    "AccountSplit",
    "AccountChunk",
]


def account_names(tables: Tables) -> list[str]:
    """The accounts of a dataset, sorted.

    Parameters
    ----------
    tables : influence.io.tables.Tables
        Canonical tables.

    Returns
    -------
    list of str
        The distinct ``account`` values of the external (not ``internal``) people.

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> people = pd.DataFrame({"id": ["a", "x", "u"], "name": ["Ann", "Xi", "Us"],
    ...                        "account": ["Beta", "Acme", ""], "internal": ["", "", "true"],
    ...                        "_file": "people.csv", "_row": [2, 3, 4]})
    >>> account_names(validate(people))
    ['Acme', 'Beta']
    """
    p = tables.people
    return sorted(set(p.loc[~p["internal"], "account"]))


def slugify(name: str, taken: set[str] | None = None) -> str:
    """A folder-safe name for an account, unique among ``taken``.

    Lower-cases the name, replaces every run of characters other than ``a-z0-9`` by one
    ``-``, keeps at most 60 characters, and appends ``-2``, ``-3``, … while the slug is
    taken.

    Parameters
    ----------
    name : str
        An account name (untrusted CRM text).
    taken : set of str, optional
        Slugs already in use.

    Returns
    -------
    str
        The slug (``"account"`` if nothing of the name is left).

    Examples
    --------
    >>> slugify("Crestline Bank & Trust, Inc.")
    'crestline-bank-trust-inc'
    >>> slugify("Acme", taken={"acme", "acme-2"})
    'acme-3'
    >>> slugify("../../etc")
    'etc'
    """
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "account"
    slug, i = base, 2
    while taken is not None and slug in taken:
        slug, i = f"{base}-{i}", i + 1
    return slug


def split_accounts(tables: Tables, names: list[str] | None = None) -> dict[str, Tables]:
    """One :class:`~influence.io.tables.Tables` per account, in one pass.

    An external person belongs to the account in ``people.account``; our team belongs to
    every account it has ties or events with (see the module docstring). Done by
    :class:`AccountSplit`.

    Parameters
    ----------
    tables : influence.io.tables.Tables
        A dataset's canonical tables.
    names : list of str, optional
        The accounts to split out (default: all, :func:`account_names`).

    Returns
    -------
    dict of str to influence.io.tables.Tables
        Each account's tables, in the order of ``names``.

    Examples
    --------
    Ann and Bob at Acme, Xi at Beta, and one of our people (u) who knows Ann and Xi:

    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> from influence.io.frames import as_read
    >>> t = validate(
    ...     as_read("people.csv", id=["a", "b", "x", "u"], name=["Ann", "Bob", "Xi", "Us"],
    ...         account=["Acme", "Acme", "Beta", ""], internal=["", "", "", "true"]),
    ...     as_read("relationships.csv", source=["u", "u", "a"], target=["a", "x", "b"],
    ...         type=["peer", "peer", "peer"]))
    >>> for name, acct in split_accounts(t).items():
    ...     print(name, acct.people["id"].tolist(), acct.relationships["target"].tolist())
    Acme ['a', 'b', 'u'] ['a', 'b']
    Beta ['u', 'x'] ['x']
    """
    split = AccountSplit(tables, None, names)
    return {n: split.tables(n)[0] for n in split.names}


def split_findings(
    tables: Tables, codes: TableCodes | None = None, split: AccountSplit | None = None
) -> None:
    """Record in ``tables.quality`` what no account holds, so that nothing is lost
    silently: a relationship, a ``reports_to`` line or the ties of a shared event between
    people of two accounts, and one of our people with no tie to any account.

    Findings (counted, with file, row and column; no row is skipped, they stay in the
    dataset's tables): ``relationship_in_no_account`` (a relationship row whose ends are
    in no account together), ``reports_to_in_no_account`` (a person row whose manager is
    in another account), ``event_between_accounts`` (an event row with people of two or
    more accounts: it is in each, the ties between people of different accounts in none)
    and ``team_in_no_account`` (a person row of our team with no relationship or event
    with anyone of an account: in no output).

    Parameters
    ----------
    tables : influence.io.tables.Tables
        A dataset's canonical tables; its ``quality`` log gains the findings.
    codes : TableCodes, optional
        :func:`~influence.graph.arrays.table_codes` of ``tables``, if known.
    split : AccountSplit, optional
        The :class:`AccountSplit` of every account of ``tables`` (``names`` not given),
        if known.

    Returns
    -------
    None
        The findings are added to ``tables.quality``.

    Examples
    --------
    Ann at Acme, Xi at Beta; Ann advises Xi; our u knows nobody:

    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> from influence.io.frames import as_read
    >>> t = validate(
    ...     as_read("people.csv", id=["a", "x", "u"], name=["Ann", "Xi", "Us"],
    ...         account=["Acme", "Beta", ""], internal=["", "", "true"]),
    ...     as_read("relationships.csv", source=["a"], target=["x"], type=["advises"]))
    >>> split_findings(t)
    >>> [(i.file, i.row, i.code) for i in t.quality.issues]  # doctest: +NORMALIZE_WHITESPACE
    [('people.csv', 4, 'team_in_no_account'),
     ('relationships.csv', 2, 'relationship_in_no_account')]
    """
    split = split or AccountSplit(tables, None, None, codes)
    q, people = tables.quality, tables.people
    names = np.asarray(split.names + ["", ""], dtype=object)  # -2, -1: no account
    ids = people["id"].to_numpy(dtype=object)
    owner = split._owner
    member = np.zeros(len(people), dtype=bool)
    member[split._people._rows] = True

    def warn(df: pd.DataFrame, i: int, code: str, message: str, column: str) -> None:
        row = df["_row"].iat[i]
        q.warn(str(df["_file"].iat[i]), code, message, int(row) if pd.notna(row) else None,
               column)  # fmt: skip

    for i in np.flatnonzero(~member):
        warn(people, i, "team_in_no_account",
               f"{ids[i]!r} of our team has no relationship or event with anyone of an "
               "account; in no account's output", "id")  # fmt: skip
    boss = people["reports_to"].to_numpy(dtype=object)
    kept = np.zeros(len(people), dtype=bool)
    kept[split._people._rows[split._boss_kept]] = True
    codes = codes or table_codes(tables)
    for i in np.flatnonzero(member & (boss != "") & ~kept):
        b = codes.boss[i]
        other = f" of {names[owner[b]]!r}" if b >= 0 and owner[b] >= 0 else ""
        warn(people, i, "reports_to_in_no_account",
               f"{ids[i]!r} of {names[owner[i]] or 'our team'!r} reports to {boss[i]!r}{other}; "
               "the reporting line is in no account", "reports_to")  # fmt: skip
    rel = tables.relationships
    placed = np.zeros(len(rel), dtype=bool)
    placed[split._relationships._rows] = True
    person = codes.people.to_numpy()
    src = positions(rel["source"].to_numpy(dtype=object), person)
    dst = positions(rel["target"].to_numpy(dtype=object), person)
    for i in np.flatnonzero(~placed):
        a, b = owner[src[i]], owner[dst[i]]
        if a >= 0 and b >= 0:
            why = f"joins accounts {names[a]!r} and {names[b]!r}"
        else:
            why = "is between people who share no account"
        warn(rel, i, "relationship_in_no_account",
               f"relationship {rel['source'].iat[i]!r} -> {rel['target'].iat[i]!r} {why}; "
               "it is in no account", "target")  # fmt: skip
    pp, pe = codes.part_person, codes.part_event
    ok = (pp >= 0) & (pe >= 0)
    acct = np.where(ok, owner[np.maximum(pp, 0)], -1)
    n_acct = max(len(split.names), 1)
    pairs = unique_ints((pe * n_acct + acct)[ok & (acct >= 0)])
    ev, ac = pairs // n_acct, pairs % n_acct
    count = np.bincount(ev, minlength=len(tables.events))
    events = tables.events
    for e in np.flatnonzero(count >= 2):
        these = names[ac[ev == e]].tolist()
        shown = ", ".join(repr(n) for n in these[:3]) + (", …" if len(these) > 3 else "")
        warn(events, e, "event_between_accounts",
               f"event {events['id'].iat[e]!r} has people of {len(these)} accounts ({shown}); "
               "it is in each, the ties between people of different accounts in none",
               "id")  # fmt: skip


class AccountSplit:
    """Which rows of a dataset's tables (and ties) belong to each account.

    Found once for all accounts, with people, events and accounts as integer codes;
    :meth:`tables` then takes one account's rows (and :meth:`chunk` several accounts'),
    without holding every account's tables at once: the one implementation of the
    split (:func:`split_accounts` and ``Dataset.account`` use it).

    Parameters
    ----------
    tables : influence.io.tables.Tables
        A dataset's canonical tables.
    ties : pandas.DataFrame, optional
        The dataset's tie table, to split as well.
    names : list of str, optional
        The accounts (default: all, :func:`account_names`).
    codes : TableCodes, optional
        :func:`~influence.graph.arrays.table_codes` of ``tables``, if known.
    tie_people : tuple of numpy.ndarray, optional
        The people-table positions of each tie's source and target, if known.

    Attributes
    ----------
    names : list of str
        The accounts.
    source : influence.io.tables.Tables
        The dataset's tables.
    ties : pandas.DataFrame or None
        The dataset's ties.

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> from influence.io.frames import as_read
    >>> t = validate(
    ...     as_read("people.csv", id=["a", "b", "x", "u"], name=["Ann", "Bob", "Xi", "Us"],
    ...         account=["Acme", "Acme", "Beta", ""], internal=["", "", "", "true"]),
    ...     as_read("relationships.csv", source=["u", "a"], target=["x", "b"],
    ...             type=["peer", "peer"]))
    >>> ties = pd.DataFrame({"source": ["a", "u", "x"], "target": ["b", "x", "u"]})
    >>> split = AccountSplit(t, ties)
    >>> beta, beta_ties = split.tables("Beta")
    >>> split.names, beta.people["id"].tolist(), beta_ties.values.tolist()
    (['Acme', 'Beta'], ['u', 'x'], [['u', 'x'], ['x', 'u']])
    """

    def __init__(
        self,
        tables: Tables,
        ties: pd.DataFrame | None = None,
        names: list[str] | None = None,
        codes: TableCodes | None = None,
        tie_people: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        """``codes`` (:func:`~influence.graph.arrays.table_codes` of ``tables``) and
        ``tie_people`` (the people-table positions of each tie's source and target) save
        looking the ids up again when they are known."""
        self.source = tables
        self.ties = ties
        self.names = account_names(tables) if names is None else list(names)
        people, events = tables.people, tables.events
        codes = codes or table_codes(tables)
        accounts = pd.Index(self.names, dtype=object)
        n_acct = max(len(accounts), 1)
        n_people = len(people)
        internal = people["internal"].to_numpy(dtype=bool)
        person = codes.people
        # Owner of each person: an account code, -1 for another account, -2 our team.
        owner = accounts.get_indexer(people["account"].to_numpy(dtype=object))
        owner = np.where(internal, -2, owner)
        self._owner = owner
        self._n_people = n_people
        self._person = person.to_numpy()
        pp, pe = codes.part_person, codes.part_event
        part_owner = np.where(pp >= 0, owner[np.maximum(pp, 0)], -1)
        # Each event's accounts: those of its customer participants, and the one it names.
        named = accounts.get_indexer(events["account"].to_numpy(dtype=object))
        ev_pairs = unique_ints(
            np.concatenate(
                [
                    (pe * n_acct + part_owner)[(part_owner >= 0) & (pe >= 0)],
                    (np.arange(len(events)) * n_acct + named)[named >= 0],
                ]
            )
        )
        ev_of, acct_of = ev_pairs // n_acct, ev_pairs % n_acct
        last = np.cumsum(np.bincount(ev_of, minlength=len(events)))
        first = last - np.bincount(ev_of, minlength=len(events))
        # Members: customers of the account, and our people in its events or relationships.
        team_rows = np.flatnonzero((part_owner == -2) & (pe >= 0) & (pp >= 0))
        k = last[pe[team_rows]] - first[pe[team_rows]]
        rows = np.repeat(team_rows, k)
        at = np.repeat(first[pe[team_rows]], k) + _ranks(k)
        t_acct, t_person = [acct_of[at]], [pp[rows]]
        rel = tables.relationships
        rs = positions(rel["source"].to_numpy(dtype=object), person.to_numpy())
        rt = positions(rel["target"].to_numpy(dtype=object), person.to_numpy())
        so = np.where(rs >= 0, owner[np.maximum(rs, 0)], -3)  # -3: not a person
        to = np.where(rt >= 0, owner[np.maximum(rt, 0)], -3)
        # An external end (any account) and one of our people: a member of that account.
        side = (so >= 0) & (to == -2)
        t_acct.append(so[side])
        t_person.append(rt[side])
        side = (to >= 0) & (so == -2)
        t_acct.append(to[side])
        t_person.append(rs[side])
        # Our people's memberships, as sorted account * n_people + person.
        self._member = unique_ints(
            np.concatenate(t_acct).astype(np.int64) * n_people
            + np.concatenate(t_person).astype(np.int64)
        )
        # Looked up by hashing: few memberships, looked up millions of times (ties).
        self._member_index = pd.Index(self._member)
        ext = np.flatnonzero(owner >= 0)
        m_a = np.concatenate([owner[ext], self._member // n_people])
        m_p = np.concatenate([ext, self._member % n_people])
        # People of each account, by id.
        order = np.lexsort((codes.id_rank[m_p], m_a))
        self._people = _Groups(m_a[order], m_p[order], len(accounts))
        b = codes.boss[m_p[order]]
        self._boss_kept = self._is_member(m_a[order], b)
        # Participants: each row once per account of its event, if its person is a member.
        ok = np.flatnonzero((pe >= 0) & (pp >= 0))
        k = last[pe[ok]] - first[pe[ok]]
        rows = np.repeat(ok, k)
        acct = acct_of[np.repeat(first[pe[ok]], k) + _ranks(k)]
        keep = self._is_member(acct, pp[rows])
        rows, acct = rows[keep], acct[keep]
        order = np.argsort(acct, kind="stable")  # rows are ascending
        self._participants = _Groups(acct[order], rows[order], len(accounts))
        # Events: those with a participant of the account, by id.
        ea = unique_ints(acct * len(events) + pe[rows]) if len(rows) else np.zeros(0, np.int64)
        e_acct, e_row = ea // max(len(events), 1), ea % max(len(events), 1)
        order = np.lexsort((codes.event_rank[e_row], e_acct))
        self._events = _Groups(e_acct[order], e_row[order], len(accounts))
        # Relationships: in the account of an external end (the source's first), or, between
        # two of our people, in every account the source is a member of; both ends members.
        home = np.where(so != -2, so, np.where(to != -2, to, -2))
        direct = np.flatnonzero((home >= 0) & (rs >= 0) & (rt >= 0))
        direct = direct[self._is_member(home[direct], rs[direct])]
        direct = direct[self._is_member(home[direct], rt[direct])]
        ours_rows, ours_acct = self._team_rows(np.flatnonzero(home == -2), rs, rt)
        r_rows = np.concatenate([direct, ours_rows])
        r_acct = np.concatenate([home[direct], ours_acct])
        order = np.argsort(r_acct, kind="stable")
        self._relationships = _Groups(r_acct[order], r_rows[order], len(accounts))
        if ties is not None:
            self._split_ties(ties, tie_people)

    def _split_ties(self, ties: pd.DataFrame, tie_people) -> None:
        """Split ``ties`` (``tie_people``: as for the class) as well."""
        self.ties = ties
        self._ties = self._tie_groups(*(tie_people or self._ends(ties)))

    def with_ties(
        self, ties: pd.DataFrame, tie_people: tuple[np.ndarray, np.ndarray] | None = None
    ) -> AccountSplit:
        """This split with a tie table to split as well.

        The rows of the other tables are not looked for again: the split shares them.

        Parameters
        ----------
        ties : pandas.DataFrame
            The dataset's tie table.
        tie_people : tuple of numpy.ndarray, optional
            The people-table positions of each tie's source and target, if known.

        Returns
        -------
        AccountSplit
            The split of the same accounts, as if made with ``ties``.

        Examples
        --------
        >>> import pandas as pd
        >>> from influence.io.tables import validate
        >>> from influence.io.frames import as_read
        >>> t = validate(
        ...     as_read("people.csv", id=["a", "x", "u"], name=["Ann", "Xi", "Us"],
        ...         account=["Acme", "Beta", ""], internal=["", "", "true"]),
        ...     as_read("relationships.csv", source=["u"], target=["x"], type=["peer"]))
        >>> ties = pd.DataFrame({"source": ["u", "x"], "target": ["x", "u"]})
        >>> AccountSplit(t).with_ties(ties).tables("Beta")[1].values.tolist()
        [['u', 'x'], ['x', 'u']]
        """
        out = copy.copy(self)
        out._split_ties(ties, tie_people)
        return out

    def _ends(self, ties: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """The people-table positions of each row's ``source`` and ``target``."""
        return (
            positions(ties["source"].to_numpy(dtype=object), self._person),
            positions(ties["target"].to_numpy(dtype=object), self._person),
        )

    def _is_member(self, acct: np.ndarray, person: np.ndarray) -> np.ndarray:
        """Whether each ``person`` (people-table position, -1 for none) is a member of
        account ``acct``: a customer of it, or one of our people taking part in it."""
        out = np.zeros(len(person), dtype=bool)
        known = person >= 0
        owner = np.where(known, self._owner[np.maximum(person, 0)], -1)
        out[owner >= 0] = owner[owner >= 0] == acct[owner >= 0]
        team = np.flatnonzero(owner == -2)
        if len(team) and len(self._member):
            key = acct[team].astype(np.int64) * self._n_people + person[team]
            out[team] = self._member_index.get_indexer(key) >= 0
        return out

    def _team_rows(
        self, rows: np.ndarray, src: np.ndarray, dst: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows between two of our people, once per account both ends are members of
        (accounts in order, then rows in order)."""
        if not len(rows):
            return rows, rows
        # Accounts of each source: the member pairs (account, person) of that person.
        m_a, m_p = self._member // self._n_people, self._member % self._n_people
        by_person = np.argsort(m_p, kind="stable")
        p_sorted = m_p[by_person]
        lo = search_sorted(p_sorted, src[rows])
        hi = search_sorted(p_sorted, src[rows], side="right")
        k = hi - lo
        # The candidates (each row with each account of its source) a block of rows at a
        # time: our people are members of many accounts, so on a whole dataset they are
        # millions, and checking them at once took hundreds of MB.
        ends = np.cumsum(k)
        kept_r, kept_a = [], []
        start = 0
        while start < len(rows):
            done = int(ends[start - 1]) if start else 0
            stop = max(int(np.searchsorted(ends, done + TEAM_BLOCK, side="right")), start + 1)
            block = slice(start, stop)
            r = np.repeat(rows[block], k[block])
            acct = m_a[by_person[np.repeat(lo[block], k[block]) + _ranks(k[block])]]
            keep = self._is_member(acct, dst[r])
            kept_r.append(r[keep])
            kept_a.append(acct[keep])
            start = stop
        r, acct = np.concatenate(kept_r), np.concatenate(kept_a)
        order = np.lexsort((r, acct))
        return r[order], acct[order]

    def _tie_groups(self, src: np.ndarray, dst: np.ndarray) -> _Groups:
        owner = self._owner
        so = np.where(src >= 0, owner[np.maximum(src, 0)], -2)
        to = np.where(dst >= 0, owner[np.maximum(dst, 0)], -2)
        # The account of a customer end of a wanted account (source first); else (our
        # people, or customers of other accounts) every account the source is a member of;
        # both ends members.
        home = np.where(so >= 0, so, np.where(to >= 0, to, -1))
        direct = np.flatnonzero(home >= 0)
        direct = direct[self._is_member(home[direct], src[direct])]
        direct = direct[self._is_member(home[direct], dst[direct])]
        ours, ours_acct = self._team_rows(np.flatnonzero((home < 0) & (src >= 0)), src, dst)
        rows = np.concatenate([direct, ours])
        acct = np.concatenate([home[direct], ours_acct])
        # Each (account, row) occurs once, so sorting one combined key gives
        # np.lexsort((rows, acct)), several times faster.
        order = np.argsort(acct.astype(np.int64) * max(len(src), 1) + rows)
        return _Groups(acct[order], rows[order], len(self.names))

    def tables(self, name: str) -> tuple[Tables, pd.DataFrame | None]:
        """One account's tables and ties.

        Parameters
        ----------
        name : str
            The account (an unknown name gives empty tables).

        Returns
        -------
        tables : influence.io.tables.Tables
            The account's rows of every table, as :func:`split_accounts` gives them (a fresh
            data-quality log: the dataset's stays with the dataset).
        ties : pandas.DataFrame or None
            Its rows of the ties (:meth:`rows_of`); ``None`` without ties.

        Examples
        --------
        >>> import pandas as pd
        >>> from influence.io.tables import validate
        >>> people = pd.DataFrame({"id": ["a", "x"], "name": ["Ann", "Xi"],
        ...                        "account": ["Acme", "Beta"],
        ...                        "_file": "people.csv", "_row": [2, 3]})
        >>> t, ties = AccountSplit(validate(people)).tables("Acme")
        >>> t.name, t.people["id"].tolist(), ties
        ('Acme', ['a'], None)
        """
        code = self._codes.get(name, -1)
        src = self.source
        people = src.people.iloc[self._people.rows(code)].reset_index(drop=True)
        if len(people):
            kept = self._boss_kept[self._people.span(code)]
            people["account"] = pd.Series(np.full(len(people), name, dtype=object), dtype=object)
            boss = people["reports_to"].to_numpy(dtype=object).copy()
            boss[~kept] = ""
            people["reports_to"] = pd.Series(boss, dtype=object)
        out = Tables(
            people,
            src.relationships.iloc[self._relationships.rows(code)].reset_index(drop=True),
            src.events.iloc[self._events.rows(code)].reset_index(drop=True),
            src.participants.iloc[self._participants.rows(code)].reset_index(drop=True),
            DataQuality(),  # the dataset's log stays with the dataset
            name,
        )
        if self.ties is None:
            return out, None
        return out, _take_ties(self.ties, self._ties.rows(code))

    def rows_of(self, ties: pd.DataFrame, name: str) -> pd.DataFrame:
        """The rows of another table of person pairs (the evidence, say) that belong to
        one account, by the rule for ties: a row belongs to an account when both of its
        people do (our team belongs to every account it takes part in).

        Parameters
        ----------
        ties : pandas.DataFrame
            A table with ``source`` and ``target`` person ids of these tables.
        name : str
            The account.

        Returns
        -------
        pandas.DataFrame
            Its rows, in the table's order.

        Examples
        --------
        >>> import pandas as pd
        >>> from influence.io.tables import validate
        >>> from influence.io.frames import as_read
        >>> t = validate(
        ...     as_read("people.csv", id=["a", "b", "x", "u"], name=["Ann", "Bob", "Xi", "Us"],
        ...         account=["Acme", "Acme", "Beta", ""], internal=["", "", "", "true"]),
        ...     as_read("relationships.csv", source=["u"], target=["x"], type=["peer"]))
        >>> ev = pd.DataFrame({"source": ["a", "u", "a"], "target": ["b", "x", "x"]})
        >>> AccountSplit(t).rows_of(ev, "Beta").values.tolist()
        [['u', 'x']]

        Our u belongs to Beta through the relationship with Xi; the row ``a -> x`` joins
        two accounts and belongs to neither.
        """
        groups = self._tie_groups(*self._ends(ties))
        return _take_ties(ties, groups.rows(self._codes.get(name, -1)))

    def chunk(self, names: list[str]) -> AccountChunk:
        """The tables of several accounts at once.

        One take per table, cheap to send to a worker.

        Parameters
        ----------
        names : list of str
            The accounts, in order.

        Returns
        -------
        AccountChunk
            Their tables, stacked; :meth:`AccountChunk.tables` gives each account's.

        Examples
        --------
        >>> import pandas as pd
        >>> from influence.io.tables import validate
        >>> people = pd.DataFrame({"id": ["a", "x"], "name": ["Ann", "Xi"],
        ...                        "account": ["Acme", "Beta"],
        ...                        "_file": "people.csv", "_row": [2, 3]})
        >>> chunk = AccountSplit(validate(people)).chunk(["Beta", "Acme"])
        >>> chunk.names, chunk.tables(0)[0].people["id"].tolist()
        (['Beta', 'Acme'], ['x'])
        """
        codes = [self._codes.get(n, -1) for n in names]
        src = self.source

        def take(groups: _Groups, frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
            parts = [groups.rows(c) for c in codes]
            rows = np.concatenate(parts) if parts else np.zeros(0, np.int64)
            bounds = np.cumsum([0] + [len(x) for x in parts])
            return frame.iloc[rows].reset_index(drop=True), bounds

        people, p_bounds = take(self._people, src.people)
        if len(people):
            counts = np.diff(p_bounds)
            people["account"] = pd.Series(
                np.repeat(np.array(names, dtype=object), counts), dtype=object
            )
            kept = np.concatenate([self._boss_kept[self._people.span(c)] for c in codes])
            boss = people["reports_to"].to_numpy(dtype=object).copy()
            boss[~kept] = ""
            people["reports_to"] = pd.Series(boss, dtype=object)
        frames = {"people": (people, p_bounds)}
        frames["relationships"] = take(self._relationships, src.relationships)
        frames["events"] = take(self._events, src.events)
        frames["participants"] = take(self._participants, src.participants)
        ties = empty = None
        if self.ties is not None:
            ties = take(self._ties, self.ties)
            if len(ties[0]):
                ties[0]["source"] = pd.Series(
                    ties[0]["source"].to_numpy(dtype=object), dtype=object
                )
            empty = self.ties.iloc[:0].reset_index(drop=True)
        return AccountChunk(list(names), frames, ties, empty)

    @property
    def _codes(self) -> dict[str, int]:
        if "_code_map" not in self.__dict__:
            self._code_map = {n: i for i, n in enumerate(self.names)}
        return self._code_map

    def size(self, name: str) -> int:
        """The size of one account: its rows of people, participants, relationships and ties.

        Parameters
        ----------
        name : str
            The account (an unknown name has size 0).

        Returns
        -------
        int
            The number of rows (a measure of the work of analysing it).

        Examples
        --------
        >>> import pandas as pd
        >>> from influence.io.tables import validate
        >>> people = pd.DataFrame({"id": ["a", "b", "x"], "name": ["Ann", "Bob", "Xi"],
        ...                        "account": ["Acme", "Acme", "Beta"],
        ...                        "_file": "people.csv", "_row": [2, 3, 4]})
        >>> split = AccountSplit(validate(people))
        >>> split.size("Acme"), split.size("Beta"), split.size("Nobody")
        (2, 1, 0)
        """
        code = self._codes.get(name, -1)
        groups = [self._people, self._participants, self._relationships]
        if self.ties is not None:
            groups.append(self._ties)
        return sum(len(g.rows(code)) for g in groups)


def _take_ties(ties: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """``ties.iloc[rows]``, renumbered, with ``source`` as objects (as ties are split)."""
    if not len(rows):
        return ties.iloc[:0].reset_index(drop=True)
    out = ties.iloc[rows].reset_index(drop=True)
    out["source"] = pd.Series(out["source"].to_numpy(dtype=object), dtype=object)
    return out


class AccountChunk:
    """The tables of several accounts (:meth:`AccountSplit.chunk`), stacked.

    Cheap to send to a worker: one frame per table, with the bounds of each account's
    rows; :meth:`tables` gives one account's.

    Parameters
    ----------
    names : list of str
        The accounts, in order.
    frames : dict of str to tuple of (pandas.DataFrame, numpy.ndarray)
        Each table (``people``, ``relationships``, ``events``, ``participants``) of all
        the accounts, stacked, with the bounds of each account's rows.
    ties : tuple of (pandas.DataFrame, numpy.ndarray) or None
        The same for the ties, or ``None`` without ties.
    empty_ties : pandas.DataFrame or None
        The tie table of an account without ties.

    Attributes
    ----------
    names : list of str
        The accounts.

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> people = pd.DataFrame({"id": ["a", "b", "x"], "name": ["Ann", "Bob", "Xi"],
    ...                        "account": ["Acme", "Acme", "Beta"],
    ...                        "_file": "people.csv", "_row": [2, 3, 4]})
    >>> chunk = AccountSplit(validate(people)).chunk(["Beta", "Acme"])
    >>> [chunk.tables(i)[0].people["id"].tolist() for i in range(len(chunk.names))]
    [['x'], ['a', 'b']]
    """

    def __init__(self, names, frames, ties, empty_ties):
        self.names = names
        self._frames = frames
        self._ties = ties
        self._empty_ties = empty_ties

    def stacked(self) -> dict[str, tuple[pd.DataFrame, np.ndarray]]:
        """Each table of all the accounts, stacked, with the bounds of each account's rows.

            Returns
            -------
            dict of str to tuple of (pandas.DataFrame, numpy.ndarray)
                ``people, relationships, events, participants`` and, with ties, ``ties``: the
                stacked frame and the bounds (account ``i`` has rows ``bounds[i]:bounds[i+1]``).

            Examples
            --------
            >>> import pandas as pd
            >>> from influence.io.tables import validate
            >>> people = pd.DataFrame({"id": ["a", "b", "x"], "name": ["Ann", "Bob", "Xi"],
            ...                        "account": ["Acme", "Acme", "Beta"],
            ...                        "_file": "people.csv", "_row": [2, 3, 4]})
            >>> chunk = AccountSplit(validate(people)).chunk(["Acme", "Beta"])
        >>> frame, bounds = chunk.stacked()["people"]
            >>> frame["id"].tolist(), bounds.tolist()
            (['a', 'b', 'x'], [0, 2, 3])
        """
        out = dict(self._frames)
        if self._ties is not None:
            out["ties"] = self._ties
        return out

    def tables(self, i: int) -> tuple[Tables, pd.DataFrame | None]:
        """The tables and ties of the ``i``-th account, as :meth:`AccountSplit.tables`.

        Parameters
        ----------
        i : int
            The account's position in :attr:`names`.

        Returns
        -------
        tables : influence.io.tables.Tables
            The account's tables.
        ties : pandas.DataFrame or None
            Its ties (``None`` without ties).

        Examples
        --------
        >>> import pandas as pd
        >>> from influence.io.tables import validate
        >>> people = pd.DataFrame({"id": ["a", "x"], "name": ["Ann", "Xi"],
        ...                        "account": ["Acme", "Beta"],
        ...                        "_file": "people.csv", "_row": [2, 3]})
        >>> chunk = AccountSplit(validate(people)).chunk(["Acme", "Beta"])
        >>> [chunk.tables(i)[0].name for i in range(2)]
        ['Acme', 'Beta']
        """

        def part(frame: pd.DataFrame, bounds: np.ndarray) -> pd.DataFrame:
            return frame.iloc[bounds[i] : bounds[i + 1]].reset_index(drop=True)

        t = Tables(
            *(
                part(*self._frames[k])
                for k in ("people", "relationships", "events", "participants")
            ),
            DataQuality(),
            self.names[i],
        )
        if self._ties is None:
            return t, None
        frame, bounds = self._ties
        if bounds[i] == bounds[i + 1]:
            return t, self._empty_ties
        return t, part(frame, bounds)


class _Groups:
    """Row positions grouped by account code (``acct`` sorted)."""

    def __init__(self, acct: np.ndarray, rows: np.ndarray, n: int):
        self._rows = rows
        self._start = np.searchsorted(acct, np.arange(n + 1))

    def span(self, code: int) -> slice:
        if code < 0:
            return slice(0, 0)
        return slice(int(self._start[code]), int(self._start[code + 1]))

    def rows(self, code: int) -> np.ndarray:
        return self._rows[self.span(code)]


def _ranks(k: np.ndarray) -> np.ndarray:
    """``0, 1, …, k[i]-1`` for each ``i``, concatenated."""
    total = int(k.sum()) if len(k) else 0
    return np.arange(total) - np.repeat(np.cumsum(k) - k, k)
