"""Resuming a batch run: what an account's files depend on, and whether they are done.

An account's folder is finished when its ``.done`` file (written last) holds the
:func:`fingerprint` of the inputs and options that shape its files; its summary row is
then read back from ``summary.json`` (:func:`summary_json`, :func:`finished_row`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from influence.batch.runner import Task

__all__ = ["fingerprint", "fingerprints", "row_hashes", "summary_json", "finished_row"]


def fingerprint(task: Task) -> str:
    """SHA-256 of everything that shapes an account's files: its canonical tables and
    ties (the column names and a 64-bit hash of each row: :func:`row_hashes`), the
    options, whether it is drawn, the report's data-quality examples and row accounting
    and the influence version. Never paths, times or executors."""
    return fingerprints([task])[0]


def _fingerprint_tables(task: Task) -> list[tuple[str, pd.DataFrame]]:
    """The tables :func:`fingerprint` hashes, in order."""
    t = task.tables
    accounting = pd.DataFrame() if task.accounting is None else task.accounting
    return [("people", t.people), ("relationships", t.relationships),
            ("events", t.events), ("participants", t.participants),
            ("ties", task.ties), ("quality", task.quality),
            ("accounting", accounting)]  # fmt: skip


def fingerprints(
    tasks: list[Task], stacked: dict[str, tuple[pd.DataFrame, np.ndarray]] | None = None
) -> list[str]:
    """:func:`fingerprint` of each task. The rows of a table shared by several tasks (the
    report's examples) are hashed once; with ``stacked`` (the tasks' tables stacked by
    name, with each task's bounds:
    :meth:`~influence.graph.accounts.AccountChunk.stacked`), the tables it holds are
    hashed all at once."""
    rows = {name: (row_hashes(frame), bounds) for name, (frame, bounds) in (stacked or {}).items()}
    seen: dict[int, np.ndarray] = {}
    pinned = []
    out = []
    for i, task in enumerate(tasks):
        h = hashlib.sha256()
        meta = {
            "account": task.tables.name,
            "version": task.version,
            "options": task.options.describe(),
            "as_of": str(task.tie_config.as_of),
            "render": task.render,
        }
        h.update(json.dumps(meta, sort_keys=True, default=str).encode("utf-8"))
        for name, df in _fingerprint_tables(task):
            if name in rows:
                hashes, bounds = rows[name]
                part = hashes[bounds[i] : bounds[i + 1]]
            else:
                if id(df) not in seen:
                    seen[id(df)] = row_hashes(df)
                    pinned.append(df)  # ids stay unique while the frame is alive
                part = seen[id(df)]
            columns = json.dumps([str(c) for c in df.columns], ensure_ascii=False)
            h.update(f"\0{name}\0{len(part)}\0{columns}\0".encode())
            h.update(part.astype("<u8").tobytes())
        out.append(h.hexdigest())
    return out


def row_hashes(df: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of each row of ``df`` (its values in column order, not its index):
    :func:`pandas.util.hash_pandas_object`, whose fixed key makes it the same in every
    process and run. A cell it cannot hash (a list, say) is hashed as its text."""
    try:
        return pd.util.hash_pandas_object(df, index=False).to_numpy()
    except TypeError:
        return pd.util.hash_pandas_object(df.astype(str), index=False).to_numpy()


def summary_json(row: dict) -> str:
    """A summary row as stable JSON (numpy scalars as plain numbers)."""

    def plain(v):
        return v.item() if hasattr(v, "item") else str(v)

    return json.dumps(row, default=plain, ensure_ascii=False, indent=1) + "\n"


def finished_row(folder: Path, print_: str) -> dict | None:
    """The summary row of an account finished with fingerprint ``print_``, else ``None``."""
    try:
        if (folder / ".done").read_text(encoding="utf-8").strip() != print_:
            return None
        return json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
