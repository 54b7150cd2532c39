"""Reading delimited text as CRMs and Excel write it: any of the usual encodings and delimiters."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
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


# --- CRM exports: whole folders or zip archives, read fast and column by column -------------


class Bundle:
    """The files of a CRM export: a folder, or a ``.zip`` archive read member by member.

    Files are found by base name, case-insensitively (``contact.CSV`` is ``Contact.csv``);
    a zip is never extracted as a whole.
    """

    def __init__(self, path: Path):
        self.path = path
        self._members: dict[str, str] = {}
        if path.is_dir():
            files = [p for p in path.iterdir() if p.is_file()]
            self._members = {p.name.lower(): p.name for p in sorted(files)}
            self.is_zip = False
        else:
            try:
                with zipfile.ZipFile(path) as z:
                    names = [n for n in z.namelist() if not n.endswith("/")]
            except (zipfile.BadZipFile, OSError) as err:
                raise InputError(path.name, f"not a readable zip archive ({err})") from None
            self._members = {n.rsplit("/", 1)[-1].lower(): n for n in sorted(names)}
            self.is_zip = True

    def names(self) -> list[str]:
        """Base names of the files, as stored."""
        return [m.rsplit("/", 1)[-1] for m in self._members.values()]

    def find(self, name: str) -> str | None:
        """The stored base name of file ``name`` (any case), or ``None``."""
        m = self._members.get(name.lower())
        return None if m is None else m.rsplit("/", 1)[-1]

    def read_bytes(self, name: str) -> bytes:
        """The bytes of file ``name`` (any case)."""
        member = self._members[name.lower()]
        if not self.is_zip:
            return (self.path / member).read_bytes()
        with zipfile.ZipFile(self.path) as z:
            return z.read(member)

    def head(self, name: str, size: int = 65536) -> bytes:
        """The first ``size`` bytes of file ``name``, to look at its header cheaply."""
        member = self._members[name.lower()]
        if not self.is_zip:
            with open(self.path / member, "rb") as f:
                return f.read(size)
        with zipfile.ZipFile(self.path) as z, z.open(member) as f:
            return f.read(size)


def header_of(data: bytes) -> list[str]:
    """The column names in the first line of a CSV file (any usual encoding or delimiter)."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    text = data.decode("utf-8", errors="replace") if data else ""
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        return []
    row = next(csv.reader([first], delimiter=sniff_delimiter(first)), [])
    return [c.strip() for c in row]


def _read_arrow(data: bytes, sep: str, columns: list[str]) -> pd.DataFrame:
    """Parse UTF-8 ``data`` with pyarrow's multi-threaded reader; all columns as text."""
    from pyarrow import csv as pa_csv
    from pyarrow import string

    table = pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(block_size=1 << 24),
        parse_options=pa_csv.ParseOptions(delimiter=sep, newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            include_columns=columns,
            column_types={c: string() for c in columns},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table.to_pandas()


def read_csv_data(
    data: bytes, file: str, quality: DataQuality, *, columns: list[str] | None = None
) -> pd.DataFrame:
    """Read CSV ``data`` like :func:`read_delimited`, keeping only ``columns`` that exist.

    Made for exports of hundreds of MB: only the wanted columns are kept, and UTF-8 text
    (after :func:`decode` has checked it, or re-encoded from its fallback) is parsed with
    pyarrow's multi-threaded reader when pyarrow is installed, else with pandas. Columns
    named in ``columns`` but absent from the file are simply not in the result.
    """
    before = len(quality.issues)
    text = decode(data, file, quality)
    fallback = any(i.code == "encoding" for i in quality.issues[before:])
    if not text.strip():
        quality.warn(file, "empty_file", "the file is empty")
        return pd.DataFrame({"_file": pd.Series(dtype=object), "_row": pd.Series(dtype="Int64")})
    sep = sniff_delimiter(text[:65536])
    raw_header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")], delimiter=sep), [])
    names = {c.strip(): c for c in raw_header}
    wanted = list(names) if columns is None else [c for c in dict.fromkeys(columns) if c in names]
    keep = [names[c] for c in wanted]
    utf8 = data[len(BOM) :] if data.startswith(BOM) else data
    if fallback:
        utf8 = text.encode("utf-8")
    del text
    df = None
    if keep:
        try:
            df = _read_arrow(utf8, sep, keep)
        except Exception:  # pyarrow missing or stricter than pandas: use pandas
            df = None
    if df is None:
        try:
            df = pd.read_csv(
                io.BytesIO(utf8),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                usecols=keep if keep else None,
                encoding="utf-8",
            )
        except (pd.errors.ParserError, ValueError) as err:
            raise InputError(file, f"not a readable CSV file ({err})") from None
        if not keep:
            df = df.iloc[:, :0]
    df.columns = [str(c).strip() for c in df.columns]
    # Plain Python strings: hashing, isin and map on them are fast (pandas 3 would
    # otherwise keep Arrow-backed strings, whose isin falls back to a Python loop).
    df = pd.DataFrame({c: df[c].to_numpy(dtype=object) for c in df.columns})
    df["_file"] = file
    df["_row"] = np.arange(2, len(df) + 2)
    quality.rows_read[file] += len(df)
    return df
