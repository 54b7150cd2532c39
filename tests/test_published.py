"""The correctness contract: textbook networks give textbook numbers.

A dataset whose ties are all undirected, unit-strength relationships with no events
yields ``pagerank``, ``betweenness``, ``closeness`` and ``degree`` equal to networkx's
default functions on that graph, and the values published for these networks.
"""

import networkx as nx
import pytest
from datasets import graph_dataset

import influence

NETWORKS = {
    "karate": nx.karate_club_graph,
    "florentine": nx.florentine_families_graph,
    "les_miserables": nx.les_miserables_graph,
    "davis": nx.davis_southern_women_graph,
}


def _unweighted(g: nx.Graph) -> nx.Graph:
    h = nx.Graph()
    h.add_nodes_from(g)
    h.add_edges_from(g.edges())
    return nx.relabel_nodes(h, str)


@pytest.fixture(scope="module", params=sorted(NETWORKS))
def network(request, tmp_path_factory):
    g = _unweighted(NETWORKS[request.param]())
    folder = graph_dataset(tmp_path_factory.mktemp(request.param), g)
    ds = influence.load(folder)
    (name,) = ds.accounts
    return g, ds.account(name).influencers().set_index("id")


def test_columns_equal_networkx_defaults(network):
    g, inf = network
    assert set(inf.index) == set(g)
    expected = {
        "pagerank": nx.pagerank(g),
        "betweenness": nx.betweenness_centrality(g),
        "closeness": nx.closeness_centrality(g),
        "degree": nx.degree_centrality(g),
    }
    for column, values in expected.items():
        for node, value in values.items():
            # nx.pagerank stops once its L1 change is below n * 1e-6; the others are exact.
            tol = len(g) * 1e-6 if column == "pagerank" else 1e-12
            assert inf.loc[node, column] == pytest.approx(value, abs=tol), (column, node)


def test_pagerank_equals_converged_networkx(network):
    g, inf = network
    for node, value in nx.pagerank(g, tol=1e-14, max_iter=10_000).items():
        assert inf.loc[node, "pagerank"] == pytest.approx(value, abs=1e-9)


def test_eigenvector_equals_networkx(network):
    g, inf = network
    # Florentine families has an isolate (Pucci): it scores 0 and the rest equals
    # networkx on the connected part.
    core = g.subgraph(max(nx.connected_components(g), key=len))
    assert all(g.degree(v) == 0 for v in g if v not in core)
    for node, value in nx.eigenvector_centrality(core, tol=1e-13, max_iter=100_000).items():
        assert inf.loc[node, "eigenvector"] == pytest.approx(value, abs=1e-9)
    assert all(inf.loc[v, "eigenvector"] == 0 for v in g if v not in core)


def test_florentine_betweenness_published(tmp_path):
    """Padgett's Florentine families, as in Jackson, *Social and Economic Networks* (2008)."""
    inf = _analyse(tmp_path, nx.florentine_families_graph())
    published = {
        "Medici": 0.522,
        "Guadagni": 0.255,
        "Albizzi": 0.212,
        "Salviati": 0.143,
        "Ridolfi": 0.114,
    }
    for family, value in published.items():
        assert round(inf.loc[family, "betweenness"], 3) == value
    assert inf["betweenness"].idxmax() == "Medici"
    assert inf.loc["Medici", "rank"] == 1


def test_karate_club_published(tmp_path):
    """Zachary's karate club (1977): the instructor (0) and the president (33) stand out."""
    inf = _analyse(tmp_path, nx.karate_club_graph())
    assert round(inf.loc["0", "betweenness"], 4) == 0.4376
    assert round(inf.loc["33", "betweenness"], 4) == 0.3041
    assert round(inf.loc["33", "pagerank"], 4) == 0.1009
    assert round(inf.loc["0", "pagerank"], 4) == 0.0970
    assert round(inf.loc["33", "eigenvector"], 4) == 0.3734
    assert round(inf.loc["0", "degree"] * 33) == 16
    assert round(inf.loc["33", "degree"] * 33) == 17
    assert set(inf.sort_values("rank").index[:2]) == {"0", "33"}
    # The club split in two: Louvain puts the two leaders in different coalitions.
    assert inf.loc["0", "community"] != inf.loc["33", "community"]


def _analyse(tmp_path, g):
    ds = influence.load(graph_dataset(tmp_path / "net", _unweighted(g)))
    return ds.account(ds.accounts[0]).influencers().set_index("id")
