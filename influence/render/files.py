"""Writing output files safely: atomically, as UTF-8, and CSV cells that Excel will not run.

A killed run never leaves a half-written file: each file is written to a temporary
name in the same folder (``.NAME.RANDOM.part``) and renamed into place (``os.replace``
is atomic on POSIX and Windows); :func:`remove_partial` deletes what a kill left behind.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

#: A text cell starting with one of these is read as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula start after a line break or a ``;`` inside a cell: a spreadsheet that splits
#: rows at bare CRs or fields at ``;`` (European settings) starts a new cell there.
INNER_FORMULA = re.compile(r"(?<=[\r\n;])(?=[=+\-@\t])")
#: In a string column's cells joined by NUL, each cell preceded by one: where a cell may
#: start with a formula or hold one after a line break or ``;`` (:func:`_plain_strings`).
FORMULA_HINT = re.compile(r"[\0\n;][=+\-@\t]")
#: Temporary files of :func:`write_bytes` (``.NAME.RANDOM.part``).
PARTIAL = re.compile(r"^\..+\.[A-Za-z0-9_]+\.part$")


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders."""
    path = Path(path)
    try:
        fd, tmp = _create_temporary(path)
    except FileNotFoundError:  # a new folder: created once, not checked for every file
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
        if isinstance(col.dtype, pd.StringDtype):
            if _plain_strings(col):
                continue
        elif not (col.dtype == object or pd.api.types.is_string_dtype(col)):
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


def _plain_strings(col: pd.Series) -> bool:
    """Whether no cell of a string column would be changed by :func:`csv_bytes` or hold a
    CR: one search of its cells joined by NUL (:data:`FORMULA_HINT`) instead of a few per
    cell. ``False`` may also mean a cell holding NUL before a formula start: the column
    is then checked cell by cell.

    >>> _plain_strings(pd.Series(["a;b", None, "c-d"], dtype="str"))
    True
    >>> [_plain_strings(pd.Series(["a", s], dtype="str")) for s in ["-1", "a;=b", "a\\rb"]]
    [False, False, False]
    """
    joined = "\0" + "\0".join(col.dropna().tolist())
    return "\r" not in joined and FORMULA_HINT.search(joined) is None


def csv_many(frames: list[pd.DataFrame]) -> list[bytes]:
    """``[csv_bytes(df) for df in frames]``, with one :func:`csv_bytes` call per group of
    frames it formats alike: not a second writer, the same one called on fewer, larger
    frames (a call costs about 15 ms however small the frame, so a few thousand small
    accounts cost a few calls instead of thousands).

    :func:`csv_bytes` writes a table cell by cell, except that pandas picks one format
    per datetime column (dates only, or the finest sub-second resolution present); so
    frames with the same columns, types and datetime formats, stacked with a separator
    row between them (a row holding a random token), give their CSVs one after the
    other, split at the separator lines. A group whose bytes do not split back into its
    frames is written frame by frame, and so is one whose first frame's bytes differ
    from that frame written alone (checked once per kind of frame and process).

    Parameters
    ----------
    frames : list of pandas.DataFrame
        The tables.

    Returns
    -------
    list of bytes
        Each table's CSV, as :func:`csv_bytes` writes it.

    Examples
    --------
    >>> frames = [pd.DataFrame({"a": ["x", "=1"], "n": [1, 2]}),
    ...           pd.DataFrame({"a": ["y"], "n": [3]})]
    >>> csv_many(frames) == [csv_bytes(df) for df in frames]
    True
    """
    write = csv_bytes
    out: list[bytes | None] = [None] * len(frames)
    groups: dict[tuple, list[int]] = {}
    empty: dict[tuple, bytes] = {}
    for i, df in enumerate(frames):
        key = _csv_kind(df)
        if key is None:
            continue
        if not len(df):  # the header alone: the same for every frame of the kind
            out[i] = empty.get(key) or empty.setdefault(key, write(df))
        else:
            groups.setdefault(key, []).append(i)
    for key, idx in groups.items():
        if len(idx) > 1:
            for i, data in zip(idx, _split_stacked([frames[i] for i in idx], write, key) or []):
                out[i] = data
    return [write(df) if data is None else data for df, data in zip(frames, out)]


def _text_columns(df: pd.DataFrame) -> list[int]:
    """Positions of the text (object or string) columns."""
    return [i for i, t in enumerate(df.dtypes) if _is_text(t)]


_TEXT: dict = {}


def _is_text(dtype) -> bool:
    if dtype not in _TEXT:
        _TEXT[dtype] = (
            isinstance(dtype, np.dtype) and dtype.kind == "O"
        ) or pd.api.types.is_string_dtype(dtype)
    return _TEXT[dtype]


def _csv_kind(df: pd.DataFrame) -> tuple | None:
    """What decides how a frame is written: column names and types, and how pandas
    formats each datetime column (dates only? digits of the finest sub-second part
    present?). ``None`` for frames that cannot be stacked (no text column, repeated
    column names, time zones)."""
    dtypes = df.dtypes.tolist()
    if not df.columns.is_unique or not any(map(_is_text, dtypes)):
        return None
    key: list = [tuple(df.columns.tolist()), tuple(dtypes)]
    for i, t in enumerate(dtypes):
        if t.kind != "M":
            continue
        per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}.get(np.datetime_data(t)[0])
        if per_second is None or getattr(t, "tz", None) is not None:
            return None
        v = df.iloc[:, i].to_numpy().view(np.int64)
        v = v[v != np.iinfo(np.int64).min]  # NaT
        ns = (v % per_second) * (10**9 // per_second)
        digits = 9 if (ns % 1000).any() else 6 if (ns % 10**6).any() else 3 if ns.any() else 0
        key.append((i, bool((v % (86400 * per_second) == 0).all()), digits))
    return tuple(key)


# Kinds of frames (:func:`_csv_kind`) whose stacked CSV was checked against a frame
# written alone, per writer, in this process.
_CHECKED: set[tuple] = set()


def _split_stacked(
    frames: list[pd.DataFrame], write: Callable[[pd.DataFrame], bytes], kind: tuple
) -> list[bytes] | None:
    """The CSV of each frame (all of one :func:`_csv_kind`) from one ``write`` call, or
    ``None`` if the stacked bytes do not split back exactly (see :func:`csv_many`)."""
    import uuid

    sep = frames[0].iloc[[0]].copy()
    token = f"~separator-{uuid.uuid4().hex}~".encode()
    for i in _text_columns(sep):  # every text cell the token: the separator is one line
        c = sep.columns[i]
        sep[c] = pd.Series([token.decode()], index=sep.index, dtype=sep.dtypes.iloc[i])
    data = write(pd.concat([sep] + [x for df in frames for x in (df, sep)], ignore_index=True))
    # header, separator line, first frame's rows, separator line, ...
    at = data.find(token)
    cut = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at) + 1
    if at < 0 or end <= 0:
        return None
    if b"\r" in data:  # CRLF rows (a cell holds a CR: csv_bytes), decided per frame
        return None
    header, line = data[:cut], data[cut:end]
    parts = data[end:].split(line)
    if len(parts) != len(frames) + 1 or parts[-1] != b"":
        return None
    out = [header + p for p in parts[:-1]]
    check = (kind, write)
    if check not in _CHECKED:
        if out[0] != write(frames[0]):
            return None
        _CHECKED.add(check)
    return out


def write_csv(path: str | Path, df: pd.DataFrame) -> Path:
    """Write :func:`csv_bytes` of ``df`` to ``path`` atomically."""
    return write_bytes(path, csv_bytes(df))
