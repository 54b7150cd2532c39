"""The networkx-facing analyses are wrappers over the array functions the influencers
table uses: this checks the conversion (ids, node order, our team left out), not the
rules or the metrics, which tests/test_fast_metrics.py compares with networkx's own
functions and tests/test_mutants.py with hand-computed answers.
"""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import influence
from influence.analysis.centrality import influence_metrics
from influence.analysis.communities import coalition_labels, communities
from influence.analysis.coverage import coverage
from influence.analysis.formal import formal_levels, hidden_influencers
from influence.analysis.influencers import COLUMNS, influencers
from influence.analysis.roles import network_roles

DATA = influence.load("data/sample")


def graph_table(g: nx.DiGraph) -> pd.DataFrame:
    """The influencers table built from the networkx-facing functions, one after the other."""
    internal = {v for v, d in g.nodes(data=True) if d.get("internal")}
    # In a shuffled node order: the wrappers must not depend on it.
    ext = g.subgraph([v for v in g if v not in internal][::-1]).copy()
    m = influence_metrics(ext)
    comm = communities(ext)
    names = pd.Series({v: g.nodes[v].get("name", "") for v in g})
    df = pd.DataFrame(index=pd.Index(list(m.index) + sorted(internal, key=str), name="id"))
    df = df.join(m).join(network_roles(ext, m)).join(coverage(g, internal, m["influence"]))
    df["community"] = comm.reindex(df.index)
    df["coalition"] = coalition_labels(comm, m["influence"], names).reindex(df.index)
    df["level"] = formal_levels(g).reindex(df.index)
    df["hidden_influencer"] = hidden_influencers(m["influence"], df["level"]).reindex(df.index)
    return df.reset_index()


@pytest.mark.parametrize("name", DATA.accounts)
def test_graph_functions_give_the_table(name):
    acct = DATA.account(name)
    fast = acct.influencers()
    ref = graph_table(acct.person_graph)
    assert len(fast) == len(ref) > 5
    assert fast["id"].tolist() == ref["id"].tolist()  # same people, same ranking
    for col in ["influence", "pagerank", "betweenness", "eigenvector", "closeness", "degree",
                "constraint", "coverage_strength", "level"]:  # fmt: skip
        a, b = fast[col].to_numpy(float), ref[col].to_numpy(float)
        assert np.allclose(a, b, rtol=0, atol=1e-9, equal_nan=True), col
    assert fast["rank"].tolist() == ref["rank"].astype("Int64").tolist()
    assert fast["network_role"].tolist() == ref["network_role"].fillna("").tolist()
    assert fast["community"].tolist() == ref["community"].astype("Int64").tolist()
    assert fast["coalition"].tolist() == ref["coalition"].fillna("").tolist()
    tie = ref["strongest_internal_tie"].fillna("")
    assert fast["strongest_internal_tie"].tolist() == tie.tolist()
    flag = ref["hidden_influencer"].fillna(False).astype(bool)
    assert fast["hidden_influencer"].tolist() == flag.tolist()
    assert fast["coverage_gap"].tolist() == ref["coverage_gap"].fillna(False).astype(bool).tolist()
    assert set(COLUMNS) <= set(fast.columns)


def test_graph_entry_point_equals_account_table():
    """``influencers(g)`` on any person graph gives the account's table."""
    acct = DATA.account(DATA.accounts[0])
    pd.testing.assert_frame_equal(influencers(acct.person_graph), acct.influencers())
