"""Person graphs as arrays: the form the per-account analyses compute on.

A :class:`PersonArrays` holds the nodes and edges of a person graph
(:func:`influence.graph.ties.person_graph`) as NumPy arrays: nodes in the graph's
order, edges in the order ``g.edges()`` yields them, with the node attributes and the
edge attributes the analyses read. :func:`from_tables` builds it straight from an
account's people and tie tables, without a networkx graph (building one costs more than
analysing a small account); :func:`from_graph` from any networkx person graph. Both give
the same arrays for the same account, so an analysis computed on them equals the same
analysis on the networkx graph, to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

#: Nanoseconds value of a missing timestamp (``NaT``) in ``last_contact``.
NAT = np.iinfo(np.int64).min


@dataclass(frozen=True)
class PersonArrays:
    """Nodes and edges of a person graph as arrays (see the module docstring).

    ``attrs`` holds the node attributes as lists by name, in node order (NaN where a
    node lacks one, as ``pd.DataFrame.from_dict`` of the graph's nodes has it);
    ``internal``, ``name`` (default ""), ``reports_to`` and ``level`` (default None)
    are the attributes as the analyses read them. Edge ``k`` runs from node ``src[k]``
    to node ``dst[k]`` (``src`` influences ``dst``) with ``strength``, ``distance``
    (default 1.0) and ``last_contact`` (nanoseconds since the epoch, :data:`NAT` if
    none); ``last_unit`` is the resolution pandas gives those timestamps.
    """

    ids: np.ndarray
    attrs: dict[str, list]
    internal: np.ndarray
    name: list
    reports_to: list
    level: list
    src: np.ndarray
    dst: np.ndarray
    strength: np.ndarray
    distance: np.ndarray
    last_contact: np.ndarray
    last_unit: str = "ns"

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    def str_order(self) -> np.ndarray:
        """Node positions sorted by ``str(id)`` (node order for sorted string ids)."""
        keys = [str(v) for v in self.ids]
        if all(a <= b for a, b in zip(keys, keys[1:])):
            return np.arange(self.n)
        return np.array(sorted(range(self.n), key=keys.__getitem__), dtype=np.int64)


def datetimes_ns(values) -> tuple[np.ndarray, str]:
    """Timestamps as int64 nanoseconds (:data:`NAT` where missing), and the resolution
    pandas gives them (``pd.to_datetime`` of the values)."""
    if not (isinstance(values, np.ndarray) and values.dtype.kind == "M"):
        values = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce").to_numpy()
    unit = np.datetime_data(values.dtype)[0]
    return values.astype("datetime64[ns]").view(np.int64), unit


#: The node attributes of a person graph (from the people table), in order.
PERSON_ATTRS = [
    "name",
    "title",
    "department",
    "account",
    "level",
    "buying_role",
    "stance",
    "stance_score",
    "internal",
    "reports_to",
]


def from_tables(people: pd.DataFrame, ties: pd.DataFrame) -> PersonArrays | None:
    """The arrays of ``person_graph(people, ties)``, without building it.

    Returns ``None`` for tables a networkx graph would reshape (duplicate person ids,
    repeated ties, ties to people not in ``people``): use :func:`from_graph` on
    :func:`~influence.graph.ties.person_graph` then.
    """
    raw = people["id"].to_numpy(dtype=object)
    by_id = np.argsort(raw, kind="stable").tolist()  # person_graph's node order
    ids = raw[by_id]
    index = pd.Index(ids, dtype=object)
    if not index.is_unique:
        return None
    src = index.get_indexer(ties["source"].to_numpy(dtype=object))
    dst = index.get_indexer(ties["target"].to_numpy(dtype=object))
    if len(src) and (min(src.min(), dst.min()) < 0):
        return None
    n = len(ids)
    key = src.astype(np.int64) * max(n, 1) + dst
    if len(np.unique(key)) < len(key):
        return None
    # g.edges() lists each node's out-edges in node order, each in insertion order.
    order = np.argsort(src, kind="stable")
    strength = ties["strength"].to_numpy(float)[order]
    last = ties["last_contact"]
    last, unit = datetimes_ns(last.to_numpy() if last.dtype.kind == "M" else last.to_numpy(object))
    attrs = {}
    for c in PERSON_ATTRS:
        values = people[c].tolist()
        attrs[c] = [values[i] for i in by_id]
    return PersonArrays(
        ids=ids,
        attrs=attrs,
        internal=np.array([bool(v) for v in attrs["internal"]], dtype=bool),
        name=attrs["name"],
        reports_to=attrs["reports_to"],
        level=attrs["level"],
        src=src[order].astype(np.int64),
        dst=dst[order].astype(np.int64),
        strength=strength,
        distance=(1.0 / ties["strength"].to_numpy(float))[order],
        last_contact=last[order],
        last_unit=unit,
    )


def from_graph(g: nx.DiGraph) -> PersonArrays:
    """The arrays of any networkx person graph (missing attributes as the analyses
    read them: ``strength`` and ``distance`` 1.0, ``last_contact`` none)."""
    ids = np.empty(len(g), dtype=object)
    ids[:] = list(g)
    pos = {v: i for i, v in enumerate(ids)}
    nodes = [d for _, d in g.nodes(data=True)]
    keys: dict[str, None] = {}
    for d in nodes:
        keys.update(dict.fromkeys(d))
    edges = list(g.edges(data=True))
    last, unit = datetimes_ns([d.get("last_contact", pd.NaT) for _, _, d in edges])
    return PersonArrays(
        ids=ids,
        attrs={c: [d.get(c, np.nan) for d in nodes] for c in keys},
        internal=np.array([bool(d.get("internal")) for d in nodes], dtype=bool),
        name=[d.get("name", "") for d in nodes],
        reports_to=[d.get("reports_to") for d in nodes],
        level=[d.get("level") for d in nodes],
        src=np.array([pos[a] for a, _, _ in edges], dtype=np.int64),
        dst=np.array([pos[b] for _, b, _ in edges], dtype=np.int64),
        strength=np.array([d.get("strength", 1.0) for _, _, d in edges], dtype=float),
        distance=np.array([d.get("distance", 1.0) for _, _, d in edges], dtype=float),
        last_contact=last,
        last_unit=unit,
    )


def symmetric_pairs(
    n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The symmetrised graph: one ``(lo, hi, w)`` per unordered pair, ``lo <= hi``,
    sorted, with :math:`w = (s_{ab} + s_{ba})/2` (a missing direction is 0), as
    :func:`influence.analysis.centrality.symmetrise` computes it."""
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    key = lo * max(n, 1) + hi
    uniq, inv = np.unique(key, return_inverse=True)
    w = np.zeros(len(uniq))
    np.add.at(w, inv, weight / 2)
    return uniq // max(n, 1), uniq % max(n, 1), w


@dataclass(frozen=True)
class TableCodes:
    """A dataset's ids as positions, looked up once for every use (splitting accounts,
    tie strength): ``people`` indexes the people table's ids; ``part_person`` and
    ``part_event`` are each participant's positions in the people and events tables,
    ``boss`` each person's ``reports_to`` (-1: none or unknown); ``id_rank`` and
    ``event_rank`` are each person's and event's position in id order."""

    people: pd.Index
    part_person: np.ndarray
    part_event: np.ndarray
    boss: np.ndarray
    id_rank: np.ndarray
    event_rank: np.ndarray


def table_codes(tables) -> TableCodes:
    """:class:`TableCodes` of canonical tables (person and event ids must be unique)."""
    ids = tables.people["id"].to_numpy(dtype=object)
    people = pd.Index(ids, dtype=object)
    event_ids = tables.events["id"].to_numpy(dtype=object)
    if not people.is_unique or not pd.Index(event_ids, dtype=object).is_unique:
        raise ValueError("person and event ids must be unique")
    part = tables.participants
    return TableCodes(
        people=people,
        part_person=positions(part["person_id"].to_numpy(dtype=object), ids),
        part_event=positions(part["event_id"].to_numpy(dtype=object), event_ids),
        boss=positions(tables.people["reports_to"].to_numpy(dtype=object), ids),
        id_rank=_rank(ids),
        event_rank=_rank(event_ids),
    )


def positions(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Position of each of ``values`` in ``index`` (distinct values), -1 if absent:
    ``pd.Index(index).get_indexer(values)``, by Arrow's hash table when both hold only
    text (several times faster on millions of ids)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.index_in(
            pa.array(values, type=pa.string(), from_pandas=True),
            value_set=pa.array(index, type=pa.string(), from_pandas=True),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.Index(index, dtype=object).get_indexer(values)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _rank(values: np.ndarray) -> np.ndarray:
    """Each value's position when sorted (ties in order)."""
    rank = np.empty(len(values), dtype=np.int64)
    rank[np.argsort(values, kind="stable")] = np.arange(len(values))
    return rank
