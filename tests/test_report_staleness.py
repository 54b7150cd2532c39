"""Staleness: days since our team's last contact, and champions gone cold.

Expected values are computed here from the sample's CSV files with the csv module
(who took part in which event, on which date), not from the analysis.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import influence
from influence.defaults import COLD_DAYS

SAMPLE = Path("data/sample")


def rows(name: str) -> list[dict[str, str]]:
    with open(SAMPLE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def by_hand(account: str) -> tuple[date, dict[str, float], dict[str, dict[str, str]]]:
    """As-of date (the last event of the dataset), days since our last interaction per
    customer person of ``account`` (NaN if never) and the people rows.

    An interaction is an event both took part in; an e-mail with a sender (README,
    input format) is an interaction of the sender with each recipient only, so two
    people copied on the same mail have not been in contact."""
    people = {r["id"]: r for r in rows("people.csv")}
    ours = {i for i, r in people.items() if r["internal"].strip().lower() == "true"}
    events = {r["id"]: r for r in rows("events.csv")}
    when = {i: date.fromisoformat(r["date"][:10]) for i, r in events.items()}
    who, senders = defaultdict(set), defaultdict(set)
    for r in rows("participants.csv"):
        who[r["event_id"]].add(r["person_id"])
        if r["role"] in ("sender", "from", "organizer"):
            senders[r["event_id"]].add(r["person_id"])
    as_of = max(when.values())
    last: dict[str, date] = {}
    for ev, members in who.items():
        mail = events[ev]["type"] == "email" and senders[ev]
        for a in members & ours:
            for b in members - ours:
                if not mail or a in senders[ev] or b in senders[ev]:
                    last[b] = max(last.get(b, date.min), when[ev])
    mine = {i: r for i, r in people.items() if r["account"] == account and i not in ours}
    days = {i: float((as_of - last[i]).days) if i in last else math.nan for i in mine}
    return as_of, days, mine


@pytest.fixture(scope="module")
def sample():
    return influence.load(SAMPLE)


@pytest.mark.parametrize("account", ["Crestline Bank", "Northwind Logistics"])
def test_days_since_contact_equals_the_interactions_file(sample, account):
    _, days, _ = by_hand(account)
    inf = sample.account(account).influencers().set_index("id")
    got = inf.loc[~inf["internal"], "days_since_contact"]
    assert set(got.index) == set(days)
    for pid, d in days.items():
        assert (math.isnan(d) and math.isnan(got[pid])) or got[pid] == d, pid
    assert inf.loc[inf["internal"], "days_since_contact"].isna().all()


def test_crestline_champion_gone_cold_is_stale(sample):
    as_of, days, people = by_hand("Crestline Bank")
    champions = [i for i, r in people.items() if r["stance"] == "champion"]
    cold = [i for i in champions if not days[i] <= COLD_DAYS]
    assert len(cold) == 1
    (pid,) = cold
    assert 160 <= days[pid] <= 175  # "~168 days before as-of" (issue 15)
    stale = sample.account("Crestline Bank").stale()
    assert pid in set(stale["id"])
    row = stale.set_index("id").loc[pid]
    assert row["name"] == people[pid]["name"] and row["days_since_contact"] == days[pid]
    warm = {i for i, r in people.items() if r["stance"] in ("champion", "supporter")}
    expected = {i for i in warm if not days[i] <= COLD_DAYS}
    assert set(stale["id"]) == expected
    assert stale["influence"].is_monotonic_decreasing


def test_stale_threshold_and_no_team():
    t = pd.DataFrame(
        {
            "id": ["a", "b", "c", "u"],
            "name": ["A", "B", "C", "U"],
            "internal": [False, False, False, True],
            "stance": ["champion", "supporter", "neutral", ""],
            "influence": [10.0, 20.0, 30.0, np.nan],
            "last_contact": pd.to_datetime(["2024-01-01", "2024-01-01", None, None]),
            "days_since_contact": [61.0, 60.0, np.nan, np.nan],
            "strongest_internal_tie_name": ["U", "U", "", ""],
        }
    )
    from influence.analysis.coverage import stale

    assert stale(t, 60)["id"].tolist() == ["a"]  # more than 60 days; neutral never counts
    assert stale(t, 59)["id"].tolist() == ["b", "a"]  # most influential first
    assert stale(t.iloc[:3].assign(internal=False)).empty  # no team: not applicable
