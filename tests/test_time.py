"""Influence over time: the as-of cut-off, trends and the trend chart."""

import pandas as pd
import pytest
from datasets import write_tables

import influence
from influence.render.charts import trend_chart

PEOPLE = [
    {"id": "a", "name": "Ann", "account": "X", "stance": "champion"},
    {"id": "b", "name": "Bob", "account": "X"},
    {"id": "c", "name": "Cat", "account": "X"},
    {"id": "d", "name": "Dan", "account": "X"},
    {"id": "u", "name": "Us", "internal": "true"},
]
RELS = [{"source": "a", "target": "b", "type": "advises", "strength": "0.5"}]


def meeting(eid, date, *who):
    ev = {"id": eid, "date": date, "type": "meeting"}
    return ev, [{"event_id": eid, "person_id": p, "role": "attendee"} for p in who]


def dataset(folder, extra: bool):
    specs = [("m1", "2024-01-10", "a", "b", "u"), ("m2", "2024-02-05", "b", "c")]
    specs += [("m3", "2024-03-01", "a", "c"), ("m4", "2024-03-20", "c", "d")]
    if extra:  # one day after the as-of date: c becomes the hub
        specs += [("late", "2024-04-01", "c", "a", "b", "d")]
    events, parts = [], []
    for s in specs:
        ev, ps = meeting(*s)
        events.append(ev)
        parts += ps
    return write_tables(
        folder, people=PEOPLE, relationships=RELS, events=events, participants=parts
    )


def test_event_after_as_of_has_no_effect_on_influencers(tmp_path):
    with_late = dataset(tmp_path / "late", extra=True)
    without = dataset(tmp_path / "plain", extra=False)
    a = influence.load(with_late, as_of="2024-03-31").account("X").influencers()
    b = influence.load(without, as_of="2024-03-31").account("X").influencers()
    pd.testing.assert_frame_equal(a, b)
    # ... and it does count from its own date on
    c = influence.load(with_late, as_of="2024-04-01").account("X").influencers()
    assert c.set_index("id").loc["d", "influence"] > b.set_index("id").loc["d", "influence"]


def test_account_at_matches_loading_as_of(tmp_path):
    path = dataset(tmp_path / "late", extra=True)
    latest = influence.load(path).account("X")
    assert str(latest.as_of.date()) == "2024-04-01"
    past = latest.at("2024-03-31")
    expected = influence.load(path, as_of="2024-03-31").account("X")
    pd.testing.assert_frame_equal(past.influencers(), expected.influencers())
    assert latest.at(latest.as_of) is latest


def test_trend_has_one_row_per_person_and_month_end(tmp_path):
    acct = influence.load(dataset(tmp_path / "late", extra=True)).account("X")
    trend = acct.trend()
    assert list(trend.columns) == ["period", "id", "name", "influence", "rank"]
    assert [str(p.date()) for p in trend["period"].unique()] == [
        "2024-01-31",
        "2024-02-29",
        "2024-03-31",
        "2024-04-01",  # the last period ends at the as-of date
    ]
    # a, b, c, d, not our team, and nobody before their first activity (issue 13): c
    # first meets on 2024-02-05, d on 2024-03-20; a and b have an undated relationship
    assert trend.groupby("period").size().tolist() == [2, 3, 4, 4]
    last = trend[trend["period"] == acct.as_of].set_index("id")
    now = acct.influencers().set_index("id")
    assert last["influence"].to_dict() == pytest.approx(now["influence"].dropna().to_dict())
    # In January only a and b are tied (a advises b, and the meeting): a leads; c and d,
    # not yet active, are not ranked. In February d is not yet active.
    jan = trend[trend["period"] == pd.Timestamp("2024-01-31")].set_index("id")
    assert jan["rank"].to_dict() == {"a": 1, "b": 2}
    feb = trend[trend["period"] == pd.Timestamp("2024-02-29")]
    assert sorted(feb["id"]) == ["a", "b", "c"] and sorted(feb["rank"]) == [1, 2, 3]
    # the account at that date lists them unranked, after the ranked people
    inf = acct.at("2024-01-31").influencers()
    assert inf["id"].tolist()[2:] == ["c", "d", "u"]
    assert inf["rank"].isna().tolist() == [False, False, True, True, True]
    # Quarterly
    assert acct.trend("Q")["period"].nunique() == 2


def test_trend_chart_draws_the_top_movers(tmp_path):
    acct = influence.load(dataset(tmp_path / "late", extra=True)).account("X")
    trend = acct.trend()
    fig = trend_chart(trend, top=2)
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    moves = trend.groupby("id")["influence"].agg(lambda s: abs(s.iloc[-1] - s.iloc[0]))
    top2 = moves.sort_values(ascending=False).index[:2]
    names = dict(zip(trend["id"], trend["name"]))
    assert [ln.get_label() for ln in ax.lines] == [names[i] for i in top2]
    empty = trend_chart(trend.iloc[:0])
    assert not empty.axes[0].lines


def test_trend_on_the_sample_is_a_full_reanalysis_at_each_month_end():
    """Each month of the report's trend (the last 12) equals loading the whole sample as
    of that month end (ties of the whole dataset, then the account) and ranking it."""
    ds = influence.load("data/sample")
    name = ds.accounts[0]
    trend = ds.account(name).trend("M", periods=12)
    assert trend["period"].nunique() == 12
    for end, rows in trend.groupby("period"):
        full = influence.load("data/sample", as_of=end).account(name).influencers()
        full = full.loc[~full["internal"], ["id", "name", "influence", "rank"]]
        got = rows[["id", "name", "influence", "rank"]]
        pd.testing.assert_frame_equal(got.reset_index(drop=True), full.reset_index(drop=True))
    # the evidence of a past account is still there when asked for
    past = ds.account(name).at(trend["period"].iloc[0])
    assert len(past.contributions) and set(past.contributions["source"]) <= set(past.person_graph)


@pytest.mark.parametrize("kernel", [True, False])
def test_trend_of_some_people_is_their_full_reanalysis(monkeypatch, kernel):
    """``trend(people=...)`` (the report's sparklines): the rows of those people of a
    full reanalysis at each month end, the same influence to the last bit, no rank; with
    the compiled kernel (which then computes their closeness and the largest only) and
    with igraph's."""
    from influence.analysis import compute

    if kernel:  # the kernel for every graph, however small
        monkeypatch.setattr(compute, "KERNEL_WORK", 0)
        monkeypatch.setattr(compute, "LOADED_KERNEL_WORK", 0)
    ds = influence.load("data/sample")
    name = ds.accounts[0]
    acct = ds.account(name)
    inf = acct.influencers()
    ext = inf[~inf["internal"]]
    people = [*ext["id"].iloc[[0, 3, 7]], ext["id"].iloc[-1]]
    trend = acct.trend("M", periods=6, people=people)
    assert trend["period"].nunique() == 6 and trend["rank"].isna().all()
    for end, rows in trend.groupby("period"):
        full = influence.load("data/sample", as_of=end).account(name).influencers()
        full = full[~full["internal"] & full["rank"].notna() & full["id"].isin(people)]
        assert rows["id"].tolist() == full["id"].tolist()
        assert rows["influence"].tolist() == full["influence"].tolist()


def test_trend_of_some_people_leaves_out_who_was_not_yet_active(tmp_path):
    """Dan's first activity is on 20 March: his row is missing at the end of February."""
    ds = influence.load(dataset(tmp_path, extra=False))
    acct = ds.account("X")
    trend = acct.trend(people=["d", "a"])
    full = acct.trend()
    assert trend.groupby("period")["id"].apply(list).tolist() == [["a"], ["a"], ["a", "d"]]
    assert trend["rank"].isna().all()
    want = full[full["id"].isin(["a", "d"])].reset_index(drop=True)
    assert trend["influence"].tolist() == want["influence"].tolist()
