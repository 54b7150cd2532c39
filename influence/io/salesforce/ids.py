"""Salesforce record ids: 15- and 18-character forms, normalised to 18 (the checksum
suffix computed on raw Arrow buffers), and the key prefixes of object types."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

ID_SUFFIX = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


_ID_RE = r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?"


_ID = re.compile(_ID_RE)


CONTACT, LEAD, USER, ACCOUNT = "003", "00Q", "005", "001"


ID_COLUMNS = {
    "Id",
    "AccountId",
    "ReportsToId",
    "OwnerId",
    "ManagerId",
    "WhoId",
    "WhatId",
    "EventId",
    "RelationId",
    "ContactId",
    "OpportunityId",
}


def _suffixed_bytes(b: np.ndarray) -> np.ndarray:
    """18-character ids as an ``(n, 18)`` byte array, of 15-character ids as ``(n, 15)``."""
    upper = ((b >= 65) & (b <= 90)).reshape(-1, 3, 5)
    idx = (upper * (1 << np.arange(5))).sum(axis=2)
    suffix = np.frombuffer(ID_SUFFIX, dtype=np.uint8)[idx]
    return np.ascontiguousarray(np.concatenate([b, suffix], axis=1))


def _suffixes(base: list[str]) -> list[str]:
    """18-character ids of 15-character ids (vectorised checksum)."""
    if not base:
        return []
    b = np.frombuffer("".join(base).encode("ascii"), dtype=np.uint8).reshape(-1, 15)
    return _suffixed_bytes(b).view("S18").ravel().astype(str).tolist()


def _arrow_text(values):
    """``values`` (an Arrow string array, or strings) as an Arrow string array."""
    import pyarrow as pa

    if isinstance(values, pa.Array):
        return values
    return pa.array(np.asarray(values, dtype=object), type=pa.string())


def _normalize_distinct(values) -> np.ndarray:
    """:func:`normalize_ids` of distinct strings (an Arrow string array or a sequence).

    Values that are ids as they stand are found and completed with Arrow and NumPy; only
    the others (empty, padded with spaces, not ids) are looked at one by one. Returns an
    object array in the same order.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow_text(values)
    n = len(arr)
    if not n:
        return np.array([], dtype=object)
    ok = pc.match_substring_regex(arr, f"^{_ID_RE}$").to_numpy(zero_copy_only=False)
    ok = np.asarray(ok, dtype=bool)
    everything = bool(ok.all())
    good = arr if everything else arr.filter(pa.array(ok))
    ids = np.array([], dtype=object)
    if len(good):
        offsets = np.frombuffer(good.buffers()[1], dtype=np.int32)[good.offset :][: len(good)]
        data = np.frombuffer(good.buffers()[2], dtype=np.uint8)
        full = _suffixed_bytes(data[offsets[:, None] + np.arange(15)])
        m = len(full)
        ids = pa.StringArray.from_buffers(
            m,
            pa.py_buffer(np.arange(0, 18 * m + 1, 18, dtype=np.int32)),
            pa.py_buffer(full.tobytes()),
        ).to_numpy(zero_copy_only=False)
    if everything:
        return np.asarray(ids, dtype=object)
    out = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object).copy()
    out[ok] = ids
    for i in np.flatnonzero(~ok):
        v = str(out[i]).strip()
        out[i] = _suffixes([v[:15]])[0] if _ID.fullmatch(v) else v
    return out


def normalize_ids(values: pd.Series) -> pd.Series:
    """Salesforce ids in their 18-character, case-insensitive form.

    15-character ids are case-sensitive; the standard checksum (one character per block of
    five, a bit per upper-case letter) makes them 18 characters long, so both forms of
    the same id compare equal. The suffix of 18-character ids is recomputed too (some
    tools lower-case it). Anything that is not an id is only stripped of spaces. Work is
    done once per distinct value, so a million rows with a few thousand ids are cheap.

    >>> normalize_ids(pd.Series(["001A0000006Vm9r", "001A0000006Vm9rIAC", "", "x"])).tolist()
    ['001A0000006Vm9rIAC', '001A0000006Vm9rIAC', '', 'x']
    """
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), ""))
    out = _normalize_distinct([str(u) for u in uniques])
    if (codes < 0).any():  # pragma: no cover - NaN was replaced above
        out = np.append(out, "")
    return pd.Series(out[codes], index=values.index, dtype=object)


def _prefix(ids: pd.Series, prefix: str | tuple[str, ...]) -> pd.Series:
    """Which ids start with ``prefix`` (the key prefix of an object type, or one of them)."""
    codes, uniques = pd.factorize(ids)
    hit = np.array([str(u).startswith(prefix) for u in uniques] + [False], dtype=bool)
    return pd.Series(hit[codes], index=ids.index)
