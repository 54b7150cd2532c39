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
    :data:`~influence.defaults.ANCHOR_SUSCEPTIBILITY` = 0.2 (stubborn: 80 % of
    their opinion is what they told us); people with no recorded stance are fully
    susceptible, :data:`~influence.defaults.UNKNOWN_SUSCEPTIBILITY` = 1 (their
    opinion is what those they listen to
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

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.reproducible import single_threaded
from influence.defaults import ANCHOR_SUSCEPTIBILITY, UNKNOWN_SUSCEPTIBILITY
from influence.graph.arrays import PersonArrays, from_graph
from influence.io.tables import STANCE_LABELS

__all__ = [
    "SUPPORT_COLUMNS",
    "customer_nodes",
    "friedkin_johnsen",
    "listen_matrix",
    "model_inputs",
    "support",
    "overall_support",
    "support_words",
    "win_over_gains",
]

#: The columns of :func:`support`.
SUPPORT_COLUMNS = ["id", "name", "known_stance", "predicted_support", "confidence"]
DIRECT_MAX = 1500  # people up to which systems are solved by sparse LU, above by GMRES
GMRES_RTOL = 1e-13  # relative residual of the iterative solves (results equal within 1e-9)
#: GMRES restarts (of 100 iterations) before a solve falls back to sparse LU, which then
#: serves every later solve of the system: a long chain of people who listen to one
#: another (a deep reporting line) converges slowly, and its LU has no fill-in.
GMRES_RESTARTS = 20
_BLOCK = 256  # right-hand sides per solve when the diagonal of A^-1 is needed


def _reaches_anchor(w, lam: np.ndarray) -> np.ndarray:
    """Who can reach an anchor (λ < 1) by following whom they listen to (``w[i, j] ≠ 0``:
    i listens to j): one breadth-first search from all anchors at once, over the reversed
    listening edges, from a virtual source tied to every anchor."""
    from scipy import sparse
    from scipy.sparse.csgraph import breadth_first_order

    n = len(lam)
    w = sparse.csr_matrix(w)
    rows, cols = w.nonzero()
    anchors = np.flatnonzero(lam < 1)
    # Reversed edges j -> i (i listens to j), plus source n -> every anchor.
    src = np.concatenate([cols, np.full(len(anchors), n)])
    dst = np.concatenate([rows, anchors])
    g = sparse.csr_matrix((np.ones(len(src)), (src, dst)), shape=(n + 1, n + 1))
    reached = breadth_first_order(g, n, directed=True, return_predecessors=False)
    reach = np.zeros(n + 1, bool)
    reach[reached] = True
    return reach[:n]


class _Solver:
    """Solves :math:`A x = b` (or :math:`A^T x = b`) for a sparse non-singular ``A``:
    sparse LU factors (computed once) up to :data:`DIRECT_MAX` unknowns, GMRES to a
    relative residual of :data:`GMRES_RTOL` above, where LU fill-in on a densely tied
    account costs more than the whole analysis; if GMRES does not converge within
    :data:`GMRES_RESTARTS` restarts, LU after all (kept for the later solves)."""

    def __init__(self, a):
        from scipy.sparse.linalg import splu

        self.a = a.tocsr()
        self.n = a.shape[0]
        self.lu = splu(a.tocsc()) if 0 < self.n <= DIRECT_MAX else None

    def solve(self, b: np.ndarray, trans: str = "N") -> np.ndarray:
        with single_threaded():  # BLAS rounding depends on the thread count
            return self._solve(b, trans)

    def _solve(self, b: np.ndarray, trans: str) -> np.ndarray:
        from scipy.sparse.linalg import gmres

        b = np.asarray(b, float)
        if self.n == 0:
            return np.zeros_like(b)
        if self.lu is not None:
            return self.lu.solve(b, trans=trans)
        a = self.a.T.tocsr() if trans == "T" else self.a
        cols = b.reshape(self.n, -1)
        out = np.empty_like(cols)
        for j in range(cols.shape[1]):
            x, info = gmres(a, cols[:, j], rtol=GMRES_RTOL, atol=0.0, restart=100,
                            maxiter=GMRES_RESTARTS)  # fmt: skip
            if info != 0:  # not converged: the exact factorization, kept for what follows
                from scipy.sparse.linalg import splu

                self.lu = splu(self.a.tocsc())
                out[:, j:] = self.lu.solve(np.ascontiguousarray(cols[:, j:]), trans=trans)
                break
            out[:, j] = x
        return out.reshape(b.shape)


@dataclass
class _System:
    """The system :math:`A x = (I - \\Lambda) u`, :math:`A = I - \\Lambda W`, with the
    rows of people who reach no anchor replaced by unit rows (they keep their prior)."""

    w: object  # scipy.sparse.csr_matrix, the listening weights (cut rows included)
    lam: np.ndarray  # λ after the cut
    cut: np.ndarray  # bool: reaches no anchor
    solver: _Solver

    @classmethod
    def build(cls, w, lam: np.ndarray) -> _System:
        from scipy import sparse

        w = sparse.csr_matrix(w, dtype=float)
        lam = np.asarray(lam, float).copy()
        n = len(lam)
        cut = ~_reaches_anchor(w, lam) if n else np.zeros(0, bool)
        lam[cut] = 0.0
        a = sparse.identity(n, format="csr") - sparse.diags(lam) @ w
        return cls(w, lam, cut, _Solver(a))

    def solve(self, b: np.ndarray, trans: str = "N") -> np.ndarray:
        return self.solver.solve(b, trans)


def friedkin_johnsen(w, u: np.ndarray, susceptibility: np.ndarray) -> np.ndarray:
    r"""The influence matrix :math:`V = (I - \Lambda W)^{-1}(I - \Lambda)`; ``V @ u`` is x*.

    Rows that no λ < 1 person reaches are set to keep their prior (their row of V is the
    unit vector), so V always exists. V is dense (n × n); :func:`support` never forms it
    and solves for ``V @ u`` directly.

    Parameters
    ----------
    w : numpy.ndarray or scipy.sparse matrix
        Row-stochastic W (or with zero rows where λ = 0), n × n.
    u : numpy.ndarray
        The priors. Not used: V does not depend on them (x* is ``V @ u``).
    susceptibility : numpy.ndarray
        The diagonal of Λ.

    Returns
    -------
    numpy.ndarray
        V, n × n, rows summing to 1.

    Examples
    --------
    Two people: b listens only to a (λ_b = 1), a keeps her opinion (no in-ties, λ_a = 0),
    so b's settled opinion is a's: :math:`V = \begin{pmatrix} 1 & 0 \\ 1 & 0 \end{pmatrix}`.

    >>> w = np.array([[0.0, 0.0], [1.0, 0.0]])
    >>> v = friedkin_johnsen(w, np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    >>> v.tolist(), (v @ np.array([1.0, 0.0])).tolist()
    ([[1.0, 0.0], [1.0, 0.0]], [1.0, 1.0])

    References
    ----------
    N. E. Friedkin and E. C. Johnsen, "Social influence networks and opinion change",
    Advances in Group Processes 16 (1999).
    """
    s = _System.build(w, susceptibility)
    return s.solve(np.diag(1.0 - s.lam))


def _arrays(g) -> PersonArrays:
    """``g`` as arrays: a person graph is converted, arrays are taken as they are."""
    return g if isinstance(g, PersonArrays) else from_graph(g)


def _customers(p: PersonArrays) -> np.ndarray:
    """Positions in ``p`` of the customer's people (``internal`` false), by ``str(id)``."""
    order = p.str_order()
    return order[~p.internal[order]]


def customer_nodes(g: nx.DiGraph | PersonArrays) -> list:
    """The people the support model covers (``internal`` false), sorted by ``str(id)``:
    the rows of :func:`listen_matrix` that :func:`support` uses.

    Parameters
    ----------
    g : networkx.DiGraph or influence.graph.arrays.PersonArrays
        A person graph (node attribute ``internal`` true for our own team), or its arrays.

    Returns
    -------
    list
        The customer's people, ordered by ``str(id)``.

    Examples
    --------
    >>> g = nx.DiGraph([("u", "b"), ("b", "a")])
    >>> g.nodes["u"]["internal"] = True
    >>> customer_nodes(g)
    ['a', 'b']
    """
    p = _arrays(g)
    return p.ids[_customers(p)].tolist()


def listen_matrix(g: nx.DiGraph | PersonArrays, nodes: list | None = None):
    r"""Row-stochastic W: row i holds i's in-ties ``j -> i`` weighted by strength.

    .. math:: W_{ij} = \frac{s_{ji}}{\sum_k s_{ki}}

    (ties to or from people outside ``nodes`` and self-loops dropped; a person without
    in-ties has a zero row).

    Parameters
    ----------
    g : networkx.DiGraph or influence.graph.arrays.PersonArrays
        A person graph (edge attribute ``strength``, default 1), or its arrays.
    nodes : list, optional
        The people, in the order of W's rows and columns (default: the customer's
        people, :func:`customer_nodes`).

    Returns
    -------
    scipy.sparse.csr_matrix
        W, ``len(nodes)`` square.

    Examples
    --------
    c listens to a (0.8) and b (0.4); a and b listen to nobody:

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "c", strength=0.8)
    >>> g.add_edge("b", "c", strength=0.4)
    >>> listen_matrix(g, ["a", "b", "c"]).toarray().round(4).tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.6667, 0.3333, 0.0]]
    """
    from scipy import sparse

    p = _arrays(g)
    if nodes is None:
        pos = _customers(p)
    else:
        index = {v: i for i, v in enumerate(p.ids.tolist())}
        pos = np.array([index[v] for v in nodes], dtype=np.int64)
    n = len(pos)
    if n == 0:
        return sparse.csr_matrix((0, 0))
    local = np.full(p.n, -1, dtype=np.int64)
    local[pos] = np.arange(n)
    # Self-loops and ties of strength 0 are no entries of W.
    keep = (local[p.src] >= 0) & (local[p.dst] >= 0) & (p.src != p.dst) & (p.strength != 0)
    # a[j, i] = strength of j -> i; its transpose puts i's in-ties in row i, each row's
    # entries by column (the transposition sorts them), whatever the edge order.
    rows, cols = local[p.src[keep]], local[p.dst[keep]]
    a = sparse.coo_array((p.strength[keep], (rows, cols)), shape=(n, n)).asformat("csr")
    w = sparse.csr_matrix(a.T, dtype=float)
    tot = np.asarray(w.sum(axis=1)).ravel()
    scale = np.divide(1.0, tot, out=np.zeros(n), where=tot > 0)
    return sparse.csr_matrix(sparse.diags(scale) @ w)


@dataclass
class _Model:
    """The support model of one person graph: people, priors, λ and the factorized system."""

    nodes: list
    score: np.ndarray  # stance score used (−2..2, NaN unknown)
    u: np.ndarray
    lam0: np.ndarray  # λ before the cut (what an override changes)
    system: _System

    names: list  # the people's names, in the order of ``nodes``

    @classmethod
    def of(
        cls, g: nx.DiGraph | PersonArrays, overrides: dict | None, anchor: float,
        unknown: float, w=None,
    ) -> _Model:  # fmt: skip
        p = _arrays(g)
        ext = _customers(p)
        nodes = p.ids[ext].tolist()
        recorded = p.attrs.get("stance_score")
        score = np.array([recorded[i] for i in ext] if recorded else np.full(len(ext), np.nan),
                         dtype=float)  # fmt: skip
        pos = {v: k for k, v in enumerate(nodes)}
        for k, v in (overrides or {}).items():
            if k in pos:
                score[pos[k]] = v
        known = ~np.isnan(score)
        u = np.where(known, np.nan_to_num(score) / 2, 0.0)
        w = listen_matrix(p) if w is None else w
        lam = np.where(known, anchor, unknown)
        lam[w.getnnz(axis=1) == 0] = 0.0
        names = [p.name[i] for i in ext]
        return cls(nodes, score, u, lam, _System.build(w, lam), names)


def model_inputs(
    g: nx.DiGraph,
    anchor_susceptibility: float = ANCHOR_SUSCEPTIBILITY,
    unknown_susceptibility: float = UNKNOWN_SUSCEPTIBILITY,
) -> dict[str, object]:
    r"""The inputs of :func:`support` as plain lists, for solving the model elsewhere.

    The interactive map's what-if solves it again in the browser. A stance override of
    person i sets ``prior[i]`` to score / 2 (0 when unknown) and ``susceptibility[i]`` to
    the anchor (unknown) susceptibility, or 0 when row i of W is empty; then every person
    who reaches no anchor keeps their prior and
    :math:`(I - \Lambda W) x = (I - \Lambda) u` is solved.

    Parameters
    ----------
    g : networkx.DiGraph or influence.graph.arrays.PersonArrays
        A person graph or its arrays, as for :func:`support`.
    anchor_susceptibility : float, default :data:`~influence.defaults.ANCHOR_SUSCEPTIBILITY`
        λ of people with a known stance.
    unknown_susceptibility : float, default :data:`~influence.defaults.UNKNOWN_SUSCEPTIBILITY`
        λ of people with an unknown stance.

    Returns
    -------
    dict
        ``ids`` (customer people, sorted as in :func:`support`), ``score`` (the recorded
        stance score, −2..2, ``None`` when unknown), ``prior`` (u), ``susceptibility``
        (λ before people who reach no anchor are cut; 0 without in-ties), ``weights`` (W
        as ``[i, j, w_ij]`` triplets, row by row: i listens to j with weight w_ij) and
        the two susceptibilities an override uses (``anchor_susceptibility``,
        ``unknown_susceptibility``).

    Examples
    --------
    b listens only to a (so :math:`W_{ba} = 1`); a has no in-ties (λ = 0), b no stance
    (λ = 1):

    >>> g = nx.DiGraph()
    >>> g.add_node("a", stance_score=2.0)
    >>> g.add_node("b", stance_score=float("nan"))
    >>> g.add_edge("a", "b", strength=0.5)
    >>> m = model_inputs(g)
    >>> m["ids"], m["score"], m["prior"], m["susceptibility"], m["weights"]
    (['a', 'b'], [2.0, None], [1.0, 0.0], [0.0, 1.0], [[1, 0, 1.0]])
    """
    m = _Model.of(g, None, anchor_susceptibility, unknown_susceptibility)
    w = m.system.w.tocoo()
    order = np.lexsort((w.col, w.row))
    data = w.data.astype(float)
    return {
        "ids": [str(v) for v in m.nodes],
        "score": [None if np.isnan(x) else float(x) for x in m.score],
        "prior": [float(x) for x in m.u],
        "susceptibility": [float(x) for x in m.lam0],
        "weights": [list(t) for t in zip(*(a[order].tolist() for a in (w.row, w.col, data)))],
        "anchor_susceptibility": float(anchor_susceptibility),
        "unknown_susceptibility": float(unknown_susceptibility),
    }


def support(
    g: nx.DiGraph,
    overrides: dict | None = None,
    anchor_susceptibility: float = ANCHOR_SUSCEPTIBILITY,
    unknown_susceptibility: float = UNKNOWN_SUSCEPTIBILITY,
    listen=None,
) -> pd.DataFrame:
    r"""Predicted support of every customer person (see the module docstring).

    .. math:: x^* = (I - \Lambda W)^{-1} (I - \Lambda) u

    x* and the confidence come from one sparse LU factorization of
    :math:`A = I - \Lambda W` and one solve with two right-hand sides,
    :math:`(I - \Lambda) u` and :math:`(I - \Lambda) 1_{known}`; V is never formed.

    Parameters
    ----------
    g : networkx.DiGraph or influence.graph.arrays.PersonArrays
        A person graph, or its arrays (:mod:`influence.graph.arrays`, what
        :class:`~influence.account.Account` passes); nodes with ``internal`` true are
        left out, ``stance_score`` (−2..2 or NaN) gives the prior.
    overrides : dict, optional
        ``{id: stance_score}`` to use instead of the recorded stance (what-if).
    anchor_susceptibility : float, default :data:`~influence.defaults.ANCHOR_SUSCEPTIBILITY`
        λ of people with a known stance.
    unknown_susceptibility : float, default :data:`~influence.defaults.UNKNOWN_SUSCEPTIBILITY`
        λ of people with an unknown stance.
    listen : scipy.sparse.csr_matrix, optional
        ``listen_matrix(g, customer_nodes(g))``, if already built (it does not depend on
        ``overrides``: callers asking several what-ifs build it once).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUPPORT_COLUMNS`: ``id, name, known_stance`` (the stance score
        used, −2..2, NaN when unknown), ``predicted_support`` (−1 against … +1 for) and
        ``confidence`` (0..1), sorted by id.

    Examples
    --------
    A champion (+2) and a skeptic (−1) both advise c, the champion twice as strongly:
    c settles at (2/3)(1) + (1/3)(−0.5) = 0.5. The champion and the skeptic have no
    in-ties, so they keep their priors, 1 and −0.5.

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

    References
    ----------
    N. E. Friedkin and E. C. Johnsen, "Social influence and opinions", J. Math. Sociol.
    15 (1990).
    """
    m = _Model.of(g, overrides, anchor_susceptibility, unknown_susceptibility, listen)
    known = ~np.isnan(m.score)
    keep = 1.0 - m.system.lam
    xc = m.system.solve(np.column_stack([keep * m.u, keep * known]))
    n = len(m.nodes)
    x, conf = (xc[:, 0], xc[:, 1]) if n else (np.zeros(0), np.zeros(0))
    return pd.DataFrame(
        {
            "id": m.nodes,
            "name": m.names,
            "known_stance": m.score,
            "predicted_support": np.clip(x, -1, 1),
            "confidence": np.clip(np.where(known, 1.0, conf), 0, 1),
        },
        columns=SUPPORT_COLUMNS,
    )


def win_over_gains(
    g: nx.DiGraph,
    influence: pd.Series,
    candidates: list,
    score: float = 2.0,
    top: int | None = None,
    anchor_susceptibility: float = ANCHOR_SUSCEPTIBILITY,
    unknown_susceptibility: float = UNKNOWN_SUSCEPTIBILITY,
    listen=None,
) -> pd.Series:
    r"""How much :func:`overall_support` rises if one person is won over, for every candidate,
    from one factorization.

    Winning over c sets c's stance score to ``score`` (prior :math:`u'_c` = score / 2, λ'_c
    the anchor susceptibility, or 0 without in-ties). Only row c of
    :math:`A = I - \Lambda W` and entry c of :math:`b = (I - \Lambda) u` change, so with
    :math:`z = A^{-1} e_c` the new solution is :math:`x' = x + \rho z` where

    .. math:: \rho = \frac{\Delta b - \Delta\lambda (W x)_c}{1 + \Delta\lambda (W z)_c},
              \qquad (W z)_c = \frac{(A^{-1})_{cc} - 1}{\lambda_c}

    (Sherman–Morrison, with :math:`\Delta\lambda = \lambda_c - \lambda'_c`,
    :math:`\Delta b = b'_c - b_c`), and the gain is
    :math:`\rho\, y_c / \sum_i I_i` with :math:`y = A^{-T} I` (one transposed solve for
    all candidates). The diagonal :math:`(A^{-1})_{cc}` is needed only when λ changes (an
    unknown stance becomes known); it comes from solves with many right-hand sides. As
    :math:`(A^{-1})_{cc} \ge 1`, :math:`\Delta b - \Delta\lambda (W x)_c` bounds ρ, so
    with ``top`` those solves stop once no remaining candidate can enter the best ``top``.

    A candidate who reaches no anchor becomes one: the people who listen to them
    (directly or not) and reached no anchor either join the system; that block is
    solved on its own and enters through :math:`y` in the same way. In a closed group of
    such people (nobody in it listens outside it) winning over anyone brings the whole
    group to :math:`u'`, so the group is solved once, for its listeners only.

    Parameters
    ----------
    g : networkx.DiGraph or influence.graph.arrays.PersonArrays
        A person graph or its arrays, as for :func:`support`.
    influence : pandas.Series
        Influence per id (the weights of :func:`overall_support`).
    candidates : list
        Ids of the customer people to try.
    score : float, default 2.0
        The stance score a won-over person gets (2, champion).
    top : int, optional
        If given, only candidates who may be among the ``top`` largest gains are
        returned (every one that is, exactly); the others are left out.
    anchor_susceptibility, unknown_susceptibility : float
        As for :func:`support`.
    listen : scipy.sparse.csr_matrix, optional
        As for :func:`support`.

    Returns
    -------
    pandas.Series
        The gains, indexed by candidate id (in the order given), equal up to rounding to
        ``overall_support(support(g, {c: score}), influence) -
        overall_support(support(g), influence)``.

    Examples
    --------
    b listens only to a. Winning over the neutral a (score 0) carries b with her: both go
    from 0 to 1, so the equally weighted mean rises by 1. Winning over b alone moves only
    b, to 0.2 · 0 + 0.8 · 1 = 0.8 (she still listens to a): a rise of 0.4.

    >>> g = nx.DiGraph()
    >>> g.add_node("a", stance_score=0.0)
    >>> g.add_node("b", stance_score=float("nan"))
    >>> g.add_edge("a", "b", strength=1.0)
    >>> win_over_gains(g, pd.Series({"a": 1.0, "b": 1.0}), ["a", "b"]).round(6).tolist()
    [1.0, 0.4]

    References
    ----------
    J. Sherman and W. J. Morrison, "Adjustment of an inverse matrix corresponding to a
    change in one element of a given matrix", Ann. Math. Statist. 21 (1950).
    """
    candidates = list(candidates)
    m = _Model.of(g, None, anchor_susceptibility, unknown_susceptibility, listen)
    s, n = m.system, len(m.nodes)
    pos = {v: k for k, v in enumerate(m.nodes)}
    idx = np.array([pos[c] for c in candidates], int)
    omega = influence.reindex(m.nodes).fillna(0).to_numpy(float)
    total = omega.sum()
    gains = np.full(len(idx), np.nan)
    if total <= 0 or not len(idx):
        return pd.Series(np.zeros(len(idx)), index=candidates, dtype=float)
    u_new = score / 2
    lam_new = np.where(s.w.getnnz(axis=1) > 0, anchor_susceptibility, 0.0)
    b = (1.0 - s.lam) * m.u
    x = s.solve(b)
    y = s.solve(omega, trans="T")

    # Candidates who reach an anchor: a rank-one change of row c.
    live = np.flatnonzero(~s.cut[idx])
    c = idx[live]
    dlam = s.lam[c] - lam_new[c]
    num = (1.0 - lam_new[c]) * u_new - b[c] - dlam * (s.w[c] @ x)
    need = (dlam != 0) & (s.lam[c] > 0)
    gains[live[~need]] = num[~need] * y[c[~need]] / total
    cut_at = np.flatnonzero(s.cut[idx])
    gains[cut_at] = _cut_gains(m, idx[cut_at], lam_new, u_new, y) / total

    # Those whose λ changes need (A^-1)_cc; bound first, solve in order of the bound.
    k_need = np.flatnonzero(need)
    bound = np.where(dlam[k_need] > 0, np.maximum(num[k_need] * y[c[k_need]] / total, 0), np.inf)
    order = k_need[np.argsort(-bound, kind="stable")]
    bound = np.sort(bound)[::-1]
    step = _BLOCK if s.solver.lu is not None or top is None else 4
    for start in range(0, len(order), step):
        if top is not None:
            done = gains[~np.isnan(gains)]
            if len(done) >= top and bound[start] < np.sort(done)[-top] - 1e-12:
                break
        k = order[start : start + step]
        e = np.zeros((n, len(k)))
        e[c[k], np.arange(len(k))] = 1.0
        zcc = s.solve(e)[c[k], np.arange(len(k))]
        q = (zcc - 1.0) / s.lam[c[k]]
        gains[live[k]] = num[k] / (1.0 + dlam[k] * q) * y[c[k]] / total
    keep = ~np.isnan(gains)
    return pd.Series(gains[keep], index=[v for v, ok in zip(candidates, keep) if ok], dtype=float)


def _cut_gains(m: _Model, cands: np.ndarray, lam_new: np.ndarray, u_new: float, y) -> np.ndarray:
    """:math:`y \\cdot \\delta` for candidates who reach no anchor (see
    :func:`win_over_gains`): the closed set C of such people only listens inside C, so
    δ is zero outside C and, on the people of C who listen to c (directly or not), solves
    their own block with c anchored."""
    from scipy import sparse
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    out = np.zeros(len(cands))
    if not len(cands):
        return out
    s = m.system
    cset = np.flatnonzero(s.cut)
    cpos = np.full(len(s.cut), -1)
    cpos[cset] = np.arange(len(cset))
    wc = s.w[cset][:, cset].tocsr()
    back = sparse.csr_matrix(wc.T)  # j -> i: i listens to j
    _, comp = connected_components(wc, directed=True, connection="strong")
    src, dst = wc.nonzero()
    closed = np.ones(comp.max() + 1, bool)
    closed[comp[src[comp[src] != comp[dst]]]] = False  # someone in it listens outside
    lam0, yc = m.lam0[cset], y[cset]
    done: dict = {}
    for k, v in enumerate(cands):
        ci = cpos[v]
        anchored = lam_new[v] < 1  # else c stays unanchored and only c's prior changes
        key = ("group", comp[ci]) if anchored and closed[comp[ci]] else ("one", ci)
        if key not in done:
            if not anchored:
                done[key] = yc[ci] * u_new
                out[k] = done[key]
                continue
            reach = np.sort(breadth_first_order(back, ci, directed=True, return_predecessors=False))
            if key[0] == "group":  # the group settles at u'; solve for its listeners only
                fixed = reach[comp[reach] == comp[ci]]
                rest = reach[comp[reach] != comp[ci]]
                lam_r = lam0[rest]
                rhs = lam_r * (wc[rest][:, fixed] @ np.full(len(fixed), u_new))
                xr = _Solver(_block(wc, rest, lam_r)).solve(rhs) if len(rest) else np.zeros(0)
                done[key] = yc[fixed].sum() * u_new + yc[rest] @ xr
            else:
                lam_r = lam0[reach].copy()
                at = np.searchsorted(reach, ci)
                lam_r[at] = lam_new[v]
                rhs = np.zeros(len(reach))
                rhs[at] = (1.0 - lam_new[v]) * u_new
                done[key] = yc[reach] @ _Solver(_block(wc, reach, lam_r)).solve(rhs)
        out[k] = done[key]
    return out


def _block(w, rows: np.ndarray, lam: np.ndarray):
    """:math:`I - \\Lambda W` on the people ``rows`` only."""
    from scipy import sparse

    return sparse.identity(len(rows), format="csr") - sparse.diags(lam) @ w[rows][:, rows]


def overall_support(support: pd.DataFrame, influence: pd.Series) -> float:
    r"""Influence-weighted mean predicted support.

    .. math:: \bar x = \frac{\sum_i I_i x_i}{\sum_i I_i}

    Parameters
    ----------
    support : pandas.DataFrame
        :func:`support` (``id`` and ``predicted_support`` are used).
    influence : pandas.Series
        :math:`I_i` per id (people missing from it weigh 0).

    Returns
    -------
    float
        :math:`\bar x`, −1..1; 0 when no one has influence.

    Examples
    --------
    (30 · 1 + 90 · (−0.5)) / 120 = −0.125:

    >>> s = pd.DataFrame({"id": ["a", "b"], "predicted_support": [1.0, -0.5]})
    >>> overall_support(s, pd.Series({"a": 30.0, "b": 90.0}))
    -0.125
    """
    w = influence.reindex(support["id"]).fillna(0).to_numpy(float)
    if w.sum() <= 0:
        return 0.0
    return float(np.dot(w, support["predicted_support"].to_numpy(float)) / w.sum())


def support_words(overall: float, stances_known: bool = True) -> str:
    """What an :func:`overall_support` figure means, in words.

    The stance it is closest to on the stance scale (score / 2: blocker −1, skeptic
    −0.5, neutral 0, supporter +0.5, champion +1): score
    :math:`\\lfloor 2x + 1/2 \\rfloor` clipped to −2..2. With no stance recorded
    nothing anchors the prediction, and the words say so.

    Parameters
    ----------
    overall : float
        An overall support, −1..1.
    stances_known : bool
        Whether any customer person of the account has a recorded stance.

    Returns
    -------
    str
        "about neutral, on a scale from −1 (all blockers) to +1 (all champions),
        weighted by influence", "leans like a supporter, …", or the no-stance sentence.

    Examples
    --------
    >>> support_words(0.29).split(",")[0], support_words(-0.2).split(",")[0]
    ('leans like a supporter', 'about neutral')
    >>> support_words(-0.8).split(",")[0], support_words(0.8).split(",")[0]
    ('leans like a blocker', 'leans like a champion')
    >>> support_words(0.0, stances_known=False)
    'unknown: no stances recorded, so every prediction starts neutral'
    """
    if not stances_known:
        return "unknown: no stances recorded, so every prediction starts neutral"
    score = int(min(2, max(-2, np.floor(2 * overall + 0.5))))
    word = STANCE_LABELS[score]
    lead = "about neutral" if score == 0 else f"leans like a {word}"
    return (
        f"{lead}, on a scale from \u22121 (all blockers) to +1 (all champions), "
        "weighted by influence"
    )
