"""The Friedkin–Johnsen support model: a published example and hand-solved systems."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import influence
from influence.analysis.support import friedkin_johnsen, overall_support, support, win_over_gains

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
    # The what-if solved independently (a dense np.linalg.solve of the documented equation,
    # reference_support below): the CEO anchored at +1, support weighted by influence.
    infl = acct.influencers().set_index("id")["influence"]

    def weighted(x: pd.Series) -> float:
        w = infl.reindex(x.index).fillna(0)
        return float((w * x.clip(-1, 1)).sum() / w.sum())

    assert weighted(reference_support(acct.person_graph)) == pytest.approx(base)
    after = reference_support(acct.person_graph, {"ceo": 2.0})
    assert weighted(after) == pytest.approx(top["overall_after"])
    assert "warm path Jo Smith" in top["reason"]


# --- the sparse solver and the one-factorization what-if against a plain dense reference ---


def reference_support(g: nx.DiGraph, overrides: dict | None = None) -> pd.Series:
    """x* straight from the model's definition: dense W, one nx.ancestors per anchor, and
    np.linalg.solve of (I - ΛW) x = (I - Λ) u."""
    nodes = sorted((v for v, d in g.nodes(data=True) if not d.get("internal")), key=str)
    idx = {v: k for k, v in enumerate(nodes)}
    score = np.array([g.nodes[v].get("stance_score", NAN) for v in nodes], float)
    for k, v in (overrides or {}).items():
        score[idx[k]] = v
    known = ~np.isnan(score)
    u = np.where(known, np.nan_to_num(score) / 2, 0.0)
    n = len(nodes)
    w = np.zeros((n, n))
    for a, b, s in g.edges(data="strength"):
        if a in idx and b in idx and a != b:
            w[idx[b], idx[a]] += s
    tot = w.sum(axis=1)
    w[tot > 0] /= tot[tot > 0, None]
    lam = np.where(known, 0.2, 1.0)
    lam[tot == 0] = 0.0
    listens = nx.DiGraph()
    listens.add_nodes_from(range(n))
    listens.add_edges_from((i, j) for i in range(n) for j in range(n) if w[i, j] > 0)
    reach = set()
    for a in np.flatnonzero(lam < 1):
        reach |= {a} | nx.ancestors(listens, a)
    for i in set(range(n)) - reach:
        w[i] = 0.0
        lam[i] = 0.0
    x = np.linalg.solve(np.eye(n) - lam[:, None] * w, (1 - lam) * u)
    return pd.Series(x, index=nodes)


def random_graph(seed: int) -> tuple[nx.DiGraph, pd.Series]:
    """Stances, unknowns, one-way ties, internal people and groups that reach no stance."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 40))
    g = nx.DiGraph()
    choices = [2.0, 1.0, 0.0, -1.0, -2.0, NAN, NAN, NAN]
    for i in range(n):
        g.add_node(f"p{i:02d}", stance_score=choices[rng.integers(len(choices))], name=f"P{i}")
    g.add_node("us", internal=True)
    nodes = list(g.nodes)
    for _ in range(int(rng.integers(0, 3 * n))):
        a, b = rng.choice(nodes, 2, replace=False)
        g.add_edge(a, b, strength=float(rng.uniform(0.05, 1.0)))
    # a group of unknowns listening only to each other (reaches no anchor), fed by others
    k = int(rng.integers(0, 4))
    loop = [f"q{i}" for i in range(k)]
    for v in loop:
        g.add_node(v, stance_score=NAN, name=v)
    for a, b in zip(loop, loop[1:] + loop[:1]):
        if a != b:
            g.add_edge(a, b, strength=0.5)
    if loop and n:
        g.add_edge(loop[0], "p00", strength=0.3)  # p00 listens to the group
    infl = pd.Series(rng.uniform(0, 100, len(g)), index=list(g.nodes))
    return g, infl


@pytest.mark.parametrize("seed", range(40))
def test_sparse_support_equals_dense_reference(seed):
    g, _ = random_graph(seed)
    s = support(g).set_index("id")["predicted_support"]
    ref = reference_support(g).clip(-1, 1)
    assert np.abs(s - ref.reindex(s.index)).max() < 1e-9


def reference_gain(g: nx.DiGraph, infl: pd.Series, c: str) -> float:
    w = infl.reindex(reference_support(g).index).fillna(0)
    base = reference_support(g).clip(-1, 1)
    after = reference_support(g, {c: 2.0}).clip(-1, 1)
    return float((w * after).sum() / w.sum() - (w * base).sum() / w.sum())


@pytest.mark.parametrize("seed", range(40))
def test_win_over_gains_equal_one_dense_solve_per_candidate(seed):
    g, infl = random_graph(seed)
    people = [v for v, d in g.nodes(data=True) if not d.get("internal")]
    gains = win_over_gains(g, infl, people)
    for c in people:
        assert abs(gains[c] - reference_gain(g, infl, c)) < 1e-9, c


def test_win_over_gains_cover_every_case():
    # a: known with in-ties; b: unknown reaching a; c: no in-ties; d, e: a loop of unknowns
    # reaching no stance (d also listens to nobody else), f: unknown listening to the loop.
    g = graph(
        {"a": -1.0, "b": NAN, "c": NAN, "d": NAN, "e": NAN, "f": NAN},
        [("b", "a", 1), ("a", "b", 1), ("c", "a", 1), ("d", "e", 1), ("e", "d", 1),
         ("d", "f", 1), ("a", "f", 1)],
    )  # fmt: skip
    infl = pd.Series({"a": 10.0, "b": 20.0, "c": 5.0, "d": 30.0, "e": 1.0, "f": 7.0})
    s = support(g).set_index("id")
    assert s.loc["d", "confidence"] == 0.0 and s.loc["d", "predicted_support"] == 0.0
    gains = win_over_gains(g, infl, list("abcdef"))
    for c in "abcdef":
        assert abs(gains[c] - reference_gain(g, infl, c)) < 1e-9, c
    assert gains["d"] == pytest.approx(gains["e"])  # one closed loop: either wins it all


@pytest.mark.parametrize(("folder", "name"), [("data/example", "Globex"), ("data/sample", None)])
def test_next_moves_gains_equal_the_dense_reference_on_the_samples(folder, name):
    ds = influence.load(folder)
    for acct_name in [name] if name else ds.accounts:
        acct = ds.account(acct_name)
        moves = acct.next_moves(k=1000)
        infl = acct.influencers().set_index("id")["influence"]
        ext = acct.influencers()
        ext = ext[~ext["internal"]]
        assert set(moves["id"]) == set(ext.loc[ext["stance"] != "champion", "id"])
        for r in moves.itertuples():
            assert (
                abs(r.gain - reference_gain(acct.person_graph, infl.reindex(ext["id"]), r.id))
                < 1e-9
            )


@pytest.mark.parametrize("seed", range(0, 40, 3))
def test_iterative_solver_and_top_pruning_give_the_same_gains(seed, monkeypatch):
    import influence.analysis.support as sup

    g, infl = random_graph(seed)
    people = [v for v, d in g.nodes(data=True) if not d.get("internal")]
    full = win_over_gains(g, infl, people)
    best = full.round(12).sort_values(ascending=False, kind="stable").iloc[:3]
    top = win_over_gains(g, infl, people, top=3)
    assert set(best.index) <= set(top.index)  # every true top-3 person is returned, exactly
    assert np.abs(top - full.reindex(top.index)).max() < 1e-12
    monkeypatch.setattr(sup, "DIRECT_MAX", 0)  # GMRES for every system
    gains = win_over_gains(g, infl, people)
    for c in people:
        assert abs(gains[c] - reference_gain(g, infl, c)) < 1e-9
    ref = reference_support(g).clip(-1, 1)
    assert np.abs(support(g).set_index("id")["predicted_support"] - ref).max() < 1e-9
