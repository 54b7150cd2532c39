"""Coverage: how well our own team reaches each external stakeholder.

For each external person, the *strongest internal tie* is the internal person (our team)
with the largest tie strength to them, in either direction, and ``coverage_strength``
its strength (0 when there is none). ``last_contact`` is the latest event that person
shared with anyone on our team. A stakeholder is a *coverage gap* when their influence
is in the account's top quartile and ``coverage_strength`` is below
:data:`WEAK_TIE` — influential people we barely reach (Granovetter's weak ties, 1973).
With no one of our team in the data, coverage is not applicable: nobody is a gap
(:data:`NO_TEAM` says so), rather than every influential person.

``days_since_contact`` counts the whole days from ``last_contact`` to the as-of date.
A champion or supporter is *stale* (:func:`stale`) when that is more than
:data:`~influence.defaults.COLD_DAYS` (60), or when our team never met them: the
people our warm paths and support rely on, left to cool (``champion_cold`` in
``influence diff``, the same rule at one date).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.changes import WARM_STANCES
from influence.analysis.metrics import quantile
from influence.defaults import COLD_DAYS, HIGH_INFLUENCE_QUANTILE, WEAK_TIE
from influence.graph.arrays import NAT, from_graph

__all__ = [
    "NO_TEAM",
    "STALE_COLUMNS",
    "coverage",
    "strongest_ties",
    "coverage_gaps",
    "last_contact",
    "stale",
    "stale_rows",
]

#: What the CLI, ``summary.csv`` and the report say when the data has no team of ours.
NO_TEAM = (
    "no one of our team in the data: coverage gaps and the team-based risk flags "
    "(no_strong_ties, single_threaded, no_decision_coverage, bow_tie) are not applicable"
)


def coverage(g: nx.DiGraph, internal: set, influence: pd.Series | None = None) -> pd.DataFrame:
    r"""Our strongest tie to each external node of ``g``.

    For external :math:`v` and our team :math:`T`:
    ``coverage_strength`` :math:`= \max_{u \in T} \max(s_{uv}, s_{vu})` (0 without a tie),
    and :math:`v` is a coverage gap when its influence is at least the
    :data:`~influence.defaults.HIGH_INFLUENCE_QUANTILE` quantile of ``influence`` and
    its coverage strength is below :data:`~influence.defaults.WEAK_TIE`.

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph with ``strength`` (and ``last_contact``) edge attributes.
    internal : set
        Ids of our own team.
    influence : pandas.Series, optional
        Influence per external id; enables ``coverage_gap`` (all false without it, or
        without anyone of our team).

    Returns
    -------
    pandas.DataFrame
        Indexed by external id (sorted by ``str(id)``), with columns
        ``strongest_internal_tie`` (id, or ``""``), ``coverage_strength``,
        ``last_contact`` (the latest contact with anyone of our team) and
        ``coverage_gap``.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("us", "a", strength=0.4, last_contact=pd.Timestamp("2024-05-01"))
    >>> g.add_edge("me", "a", strength=0.7, last_contact=pd.Timestamp("2024-03-01"))
    >>> g.add_node("b")
    >>> cov = coverage(g, {"us", "me"}, influence=pd.Series({"a": 10.0, "b": 90.0}))
    >>> cov
       strongest_internal_tie  coverage_strength last_contact  coverage_gap
    id
    a                      me                0.7   2024-05-01         False
    b                                        0.0          NaT          True

    b is in the top quartile of influence and we have no tie to them: a gap.
    """
    p = from_graph(g)
    ids = p.ids
    ours = np.array([v in internal for v in ids.tolist()], dtype=bool)
    keys = np.array([str(v) for v in ids.tolist()], dtype=object)
    best, strength, last = strongest_ties(p.n, ours, keys, p.src, p.dst, p.strength, p.last_contact)
    ext = p.str_order()[~ours[p.str_order()]]
    unit = p.last_unit
    out = pd.DataFrame(
        {
            "strongest_internal_tie": [ids[b] if b >= 0 else "" for b in best[ext]],
            "coverage_strength": strength[ext],
            "last_contact": last_contact(last[ext], unit),
        },
        index=pd.Index(list(ids[ext]), name="id"),
    )
    if influence is not None and len(influence) and internal:
        top = influence.reindex(out.index).to_numpy(float)
        out["coverage_gap"] = coverage_gaps(
            top, influence.to_numpy(float), out["coverage_strength"]
        )
    else:
        out["coverage_gap"] = False
    return out


def strongest_ties(
    n: int,
    internal: np.ndarray,
    keys: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    strength: np.ndarray,
    last_contact: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per node, the internal node with the strongest tie to it, on arrays.

    Parameters
    ----------
    n : int
        Number of nodes.
    internal : numpy.ndarray of bool
        Whether each node is one of ours.
    keys : numpy.ndarray
        Sort keys of the nodes (``str(id)``): equal strengths go to the smallest.
    src, dst : numpy.ndarray of int64
        Edge ends.
    strength : numpy.ndarray of float
        Edge strengths.
    last_contact : numpy.ndarray of int64
        Edge last contacts in ns (:data:`~influence.graph.arrays.NAT` if none).

    Returns
    -------
    best : numpy.ndarray of int64
        The internal node with the strongest tie to each node, in either direction
        (-1 if none).
    strength : numpy.ndarray of float
        That strength (0.0 if none).
    latest : numpy.ndarray of int64
        The latest ``last_contact`` of the node's ties with internal nodes.

    Only external nodes' values are meaningful.

    Examples
    --------
    Nodes 0 and 1 are ours; 2 has ties 0 -> 2 (0.5) and 2 -> 1 (0.5): equal, so the
    smaller key (0) wins; 3 has none.

    >>> best, s, _ = strongest_ties(
    ...     4, np.array([True, True, False, False]), np.array(["0", "1", "2", "3"], dtype=object),
    ...     np.array([0, 2]), np.array([2, 1]), np.array([0.5, 0.5]), np.array([0, 0]))
    >>> best.tolist()[2:], s.tolist()[2:]
    ([0, -1], [0.5, 0.0])
    """
    a_in, b_in = internal[src], internal[dst]
    one = a_in != b_in
    other = np.where(a_in, src, dst)[one]
    node = np.where(a_in, dst, src)[one]
    s, lc = strength[one], last_contact[one]
    latest = np.full(n, NAT, dtype=np.int64)
    np.maximum.at(latest, node, lc)
    best = np.full(n, -1, dtype=np.int64)
    best_s = np.zeros(n)
    ok = s > 0
    if ok.any():
        node, other, s = node[ok], other[ok], s[ok]
        rank = np.argsort(np.argsort(keys, kind="stable"), kind="stable")
        pick = np.lexsort((rank[other], -s, node))
        first = np.ones(len(pick), dtype=bool)
        first[1:] = node[pick][1:] != node[pick][:-1]
        pick = pick[first]
        best[node[pick]] = other[pick]
        best_s[node[pick]] = s[pick]
    return best, best_s, latest


def coverage_gaps(top: np.ndarray, influence: np.ndarray, strength) -> np.ndarray:
    r"""Coverage gaps: influential people we barely reach.

    :math:`gap = (y \ge Q_{0.75}(\text{influence})) \wedge (s < 0.3)` with the defaults
    :data:`~influence.defaults.HIGH_INFLUENCE_QUANTILE` and
    :data:`~influence.defaults.WEAK_TIE`.

    Parameters
    ----------
    top : numpy.ndarray of float
        Influence of each person to judge.
    influence : numpy.ndarray of float
        Influence of everyone in the account (the quantile is over these).
    strength : array-like of float
        Coverage strength of each person to judge.

    Returns
    -------
    numpy.ndarray of bool
        Whether each is a gap.

    Examples
    --------
    The 75th percentile of ``[10, 20, 30, 40, 50]`` is 40:

    >>> infl = np.array([10.0, 20, 30, 40, 50])
    >>> coverage_gaps(infl, infl, np.array([0.0, 0, 0, 0.29, 0.3])).tolist()
    [False, False, False, True, False]

    References
    ----------
    M. Granovetter, "The Strength of Weak Ties", American Journal of Sociology 78 (1973).
    """
    with np.errstate(invalid="ignore"):
        cut = quantile(influence, HIGH_INFLUENCE_QUANTILE)
        return (top >= cut) & (np.asarray(strength) < WEAK_TIE)


def last_contact(last_ns: np.ndarray, unit: str = "ns") -> np.ndarray:
    """Latest contacts (int64 ns) as datetimes, as ``pd.to_datetime`` gives them.

    Parameters
    ----------
    last_ns : numpy.ndarray of int64
        Nanoseconds since the epoch, :data:`~influence.graph.arrays.NAT` if none.
    unit : str, default "ns"
        The resolution of the ties' timestamps (seconds when there are none).

    Returns
    -------
    numpy.ndarray of datetime64
        Of resolution ``unit``.

    Examples
    --------
    >>> from influence.graph.arrays import NAT
    >>> last_contact(np.array([86_400 * 10**9, NAT]), "s")
    array(['1970-01-02T00:00:00',                 'NaT'], dtype='datetime64[s]')
    """
    values = last_ns.view("datetime64[ns]")
    return values.astype(f"datetime64[{unit if (last_ns != NAT).any() else 's'}]")


#: Columns of :func:`stale`.
STALE_COLUMNS = [
    "id",
    "name",
    "stance",
    "influence",
    "last_contact",
    "days_since_contact",
    "strongest_internal_tie_name",
]


def stale(table: pd.DataFrame, days: float = COLD_DAYS) -> pd.DataFrame:
    """The champions and supporters our team has not been in contact with for a while.

    A customer person is stale when their stance is in
    :data:`~influence.analysis.changes.WARM_STANCES` and ``days_since_contact > days``
    or they were never contacted (module docstring).

    Parameters
    ----------
    table : pandas.DataFrame
        An influencers table (``id, name, internal, stance, influence, last_contact,
        days_since_contact, strongest_internal_tie_name`` are used).
    days : float, default :data:`~influence.defaults.COLD_DAYS`
        Days without contact after which a warm stakeholder is stale.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STALE_COLUMNS`, most influential first (then by id); empty when
        the data has no team of ours (staleness is then not applicable).

    Examples
    --------
    a (182 days) and b (never met) are stale; c was met 30 days ago; d is a blocker:

    >>> t = pd.DataFrame({"id": ["a", "b", "c", "d", "us"], "name": list("ABCDU"),
    ...     "internal": [False] * 4 + [True], "stance": ["champion", "supporter",
    ...     "champion", "blocker", ""], "influence": [90.0, 50.0, 70.0, 99.0, np.nan],
    ...     "last_contact": pd.to_datetime(["2024-01-01", None, "2024-06-01",
    ...     "2024-01-01", None]), "days_since_contact": [182.0, np.nan, 30.0, 182.0,
    ...     np.nan], "strongest_internal_tie_name": ["U", "", "U", "U", ""]})
    >>> stale(t)[["id", "days_since_contact"]]
      id  days_since_contact
    0  a               182.0
    1  b                 NaN
    """
    rows = stale_rows(table, days)
    if rows is None:
        return pd.DataFrame(columns=STALE_COLUMNS)
    # column by column: taking rows of the whole table copies every one of its columns
    return pd.DataFrame({c: table[c].array.take(rows) for c in STALE_COLUMNS})


def stale_rows(table: pd.DataFrame, days: float = COLD_DAYS) -> np.ndarray | None:
    """The rows of ``table`` that :func:`stale` lists, in its order: what the account
    summary needs of it, without building its table.

    Parameters
    ----------
    table : pandas.DataFrame
        An influencers table, as for :func:`stale`.
    days : float, default :data:`~influence.defaults.COLD_DAYS`
        As for :func:`stale`.

    Returns
    -------
    numpy.ndarray of intp or None
        Positions in ``table``; ``None`` when the data has no team of ours.

    Examples
    --------
    b (never met) is stale, a (met 10 days ago) is not:

    >>> t = pd.DataFrame({"id": ["a", "b", "us"], "internal": [False, False, True],
    ...     "stance": ["champion", "supporter", ""], "influence": [90.0, 50.0, np.nan],
    ...     "days_since_contact": [10.0, np.nan, np.nan]})
    >>> stale_rows(t).tolist(), stale_rows(t[t["id"] != "us"])
    ([1], None)
    """
    internal = table["internal"].astype(bool).to_numpy()
    if not internal.any():
        return None
    days_off = pd.to_numeric(table["days_since_contact"], errors="coerce").to_numpy(float)
    warm = np.array([s in WARM_STANCES for s in table["stance"].tolist()], dtype=bool)
    rows = np.flatnonzero(warm & ~internal & (np.isnan(days_off) | (days_off > days)))
    influence = table["influence"].to_numpy(float)
    ids = table["id"].tolist()
    # most influential first, then by id (NaN influence last)
    rows = sorted(rows, key=lambda i: (np.isnan(influence[i]), -influence[i], str(ids[i])))
    return np.asarray(rows, dtype=np.intp)
