"""Table cells as the render layer shows them: missing values (None, NaN, NA, NaT) as "".

One rule for the map, the report, the index and the change report.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["missing", "text"]


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
