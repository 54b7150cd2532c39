"""Activity over time: who is active at an as-of date, who went quiet, and thin data.

A person's *activity* is the events they took part in and the relationships they are
a party to. At an as-of date :math:`t`:

``first_activity`` / ``last_activity``
    the earliest / latest event of the person on or before :math:`t` (NaT if none).
``not yet active``
    the person has dated activity in the data (an event, or a relationship with a
    start date), all of it after :math:`t`, and no relationship without a start date:
    they had not appeared yet. They are left out of that snapshot's ranking (so a
    dated diff reports them as ``new`` when they appear). People with no dated
    activity at all (only a row in ``people``, or a ``reports_to``) cannot be placed in
    time and are always kept.
``gone quiet``
    the person has activity before :math:`t` but none in the last :math:`N` days,
    :math:`t - \\text{last} > N` with :math:`N` = :data:`~influence.defaults.QUIET_DAYS`
    (60).
``thin data``
    the account's events in the window :math:`(t - N, t]` are fewer than
    :data:`~influence.defaults.THIN_DATA_SHARE` (25 %) of its usual number per window:
    the events from the first event to :math:`t - N` divided by the number of
    :math:`N`-day windows in that span. Judged only with at least one full window of
    history before the recent one (and at least one event in it); with a rescaled
    0–100 influence a near-empty window otherwise looks like full data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from influence.defaults import QUIET_DAYS, THIN_DATA_SHARE

__all__ = [
    "ACTIVITY_COLUMNS",
    "account_activity",
    "not_yet_active",
    "person_activity",
    "recent_events",
]

#: The columns of :func:`person_activity`.
ACTIVITY_COLUMNS = ["id", "first_activity", "last_activity", "events"]


def person_activity(tables, as_of) -> pd.DataFrame:
    """Each person's first and last activity and number of events up to a date.

    Parameters
    ----------
    tables : influence.io.tables.Tables
        Canonical tables (``people``, ``events`` and ``participants`` are read).
    as_of : str or pandas.Timestamp or None
        Count the events on or before this day; ``None``: all events.

    Returns
    -------
    pandas.DataFrame
        One row per person of ``tables.people``, in people order, with columns
        :data:`ACTIVITY_COLUMNS`: ``id``, ``first_activity`` and ``last_activity`` (the
        earliest and latest of their events; NaT if none) and ``events`` (how many).

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> t = T(people=pd.DataFrame({"id": ["a", "b"]}),
    ...       events=pd.DataFrame({"id": ["e1", "e2"],
    ...                            "date": pd.to_datetime(["2024-01-05", "2024-03-01"])}),
    ...       participants=pd.DataFrame({"event_id": ["e1", "e2", "e2"],
    ...                                  "person_id": ["a", "a", "b"]}))
    >>> person_activity(t, "2024-02-01")
      id first_activity last_activity  events
    0  a     2024-01-05    2024-01-05       1
    1  b            NaT           NaT       0
    """
    ev = tables.events[["id", "date"]]
    if as_of is not None:
        ev = ev[ev["date"] < pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)]
    part = tables.participants[["event_id", "person_id"]].merge(
        ev.rename(columns={"id": "event_id"}), on="event_id"
    )
    dates = pd.to_datetime(part["date"]).astype("datetime64[ns]")
    by = dates.groupby(part["person_id"].to_numpy())
    ids = tables.people["id"].to_numpy()
    first, last, size = by.min().reindex(ids), by.max().reindex(ids), by.size().reindex(ids)
    return pd.DataFrame(
        {
            "id": ids,
            "first_activity": first.to_numpy("datetime64[ns]"),
            "last_activity": last.to_numpy("datetime64[ns]"),
            "events": size.fillna(0).astype(int).to_numpy(),
        },
        columns=ACTIVITY_COLUMNS,
    )


def recent_events(tables, as_of, window: int = QUIET_DAYS) -> pd.Series:
    """Events each person took part in within the ``window`` days up to ``as_of``,
    :math:`(t - N, t]`: absolute activity, beside influence, which is relative to the
    account's most influential person.

    Parameters
    ----------
    tables : Tables
        An account's canonical tables (``people``, ``events``, ``participants``).
    as_of : str, pandas.Timestamp or None
        The end of the window; ``None``: the last event of ``tables``.
    window : int
        The window's length in days (default :data:`~influence.defaults.QUIET_DAYS`).

    Returns
    -------
    pandas.Series
        Event counts (int), indexed by the ids of ``tables.people``, in people order.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> t = T(people=pd.DataFrame({"id": ["a", "b"]}),
    ...       events=pd.DataFrame({"id": ["e1", "e2", "e3"], "date":
    ...           pd.to_datetime(["2024-01-01", "2024-02-15", "2024-03-01"])}),
    ...       participants=pd.DataFrame({"event_id": ["e1", "e2", "e3", "e3"],
    ...                                  "person_id": ["a", "a", "a", "b"]}))
    >>> recent_events(t, "2024-03-01", window=30).tolist()
    [2, 1]
    """
    if as_of is None:
        dates = pd.to_datetime(tables.events["date"]).dropna()
        if not len(dates):
            return pd.Series(0, index=pd.Index(tables.people["id"], name="id"))
        as_of = dates.max()
    t = pd.Timestamp(as_of).normalize()
    now = person_activity(tables, t)["events"].to_numpy()
    then = person_activity(tables, t - pd.Timedelta(days=window))["events"].to_numpy()
    return pd.Series(now - then, index=pd.Index(tables.people["id"], name="id"))


def not_yet_active(tables, as_of) -> list:
    """The people not yet active at a date (the rule of the module docstring).

    A person is not yet active at :math:`t` when all their dated activity (events,
    relationships with a start date) is after :math:`t` and they have no relationship
    without a start date.

    Parameters
    ----------
    tables : influence.io.tables.Tables
        Canonical tables.
    as_of : str or pandas.Timestamp or None
        The date :math:`t`; ``None``: everyone is active.

    Returns
    -------
    list
        Their ids, sorted.

    Examples
    --------
    b's only event is in March, after the as-of date; c has no dated activity at all and
    is kept:

    >>> from types import SimpleNamespace as T
    >>> t = T(people=pd.DataFrame({"id": ["a", "b", "c"]}),
    ...       events=pd.DataFrame({"id": ["e1", "e2"],
    ...                            "date": pd.to_datetime(["2024-01-05", "2024-03-01"])}),
    ...       participants=pd.DataFrame({"event_id": ["e1", "e2"], "person_id": ["a", "b"]}),
    ...       relationships=pd.DataFrame({"source": [], "target": [],
    ...                                   "start": pd.to_datetime([])}))
    >>> not_yet_active(t, "2024-02-01"), not_yet_active(t, "2024-03-01")
    (['b'], [])
    """
    if as_of is None:
        return []
    t = pd.Timestamp(as_of).normalize().as_unit("ns").value
    ev, part, r = tables.events, tables.participants, tables.relationships
    event_day = _days(ev["date"])
    start = _days(r["start"])
    dated = np.concatenate([event_day, start])
    if not (dated[dated != _NO_DAY] > t).any():
        return []  # no activity after t: everyone is active
    at = pd.Index(ev["id"]).get_indexer(part["event_id"])  # event ids are unique
    seen = at >= 0
    ids = np.concatenate([
        r["source"].to_numpy(object), r["target"].to_numpy(object),
        part["person_id"].to_numpy(object)[seen],
    ])  # fmt: skip
    day = np.concatenate([start, start, event_day[at[seen]]])
    codes, people = pd.factorize(ids)
    undated = np.zeros(len(people), dtype=bool)
    undated[codes[day == _NO_DAY]] = True
    first = np.full(len(people), _NO_DAY)
    np.minimum.at(first, codes, day)
    later = np.flatnonzero((first > t) & (first != _NO_DAY) & ~undated)
    return sorted((people[i] for i in later), key=str)


_NO_DAY = np.iinfo(np.int64).max  # an undated activity, in :func:`_days`
_DAY_NS = 86_400 * 10**9


def _days(dates: pd.Series) -> np.ndarray:
    """Dates as the nanoseconds of their day's midnight (``_NO_DAY`` where missing)."""
    dtype = getattr(dates, "dtype", None)
    if not (isinstance(dtype, np.dtype) and dtype.kind == "M"):
        dates = pd.to_datetime(dates)  # numpy datetimes (the canonical tables') as they are
    ns = np.asarray(dates, dtype="datetime64[ns]").view(np.int64)
    return np.where(ns == np.iinfo(np.int64).min, _NO_DAY, ns // _DAY_NS * _DAY_NS)


def account_activity(
    event_dates: pd.Series, as_of, window: int = QUIET_DAYS, share: float = THIN_DATA_SHARE
) -> dict[str, object]:
    """Recent against usual activity of one account (the thin-data rule of the module
    docstring).

    The recent window holds the events in :math:`(t - N, t]`; the usual number per
    window is the events from the first one to :math:`t - N`, times :math:`N`, divided by
    the days of that span. The window is thin when recent < share × usual.

    Parameters
    ----------
    event_dates : pandas.Series
        The dates of the account's events (naive, as in the canonical tables).
    as_of : str or pandas.Timestamp or None
        The date :math:`t` (``None``: nothing is judged).
    window : int, default :data:`~influence.defaults.QUIET_DAYS`
        :math:`N`, days.
    share : float, default :data:`~influence.defaults.THIN_DATA_SHARE`
        The share of the usual number below which the recent window is thin.

    Returns
    -------
    dict
        ``recent_events`` (events in the last ``window`` days), ``usual_events`` (the
        usual number per window; NaN without a full window of history), ``thin_data``
        (bool) and ``note`` (a sentence saying so, ``""`` if not thin).

    Examples
    --------
    An event every 3 days from January to October (102 events in the 306 days up to
    1 November: 102 × 60 / 306 = 20 per 60 days), then one in the last 60 days: thin.

    >>> days = pd.date_range("2024-01-01", "2024-10-31", freq="3D")
    >>> dates = pd.Series(days.append(pd.DatetimeIndex(["2024-12-20"])))
    >>> a = account_activity(dates, "2024-12-31")
    >>> a["recent_events"], round(a["usual_events"], 1), a["thin_data"]
    (1, 20.0, True)
    """
    out = {"recent_events": 0, "usual_events": np.nan, "thin_data": False, "note": ""}
    days = _days(event_dates)
    days = days[days != _NO_DAY]
    if as_of is None or not len(days):
        return out
    t = pd.Timestamp(as_of).normalize()
    end = t.as_unit("ns").value
    days = days[days <= end]
    cut = end - window * _DAY_NS  # midnight N days before t, as ns
    recent = int((days > cut).sum())
    out["recent_events"] = recent
    before = days[days <= cut]
    if not len(before):
        return out
    span = int(cut - before.min()) // _DAY_NS + 1
    if span < window:
        return out
    usual = len(before) * window / span
    out["usual_events"] = usual
    if recent < share * usual:
        out["thin_data"] = True
        out["note"] = (
            f"thin data: {recent} event{'s' * (recent != 1)} in the {window} days before "
            f"{t.date().isoformat()}, against {usual:.0f} in a usual {window} days: "
            "influence (relative to the most influential person) looks as full as ever"
        )
    return out
