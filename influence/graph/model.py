"""The account model: one networkx ``MultiDiGraph`` of people, events and their ties.

This is the graph users take further with networkx. Nodes have a ``kind`` attribute:

* ``"person"`` — keyed by person id, with every person attribute;
* ``"event"`` — keyed ``"event:<id>"``, with ``date``, ``type``, ``subject``.

Edges have a ``kind`` attribute:

* ``"reports_to"`` — manager → report;
* ``"relationship"`` — source → target with ``type``, ``strength``, ``directed``,
  ``start``, ``end``; an undirected relationship is one edge with ``directed=False``;
* ``"participation"`` — person → event with ``role``.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from influence.io.tables import META, Tables

__all__ = [
    "build_model",
]

EVENT_PREFIX = "event:"


def _clean(value: object) -> object:
    return None if value is pd.NaT or (isinstance(value, float) and value != value) else value


def build_model(tables: Tables) -> nx.MultiDiGraph:
    """Build the people–events multigraph of a dataset or of one account.

    Every person becomes a ``kind="person"`` node (keyed by id, with the person's
    attributes), every event a ``kind="event"`` node keyed ``"event:<id>"``; edges are
    ``reports_to`` (manager → report), ``relationship`` (source → target, one edge even
    when undirected) and ``participation`` (person → event). See the module docstring.

    Parameters
    ----------
    tables : influence.io.tables.Tables
        Canonical tables (:func:`influence.io.tables.validate`), of a dataset or of one
        account.

    Returns
    -------
    networkx.MultiDiGraph
        The account model, named after ``tables.name``; nodes and edges are added in
        sorted order, so the graph does not depend on the order of the input rows.

    Examples
    --------
    A manager, her report and one meeting of both:

    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bob"], "reports_to": ["", "a"],
    ...                        "_file": "people.csv", "_row": [2, 3]})
    >>> events = pd.DataFrame({"id": ["m1"], "date": ["2026-01-05"], "type": ["meeting"],
    ...                        "_file": "events.csv", "_row": [2]})
    >>> parts = pd.DataFrame({"event_id": ["m1", "m1"], "person_id": ["a", "b"],
    ...                       "_file": "participants.csv", "_row": [2, 3]})
    >>> g = build_model(validate(people, events=events, participants=parts))
    >>> sorted(g.nodes)
    ['a', 'b', 'event:m1']
    >>> for edge in sorted(g.edges(data="kind")):
    ...     print(*edge)
    a b reports_to
    a event:m1 participation
    b event:m1 participation
    """
    g = nx.MultiDiGraph(name=tables.name)
    people = tables.people.sort_values("id")
    cols = [c for c in people.columns if c not in META and c != "id"]
    for row in people[["id", *cols]].itertuples(index=False):
        g.add_node(row[0], kind="person", **{c: _clean(v) for c, v in zip(cols, row[1:])})
    for pid, boss in people.loc[people["reports_to"] != "", ["id", "reports_to"]].itertuples(
        index=False
    ):
        g.add_edge(boss, pid, kind="reports_to")
    rel = tables.relationships.sort_values(["source", "target", "type"])
    for r in rel.itertuples(index=False):
        g.add_edge(
            r.source,
            r.target,
            kind="relationship",
            type=r.type,
            strength=r.strength,
            directed=bool(r.directed),
            start=_clean(r.start),
            end=_clean(r.end),
        )
    for e in tables.events.sort_values("id").itertuples(index=False):
        g.add_node(
            EVENT_PREFIX + e.id,
            kind="event",
            date=e.date,
            type=e.type,
            subject=e.subject,
            account=e.account,
        )
    part = tables.participants.sort_values(["event_id", "person_id"])
    for p in part.itertuples(index=False):
        g.add_edge(p.person_id, EVENT_PREFIX + p.event_id, kind="participation", role=p.role)
    return g
