"""Hand-built accounts whose answers are known without running the code: the rules that
``make mutation`` flips (bench/mutation.py) each turn one of these red.

Two cliques joined through one person ``br``: the cut points ``a0``, ``b0`` and ``br``
carry every shortest path between the groups (positive betweenness), the other clique
members none (betweenness 0, so never brokers); ``br``, with two ties of equal weight,
has the lowest constraint of all (2 x 0.5^2 = 0.5), so it is a broker under "constraint
at or below the 25th percentile" and not under its inversion.
"""

from __future__ import annotations

import networkx as nx
import pytest

from influence.analysis.influencers import influencers


def _clique(g: nx.DiGraph, members: list[str]) -> None:
    for x in members:
        for y in members:
            if x != y:
                g.add_edge(x, y, strength=0.9)


@pytest.fixture(scope="module")
def barbell():
    g = nx.DiGraph()
    a = [f"a{i}" for i in range(5)]
    b = [f"b{i}" for i in range(7)]
    _clique(g, a)
    _clique(g, b)
    for x in ("a0", "b0"):
        g.add_edge(x, "br", strength=0.9)
        g.add_edge("br", x, strength=0.9)
    for us in ("us", "us2", "us3"):
        g.add_node(us, internal=True)
    g.add_edge("us", "b2", strength=0.2)
    g.add_edge("us2", "b2", strength=0.7)  # b2's strongest tie: us2 (0.7), not us (0.2)
    g.add_edge("us3", "b0", strength=0.3)  # exactly the weak-tie line: covered
    for n in g:
        g.nodes[n].setdefault("internal", False)
        g.nodes[n]["name"] = n
    return influencers(g).set_index("id")


def test_bridges_are_brokers_and_clique_members_are_not(barbell):
    roles = barbell["network_role"]
    assert roles["br"] == "broker"
    assert not roles[["a1", "a2", "b1", "b3", "b5"]].eq("broker").any()


def test_strongest_internal_tie_is_the_strongest(barbell):
    assert barbell.loc["b2", "strongest_internal_tie"] == "us2"
    assert barbell.loc["b2", "coverage_strength"] == pytest.approx(0.7)


def test_a_tie_at_the_weak_tie_line_is_coverage(barbell):
    # b0 is among the most influential (a cut point) and reached at exactly 0.3
    assert barbell.loc["b0", "influence"] >= barbell["influence"].quantile(0.75)
    assert barbell.loc["b0", "coverage_strength"] == pytest.approx(0.3)
    assert not barbell.loc["b0", "coverage_gap"]
    # b1, as influential as the other clique members, has no tie to us at all: a gap
    assert barbell.loc["b0", "influence"] > barbell.loc["b1", "influence"]


def test_communities_are_numbered_largest_first(barbell):
    # the 7-person clique is the largest community, whatever side br joins
    assert set(barbell.loc[[f"b{i}" for i in range(1, 7)], "community"]) == {0}
    assert set(barbell.loc[[f"a{i}" for i in range(1, 5)], "community"]) == {1}


def test_a_junior_hub_is_a_hidden_influencer_and_seniors_are_not():
    """Formal level 1 (top) .. 4 (junior). Junior ``s1`` talks to everyone; everyone else
    talks only up their line. ``s1``'s influence is far above what level 4 predicts."""
    g = nx.DiGraph()
    levels = {"ceo": 1, "vp1": 2, "vp2": 2, "m1": 3, "m2": 3, "m3": 3, "m4": 3}
    levels |= {f"s{i}": 4 for i in range(1, 9)}
    line = {"vp1": "ceo", "vp2": "ceo", "m1": "vp1", "m2": "vp1", "m3": "vp2", "m4": "vp2"}
    line |= {f"s{i}": f"m{(i - 1) % 4 + 1}" for i in range(1, 9)}
    for person, boss in line.items():
        g.add_edge(boss, person, strength=0.5)
    for other in levels:
        if other != "s1":
            g.add_edge("s1", other, strength=0.9)
            g.add_edge(other, "s1", strength=0.9)
    for n in g:
        g.nodes[n].update(internal=False, name=n, level=levels[n])
    table = influencers(g).set_index("id")
    assert table.index[0] == "s1"  # the most influential
    assert table.index[table["hidden_influencer"]].tolist() == ["s1"]


def test_a_formula_cell_is_neutralised_in_csv():
    import pandas as pd

    from influence.render.files import csv_bytes

    assert csv_bytes(pd.DataFrame({"note": ["=1+1"]})) == b"note\n'=1+1\n"
