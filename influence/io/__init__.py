"""Input: read and validate sources into canonical :class:`~influence.io.tables.Tables`."""

from __future__ import annotations

from pathlib import Path

from influence.io.canonical import read_folder, read_workbook
from influence.io.quality import DataQuality, InputError
from influence.io.tables import Tables

FORMATS = ("canonical",)


def read_dataset(path: str | Path, format: str | None = None) -> Tables:
    """Read a dataset from ``path`` into canonical tables.

    ``format`` is one of :data:`FORMATS`; by default it is detected from the path.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    fmt = format or "canonical"
    if fmt not in FORMATS:
        raise InputError(str(path), f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if path.is_dir():
        return read_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(path)
    raise InputError(str(path), "expected a folder of CSV files or an .xlsx workbook")


__all__ = ["DataQuality", "InputError", "Tables", "read_dataset", "FORMATS"]
