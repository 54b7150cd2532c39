"""The per-account ``report.html``: a self-contained, printable account briefing.

:func:`render_report` turns a :class:`ReportContext` (frames and figures the analysis
already computed) into one HTML page: a one-screen summary (overall predicted support
and its meaning, risk flags with the people concerned, the top next moves with their
warm paths, champions and supporters gone cold, the data's range, activity and
caveats), top influencers (each with a sparkline of their influence over the last
periods, recent events, last contact from us and last activity), hidden influencers,
coalitions, coverage gaps, warm
paths to the decision makers, next moves, suggested engagement roles and data-quality
notes with the input's row accounting, with the charts embedded as base64 PNG and the
sparklines as inline SVG. The page loads nothing from anywhere (a CSP forbids it), runs
no script, and every CRM value goes through Jinja's autoescaping. A print stylesheet
makes Print → PDF a paginated review, the summary on the first page. Nothing is
computed here: the numbers are only laid out, rounded for reading and drawn.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from influence.defaults import COLD_DAYS, QUIET_DAYS
from influence.render.cells import (
    date,
    date_range,
    days_ago,
    hops_text,
    integer,
    missing,
    number,
    option_rows,
    signed,
    text,
)
from influence.render.charts import png_bytes
from influence.render.html import environment
from influence.render.palette import STANCE_COLORS

#: Content-Security-Policy of the report: nothing external, no script.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

#: Chart keys → (section id, caption). Charts with other keys go to "More charts".
CHART_SECTIONS: dict[str, tuple[str, str]] = {
    "ranking": ("top", "Influence of the most influential people, coloured by stance"),
    "stance_grid": ("top", "Influence–stance grid: who matters and which way they lean"),
    "coalitions": ("coalitions", "Coalitions by size and stance mix"),
    "coalition": ("coalitions", "Coalitions by size and stance mix"),
    "coverage": ("gaps", "Influence against the strength of our strongest tie"),
}

#: Next moves and champions gone cold the summary at the top lists (the sections below
#: list every next move; ``Account.stale()`` has every cold champion).
SUMMARY_MOVES = 3
SUMMARY_STALE = 5

#: Quality notes listed in full before the rest are only counted.
MAX_QUALITY_ROWS = 200

#: Sparkline size in CSS pixels (the SVG's viewBox) and the inner margin.
SPARK_WIDTH = 96
SPARK_HEIGHT = 24
SPARK_PAD = 2.5


@dataclass
class ReportContext:
    """Everything one account's report shows; built by the pipeline, drawn by the render.

    Attributes
    ----------
    account : the account's display name.
    as_of : the analysis date, as shown (e.g. ``"2024-06-30"``).
    data_range : the period the interactions cover, as shown.
    influencers : the influencers table, one row per person.
    coalitions : one row per coalition: ``community``, ``label`` (or ``coalition``),
        ``size``, ``members`` (list of ids) and optionally ``leader``,
        ``mean_influence`` and stance counts.
    warm_paths : ``target, target_name, rank, strength, hops, path_names`` (list of names).
    trend : influence per person and period, as ``Account.trend()`` gives it
        (``period, id, influence``, …); the top people get a sparkline over its periods.
    next_moves : as ``Account.next_moves()``: ``rank, name, stance, influence, gain,
        path_names, path_strength, reason``.
    engagement : as ``Account.engagement()``: ``id, name, suggested_role, reason``.
    quality : data-quality notes: ``file, row, column, code, message``.
    accounting : rows per input file: ``file, rows_read, rows_used, rows_skipped``.
    charts : figures by key (``ranking``, ``stance_grid``, ``coverage``, ``coalitions``
        or any other key), embedded as PNG; a value may also be the PNG bytes of an
        already rendered figure.
    version : the influence version that produced the report.
    options : run options, listed in the footer.
    top : how many influencers the top table lists.
    caveats : what the analysis cannot say (``Account.caveats()``), one sentence each.
    activity : absolute activity beside the relative 0–100 influence: events in the
        window before the as-of date and the usual number (``Account.activity()``).
    overall_support : ``Account.overall_support()`` (−1..1), ``None`` if not computed.
    support_meaning : that figure in words (``Account.support_meaning()``).
    risk_flags : as ``Account.risk_flags()``: ``flag, people`` (ids), ``detail``.
    stale : as ``Account.stale()``: ``id, name, stance, last_contact,
        days_since_contact, strongest_internal_tie_name``.
    stale_days : the days without contact after which ``stale`` lists a person.

    ``influencers`` may carry ``recent_events`` (``Account.recent_events()``: events in
    the last ``QUIET_DAYS`` days), shown beside influence, and ``days_since_contact``,
    ``last_activity``, ``days_silent`` (the influencers table's own columns).
    """

    account: str
    as_of: str = ""
    data_range: str = ""
    influencers: pd.DataFrame = field(default_factory=pd.DataFrame)
    coalitions: pd.DataFrame = field(default_factory=pd.DataFrame)
    warm_paths: pd.DataFrame = field(default_factory=pd.DataFrame)
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    next_moves: pd.DataFrame = field(default_factory=pd.DataFrame)
    engagement: pd.DataFrame = field(default_factory=pd.DataFrame)
    quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    accounting: pd.DataFrame = field(default_factory=pd.DataFrame)
    charts: dict[str, Figure | bytes] = field(default_factory=dict)
    version: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    top: int = 15
    caveats: list[str] = field(default_factory=list)
    activity: dict[str, Any] = field(default_factory=dict)
    overall_support: float | None = None
    support_meaning: str = ""
    risk_flags: pd.DataFrame = field(default_factory=pd.DataFrame)
    stale: pd.DataFrame = field(default_factory=pd.DataFrame)
    stale_days: int = COLD_DAYS


def stance_key(v: Any) -> str:
    """A stance label restricted to the palette's keys (``unknown`` otherwise)."""
    s = text(v)
    return s if s in STANCE_COLORS else "unknown"


def png_data_uri(fig: Figure | bytes) -> str:
    """A figure (or its PNG bytes) as a ``data:image/png;base64,…`` URI."""
    data = fig if isinstance(fig, bytes) else png_bytes(fig)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _col(df: pd.DataFrame, name: str, default: Any = "") -> pd.Series:
    """Column ``name`` of ``df`` or a column of ``default``."""
    return df[name] if name in df else pd.Series([default] * len(df), index=df.index)


def _external(df: pd.DataFrame) -> pd.DataFrame:
    """External people, by rank (then influence, then name)."""
    if df.empty:
        return df
    ext = df[~_col(df, "internal", False).fillna(False).astype(bool)].copy()
    ext["_infl"] = pd.to_numeric(_col(ext, "influence", float("nan")), errors="coerce")
    ext["_name"] = _col(ext, "name").map(text)
    ext = ext.sort_values("_name", kind="stable").sort_values(
        "_infl", ascending=False, kind="stable", na_position="last"
    )
    return ext.drop(columns=["_infl", "_name"])


def _person_row(r: Mapping[str, Any]) -> dict[str, str]:
    """Display strings for one person of the influencers table."""
    return {
        "rank": integer(r.get("rank")),
        "name": text(r.get("name")),
        "title": text(r.get("title")),
        "department": text(r.get("department")),
        "influence": number(r.get("influence")),
        "stance": text(r.get("stance")),
        "stance_key": stance_key(r.get("stance")),
        "role": text(r.get("network_role")),
        "buying_role": text(r.get("buying_role")),
        "coalition": text(r.get("coalition")),
        "tie_name": text(r.get("strongest_internal_tie_name")),
        "tie_strength": number(r.get("coverage_strength"), 2),
        "last_contact": date(r.get("last_contact")),
        "days_contact": days_ago(r.get("days_since_contact")),
        "days_silent": days_ago(r.get("days_silent")),
        "recent": integer(r.get("recent_events")),
        "cold": False,
        "level": text(r.get("level")),
        "hidden": bool(r.get("hidden_influencer")) if not missing(r.get("hidden_influencer"))
        else False,
    }  # fmt: skip


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts."""
    return [dict(zip(df.columns, vals, strict=True)) for vals in df.itertuples(index=False)]


def _names_of(ids: Iterable[Any], names: Mapping[Any, str], limit: int = 8) -> tuple[list, int]:
    """Display names of ``ids`` (ids themselves when unknown), at most ``limit`` + rest."""
    out = [names.get(i, text(i)) or text(i) for i in ids]
    return out[:limit], max(0, len(out) - limit)


def _coalition_rows(coalitions: pd.DataFrame, names: Mapping[Any, str]) -> list[dict[str, Any]]:
    """Display rows of the coalitions table, largest first."""
    if coalitions.empty:
        return []
    df = coalitions.copy()
    df["_size"] = pd.to_numeric(_col(df, "size", 0), errors="coerce").fillna(0)
    df = df.sort_values("_size", ascending=False, kind="stable")
    rows = []
    for r in _rows(df):
        members = r.get("members")
        if isinstance(members, str) or _missing_list(members):
            members = [] if _missing_list(members) else [members]
        shown, more = _names_of(list(members), names)
        mix = [(s, int(r[s])) for s in STANCE_COLORS if s in r and not missing(r[s]) and r[s]]
        label = text(r.get("label")) or text(r.get("coalition"))
        rows.append({
            "label": label or f"Community {integer(r.get('community'))}",
            "size": integer(r.get("size")),
            "leader": names.get(r.get("leader"), text(r.get("leader"))),
            "mean_influence": number(r.get("mean_influence")),
            "members": shown, "more": more, "mix": mix,
        })  # fmt: skip
    return rows


def _missing_list(v: Any) -> bool:
    """True when ``v`` is a missing scalar rather than a list of members."""
    return not isinstance(v, list | tuple | set) and missing(v)


def _path_rows(paths: pd.DataFrame) -> list[dict[str, Any]]:
    """Display rows of the warm paths, grouped by target (in the given order)."""
    groups: dict[str, dict[str, Any]] = {}
    for r in _rows(paths):
        key = text(r.get("target"))
        g = groups.setdefault(key, {"target": text(r.get("target_name")) or key, "paths": []})
        hops = r.get("path_names")
        hops = [] if _missing_list(hops) else [text(h) for h in hops]
        g["paths"].append({
            "rank": integer(r.get("rank")), "strength": number(r.get("strength"), 2),
            "hops": hops_text(r.get("hops")), "names": hops,
        })  # fmt: skip
    return list(groups.values())


def _trend_series(trend: pd.DataFrame | None) -> tuple[list[str], dict[str, list]]:
    """The periods of ``trend`` (as dates, in order) and each person's influence in them
    (``None`` where the person has no value)."""
    if trend is None or trend.empty or not {"period", "id", "influence"} <= set(trend.columns):
        return [], {}
    when = pd.to_datetime(trend["period"], errors="coerce")
    periods = sorted(set(when.dropna()))
    pos = {p: i for i, p in enumerate(periods)}
    series: dict[str, list] = {}
    for pid, p, v in zip(trend["id"], when, trend["influence"], strict=True):
        if p in pos:
            values = series.setdefault(text(pid), [None] * len(periods))
            values[pos[p]] = None if missing(v) else float(v)
    return [date(p) for p in periods], series


def sparkline(values: list[float | None], periods: list[str]) -> dict[str, Any] | None:
    """SVG geometry of one influence sparkline: ``points`` (a polyline, one point per
    period with a value), ``cx, cy`` (the last point) and a ``label`` naming the first
    and last values. The y axis is the fixed influence scale 0–100, so sparklines are
    comparable across people; ``None`` when there is no value at all.

    >>> s = sparkline([0.0, 50.0, 100.0], ["2024-01-31", "2024-02-29", "2024-03-31"])
    >>> s["points"], s["label"]
    ('2.5,21.5 48.0,12.0 93.5,2.5', 'Influence 0.0 on 2024-01-31, 100.0 on 2024-03-31')
    """
    n = len(values)
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / (n - 1) if n > 1 else 0.0
    span = SPARK_HEIGHT - 2 * SPARK_PAD
    points = []
    for i, v in enumerate(values):
        if v is None or math.isnan(v):
            continue
        x = SPARK_PAD + i * step if n > 1 else SPARK_WIDTH / 2
        y = SPARK_PAD + span * (1 - min(100.0, max(0.0, v)) / 100)
        points.append((i, v, f"{x:.1f}", f"{y:.1f}"))
    if not points:
        return None
    (i0, v0, _, _), (i1, v1, cx, cy) = points[0], points[-1]
    label = f"Influence {v0:.1f} on {periods[i0]}"
    if i1 != i0:
        label += f", {v1:.1f} on {periods[i1]}"
    return {
        "points": " ".join(f"{x},{y}" for _, _, x, y in points),
        "cx": cx,
        "cy": cy,
        "label": label,
    }


def _move_rows(moves: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Display rows of the next moves, in the given order."""
    rows = []
    for r in _rows(moves if moves is not None else pd.DataFrame()):
        path = r.get("path_names")
        path = [] if isinstance(path, str) or _missing_list(path) else [text(h) for h in path]
        rows.append({
            "rank": integer(r.get("rank")),
            "name": text(r.get("name")) or text(r.get("id")),
            "stance": text(r.get("stance")), "stance_key": stance_key(r.get("stance")),
            "influence": number(r.get("influence")),
            "gain": signed(r.get("gain"), 3),
            "path": path, "strength": number(r.get("path_strength"), 2) if path else "",
            "reason": text(r.get("reason")),
        })  # fmt: skip
    return rows


def _engagement_rows(engagement: pd.DataFrame | None) -> list[dict[str, str]]:
    """Display rows of the suggested engagement roles, in the given order."""
    return [
        {"name": text(r.get("name")) or text(r.get("id")),
         "role": text(r.get("suggested_role")), "reason": text(r.get("reason"))}
        for r in _rows(engagement if engagement is not None else pd.DataFrame())
        if text(r.get("suggested_role"))
    ]  # fmt: skip


def _accounting_rows(accounting: pd.DataFrame | None) -> list[dict[str, str]]:
    """Display rows of the row accounting, in the given order."""
    return [
        {"file": text(r.get("file")), "read": integer(r.get("rows_read")),
         "used": integer(r.get("rows_used")), "skipped": integer(r.get("rows_skipped"))}
        for r in _rows(accounting if accounting is not None else pd.DataFrame())
    ]  # fmt: skip


def _charts(charts: Mapping[str, Figure | bytes]) -> dict[str, list[dict[str, str]]]:
    """Charts grouped by section id, each with its data URI and caption."""
    out: dict[str, list[dict[str, str]]] = {}
    for key, fig in charts.items():
        base = key.removesuffix("_chart")
        section, caption = CHART_SECTIONS.get(base, ("more", key.replace("_", " ")))
        out.setdefault(section, []).append(
            {"key": key, "caption": caption, "src": png_data_uri(fig)}
        )
    return out


def _risk_rows(flags: pd.DataFrame | None, names: Mapping[Any, str]) -> list[dict[str, Any]]:
    """Display rows of the risk flags: the flag in words, its detail, the people."""
    rows = []
    for r in _rows(flags if flags is not None else pd.DataFrame()):
        people = r.get("people")
        people = [] if isinstance(people, str) or _missing_list(people) else list(people)
        shown, more = _names_of(people, names)
        flag = text(r.get("flag"))
        rows.append({
            "flag": flag.replace("_", " ").capitalize(), "code": flag,
            "detail": text(r.get("detail")), "people": shown, "more": more,
        })  # fmt: skip
    return rows


def _stale_rows(stale: pd.DataFrame | None) -> list[dict[str, str]]:
    """Display rows of the champions and supporters gone cold, in the given order."""
    return [
        {"id": text(r.get("id")), "name": text(r.get("name")) or text(r.get("id")),
         "stance": text(r.get("stance")), "stance_key": stance_key(r.get("stance")),
         "last_contact": date(r.get("last_contact")),
         "days": days_ago(r.get("days_since_contact")),
         "tie_name": text(r.get("strongest_internal_tie_name"))}
        for r in _rows(stale if stale is not None else pd.DataFrame())
    ]  # fmt: skip


def report_data(ctx: ReportContext) -> dict[str, Any]:
    """The template variables of a report: plain strings, lists and dicts."""
    people = ctx.influencers
    ext = _external(people)
    names = {}
    if not people.empty and "id" in people:
        names = {i: text(n) for i, n in zip(people["id"], _col(people, "name"), strict=True)}
    hidden = ext[_col(ext, "hidden_influencer", False).fillna(False).astype(bool)]
    gaps = ext[_col(ext, "coverage_gap", False).fillna(False).astype(bool)]
    quality = ctx.quality if ctx.quality is not None else pd.DataFrame()
    q_rows = [
        {k: text(r.get(k)) if k != "row" else integer(r.get(k))
         for k in ("file", "row", "column", "code", "message")}
        for r in _rows(quality.head(MAX_QUALITY_ROWS))
    ]  # fmt: skip
    internal = int(_col(people, "internal", False).fillna(False).astype(bool).sum())
    coalitions = _coalition_rows(ctx.coalitions, names)
    periods, series = _trend_series(ctx.trend)
    stale = _stale_rows(ctx.stale)
    cold = {s["id"] for s in stale}
    top = []
    for r in _rows(ext.head(max(ctx.top, 0))):
        row = _person_row(r)
        values = series.get(text(r.get("id")))
        row["spark"] = sparkline(values, periods) if values else None
        row["cold"] = text(r.get("id")) in cold
        top.append(row)
    figures = {
        "people": len(people) - internal,
        "team": internal,
        "coalitions": len(coalitions),
        "hidden": len(hidden),
        "gaps": len(gaps),
        "warnings": len(quality),
    }
    act = ctx.activity or {}
    recent, usual = act.get("recent_events"), act.get("usual_events")
    activity = ""
    if recent is not None:
        activity = f"{int(recent)} events in the {QUIET_DAYS} days before the as-of date"
        if usual is not None and not missing(usual):
            activity += f" (usual: {float(usual):.0f})"
        if act.get("thin_data"):
            activity += ", thin"
        activity += "; influence is relative (0–100, the most influential person is 100)"
    moves = _move_rows(ctx.next_moves)
    support = None
    if not missing(ctx.overall_support) or text(ctx.support_meaning):
        support = {
            "value": signed(ctx.overall_support, 2).replace("-", "\u2212"),
            "meaning": text(ctx.support_meaning),
        }
    return {
        "support": support,
        "risks": _risk_rows(ctx.risk_flags, names),
        "summary_moves": moves[:SUMMARY_MOVES],
        "stale": stale[:SUMMARY_STALE],
        "stale_more": max(0, len(stale) - SUMMARY_STALE),
        "stale_days": integer(ctx.stale_days),
        "quiet_days": QUIET_DAYS,
        "caveats": [text(c) for c in ctx.caveats],
        "activity": activity,
        "account": text(ctx.account),
        "as_of": text(ctx.as_of),
        "data_range": date_range(ctx.data_range),
        "version": text(ctx.version),
        "options": option_rows(ctx.options),
        "figures": figures,
        "top": top,
        "trend_periods": periods,
        "spark": {"width": SPARK_WIDTH, "height": SPARK_HEIGHT},
        "hidden": [_person_row(r) for r in _rows(hidden)],
        "gaps": [{**_person_row(r), "cold": text(r.get("id")) in cold} for r in _rows(gaps)],
        "coalitions": coalitions,
        "paths": _path_rows(ctx.warm_paths) if ctx.warm_paths is not None else [],
        "moves": moves,
        "engagement": _engagement_rows(ctx.engagement),
        "quality": q_rows,
        "accounting": _accounting_rows(ctx.accounting),
        "quality_more": max(0, len(quality) - MAX_QUALITY_ROWS),
        "charts": _charts(ctx.charts),
        "stance_colors": STANCE_COLORS,
        "csp": REPORT_CSP,
    }


def render_report(ctx: ReportContext) -> str:
    """The account's ``report.html`` as a string (deterministic for identical input)."""
    return environment().get_template("report.html.j2").render(**report_data(ctx))


def write_report(ctx: ReportContext, path: str | Path) -> Path:
    """Render the report and write it to ``path`` as UTF-8; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(ctx), encoding="utf-8", newline="\n")
    return path
