"""Risk flags and engagement roles, each on a tiny graph that has it and one that does not."""

import networkx as nx
import pandas as pd

import influence
from influence.analysis.engagement import engagement
from influence.analysis.risk import risk_flags


def account(people: dict, ties: list):
    """people: id -> (internal, influence, stance, buying_role); ties: (a, b, strength)."""
    g = nx.DiGraph()
    for pid, (internal, _, stance, role) in people.items():
        g.add_node(pid, name=pid.upper(), internal=internal, stance=stance, buying_role=role)
    for a, b, s in ties:
        g.add_edge(a, b, strength=s)
    inf = pd.DataFrame(
        [
            {"id": pid, "name": pid.upper(), "internal": i, "influence": x, "stance": st,
             "buying_role": r, "coverage_strength": 0.0}
            for pid, (i, x, st, r) in people.items()
        ]
    )  # fmt: skip
    return g, inf


def flags(people, ties) -> dict:
    g, inf = account(people, ties)
    f = risk_flags(g, inf)
    return dict(zip(f["flag"], f["people"]))


US = (True, None, "", "")
DM = (False, 60.0, "", "Decision Maker")


def test_no_strong_ties():
    people = {"u": US, "a": (False, 50.0, "", ""), "d": DM}
    assert "no_strong_ties" in flags(people, [("u", "a", 0.2), ("a", "d", 1)])
    assert "no_strong_ties" not in flags(people, [("u", "a", 0.3), ("a", "d", 1)])


def test_single_threaded_by_contact_and_by_seller():
    people = {"u": US, "v": US, "a": (False, 50.0, "", ""), "b": (False, 40.0, "", ""),
              "d": DM}  # fmt: skip
    # two sellers, both only strongly tied to a
    f = flags(people, [("u", "a", 0.9), ("v", "a", 0.5), ("v", "b", 0.1), ("u", "d", 0.1)])
    assert f["single_threaded"] == ["a"]
    # one seller with strong ties to a and b
    f = flags(people, [("u", "a", 0.9), ("b", "u", 0.5), ("v", "d", 0.1)])
    assert f["single_threaded"] == ["u"]
    # two sellers, two contacts: multi-threaded
    f = flags(people, [("u", "a", 0.9), ("v", "b", 0.5), ("u", "d", 0.1)])
    assert "single_threaded" not in f


def test_no_decision_coverage():
    people = {"u": US, "a": (False, 50.0, "", ""), "d": DM, "e": (False, 30.0, "",
              "Economic Buyer")}  # fmt: skip
    f = flags(people, [("u", "a", 0.9), ("a", "d", 1), ("a", "e", 1)])
    assert f["no_decision_coverage"] == ["d", "e"]
    f = flags(people, [("u", "a", 0.9), ("a", "d", 1), ("e", "u", 0.05)])
    assert "no_decision_coverage" not in f


def test_influential_blocker():
    base = {"u": US, "a": (False, 10.0, "", ""), "b": (False, 20.0, "", ""),
            "c": (False, 30.0, "", ""), "d": DM}  # fmt: skip
    ties = [("u", "a", 0.9), ("u", "d", 0.9)]
    f = flags({**base, "x": (False, 90.0, "blocker", "")}, ties)
    assert f["influential_blocker"] == ["x"]
    f = flags({**base, "x": (False, 5.0, "blocker", "")}, ties)  # a blocker without influence
    assert "influential_blocker" not in f


def test_bow_tie():
    people = {"u": US, "v": US, "a": (False, 50.0, "", ""), "b": (False, 40.0, "", ""),
              "g": (False, 70.0, "", ""), "d": DM}  # fmt: skip
    # our contacts a and b reach the decision maker only through g
    ties = [("u", "a", 0.9), ("v", "b", 0.9), ("a", "g", 0.8), ("b", "g", 0.8), ("g", "d", 1)]
    f = flags(people, ties)
    assert f["bow_tie"] == ["g"] and "single_threaded" not in f
    # a second route from b to the decision maker removes it
    assert "bow_tie" not in flags(people, [*ties, ("b", "d", 0.2)])


def test_example_account_summary_lists_its_risks():
    acct = influence.load("data/example").account("Globex")
    f = acct.risk_flags()
    assert f["flag"].tolist() == ["single_threaded", "no_decision_coverage"]
    assert f["people"].tolist() == [["ae", "arch"], ["ceo", "cio"]]
    s = acct.summary()["risk_flags"]
    assert s.split("; ") == [
        "single_threaded: only Jo Smith on our team has strong ties and all our strong ties "
        "are with Lee Novak",
        "no_decision_coverage: no tie to Maria Chen, Sam Patel",
    ]


def test_engagement_roles():
    people = {
        "u": US,
        "ch": (False, 90.0, "champion", ""),
        "sk": (False, 85.0, "skeptic", ""),
        "ev": (False, 85.0, "", "Technical Buyer"),
        "sp": (False, 95.0, "supporter", ""),
        "calm": (False, 99.0, "supporter", ""),
        "low": (False, 5.0, "skeptic", ""),  # not a key stakeholder
        "eb": (False, 1.0, "neutral", "Economic Buyer"),  # key by buying role
        **{f"n{i}": (False, 0.0, "", "") for i in range(9)},  # top quartile: >= 85
    }
    g, inf = account(people, [("sk", "sp", 0.5)])
    inf.loc[inf["id"] == "calm", "coverage_strength"] = 0.9
    inf.loc[inf["id"] == "sp", "coverage_strength"] = 0.9
    e = engagement(g, inf).set_index("id")
    assert e["suggested_role"].to_dict() == {
        "sp": "supporter",  # tied to a skeptic
        "ch": "coach",
        "ev": "expert/authority",
        "sk": "evaluator",
        "eb": "expert/authority",
    }
    assert "under pressure (ties to SK)" in e.loc["sp", "reason"]
    assert e.loc["sk", "reason"].startswith("SK is a skeptic: consider")
    # a configurable table: drop the coach rule
    from influence.analysis.engagement import RULES

    rules = {k: v for k, v in RULES.items() if k != "coach"}
    assert "ch" not in set(engagement(g, inf, rules)["id"])


def test_account_engagement_on_the_example():
    e = influence.load("data/example").account("Globex").engagement()
    assert list(e.columns) == ["id", "name", "suggested_role", "reason"]
    assert dict(zip(e["id"], e["suggested_role"])) == {
        "ceo": "expert/authority",
        "arch": "coach",
        "cio": "evaluator",
    }
