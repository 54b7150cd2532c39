"""The fast metrics (igraph's C core, scipy) equal networkx's exact ones on weighted graphs.

The person graphs of the sample accounts are directed, weighted and have ties of many
different strengths: the same graphs networkx users would analyse themselves.
"""

import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import networkx as nx
import numpy as np
import pytest

import influence
from influence.analysis.brandes import PARALLEL_WORK, threads_for
from influence.analysis.centrality import influence_metrics, symmetrise
from influence.analysis.compute import (
    betweenness,
    out_closeness,
    pagerank,
    path_metrics,
    to_igraph,
)
from influence.analysis.roles import constraint
from influence.defaults import TIE_FLOOR

TOL = 1e-9


@pytest.fixture(scope="module", params=["Crestline Bank", "Northwind Logistics"])
def graph(request):
    """The customer graph of a sample account without the ties that have faded out
    (strength below the floor: no metric counts them), and the metrics of the whole
    customer graph."""
    acct = influence.load("data/sample").account(request.param)
    g = acct.person_graph
    ext = g.subgraph(sorted(v for v, d in g.nodes(data=True) if not d["internal"])).copy()
    alive = nx.DiGraph()
    alive.add_nodes_from(ext.nodes(data=True))
    alive.add_edges_from(
        (a, b, d) for a, b, d in ext.edges(data=True) if d["strength"] >= TIE_FLOOR
    )
    assert alive.number_of_edges() < ext.number_of_edges()  # the floor removes some ties
    return alive, influence_metrics(ext)


def test_pagerank(graph):
    g, m = graph
    ref = nx.pagerank(g.reverse(), weight="strength", tol=1e-15, max_iter=100_000)
    assert max(abs(m.loc[v, "pagerank"] - x) for v, x in ref.items()) < TOL


def test_betweenness(graph):
    g, m = graph
    ref = nx.betweenness_centrality(g, weight="distance")
    assert max(abs(m.loc[v, "betweenness"] - x) for v, x in ref.items()) < TOL
    assert max(ref.values()) > 0.05  # a real test: brokers exist


def test_closeness(graph):
    g, m = graph
    ref = nx.closeness_centrality(g.reverse(), distance="distance")
    assert max(abs(m.loc[v, "closeness"] - x) for v, x in ref.items()) < TOL


def test_degree(graph):
    g, m = graph
    # Degree counts the ties that are still alive: networkx's out-degree centrality of
    # the graph without the ties below the floor.
    ref = nx.out_degree_centrality(g)
    assert max(abs(m.loc[v, "degree"] - x) for v, x in ref.items()) < TOL


def test_eigenvector(graph):
    g, m = graph
    u = symmetrise(g)
    core = u.subgraph(max(nx.connected_components(u), key=len))
    ref = nx.eigenvector_centrality(core, weight="weight", tol=1e-14, max_iter=100_000)
    scale = m.loc[list(ref), "eigenvector"].pow(2).sum() ** 0.5  # other components share the norm
    assert max(abs(m.loc[v, "eigenvector"] / scale - x) for v, x in ref.items()) < 1e-7


def test_constraint(graph):
    g, _ = graph
    ref = nx.constraint(symmetrise(g), weight="weight")
    mine = constraint(g)
    assert max(abs(mine[v] - x) for v, x in ref.items() if x == x) < TOL


# The compiled kernel (influence.analysis.brandes) serves large accounts: betweenness and
# closeness from one Dijkstra run per source, split across threads. It must give the
# values igraph gives, which are networkx's.


def _kernel(h, threads=1):
    return path_metrics(h, kernel=True, threads=threads)


def test_kernel_equals_igraph_and_networkx(graph):
    g, m = graph
    h = to_igraph(g)
    for threads in (1, 2):
        bt, cl = _kernel(h, threads)
        # Bit for bit what igraph returns on these accounts: the outputs do not change.
        assert np.array_equal(bt, betweenness(h)) and np.array_equal(cl, out_closeness(h))
        assert np.array_equal(bt, m.loc[list(g), "betweenness"].to_numpy())
    ref = nx.betweenness_centrality(g, weight="distance")
    assert max(abs(b - ref[v]) for v, b in zip(g, bt)) < TOL
    ref = nx.closeness_centrality(g.reverse(), distance="distance")
    assert max(abs(c - ref[v]) for v, c in zip(g, cl)) < TOL


def _random_graph(n, k, weights, seed):
    rng = np.random.default_rng(seed)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for u in range(n):
        for v in rng.choice(n, k, replace=False):
            if u != v:
                g.add_edge(u, int(v), distance=float(rng.choice(weights)))
    return g


@pytest.mark.parametrize(
    "weights",
    [
        [1.0, 2.0, 3.0],  # many exactly equal path lengths
        [1 / 0.3, 1 / 0.6, 2.0, 1 / 0.9, 1.0],  # 1/strength: sums equal up to rounding
        [0.1, 0.2, 0.3, 0.7],  # 0.1 + 0.2 != 0.3 in floating point, equal within epsilon
    ],
)
def test_kernel_ties(weights):
    """Tied path lengths, exact and floating-point: the kernel counts the paths igraph
    counts (two lengths are equal when igraph_cmp_epsilon says so)."""
    g = _random_graph(120, 4, weights, seed=len(weights))
    h = to_igraph(g, ("distance",))
    bt, cl = _kernel(h)
    assert np.abs(bt - betweenness(h)).max() < 1e-14
    assert np.abs(cl - out_closeness(h)).max() < 1e-14
    if weights == [1.0, 2.0, 3.0]:  # exact sums: networkx sees the same ties
        ref = nx.betweenness_centrality(g, weight="distance")
        assert max(abs(b - ref[v]) for v, b in zip(g, bt)) < TOL
        assert max(ref.values()) > 0.01
        ref = nx.closeness_centrality(g.reverse(), distance="distance")
        assert max(abs(c - ref[v]) for v, c in zip(g, cl)) < TOL


def test_kernel_is_a_function_of_the_graph():
    """Same bits for any number of threads (each source's contributions are added in
    source order), and edges on no shortest path change nothing (they are pruned)."""
    g = _random_graph(700, 6, [1 / 0.3, 1 / 0.6, 2.0, 1 / 0.9, 1.0, 7.5], seed=7)
    h = to_igraph(g, ("distance",))
    bt, cl = _kernel(h, threads=1)
    assert np.abs(bt - betweenness(h)).max() < 1e-14
    for threads in (2, 3):
        b2, c2 = _kernel(h, threads)
        assert np.array_equal(bt, b2) and np.array_equal(cl, c2)
    longer = g.copy()
    for u in range(0, 700, 3):  # u -> v longer than the path u -> x -> v
        x = next(iter(g[u]))
        v = next(y for y in g[x] if y != u)
        if not g.has_edge(u, v):
            longer.add_edge(u, v, distance=g[u][x]["distance"] + g[x][v]["distance"] + 0.5)
    assert longer.number_of_edges() > g.number_of_edges() + 200
    b1, c1 = _kernel(to_igraph(longer, ("distance",)))
    assert np.array_equal(bt, b1) and np.array_equal(cl, c1)


def test_kernel_edge_cases():
    graphs = [
        nx.DiGraph(),
        nx.DiGraph([(0, 0)]),
        nx.DiGraph([(0, 1)]),
        nx.path_graph(3, nx.DiGraph()),
    ]
    for g in graphs:
        g.add_nodes_from([7, 8])
        h = to_igraph(g, ("distance",))
        bt, cl = _kernel(h)
        assert np.array_equal(bt, betweenness(h))
        assert np.array_equal(cl, out_closeness(h))


def test_one_thread_inside_workers():
    """Accounts of a batch run in pool workers: the kernel never adds threads there."""
    assert threads_for(PARALLEL_WORK - 1) == 1
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(threads_for, 10**12).result() == 1
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(threads_for, 10**12).result() == 1


def test_pagerank_is_reproducible():
    """igraph's PRPACK splits loops across OpenMP threads: on a graph this large its last
    bits would vary between calls; compute.pagerank runs it on one thread."""
    g = _random_graph(1000, 20, [1.0], seed=3)
    h = to_igraph(g, ("strength",))
    first = pagerank(h)
    assert all(np.array_equal(first, pagerank(h)) for _ in range(8))
    ref = nx.pagerank(g, weight="strength", tol=1e-15, max_iter=100_000)
    assert max(abs(first[i] - ref[v]) for i, v in enumerate(g)) < TOL


def test_eigenvector_of_a_large_component_is_exact_and_reproducible():
    """Components above DENSE_EIGEN_LIMIT people go to ARPACK, from a fixed start vector:
    networkx's values, and the same bits however many eigenproblems ran before."""
    from influence.analysis.centrality import eigenvector
    from influence.analysis.metrics import DENSE_EIGEN_LIMIT

    g = _random_graph(DENSE_EIGEN_LIMIT + 100, 3, [1.0], seed=11)
    for u, v, d in g.edges(data=True):
        d["strength"] = 0.2 + (u * 7 + v * 3) % 9 / 10
    u = symmetrise(g)
    assert nx.is_connected(u)
    ref = nx.eigenvector_centrality(u, weight="weight", tol=1e-14, max_iter=100_000)
    first = eigenvector(g)
    assert max(abs(first[v] - x) for v, x in ref.items()) < TOL
    eigenvector(_random_graph(DENSE_EIGEN_LIMIT + 50, 4, [1.0], seed=12))  # another ARPACK run
    assert eigenvector(g) == first


def test_single_threaded_limits_libraries_loaded_after_its_first_use():
    """threadpoolctl sees only the native libraries loaded when its controller is made: a
    first ``single_threaded`` block before igraph (its own libgomp) or scipy (its own
    OpenBLAS) were imported must not leave their pools unlimited later. In a fresh
    process, since this one has long loaded both."""
    code = (
        "from influence.analysis.reproducible import single_threaded\n"
        "with single_threaded():\n"
        "    pass\n"
        "import igraph, scipy.linalg\n"
        "from threadpoolctl import threadpool_info\n"
        "with single_threaded():\n"
        "    print(sorted({(i['user_api'], i['num_threads']) for i in threadpool_info()}))\n"
        "print(sorted({i['user_api'] for i in threadpool_info()}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    inside, apis = done.stdout.splitlines()
    assert apis == "['blas', 'openmp']"  # both kinds of pool are present to be limited
    assert inside == "[('blas', 1), ('openmp', 1)]"


@pytest.mark.parametrize("kernel", [True, False])
@pytest.mark.parametrize("weights", [[1.0, 2.0, 3.0], [0.1, 0.2, 0.3, 0.7]])
def test_closeness_without_betweenness_is_igraphs_closeness(kernel, weights):
    """The trend's closeness-only run (``with_betweenness=False``): igraph's own closeness
    to the last bit (epsilon ties included), networkx's on exact lengths, betweenness NaN."""
    g = _random_graph(150, 4, weights, seed=7 + len(weights))
    h = to_igraph(g, ("distance",))
    bt, cl = path_metrics(h, kernel=kernel, with_betweenness=False)
    assert np.isnan(bt).all()
    assert np.array_equal(cl, out_closeness(h))
    if weights == [1.0, 2.0, 3.0]:
        ref = nx.closeness_centrality(g.reverse(), distance="distance")
        assert max(abs(c - ref[v]) for v, c in zip(g, cl)) < TOL


@pytest.mark.parametrize(
    "weights", [[1.0, 2.0, 3.0], [0.1, 0.2, 0.3, 0.7], [1 / 0.3, 1 / 0.6, 1.0]]
)
def test_top_closeness_gives_the_wanted_and_the_largest(weights):
    """The report's trend asks for the closeness of a few people and the largest only
    (``closeness_of``): those are igraph's own values to the last bit, networkx's on exact
    lengths, and the largest is the largest of all; the runs cut short save most of the
    work. Unreachable parts (a second component, a sink) are included."""
    g = _random_graph(300, 5, weights, seed=3 + len(weights))
    g.add_edges_from([(900, 901), (901, 902)], distance=1.0)  # a small second component
    g.add_node(903)  # nobody
    h = to_igraph(g, ("distance",))
    full = out_closeness(h)
    rng = np.random.default_rng(1)
    for count in (0, 1, 15):
        wanted = np.zeros(h.vcount(), bool)
        wanted[rng.choice(h.vcount(), count, replace=False)] = True
        wanted[-1] = count > 0  # the node that reaches nobody
        _, cl = path_metrics(h, kernel=True, with_betweenness=False, closeness_of=wanted)
        known = ~np.isnan(cl)
        assert known[wanted].all() and known.sum() < h.vcount() // 2
        assert np.array_equal(cl[known], full[known])
        assert np.nanmax(cl) == full.max()
    if weights == [1.0, 2.0, 3.0]:
        ref = nx.closeness_centrality(g.reverse(), distance="distance")
        assert abs(np.nanmax(cl) - max(ref.values())) < TOL
    # igraph's path (no kernel) computes every node: the same values
    _, cl = path_metrics(h, kernel=False, with_betweenness=False, closeness_of=wanted)
    assert np.array_equal(cl, full)


def _tied_graph(seed: int) -> nx.DiGraph:
    """A random directed graph whose lengths (thirds, tenths, halves) make many paths
    of equal length, and sums like 0.1 + 0.2 that differ from 0.3 in the last bits."""
    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(int(rng.integers(8, 40)), 0.2, seed=seed, directed=True)
    lengths = [1.0, 2.0, 0.5, 1.5, 1 / 3, 2 / 3, 0.1, 0.2, 0.3]
    for u, v in g.edges:
        g[u][v]["distance"] = float(rng.choice(lengths))
        g[u][v]["strength"] = 1.0
    return g


def test_kernel_closeness_is_igraphs_to_the_last_bit_on_tied_graphs():
    """Why a trend's closeness may come from the kernel whenever it is loaded
    (``LOADED_KERNEL_WORK``): igraph's own values, bit for bit, for everyone, for the
    wanted people of ``closeness_of``, with and without betweenness."""
    for seed in range(150):
        h = to_igraph(_tied_graph(seed))
        want = np.random.default_rng(seed).random(h.vcount()) < 0.3
        ref = out_closeness(h)
        _, every = path_metrics(h, kernel=True, threads=1)
        _, alone = path_metrics(h, kernel=True, with_betweenness=False)
        _, some = path_metrics(h, kernel=True, with_betweenness=False, closeness_of=want)
        assert np.array_equal(every, ref) and np.array_equal(alone, ref), seed
        assert np.array_equal(some[want], ref[want]), seed


def test_betweenness_path_does_not_depend_on_a_loaded_kernel(monkeypatch):
    """The kernel's betweenness may differ from igraph's in the last bit (nodes at equal
    distance add up in another order): with the kernel loaded and every graph over the
    closeness threshold, betweenness is still igraph's below ``KERNEL_WORK``, so a worker
    that loaded the kernel writes the same bits as one that did not."""
    from influence.analysis import brandes, compute

    brandes.warm()
    monkeypatch.setattr(compute, "LOADED_KERNEL_WORK", 0)
    differs = 0
    for seed in range(60):
        h = to_igraph(_tied_graph(seed))
        kernel_bt, _ = path_metrics(h, kernel=True, threads=1)
        ref = betweenness(h)
        differs += not np.array_equal(kernel_bt, ref)
        np.testing.assert_allclose(kernel_bt, ref, rtol=1e-12, atol=1e-15)
        bt, cl = path_metrics(h)
        assert np.array_equal(bt, ref) and np.array_equal(cl, out_closeness(h)), seed
    assert differs  # the graphs do tell the two apart
