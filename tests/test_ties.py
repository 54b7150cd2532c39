"""Tie strength by hand: decay, channel weights, sharing, reciprocity and noisy-OR."""

import math

import pytest
from datasets import write_tables

import influence

HALF = 180.0
CEILING = 0.9  # interaction_ceiling: s_int = 0.9 (1 - exp(-x / 2))
REPORTS_TO = 0.8  # reports_to_strength


def saturate(x: float) -> float:
    return CEILING * (1 - math.exp(-x / 2))


def decay(days: float) -> float:
    return 2 ** (-days / HALF)


@pytest.fixture
def small(tmp_path):
    return write_tables(
        tmp_path / "small",
        people=[
            {"id": "a", "name": "Ann", "account": "X"},
            {"id": "b", "name": "Bob", "account": "X", "reports_to": "a"},
            {"id": "c", "name": "Cat", "account": "X"},
            {"id": "u", "name": "Us", "internal": "true"},
        ],
        relationships=[
            {"source": "a", "target": "c", "type": "advises", "strength": "0.5", "end": ""},
            {"source": "b", "target": "c", "type": "peer", "strength": "0.4", "end": "2024-01-01"},
        ],
        events=[
            {"id": "e1", "date": "2024-07-01", "type": "meeting"},
            {"id": "e2", "date": "2024-06-01", "type": "email"},
            {"id": "e3", "date": "2024-06-02", "type": "email"},
        ],
        participants=[
            {"event_id": "e1", "person_id": "a", "role": "attendee"},
            {"event_id": "e1", "person_id": "b", "role": "attendee"},
            {"event_id": "e1", "person_id": "u", "role": "organizer"},
            {"event_id": "e2", "person_id": "u", "role": "sender"},
            {"event_id": "e2", "person_id": "a", "role": "recipient"},
            {"event_id": "e2", "person_id": "b", "role": "cc"},
            {"event_id": "e3", "person_id": "a", "role": "sender"},
            {"event_id": "e3", "person_id": "u", "role": "recipient"},
        ],
    )


def strengths(path, **kw):
    acct = influence.load(path, **kw).account("X")
    g = acct.person_graph
    return acct, {(a, b): d["strength"] for a, b, d in g.edges(data=True)}


def test_hand_computed_strengths(small):
    acct, s = strengths(small)
    assert str(acct.as_of.date()) == "2024-07-01"  # the latest event
    # The meeting has 3 participants: each pair gets 1/(3-1) of the meeting weight 1.
    # Emails with a sender connect sender and recipients; u and a wrote both ways (r = 1).
    x_au = 0.5 + 0.3 * decay(30) + 0.3 * decay(29)
    assert s[("a", "u")] == pytest.approx(saturate(x_au), abs=1e-12)
    assert s[("u", "a")] == s[("a", "u")]
    # u -> b mail was never answered: reciprocity 0.5 + 0.5 * 0/1.
    x_bu = 0.5 + 0.3 * decay(30) * 0.5
    assert s[("u", "b")] == pytest.approx(saturate(x_bu), abs=1e-12)
    # a manages b (reports_to, strength 0.8), noisy-OR with the meeting's 1/2 (x = 0.5).
    assert s[("a", "b")] == pytest.approx(1 - (1 - REPORTS_TO) * (1 - saturate(0.5)), abs=1e-12)
    assert s[("b", "a")] == pytest.approx(saturate(0.5), abs=1e-12)
    # An ended relationship decays from its end date (2024-01-01 is 182 days before).
    assert s[("b", "c")] == pytest.approx(0.4 * decay(182), abs=1e-12)
    assert s[("c", "b")] == s[("b", "c")]
    # A directed relationship counts one way only.
    assert s[("a", "c")] == 0.5 and ("c", "a") not in s


def test_evidence_explains_each_tie(small):
    acct, s = strengths(small)
    ev = acct.evidence("a", "u")
    assert sorted(ev["ref"]) == ["e1", "e2", "e3"]
    assert ev.set_index("ref").loc["e1", "share"] == 0.5
    assert ev.set_index("ref").loc["e2", "decay"] == pytest.approx(decay(30))
    x = ev["contribution"].sum()
    assert s[("a", "u")] == pytest.approx(saturate(x), abs=1e-12)
    rt = acct.evidence("b", "a")
    assert set(rt["kind"]) == {"reports_to", "event"}


def test_as_of_ignores_later_events(small):
    _, s = strengths(small, as_of="2024-06-15")
    x_au = 0.3 * decay(14) + 0.3 * decay(13)
    assert s[("a", "u")] == pytest.approx(saturate(x_au), abs=1e-12)
    assert ("b", "a") not in s  # only the meeting of July tied b to a
    _, s = strengths(small, as_of="2024-06-30")  # one day before the meeting
    assert ("b", "a") not in s


def test_half_life_option(small):
    _, s = strengths(small, half_life_days=30)
    x_bu = 0.5 + 0.3 * 2 ** (-30 / 30) * 0.5
    assert s[("u", "b")] == pytest.approx(saturate(x_bu), abs=1e-12)


def test_unit_undirected_relationships_give_strength_one(tmp_path):
    path = write_tables(
        tmp_path / "u",
        people=[{"id": i, "name": i} for i in "abc"],
        relationships=[
            {"source": "a", "target": "b", "type": "friend"},
            {"source": "b", "target": "c", "type": "peer"},
        ],
    )
    ds = influence.load(path)
    g = ds.account(ds.accounts[0]).person_graph
    assert sorted(g.edges(data="strength")) == [
        ("a", "b", 1.0),
        ("b", "a", 1.0),
        ("b", "c", 1.0),
        ("c", "b", 1.0),
    ]


def test_headroom_no_tie_of_one_from_reporting_lines_or_saturated_activity(tmp_path):
    # 40 one-to-one meetings in a day: x = 40, s_int = 0.9 (1 - e^-20) < 0.9; a bare
    # reporting line is 0.8; together 1 - 0.2 (1 - s_int) < 1. Only an explicit
    # relationship of strength 1 gives exactly 1.
    ev = [{"id": f"m{i}", "date": "2024-07-01", "type": "meeting"} for i in range(40)]
    part = [{"event_id": e["id"], "person_id": p, "role": ""} for e in ev for p in "ab"]
    path = write_tables(
        tmp_path / "h",
        people=[
            {"id": "a", "name": "A", "account": "X"},
            {"id": "b", "name": "B", "account": "X", "reports_to": "a"},
            {"id": "c", "name": "C", "account": "X", "reports_to": "a"},
            {"id": "d", "name": "D", "account": "X"},
        ],
        relationships=[{"source": "c", "target": "d", "type": "friend", "strength": "1"}],
        events=ev,
        participants=part,
    )
    _, s = strengths(path)
    s_int = CEILING * (1 - math.exp(-20))
    assert s[("b", "a")] == pytest.approx(s_int, abs=1e-12) and s[("b", "a")] < 0.9
    assert s[("a", "b")] == pytest.approx(1 - (1 - REPORTS_TO) * (1 - s_int), abs=1e-12)
    assert s[("a", "b")] < 1
    assert s[("a", "c")] == REPORTS_TO
    assert s[("c", "d")] == 1.0


@pytest.mark.parametrize("block", [1, 2, 2**20])
def test_ties_between_our_people_go_to_every_account_both_are_members_of(monkeypatch, block):
    """Our people u and v are members of the accounts whose people they have ties with:
    u of Acme, Beta and Gamma, v of Acme and Gamma. The ties between u and v belong to
    Acme and Gamma (both ends members), not to Beta; whatever the number of candidate
    pairs checked at a time (``TEAM_BLOCK``)."""
    import pandas as pd

    from influence.graph import accounts
    from influence.graph.accounts import AccountSplit
    from influence.io.frames import as_read
    from influence.io.tables import validate

    monkeypatch.setattr(accounts, "TEAM_BLOCK", block)
    t = validate(
        as_read("people.csv", id=["a", "b", "g", "u", "v"],
                name=["Ann", "Bea", "Gus", "Us", "Vi"],
                account=["Acme", "Beta", "Gamma", "", ""],
                internal=["", "", "", "true", "true"]),
        as_read("relationships.csv", source=["u", "u", "u", "v", "v"],
                target=["a", "b", "g", "a", "g"], type=["peer"] * 5),
    )  # fmt: skip
    ties = pd.DataFrame({"source": ["u", "v", "u", "v", "u"], "target": ["v", "u", "a", "g", "b"]})
    split = AccountSplit(t).with_ties(ties)
    got = {n: sorted(map(tuple, split.tables(n)[1].values.tolist())) for n in split.names}
    assert got == {
        "Acme": [("u", "a"), ("u", "v"), ("v", "u")],
        "Beta": [("u", "b")],
        "Gamma": [("u", "v"), ("v", "g"), ("v", "u")],
    }
