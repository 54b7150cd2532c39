"""Predicted support: where each stakeholder's opinion settles, by Friedkin–Johnsen dynamics.

Friedkin & Johnsen ("Social influence and opinions", J. Math. Sociol. 15, 1990) model
opinions that are repeatedly averaged over the people one listens to, while each person
stays partly anchored to their own initial opinion:

.. math:: x(t+1) = \\Lambda W x(t) + (I - \\Lambda) u, \\qquad
          x^* = (I - \\Lambda W)^{-1} (I - \\Lambda) u

Here, on an account's person graph (customer people only; our team has no stance):

``W``
    row-stochastic *who listens to whom*: an edge ``j -> i`` (j influences i) of
    strength :math:`s_{ji}` gives :math:`W_{ij} = s_{ji} / \\sum_k s_{ki}`, so person
    i's opinion is shaped by the in-ties of i.
``u``
    the prior: a known stance score (−2 blocker … +2 champion) divided by 2, so
    −1..1; unknown stances start at 0 (neutral).
``Λ``
    susceptibility, a diagonal matrix. People with a recorded stance are *anchors*,
    :data:`ANCHOR_SUSCEPTIBILITY` = 0.2 (stubborn: 80 % of their opinion is what they
    told us); people with no recorded stance are fully susceptible,
    :data:`UNKNOWN_SUSCEPTIBILITY` = 1 (their opinion is what those they listen to
    think). People with no in-ties have nobody to listen to and keep their prior
    (λ = 0). A fully susceptible person whom no anchored person reaches (through the
    people they listen to) would make :math:`I - \\Lambda W` singular; they keep their
    prior too, with confidence 0.

The solution is :math:`x^* = V u` with :math:`V = (I - \\Lambda W)^{-1}(I - \\Lambda)`,
whose rows sum to 1: :math:`V_{ij}` is the share of i's settled opinion that comes from
j's prior. ``confidence`` of a person with an unknown stance is the share coming from
people with a *known* stance, :math:`\\sum_{j \\text{ known}} V_{ij}`; it is 1 for
anchors (we were told their stance).

Reference for the example in the tests: Friedkin & Johnsen, "Social influence networks
and opinion change", Advances in Group Processes 16 (1999), the four-person group with
initial opinions (25, 25, 75, 85) that settles at (60, 60, 75, 75).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.reproducible import single_threaded

ANCHOR_SUSCEPTIBILITY = 0.2
UNKNOWN_SUSCEPTIBILITY = 1.0
SUPPORT_COLUMNS = ["id", "name", "known_stance", "predicted_support", "confidence"]


def friedkin_johnsen(w: np.ndarray, u: np.ndarray, susceptibility: np.ndarray) -> np.ndarray:
    """The influence matrix :math:`V = (I - \\Lambda W)^{-1}(I - \\Lambda)`; ``V @ u`` is x*.

    ``w`` must be row-stochastic (or have zero rows where λ = 0), ``susceptibility`` is
    the diagonal of Λ. Rows that no λ < 1 person reaches are set to keep their prior
    (their row of V is the unit vector), so V always exists.

    Examples
    --------
    Two people: b listens only to a (λ_b = 1), a keeps her opinion (no in-ties, λ_a = 0).

    >>> w = np.array([[0.0, 0.0], [1.0, 0.0]])
    >>> v = friedkin_johnsen(w, np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    >>> (v @ np.array([1.0, 0.0])).tolist()
    [1.0, 1.0]
    """
    w = np.asarray(w, float)
    lam = np.asarray(susceptibility, float).copy()
    n = len(lam)
    # Who can reach an anchor (λ < 1) by following whom they listen to?
    listens = nx.DiGraph()
    listens.add_nodes_from(range(n))
    listens.add_edges_from(zip(*np.nonzero(w)))
    anchored = {i for i in range(n) if lam[i] < 1}
    reach = set(anchored)
    for a in anchored:
        reach |= nx.ancestors(listens, a)
    cut = np.array([i not in reach for i in range(n)], bool)
    w = w.copy()
    w[cut] = 0.0
    lam[cut] = 0.0
    a = np.eye(n) - lam[:, None] * w
    with single_threaded():  # LAPACK rounding depends on the BLAS thread count
        return np.linalg.solve(a, np.diag(1.0 - lam))


def listen_matrix(g: nx.DiGraph, nodes: list) -> np.ndarray:
    """Row-stochastic W: row i holds i's in-ties ``j -> i`` weighted by strength."""
    idx = {v: k for k, v in enumerate(nodes)}
    w = np.zeros((len(nodes), len(nodes)))
    for a, b, s in g.edges(data="strength", default=1.0):
        if a in idx and b in idx and a != b:
            w[idx[b], idx[a]] += float(s)
    rows = w.sum(axis=1)
    w[rows > 0] /= rows[rows > 0, None]
    return w


def support(
    g: nx.DiGraph,
    overrides: dict | None = None,
    anchor_susceptibility: float = ANCHOR_SUSCEPTIBILITY,
    unknown_susceptibility: float = UNKNOWN_SUSCEPTIBILITY,
) -> pd.DataFrame:
    """Predicted support of every customer person (see the module docstring).

    Parameters
    ----------
    g : person graph; nodes with ``internal`` true are left out, ``stance_score``
        (−2..2 or NaN) gives the prior.
    overrides : ``{id: stance_score}`` to use instead of the recorded stance (what-if).
    anchor_susceptibility, unknown_susceptibility : λ for known and unknown stances.

    Returns a DataFrame with columns ``id, name, known_stance`` (the stance score used,
    −2..2, NaN when unknown), ``predicted_support`` (−1 against … +1 for) and
    ``confidence`` (0..1), sorted by id.

    Examples
    --------
    A champion (+2) and a skeptic (−1) both advise c, the champion twice as strongly:
    c settles at (2/3)(1) + (1/3)(−0.5) = 0.5.

    >>> g = nx.DiGraph()
    >>> g.add_node("a", stance_score=2.0)
    >>> g.add_node("b", stance_score=-1.0)
    >>> g.add_node("c", stance_score=float("nan"))
    >>> g.add_edge("a", "c", strength=0.8)
    >>> g.add_edge("b", "c", strength=0.4)
    >>> support(g)[["id", "predicted_support", "confidence"]].round(3)
      id  predicted_support  confidence
    0  a                1.0         1.0
    1  b               -0.5         1.0
    2  c                0.5         1.0
    """
    nodes = sorted((v for v, d in g.nodes(data=True) if not d.get("internal")), key=str)
    score = pd.Series({v: g.nodes[v].get("stance_score", np.nan) for v in nodes}, dtype=float)
    for k, v in (overrides or {}).items():
        if k in score.index:
            score[k] = v
    known = score.notna().to_numpy()
    u = np.where(known, score.fillna(0).to_numpy(float) / 2, 0.0)
    w = listen_matrix(g, nodes)
    lam = np.where(known, anchor_susceptibility, unknown_susceptibility)
    lam[w.sum(axis=1) == 0] = 0.0
    v = friedkin_johnsen(w, u, lam) if nodes else np.zeros((0, 0))
    x = v @ u
    conf = np.where(known, 1.0, v[:, known].sum(axis=1) if len(nodes) else 0.0)
    return pd.DataFrame(
        {
            "id": nodes,
            "name": [g.nodes[n].get("name", "") for n in nodes],
            "known_stance": score.to_numpy(float),
            "predicted_support": np.clip(x, -1, 1),
            "confidence": np.clip(conf, 0, 1),
        },
        columns=SUPPORT_COLUMNS,
    )


def overall_support(support: pd.DataFrame, influence: pd.Series) -> float:
    """Influence-weighted mean predicted support: :math:`\\sum_i I_i x_i / \\sum_i I_i`.

    ``influence`` is indexed by id (people missing from it weigh 0). Returns 0 when no
    one has influence.

    Examples
    --------
    >>> s = pd.DataFrame({"id": ["a", "b"], "predicted_support": [1.0, -0.5]})
    >>> overall_support(s, pd.Series({"a": 30.0, "b": 90.0}))
    -0.125
    """
    w = influence.reindex(support["id"]).fillna(0).to_numpy(float)
    if w.sum() <= 0:
        return 0.0
    return float(np.dot(w, support["predicted_support"].to_numpy(float)) / w.sum())
