"""The influencers table: every analysis of one account, one row per person."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from influence.analysis.centrality import DEFAULT_WEIGHTS, influence_metrics
from influence.analysis.communities import SEED, coalition_labels, communities
from influence.analysis.coverage import coverage
from influence.analysis.formal import formal_levels, hidden_influencers
from influence.analysis.roles import network_roles

#: Columns of :func:`influencers`, in order (documented in the README).
COLUMNS = [
    "id",
    "name",
    "title",
    "department",
    "account",
    "rank",
    "influence",
    "pagerank",
    "betweenness",
    "eigenvector",
    "closeness",
    "degree",
    "community",
    "coalition",
    "network_role",
    "constraint",
    "level",
    "hidden_influencer",
    "stance",
    "stance_score",
    "buying_role",
    "internal",
    "strongest_internal_tie",
    "strongest_internal_tie_name",
    "coverage_strength",
    "last_contact",
    "coverage_gap",
]


def influencers(
    g: nx.DiGraph, weights: Mapping[str, float] = DEFAULT_WEIGHTS, seed: int = SEED
) -> pd.DataFrame:
    """Rank the people of an account's person graph.

    Metrics, coalitions, roles and hidden influencers are computed on the graph of the
    customer's own people (nodes with ``internal`` false): our team's meetings do not
    make customer people central. Coverage uses our team's ties. Internal people are
    listed last, with empty metrics.

    Returns a DataFrame with :data:`COLUMNS`, sorted by rank.
    """
    internal = {v for v, d in g.nodes(data=True) if d.get("internal")}
    ext = g.subgraph(sorted((v for v in g if v not in internal), key=str)).copy()
    m = influence_metrics(ext, weights)
    roles = network_roles(ext, m)
    comm = communities(ext, seed=seed)
    names = pd.Series({v: g.nodes[v].get("name", "") for v in g})
    cov = coverage(g, internal, m["influence"])
    attrs = pd.DataFrame.from_dict(dict(g.nodes(data=True)), orient="index")
    attrs.index.name = "id"
    df = attrs.reindex(list(m.index) + sorted(internal, key=str))
    df = df.join(m).join(roles).join(cov)
    df["community"] = comm.reindex(df.index)
    df["coalition"] = coalition_labels(comm, m["influence"], names).reindex(df.index).fillna("")
    df["level"] = formal_levels(g).reindex(df.index)
    df["hidden_influencer"] = hidden_influencers(m["influence"], df["level"]).reindex(df.index)
    df["hidden_influencer"] = df["hidden_influencer"].fillna(False).astype(bool)
    df["strongest_internal_tie"] = df["strongest_internal_tie"].fillna("")
    df["strongest_internal_tie_name"] = df["strongest_internal_tie"].map(names).fillna("")
    df["coverage_gap"] = df["coverage_gap"].fillna(False).astype(bool)
    df["network_role"] = df["network_role"].fillna("")
    df["rank"] = df["rank"].astype("Int64")
    df["internal"] = df["internal"].astype(bool)
    df = df.reset_index()
    for c in COLUMNS:
        if c not in df:
            df[c] = ""
    return df[COLUMNS + [c for c in df.columns if c not in COLUMNS and c != "reports_to"]]
