"""Reading the files of a Salesforce export: the columns taken from each, ids normalised
and text stripped once per distinct value, deleted records skipped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from influence.defaults import TRUE_WORDS
from influence.io.delimited import Bundle, read_csv_data
from influence.io.frames import (
    lookup,
    lookup_table,
    per_value,
    skip_rows,
    text_column,
)
from influence.io.quality import DataQuality, InputError
from influence.io.salesforce.ids import ID_COLUMNS, _arrow_text, _normalize_distinct
from influence.io.tables import META

COLUMNS = {
    "Account.csv": ["Id", "Name", "IsDeleted"],
    "Contact.csv": [
        "Id",
        "AccountId",
        "Name",
        "FirstName",
        "LastName",
        "Title",
        "Department",
        "Email",
        "ReportsToId",
        "OwnerId",
        "IsDeleted",
    ],
    "User.csv": [
        "Id",
        "Name",
        "FirstName",
        "LastName",
        "Title",
        "Email",
        "ManagerId",
        "Department",
        "IsActive",
    ],
    "Task.csv": [
        "Id",
        "WhoId",
        "WhatId",
        "AccountId",
        "OwnerId",
        "ActivityDate",
        "CompletedDateTime",
        "CreatedDate",
        "TaskSubtype",
        "Type",
        "Subject",
        "IsDeleted",
    ],
    "Event.csv": [
        "Id",
        "WhoId",
        "WhatId",
        "AccountId",
        "OwnerId",
        "StartDateTime",
        "ActivityDateTime",
        "ActivityDate",
        "DurationInMinutes",
        "Subject",
        "Type",
        "IsChild",
        "IsDeleted",
    ],
    "EventRelation.csv": ["EventId", "RelationId", "IsInvitee", "IsWhat", "Status", "IsDeleted"],
    "Opportunity.csv": ["Id", "AccountId", "IsDeleted"],
    "OpportunityContactRole.csv": ["ContactId", "OpportunityId", "Role", "IsPrimary", "IsDeleted"],
    "AccountContactRelation.csv": [
        "ContactId",
        "AccountId",
        "IsDirect",
        "IsActive",
        "Roles",
        "IsDeleted",
    ],
}


REQUIRED = {
    "Account.csv": ["Id"],
    "Contact.csv": ["Id"],
    "User.csv": ["Id"],
    "Task.csv": ["Id", "WhoId", "OwnerId"],
    "Event.csv": ["Id", "OwnerId"],
    "EventRelation.csv": ["EventId", "RelationId"],
    "Opportunity.csv": ["Id", "AccountId"],
    "OpportunityContactRole.csv": ["ContactId", "OpportunityId"],
    "AccountContactRelation.csv": ["ContactId", "AccountId"],
}


#: Columns kept as exported (messages quote them); every other column is cleaned on reading.
RAW_COLUMNS = {"Role", "Roles"}


def _clean(column: str, distinct) -> np.ndarray | None:
    """Distinct values of a column as read: ids normalised, other text stripped."""
    if column in ID_COLUMNS:
        return _normalize_distinct(distinct)
    if column in RAW_COLUMNS:
        return None
    return _strip_distinct(distinct)


def _strip_distinct(values) -> np.ndarray | None:
    """``str.strip`` of distinct strings (Arrow or a sequence); ``None`` if none changes."""
    import pyarrow.compute as pc

    arr = _arrow_text(values)
    if not len(arr):
        return None
    # Every value starting or ending with anything but printable ASCII (a superset of
    # the white space str.strip removes) is stripped in Python.
    edge = pc.match_substring_regex(arr, r"^[^!-~]|[^!-~]$").to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(np.asarray(edge, dtype=bool))
    if not len(idx):
        return None
    out = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object).copy()
    out[idx] = [str(v).strip() for v in out[idx]]
    return out


def _col(df: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as text (empty if the file has no such column), stripped but for ids."""
    return text_column(df, col, strip=col not in ID_COLUMNS)


def _get(df: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` of a frame read by :class:`_Reader` (already clean; "" if absent)."""
    if col not in df:
        return pd.Series("", index=df.index, dtype=object)
    return df[col] if col not in RAW_COLUMNS else _col(df, col)


def _true(df: pd.DataFrame, col: str) -> pd.Series:
    """A boolean column (``true``/``false``, ``1``/``0``) of a read frame as booleans."""
    flag = per_value(_get(df, col), lambda v: str(v).strip().lower() in TRUE_WORDS)
    return flag.astype(bool)


def _name(df: pd.DataFrame) -> pd.Series:
    full = (_get(df, "FirstName") + " " + _get(df, "LastName")).str.strip()
    name = _get(df, "Name")
    return name.where(name != "", full)


class _Reader:
    """Reads the files of one export with its data-quality log."""

    def __init__(self, path: Path):
        self.bundle = Bundle(path)
        self.q = DataQuality()

    def read(self, name: str, *, required: bool = False) -> pd.DataFrame | None:
        stored = self.bundle.find(name)
        if stored is None:
            if required:
                raise InputError(
                    self.bundle.path.name,
                    f"no {name} in this Salesforce export "
                    f"(files found: {', '.join(self.bundle.names()) or 'none'})",
                )
            return None
        df = read_csv_data(
            self.bundle.read_bytes(name), stored, self.q, columns=COLUMNS[name], clean=_clean
        )
        if df.empty and len(df.columns) == len(META):  # an empty file
            if required:
                raise InputError(stored, "the file is empty")
            return None
        missing = [c for c in REQUIRED[name] if c not in df.columns]
        if missing:
            raise InputError(stored, f"missing required column '{missing[0]}'", 1, missing[0])
        if "IsDeleted" in df:
            df = skip_rows(
                self.q,
                df,
                _true(df, "IsDeleted"),
                "deleted",
                "IsDeleted",
                lambda r: "deleted record (IsDeleted); the row is skipped",
            )
        return df.reset_index(drop=True)


def _account_names(acc: pd.DataFrame | None) -> pd.Series:
    """Account id → a human-readable name, unique per account."""
    if acc is None or acc.empty:
        return pd.Series(dtype=object)
    acc = acc[acc["Id"] != ""].drop_duplicates("Id")
    name = _get(acc, "Name")
    name = name.where(name != "", acc["Id"])
    dup = name.duplicated(keep=False)
    name = name.where(~dup, name + " (" + acc["Id"] + ")")
    return lookup_table(acc["Id"], name)


def _account_of(ids: pd.Series, names: pd.Series) -> pd.Series:
    """Account names of account ids (the id itself when the account is not exported)."""
    name = lookup(ids, names, None)
    return name.where(name.notna(), ids)
