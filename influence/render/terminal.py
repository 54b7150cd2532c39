"""Text for a terminal: CRM text without control characters, tables rounded for people.

CRM text is untrusted: a name holding ``ESC ]0;…`` would set the terminal's window title,
``ESC [2J`` clear the screen. :func:`plain` removes every control character (Unicode
category ``Cc``: C0, DEL and C1) and the bidirectional overrides that reorder what is
shown; tabs and line breaks inside a value become spaces. Every line the command line
prints goes through it.
"""

from __future__ import annotations

import math
import re

import pandas as pd

__all__ = ["CONTROL", "DIGITS", "plain", "rounded", "table"]

#: Control characters (C0 but tab and LF, DEL, C1) and bidirectional embeddings,
#: overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

#: Decimals shown for a number in a table for people (CSV and JSON keep full precision).
DIGITS = 2


def plain(text: object, *, lines: bool = True) -> str:
    """``text`` safe to print: control characters removed (:data:`CONTROL`); with
    ``lines=False`` tabs and line breaks become spaces too (one value on one line).

    >>> plain("Eve\\x1b]0;pwned\\x07 Adams\\x1b[2J")
    'Eve]0;pwned Adams[2J'
    >>> plain("a\\tb\\nc", lines=False)
    'a b c'
    """
    text = str(text)
    if not lines:
        text = re.sub(r"[\t\r\n]+", " ", text)
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def rounded(value: object, digits: int = DIGITS) -> object:
    """A number as people read it: at most ``digits`` decimals, trailing zeros kept off
    for whole numbers; other values unchanged.

    >>> rounded(79.87396405593125), rounded(3.0), rounded(0.000123), rounded("x")
    ('79.87', '3', '0.00012', 'x')
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
            return rounded(value.item(), digits)
        return value
    if isinstance(value, int):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return "" if math.isnan(value) else str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    if abs(value) < 10 ** (-digits):  # small but not zero: two significant digits
        return f"{value:.2g}"
    return f"{value:.{digits}f}"


def _cell(value: object, digits: int) -> str:
    if isinstance(value, list | tuple):
        return " → ".join(plain(v, lines=False) for v in value)
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return plain(rounded(value, digits), lines=False)


def table(df: pd.DataFrame, digits: int = DIGITS, max_width: int = 60) -> str:
    """``df`` as an aligned text table for a terminal: numbers rounded (:func:`rounded`),
    lists joined with arrows, cells cleaned (:func:`plain`) and cut at ``max_width``
    characters, numbers right-aligned.

    >>> print(table(pd.DataFrame({"name": ["Ann", "Bo"], "influence": [79.87396, 5.0]})))
    name  influence
    Ann       79.87
    Bo            5
    """
    cols = [plain(c, lines=False) for c in df.columns]
    cells = [[_cell(v, digits) for v in df[c]] for c in df.columns]
    cells = [[v if len(v) <= max_width else v[: max_width - 1] + "…" for v in col] for col in cells]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]  # fmt: skip
    widths = [max([len(h)] + [len(v) for v in col]) for h, col in zip(cols, cells)]
    lines = ["  ".join(h.ljust(w) if not n else h.rjust(w)
                       for h, w, n in zip(cols, widths, numeric)).rstrip()]  # fmt: skip
    for i in range(len(df)):
        parts = [
            col[i].rjust(w) if n else col[i].ljust(w) for col, w, n in zip(cells, widths, numeric)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
