"""Loading's faster paths give exactly what the plain pandas/NumPy operations give.

``influence.io.tables`` hashes each id column once (``_text_codes``) and parses each
distinct date once; ``influence.graph.distinct`` replaces ``np.unique``, ``np.union1d``
and ``np.searchsorted`` on integer keys. Each is checked here against the plain
operation, on values with the quirks of CRM exports (padding, missing cells, numbers in
text columns, ids repeated with and without spaces, unparseable and mixed-format dates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.graph.distinct import search_sorted, union_ints, unique_ints
from influence.io.quality import DataQuality
from influence.io.tables import _dates, _participants, _text_codes, _text_of


def plain_text(column: pd.Series) -> pd.Series:
    """What ``_text_of`` documents, one value at a time: empty text for a missing cell,
    else the value as stripped text."""
    return pd.Series(["" if pd.isna(v) else str(v).strip() for v in column],
                     index=column.index, dtype=object, name=column.name)  # fmt: skip


CELLS = st.one_of(
    st.sampled_from(["a", " a", "a ", "\xa0a", "b", "B", "", " ", "003A", "003A\t", "0"]),
    st.text(alphabet=" \t\xa0\u2003ab1", max_size=4),
    st.none(),
    st.just(float("nan")),
    st.integers(-2, 2),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(CELLS, max_size=30))
def test_text_codes_are_text_of(values):
    codes, texts = _text_codes(np.asarray(values + [None], dtype=object)[:-1])
    expected = plain_text(pd.Series(values, dtype=object)).tolist()
    assert texts[codes].tolist() == expected
    assert _text_of(pd.Series(values, dtype=object)).tolist() == expected
    assert all(type(t) is str for t in texts)
    # Equal texts have equal codes, different texts different codes.
    assert len(set(texts.tolist())) == len(texts)


def _reference_participants(raw: pd.DataFrame, ids: set, events: set):
    """The checks of ``_participants`` one row at a time (each check on the rows the
    previous one kept, as documented there)."""
    q = DataQuality()
    ev, pe, ro = (plain_text(raw[c]).tolist() for c in ["event_id", "person_id", "role"])
    where = list(zip(raw["_file"], raw["_row"].astype(int)))

    def check(rows, bad, code, column, message):
        for i in rows:
            if bad(i):
                q.warn(where[i][0], code, message(i), where[i][1], column, skipped=True)
        return [i for i in rows if not bad(i)]

    rows = check(
        range(len(raw)),
        lambda i: ev[i] not in events,
        "unknown_event",
        "event_id",
        lambda i: f"unknown or skipped event id {ev[i]!r}; the row is skipped",
    )
    rows = check(
        rows,
        lambda i: pe[i] not in ids,
        "unknown_person",
        "person_id",
        lambda i: f"unknown person id {pe[i]!r}; the row is skipped",
    )
    first = {}
    for i in rows:
        first.setdefault((ev[i], pe[i]), i)
    rows = check(
        rows,
        lambda i: first[ev[i], pe[i]] != i,
        "duplicate_participant",
        "person_id",
        lambda i: f"{pe[i]!r} listed twice for event {ev[i]!r}; counted once",
    )
    return [(ev[i], pe[i], ro[i].lower(), *where[i]) for i in rows], q.issues


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["e1", " e1", "e2 ", "e3", "", None, "gone"]),
            st.sampled_from(["p1", "p1 ", "\xa0p2", "p3", "", None, 7, "nobody"]),
            st.sampled_from(["Attendee", " SENDER", "", None]),
        ),
        max_size=25,
    )
)
def test_participants_checks_match_row_by_row(cells):
    raw = pd.DataFrame(cells, columns=["event_id", "person_id", "role"], dtype=object)
    raw["_file"] = "EventRelation.csv"
    raw["_row"] = np.arange(2, len(raw) + 2)
    ids, events = {"p1", "p2", "p3", "7"}, {"e1", "e2", "e3"}
    q = DataQuality()
    out = _participants(raw, ids, events, q)
    rows, issues = _reference_participants(raw, ids, events)
    got = list(out[["event_id", "person_id", "role", "_file", "_row"]].itertuples(index=False))
    assert [tuple(r) for r in got] == rows
    assert q.issues == issues
    assert all(out[c].dtype == object for c in ["event_id", "person_id", "role"])


DATES = [
    "2024-01-05",
    " 2024-01-05",
    "2024-01-05 10:30:00",
    "2024-01-05T10:30:00.000",
    "05/01/2024",
    "Jan 5 2024",
    "2024-02-30",
    "not a date",
    "",
    None,
    "2024-01-05",
]


def test_dates_parse_each_distinct_value_as_a_whole_column_would():
    for values in (DATES, ["2024-01-05T10:30:00Z", "2024-03-01T00:00:00Z", "", "x"], []):
        df = pd.DataFrame({"date": pd.Series(values, dtype=object)})
        df["_file"], df["_row"] = "events.csv", np.arange(2, len(df) + 2)
        q = DataQuality()
        got = _dates(df, "date", q, required=True)
        raw = plain_text(df["date"])
        want = pd.to_datetime(raw.where(raw != "", None), errors="coerce", format="mixed")
        if getattr(want.dt, "tz", None) is not None:
            want = want.dt.tz_convert(None)
        pd.testing.assert_series_equal(got, want.astype("datetime64[ns]"))
        bad = [i.row for i in q.issues if i.code == "bad_date"]
        assert bad == [r for r, v, w in zip(df["_row"], raw, want) if v and pd.isna(w)]


INTS = st.lists(st.integers(-(2**40), 2**40), max_size=60)


@settings(max_examples=200, deadline=None)
@given(INTS, INTS)
def test_distinct_ints_are_numpy(a, b):
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    assert np.array_equal(unique_ints(a), np.unique(a))
    assert unique_ints(a).dtype == np.unique(a).dtype
    assert np.array_equal(union_ints(a, b), np.union1d(a, b))
    keys = np.unique(a)
    for side in ("left", "right"):
        assert np.array_equal(search_sorted(keys, b, side), np.searchsorted(keys, b, side))
