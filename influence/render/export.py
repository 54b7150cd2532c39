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
    ties = ties.sort_values(["source", "target"])
    cols = (ties[c].tolist() for c in ("source", "target", "strength", "formal", "label"))
    g.add_edges_from(
        (a, b, {"strength": float(s), "formal": bool(f), "label": str(label)})
        for a, b, s, f, label in zip(*cols, strict=True)
        if a in people and b in people
    )
    return g


def to_gexf(g: nx.DiGraph, date: str | None = None) -> bytes:
    """GEXF 1.2 bytes (Gephi).

    networkx stamps ``lastmodifieddate`` with today's date; it is set to ``date`` (the
    as-of date of the analysis) or left out, so the same analysis gives the same bytes
    on any day.
    """
    stamp = f' lastmodifieddate="{date}"'.encode() if date else b""
    fast = _gexf(g, stamp.decode())
    if fast is not None:
        return fast.encode("utf-8", "xmlcharrefreplace")
    buf = io.BytesIO()
    nx.write_gexf(g, buf, encoding="utf-8", prettyprint=True)
    return re.sub(rb' lastmodifieddate="[^"]*"', stamp, buf.getvalue(), count=1)


#: Node and edge keys networkx's GEXF writer turns into markup rather than attributes.
_GEXF_NODE_KEYS = {"id", "pid", "start", "end", "parents", "spells", "slices", "viz"}
_GEXF_EDGE_KEYS = {"id", "weight", "type", "start", "end", "spells", "slices", "viz", "key"}


def _gexf(g: nx.DiGraph, stamp: str) -> str | None:
    """``nx.write_gexf(g, prettyprint=True)`` (with ``stamp`` as the meta date), written
    directly, step for step as networkx and ElementTree do it: attribute ids numbered in
    the order met (nodes, then edges), each class's ``attributes`` listed newest first,
    ``label`` as markup, booleans lower case, ElementTree's escaping and networkx's
    indentation. ``None`` for a graph that uses anything else (graph attributes, ids,
    spells, viz, list values, a multigraph): networkx writes those."""
    from xml.etree.ElementTree import _escape_attrib as esc

    from networkx.readwrite.gexf import GEXFWriter

    if g.graph or g.is_multigraph():
        return None
    w = GEXFWriter()
    xml_type = w.xml_type
    ids: dict = {}  # (class, title) -> id
    declared: dict[str, list[str]] = {}  # class -> attribute lines, in order of creation

    def values(cls: str, data: dict, indent: str) -> list[str] | None:
        out = []
        for k, v in data.items():
            t = type(v)
            if t not in xml_type or t is list:
                return None
            title = str(k)
            aid = ids.get((cls, title))
            if aid is None:
                aid = ids[(cls, title)] = str(len(ids))
                declared.setdefault(cls, []).append(
                    f'<attribute id="{aid}" title="{esc(title)}" type="{xml_type[t]}" />'
                )
            if t is bool:
                text = str(v).lower()
            else:
                text = str(v)
                if t is float:
                    text = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
            out.append(f'{indent}<attvalue for="{aid}" value="{esc(text)}" />')
        return out

    nodes = []
    for node, data in g.nodes(data=True):
        if _GEXF_NODE_KEYS & data.keys():
            return None
        rest = {k: v for k, v in data.items() if k != "label"}
        label = esc(str(data.get("label", node)))
        vals = values("node", rest, "          ")
        if vals is None:
            return None
        inner = [_element("attvalues", vals, "        ")] if rest else []
        nodes.append(_element(f'node id="{esc(str(node))}" label="{label}"', inner, "      "))
    edges = []
    for i, (u, v, data) in enumerate(g.edges(data=True)):
        if _GEXF_EDGE_KEYS & data.keys():
            return None
        rest = {k: x for k, x in data.items() if k != "label"}
        head = f'edge source="{esc(str(u))}" target="{esc(str(v))}" id="{i}"'
        if "label" in data:
            head += f' label="{esc(str(data["label"]))}"'
        vals = values("edge", rest, "          ")
        if vals is None:
            return None
        inner = [_element("attvalues", vals, "        ")] if rest else []
        edges.append(_element(head, inner, "      "))
    kind = "directed" if g.is_directed() else "undirected"
    graph = [
        _element(f'attributes mode="static" class="{cls}"', ["      " + a for a in lines], "    ")
        for cls, lines in reversed(declared.items())
    ]
    graph += [_element("nodes", nodes, "    "), _element("edges", edges, "    ")]
    root = (
        f'<gexf xmlns="{esc(w.NS_GEXF)}" xmlns:xsi="{esc(w.NS_XSI)}" '
        f'xsi:schemaLocation="{esc(w.SCHEMALOCATION)}" version="{esc(w.VERSION)}">'
    )
    meta = f"  <meta{stamp}>\n    <creator>NetworkX {nx.__version__}</creator>\n  </meta>"
    body = _element(f'graph defaultedgetype="{kind}" mode="static" name=""', graph, "  ")
    return "\n".join(["<?xml version='1.0' encoding='utf-8'?>", root, meta, body, "</gexf>"]) + "\n"


def to_graphml(g: nx.DiGraph) -> bytes:
    """GraphML bytes (Cytoscape, yEd, igraph): the bytes of ``nx.write_graphml(g,
    prettyprint=True)``, written directly for a plain graph (no graph attributes, no
    node or edge defaults, not a multigraph): networkx's ElementTree pass took seconds
    on a 1,000-person account. Other graphs go through networkx."""
    if g.graph or g.is_multigraph():
        buf = io.BytesIO()
        nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
        return buf.getvalue()
    return _graphml(g).encode("utf-8", "xmlcharrefreplace")


def _graphml(g: nx.DiGraph) -> str:
    """networkx's GraphML writer and ElementTree's serialisation, step for step: a key per
    (name, type, scope) numbered in the order met (graph, nodes, then edges) and listed
    newest first; values as ``str``; ElementTree's escaping; networkx's indentation."""
    from xml.etree.ElementTree import _escape_attrib, _escape_cdata

    from networkx.readwrite.graphml import GraphMLWriter

    xml_type = GraphMLWriter().xml_type  # python type -> GraphML type, as networkx has it
    keys: dict = {}
    key_lines: list[str] = []

    def data(items, scope: str, indent: str) -> list[str]:
        out = []
        for k, v in items:
            t = type(v)
            if t not in xml_type:
                raise nx.NetworkXError(f"GraphML writer does not support {t} as data values.")
            name = str(k)
            kid = keys.get((name, xml_type[t], scope))
            if kid is None:
                kid = keys[(name, xml_type[t], scope)] = f"d{len(keys)}"
                key_lines.append(
                    f'<key id="{kid}" for="{scope}" attr.name="{_escape_attrib(name)}" '
                    f'attr.type="{xml_type[t]}" />'
                )
            text = str(v)
            out.append(
                f'{indent}<data key="{kid}">{_escape_cdata(text)}</data>'
                if text
                else f'{indent}<data key="{kid}" />'
            )
        return out

    body = []
    for node, attrs in g.nodes(data=True):
        lines = data(attrs.items(), "node", "      ")
        body.append(_element(f'node id="{_escape_attrib(str(node))}"', lines, "    "))
    edge_type = "directed" if g.is_directed() else "undirected"
    for u, v, attrs in g.edges(data=True):
        lines = data(attrs.items(), "edge", "      ")
        ends = f'source="{_escape_attrib(str(u))}" target="{_escape_attrib(str(v))}"'
        body.append(_element(f"edge {ends}", lines, "    "))
    head = (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
    )
    graph = _element(f'graph edgedefault="{edge_type}"', body, "  ")
    return "\n".join([head, *("  " + k for k in reversed(key_lines)), graph, "</graphml>"]) + "\n"


def to_json(g: nx.DiGraph) -> bytes:
    """Node-link JSON (``networkx.node_link_data``), sorted and UTF-8."""
    data = nx.node_link_data(g, edges="edges")
    return (_indented(data) + "\n").encode("utf-8")


def _indented(value: object, level: int = 0) -> str:
    """``json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1)``, written
    directly: with ``indent`` the json module encodes in Python, a generator step per
    value, which took seconds for a 5,000-person graph. The same text: scalars as the
    json module writes them (``NaN``, ``Infinity``), keys sorted, one space per level;
    a mapping with a key that is not text goes through the json module.

    >>> v = {"b": [1, 2.5, float("nan")], "a": {"é": None, "t": True}, "c": [], "d": {}}
    >>> _indented(v) == json.dumps(v, sort_keys=True, ensure_ascii=False, indent=1)
    True
    """
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    inner = "\n" + " " * (level + 1)
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if all(_is_flat(v) for v in value):
            return _flat_list(value, level)
        parts = [_indented(v, level + 1) for v in value]
        return "[" + inner + ("," + inner).join(parts) + "\n" + " " * level + "]"
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        if not value:
            return "{}"
        parts = [f"{_string(k)}: {_indented(v, level + 1)}" for k, v in sorted(value.items())]
        return "{" + inner + ("," + inner).join(parts) + "\n" + " " * level + "}"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1)
    return text.replace("\n", "\n" + " " * level)


_string = json.encoder.encode_basestring  # as json.dumps(..., ensure_ascii=False)


def _is_flat(value: object) -> bool:
    """Whether ``value`` is a non-empty mapping of text to scalars (str, number, bool, None)."""
    return (
        type(value) is dict
        and bool(value)
        and set(map(type, value)) == _TEXT
        and set(map(type, value.values())) <= _SCALARS
    )


_TEXT = {str}
_SCALARS = {str, int, float, bool, type(None)}


_SEP = "\x00"  # never in the json module's output: control characters are escaped
_COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(_SEP, ": ")).encode


def _flat_list(items: list | tuple, level: int) -> str:
    """:func:`_indented` of a list of flat mappings (:func:`_is_flat`), from one call of
    the json module's compiled encoder with :data:`_SEP` between items: a separator
    between ``}`` and ``{`` ends one mapping and starts the next (a key starts with
    ``"``, a scalar never ends with ``}``); every other one is between two items of a
    mapping."""
    one, two = "\n" + " " * (level + 1), "\n" + " " * (level + 2)
    body = _COMPACT(list(items))[2:-2]  # without the outer "[{" and "}]"
    body = body.replace("}" + _SEP + "{", one + "}," + one + "{" + two).replace(_SEP, "," + two)
    return "[" + one + "{" + two + body + one + "}" + "\n" + " " * level + "]"


def _element(open_tag: str, lines: list[str], indent: str) -> str:
    """An XML element at ``indent`` holding ``lines`` (self-closing when empty)."""
    if not lines:
        return f"{indent}<{open_tag} />"
    tag = open_tag.split(" ", 1)[0]
    return "\n".join([f"{indent}<{open_tag}>", *lines, f"{indent}</{tag}>"])
