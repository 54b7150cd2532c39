"""Reading delimited text as CRMs and Excel write it: any of the usual encodings and delimiters."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from influence import defaults
from influence.io.quality import DataQuality, InputError
from influence.io.records import record_lines
from influence.io.tables import _key

BOM = b"\xef\xbb\xbf"


def decode(data: bytes, file: str, quality: DataQuality) -> str:
    """Decode bytes as UTF-8 (a BOM is removed), else as Windows-1252, else as Latin-1.

    Excel and many CRMs export in Windows-1252 or ISO-8859-1; the fallback is logged so
    users know which encoding was assumed.
    """
    if data.startswith(BOM):
        data = data[len(BOM) :]
        quality.warn(file, "utf8_bom", "UTF-8 byte-order mark removed")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text"
        try:
            text = data.decode("utf-16")
            quality.warn(file, "encoding", "UTF-16 (byte-order mark); read as utf-16")
            return text
        except UnicodeDecodeError:
            pass
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


_FIRST_LINE = re.compile(r"[\r\n]*([^\n]*)")


def _first_line(text: str) -> str:
    r"""The first line of ``text`` after any blank ones (pandas skips them), with its
    ``\r`` if it ends in ``\r\n``: ``text.lstrip("\r\n").split("\n", 1)[0]``, found
    without copying the rest of the text (files of hundreds of MB).

    >>> _first_line("\r\n\nId,Name\r\n1,a\n")
    'Id,Name\r'
    """
    return _FIRST_LINE.match(text).group(1)


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: comma, semicolon (European Excel), tab or pipe."""
    first = _first_line(text[:65536])
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def kept_columns(
    header: list[str], used: Iterable[str], file: str, quality: DataQuality
) -> list[int] | None:
    """Positions of the columns of ``header`` to read: every column whose
    ``_key`` is in ``used``, and the first
    :data:`~influence.defaults.MAX_EXTRA_COLUMNS` others, in file order; ``None`` when
    that is all of them. The columns left out are counted in one ``too_many_columns``
    finding naming the file (row 1, the first column left out).

    >>> q = DataQuality()
    >>> kept_columns(["id", "name"], {"id"}, "people.csv", q) is None
    True
    """
    used = set(used)
    extra = 0
    keep, dropped = [], []
    for i, c in enumerate(header):
        if _key(c) in used:
            keep.append(i)
        elif extra < defaults.MAX_EXTRA_COLUMNS:
            keep.append(i)
            extra += 1
        else:
            dropped.append(i)
    if not dropped:
        return None
    first = str(header[dropped[0]]).strip()
    quality.warn(
        file,
        "too_many_columns",
        f"{len(header):,} columns: {len(dropped):,} are not read, beyond the columns used "
        f"and the first {defaults.MAX_EXTRA_COLUMNS} others (the first not read: {first!r})",
        1,
        first,
    )
    return keep


# --- CRM exports: whole folders or zip archives, read fast and column by column -------------


class Bundle:
    """The files of a CRM export: a folder, or a ``.zip`` archive read member by member.

    Files are found by base name, case-insensitively (``contact.CSV`` is ``Contact.csv``);
    a zip is never extracted as a whole. Looking up a name that two files share (two
    ``Contact.csv`` in one archive) raises :class:`InputError`, as does a file of a folder
    that is a symbolic link to outside it. A zip member is streamed, after checking its
    declared size and compression ratio (:func:`check_member`); a corrupt member raises
    :class:`InputError` naming it.
    """

    def __init__(self, path: Path):
        self.path = path
        self._members: dict[str, str] = {}
        self._clashes: dict[str, list[str]] = {}
        if path.is_dir():
            files = sorted(p.name for p in path.iterdir() if p.is_file())
            self.is_zip = False
        else:
            try:
                with zipfile.ZipFile(path) as z:
                    files = sorted(n for n in z.namelist() if not n.endswith("/"))
            except (zipfile.BadZipFile, OSError) as err:
                raise InputError(path.name, f"not a readable zip archive ({err})") from None
            self.is_zip = True
        for n in files:
            key = n.rsplit("/", 1)[-1].lower()
            if key in self._members:
                self._clashes.setdefault(key, [self._members[key]]).append(n)
            self._members[key] = n

    def names(self) -> list[str]:
        """Base names of the files, as stored."""
        return [m.rsplit("/", 1)[-1] for m in self._members.values()]

    def find(self, name: str) -> str | None:
        """The stored base name of file ``name`` (any case), or ``None``."""
        m = self._members.get(name.lower())
        return None if m is None else m.rsplit("/", 1)[-1]

    def _member(self, name: str) -> str:
        key = name.lower()
        if key in self._clashes:
            both = ", ".join(repr(n) for n in self._clashes[key])
            raise InputError(
                self.path.name,
                f"{len(self._clashes[key])} files named {name} ({both}); "
                "keep one of them (which is meant is not guessed)",
            )
        member = self._members[key]
        if not self.is_zip:
            inside_folder(self.path, member)
        return member

    def read_bytes(self, name: str) -> bytes:
        """The bytes of file ``name`` (any case)."""
        member = self._member(name)
        if not self.is_zip:
            return (self.path / member).read_bytes()
        with zipfile.ZipFile(self.path) as z:
            info = z.getinfo(member)
            check_member(self.path.name, info)
            out = bytearray()
            with _corrupt(self.path.name, member), z.open(info) as f:
                while chunk := f.read(1 << 22):
                    out += chunk
            return bytes(out)

    def head(self, name: str, size: int = 65536) -> bytes:
        """The first ``size`` bytes of file ``name``, to look at its header cheaply."""
        member = self._member(name)
        if not self.is_zip:
            with open(self.path / member, "rb") as f:
                return f.read(size)
        with zipfile.ZipFile(self.path) as z, _corrupt(self.path.name, member), z.open(member) as f:
            return f.read(size)


def inside_folder(folder: Path, name: str) -> Path:
    """``folder / name``, or :class:`InputError` if it is a symbolic link that leads out of
    ``folder`` (an export is read from its own folder only)."""
    path = folder / name
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(folder.resolve()):
            raise InputError(
                name,
                f"is a symbolic link to {str(target)!r}, outside the folder {folder.name!r}; "
                "copy the file into the folder to read it",
            )
    return path


def check_member(archive: str, info: zipfile.ZipInfo) -> None:
    """Refuse a zip member whose declared size or compression ratio is too large
    (:data:`~influence.defaults.ZIP_MAX_MEMBER_BYTES`,
    :data:`~influence.defaults.ZIP_MAX_RATIO`), before reading any of it. The declared
    size also bounds what is read: :mod:`zipfile` stops there."""
    size, packed = info.file_size, max(info.compress_size, 1)
    where = f"{archive}: {info.filename}"
    if size > defaults.ZIP_MAX_MEMBER_BYTES:
        raise InputError(
            where,
            f"expands to {size:,} bytes, over the limit of {defaults.ZIP_MAX_MEMBER_BYTES:,}; "
            "not read (a zip bomb, or split the export)",
        )
    if size > defaults.ZIP_RATIO_FROM_BYTES and size / packed > defaults.ZIP_MAX_RATIO:
        raise InputError(
            where,
            f"expands {size / packed:,.0f} times ({packed:,} to {size:,} bytes), over the "
            f"limit of {defaults.ZIP_MAX_RATIO:,} times; not read (a zip bomb?)",
        )


@contextmanager
def _corrupt(archive: str, member: str):
    """Turn the errors of a damaged zip member into one :class:`InputError` naming it."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
        raise InputError(f"{archive}: {member}", f"corrupt zip member ({err})") from None


def header_of(data: bytes) -> list[str]:
    """The column names in the first line of a CSV file (any usual encoding or delimiter)."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    text = data.decode("utf-8", errors="replace") if data else ""
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        return []
    try:
        row = next(csv.reader([first], delimiter=sniff_delimiter(first)), [])
    except csv.Error:  # not a CSV header: the caller finds no known columns
        return []
    return [c.strip() for c in row]


def _read_arrow(data: bytes, sep: str, columns: list[str]):
    """Parse UTF-8 ``data`` with pyarrow's multi-threaded reader into an Arrow table of text."""
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
    return table


#: ``clean(column, distinct)``: the distinct values of a column (an Arrow string array) cleaned,
#: as an object array in the same order, or ``None`` to keep them as they are.
Clean = Callable[[str, object], "np.ndarray | None"]


def _arrow_objects(col, name: str, clean: Clean | None) -> np.ndarray:
    """An Arrow text column as an object array, each distinct string built (and cleaned) once.

    Columns of millions of rows hold few distinct values (ids, types, dates), so this is much
    faster than converting every cell, and ``clean`` only sees the distinct values.
    """
    import pyarrow.compute as pc

    if col.null_count:  # not produced by _read_arrow; keep the plain conversion
        return _clean_objects(col.to_numpy(zero_copy_only=False).astype(object), name, clean)
    if len(col) == 0:
        return np.array([], dtype=object)
    if hasattr(col, "combine_chunks"):  # hashing chunk by chunk is much slower
        try:
            col = col.combine_chunks()
        except Exception:  # over 2 GB of text in one column: convert cell by cell
            return _clean_objects(col.to_numpy().astype(object), name, clean)
    coded = pc.dictionary_encode(col)
    distinct, idx = coded.dictionary, coded.indices.to_numpy(zero_copy_only=False)
    cleaned = None if clean is None else clean(name, distinct)
    if cleaned is None:
        values = distinct.to_numpy(zero_copy_only=False).astype(object, copy=False)
    else:
        values = np.asarray(cleaned, dtype=object)
    return values[idx]


def _clean_objects(values: np.ndarray, name: str, clean: Clean | None) -> np.ndarray:
    """``clean`` applied to an object array once per distinct value (missing values as "")."""
    if clean is None:
        return values
    s = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(s.where(s.notna(), ""))
    import pyarrow as pa

    cleaned = clean(name, pa.array(np.asarray(distinct, dtype=object), type=pa.string()))
    if cleaned is None:
        return values
    return np.asarray(cleaned, dtype=object)[codes]


def read_csv_data(
    data: bytes,
    file: str,
    quality: DataQuality,
    *,
    columns: list[str] | None = None,
    clean: Clean | None = None,
    used: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read CSV ``data`` as text columns with ``_file``/``_row`` provenance columns: the one
    CSV reader (canonical folders, Salesforce and HubSpot exports), keeping only
    ``columns`` that exist.

    Empty files give an empty frame (logged); a file that is not tabular raises
    :class:`InputError` naming it. Made for exports of hundreds of MB: only the wanted
    columns are kept, and UTF-8 text
    (after :func:`decode` has checked it, or re-encoded from its fallback) is parsed with
    pyarrow's multi-threaded reader when pyarrow is installed, else with pandas. Columns
    named in ``columns`` but absent from the file are simply not in the result.

    Columns hold plain Python strings (object dtype). ``clean(column, values)``, when given,
    maps the distinct values of each column (an object array) to cleaned values, or returns
    ``None`` to keep them; missing cells (pandas fallback only) are cleaned as "" then.
    Without ``columns`` but with ``used`` (column keys), a file of many columns is read
    as :func:`kept_columns` says.
    """
    before = len(quality.issues)
    text = decode(data, file, quality)
    fallback = any(i.code == "encoding" for i in quality.issues[before:])
    if not text or text.isspace():  # not text.strip(), a copy of the whole text
        quality.warn(file, "empty_file", "the file is empty")
        return pd.DataFrame({"_file": pd.Series(dtype=object), "_row": pd.Series(dtype="Int64")})
    sep = sniff_delimiter(text[:65536])
    first = _first_line(text).rstrip("\r")
    try:
        raw_header = next(csv.reader([first], delimiter=sep), [])
    except csv.Error as err:
        raise InputError(file, f"not a readable CSV header ({err})", row=1) from None
    names = {c.strip(): c for c in raw_header}
    if columns is None and used is not None:
        kept = kept_columns(list(names), used, file, quality)
        columns = None if kept is None else [list(names)[i] for i in kept]
    wanted = list(names) if columns is None else [c for c in dict.fromkeys(columns) if c in names]
    keep = [names[c] for c in wanted]
    utf8 = data[len(BOM) :] if data.startswith(BOM) else data
    if fallback:
        utf8 = text.encode("utf-8")
    del text
    df = table = None
    # An odd number of quote characters may be a quote left open, which pyarrow reads to
    # the end of the file: pandas decides (an error, or a stray quote inside a field).
    if keep and utf8.count(b'"') % 2 == 0:
        try:
            table = _read_arrow(utf8, sep, keep)
        except Exception:  # pyarrow missing or stricter than pandas: use pandas
            table = None
    if table is not None:
        # Plain Python strings: hashing, isin and map on them are fast (pandas 3 would
        # otherwise keep Arrow-backed strings, whose isin falls back to a Python loop).
        labels = [str(c).strip() for c in table.column_names]
        df = pd.DataFrame(
            {c: _arrow_objects(table.column(i), c, clean) for i, c in enumerate(labels)},
            index=pd.RangeIndex(table.num_rows),
            dtype=object,
        )
        del table
    else:
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
        df = pd.DataFrame(
            {c: _clean_objects(df[c].to_numpy(dtype=object), c, clean) for c in df.columns}
        )
    df["_file"] = file
    df["_row"] = record_lines(utf8, sep, len(df))
    quality.rows_read[file] += len(df)
    return df
