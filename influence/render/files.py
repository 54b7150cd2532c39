"""Writing output files safely: atomically, as UTF-8, and CSV cells that Excel will not run.

A killed run never leaves a half-written file: each file is written to a temporary
name in the same folder (``.NAME.RANDOM.part``) and renamed into place (``os.replace``
is atomic on POSIX and Windows); :func:`remove_partial` deletes what a kill left behind.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import pandas as pd

#: A text cell starting with one of these is read as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula start after a line break or a ``;`` inside a cell: a spreadsheet that splits
#: rows at bare CRs or fields at ``;`` (European settings) starts a new cell there.
INNER_FORMULA = re.compile(r"(?<=[\r\n;])(?=[=+\-@\t])")
#: Temporary files of :func:`write_bytes` (``.NAME.RANDOM.part``).
PARTIAL = re.compile(r"^\..+\.[A-Za-z0-9_]+\.part$")


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file next to ``path`` (``.NAME.<random>.part``), opened for writing.

    Created with mode 0o666 so that the process umask applies as to any file the user
    saves (a team folder shares outputs); ``O_EXCL`` makes it ours alone. Unlike
    ``tempfile.mkstemp`` (owner-only files) this needs no umask read, which would mean
    setting it process-wide.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def remove_partial(folder: str | Path) -> int:
    """Delete the temporary files (:data:`PARTIAL`) that a killed :func:`write_bytes` left
    anywhere under ``folder``; returns how many. Symbolic links are not followed."""
    removed = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if PARTIAL.match(name):
                Path(root, name).unlink(missing_ok=True)
                removed += 1
    return removed


def write_text(path: str | Path, text: str) -> Path:
    """Write text as UTF-8 (explicitly: the platform default breaks on Windows), atomically."""
    return write_bytes(path, text.encode("utf-8"))


def neutralise(value: object) -> object:
    """Prefix every part of a text cell that a spreadsheet would run as a formula with
    ``'``: the cell's start, and what follows each line break and each ``;``
    (:data:`INNER_FORMULA`).

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-1"), neutralise(-1)
    ('\\'=HYPERLINK("http://x")', "'-1", -1)
    >>> neutralise("abc\\r=2+2"), neutralise("ann;=1+1;bob")
    ("abc\\r'=2+2", "ann;'=1+1;bob")
    """
    if not isinstance(value, str):
        return value
    value = INNER_FORMULA.sub("'", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A DataFrame as UTF-8 CSV with formula-like text cells neutralised (:func:`neutralise`).

    Only text columns are touched: numbers stay numbers. Lists are joined with ``;``.
    Cells holding the delimiter, a quote, CR or LF are quoted. Rows end with LF; a table
    with a CR in some cell is written with CRLF row ends instead, because Python's CSV
    writer quotes the characters of the row end only (a bare CR in an unquoted cell
    starts a new row in a spreadsheet).
    """
    out = df.copy()
    crlf = False
    for c in out.columns:
        col = out[c]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
            continue
        if col.map(type).eq(list).any():
            col = col.map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
        text = col.astype(object)
        strings = text.map(type).eq(str)
        risky = strings & (
            text.str.startswith(FORMULA_START, na=False)
            | text.str.contains(INNER_FORMULA, na=False)
        )
        crlf = crlf or bool((strings & text.str.contains("\r", regex=False, na=False)).any())
        if risky.any():
            out[c] = text.where(~risky, text[risky].map(neutralise))
        else:
            out[c] = col
    end = "\r\n" if crlf else "\n"
    return out.to_csv(index=False, lineterminator=end, date_format="%Y-%m-%d").encode("utf-8")


def write_csv(path: str | Path, df: pd.DataFrame) -> Path:
    """Write :func:`csv_bytes` of ``df`` to ``path`` atomically."""
    return write_bytes(path, csv_bytes(df))
