"""Graph exports: GraphML written directly is byte for byte networkx's writer."""

from __future__ import annotations

import io

import networkx as nx
import pytest

import influence
from influence.render import export


def networkx_graphml(g: nx.DiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


@pytest.mark.parametrize("i", range(3))
def test_graphml_of_the_sample_accounts_is_networkx_s(i):
    ds = influence.load("data/sample")
    acct = ds.account(ds.accounts[i])
    g = export.export_graph(acct.influencers(), acct.ties)
    assert export.to_graphml(g) == networkx_graphml(g)


def test_graphml_of_hostile_text_and_mixed_types_is_networkx_s():
    g = nx.DiGraph()
    g.add_node('a<&>"\t\n\rx', label="Zoë <b>&amp;\"'\n", n=3, f=1.5, b=True, e="")
    g.add_node("empty")
    g.add_node("b", n=4.0, f=2)  # the same names with other types: keys of their own
    g.add_node("lone\udcff", s="x\udcff")  # a lone surrogate: a character reference
    g.add_edge('a<&>"\t\n\rx', "b", w=1, label="x")
    g.add_edge("b", "empty")
    assert export.to_graphml(g) == networkx_graphml(g)
    for h in (nx.DiGraph(), nx.path_graph(3), nx.DiGraph([(1, 2)])):
        assert export.to_graphml(h) == networkx_graphml(h)
    h = nx.DiGraph(name="with graph data")  # networkx writes it
    h.add_edge(1, 2)
    assert export.to_graphml(h) == networkx_graphml(h)


def networkx_gexf(g: nx.DiGraph, date: str | None) -> bytes:
    import re

    buf = io.BytesIO()
    nx.write_gexf(g, buf, encoding="utf-8", prettyprint=True)
    stamp = f' lastmodifieddate="{date}"'.encode() if date else b""
    return re.sub(rb' lastmodifieddate="[^"]*"', stamp, buf.getvalue(), count=1)


@pytest.mark.parametrize("i", range(3))
def test_gexf_of_the_sample_accounts_is_networkx_s(i):
    ds = influence.load("data/sample")
    acct = ds.account(ds.accounts[i])
    g = export.export_graph(acct.influencers(), acct.ties)
    for date in ("2026-01-31", None):
        assert export.to_gexf(g, date) == networkx_gexf(g, date)


def test_gexf_of_hostile_text_and_special_keys_is_networkx_s():
    g = nx.DiGraph()
    g.add_node('a<&>"\t\n\rx', label="Zoë <b>&amp;\"'\n", n=3, f=float("inf"), b=True)
    g.add_node("empty")
    g.add_node("b", n=4.0, nan=float("nan"), d={"k": 1})
    g.add_node("lone\udcff", s="x\udcff")
    g.add_edge('a<&>"\t\n\rx', "b", w=1, label="x")
    g.add_edge("b", "empty")
    assert export.to_gexf(g, "2026-01-01") == networkx_gexf(g, "2026-01-01")
    for h in (nx.DiGraph(), nx.path_graph(3), nx.DiGraph([(1, 2)])):
        assert export.to_gexf(h) == networkx_gexf(h, None)
    h = nx.DiGraph()  # keys networkx turns into markup: networkx writes the graph
    h.add_node(1, start=1, viz={"size": 2.0})
    h.add_edge(1, 2, weight=0.5, id="e")
    assert export.to_gexf(h, "2026-01-01") == networkx_gexf(h, "2026-01-01")
