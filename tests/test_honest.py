"""Honest recommendations (issue #13 part 5): degenerate cases say so instead of
presenting a ranking or a flag that means nothing. Every expectation is worked out by
hand from the rule it tests."""

import pandas as pd
from datasets import write_tables

import influence
from influence.analysis.coverage import NO_TEAM
from influence.analysis.moves import NO_STANCES
from influence.cli import main


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


def levels_dataset(tmp_path, levels: dict, team=True):
    people = [{"id": v, "name": v.upper(), "account": "X", "level": lv} for v, lv in levels.items()]
    ids = list(levels)
    rels = [{"source": a, "target": b, "type": "peer"} for a, b in zip(ids, ids[1:])]
    if team:
        people.append({"id": "us", "name": "Us", "account": "X", "internal": "true"})
        rels.append({"source": "us", "target": ids[0], "type": "peer", "strength": "0.5"})
    return write_tables(tmp_path / "lv", people=people, relationships=rels)


def test_hidden_influencers_that_cannot_run_say_why(tmp_path, capsys):
    # no level and no reports_to: everyone is level 1, nobody could be flagged
    acct = influence.load(star(tmp_path)).account("X")
    assert "hidden influencers not detected: no formal levels recorded" in acct.summary()["caveats"]
    # two levels: the top two are never hidden
    two = influence.load(levels_dataset(tmp_path, dict(zip("abcdef", "112222")))).account("X")
    assert "only 2 formal levels" in two.summary()["caveats"]
    # three levels and six people: detection runs, no caveat about it
    three = influence.load(levels_dataset(tmp_path / "3", dict(zip("abcdef", "122333"))))
    assert "hidden influencers" not in three.account("X").summary()["caveats"]
    out = tmp_path / "out"
    assert main(["analyze", str(star(tmp_path)), "--out", str(out), "--quiet"]) == 0
    assert "X: hidden influencers not detected: no formal levels" in capsys.readouterr().err
    summary = pd.read_csv(out / "summary.csv")
    assert "hidden influencers not detected" in summary.loc[0, "caveats"]
    report = (out / summary.loc[0, "slug"] / "report.html").read_text(encoding="utf-8")
    assert "hidden influencers not detected: no formal levels recorded" in report


def test_no_team_coverage_and_team_flags_not_applicable(tmp_path):
    # the hub c is a decision maker; with no one of ours, nobody is a coverage gap and
    # there is no "no tie to the decision makers" flag: both need a team
    path = star(tmp_path, team=False)
    people = pd.read_csv(path / "people.csv")
    people["buying_role"] = ["", "", "Decision Maker", ""]
    people.to_csv(path / "people.csv", index=False)
    acct = influence.load(path).account("X")
    inf = acct.influencers()
    assert not inf["coverage_gap"].any()
    assert acct.summary()["coverage_gaps"] == 0
    assert "no_decision_coverage" not in acct.risk_flags()["flag"].tolist()
    assert NO_TEAM in acct.summary()["caveats"]
    # with a team (tied to a only), c is a top-quartile gap and the flag holds
    acct = influence.load(star(tmp_path / "t")).account("X")
    assert NO_TEAM not in acct.summary()["caveats"]
    assert "c" in set(acct.influencers().query("coverage_gap")["id"])
