"""Warm introduction paths: the strongest chains of people from us to a target.

Every introduction is a favour asked of someone, and chains break at every step: in
the small-world experiments most chains died out, and the authors found lack of
interest, not missing acquaintances, was the main reason (Travers & Milgram, "An
experimental study of the small world problem", Sociometry 32, 1969; Dodds, Muhamad &
Watts, "An experimental study of search in global social networks", Science 301,
2003). So a chain of :math:`h` hops, which needs :math:`h - 1` introductions, has
strength

.. math:: S(p) = f^{\\,h-1} \\prod_{(u,v) \\in p} s_{uv}

with tie strengths :math:`s_{uv}` and the *introduction factor* :math:`f`
(:data:`INTRODUCTION_FACTOR` = 0.5: with no data on whether an intermediary will act,
even odds), the chance that every tie holds and every intermediary makes the
introduction. A direct tie keeps its own strength; an 8-hop chain of 0.99 ties is worth
:math:`0.5^7 \\cdot 0.99^8 \\approx 0.007`, so a real relationship beats a long chain.

The search is bounded: at most ``max_hops`` hops (:data:`MAX_HOPS` = 4). The strongest
chain minimises :math:`\\sum (-\\log s_{uv} - \\log f)`, a shortest path with positive
costs; the ``k`` strongest within the bound are found with Yen's algorithm (Yen,
"Finding the k shortest loopless paths in a network", Management Science 17, 1971),
each spur path by a Dijkstra search over (person, hops used) states. A direct tie from
one of the sources to the target is always listed: when it is not among the ``k``
strongest, it takes the ``k``-th place. Introductions run along acquaintance, so a hop
may use a tie in either direction; its strength is the stronger of the two.
"""

from __future__ import annotations

import heapq
import itertools
import math

import networkx as nx
import pandas as pd

from influence.defaults import INTRODUCTION_FACTOR, MAX_HOPS

__all__ = [
    "INTRODUCTION_FACTOR",
    "MAX_HOPS",
    "PATH_COLUMNS",
    "PathSearch",
    "acquaintance",
    "warm_paths",
]

#: The columns of :func:`warm_paths`.
PATH_COLUMNS = ["rank", "strength", "hops", "path", "hop_strengths"]
_START = ("__start__",)


def acquaintance(g: nx.DiGraph) -> nx.Graph:
    r"""The undirected acquaintance graph of a person graph: a hop may use a tie either way.

    .. math:: s_{\{a,b\}} = \max(s_{ab}, s_{ba}), \qquad cost = -\log s_{\{a,b\}}

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph with ``strength`` on edges.

    Returns
    -------
    networkx.Graph
        Nodes sorted by ``str(id)``; edges with ``strength`` and ``cost``.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", strength=0.4)
    >>> g.add_edge("b", "a", strength=0.8)
    >>> u = acquaintance(g)
    >>> u["a"]["b"]["strength"], round(u["a"]["b"]["cost"], 4)
    (0.8, 0.2231)
    """
    u = nx.Graph()
    u.add_nodes_from(sorted(g, key=str))
    for a, b, s in sorted(g.edges(data="strength"), key=lambda e: (str(e[0]), str(e[1]))):
        if not u.has_edge(a, b) or u[a][b]["strength"] < s:
            u.add_edge(a, b, strength=s, cost=-math.log(s))
    return u


def _spur(adj: dict, start, target, budget: int, banned: set, cut: set, near: dict) -> list | None:
    """The cheapest path ``start`` → ``target`` of at most ``budget`` edges avoiding the
    nodes ``banned`` and the edges ``cut``: Dijkstra over (node, edges used) states
    (:func:`_spurs` for one target)."""
    return _spurs(adj, start, {target}, budget, banned, cut, near).get(target)


def _spurs(adj: dict, start, targets: set, budget: int, banned: set, cut: set, near: dict) -> dict:
    """The cheapest path ``start`` → each of ``targets`` of at most ``budget`` edges
    avoiding the nodes ``banned`` and the edges ``cut``: Dijkstra over (node, edges
    used) states, ``{target: path}`` for the targets reached. A state is dropped when its
    node was already reached, as cheaply, in fewer edges.

    ``near`` maps nodes to their fewest edges to the nearest target (a node missing
    from it cannot reach one within the bound). A state that cannot reach a target
    within ``budget`` is never pushed: it cannot lead to one, and a later state of its
    node that it would have dropped has as many edges or more, so cannot either; the
    paths found are the ones the unpruned search finds. So is each target's path the
    one a search for it alone finds: until it is first reached, the states taken out of
    the heap are the same, the other targets being nodes like any other.

    Nor is a state pushed when a state of its node already pushed comes out of the heap
    first (cheaper, or as cheap in fewer edges) with no more edges: once that one is
    popped, the node is reached in as few edges or fewer, so this one would be dropped.
    """
    heap = [(0.0, 0, (str(start),), start, None)]
    fewest: dict = {}
    pushed: dict = {}  # node -> (cost, edges) of its state that leaves the heap first
    found: dict = {}
    left_to_find = len(targets)
    while heap:
        cost, used, key, v, back = heapq.heappop(heap)
        if v in fewest and fewest[v] <= used:
            continue
        fewest[v] = used
        if v in targets and v not in found:
            path = []
            node = (v, back)
            while node is not None:
                path.append(node[0])
                node = node[1]
            found[v] = path[::-1]
            left_to_find -= 1
            if not left_to_find:
                break
        if used == budget:
            continue
        left = budget - used - 1  # edges left after this one
        for w, c in adj[v]:
            if near.get(w, budget) > left or w in banned or (v, w) in cut:
                continue
            if w in fewest and fewest[w] <= used + 1:
                continue
            state = (cost + c, used + 1)
            first = pushed.get(w)
            if first is not None and first < state and first[1] <= state[1]:
                continue
            if first is None or state < first:
                pushed[w] = state
            heapq.heappush(heap, (*state, (*key, str(w)), w, (v, back)))
    return found


def _near(into: dict, target, bound: int, also: tuple = ()) -> dict:
    """Fewest edges from each node to ``target`` (or the nearest of ``target`` and
    ``also``), for those within ``bound``: a breadth-first search along ``into`` (each
    node's predecessors)."""
    near = {t: 0 for t in (target, *also)}
    frontier = list(near)
    for d in range(1, bound + 1):
        reached = []
        for v in frontier:
            for w in into[v]:
                if w not in near:
                    near[w] = d
                    reached.append(w)
        frontier = reached
    return near


class PathSearch:
    """:func:`warm_paths` from one set of sources to many targets, its setup shared.

    The search's adjacency (each hop's cost; a chain leaves a source but never enters
    one) is built once from the acquaintance graph; :meth:`paths` gives, for any
    target, what :func:`warm_paths` gives. Callers asking for many targets (the map's
    paths, the decision makers, next moves) keep one.

    Parameters
    ----------
    acquainted : :func:`acquaintance` of the person graph.
    sources : ids a chain may start at (ids not in ``acquainted`` are ignored).
    introduction_factor : :math:`f` of the module docstring, in (0, 1].

    Attributes
    ----------
    acquainted : networkx.Graph
        The acquaintance graph searched.
    sources : list
        The usable sources, ordered by ``str(id)``.
    factor : float
        The introduction factor.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b", {"strength": 0.9}), ("b", "c", {"strength": 0.8})])
    >>> search = PathSearch(acquaintance(g), ["a"])
    >>> search.paths("c")[["strength", "path"]].round(2).values.tolist()
    [[0.36, ['a', 'b', 'c']]]
    """

    def __init__(
        self, acquainted: nx.Graph, sources, introduction_factor: float = INTRODUCTION_FACTOR
    ):
        if not 0 < introduction_factor <= 1:
            raise ValueError(f"introduction_factor must be in (0, 1], not {introduction_factor}")
        u = acquainted
        self.acquainted, self.factor = u, introduction_factor
        self.sources = sorted({s for s in sources if s in u}, key=str)
        step = -math.log(introduction_factor)
        inside = set(self.sources)
        adj: dict = {v: [] for v in u}
        into: dict = {v: [] for v in u}
        for a in u:
            for b in sorted(u[a], key=str):
                if b not in inside:
                    adj[a].append((b, u[a][b]["cost"] + step))
                    into[b].append(a)
        self._adj, self._into = adj, into

    def paths(self, target, k: int = 3, max_hops: int = MAX_HOPS) -> pd.DataFrame:
        """The ``k`` strongest chains to ``target`` (see :func:`warm_paths`).

        Parameters
        ----------
        target : node
            The person to reach.
        k : int, optional
            How many chains (default 3).
        max_hops : int, optional
            The longest chain, in ties (default :data:`~influence.defaults.MAX_HOPS`).

        Returns
        -------
        pandas.DataFrame
            :data:`PATH_COLUMNS`, strongest first; empty when ``target`` is unreachable.

        Examples
        --------
        >>> g = nx.DiGraph([("a", "b", {"strength": 0.9}), ("a", "c", {"strength": 0.5}),
        ...                 ("c", "b", {"strength": 0.9})])
        >>> search = PathSearch(acquaintance(g), ["a"])
        >>> search.paths("b", k=2)["path"].tolist()
        [['a', 'b'], ['a', 'c', 'b']]
        """
        if max_hops < 1:
            raise ValueError(f"max_hops must be 1 or more, not {max_hops}")
        u = self.acquainted
        srcs = [s for s in self.sources if s != target]
        if target not in u or not srcs or k < 1:
            return pd.DataFrame(columns=PATH_COLUMNS)
        if len(srcs) < len(self.sources):  # the target is a source: chains may enter it
            return PathSearch(u, srcs, self.factor).paths(target, k, max_hops)
        adj = {**self._adj, _START: [(s, 0.0) for s in srcs]}
        near = _near(self._into, target, max_hops + 1)
        return _yen(adj, near, u, srcs, target, k, max_hops, self.factor)

    def paths_many(self, targets, k: int = 3, max_hops: int = MAX_HOPS) -> dict:
        """:meth:`paths` of each of ``targets``, ``{target: frame}``: the same frames, with
        the searches that start from the sources shared by the targets (one search finds
        them all, :func:`_spurs`) rather than repeated for each.

        Parameters
        ----------
        targets : iterable of node
            The people to reach (repeats are answered once).
        k : int, optional
            How many chains to each (default 3).
        max_hops : int, optional
            The longest chain, in ties (default :data:`~influence.defaults.MAX_HOPS`).

        Returns
        -------
        dict
            ``{target: pandas.DataFrame}``, each frame as :meth:`paths` gives it.

        Examples
        --------
        >>> g = nx.DiGraph([("a", "b", {"strength": 0.9}), ("b", "c", {"strength": 0.8})])
        >>> many = PathSearch(acquaintance(g), ["a"]).paths_many(["b", "c"], k=1)
        >>> [many[t]["path"].tolist() for t in ("b", "c")]
        [[['a', 'b']], [['a', 'b', 'c']]]
        """
        if max_hops < 1:
            raise ValueError(f"max_hops must be 1 or more, not {max_hops}")
        u, inside = self.acquainted, set(self.sources)
        shared = [t for t in dict.fromkeys(targets) if t in u and t not in inside]
        out = {t: self.paths(t, k, max_hops) for t in dict.fromkeys(targets) if t not in shared}
        if not shared or not self.sources or k < 1:
            return {**out, **{t: self.paths(t, k, max_hops) for t in shared}}
        adj = {**self._adj, _START: [(s, 0.0) for s in self.sources]}
        budget = max_hops + 1
        near_any = _near(self._into, shared[0], budget, tuple(shared[1:]))
        found: dict = {}  # frozenset(cut) -> {target: path}: the searches from _START

        def spur(start, target, budget_left, banned, cut, near):
            if start != _START or banned:
                return _spur(adj, start, target, budget_left, banned, cut, near)
            key = frozenset(cut)
            if key not in found:
                found[key] = _spurs(adj, _START, set(shared), budget, set(), cut, near_any)
            return found[key].get(target)

        for t in shared:
            near = _near(self._into, t, budget)
            out[t] = _yen(adj, near, u, self.sources, t, k, max_hops, self.factor, spur)
        return {t: out[t] for t in dict.fromkeys(targets)}


def _yen(adj, near, u, srcs, target, k, max_hops, introduction_factor, spur=None) -> pd.DataFrame:
    """Yen's ``k`` cheapest loopless chains over ``adj`` (``_START`` → a source → …),
    then the direct-tie rule, as a :data:`PATH_COLUMNS` frame. ``spur`` answers the
    spur searches as :func:`_spur` (given ``adj``) does, e.g. from shared searches."""
    if spur is None:

        def spur(start, target, budget, banned, cut, near):
            return _spur(adj, start, target, budget, banned, cut, near)

    def cost(path: list) -> float:
        return math.fsum(c for a, b in itertools.pairwise(path) for w, c in adj[a] if w == b)

    def order(path: list) -> tuple:
        return (cost(path), len(path), tuple(str(v) for v in path))

    first = spur(_START, target, max_hops + 1, set(), set(), near)
    found = [first] if first else []
    candidates: list = []
    seen = {tuple(first)} if first else set()
    while found and len(found) < k:
        last = found[-1]
        for i in range(len(last) - 1):
            root = last[: i + 1]
            cut = {(p[i], p[i + 1]) for p in found if p[: i + 1] == root}
            tail = spur(last[i], target, max_hops + 1 - i, set(root[:-1]), cut, near)
            if tail is not None:
                path = root[:-1] + tail
                if tuple(path) not in seen:
                    seen.add(tuple(path))
                    heapq.heappush(candidates, (order(path), path))
        if not candidates:
            break
        found.append(heapq.heappop(candidates)[1])
    paths = [p[1:] for p in found]
    if not any(len(p) == 2 for p in paths):
        direct = [s for s in srcs if u.has_edge(s, target)]
        if direct:
            best = min(direct, key=lambda s: (-u[s][target]["strength"], str(s)))
            paths = paths[: k - 1] + [[best, target]]
    rows = []
    for path in paths:
        hops = [u[a][b]["strength"] for a, b in itertools.pairwise(path)]
        strength = math.prod(hops) * introduction_factor ** (len(hops) - 1)
        rows.append((strength, len(hops), path, hops))
    rows.sort(key=lambda r: (-r[0], r[1], [str(v) for v in r[2]]))
    if not rows:
        return pd.DataFrame([], columns=PATH_COLUMNS).astype({"hops": int})
    # column by column: the same frame as from the rows, in a seventh of the time (a map
    # asks for the paths to 40 people)
    columns = [list(range(1, len(rows) + 1)), *(list(c) for c in zip(*rows, strict=True))]
    return pd.DataFrame(dict(zip(PATH_COLUMNS, columns, strict=True)))


def warm_paths(
    g: nx.DiGraph,
    sources,
    target,
    k: int = 3,
    max_hops: int = MAX_HOPS,
    introduction_factor: float = INTRODUCTION_FACTOR,
    acquainted: nx.Graph | None = None,
) -> pd.DataFrame:
    r"""The ``k`` strongest introduction chains from any of ``sources`` to ``target``.

    .. math:: S(p) = f^{\,h-1} \prod_{(u,v) \in p} s_{uv}

    for a chain :math:`p` of :math:`h` hops (module docstring).

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph with ``strength`` on edges.
    sources : hashable or iterable
        One id, or several (e.g. our whole team); a chain starts at one of them and does
        not pass through another.
    target : hashable
        The person to reach.
    k : int, default 3
        How many chains.
    max_hops : int, default :data:`MAX_HOPS`
        Longest chain searched.
    introduction_factor : float, default :data:`INTRODUCTION_FACTOR`
        :math:`f` of the module docstring, in (0, 1].
    acquainted : networkx.Graph, optional
        :func:`acquaintance` of ``g``, if already built (it costs more than the search,
        so callers asking for many targets build it once).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PATH_COLUMNS` (``rank, strength, hops, path, hop_strengths``),
        strongest first (equal strengths: fewer hops, then by ids); ``strength`` is
        :math:`S(p)`, ``path`` the list of ids and ``hop_strengths`` the tie strengths.

    Raises
    ------
    ValueError
        If ``introduction_factor`` is not in (0, 1] or ``max_hops`` < 1.

    Examples
    --------
    Going through b needs one introduction: 0.9 × 0.8 × 0.5 = 0.36, more than the
    direct tie (0.3); through b and d it needs two: 0.9 × 0.9 × 0.9 × 0.5² ≈ 0.182.

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "c", strength=0.3)
    >>> g.add_edge("a", "b", strength=0.9)
    >>> g.add_edge("b", "c", strength=0.8)
    >>> g.add_edge("b", "d", strength=0.9)
    >>> g.add_edge("d", "c", strength=0.9)
    >>> warm_paths(g, "a", "c")[["rank", "strength", "hops", "path"]].round(3)
       rank  strength  hops          path
    0     1     0.360     2     [a, b, c]
    1     2     0.300     1        [a, c]
    2     3     0.182     3  [a, b, d, c]
    >>> warm_paths(g, "a", "c", max_hops=1)["path"].tolist()
    [['a', 'c']]

    References
    ----------
    J. Travers and S. Milgram, Sociometry 32 (1969) 425–443; P. S. Dodds, R. Muhamad and
    D. J. Watts, Science 301 (2003) 827–829; J. Y. Yen, Management Science 17 (1971)
    712–716.
    """
    if not 0 < introduction_factor <= 1:
        raise ValueError(f"introduction_factor must be in (0, 1], not {introduction_factor}")
    if max_hops < 1:
        raise ValueError(f"max_hops must be 1 or more, not {max_hops}")
    srcs = (
        [sources] if isinstance(sources, str) or not hasattr(sources, "__iter__") else list(sources)
    )
    srcs = [s for s in srcs if s in g and s != target]
    u = acquaintance(g) if acquainted is None else acquainted
    return PathSearch(u, srcs, introduction_factor).paths(target, k, max_hops)
