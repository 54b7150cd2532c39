"""Writing output files safely: atomically, as UTF-8, and CSV cells that Excel will not run.

A killed run never leaves a half-written file: each file is written to a temporary
name in the same folder and renamed into place (``os.replace`` is atomic on POSIX and
Windows).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def write_text(path: str | Path, text: str) -> Path:
    """Write text as UTF-8 (explicitly: the platform default breaks on Windows), atomically."""
    return write_bytes(path, text.encode("utf-8"))


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-1"), neutralise(-1)
    ('\\'=HYPERLINK("http://x")', "'-1", -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A DataFrame as UTF-8 CSV with formula-like text cells neutralised.

    Only text columns are touched: numbers stay numbers. Lists are joined with ``;``.
    """
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
            continue
        if col.map(type).eq(list).any():
            col = col.map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
        text = col.astype(object)
        risky = text.map(type).eq(str) & text.str.startswith(FORMULA_START, na=False)
        if risky.any():
            out[c] = text.where(~risky, "'" + text.astype(str))
        else:
            out[c] = col
    return out.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode("utf-8")


def write_csv(path: str | Path, df: pd.DataFrame) -> Path:
    """Write :func:`csv_bytes` of ``df`` to ``path`` atomically."""
    return write_bytes(path, csv_bytes(df))
