"""Where each record of a CSV text starts: the line number a spreadsheet user looks for.

pandas and pyarrow number records, not lines: a quoted field that spans lines, or a blank
line, shifts every later record. Data-quality findings name the line a record starts on
(the header is line 1), computed here.
"""

from __future__ import annotations

import csv
import io
import threading
from contextlib import contextmanager

import numpy as np

_FIELD_LIMIT = threading.Lock()


@contextmanager
def field_limit():
    """No limit on the size of a field of the csv module, inside the block. A 1 MB notes
    field is still one field: the limit is process-wide, so it is raised for the block
    only, under a lock, and restored."""
    with _FIELD_LIMIT:
        limit = csv.field_size_limit(2**31 - 1)
        try:
            yield
        finally:
            csv.field_size_limit(limit)


def record_lines(text: str | bytes, sep: str, n: int) -> np.ndarray:
    """The line (1-based, header = 1) on which each of the ``n`` data records starts.

    Fast when every record is one line (the usual case); otherwise the text is scanned
    with the csv module, skipping blank (or whitespace-only) lines as pandas does. Should the
    two parsers disagree on the number of records, records are numbered ``2..n+1``.
    """
    nl = b"\n" if isinstance(text, bytes) else "\n"
    newlines = text.count(nl)
    lines = newlines + (0 if text.endswith(nl) else 1)
    cr = b"\r" if isinstance(text, bytes) else "\r"
    if lines == n + 1 and text.count(cr) <= newlines:
        return np.arange(2, n + 2)
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    starts: list[int] = []
    with field_limit():
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
            before = 0
            for rec in reader:
                if rec and (len(rec) > 1 or rec[0].strip()):  # blank lines are skipped
                    starts.append(before + 1)
                before = reader.line_num
        except csv.Error:
            starts = []
    starts = starts[1:]  # the header
    if len(starts) != n:
        return np.arange(2, n + 2)
    return np.asarray(starts, dtype=np.int64)
