"""Reading delimited text as CRMs and Excel write it: any of the usual encodings and delimiters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from influence.io.quality import DataQuality, InputError

BOM = b"\xef\xbb\xbf"


def decode(data: bytes, file: str, quality: DataQuality) -> str:
    """Decode bytes as UTF-8 (a BOM is removed), else as Windows-1252, else as Latin-1.

    Excel and many CRMs export in Windows-1252 or ISO-8859-1; the fallback is logged so
    users know which encoding was assumed.
    """
    if data.startswith(BOM):
        data = data[len(BOM) :]
        quality.warn(file, "utf8_bom", "UTF-8 byte-order mark removed")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        first_bad = data[: err.start].count(b"\n") + 1
        for enc in ("cp1252", "latin-1"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            quality.warn(
                file, "encoding", f"not UTF-8 (first bad byte on line {first_bad}); read as {enc}"
            )
            return text
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: comma, semicolon (European Excel), tab or pipe."""
    head = text[:65536]
    try:
        return csv.Sniffer().sniff(head.split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_delimited(
    path: Path, quality: DataQuality, *, label: str | None = None, usecols=None
) -> pd.DataFrame:
    """Read a CSV file as text columns with ``_file``/``_row`` provenance columns.

    Empty files give an empty frame (logged); a file that is not tabular raises
    :class:`InputError` naming it.
    """
    file = label or path.name
    data = path.read_bytes()
    text = decode(data, file, quality)
    if not text.strip():
        quality.warn(file, "empty_file", "the file is empty")
        return pd.DataFrame({"_file": pd.Series(dtype=object), "_row": pd.Series(dtype="Int64")})
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sniff_delimiter(text),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=False,
            usecols=usecols,
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, ValueError) as err:
        raise InputError(file, f"not a readable CSV file ({err})") from None
    df.columns = [str(c).strip() for c in df.columns]
    df["_file"] = file
    df["_row"] = range(2, len(df) + 2)
    quality.rows_read[file] += len(df)
    return df
