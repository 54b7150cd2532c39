"""Data-quality bookkeeping: every row that is not used is counted and explained.

Loaders never drop data silently. A problem that makes the input unusable raises
:class:`InputError`; anything else is recorded in a :class:`DataQuality` log with the
file, row and column it came from, and shown in the CLI output and ``summary.csv``.

Row numbers follow spreadsheet conventions: the header is row 1, so the first data row
of a CSV file is row 2.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd


class InputError(ValueError):
    """Input that cannot be analysed at all; the message names file, row and column."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.message = file, row, column, message
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        """Pickled with its parts, so that it crosses processes (a Dask worker's load)."""
        return type(self), (self.file, self.message, self.row, self.column)


@dataclass(frozen=True)
class Issue:
    """One data-quality finding."""

    file: str
    row: int | None
    column: str | None
    code: str
    message: str
    skipped: bool = False  # the row was not used
    rows: int = 1  # the rows it stands for (one finding for many repeated rows)


@dataclass
class DataQuality:
    """A log of data-quality findings and of row accounting per file.

    ``rows_read[file] == rows_used[file] + rows_skipped[file]`` holds for every file a
    loader reads; each skipped row has an :class:`Issue` explaining why (one issue may
    stand for many rows: :attr:`Issue.rows`).
    """

    issues: list[Issue] = field(default_factory=list)
    rows_read: Counter = field(default_factory=Counter)
    rows_skipped: Counter = field(default_factory=Counter)

    def warn(
        self,
        file: str,
        code: str,
        message: str,
        row: int | None = None,
        column: str | None = None,
        *,
        skipped: bool = False,
        rows: int = 1,
    ) -> None:
        """Record a finding; ``skipped=True`` also counts the row as not used (``rows``:
        the number of rows one finding stands for, all skipped, e.g. repeated rows)."""
        self.issues.append(Issue(file, row, column, code, message, skipped, rows))
        if skipped:
            self.rows_skipped[file] += rows

    def rows_used(self, file: str) -> int:
        return self.rows_read[file] - self.rows_skipped[file]

    def counts(self) -> dict[str, int]:
        """Number of findings per code, sorted by code."""
        return dict(sorted(Counter(i.code for i in self.issues).items()))

    def to_frame(self) -> pd.DataFrame:
        """Findings as a DataFrame with columns ``file, row, column, code, message``."""
        return pd.DataFrame(
            [(i.file, i.row, i.column, i.code, i.message) for i in self.issues],
            columns=["file", "row", "column", "code", "message"],
        ).astype({"row": "Int64"})

    def summary_lines(self, limit: int = 5) -> list[str]:
        """Human-readable lines: one per code with its count and the first examples."""
        lines = []
        for code, n in self.counts().items():
            examples = [i for i in self.issues if i.code == code][:limit]
            lines.append(f"{n} × {code}")
            for i in examples:
                where = i.file + (f", row {i.row}" if i.row is not None else "")
                where += f", column '{i.column}'" if i.column else ""
                lines.append(f"    {where}: {i.message}")
        return lines
