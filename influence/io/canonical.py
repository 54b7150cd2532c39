"""The canonical input format: a folder of CSV files, or one ``.xlsx`` workbook.

Files (or sheets) are ``people``, ``relationships``, ``events`` and ``participants``;
only ``people`` is required. Column names match case-insensitively ("Buying Role" is
``buying_role``). See the README for the full format.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from influence.io.delimited import inside_folder, kept_columns, read_csv_data
from influence.io.quality import DataQuality, InputError
from influence.io.tables import (
    EVENT_COLUMNS,
    PARTICIPANT_COLUMNS,
    PEOPLE_COLUMNS,
    RELATIONSHIP_COLUMNS,
    Tables,
    _key,
    check_columns,
    empty_frame,
    validate,
)

TABLES = {
    "people": PEOPLE_COLUMNS,
    "relationships": RELATIONSHIP_COLUMNS,
    "events": EVENT_COLUMNS,
    "participants": PARTICIPANT_COLUMNS,
}


def _canonical_names(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    known = {_key(c): c for c in columns}
    return df.rename(columns={c: known[_key(c)] for c in df.columns if _key(c) in known})


def _finish(
    raw: dict[str, pd.DataFrame | None], files: dict[str, str], q: DataQuality, name: str
) -> Tables:
    for table, df in raw.items():
        if df is None:
            continue
        if df.empty and len(df.columns) <= 2:  # an empty file: nothing but provenance columns
            if table == "people":
                raise InputError(files[table], "the file is empty; people are required")
            raw[table] = empty_frame(TABLES[table])
            continue
        raw[table] = _canonical_names(df, TABLES[table])
        check_columns(raw[table], table, files[table])
        if table == "people" and raw[table].empty:
            raise InputError(files[table], "no people: the file has a header but no data rows")
    return validate(
        raw["people"],
        raw["relationships"],
        raw["events"],
        raw["participants"],
        quality=q,
        name=name,
    )


def read_folder(path: Path) -> Tables:
    """Read a folder of canonical CSV files."""
    q = DataQuality()
    people = path / "people.csv"
    if not people.exists():
        raise InputError(
            str(path), "no people.csv in this folder (see the input format in the README)"
        )
    raw, files = {}, {}
    for table in TABLES:
        f = inside_folder(path, f"{table}.csv")
        files[table] = f.name
        used = {_key(c) for c in TABLES[table]}
        raw[table] = read_csv_data(f.read_bytes(), f.name, q, used=used) if f.exists() else None
    return _finish(raw, files, q, name=path.name)


def read_workbook(path: Path) -> Tables:
    """Read an ``.xlsx`` workbook whose sheets are named like the CSV files."""
    q = DataQuality()
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as err:  # openpyxl raises many types for broken files
        raise InputError(path.name, f"not a readable Excel workbook ({err})") from None
    by_key = {_key(s): s for s in sheets}
    if "people" not in by_key:
        raise InputError(
            path.name, f"no 'people' sheet (sheets found: {', '.join(sheets) or 'none'})"
        )
    raw, files = {}, {}
    for table in TABLES:
        label = f"{path.name}[{by_key.get(table, table)}]"
        files[table] = label
        if table not in by_key:
            raw[table] = None
            continue
        df = sheets[by_key[table]]
        kept = kept_columns(list(df.columns), {_key(c) for c in TABLES[table]}, label, q)
        if kept is not None:
            df = df.iloc[:, kept]
        df.columns = [str(c).strip() for c in df.columns]
        meta = pd.DataFrame({"_file": label, "_row": range(2, len(df) + 2)}, index=df.index)
        df = pd.concat([df.astype(object), meta.astype({"_file": object})], axis=1)
        q.rows_read[label] += len(df)
        raw[table] = df
    return _finish(raw, files, q, name=path.stem)
