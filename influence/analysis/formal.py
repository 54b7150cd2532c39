"""Formal versus informal influence: hidden influencers.

Krackhardt & Hanson ("Informal networks: the company behind the chart", Harvard
Business Review, 1993) show that the people who move decisions are often not the ones
high on the org chart. We flag them by comparing network influence with what formal
level predicts:

1. the formal level is the ``level`` column (1 = top) or else the depth in the
   ``reports_to`` tree (a root is level 1);
2. an ordinary least-squares line ``influence ~ level`` is fitted over people with a
   known level;
3. a person is a *hidden influencer* when their residual is at least
   ``z`` (default 1.5) standard deviations above the line, their influence is in the
   account's top quartile, **and** they are below the top two formal levels of the
   account (an influential CEO or VP is expected, not hidden).

So detection cannot flag anyone with two formal levels or fewer, with fewer than five
people of known level, or with neither ``level`` nor ``reports_to`` recorded (everyone
is then a root, level 1). :func:`hidden_caveat` says which, for the CLI, ``summary.csv``
and the report, rather than reporting "no hidden influencers" as if it had looked.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.metrics import quantile
from influence.defaults import HIDDEN_Z, HIGH_INFLUENCE_QUANTILE

__all__ = [
    "formal_levels",
    "levels_of",
    "hidden_caveat",
    "hidden_influencers",
    "hidden_of",
]


def formal_levels(g: nx.DiGraph) -> pd.Series:
    """Formal level per node: the ``level`` attribute, else depth in the reports_to tree.

    A root of the tree (no known manager) is level 1; a report is one below its manager.

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph (nodes with ``reports_to`` and ``level`` attributes).

    Returns
    -------
    pandas.Series of float
        The level of each node, in node order.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_nodes_from([("ceo", {"reports_to": ""}), ("vp", {"reports_to": "ceo"}),
    ...                   ("ic", {"reports_to": "vp", "level": 5.0})])
    >>> formal_levels(g).to_dict()
    {'ceo': 1.0, 'vp': 2.0, 'ic': 5.0}
    """
    nodes = list(g)
    levels = levels_of(
        nodes,
        [d.get("reports_to") for _, d in g.nodes(data=True)],
        [d.get("level") for _, d in g.nodes(data=True)],
    )
    return pd.Series(dict(zip(nodes, levels.tolist())), dtype=float)


def levels_of(ids: list, reports_to: list, level: list) -> np.ndarray:
    """Formal level of each node (see :func:`formal_levels`) from its attributes.

    Parameters
    ----------
    ids : list
        Node ids.
    reports_to : list
        Each node's manager (``None`` or ``""`` for none; a manager not in ``ids`` counts
        as none).
    level : list
        Each node's recorded level (``None`` or NaN where unknown).

    Returns
    -------
    numpy.ndarray of float
        The recorded level, else the depth in the reports_to tree (a root is 1). A cycle
        is walked once and does not loop.

    Examples
    --------
    >>> levels_of(["a", "b", "c", "d"], ["", "a", "b", "zz"], [None, None, None, 3.0]).tolist()
    [1.0, 2.0, 3.0, 3.0]
    """
    boss = {v: b or None for v, b in zip(ids, reports_to)}
    depth: dict = {}

    def level_of(v) -> float:
        if v not in depth:
            chain, b = [v], boss.get(v)
            on_chain = {v}  # a set: a chain 100,000 deep is walked once, not squared
            while b is not None and b in boss and b not in depth and b not in on_chain:
                chain.append(b)
                on_chain.add(b)
                b = boss.get(b)
            base = depth.get(b, 0.0) if b is not None else 0.0
            for i, x in enumerate(reversed(chain)):
                depth[x] = base + i + 1
        return depth[v]

    return np.array(
        [
            float(lv) if lv is not None and lv == lv else float(level_of(v))
            for v, lv in zip(ids, level)
        ],
        dtype=float,
    )


def hidden_caveat(level: np.ndarray, recorded: bool) -> str:
    """Why hidden-influencer detection cannot run on these formal levels ("" if it can).

    Parameters
    ----------
    level : numpy.ndarray of float
        Formal level per customer person (NaN where unknown), as :func:`levels_of`.
    recorded : bool
        Whether any customer person has a ``level`` or a ``reports_to``.

    Returns
    -------
    str
        The reason (no levels recorded, at most two formal levels, fewer than five people
        with a level), or ``""``.

    Examples
    --------
    >>> hidden_caveat(np.array([1.0, 2, 2, 2, 2]), True).split(": ")[1]
    'only 2 formal levels (the top two are never hidden, so at least 3 are needed)'
    >>> hidden_caveat(np.array([1.0, 1, 1]), False)
    'hidden influencers not detected: no formal levels recorded (no level or reports_to)'
    >>> hidden_caveat(np.array([1.0, 2, 3, 3, 4]), True)
    ''
    """
    if not recorded:
        return "hidden influencers not detected: no formal levels recorded (no level or reports_to)"
    known = np.asarray(level, dtype=float)
    known = known[~np.isnan(known)]
    n = len(np.unique(known))
    if n <= 2:
        return (
            f"hidden influencers not detected: only {n} formal level{'s' * (n != 1)} "
            "(the top two are never hidden, so at least 3 are needed)"
        )
    if len(known) < 5:
        return "hidden influencers not detected: fewer than 5 people with a formal level"
    return ""


def hidden_influencers(
    influence: pd.Series,
    level: pd.Series,
    z: float = HIDDEN_Z,
    min_quantile: float = HIGH_INFLUENCE_QUANTILE,
) -> pd.Series:
    r"""Boolean per person: influence well above what formal level predicts.

    With the least-squares line :math:`\hat y = a x + b` of influence :math:`y` on level
    :math:`x` and residuals :math:`r = y - \hat y` of standard deviation :math:`\sigma_r`,
    a person is hidden when

    .. math:: r \ge z\,\sigma_r, \quad y \ge Q_{q}(y), \quad x > x_{(2)}

    (:math:`Q_q` the ``min_quantile`` quantile of influence, :math:`x_{(2)}` the second
    formal level from the top; module docstring).

    Parameters
    ----------
    influence : pandas.Series
        Influence per person id.
    level : pandas.Series
        Formal level per person id (NaN where unknown).
    z : float, default :data:`~influence.defaults.HIDDEN_Z`
        Residual threshold in standard deviations.
    min_quantile : float, default :data:`~influence.defaults.HIGH_INFLUENCE_QUANTILE`
        Influence quantile a hidden influencer must reach.

    Returns
    -------
    pandas.Series of bool
        Indexed like ``influence``.

    Examples
    --------
    Influence falls with level, except for h, a level-4 person as influential as the
    top; a (level 1) is influential as expected:

    >>> infl = pd.Series([90, 60, 50, 20, 15, 10, 12, 85], index=list("abcdefgh"), dtype=float)
    >>> lvl = pd.Series([1, 2, 2, 3, 3, 4, 4, 4], index=list("abcdefgh"), dtype=float)
    >>> hidden_influencers(infl, lvl).loc[lambda s: s].index.tolist()
    ['h']

    References
    ----------
    D. Krackhardt and J. R. Hanson, "Informal networks: the company behind the chart",
    Harvard Business Review 71 (1993).
    """
    level = level.reindex(influence.index)
    hidden = hidden_of(influence.to_numpy(float), level.to_numpy(float), z, min_quantile)
    return pd.Series(hidden, index=influence.index)


def hidden_of(
    influence: np.ndarray,
    level: np.ndarray,
    z: float = HIDDEN_Z,
    min_quantile: float = HIGH_INFLUENCE_QUANTILE,
) -> np.ndarray:
    """:func:`hidden_influencers` on arrays (one value per person, in the same order).

    Parameters
    ----------
    influence, level : numpy.ndarray of float
        Influence and formal level per person (NaN where unknown).
    z, min_quantile : float
        As for :func:`hidden_influencers`.

    Returns
    -------
    numpy.ndarray of bool
        Whether each person is a hidden influencer (all false with fewer than five known
        levels or a single level).

    Examples
    --------
    >>> infl = np.array([90, 60, 50, 20, 15, 10, 12, 85], dtype=float)
    >>> hidden_of(infl, np.array([1, 2, 2, 3, 3, 4, 4, 4], dtype=float)).nonzero()[0].tolist()
    [7]
    >>> bool(hidden_of(infl, np.ones(8)).any())  # one level: nothing to compare
    False
    """
    known = ~np.isnan(level) & ~np.isnan(influence)
    flag = np.zeros(len(influence), dtype=bool)
    x, y = level[known], influence[known]
    if known.sum() < 5 or np.ptp(x) == 0:
        return flag
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (slope * x + intercept)
    sd = resid.std()
    if sd == 0:
        return flag
    hidden = (resid >= z * sd) & (y >= quantile(influence, min_quantile)) & (x > np.unique(x)[1])
    flag[known] = hidden
    return flag
