"""The CSV text pandas writes for a table, for many parts of one table at once.

``df.to_csv(index=False, lineterminator="\\n")`` costs several milliseconds for even a
small table and formats cell by cell in Python; hashing the tables of thousands of
accounts (:func:`influence.batch.fingerprint`) that way costs more than analysing them.
:func:`csv_parts` gives the same bytes for each part of a stacked table, formatting each
column of the whole stack once with NumPy. It covers the column types of canonical
tables (text, numbers, booleans, naive datetimes) and returns ``None`` for anything else
(or anything it cannot be sure to write as pandas does), so callers fall back to pandas.

What pandas does, and this module reproduces: floats as ``repr`` (NumPy's shortest
round-trip text), missing values as empty fields, booleans as ``True``/``False``,
integers and other objects via ``str``, datetimes in one format per written table —
``YYYY-MM-DD`` when every value is at midnight, else ``YYYY-MM-DD HH:MM:SS`` with the
sub-second digits (3, 6 or 9) of the finest value present — and fields holding a comma,
a quote or a line break quoted, with quotes doubled (``csv.QUOTE_MINIMAL``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_NEEDS_QUOTES = ("\n", ",", '"')


def csv_parts(df: pd.DataFrame, bounds: np.ndarray) -> list[bytes] | None:
    """``df.iloc[b[i]:b[i+1]].to_csv(index=False, lineterminator="\\n")`` (UTF-8) for
    each part between consecutive ``bounds``, or ``None`` if this module cannot write
    ``df`` exactly as pandas would."""
    if len(df.columns) < 2 or not df.columns.is_unique:
        return None
    bounds = np.asarray(bounds, dtype=np.int64)
    header = df.iloc[:0].to_csv(index=False, lineterminator="\n")
    columns = []
    for i in range(len(df.columns)):
        text = _column(df.iloc[:, i], bounds)
        if text is None:
            return None
        columns.append(text)
    lines = list(map(",".join, zip(*columns))) if len(df) else []
    out = []
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        body = "\n".join(lines[a:b])
        out.append((header + body + ("\n" if b > a else "")).encode("utf-8"))
    return out


def _column(s: pd.Series, bounds: np.ndarray) -> list[str] | None:
    """The fields of one column, as pandas writes them (``None``: not sure how)."""
    dtype = s.dtype
    if isinstance(dtype, np.dtype):
        values = s.to_numpy()
        if dtype.kind == "f" and dtype.itemsize == 8:
            # repr is NumPy's float text (shortest round trip), and faster.
            text = list(map(repr, values.tolist()))
            for i in np.flatnonzero(np.isnan(values)).tolist():
                text[i] = ""
            return text
        if dtype.kind in "iu":
            return values.astype(str).tolist()
        if dtype.kind == "b":
            return np.where(values, "True", "False").tolist()
        if dtype.kind == "M":
            return _datetimes(values, bounds)
        if dtype.kind == "O":
            return _objects(values)
        return None
    if isinstance(dtype, pd.StringDtype):
        return _objects(s.to_numpy(dtype=object, na_value=None))
    if isinstance(dtype, pd.Int64Dtype):
        values = s.to_numpy(dtype=object, na_value=None)
        return ["" if v is None else str(v) for v in values.tolist()]
    return None


def _objects(values: np.ndarray) -> list[str] | None:
    """Text (or integer) objects: missing as "", quoted where needed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "empty":
        return [""] * len(values)
    if kind == "integer":
        missing = pd.isna(values)
        out = np.where(missing, "", values).astype(str) if missing.any() else values.astype(str)
        return out.tolist()
    if kind != "string":
        return None
    arr = pa.array(values, type=pa.string(), from_pandas=True)
    if pc.any(pc.match_substring(arr, "\r")).as_py():
        return None  # whether "\r" alone gets quotes depends on the Python version
    out = values.tolist()
    if arr.null_count:
        for i in np.flatnonzero(arr.is_null().to_numpy(zero_copy_only=False)).tolist():
            out[i] = ""
    quote = pc.fill_null(pc.match_substring_regex(arr, '[\n,"]'), False)
    for i in np.flatnonzero(quote.to_numpy(zero_copy_only=False)).tolist():
        out[i] = '"' + out[i].replace('"', '""') + '"'
    return out


_UNITS = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def _datetimes(values: np.ndarray, bounds: np.ndarray) -> list[str] | None:
    """Naive datetimes, each part in the format pandas picks for it."""
    unit, count = np.datetime_data(values.dtype)
    per_second = _UNITS.get(unit)
    if per_second is None or count != 1:
        return None
    v = values.view(np.int64)
    nat = v == np.iinfo(np.int64).min
    years = values[~nat].astype("datetime64[Y]").astype(np.int64) + 1970
    if len(years) and (years.min() < 1000 or years.max() > 9999):
        return None  # pandas does not pad years to four digits
    out = np.full(len(values), "", dtype=object)
    midnight = v % (86400 * per_second) == 0
    ns = (v % per_second) * (10**9 // per_second)
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        real = ~nat[a:b]
        if not real.any():
            continue
        if midnight[a:b][real].all():
            fmt = "D"
        else:
            frac = ns[a:b][real]
            digits = "ns" if (frac % 1000).any() else "us" if (frac % 10**6).any() else "ms"
            fmt = digits if frac.any() else "s"
        text = np.datetime_as_string(values[a:b][real], unit=fmt).astype("S")
        if fmt != "D":  # "YYYY-MM-DDTHH:MM:SS…": a space for the T
            width = text.dtype.itemsize
            raw = text.view(np.uint8).reshape(-1, width)
            raw[:, 10] = ord(" ")
            text = raw.view(f"S{width}").ravel()
        part = out[a:b]
        part[real] = text.astype(str).astype(object)
        out[a:b] = part
    return out.tolist()
