"""The Friedkin–Johnsen support model: a published example and hand-solved systems."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import influence
from influence.analysis.support import friedkin_johnsen, overall_support, support

NAN = float("nan")


def graph(stances: dict, edges: list) -> nx.DiGraph:
    g = nx.DiGraph()
    for v, s in stances.items():
        g.add_node(v, stance_score=s, name=v.upper(), internal=False)
    for a, b, s in edges:
        g.add_edge(a, b, strength=s)
    return g


def test_friedkin_johnsen_1999_published_example():
    # Friedkin & Johnsen (1999), four-person group: W with self-weights, λ_i = 1 - w_ii,
    # initial opinions (25, 25, 75, 85) settle at (60, 60, 75, 75).
    w = np.array(
        [
            [0.220, 0.120, 0.360, 0.300],
            [0.147, 0.215, 0.344, 0.294],
            [0.000, 0.000, 1.000, 0.000],
            [0.090, 0.178, 0.446, 0.286],
        ]
    )
    u = np.array([25.0, 25.0, 75.0, 85.0])
    v = friedkin_johnsen(w, u, 1 - np.diag(w))
    assert np.round(v @ u).tolist() == [60.0, 60.0, 75.0, 75.0]
    assert v.sum(axis=1) == pytest.approx(np.ones(4))


def test_hand_solved_three_person_system():
    # a champion (u = 1) and b skeptic (u = -0.5) advise each other; both anchored (λ = 0.2).
    # x_a = 0.2 x_b + 0.8, x_b = 0.2 x_a - 0.4  =>  x_a = 0.75, x_b = -0.25.
    # c (unknown, λ = 1) listens to a (0.6) and b (0.2): x_c = 0.75·0.75 + 0.25·(-0.25) = 0.5.
    g = graph({"a": 2.0, "b": -1.0, "c": NAN}, [("a", "b", 1), ("b", "a", 1), ("a", "c", 0.6),
                                                 ("b", "c", 0.2)])  # fmt: skip
    s = support(g).set_index("id")
    assert s["predicted_support"].to_dict() == pytest.approx({"a": 0.75, "b": -0.25, "c": 0.5})
    assert s["confidence"].tolist() == [1.0, 1.0, pytest.approx(1.0)]
    assert s.loc["b", "known_stance"] == -1.0 and np.isnan(s.loc["c", "known_stance"])


def test_two_people_chain_and_no_ties():
    # b listens only to a, a champion with no in-ties: a keeps +1, b follows fully.
    s = support(graph({"a": 2.0, "b": NAN, "z": NAN}, [("a", "b", 0.3)])).set_index("id")
    assert s.loc["a", "predicted_support"] == 1.0
    assert s.loc["b", "predicted_support"] == pytest.approx(1.0)
    assert s.loc["b", "confidence"] == pytest.approx(1.0)
    # z has no ties and no stance: neutral prior, no confidence
    assert s.loc["z", "predicted_support"] == 0.0 and s.loc["z", "confidence"] == 0.0


def test_unanchored_group_keeps_its_prior():
    # Two unknowns who only listen to each other: I - ΛW would be singular.
    s = support(graph({"a": NAN, "b": NAN, "c": 1.0}, [("a", "b", 1), ("b", "a", 1)]))
    s = s.set_index("id")
    assert s.loc[["a", "b"], "predicted_support"].tolist() == [0.0, 0.0]
    assert s.loc[["a", "b"], "confidence"].tolist() == [0.0, 0.0]
    assert s.loc["c", "predicted_support"] == 0.5


def test_unknown_confidence_is_share_from_known_stances():
    # c listens to a (known, +1) and b (unknown, no in-ties) equally: x_c = 0.5, conf 0.5.
    s = support(graph({"a": 2.0, "b": NAN, "c": NAN}, [("a", "c", 0.5), ("b", "c", 0.5)]))
    c = s.set_index("id").loc["c"]
    assert c["predicted_support"] == pytest.approx(0.5)
    assert c["confidence"] == pytest.approx(0.5)


def test_internal_people_are_left_out_and_overrides():
    g = graph({"a": NAN, "b": NAN}, [("a", "b", 1.0)])
    g.add_node("us", internal=True, stance_score=2.0)
    g.add_edge("us", "a", strength=1.0)
    s = support(g)
    assert s["id"].tolist() == ["a", "b"]
    s2 = support(g, overrides={"a": 2.0}).set_index("id")
    assert s2["predicted_support"].tolist() == pytest.approx([1.0, 1.0])


def test_overall_support_is_influence_weighted():
    s = pd.DataFrame({"id": ["a", "b", "c"], "predicted_support": [1.0, -1.0, 0.5]})
    infl = pd.Series({"a": 50.0, "b": 25.0, "c": 25.0})
    assert overall_support(s, infl) == pytest.approx((50 - 25 + 12.5) / 100)
    assert overall_support(s, pd.Series(dtype=float)) == 0.0


def test_account_support_and_next_moves_on_the_example():
    acct = influence.load("data/example").account("Globex")
    s = acct.support()
    assert list(s.columns) == ["id", "name", "known_stance", "predicted_support", "confidence"]
    assert s.set_index("id").loc["arch", "predicted_support"] > 0.5  # the champion
    moves = acct.next_moves(k=3)
    assert moves["id"].tolist()[0] == "ceo"  # the neutral CEO moves the account most
    assert "arch" not in set(acct.next_moves(k=10)["id"])  # already a champion
    assert (moves["gain"].diff().dropna() <= 0).all() and (moves["gain"] > 0).all()
    top = moves.iloc[0]
    assert top["path"][0] == "ae" and top["path"][-1] == "ceo" and top["path_strength"] > 0
    base = acct.overall_support()
    assert top["overall_after"] == pytest.approx(base + top["gain"])
    # recomputing by hand: the CEO anchored at +1
    what_if = support(acct.person_graph, overrides={"ceo": 2.0})
    infl = acct.influencers().set_index("id")["influence"]
    assert overall_support(what_if, infl) == pytest.approx(top["overall_after"])
    assert "warm path Jo Smith" in top["reason"]
