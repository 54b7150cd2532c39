"""Input: read and validate sources into canonical :class:`~influence.io.tables.Tables`."""

from __future__ import annotations

from pathlib import Path

from influence.io.canonical import read_folder, read_workbook
from influence.io.quality import DataQuality, InputError
from influence.io.tables import Tables

FORMATS = ("canonical", "salesforce", "hubspot")


def detect_format(path: Path) -> str:
    """The format of a dataset: ``salesforce`` for a Data Export (zip or folder with
    ``Contact.csv``/``Account.csv``), ``hubspot`` for HubSpot CSV exports (recognised by
    their headers), else ``canonical`` (``people.csv`` or an ``.xlsx`` workbook)."""
    from influence.io.delimited import Bundle
    from influence.io.hubspot import looks_like_hubspot

    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return "canonical"
    if path.is_dir() and (path / "people.csv").exists():
        return "canonical"
    if path.is_dir() or path.suffix.lower() == ".zip":
        bundle = Bundle(path)
        if bundle.find("Contact.csv") or bundle.find("Account.csv"):
            return "salesforce"
        if looks_like_hubspot(bundle):
            return "hubspot"
    return "canonical"


def read_dataset(path: str | Path, format: str | None = None) -> Tables:
    """Read a dataset from ``path`` into canonical tables.

    ``format`` is one of :data:`FORMATS`; by default it is detected from the path
    (:func:`detect_format`).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    fmt = format or detect_format(path)
    if fmt not in FORMATS:
        raise InputError(str(path), f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "salesforce":
        from influence.io.salesforce import read_salesforce

        return read_salesforce(path)
    if fmt == "hubspot":
        from influence.io.hubspot import read_hubspot

        return read_hubspot(path)
    if path.is_dir():
        return read_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(path)
    raise InputError(
        str(path), "expected a folder of CSV files, an .xlsx workbook or a CRM export (.zip)"
    )


__all__ = ["DataQuality", "InputError", "Tables", "read_dataset", "detect_format", "FORMATS"]
