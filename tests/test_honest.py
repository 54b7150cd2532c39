"""Honest recommendations (issue #13 part 5): degenerate cases say so instead of
presenting a ranking or a flag that means nothing. Every expectation is worked out by
hand from the rule it tests."""

from datasets import write_tables

import influence
from influence.account import NO_STANCES


def star(tmp_path, stance_of=None, team=True):
    """A star: customer hub ``c`` with leaves ``a``, ``b``, ``d`` (undirected unit ties);
    by symmetry the leaves have equal influence, below the hub's."""
    stance_of = stance_of or {}
    people = [
        {"id": v, "name": v.upper(), "account": "X", "stance": stance_of.get(v, "")} for v in "abcd"
    ]
    rels = [{"source": "c", "target": v, "type": "peer"} for v in "abd"]
    if team:
        people.append({"id": "us", "name": "Us", "account": "X", "internal": "true"})
        rels.append({"source": "us", "target": "a", "type": "peer", "strength": "0.5"})
    return write_tables(tmp_path / "star", people=people, relationships=rels)


def test_next_moves_without_stances_ranked_by_influence_then_id(tmp_path):
    acct = influence.load(star(tmp_path)).account("X")
    moves = acct.next_moves(k=4)
    # hub first (most influence), then the three equal leaves by id
    assert moves["id"].tolist() == ["c", "a", "b", "d"]
    assert all(r.startswith(NO_STANCES) for r in moves["reason"])
    assert NO_STANCES == "no stances recorded: ranked by influence"
    assert not any("moves overall support" in r for r in moves["reason"])
