"""What changed in an account between two reviews: two influencers tables compared.

Each customer person (``internal`` false) of either table may get one row per change:

``new``
    in the later table only. ``before`` is empty, ``after`` their influence.
``departed``
    in the earlier table only. ``before`` their influence, ``after`` empty.
``gone_quiet``
    had activity (an event) before the later as-of date but none in the last
    ``quiet_days`` (default :data:`~influence.defaults.QUIET_DAYS` = 60) days before it,
    and was not already quiet at the earlier as-of date: often the first sign that
    someone is leaving. ``before``/``after`` are days since their last activity at each
    as-of date. Needs a ``last_activity`` column (without it, no one is called quiet).
``rose`` / ``fell``
    influence (0–100, relative to the account's most influential person) went up /
    down by more than ``threshold`` points (default :data:`INFLUENCE_THRESHOLD` = 15).
``cooled``
    our strongest tie to them (``coverage_strength``) was at least ``min_tie``
    (default :data:`~influence.defaults.WEAK_TIE` = 0.3, a tie that mattered) and lost more than
    ``cooled_share`` (default :data:`COOLED_SHARE` = 50 %) of its strength:
    :math:`s_{after} < (1 - \\text{share})\\, s_{before}`. ``before``/``after`` are the
    strengths.
``champion_cold``
    a champion or supporter (stance in the later table) with no contact from our team
    in the ``cold_days`` (default :data:`COLD_DAYS` = 60) days before the later as-of
    date, or never. ``before``/``after`` are days since the last contact at each as-of
    date (empty when never).
``coverage_gap``
    a coverage gap (top-quartile influence, our strongest tie below 0.3; see
    :mod:`influence.analysis.coverage`) in the later table that was not one in the
    earlier table (or was not there). ``before``/``after`` are the coverage strengths.

Influence is relative, so a person can fall because others rose.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from influence.defaults import COLD_DAYS, COOLED_SHARE, INFLUENCE_THRESHOLD, QUIET_DAYS, WEAK_TIE

__all__ = [
    "CHANGES",
    "CHANGE_COLUMNS",
    "changes",
]

#: The stances whose lack of contact is ``champion_cold``.
WARM_STANCES = ("champion", "supporter")
#: The kinds of change, in the order :func:`changes` lists them.
CHANGES = [
    "new",
    "departed",
    "gone_quiet",
    "rose",
    "fell",
    "cooled",
    "champion_cold",
    "coverage_gap",
]
#: The columns of :func:`changes`.
CHANGE_COLUMNS = ["account", "id", "name", "change", "before", "after", "detail"]


def _external(df: pd.DataFrame) -> pd.DataFrame:
    return df[~df["internal"].astype(bool)].set_index("id")


def _iso(value) -> str:
    return pd.Timestamp(value).date().isoformat()


def _days(as_of, last) -> float:
    if as_of is None or pd.isna(as_of) or pd.isna(last):
        return np.nan
    return float((pd.Timestamp(as_of).normalize() - pd.Timestamp(last).normalize()).days)


def changes(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    account: str = "",
    as_of_before: str | pd.Timestamp | None = None,
    as_of_after: str | pd.Timestamp | None = None,
    threshold: float = INFLUENCE_THRESHOLD,
    cooled_share: float = COOLED_SHARE,
    min_tie: float = WEAK_TIE,
    cold_days: int = COLD_DAYS,
    quiet_days: int = QUIET_DAYS,
) -> pd.DataFrame:
    """The changes between two influencers tables of one account (module docstring).

    Parameters
    ----------
    before, after : pandas.DataFrame
        Influencers tables (``Account.influencers``) of the earlier and the later review;
        ``id, name, internal, influence, stance, coverage_strength, last_contact,
        coverage_gap`` (and ``last_activity`` for ``gone_quiet``) are used.
    account : str, default ""
        The account name, copied to the ``account`` column.
    as_of_before, as_of_after : str or pandas.Timestamp, optional
        The as-of dates of the two tables; ``champion_cold`` and ``gone_quiet`` need
        ``as_of_after`` (without it, no one is called cold or quiet).
    threshold : float, default :data:`~influence.defaults.INFLUENCE_THRESHOLD`
        Points of influence beyond which a person ``rose`` or ``fell``.
    cooled_share : float, default :data:`~influence.defaults.COOLED_SHARE`
        Share of a tie's strength lost that makes it ``cooled``.
    min_tie : float, default :data:`~influence.defaults.WEAK_TIE`
        Strength a tie must have had to cool.
    cold_days, quiet_days : int
        Days without contact (``champion_cold``) or activity (``gone_quiet``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHANGE_COLUMNS` (``account, id, name, change, before, after,
        detail``), ordered by change (in :data:`CHANGES` order), then by the size of the
        change, then id.

    Examples
    --------
    Ann fell from 80 to 60 (more than 15 points), our tie to her went from 0.9 to 0.3
    (lost more than half) and, a champion, she was last contacted 94 days before the
    later review; Bob left, Cy is new and a coverage gap:

    >>> cols = ["id", "name", "internal", "influence", "stance", "coverage_strength",
    ...         "last_contact", "coverage_gap"]
    >>> t = pd.Timestamp
    >>> old = pd.DataFrame([["a", "Ann", False, 80.0, "champion", 0.9, t("2024-05-30"), False],
    ...                     ["b", "Bob", False, 40.0, "", 0.2, pd.NaT, False]], columns=cols)
    >>> new = pd.DataFrame([["a", "Ann", False, 60.0, "champion", 0.3, t("2024-05-30"), False],
    ...                     ["c", "Cy", False, 100.0, "", 0.0, pd.NaT, True]], columns=cols)
    >>> changes(old, new, as_of_after="2024-09-01")[["id", "change", "before", "after"]]
      id         change  before  after
    0  c            new     NaN  100.0
    1  b       departed    40.0    NaN
    2  a           fell    80.0   60.0
    3  a         cooled     0.9    0.3
    4  a  champion_cold     NaN   94.0
    5  c   coverage_gap     NaN    0.0
    """
    b, a = _external(before), _external(after)
    rows: list[tuple] = []

    def add(pid, frame, change, x, y, detail, size):
        rows.append((CHANGES.index(change), -size, str(pid), pid,
                     frame.at[pid, "name"], change, x, y, detail))  # fmt: skip

    for pid in a.index.difference(b.index):
        infl = float(a.at[pid, "influence"])
        add(pid, a, "new", np.nan, infl, f"new stakeholder, influence {infl:.0f}", infl)
    for pid in b.index.difference(a.index):
        infl = float(b.at[pid, "influence"])
        add(pid, b, "departed", infl, np.nan, f"no longer in the data, was {infl:.0f}", infl)
    both = a.index.intersection(b.index)
    if as_of_after is not None and "last_activity" in a:
        for pid in a.index[a["last_activity"].notna()]:
            y = _days(as_of_after, a.at[pid, "last_activity"])
            if y <= quiet_days:
                continue
            x = np.nan
            if pid in b.index and "last_activity" in b:
                x = _days(as_of_before, b.at[pid, "last_activity"])
                if x > quiet_days:
                    continue  # quiet already at the earlier review
            detail = f"no activity for {y:.0f} days (last {_iso(a.at[pid, 'last_activity'])})"
            add(pid, a, "gone_quiet", x, y, detail, y)
    for pid in both:
        x, y = float(b.at[pid, "influence"]), float(a.at[pid, "influence"])
        if abs(y - x) > threshold:
            kind = "rose" if y > x else "fell"
            add(pid, a, kind, x, y, f"influence {x:.0f} → {y:.0f} ({y - x:+.0f})", abs(y - x))
    for pid in both:
        x, y = float(b.at[pid, "coverage_strength"]), float(a.at[pid, "coverage_strength"])
        if x >= min_tie and y < (1 - cooled_share) * x:
            detail = f"our strongest tie {x:.3f} → {y:.3f} ({(y - x) / x:+.0%})"
            add(pid, a, "cooled", x, y, detail, x - y)
    if as_of_after is not None:
        for pid in a.index[a["stance"].isin(WARM_STANCES)]:
            y = _days(as_of_after, a.at[pid, "last_contact"])
            if np.isnan(y) or y > cold_days:
                x = _days(as_of_before, b.at[pid, "last_contact"]) if pid in b.index else np.nan
                stance = a.at[pid, "stance"]
                detail = (
                    f"{stance}, no contact from us on record"
                    if np.isnan(y)
                    else f"{stance}, last contact from us {y:.0f} days ago"
                )
                add(pid, a, "champion_cold", x, y, detail, np.inf if np.isnan(y) else y)
    gap_before = b["coverage_gap"].astype(bool)
    for pid in a.index[a["coverage_gap"].astype(bool)]:
        if pid in b.index and gap_before[pid]:
            continue
        y = float(a.at[pid, "coverage_strength"])
        x = float(b.at[pid, "coverage_strength"]) if pid in b.index else np.nan
        infl = float(a.at[pid, "influence"])
        detail = f"influence {infl:.0f} but our strongest tie is only {y:.3f}"
        add(pid, a, "coverage_gap", x, y, detail, infl)
    rows.sort(key=lambda r: r[:3])
    out = pd.DataFrame([(account, *r[3:]) for r in rows], columns=CHANGE_COLUMNS).astype(
        {"before": float, "after": float}
    )
    return out
