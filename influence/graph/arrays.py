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

__all__ = [
    "PersonArrays",
    "datetimes_ns",
    "from_tables",
    "from_graph",
    "symmetric_pairs",
    "TableCodes",
    "table_codes",
    "positions",
]

#: Nanoseconds value of a missing timestamp (``NaT``) in ``last_contact``.
NAT = np.iinfo(np.int64).min


@dataclass(frozen=True)
class PersonArrays:
    """Nodes and edges of a person graph as arrays (see the module docstring).

    Parameters
    ----------
    ids : numpy.ndarray of object
        Node ids, in the graph's node order.
    attrs : dict of str to list
        The node attributes as lists by name, in node order (NaN where a node lacks one,
        as ``pd.DataFrame.from_dict`` of the graph's nodes has it).
    internal : numpy.ndarray of bool
        Whether each node is one of our people.
    name, reports_to, level : list
        Those attributes as the analyses read them (defaults ``""``, None, None).
    src, dst : numpy.ndarray of int64
        Edge ``k`` runs from node ``src[k]`` to node ``dst[k]`` (``src`` influences
        ``dst``), in the order ``g.edges()`` yields the edges.
    strength, distance : numpy.ndarray of float
        Edge attributes (``distance`` defaults to 1.0).
    last_contact : numpy.ndarray of int64
        Each edge's last contact in nanoseconds since the epoch, :data:`NAT` if none.
    last_unit : str, default "ns"
        The resolution pandas gives those timestamps.

    Attributes
    ----------
    n : int
        Number of nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> a = from_graph(nx.DiGraph([("x", "y"), ("y", "z")]))
    >>> a.n, a.ids.tolist(), a.src.tolist(), a.dst.tolist()
    (3, ['x', 'y', 'z'], [0, 1], [1, 2])
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
        """Node positions sorted by ``str(id)``.

        For sorted string ids that is the node order itself (returned without sorting).

        Returns
        -------
        numpy.ndarray of int64
            The positions, in ``str(id)`` order.

        Examples
        --------
        >>> import networkx as nx
        >>> g = nx.DiGraph()
        >>> g.add_nodes_from(["b", 10, 9])  # "10" < "9" < "b"
        >>> from_graph(g).str_order().tolist()
        [1, 2, 0]
        """
        keys = [str(v) for v in self.ids]
        if all(a <= b for a, b in zip(keys, keys[1:])):
            return np.arange(self.n)
        return np.array(sorted(range(self.n), key=keys.__getitem__), dtype=np.int64)


def datetimes_ns(values) -> tuple[np.ndarray, str]:
    """Timestamps as int64 nanoseconds, and the resolution pandas gives them.

    Parameters
    ----------
    values : array-like
        A ``datetime64`` array, or anything :func:`pandas.to_datetime` reads
        (unreadable values and None count as missing).

    Returns
    -------
    ns : numpy.ndarray of int64
        Nanoseconds since 1970-01-01, :data:`NAT` where missing.
    unit : str
        The resolution of ``pd.to_datetime`` of the values (e.g. ``"ns"``, ``"s"``).

    Examples
    --------
    >>> ns, unit = datetimes_ns(["1970-01-02", None])
    >>> ns.tolist() == [86_400 * 10**9, NAT]
    True
    >>> datetimes_ns(np.array(["1970-01-01T00:00:02"], dtype="datetime64[s]"))
    (array([2000000000]), 's')
    """
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

    Parameters
    ----------
    people : pandas.DataFrame
        An account's people table, with ``id`` and the columns of :data:`PERSON_ATTRS`.
    ties : pandas.DataFrame
        Its tie table (:func:`~influence.graph.ties.tie_table`): ``source``, ``target``,
        ``strength`` and ``last_contact``.

    Returns
    -------
    PersonArrays or None
        The same arrays as ``from_graph(person_graph(people, ties))``; ``None`` for tables
        a networkx graph would reshape (duplicate person ids, repeated ties, ties to
        people not in ``people``): use :func:`from_graph` on
        :func:`~influence.graph.ties.person_graph` then.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"id": ["b", "a"], **{c: "" for c in PERSON_ATTRS}})
    >>> people["internal"] = False
    >>> ties = pd.DataFrame({"source": ["b"], "target": ["a"], "strength": [0.5],
    ...                      "last_contact": [pd.NaT]})
    >>> a = from_tables(people, ties)
    >>> a.ids.tolist(), a.src.tolist(), a.dst.tolist(), a.distance.tolist()
    (['a', 'b'], [1], [0], [2.0])
    >>> from_tables(people, pd.concat([ties, ties])) is None  # a repeated tie
    True
    """
    raw = people["id"].to_numpy(dtype=object)
    by_id = np.argsort(raw, kind="stable").tolist()  # person_graph's node order
    ids = raw[by_id]
    index = pd.Index(ids, dtype=object)
    if not index.is_unique:
        return None
    ends = [ties["source"].to_numpy(dtype=object), ties["target"].to_numpy(dtype=object)]
    # Both ends in one look-up, as an object Index: a plain array would be read as text
    # first (a str Index built for every call), which costs more than the look-up.
    found = index.get_indexer(pd.Index(np.concatenate(ends), dtype=object))
    src, dst = found[: len(ties)], found[len(ties) :]
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
    """The arrays of any networkx person graph.

    Missing attributes are read as the analyses read them: ``strength`` and
    ``distance`` 1.0, ``last_contact`` none, ``internal`` false.

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph (:func:`~influence.graph.ties.person_graph`) or any directed graph.

    Returns
    -------
    PersonArrays
        Nodes in ``g``'s order, edges in the order ``g.edges()`` yields them.

    Examples
    --------
    A path ``x -> y -> z`` with one strength given:

    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("x", "y", strength=0.5)
    >>> g.add_edge("y", "z")
    >>> a = from_graph(g)
    >>> a.src.tolist(), a.dst.tolist(), a.strength.tolist(), a.distance.tolist()
    ([0, 1], [1, 2], [0.5, 1.0], [1.0, 1.0])
    """
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
    r"""The symmetrised graph as one weighted pair per unordered pair of nodes.

    .. math:: w_{\{a,b\}} = \frac{s_{ab} + s_{ba}}{2}

    where a missing direction counts 0, as
    :func:`influence.analysis.centrality.symmetrise` computes it.

    Parameters
    ----------
    n : int
        Number of nodes.
    src, dst : numpy.ndarray of int
        Edge ends as node positions (each directed pair at most once).
    weight : numpy.ndarray of float
        Edge weights :math:`s_{ab}`.

    Returns
    -------
    lo, hi : numpy.ndarray of int
        The pairs, ``lo <= hi``, sorted.
    w : numpy.ndarray of float
        Their symmetric weights.

    Examples
    --------
    ``0 -> 1`` both ways (0.4 and 0.2) and ``2 -> 1`` one way (0.6):

    >>> lo, hi, w = symmetric_pairs(3, np.array([0, 1, 2]), np.array([1, 0, 1]),
    ...                             np.array([0.4, 0.2, 0.6]))
    >>> lo.tolist(), hi.tolist(), w.round(12).tolist()
    ([0, 1], [1, 2], [0.3, 0.3])
    """
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    key = lo * max(n, 1) + hi
    uniq, inv = np.unique(key, return_inverse=True)
    w = np.zeros(len(uniq))
    np.add.at(w, inv, weight / 2)
    return uniq // max(n, 1), uniq % max(n, 1), w


@dataclass(frozen=True)
class TableCodes:
    """A dataset's ids as positions, looked up once for every use.

    Splitting accounts and tie strength both need them (:func:`table_codes`).

    Parameters
    ----------
    people : pandas.Index
        The people table's ids.
    part_person, part_event : numpy.ndarray of int64
        Each participant's position in the people and in the events table (-1: unknown).
    boss : numpy.ndarray of int64
        Each person's ``reports_to`` as a people position (-1: none or unknown).
    id_rank, event_rank : numpy.ndarray of int64
        Each person's and each event's position in id order.

    Attributes
    ----------
    people, part_person, part_event, boss, id_rank, event_rank
        As given.

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> t = validate(pd.DataFrame({"id": ["b", "a"], "name": ["Bo", "Al"], "reports_to": ["a", ""],
    ...                            "_file": "people.csv", "_row": [2, 3]}))
    >>> codes = table_codes(t)
    >>> codes.people.tolist(), codes.boss.tolist(), codes.id_rank.tolist()
    (['b', 'a'], [1, -1], [1, 0])
    """

    people: pd.Index
    part_person: np.ndarray
    part_event: np.ndarray
    boss: np.ndarray
    id_rank: np.ndarray
    event_rank: np.ndarray


def table_codes(tables) -> TableCodes:
    """The :class:`TableCodes` of canonical tables.

    Parameters
    ----------
    tables : influence.io.tables.Tables
        Canonical tables; person and event ids must be unique.

    Returns
    -------
    TableCodes
        Positions of every participant, event and manager, and the id ranks.

    Raises
    ------
    ValueError
        If person or event ids repeat.

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> t = validate(pd.DataFrame({"id": ["b", "a"], "name": ["Bo", "Al"], "reports_to": ["a", ""],
    ...                            "_file": "people.csv", "_row": [2, 3]}))
    >>> table_codes(t).boss.tolist()  # b reports to a, at position 1
    [1, -1]
    """
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
    """Position of each of ``values`` in ``index``, -1 if absent.

    The same as ``pd.Index(index).get_indexer(values)``, by Arrow's hash table when both
    hold only text (several times faster on millions of ids).

    Parameters
    ----------
    values : numpy.ndarray
        The values to look up.
    index : numpy.ndarray
        Distinct values.

    Returns
    -------
    numpy.ndarray of int64
        ``k`` where ``index[k] == value``, -1 where the value is not in ``index``.

    Examples
    --------
    >>> positions(np.array(["c", "x", "a"], dtype=object), np.array(["a", "b", "c"], dtype=object))
    array([ 2, -1,  0])
    """
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
