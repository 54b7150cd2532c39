"""The multi-account ``index.html``: one row per account, sortable and filterable,
linking to each account's ``map.html`` and ``report.html`` where they were drawn.

The page is self-contained. Its only script (``templates/sort.js``: sorting the table
when a column header is clicked, filtering its rows as one types, through the DOM and
``textContent`` only) is allowed by its SHA-256 hash in the Content-Security-Policy;
nothing else may load or run.
Every value is escaped by Jinja's autoescaping and slugs are URL-quoted in links.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from influence.defaults import QUIET_DAYS
from influence.render.cells import date, integer, missing, number, option_rows, signed, text
from influence.render.html import environment

#: Summary columns shown first, in this order, with their headers.
KNOWN_COLUMNS: dict[str, str] = {
    "account": "Account",
    "people": "People",
    "stakeholders": "Influencers",
    "overall_support": "Support",
    "stale": "Gone cold",
    "next_moves": "Next moves",
    "coalitions": "Coalitions",
    "coverage_gaps": "Coverage gaps",
    "hidden_influencers": "Hidden influencers",
    "top_influencer": "Top influencer",
    "recent_events": f"Events ({QUIET_DAYS} d)",
    "data": "Data",
    "risk_flags": "Risk flags",
}
#: Columns used for links, status or another cell rather than shown as their own
#: column; the rest of ``summary.csv`` (ties, events, options ...) is not shown either,
#: so that the page fits a 1,400 px window.
SPECIAL_COLUMNS = {
    "slug", "error", "rendered", "support", "stale_people", "caveats", "first_event",
    "last_event", "thin_data", "usual_events", "as_of", "team", "relationships", "events",
    "ties", "not_yet_active",
}  # fmt: skip
#: Dataset totals: the same on every row of ``summary.csv`` (the data-quality log and
#: the row accounting cover the whole input), shown once in the headline.
DATASET_COLUMNS = {"warnings", "warning_counts", "rows_read", "rows_skipped"}
#: Per-account figures summed in the headline.
TOTALS = ("people", "stakeholders", "coverage_gaps", "stale")


def script_source() -> str:
    """The index page's script (sorting and filtering), exactly as embedded."""
    return environment().get_template("sort.js").render()


def script_csp() -> str:
    """The index page's Content-Security-Policy, allowing only its own script."""
    digest = base64.b64encode(hashlib.sha256(script_source().encode("utf-8")).digest())
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest.decode('ascii')}'"
    )


def _header(col: str) -> str:
    """A column header: the known label or the column name in words."""
    return KNOWN_COLUMNS.get(col, str(col).replace("_", " ").capitalize())


def _flags(row: dict[str, Any], has_flags: bool) -> list[tuple[str, str, bool]]:
    """Risk flags of one account as ``(name, detail, severe)``.

    The ``risk_flags`` column (a list, or a ``;``-separated string of ``flag: detail``)
    is used as given; without it, flags are read off the key figures.
    """
    error = text(row.get("error"))
    out: list[tuple[str, str, bool]] = [("analysis failed", error, True)] if error else []
    if has_flags:
        v = row.get("risk_flags")
        items = list(v) if isinstance(v, list | tuple | set) else text(v).split(";")
        for item in (text(i).strip() for i in items):
            if item:
                flag, _, detail = item.partition(": ")
                out.append((flag.replace("_", " "), detail, False))
        return out
    gaps = row.get("coverage_gaps")
    if not missing(gaps) and _is_number(gaps) and float(gaps) > 0:
        n = int(gaps)
        out.append((f"{n} coverage gap{'s' if n != 1 else ''}", "", True))
    return out


def _is_number(v: Any) -> bool:
    """True for ints and floats (not bools or strings)."""
    return isinstance(v, int | float) and not isinstance(v, bool) or hasattr(v, "dtype")


def _cell(v: Any, numeric: bool, col: str = "") -> dict[str, str]:
    """Display text and sort key of one cell (numbers rounded for reading; the sort key
    keeps full precision)."""
    if missing(v):
        return {"text": "", "sort": ""}
    if numeric:
        f = float(v)
        if col == "overall_support":
            shown = signed(f, 2).replace("-", "\u2212")
        else:
            shown = integer(v) if f.is_integer() else number(v, 1)
        return {"text": shown, "sort": repr(f)}
    if isinstance(v, list | tuple | set):
        v = ", ".join(text(i) for i in v)
    return {"text": text(v), "sort": text(v)}


def _counts(v: Any) -> str:
    """``code=n; code=n`` (``warning_counts``) as ``code n, code n``."""
    parts = [p.strip().partition("=") for p in text(v).split(";") if p.strip()]
    return ", ".join(f"{k.replace('_', ' ')} {n}" for k, _, n in parts)


def _exists(root: Path | None, slug: str, name: str) -> bool:
    """Whether ``root/slug/name`` is a file (always, without a ``root``)."""
    return root is None or (root / slug / name).is_file()


def _data(r: Mapping[str, Any]) -> dict[str, str]:
    """The data cell: the first and last event dates."""
    first, last = date(r.get("first_event")), date(r.get("last_event"))
    shown = f"{first} – {last}" if first and last else first or last
    return {"text": shown, "sort": first}


def index_data(
    summary: pd.DataFrame, version: str, options: dict, root: str | Path | None = None
) -> dict[str, Any]:
    """The template variables of the index page.

    ``root``: the folder the index is written to; an account links to its map and its
    report only if ``root/<slug>/map.html`` (``report.html``) exists. ``None``: a
    ``rendered`` column (when there is one) says which accounts have them.
    """
    root = None if root is None else Path(root)
    has_flags = "risk_flags" in summary
    summary = summary.copy()
    if {"first_event", "last_event"} & set(summary.columns):
        summary["data"] = ""
    shown = [c for c in summary.columns if c not in SPECIAL_COLUMNS | DATASET_COLUMNS]
    cols = [c for c in KNOWN_COLUMNS if c in shown and c != "risk_flags"]
    cols += [c for c in shown if c not in KNOWN_COLUMNS]
    numeric = {
        c: pd.api.types.is_numeric_dtype(summary[c]) and not pd.api.types.is_bool_dtype(summary[c])
        for c in cols
    }
    headers = [{"text": _header(c), "num": numeric[c], "col": c} for c in cols]
    rows = []
    for vals in summary.itertuples(index=False):
        r = dict(zip(summary.columns, vals, strict=True))
        slug = text(r.get("slug")) or text(r.get("account"))
        error = text(r.get("error"))
        drawn = not error and bool(slug)
        if root is None and "rendered" in r and not missing(r.get("rendered")):
            drawn = drawn and bool(r.get("rendered"))
        href = quote(slug, safe="") if drawn else ""
        links = {
            name: bool(href) and _exists(root, slug, f"{name}.html") for name in ("map", "report")
        }
        flags = _flags(r, has_flags)
        cells = []
        for c in cols:
            cell = _data(r) if c == "data" else _cell(r.get(c), numeric[c], c)
            title = ""
            if c == "overall_support":
                title = text(r.get("support"))
            elif c == "stale":
                title = text(r.get("stale_people"))
            elif c == "recent_events" and _truthy(r.get("thin_data")):
                cell["text"] += " (thin)"
            cells.append({**cell, "num": numeric[c], "col": c, "title": title})
        rows.append({
            "cells": cells,
            "href": href,
            "links": links,
            "error": error,
            "caveats": text(r.get("caveats")),
            "caveat_count": len([c for c in text(r.get("caveats")).split(";") if c.strip()]),
            "flags": flags,
            "flags_sort": str(sum(2 if severe else 1 for *_, severe in flags)),
        })  # fmt: skip
    totals = {
        c: _cell(pd.to_numeric(summary[c], errors="coerce").sum(), True)["text"]
        for c in TOTALS
        if c in summary and numeric.get(c, False)
    }
    dataset = []
    first = summary.iloc[0] if len(summary) else pd.Series(dtype=object)
    if "warnings" in first and not missing(first["warnings"]):
        counts = _counts(first.get("warning_counts"))
        dataset.append(("Data-quality warnings", integer(first["warnings"]), counts))
    if "rows_read" in first and not missing(first["rows_read"]):
        skipped = integer(first.get("rows_skipped")) or "0"
        dataset.append(("Input rows read", integer(first["rows_read"]), f"{skipped} skipped"))
    return {
        "headers": headers,
        "rows": rows,
        "accounts": len(summary),
        "failed": sum(1 for r in rows if r["error"]),
        "drawn": sum(1 for r in rows if r["links"]["report"]),
        "totals": {_header(c): v for c, v in totals.items()},
        "dataset": dataset,
        "version": text(version),
        "options": option_rows(options),
        "csp": script_csp(),
        "stance_colors": {},
    }  # fmt: skip


def _truthy(v: Any) -> bool:
    """A yes/no cell (1/0, True/False) as a bool (missing: False)."""
    return not missing(v) and bool(v)


def render_index(
    summary: pd.DataFrame, version: str, options: dict, root: str | Path | None = None
) -> str:
    """``index.html`` for a multi-account run (deterministic for identical input).

    Parameters
    ----------
    summary : one row per account with ``account, slug`` and key figures
        (``people, stakeholders, overall_support, stale, next_moves, coalitions,
        coverage_gaps, hidden_influencers, top_influencer, recent_events, first_event,
        last_event``); optional ``error`` (the account failed: no links), ``rendered``,
        ``risk_flags`` (list or ``;``-separated string), ``caveats``; the dataset's
        totals (:data:`DATASET_COLUMNS`) are shown once; any other column not in
        :data:`SPECIAL_COLUMNS` is shown as is.
    version : the influence version, shown in the footer.
    options : the run options, shown in the footer.
    root : the folder of the run: links only to the files that exist there
        (:func:`index_data`).
    """
    data = index_data(summary, version, options, root)
    return environment().get_template("index.html.j2").render(**data)


def write_index(summary: pd.DataFrame, version: str, options: dict, path: str | Path) -> Path:
    """Render the index and write it to ``path`` as UTF-8, linking only to the files
    next to it; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render_index(summary, version, options, root=path.parent)
    path.write_text(html, encoding="utf-8", newline="\n")
    return path
