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
import sys
import time
from typing import TextIO

import numpy as np
import pandas as pd

__all__ = ["CONTROL", "DIGITS", "LineProgress", "plain", "progress", "rounded", "table"]

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
    if isinstance(value, bool | np.bool_):  # a flag: shown when set
        return "yes" if value else ""
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


#: :class:`LineProgress` prints a line each time this share of the work is done.
PROGRESS_STEP = 0.1


class LineProgress:
    """Progress for a log: a short line each :data:`PROGRESS_STEP` of the work, never
    the carriage-return frames of a bar (``update``/``close`` as :class:`tqdm.tqdm`).

    >>> import io
    >>> log = io.StringIO()
    >>> p = LineProgress(4, log, clock=iter(range(0, 100, 10)).__next__)
    >>> for _ in range(4):
    ...     p.update()
    >>> print(log.getvalue(), end="")
    1/4 accounts (25%), 10 s elapsed, about 30 s left
    2/4 accounts (50%), 20 s elapsed, about 20 s left
    3/4 accounts (75%), 30 s elapsed, about 10 s left
    4/4 accounts (100%), 40 s elapsed
    """

    def __init__(self, total: int, file: TextIO, unit: str = "account", clock=time.monotonic):
        self.total, self.file, self.unit, self.clock = total, file, unit, clock
        self.n = 0
        self.start = clock()
        self.shown = 0  # steps shown

    def update(self, n: int = 1) -> None:
        self.n += n
        if not self.total:
            return
        step = math.floor(self.n / self.total / PROGRESS_STEP + 1e-9)
        if step > self.shown or self.n == self.total and self.shown * PROGRESS_STEP < 1:
            self.shown = step
            elapsed = self.clock() - self.start
            line = f"{self.n}/{self.total} {self.unit}s ({100 * self.n // self.total}%), "
            line += f"{_duration(elapsed)} elapsed"
            if self.n < self.total:
                left = elapsed / self.n * (self.total - self.n)
                line += f", about {_duration(left)} left"
            print(line, file=self.file, flush=True)

    def close(self, clear: bool = False) -> None:
        """Nothing to take back: every line is final."""


def _duration(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s // 60 % 60:02d} min"


class _Bar:
    """A :class:`tqdm.tqdm` bar whose ``close(clear=True)`` removes it (an interrupted
    run leaves no stale bar and estimate behind)."""

    def __init__(self, total: int, file: TextIO, unit: str):
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit=unit, file=file)

    def update(self, n: int = 1) -> None:
        self.bar.update(n)

    def close(self, clear: bool = False) -> None:
        if clear:
            self.bar.leave = False
        self.bar.close()


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self, clear: bool = False) -> None:
        pass


def progress(total: int, enabled: bool = True, file: TextIO | None = None, unit: str = "account"):
    """Progress of ``total`` steps on ``file`` (default: standard error): a bar with an
    ETA on a terminal, :class:`LineProgress` lines elsewhere (a log, a pipe), nothing if
    not ``enabled``. Each has ``update(n=1)`` and ``close(clear=False)``."""
    file = sys.stderr if file is None else file
    if not enabled:
        return _Silent()
    isatty = getattr(file, "isatty", None)
    if isatty is not None and isatty():
        return _Bar(total, file, unit)
    return LineProgress(total, file, unit)
