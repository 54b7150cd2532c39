"""Table cells as the render layer shows them: missing values (None, NaN, NA, NaT) as "",
numbers, dates, counts of days and introductions as text.

One rule for the map, the report, the index and the change report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = [
    "date",
    "date_range",
    "days_ago",
    "hops_text",
    "integer",
    "missing",
    "number",
    "option_rows",
    "plain",
    "signed",
    "text",
]


def missing(v: object) -> bool:
    """True for None, NaN, NA and NaT.

    Plain text, booleans and integers (most cells) are answered without ``pd.isna``,
    whose cost shows on a 1,000-person map.

    >>> missing(None), missing(float("nan")), missing(pd.NaT), missing(""), missing(0)
    (True, True, True, False, False)
    """
    t = type(v)
    if t is str or t is bool or t is int:
        return False
    if t is float:
        return v != v
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def text(v: object) -> str:
    """A value as display text ("" when missing).

    >>> text(None), text(3), text("a")
    ('', '3', 'a')
    """
    return "" if missing(v) else str(v)


def number(v: Any, digits: int = 1) -> str:
    """A number with ``digits`` decimals ("" when missing or not a number)."""
    if missing(v):
        return ""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return "" if math.isnan(f) else f"{f:.{digits}f}"


def integer(v: Any) -> str:
    """An integer ("" when missing)."""
    if missing(v):
        return ""
    try:
        return str(int(v))
    except (TypeError, ValueError):
        return str(v)


def signed(v: Any, digits: int = 2) -> str:
    """A number with an explicit sign and ``digits`` decimals ("" when missing)."""
    s = number(v, digits)
    return s if not s or s.startswith("-") else "+" + s


def date(v: Any) -> str:
    """A date as ``YYYY-MM-DD`` ("" when missing)."""
    if missing(v):
        return ""
    try:
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        return str(v)


def days_ago(v: Any) -> str:
    """A count of days as words: "today", "1 day ago", "168 days ago" ("" when missing)."""
    n = integer(v)
    if not n:
        return ""
    return "today" if n == "0" else f"{n} day{'s' if n != '1' else ''} ago"


def hops_text(v: Any) -> str:
    """A path's length in words: "direct", "1 introduction", "3 introductions"."""
    n = integer(v)
    if not n or not n.lstrip("-").isdigit():
        return n
    k = int(n) - 1
    return "direct" if k <= 0 else f"{k} introduction{'s' if k != 1 else ''}"


def date_range(v: Any) -> str:
    """A period as ``first to last``: from a ``(first, last)`` pair or a string."""
    if isinstance(v, list | tuple) and len(v) == 2:
        first, last = (date(x) for x in v)
        return f"{first} to {last}" if first and last else first or last
    return text(v)


def plain(v: Any) -> str:
    """A run option's value for a person to read: mappings as ``key value, …``, lists
    joined, booleans as yes/no, floats without trailing noise."""
    if isinstance(v, Mapping):
        return ", ".join(f"{text(k)} {plain(x)}" for k, x in v.items()) or "none"
    if isinstance(v, list | tuple | set | frozenset):
        return ", ".join(plain(x) for x in v) or "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and not missing(v):
        return f"{v:g}"
    return text(v)


def option_rows(options: Mapping[Any, Any] | None) -> list[tuple[str, str]]:
    """Run options as ``(name, value)`` display pairs, sorted by name."""
    return sorted((text(k).replace("_", " "), plain(v)) for k, v in (options or {}).items())
