"""The bundled sample data: the analysis finds what was planted in it (data/README.md)."""

import pytest

import influence

PLANTED = {
    "Northwind Logistics": {
        "hidden": "nw-036", "broker": "nw-014", "asker": "nw-023",
        "skeptics": [f"nw-{i:03d}" for i in range(30, 36)],
    },
    "Helios Health Systems": {
        "hidden": "hh-008", "broker": "hh-019", "asker": "hh-030",
        "skeptics": [f"hh-{i:03d}" for i in range(49, 56)],
    },
    "Crestline Bank": {
        "hidden": "cb-033", "broker": "cb-022", "asker": "cb-036",
        "skeptics": [f"cb-{i:03d}" for i in range(67, 75)],
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def sample():
    return influence.load("data/sample")


def test_sample_loads_cleanly(sample):
    assert sample.accounts == sorted(PLANTED)
    assert sample.quality.counts() == {}
    people = sample.tables.people
    sizes = people[~people["internal"]].groupby("account").size()
    assert sizes.between(30, 80).all()
    assert 3 <= people["internal"].sum() <= 5


@pytest.mark.parametrize("account", sorted(PLANTED))
def test_planted_patterns_are_found(sample, account):
    truth = PLANTED[account]
    inf = sample.account(account).influencers().set_index("id")
    ext = inf[~inf["internal"]]
    assert ext.loc[truth["hidden"], "hidden_influencer"]
    assert ext.loc[truth["hidden"], "rank"] <= 5
    assert ext["betweenness"].idxmax() == truth["broker"]
    assert ext.loc[truth["broker"], "network_role"] == "broker"
    skeptics = ext.loc[truth["skeptics"]]
    assert skeptics["community"].nunique() == 1
    coalition = ext[ext["community"] == skeptics["community"].iat[0]]
    assert set(coalition.index) == set(truth["skeptics"])
    assert (coalition["stance"].isin(["skeptic", "blocker"])).all()
    assert ext.loc[truth["asker"], "rank"] > 10


def test_extra_person_columns_stay_on_the_model_graph(sample):
    """people.csv's ``location`` is not a canonical column: it is kept on the node."""
    import csv

    with open("data/sample/people.csv", encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    g = sample.account("Crestline Bank").graph
    people = [v for v, d in g.nodes(data=True) if d["kind"] == "person"]
    assert len(people) > 30
    assert all(g.nodes[v]["location"] == rows[v]["location"] for v in people)
    assert g.nodes["cb-001"]["location"] == "Charlotte"


def test_kept_results_are_handed_out_as_copies(sample):
    """summary(), stale() and caveats() are computed once per account; what a caller
    gets is its own copy, so changing it changes nothing the account gives next."""
    acct = sample.account("Crestline Bank")
    summary, stale, caveats = acct.summary(), acct.stale(), acct.caveats()
    summary["people"], caveats[:] = -1, ["changed"]
    stale.loc[:, "name"] = "changed"
    assert acct.summary()["people"] == len(acct.influencers().query("~internal"))
    assert "changed" not in acct.caveats() and "changed" not in set(acct.stale()["name"])
    assert acct.stale(30).equals(acct.stale(30)) and len(acct.stale(30)) >= len(acct.stale())
