"""Time that tells the truth (issue #13 part 3): gone_quiet, departed and new in
``influence diff`` for two exports and for one dataset at two dates, people not yet
active left out of a snapshot, and the thin-data warning. Dates worked out by hand."""

import pandas as pd
import pytest
from datasets import write_tables

import influence
from influence.analysis.activity import account_activity, not_yet_active
from influence.cli import main
from influence.diff import diff_datasets

WEEKS = pd.date_range("2024-01-05", "2024-12-27", freq="7D")  # Fridays


def export(folder, until="2024-12-31", drop=()):
    """Weekly meetings of a and b all year; x joins them until 2024-03-29, y from
    2024-09-06. ``until``: the export's last date; ``drop``: people left out."""
    people = [{"id": v, "name": v.upper(), "account": "X"} for v in "abxy" if v not in drop]
    people.append({"id": "us", "name": "Us", "account": "X", "internal": "true"})
    ev, part = [], []
    for i, day in enumerate(d for d in WEEKS if d <= pd.Timestamp(until)):
        ev.append({"id": f"m{i}", "date": day.date().isoformat(), "type": "meeting"})
        who = ["a", "b", "us"] if i % 4 == 0 else ["a", "b"]
        if day <= pd.Timestamp("2024-03-29"):
            who.append("x")
        if day >= pd.Timestamp("2024-09-06"):
            who.append("y")
        part += [{"event_id": f"m{i}", "person_id": p, "role": ""} for p in who if p not in drop]
    return write_tables(folder, people=people, events=ev, participants=part)


def kinds(table):
    return {(r.id, r.change) for r in table.itertuples()}


def test_dated_diff_reports_gone_quiet_and_new(tmp_path):
    path = export(tmp_path / "d")
    old = influence.load(path, as_of="2024-04-15")
    new = influence.load(path, as_of="2024-12-31")
    # y's first meeting (2024-09-06) is after 2024-04-15: not in the early snapshot
    assert old.account("X").not_yet_active() == ["y"]
    table = diff_datasets(old, new)
    got = kinds(table)
    assert ("y", "new") in got
    # x: last meeting 2024-03-29, 17 days before 04-15 (not quiet), 277 before 12-31
    assert ("x", "gone_quiet") in got
    row = table.set_index(["id", "change"]).loc[("x", "gone_quiet")]
    assert (row["before"], row["after"]) == (17, 277)
    assert ("a", "gone_quiet") not in got and ("b", "gone_quiet") not in got


def test_two_exports_gone_quiet_then_departed(tmp_path):
    first = influence.load(export(tmp_path / "e1", until="2024-04-15"))  # as of 04-12
    second = influence.load(export(tmp_path / "e2"))
    assert ("x", "gone_quiet") in kinds(diff_datasets(first, second))
    third = influence.load(export(tmp_path / "e3", drop="x"))
    assert ("x", "departed") in kinds(diff_datasets(second, third))


def test_quiet_days_boundary(tmp_path):
    # x's last activity is 2024-03-29: 60 days later is 2024-05-28 (not quiet: "more
    # than 60 days"), 61 days later 2024-05-29 (quiet)
    path = export(tmp_path / "q")
    old = influence.load(path, as_of="2024-04-01")
    at_60 = diff_datasets(old, influence.load(path, as_of="2024-05-28"))
    at_61 = diff_datasets(old, influence.load(path, as_of="2024-05-29"))
    assert ("x", "gone_quiet") not in kinds(at_60)
    assert ("x", "gone_quiet") in kinds(at_61)
    loose = diff_datasets(old, influence.load(path, as_of="2024-05-29"), quiet_days=90)
    assert ("x", "gone_quiet") not in kinds(loose)


def test_cli_diff_one_dataset_at_two_dates(tmp_path, capsys):
    path = export(tmp_path / "c")
    out = tmp_path / "out"
    assert main(["diff", str(path), "--from-date", "2024-04-15", "--out", str(out)]) == 0
    assert "gone_quiet: 1" in capsys.readouterr().out
    changes = pd.read_csv(out / "changes.csv")
    assert {"x"} == set(changes.loc[changes["change"] == "gone_quiet", "id"])
    assert "Gone quiet" in (out / "changes.html").read_text(encoding="utf-8")


def test_not_yet_active_rule(tmp_path):
    path = write_tables(
        tmp_path / "n",
        people=[{"id": v, "name": v, "account": "X"} for v in "abcde"],
        relationships=[
            {"source": "a", "target": "b", "type": "peer", "start": "2024-06-01"},
            {"source": "c", "target": "d", "type": "peer"},  # undated: always active
        ],
        events=[{"id": "e1", "date": "2024-03-01", "type": "call"}],
        participants=[
            {"event_id": "e1", "person_id": "a", "role": ""},
            {"event_id": "e1", "person_id": "c", "role": ""},
        ],
    )
    t = influence.load(path).tables
    # b's only activity starts 2024-06-01; a had a call on 03-01; e has no dated activity
    assert not_yet_active(t, "2024-04-01") == ["b"]
    assert not_yet_active(t, "2024-06-01") == []
    assert not_yet_active(t, "2024-02-01") == ["a", "b"]  # c has an undated relationship


def test_thin_data_rule_by_hand():
    # 5 events a week from 2024-01-01 to 2024-10-31, 1 in the 60 days before 12-31
    days = pd.Series(pd.date_range("2024-01-01", "2024-10-31", freq="D"))
    busy = days[days.dt.day_of_week < 5]
    dates = pd.concat([busy, pd.Series([pd.Timestamp("2024-12-20")])], ignore_index=True)
    a = account_activity(dates, "2024-12-31")
    # window (11-01, 12-31]; before it 01-01..11-01 = 306 days with len(busy) events
    assert a["recent_events"] == 1
    assert a["usual_events"] == pytest.approx(len(busy) * 60 / 306)
    assert a["thin_data"] and "thin data: 1 event in the 60 days before 2024-12-31" in a["note"]
    # 13 recent events against a usual ~43.5 is not thin at 25 % (10.9), 10 is
    recent = pd.Series(pd.date_range("2024-11-02", periods=13, freq="4D"))
    assert not account_activity(pd.concat([busy, recent]), "2024-12-31")["thin_data"]
    assert account_activity(pd.concat([busy, recent[:10]]), "2024-12-31")["thin_data"]
    # less than one full window of history: no judgement
    assert not account_activity(dates[dates >= "2024-10-15"], "2024-12-31")["thin_data"]


def test_thin_data_in_summary_cli_and_report(tmp_path, capsys):
    # a busy year of weekly meetings, then only one in the last 60 days
    path = export(tmp_path / "t", until="2024-10-18")  # window (10-21, 12-20]
    ev = pd.read_csv(path / "events.csv")
    ev.loc[len(ev)] = ["late", "2024-12-20", "meeting"]
    ev.to_csv(path / "events.csv", index=False)
    part = pd.read_csv(path / "participants.csv")
    part.loc[len(part)] = ["late", "a", None]
    part.loc[len(part) + 1] = ["late", "b", None]
    part.to_csv(path / "participants.csv", index=False)
    acct = influence.load(path).account("X")
    s = acct.summary()
    assert s["thin_data"] and s["recent_events"] == 1
    assert "thin data" in s["caveats"]
    out = tmp_path / "out"
    assert main(["analyze", str(path), "--out", str(out), "--quiet", "--executor", "serial"]) == 0
    assert "X: thin data: 1 event in the 60 days before 2024-12-20" in capsys.readouterr().err
    summary = pd.read_csv(out / "summary.csv")
    assert bool(summary.loc[0, "thin_data"]) and "thin data" in summary.loc[0, "caveats"]
    report = (out / summary.loc[0, "slug"] / "report.html").read_text(encoding="utf-8")
    assert "thin data: 1 event in the 60 days" in report
    assert "Activity: 1 events in the 60 days before the as-of date" in report
