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


def test_json_export_is_the_json_modules_text():
    """``to_json`` writes what ``json.dumps(node_link_data, sort_keys=True,
    ensure_ascii=False, indent=1)`` writes (it no longer calls it with ``indent``): text
    with braces, quotes, new lines and accents, NaN and infinities, nested values."""
    import json

    from influence.render.export import _indented, to_json

    g = nx.DiGraph()
    g.add_node("a", name='Ann "{x}"', v=float("nan"), n=None, ok=True, k=3, l=[1, {"b": 2}])
    g.add_node("b}", name="Bé\n}{", v=float("inf"), w=-float("inf"))
    g.add_node("c", name="")
    g.add_edge("a", "b}", strength=0.1 + 0.2, label="},{", formal=False)
    g.add_edge("b}", "c", strength=1.0, label="{", formal=True)
    g.add_edge("c", "a")
    data = nx.node_link_data(g, edges="edges")
    want = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
    assert to_json(g) == want.encode("utf-8")
    for value in ([], {}, [{}], [{"a": 1}, {}], [[1]], {"x": [{"y": {"z": []}}]}, {1: "a"}):
        assert _indented(value) == json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1)
