"""Warm paths: the product of tie strengths, discounted per introduction, within a hop bound."""

import math
import random
import re

import networkx as nx
import pandas as pd
import pytest
from datasets import write_tables

import influence
from influence.analysis.paths import warm_paths
from influence.cli import main


@pytest.fixture
def chain(tmp_path):
    return write_tables(
        tmp_path / "chain",
        people=[
            {"id": "us", "name": "Our AE", "internal": "true"},
            {"id": "se", "name": "Our SE", "internal": "true"},
            {"id": "a", "name": "Alice", "account": "Acme"},
            {"id": "b", "name": "Bruno", "account": "Acme"},
            {"id": "t", "name": "Tara Target", "account": "Acme"},
            {"id": "m", "name": "Mo", "account": "Acme"},
        ],
        relationships=[
            {"source": "us", "target": "t", "type": "peer", "strength": "0.2"},
            {"source": "us", "target": "a", "type": "friend", "strength": "0.9"},
            {"source": "a", "target": "b", "type": "peer", "strength": "0.8"},
            {"source": "b", "target": "t", "type": "ally", "strength": "0.9"},
            {"source": "se", "target": "m", "type": "peer", "strength": "0.5"},
            {"source": "m", "target": "t", "type": "peer", "strength": "0.5"},
        ],
    )


F = 0.5  # the introduction factor: a chain of h hops is worth prod(s) * 0.5 ** (h - 1)


def test_each_introduction_costs(chain):
    acct = influence.load(chain).account("Acme")
    p = acct.paths("us", "t", k=3)
    # direct 0.2 against 0.9 * 0.8 * 0.9 * 0.5**2 = 0.162 (two introductions)
    assert p["path"].tolist() == [["us", "t"], ["us", "a", "b", "t"]]
    assert p["strength"].tolist() == pytest.approx([0.2, 0.9 * 0.8 * 0.9 * F**2])
    assert p["hops"].tolist() == [1, 3]
    assert p["hop_strengths"][1] == pytest.approx([0.9, 0.8, 0.9])
    assert p["path_names"][1] == ["Our AE", "Alice", "Bruno", "Tara Target"]
    assert p["hop_labels"][1] == ["friend", "peer", "ally"]


def test_from_whole_team(chain):
    acct = influence.load(chain).account("Acme")
    p = acct.paths(None, "t", k=3)
    assert p["path"].tolist() == [["us", "t"], ["us", "a", "b", "t"], ["se", "m", "t"]]
    assert p["strength"].tolist() == pytest.approx([0.2, 0.648 * F**2, 0.25 * F])
    assert list(p["rank"]) == [1, 2, 3]


def test_paths_cli(chain, capsys):
    assert main(["paths", str(chain), "--from", "us", "--to", "t", "-k", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1. strength 0.200, 1 hop"
    assert out[2] == "2. strength 0.162, 3 hops"
    assert out[3].split() == ["Our", "AE", "(us)", "->", "Alice", "(a)", "0.900", "[friend]"]


def test_max_hops_on_the_cli(chain, capsys):
    assert main(["paths", str(chain), "--to", "t", "-k", "3", "--max-hops", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line[0].isdigit()] == [
        "1. strength 0.200, 1 hop",
        "2. strength 0.125, 2 hops",  # se -> m -> t: 0.5 * 0.5 * 0.5; the 3-hop chain is cut
    ]
    assert main(["paths", str(chain), "--to", "t", "--max-hops", "0"]) == 2


def line_graph(direct: float, chain: list[float]) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_edge("us", "t", strength=direct)
    nodes = ["us", *[f"x{i}" for i in range(1, len(chain))], "t"]
    for (a, b), s in zip(zip(nodes, nodes[1:]), chain):
        g.add_edge(a, b, strength=s)
    return g


def test_direct_tie_beats_a_chain_of_eight_strong_ties():
    g = line_graph(0.55, [0.99] * 8)
    p = warm_paths(g, "us", "t", k=2, max_hops=8)
    # 0.55 against 0.99**8 * 0.5**7 = 0.0072
    assert p["path"].tolist()[0] == ["us", "t"]
    assert p["strength"].tolist() == pytest.approx([0.55, 0.99**8 * F**7])
    # without the introduction factor the chain (0.99**8 = 0.923) would win
    free = warm_paths(g, "us", "t", k=2, max_hops=8, introduction_factor=1.0)
    assert free["hops"].tolist() == [8, 1]
    # and by default the search stops at 4 hops: the chain is not even a candidate
    assert warm_paths(g, "us", "t", k=2)["path"].tolist() == [["us", "t"]]


def test_a_direct_tie_is_always_listed():
    # four 2-hop chains of 0.9 ties (0.9 * 0.9 * 0.5 = 0.405 each) against a direct 0.05
    g = nx.DiGraph()
    g.add_edge("us", "t", strength=0.05)
    for m in "abcd":
        g.add_edge("us", m, strength=0.9)
        g.add_edge(m, "t", strength=0.9)
    p = warm_paths(g, ["us"], "t", k=3)
    assert p["path"].tolist() == [["us", "a", "t"], ["us", "b", "t"], ["us", "t"]]
    assert p["strength"].tolist() == pytest.approx([0.405, 0.405, 0.05])
    assert warm_paths(g, "us", "t", k=1)["path"].tolist() == [["us", "t"]]


def brute_force(g: nx.DiGraph, source, target, k: int, max_hops: int) -> list[float]:
    """The k largest prod(s) * F**(h-1) over every simple path of at most max_hops hops
    (networkx's all_simple_paths on the acquaintance graph), with the direct-tie rule."""
    u = nx.Graph()
    for a, b, s in g.edges(data="strength"):
        if not u.has_edge(a, b) or u[a][b]["strength"] < s:
            u.add_edge(a, b, strength=s)
    worth = sorted(
        (
            math.prod(u[a][b]["strength"] for a, b in zip(p, p[1:])) * F ** (len(p) - 2),
            len(p) - 1,
        )
        for p in nx.all_simple_paths(u, source, target, cutoff=max_hops)
    )[::-1]
    best = worth[:k]
    if u.has_edge(source, target) and all(h > 1 for _, h in best):
        best = best[: k - 1] + [(u[source][target]["strength"], 1)]
    return sorted(w for w, _ in best)[::-1]


@pytest.mark.parametrize("seed", range(12))
def test_yen_within_the_hop_bound_matches_brute_force(seed):
    rng = random.Random(seed)
    g = nx.gnp_random_graph(11, 0.35, seed=seed, directed=True)
    for a, b in g.edges():
        g[a][b]["strength"] = round(rng.uniform(0.05, 1.0), 3)
    for k, hops in ((1, 2), (4, 3), (6, 4)):
        got = warm_paths(g, 0, 10, k=k, max_hops=hops)
        assert got["strength"].tolist() == pytest.approx(brute_force(g, 0, 10, k, hops))
        assert (got["hops"] <= hops).all()
        assert all(len(set(p)) == len(p) for p in got["path"])  # loopless


def test_sample_direct_tie_tomas_to_cagla_in_top_3(capsys):
    # Tomás Ferreira (int-04) has calls, mail and meetings with Çağla Öztürk (cb-022).
    assert main(["paths", "data/sample", "--to", "cb-022", "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert "Tomás Ferreira (int-04) -> Çağla Öztürk (cb-022)" in out
    # the issue's own command: the direct tie is one of the first three paths listed
    args = ["paths", "data/sample", "--from", "int-04", "--to", "cb-022", "-k", "5"]
    assert main(args) == 0
    blocks = re.split(r"^\d+\. ", capsys.readouterr().out, flags=re.M)[1:]
    assert len(blocks) == 5
    direct = [i for i, b in enumerate(blocks, 1) if re.match(r"strength [\d.]+, 1 hop\n", b)]
    assert len(direct) == 1 and direct[0] <= 3
    assert "Tomás Ferreira (int-04) -> Çağla Öztürk (cb-022)" in blocks[direct[0] - 1]


def test_paths_unknown_person(chain, capsys):
    assert main(["paths", str(chain), "--to", "nobody"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("influence: error: --to: no person 'nobody'")


@pytest.mark.parametrize("seed", range(6))
def test_one_path_search_for_many_targets_matches_brute_force(seed):
    """A PathSearch kept for two sources answers every target (a source among them: its
    chains may then pass through the other source only) as the brute force does:
    chains start at one source and never pass through another."""
    from influence.analysis.paths import PathSearch, acquaintance

    rng = random.Random(100 + seed)
    g = nx.gnp_random_graph(10, 0.4, seed=seed, directed=True)
    for a, b in g.edges():
        g[a][b]["strength"] = round(rng.uniform(0.05, 1.0), 3)
    u = nx.Graph()
    for a, b, s in g.edges(data="strength"):
        if not u.has_edge(a, b) or u[a][b]["strength"] < s:
            u.add_edge(a, b, strength=s)
    search = PathSearch(acquaintance(g), [0, 1])
    for target in range(1, 10):
        starts = [0] if target == 1 else [0, 1]
        worth = []
        for s in starts:
            h = u.subgraph([v for v in u if v == s or v not in starts])
            for p in nx.all_simple_paths(h, s, target, cutoff=3):
                hops = list(zip(p, p[1:]))
                worth.append(
                    (
                        math.prod(u[a][b]["strength"] for a, b in hops) * F ** (len(hops) - 1),
                        len(hops),
                    )
                )
        best = sorted(worth, reverse=True)[:3]
        direct = [u[s][target]["strength"] for s in starts if u.has_edge(s, target)]
        if direct and all(h > 1 for _, h in best):
            best = best[:2] + [(max(direct), 1)]
        got = search.paths(target, k=3, max_hops=3)
        assert got["strength"].tolist() == pytest.approx(sorted((w for w, _ in best), reverse=True))


@pytest.mark.parametrize("seed", range(8))
def test_many_targets_at_once_match_one_at_a_time(seed):
    """``PathSearch.paths_many`` (the map's 40 people, the decision makers: the searches
    from the sources shared by all targets) gives for each target exactly the frame of
    ``paths`` (itself checked against the brute force above), equal strengths included
    (ties broken the same way); targets that are sources, unknown or unreachable too."""
    from influence.analysis.paths import PathSearch, acquaintance

    rng = random.Random(200 + seed)
    g = nx.gnp_random_graph(40, 0.08 + 0.02 * (seed % 3), seed=seed, directed=True)
    levels = [0.3, 0.5, 0.9] if seed % 2 else None  # few levels: many equal chains
    for a, b in g.edges():
        g[a][b]["strength"] = rng.choice(levels) if levels else round(rng.uniform(0.05, 1), 3)
    g.add_node(99)  # nobody's acquaintance
    search = PathSearch(acquaintance(g), [0, 1, 2])
    targets = [*range(1, 40), 99, "nobody"]
    for k in (1, 2, 3):
        for hops in (2, 4):
            many = search.paths_many(targets, k, hops)
            assert list(many) == targets
            for t in targets:
                pd.testing.assert_frame_equal(many[t], search.paths(t, k, hops))
