"""Next moves: the people whose support would lift the account most if won over.

For every customer person who is not already a champion, the support model
(:mod:`influence.analysis.support`) is solved again with that person won over, anchored
at +1, the top of the support scale (stance score 2, so a supporter can still gain).
The *gain* is the rise in the influence-weighted overall support

.. math:: g_c = \\bar x(\\text{c won over}) - \\bar x, \\qquad
          \\bar x = \\frac{\\sum_i I_i x_i}{\\sum_i I_i}

All gains come from one factorization (:func:`~influence.analysis.support.win_over_gains`).
When no customer person has a recorded stance, or every gain is equal within
:data:`~influence.defaults.EQUAL_GAINS`, the gains rank nothing: the rows are then
ordered by influence, then id, and their reason says so (:data:`NO_STANCES`,
:data:`EQUAL_GAINS_REASON`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import networkx as nx
import pandas as pd

from influence.analysis.support import overall_support, support, win_over_gains
from influence.defaults import EQUAL_GAINS, SWAY_MIN
from influence.graph.arrays import PersonArrays

__all__ = ["MOVES_COLUMNS", "NO_STANCES", "EQUAL_GAINS_REASON", "next_moves", "sways"]

#: The reason of every move when no customer person has a recorded stance.
NO_STANCES = "no stances recorded: ranked by influence"
#: The reason of every move when every gain is equal within EQUAL_GAINS.
EQUAL_GAINS_REASON = "every gain equal: ranked by influence"
#: The columns of :func:`next_moves`.
MOVES_COLUMNS = [
    "rank", "id", "name", "stance", "influence", "predicted_support", "gain",
    "overall_after", "path", "path_names", "path_strength", "reason",
]  # fmt: skip

#: ``warm_paths(ids) -> {id: (ids, names, strength)}``: the best warm path to each person.
WarmPaths = Callable[[list], Mapping[str, tuple[list, list, float]]]


def next_moves(
    g: nx.DiGraph | PersonArrays,
    influencers: pd.DataFrame,
    predicted: pd.DataFrame,
    k: int = 5,
    warm_paths: WarmPaths | None = None,
    listen=None,
) -> pd.DataFrame:
    r"""The ``k`` people whose support would lift the account most if won over.

    .. math:: g_c = \bar x(\text{c anchored at stance score 2}) - \bar x

    Parameters
    ----------
    g : networkx.DiGraph or influence.graph.arrays.PersonArrays
        The person graph (or its arrays) the support model is solved on.
    influencers : pandas.DataFrame
        The influencer table: ``id, name, internal, stance, influence`` and
        ``stance_score`` (−2..2, NaN unknown) of every person.
    predicted : pandas.DataFrame
        :func:`~influence.analysis.support.support` of ``g`` (``id``,
        ``predicted_support``).
    k : int
        How many moves.
    warm_paths : callable, optional
        ``warm_paths(ids) -> {id: (ids, names, strength)}``: the best warm path from our
        team to each person (``([], [], 0.0)`` if none), asked once for the ``k`` moves;
        without it no move has a path.
    listen : optional
        :func:`~influence.analysis.support.listen_matrix` of ``g``, if already built.

    Returns
    -------
    pandas.DataFrame
        :data:`MOVES_COLUMNS`: ``rank, id, name, stance, influence, predicted_support,
        gain, overall_after`` (:math:`\bar x + g_c`), ``path``, ``path_names``,
        ``path_strength`` and a ``reason`` in words (with :func:`sways`); largest gain
        first, ties by id; ordered by influence then id when the gains rank nothing.

    Examples
    --------
    A chain a → b → c (a influences b, b influences c) with influence 100, 50, 10; a a
    blocker (prior −1), b unknown, c a supporter (+0.5). Overall support is
    (−100 − 50 + 10 · 0.2) / 160 = −0.925. Won over, a takes b (who listens only to a)
    and part of c along: (100 + 50 + 10 · 0.6) / 160, a gain of 1.9; b, anchored at +1,
    settles at 0.2 · (−1) + 0.8 = 0.6, a gain of 0.52; c alone gains 0.025:

    >>> nan = float("nan")
    >>> g = nx.DiGraph()
    >>> for v, st in (("a", -2.0), ("b", nan), ("c", 1.0)):
    ...     g.add_node(v, internal=False, stance_score=st)
    >>> g.add_edge("a", "b", strength=1.0)
    >>> g.add_edge("b", "c", strength=1.0)
    >>> inf = pd.DataFrame({"id": list("abc"), "name": list("ABC"), "internal": False,
    ...     "stance": ["blocker", "", "supporter"], "influence": [100.0, 50.0, 10.0],
    ...     "stance_score": [-2.0, nan, 1.0]})
    >>> from influence.analysis.support import support
    >>> next_moves(g, inf, support(g), k=2)["id"].tolist()
    ['a', 'b']

    References
    ----------
    N. E. Friedkin & E. C. Johnsen, "Social influence and opinions", J. Math. Sociol.
    15 (1990) 193–206; J. Sherman & W. J. Morrison, "Adjustment of an inverse matrix
    corresponding to a change in one element of a given matrix", Ann. Math. Stat. 21
    (1950) 124–127.
    """
    ext = influencers[~influencers["internal"].astype(bool)]
    weight = ext.set_index("id")["influence"]
    now = predicted.set_index("id")["predicted_support"]
    base = overall_support(predicted, weight)
    cands = ext[ext["stance"] != "champion"]
    ids = list(cands["id"])
    # Degenerate gains (no stance recorded: nothing to spread; or every gain equal) rank
    # nothing: say so, and order by influence then id. Only gains that may rank are solved.
    stances = ext["stance_score"] if "stance_score" in ext else pd.Series(dtype=float)
    unranked = ""
    if not pd.to_numeric(stances, errors="coerce").notna().any():
        unranked = NO_STANCES
        first = sorted(cands.itertuples(), key=lambda r: (-r.influence, str(r.id)))[:k]
        gains = win_over_gains(g, weight, [r.id for r in first], listen=listen)
    else:
        gains = win_over_gains(g, weight, ids, score=2.0, top=k, listen=listen)
        if len(gains) and gains.max() - gains.min() <= EQUAL_GAINS:
            gains = win_over_gains(g, weight, ids, score=2.0, listen=listen)  # all of them
            if gains.max() - gains.min() <= EQUAL_GAINS:
                unranked = EQUAL_GAINS_REASON
    rows = [
        (r.id, r.name, r.stance, r.influence, gains[r.id], base + gains[r.id])
        for r in cands.itertuples()
        if r.id in gains.index
    ]
    if unranked:
        rows.sort(key=lambda x: (-x[3], str(x[0])))
    else:
        rows.sort(key=lambda x: (-round(x[4], 12), str(x[0])))
    rows = rows[:k]
    paths = warm_paths([row[0] for row in rows]) if warm_paths else {}
    out = []
    for rank, (pid, name, stance, infl, gain, after) in enumerate(rows, 1):
        path, names, strength = paths.get(pid, ([], [], 0.0))
        via = f"warm path {' → '.join(names)} ({strength:.2f})" if names else "no warm path"
        if unranked:
            reason = f"{unranked}; {stance or 'unknown stance'}, influence {infl:.0f}; {via}"
        else:
            n = sways(g, pid, now, listen=listen)
            reason = (
                f"{stance or 'unknown stance'}, influence {infl:.0f}: winning them over "
                f"moves overall support {base:+.2f} → {after:+.2f} and sways {n} "
                f"other{'s' if n != 1 else ''}; {via}"
            )
        out.append(
            (rank, pid, name, stance, infl, float(now.at[pid]), gain, after, path, names,
             strength, reason)
        )  # fmt: skip
    return pd.DataFrame(out, columns=MOVES_COLUMNS)


def sways(g: nx.DiGraph | PersonArrays, pid: str, now: pd.Series, listen=None) -> int:
    """How many others' predicted support rises by more than
    :data:`~influence.defaults.SWAY_MIN` if ``pid`` is won over (stance score 2).

    Parameters
    ----------
    g : networkx.DiGraph or influence.graph.arrays.PersonArrays
        The person graph (or its arrays).
    pid : str
        The person won over.
    now : pandas.Series
        Predicted support by id before (:func:`~influence.analysis.support.support`).
    listen : optional
        :func:`~influence.analysis.support.listen_matrix` of ``g``, if already built.

    Returns
    -------
    int
        The number of other customer people whose support rises by more than SWAY_MIN.

    Examples
    --------
    a → b → c, with only c's stance recorded (neutral): everyone's support is 0. With a
    anchored at +1, b (who listens only to a) follows to +1 and c, an anchor of
    susceptibility 0.2, to 0.2 × 1 = 0.2; both rise by more than 0.05:

    >>> nan = float("nan")
    >>> g = nx.DiGraph()
    >>> for v, st in (("a", nan), ("b", nan), ("c", 0.0)):
    ...     g.add_node(v, internal=False, stance_score=st)
    >>> g.add_edge("a", "b", strength=1.0)
    >>> g.add_edge("b", "c", strength=1.0)
    >>> from influence.analysis.support import support
    >>> sways(g, "a", support(g).set_index("id")["predicted_support"])
    2
    """
    moved = support(g, overrides={pid: 2.0}, listen=listen).set_index("id")
    return int(((moved["predicted_support"] - now).drop(pid) > SWAY_MIN).sum())
