"""The interactive influence map: one self-contained HTML page per account.

:func:`build_map` turns the plain tables the analysis already computed (people with their
metrics, ties, events, warm paths) into an :class:`InfluenceMap`: a single HTML file with
vis-network (the library pyvis draws with, read from the installed pyvis package) and all
data inlined. The page loads nothing from anywhere (a Content-Security-Policy forbids it),
shows inline in Jupyter through an ``<iframe srcdoc>``, and is byte-identical for the same
input.

Visual encoding: node size is influence, colour is stance (or coalition, switchable in
the page), shape is buying role, our own team is a square with a dark-blue border, hidden
influencers get a thick purple border and a "★" after their name; formal reporting lines
are dashed, informal ties solid with width proportional to strength, directed ties carry
arrows.

Layout: :mod:`influence.render.layout` (seeded positions for maps of
:data:`~influence.render.layout.LARGE` or more people). Safety with untrusted CRM text:
:mod:`influence.render.html` (every value as escaped JSON; the page's script builds
every DOM node with ``textContent``).
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markupsafe
import pandas as pd

from influence.io.tables import STANCES
from influence.render.cells import missing, text
from influence.render.files import write_bytes
from influence.render.html import (
    MAP_CSP,
    TEMPLATES,
    json_for_script,
    map_environment,
    script_safe,
    style_safe,
    vis_assets,
)
from influence.render.layout import LARGE, layout, vis_options
from influence.render.palette import HIDDEN_COLOR, STANCE_COLORS, STANCE_ORDER

__all__ = [
    "COALITION_COLORS",
    "InfluenceMap",
    "ROLE_SHAPES",
    "build_map",
    "vis_assets",
]


#: Buying role (lower case) → vis-network shape. Anything else (or none) is a dot.
ROLE_SHAPES: dict[str, str] = {
    "decision maker": "star",
    "executive sponsor": "star",
    "economic buyer": "diamond",
    "champion": "hexagon",
    "technical buyer": "triangle",
    "evaluator": "triangle",
    "business user": "triangleDown",
    "user": "triangleDown",
}

#: Legend rows for shapes, in display order: (shape, description).
SHAPE_LEGEND: tuple[tuple[str, str], ...] = (
    ("star", "Decision maker / executive sponsor"),
    ("diamond", "Economic buyer"),
    ("hexagon", "Champion (buying role)"),
    ("triangle", "Technical buyer / evaluator"),
    ("triangleDown", "Business user"),
    ("dot", "Other or no buying role"),
    ("square", "Our team"),
)

#: Coalition colours, assigned in coalition order (by community number), then cycled.
COALITION_COLORS: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
    "#d37295",
    "#a0cbe8",
)
NO_COALITION_COLOR = STANCE_COLORS["unknown"]
TEAM_FILL = "#cfe0f7"
TEAM_BORDER = "#0b3d91"
EVENT_COLOR = "#afb8c1"
#: Border of a cold champion or supporter (dashed); a hidden influencer keeps purple.
COLD_BORDER = "#0969da"
STANCE_LABELS = {
    "champion": "Champion",
    "supporter": "Supporter",
    "neutral": "Neutral",
    "skeptic": "Skeptic",
    "blocker": "Blocker",
    "unknown": "Unknown",
}

PEOPLE_DEFAULTS: dict[str, Any] = {
    "title": "",
    "department": "",
    "rank": None,
    "influence": float("nan"),
    "pagerank": float("nan"),
    "betweenness": float("nan"),
    "eigenvector": float("nan"),
    "closeness": float("nan"),
    "degree": float("nan"),
    "community": None,
    "coalition": "",
    "network_role": "",
    "hidden_influencer": False,
    "stance": "",
    "buying_role": "",
    "internal": False,
    "strongest_internal_tie_name": "",
    "coverage_strength": float("nan"),
    "last_contact": "",
    "suggested_role": "",
    "engagement_reason": "",
    "predicted_support": float("nan"),
    "days_since_contact": float("nan"),
    "last_activity": "",
    "days_silent": float("nan"),
    "cold": False,
}
TIE_DEFAULTS: dict[str, Any] = {"formal": False, "label": "", "directed": False}


@dataclass(frozen=True)
class InfluenceMap:
    """A rendered influence map: ``html`` is the complete, self-contained page."""

    html: str

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` as UTF-8 (atomically) and return the path."""
        return write_bytes(path, self.html.encode(encoding="utf-8"))

    def _repr_html_(self) -> str:
        """The page in an ``<iframe srcdoc>``: inline in JupyterLab, Notebook and VS Code."""
        doc = html.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{doc}" width="100%" height="650" '
            'style="width:100%;height:650px;border:1px solid #d0d7de;border-radius:6px" '
            'sandbox="allow-scripts" title="Influence map"></iframe>'
        )

    def __repr__(self) -> str:
        return f"<InfluenceMap: {len(self.html):,} characters of HTML>"


def build_map(
    people: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    title: str,
    as_of: str,
    data_range: tuple[str, str],
    events: pd.DataFrame | None = None,
    event_links: pd.DataFrame | None = None,
    paths: dict[str, list[dict]] | None = None,
    color_by: str = "stance",
    seed: int = 7,
    options: dict | None = None,
    support_model: Mapping[str, Any] | None = None,
    tie_count: int | None = None,
    cold_days: float | None = None,
) -> InfluenceMap:
    """Draw the interactive influence map of one account.

    ``people`` has one row per person (``id``, ``name`` and the metric columns the
    analysis produced; optional ``suggested_role`` and ``engagement_reason`` are the
    person's suggested engagement role, shown in the side panel), ``ties`` one row per
    tie (``source``, ``target``, ``strength``, ``formal``, ``label``, ``directed``);
    undirected ties given in both directions are drawn once. ``events`` (``id, date,
    type, subject``) and ``event_links`` (``event_id, person_id``) become optional event
    nodes; ``paths`` maps a person id to the warm paths to them (``{"strength": float,
    "path": [names...]}``). Nothing is computed here: the values are only drawn. The
    page names the influence version in ``<meta name="generator">`` and holds it and
    ``options`` (the analysis options) in the ``analysis`` entry of the ``#map-data``
    JSON.

    ``support_model`` (optional) holds the support model's inputs
    (:func:`influence.analysis.support.model_inputs` plus ``influence``, the weight of
    each of its ``ids``, ``overall``, the overall support, and optionally ``meaning``, it
    in words as the report and ``summary.csv`` give it): the side panel then
    offers a what-if, changing a person's stance and solving the model again in the
    page (``predicted_support`` in ``people`` is shown until then). ``tie_count`` is the
    number of ties the analysis counts (directed, as in ``summary.csv``); the heading
    shows it with the number of connections drawn. People whose ``cold`` column is true
    (champions and supporters without contact from our team in ``cold_days`` days, as
    ``Account.stale`` finds them) get a dashed border and "cold" after their name; the
    side panel gives everyone's days since our last contact (``days_since_contact``),
    and the side panel and tooltip their last activity with anyone (``last_activity``,
    an ISO date, and ``days_silent``, the influencers table's columns).

    >>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bo"], "influence": [80.0, 20.0]})
    >>> ties = pd.DataFrame({"source": ["a"], "target": ["b"], "strength": [0.5]})
    >>> m = build_map(people, ties, title="Acme", as_of="2024-06-30",
    ...               data_range=("2024-01-02", "2024-06-28"))
    >>> m.html.startswith("<!DOCTYPE html>"), "Acme" in m.html
    (True, True)
    """
    if color_by not in ("stance", "coalition"):
        raise ValueError(f"color_by must be 'stance' or 'coalition', not {color_by!r}")
    for col in ("id", "name"):
        if col not in people.columns:
            raise ValueError(f"people has no {col!r} column")
    for col in ("source", "target", "strength"):
        if col not in ties.columns:
            raise ValueError(f"ties has no {col!r} column")

    coalitions = _coalitions(people)
    nodes = _people(people, coalitions, paths or {})
    ids = {n["id"] for n in nodes}
    edges = _ties(ties, ids)
    event_rows = _events(events, event_links, ids)
    n = len(nodes)
    large = n >= LARGE
    if large:
        for p, (x, y) in zip(nodes, layout(nodes, edges, seed), strict=True):
            p["x"], p["y"] = x, y

    data = {
        "title": text(title),
        "as_of": text(as_of),
        "data_range": [text(data_range[0]), text(data_range[1])],
        "color_by": color_by,
        "people": nodes,
        "ties": edges,
        "events": event_rows,
        "coalitions": [{"label": c, "color": col} for c, col in coalitions.items()],
        "stances": [
            {"key": k, "label": STANCE_LABELS[k], "color": STANCE_COLORS[k]} for k in STANCE_ORDER
        ],
        "roles": sorted({p["buying_role"] for p in nodes if not p["internal"]}),
        "colors": {
            "team_fill": TEAM_FILL,
            "team_border": TEAM_BORDER,
            "hidden": HIDDEN_COLOR,
            "event": EVENT_COLOR,
            "no_coalition": NO_COALITION_COLOR,
            "cold": COLD_BORDER,
        },
        "options": vis_options(n, seed, large),
        "support_model": _support_model(support_model, ids),
        "stance_scores": {k: float(v) for k, v in STANCES.items()},
        "analysis": {"influence": _version(), "options": options or {}},
    }
    js, css = vis_assets()
    page = (
        map_environment()
        .get_template("map.html.j2")
        .render(
            title=text(title),
            as_of=text(as_of),
            data_range=(text(data_range[0]), text(data_range[1])),
            n_people=sum(not p["internal"] for p in nodes),
            n_team=sum(p["internal"] for p in nodes),
            n_ties=len(edges) if tie_count is None else int(tie_count),
            n_drawn=len(edges),
            ties_counted=tie_count is not None,
            n_events=len(event_rows),
            n_cold=sum(p["cold"] for p in nodes),
            cold_days=None if cold_days is None else _int(cold_days),
            color_by=color_by,
            csp=MAP_CSP,
            generator=f"influence {_version()}",
            stances=data["stances"],
            coalitions=data["coalitions"],
            shapes=SHAPE_LEGEND,
            colors=data["colors"],
            data_json=markupsafe.Markup(json_for_script(data)),
            vis_js=markupsafe.Markup(script_safe(js)),
            vis_css=markupsafe.Markup(style_safe(css)),
            map_js=markupsafe.Markup(script_safe((TEMPLATES / "map.js").read_text("utf-8"))),
            map_css=markupsafe.Markup(style_safe((TEMPLATES / "map.css").read_text("utf-8"))),
        )
    )
    return InfluenceMap(page)


def _version() -> str:
    from influence import __version__  # read from the package metadata once, on import

    return __version__


# --- values -------------------------------------------------------------------------


def _num(v: object, digits: int = 6) -> float | None:
    """A number rounded for stable output; missing or non-finite values are ``None``."""
    if missing(v):
        return None
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return round(x, digits) if math.isfinite(x) else None


def _int(v: object) -> int | None:
    x = _num(v)
    return None if x is None else int(x)


def _bool(v: object) -> bool:
    return False if missing(v) else bool(v)


def _columns(df: pd.DataFrame, cols: tuple[str, ...]) -> zip:
    """The rows of ``df[cols]`` as tuples of Python values, a column converted at a time
    (far faster than row by row for text held by Arrow); a missing value may come as
    ``None`` where a row would hold ``pd.NA``: the cell helpers take both alike."""
    return zip(*(df[c].tolist() for c in cols), strict=True)


def _with_defaults(df: pd.DataFrame, defaults: Mapping[str, Any]) -> pd.DataFrame:
    missing = {c: v for c, v in defaults.items() if c not in df.columns}
    return df.assign(**{c: [v] * len(df) for c, v in missing.items()}) if missing else df


# --- tables → JSON-ready rows --------------------------------------------------------


def _coalitions(people: pd.DataFrame) -> dict[str, str]:
    """Coalition label → colour, in community order (then label); "" has no colour here."""
    df = _with_defaults(people, {"coalition": "", "community": None})
    order: dict[str, float] = {}
    for label, comm in zip(df["coalition"], df["community"], strict=True):
        label = text(label)
        if not label:
            continue
        c = _num(comm)
        key = c if c is not None else math.inf
        order[label] = min(order.get(label, math.inf), key)
    ranked = sorted(order, key=lambda lab: (order[lab], lab))
    return {lab: COALITION_COLORS[i % len(COALITION_COLORS)] for i, lab in enumerate(ranked)}


def _size(influence: float | None, internal: bool) -> float:
    if influence is None:
        return 14.0 if internal else 10.0
    return round(10.0 + 0.3 * max(0.0, min(100.0, influence)), 2)


def _people(
    people: pd.DataFrame, coalitions: Mapping[str, str], paths: Mapping[str, list[dict]]
) -> list[dict[str, Any]]:
    df = _with_defaults(people, PEOPLE_DEFAULTS)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in df.to_dict("records"):
        pid = text(r["id"])
        if not pid or pid in seen:
            continue
        seen.add(pid)
        internal = _bool(r["internal"])
        hidden = _bool(r["hidden_influencer"])
        cold = _bool(r["cold"]) and not internal
        stance = text(r["stance"]).strip().lower()
        stance = stance if stance in STANCE_COLORS else "unknown"
        role = text(r["buying_role"])
        coalition = text(r["coalition"])
        influence = _num(r["influence"], 3)
        name = text(r["name"]) or pid
        shape = "square" if internal else ROLE_SHAPES.get(role.strip().lower(), "dot")
        border = HIDDEN_COLOR if hidden else TEAM_BORDER if internal else None
        rows.append(
            {
                "id": pid,
                "name": name,
                "label": name + (" ★" if hidden else "") + (" · cold" if cold else ""),
                "title": text(r["title"]),
                "department": text(r["department"]),
                "rank": _int(r["rank"]),
                "influence": influence,
                "pagerank": _num(r["pagerank"]),
                "betweenness": _num(r["betweenness"]),
                "eigenvector": _num(r["eigenvector"]),
                "closeness": _num(r["closeness"]),
                "degree": _num(r["degree"]),
                "community": _int(r["community"]),
                "coalition": coalition,
                "network_role": text(r["network_role"]),
                "hidden": hidden,
                "stance": stance,
                "buying_role": role,
                "internal": internal,
                "tie_name": text(r["strongest_internal_tie_name"]),
                "coverage": _num(r["coverage_strength"], 4),
                "last_contact": text(r["last_contact"]),
                "days_since_contact": _int(r["days_since_contact"]),
                "last_activity": text(r["last_activity"]),
                "days_silent": _int(r["days_silent"]),
                "cold": cold,
                "suggested_role": text(r["suggested_role"]),
                "engagement_reason": text(r["engagement_reason"]),
                "support": _num(r["predicted_support"], 12),
                "paths": _paths(paths.get(pid) or paths.get(r["id"]) or []),
                "shape": shape,
                "size": _size(influence, internal),
                "font_size": round(12 + (influence or 0) / 12.5, 1),
                "fill_stance": TEAM_FILL if internal else STANCE_COLORS[stance],
                "fill_coalition": TEAM_FILL
                if internal
                else coalitions.get(coalition, NO_COALITION_COLOR),
                "border": border if border or not cold else COLD_BORDER,
                "border_width": 5 if hidden else 3 if internal or cold else 1,
            }
        )
    rows.sort(key=lambda p: p["id"])
    return rows


def _sig(v: object) -> float:
    """A finite number to 12 significant digits (stable text, far below the 1e-6 the
    what-if promises); anything else is 0."""
    if type(v) is float and math.isfinite(v):  # most values: _num's checks not needed
        return float(f"{round(v, 15):.12g}")
    x = _num(v, 15)
    return 0.0 if x is None else float(f"{x:.12g}")


def _support_model(model: Mapping[str, Any] | None, ids: set[str]) -> dict[str, Any] | None:
    """The support model's inputs as JSON-ready lists (see :func:`build_map`), or
    ``None`` without a model or when it names people who are not on the map."""
    if not model:
        return None
    people = [text(x) for x in model["ids"]]
    n = len(people)
    cols = ("score", "prior", "susceptibility", "influence")
    if any(p not in ids for p in people) or any(len(model[c]) != n for c in cols):
        return None
    weights = []
    for i, j, w in model["weights"]:
        if 0 <= int(i) < n and 0 <= int(j) < n:
            weights.append([int(i), int(j), _sig(w)])
    return {
        "ids": people,
        "score": [_num(x) for x in model["score"]],
        "prior": [_sig(x) for x in model["prior"]],
        "susceptibility": [_sig(x) for x in model["susceptibility"]],
        "influence": [_sig(x) for x in model["influence"]],
        "weights": weights,
        "anchor_susceptibility": _sig(model["anchor_susceptibility"]),
        "unknown_susceptibility": _sig(model["unknown_susceptibility"]),
        "overall": _num(model.get("overall"), 15),
        "meaning": text(model.get("meaning", "")),
    }


def _paths(items: object) -> list[dict[str, Any]]:
    out = []
    if not isinstance(items, list | tuple):
        return out
    for item in items:
        if not isinstance(item, Mapping):
            continue
        names = item.get("path") or []
        out.append(
            {
                "strength": _num(item.get("strength"), 4),
                "path": [text(x) for x in names],
            }
        )
    return out


def _ties(ties: pd.DataFrame, ids: set[str]) -> list[dict[str, Any]]:
    """Ties between known people; an undirected tie listed both ways is drawn once."""
    df = _with_defaults(ties, TIE_DEFAULTS)
    best: dict[tuple[str, str, bool], dict[str, Any]] = {}
    cols = ("source", "target", "strength", "directed", "formal", "label")
    # text, _num and _bool inlined for the usual types (str, finite float, bool): the
    # same values, without three calls per cell
    for source, target, strength, directed, formal, label in _columns(df, cols):
        a = source if type(source) is str else text(source)
        b = target if type(target) is str else text(target)
        if a == b or a not in ids or b not in ids:
            continue
        if type(strength) is float and math.isfinite(strength):
            strength = round(strength, 4)
        else:
            strength = _num(strength, 4)
            if strength is None:
                continue
        directed = directed if type(directed) is bool else _bool(directed)
        key = (a, b, True) if directed else (min(a, b), max(a, b), False)
        tie = {
            "from": a if directed else key[0],
            "to": b if directed else key[1],
            "strength": strength,
            "formal": formal if type(formal) is bool else _bool(formal),
            "label": label if type(label) is str else text(label),
            "directed": directed,
        }
        old = best.get(key)
        if old is None:
            best[key] = tie
        else:
            formal = old["formal"] or tie["formal"]
            if (tie["strength"], tie["label"]) > (old["strength"], old["label"]):
                old = tie
            best[key] = {**old, "formal": formal}
    out = []
    for i, key in enumerate(sorted(best)):
        t = best[key]
        out.append({"id": f"t{i}", **t})
    return out


def _events(
    events: pd.DataFrame | None, links: pd.DataFrame | None, ids: set[str]
) -> list[dict[str, Any]]:
    """Events with at least one participant on the map, each with its sorted participants."""
    if events is None or links is None or events.empty or links.empty:
        return []
    who: dict[str, set[str]] = {}
    for eid, pid in _columns(links, ("event_id", "person_id")):  # text() inlined for str
        pid = pid if type(pid) is str else text(pid)
        if pid in ids:
            who.setdefault(eid if type(eid) is str else text(eid), set()).add(pid)
    ev = _with_defaults(events, {"date": "", "type": "", "subject": ""})
    rows: dict[str, dict[str, Any]] = {}
    for eid, day, kind, subject in _columns(ev, ("id", "date", "type", "subject")):
        eid = eid if type(eid) is str else text(eid)
        if eid in who and eid not in rows:
            rows[eid] = {
                "id": eid,
                "date": text(day),
                "type": text(kind),
                "subject": text(subject),
                "people": sorted(who[eid]),
            }
    return sorted(rows.values(), key=lambda e: (e["date"], e["id"]))
