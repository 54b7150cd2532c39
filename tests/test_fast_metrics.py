"""The fast metrics (igraph's C core, scipy) equal networkx's exact ones on weighted graphs.

The person graphs of the sample accounts are directed, weighted and have ties of many
different strengths: the same graphs networkx users would analyse themselves.
"""

import networkx as nx
import pytest

import influence
from influence.analysis.centrality import influence_metrics, symmetrise
from influence.analysis.roles import constraint

TOL = 1e-9


@pytest.fixture(scope="module", params=["Crestline Bank", "Northwind Logistics"])
def graph(request):
    acct = influence.load("data/sample").account(request.param)
    g = acct.person_graph
    ext = g.subgraph(sorted(v for v, d in g.nodes(data=True) if not d["internal"])).copy()
    return ext, influence_metrics(ext)


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
