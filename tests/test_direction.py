"""Influence follows direction: influence flows out of an influencer."""

from datasets import write_tables

import influence


def _ranks(tmp_path, pairs):
    people = [
        {"id": p, "name": p.title(), "account": "Acme"}
        for p in ["ada", "bo", "cy", "di", "ed", "fay"]
    ]
    rels = [{"source": s, "target": t, "type": "advises"} for s, t in pairs]
    rels.append({"source": "bo", "target": "cy", "type": "peer"})
    ds = influence.load(write_tables(tmp_path, people=people, relationships=rels))
    return ds.account("Acme").influencers().set_index("id")


def test_someone_who_asks_everyone_for_advice_is_not_an_influencer(tmp_path):
    # Everyone advises ada: ada asks everyone for advice.
    inf = _ranks(tmp_path / "asks", [(p, "ada") for p in ["bo", "cy", "di", "ed", "fay"]])
    assert inf.loc["ada", "rank"] == 6
    assert inf.loc["ada", "degree"] == 0
    assert inf.loc["ada", "pagerank"] == inf["pagerank"].min()
    assert inf.loc["ada", "closeness"] == 0


def test_someone_everyone_asks_for_advice_is(tmp_path):
    inf = _ranks(tmp_path / "gives", [("ada", p) for p in ["bo", "cy", "di", "ed", "fay"]])
    assert inf.loc["ada", "rank"] == 1
    assert inf.loc["ada", "degree"] == 1.0
    assert inf.loc["ada", "pagerank"] == inf["pagerank"].max()
