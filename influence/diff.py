"""What changed between two reviews: two datasets (or one at two dates) compared.

``influence diff OLD NEW --out DIR`` and ``influence diff DATA --from-date A --to-date B``
call :func:`diff_datasets` and :func:`write_changes`, which writes::

    DIR/changes.csv    one row per change (columns of influence.analysis.changes)
    DIR/changes.html   the same, grouped by account and change, self-contained

The categories and thresholds are documented in :mod:`influence.analysis.changes`.
Each snapshot leaves out the people not yet active at its as-of date
(:func:`influence.analysis.activity.not_yet_active`), so one dataset at two dates
reports people who appear in between as ``new``; each person's ``last_activity`` at the
as-of date (:func:`influence.analysis.activity.person_activity`) gives ``gone_quiet``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from influence.account import Dataset
from influence.analysis.activity import not_yet_active, person_activity
from influence.analysis.changes import CHANGE_COLUMNS, changes
from influence.render.files import write_csv, write_text


def _table(ds: Dataset, name: str) -> pd.DataFrame | None:
    """The influencers of account ``name`` at the dataset's as-of date, without the
    people not yet active then, with their ``last_activity``."""
    if name not in ds.accounts:
        return None
    acct = ds.account(name)
    inf = acct.influencers()
    inf = inf[~inf["id"].isin(not_yet_active(acct.tables, acct.as_of))]
    if "last_activity" not in inf:
        last = person_activity(acct.tables, acct.as_of).set_index("id")["last_activity"]
        inf = inf.assign(last_activity=inf["id"].map(last))
    return inf.reset_index(drop=True)


def diff_datasets(old: Dataset, new: Dataset, **thresholds) -> pd.DataFrame:
    """The changes of every account of ``old`` or ``new`` (``changes`` of
    :mod:`influence.analysis.changes`, one call per account, accounts sorted).

    An account present in only one dataset compares against an empty table, so its
    people are all ``new`` (or all ``departed``). ``thresholds`` are passed on
    (``threshold``, ``cooled_share``, ``min_tie``, ``cold_days``, ``quiet_days``).
    """
    parts = []
    for name in sorted(set(old.accounts) | set(new.accounts)):
        a, b = _table(old, name), _table(new, name)
        empty = (a if a is not None else b).iloc[:0]
        parts.append(
            changes(
                a if a is not None else empty,
                b if b is not None else empty,
                account=name,
                as_of_before=old.tie_config.as_of,
                as_of_after=new.tie_config.as_of,
                **thresholds,
            )
        )
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def write_changes(
    table: pd.DataFrame, out: str | Path, *, before: str = "", after: str = "", version: str = ""
) -> list[Path]:
    """Write ``changes.csv`` and ``changes.html`` to ``out``; returns their paths."""
    from influence.render.changes import render_changes

    out = Path(out)
    html = render_changes(table, before=before, after=after, version=version)
    return [write_csv(out / "changes.csv", table), write_text(out / "changes.html", html)]
