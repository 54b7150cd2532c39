"""Helpers for reading CRM exports into frames of text: one value per cell, as plain
Python strings.

pandas 3 stores new text columns as Arrow strings, whose ``isin`` and ``map`` are slow on
millions of ids; these helpers keep everything as plain object arrays, work once per
distinct value of a long column, and log each skipped or suspicious row in the
data-quality log (:class:`~influence.io.quality.DataQuality`). The Salesforce and
HubSpot readers share them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from influence.io.quality import DataQuality

__all__ = [
    "as_read",
    "text_column",
    "text_frame",
    "lookup_table",
    "lookup",
    "per_value",
    "warn_rows",
    "skip_rows",
    "skip_checks",
    "first_dates",
]


def as_read(file: str, **columns) -> pd.DataFrame:
    """A frame as the readers return it (what :func:`influence.io.tables.validate` takes):
    ``columns``, with ``_file`` (the file's name) and ``_row`` (each row's line in the
    file: 2 for the first row under the header).

    >>> as_read("people.csv", id=["a", "b"]).values.tolist()
    [['a', 'people.csv', 2], ['b', 'people.csv', 3]]
    """
    return pd.DataFrame(columns).assign(_file=file, _row=lambda d: range(2, len(d) + 2))


def text_column(df: pd.DataFrame, col: str, *, strip: bool = True) -> pd.Series:
    """Column ``col`` as text, stripped unless ``strip`` is false (empty if ``df`` has no
    such column; missing cells as "").

    >>> text_column(pd.DataFrame({"a": [" x ", None]}), "a").tolist()
    ['x', '']
    """
    if col not in df:
        return pd.Series("", index=df.index, dtype=object)
    s = df[col].astype(object)
    s = s.where(s.notna(), "")
    return s.str.strip() if strip else s


def text_frame(columns: dict) -> pd.DataFrame:
    """A frame of object (text) columns."""
    return pd.DataFrame(columns, dtype=object)


def lookup_table(keys, values) -> pd.Series:
    """A lookup table ``key → value`` (first value per key)."""
    t = pd.Series(
        np.asarray(values, dtype=object),
        index=pd.Index(np.asarray(keys, dtype=object), dtype=object),
        dtype=object,
    )
    return t[~t.index.duplicated()]


def lookup(keys: pd.Series, table: pd.Series, default: object = "") -> pd.Series:
    """``table[key]`` for every key (``default`` for keys not in the table)."""
    pos = table.index.get_indexer(pd.Index(keys.to_numpy(dtype=object), dtype=object))
    vals = table.to_numpy(dtype=object)
    out = np.where(pos >= 0, vals[np.maximum(pos, 0)] if len(vals) else default, default)
    return pd.Series(out, index=keys.index, dtype=object)


def per_value(values: pd.Series, fn) -> pd.Series:
    """``fn`` applied once per distinct value of a (long) column."""
    codes, uniques = pd.factorize(values)
    out = np.array([fn(u) for u in uniques] + [fn("")], dtype=object)
    return pd.Series(out[codes], index=values.index, dtype=object)


def warn_rows(
    q: DataQuality,
    df: pd.DataFrame,
    mask: pd.Series | np.ndarray,
    code: str,
    column: str | None,
    message,
    *,
    skipped: bool,
) -> None:
    """Log one finding per flagged row of ``df``; ``message(row)`` gets the row as a dict."""
    idx = np.asarray(mask).nonzero()[0]
    if not len(idx):
        return
    sub = df.iloc[idx]
    files, rows = sub["_file"].tolist(), sub["_row"].tolist()
    for rec, file, row in zip(sub.to_dict("records"), files, rows):
        q.warn(str(file), code, message(rec), int(row), column, skipped=skipped)


def skip_rows(
    q: DataQuality, df: pd.DataFrame, mask, code: str, column: str | None, message
) -> pd.DataFrame:
    """Drop (and log as skipped) the rows of ``df`` flagged in ``mask``."""
    return skip_checks(q, df, [(mask, code, column, message)])


def skip_checks(q: DataQuality, df: pd.DataFrame, checks) -> pd.DataFrame:
    """:func:`skip_rows` for each of ``checks``, ``(mask, code, column, message)``, in
    turn, with one copy of the rows: each check logs the rows it flags among those the
    checks before it kept, and the rows any check flags are dropped at the end.

    The masks are of all the rows of ``df``, computed before any row is dropped: the
    same as :func:`skip_rows` one check after another only where a mask does not depend
    on the rows earlier checks drop. A row-by-row test never does; ``duplicated()`` of
    ids after the check for empty ids does not either (an empty id repeats no other).

    >>> q = DataQuality()
    >>> df = as_read("Task.csv", Id=["", "t1", "t1"])
    >>> ids = df["Id"]
    >>> kept = skip_checks(q, df, [(ids == "", "missing_id", "Id", lambda x: "empty"),
    ...                            (ids.duplicated(), "duplicate_id", "Id", lambda x: "again")])
    >>> kept["_row"].tolist()
    [3]
    >>> [(i.row, i.code) for i in q.issues]
    [(2, 'missing_id'), (4, 'duplicate_id')]
    """
    drop = np.zeros(len(df), dtype=bool)
    for mask, code, column, message in checks:
        mask = np.asarray(mask, dtype=bool) & ~drop
        warn_rows(q, df, mask, code, column, message, skipped=True)
        drop |= mask
    return df[~drop] if drop.any() else df


def first_dates(
    df: pd.DataFrame, cols: list[str], fmt: str, *, text=None
) -> tuple[pd.Series, pd.Series]:
    """The first non-empty of ``cols`` per row, parsed (once per distinct value).

    Returns the values formatted with ``fmt`` (empty where unparseable) and the raw text.
    ``text(df, col)`` gets a column as stripped text (:func:`text_column` by default).
    """
    text = text or text_column
    raw = pd.Series("", index=df.index, dtype=object)
    for c in cols:
        if c in df:
            raw = raw.where(raw != "", text(df, c))
    codes, uniques = pd.factorize(raw)
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(None)
    text = parsed.dt.strftime(fmt).astype(object).where(parsed.notna(), "").to_numpy()
    return pd.Series(text[codes], index=df.index, dtype=object), raw
