"""The multi-account ``index.html``: one row per account, sortable, linking to each
account's ``map.html`` and ``report.html``.

The page is self-contained. Its only script (``templates/sort.js``, sorting the table
when a column header is clicked, through the DOM and ``textContent`` only) is allowed
by its SHA-256 hash in the Content-Security-Policy; nothing else may load or run.
Every value is escaped by Jinja's autoescaping and slugs are URL-quoted in links.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from influence.render.report import _missing, environment, integer, number, option_rows, text

#: Summary columns shown first, in this order, with their headers.
KNOWN_COLUMNS: dict[str, str] = {
    "account": "Account",
    "people": "People",
    "stakeholders": "Influencers",
    "coalitions": "Coalitions",
    "coverage_gaps": "Coverage gaps",
    "hidden_influencers": "Hidden influencers",
    "warnings": "Data-quality warnings",
    "top_influencer": "Top influencer",
    "risk_flags": "Risk flags",
}
#: Columns used for links or status rather than shown as their own column.
SPECIAL_COLUMNS = {"slug", "error"}


def script_source() -> str:
    """The index page's sorting script, exactly as embedded."""
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


def _flags(row: dict[str, Any], has_flags: bool) -> list[tuple[str, bool]]:
    """Risk flags of one account as ``(text, severe)``.

    The ``risk_flags`` column (a list, or a ``;``-separated string) is used as given;
    without it, flags are read off the key figures.
    """
    error = text(row.get("error"))
    out: list[tuple[str, bool]] = [("analysis failed", True)] if error else []
    if has_flags:
        v = row.get("risk_flags")
        items = list(v) if isinstance(v, list | tuple | set) else text(v).split(";")
        out += [(text(i).strip(), False) for i in items if text(i).strip()]
        return out
    gaps, warnings = row.get("coverage_gaps"), row.get("warnings")
    if not _missing(gaps) and _is_number(gaps) and float(gaps) > 0:
        n = int(gaps)
        out.append((f"{n} coverage gap{'s' if n != 1 else ''}", True))
    if not _missing(warnings) and _is_number(warnings) and float(warnings) > 0:
        n = int(warnings)
        out.append((f"{n} data warning{'s' if n != 1 else ''}", False))
    return out


def _is_number(v: Any) -> bool:
    """True for ints and floats (not bools or strings)."""
    return isinstance(v, int | float) and not isinstance(v, bool) or hasattr(v, "dtype")


def _cell(v: Any, numeric: bool) -> dict[str, str]:
    """Display text and sort key of one cell."""
    if _missing(v):
        return {"text": "", "sort": ""}
    if numeric:
        f = float(v)
        shown = integer(v) if f.is_integer() else number(v, 1)
        return {"text": shown, "sort": repr(f)}
    if isinstance(v, list | tuple | set):
        v = ", ".join(text(i) for i in v)
    return {"text": text(v), "sort": text(v)}


def index_data(summary: pd.DataFrame, version: str, options: dict) -> dict[str, Any]:
    """The template variables of the index page."""
    has_flags = "risk_flags" in summary
    cols = [c for c in KNOWN_COLUMNS if c in summary and c != "risk_flags"]
    cols += [c for c in summary.columns if c not in KNOWN_COLUMNS and c not in SPECIAL_COLUMNS]
    numeric = {
        c: pd.api.types.is_numeric_dtype(summary[c]) and not pd.api.types.is_bool_dtype(summary[c])
        for c in cols
    }
    headers = [{"text": _header(c), "num": numeric[c]} for c in cols]
    rows = []
    for vals in summary.itertuples(index=False):
        r = dict(zip(summary.columns, vals, strict=True))
        slug = text(r.get("slug")) or text(r.get("account"))
        error = text(r.get("error"))
        flags = _flags(r, has_flags)
        rows.append({
            "cells": [dict(_cell(r.get(c), numeric[c]), num=numeric[c], col=c) for c in cols],
            "href": "" if error or not slug else quote(slug, safe=""),
            "error": error,
            "flags": flags,
            "flags_sort": str(sum(2 if severe else 1 for _, severe in flags)),
        })  # fmt: skip
    totals = {
        c: _cell(pd.to_numeric(summary[c], errors="coerce").sum(), True)["text"]
        for c in ("people", "stakeholders", "coverage_gaps", "warnings")
        if c in summary and numeric.get(c, False)
    }
    return {
        "headers": headers,
        "rows": rows,
        "accounts": len(summary),
        "failed": sum(1 for r in rows if r["error"]),
        "totals": {_header(c): v for c, v in totals.items()},
        "version": text(version),
        "options": option_rows(options),
        "csp": script_csp(),
        "stance_colors": {},
    }  # fmt: skip


def render_index(summary: pd.DataFrame, version: str, options: dict) -> str:
    """``index.html`` for a multi-account run (deterministic for identical input).

    Parameters
    ----------
    summary : one row per account with ``account, slug`` and key figures
        (``people, stakeholders, coalitions, coverage_gaps, hidden_influencers,
        warnings, top_influencer``); optional ``error`` (the account failed: no links)
        and ``risk_flags`` (list or ``;``-separated string); any other column is shown
        as is.
    version : the influence version, shown in the footer.
    options : the run options, shown in the footer.
    """
    return (
        environment().get_template("index.html.j2").render(**index_data(summary, version, options))
    )


def write_index(summary: pd.DataFrame, version: str, options: dict, path: str | Path) -> Path:
    """Render the index and write it to ``path`` as UTF-8; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_index(summary, version, options), encoding="utf-8", newline="\n")
    return path
