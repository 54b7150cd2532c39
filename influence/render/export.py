"""Graph exports for Gephi, Cytoscape and scripts: GEXF, GraphML and JSON.

Each export holds the person graph of one account with every metric of the
influencers table as a node attribute and tie ``strength``, ``formal`` and ``label``
as edge attributes. Values are plain (text, numbers, booleans); missing values are left
out, dates are ISO text. Output is deterministic: nodes and edges sorted.
"""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import pandas as pd


def _plain(value: object) -> object | None:
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def export_graph(influencers: pd.DataFrame, ties: pd.DataFrame) -> nx.DiGraph:
    """A plain-valued DiGraph: people with their metrics, ties with strength and label."""
    g = nx.DiGraph()
    cols = [c for c in influencers.columns if c != "id"]
    for row in influencers.sort_values("id").itertuples(index=False):
        attrs = {c: _plain(v) for c, v in zip(cols, row[1:])}
        g.add_node(row[0], label=attrs.get("name") or row[0])
        g.nodes[row[0]].update({k: v for k, v in attrs.items() if v is not None})
    people = set(g)
    for t in ties.sort_values(["source", "target"]).itertuples(index=False):
        if t.source in people and t.target in people:
            g.add_edge(t.source, t.target, strength=float(t.strength), formal=bool(t.formal),
                       label=str(t.label))  # fmt: skip
    return g


def to_gexf(g: nx.DiGraph, date: str | None = None) -> bytes:
    """GEXF 1.2 bytes (Gephi).

    networkx stamps ``lastmodifieddate`` with today's date; it is set to ``date`` (the
    as-of date of the analysis) or left out, so the same analysis gives the same bytes
    on any day.
    """
    buf = io.BytesIO()
    nx.write_gexf(g, buf, encoding="utf-8", prettyprint=True)
    stamp = f' lastmodifieddate="{date}"'.encode() if date else b""
    return re.sub(rb' lastmodifieddate="[^"]*"', stamp, buf.getvalue(), count=1)


def to_graphml(g: nx.DiGraph) -> bytes:
    """GraphML bytes (Cytoscape, yEd, igraph)."""
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def to_json(g: nx.DiGraph) -> bytes:
    """Node-link JSON (``networkx.node_link_data``), sorted and UTF-8."""
    data = nx.node_link_data(g, edges="edges")
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
