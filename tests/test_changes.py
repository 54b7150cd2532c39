"""What changed between two reviews: categories, thresholds, the CLI and a real timeline."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from datasets import write_tables

import influence
from influence.analysis.changes import changes
from influence.defaults import INFLUENCE_THRESHOLD
from influence.diff import diff_datasets

COLS = ["id", "name", "internal", "influence", "stance", "coverage_strength", "last_contact",
        "coverage_gap"]  # fmt: skip
T = pd.Timestamp


def table(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLS)


def kinds(df: pd.DataFrame) -> set:
    return set(zip(df["id"], df["change"]))


def test_thresholds_are_strict_and_documented():
    old = table(["a", "A", False, 50.0, "", 0.8, T("2024-01-01"), False],
                ["b", "B", False, 50.0, "", 0.8, T("2024-01-01"), False],
                ["c", "C", False, 50.0, "", 0.2, T("2024-01-01"), False],
                ["us", "Us", True, None, "", None, pd.NaT, False])  # fmt: skip
    new = table(["a", "A", False, 65.0, "", 0.40, T("2024-01-01"), False],  # +15: not rose
                ["b", "B", False, 34.9, "", 0.39, T("2024-01-01"), False],  # -15.1: fell
                ["c", "C", False, 50.0, "", 0.05, T("2024-01-01"), False],  # tie too weak
                ["us", "Us", True, None, "", None, pd.NaT, False])  # fmt: skip
    out = changes(old, new, account="X")
    assert kinds(out) == {("b", "fell"), ("b", "cooled")}  # b lost 51 % of 0.8
    assert out["account"].unique().tolist() == ["X"]
    assert list(out.columns) == ["account", "id", "name", "change", "before", "after", "detail"]
    b = out.set_index("change").loc["cooled"]
    assert (b["before"], b["after"]) == (0.8, 0.39)
    assert kinds(changes(old, new, threshold=10)) == {("a", "rose"), ("b", "fell"),
                                                      ("b", "cooled")}  # fmt: skip


def test_champion_cold_and_coverage_gap():
    old = table(["a", "A", False, 90.0, "champion", 0.8, T("2024-03-01"), False],
                ["s", "S", False, 40.0, "supporter", 0.8, T("2024-05-01"), False],
                ["n", "N", False, 10.0, "neutral", 0.0, pd.NaT, False],
                ["g", "G", False, 80.0, "", 0.2, pd.NaT, True])  # fmt: skip
    new = table(["a", "A", False, 90.0, "champion", 0.8, T("2024-03-01"), False],
                ["s", "S", False, 40.0, "supporter", 0.8, T("2024-05-01"), False],
                ["n", "N", False, 95.0, "neutral", 0.1, pd.NaT, True],
                ["g", "G", False, 80.0, "", 0.2, pd.NaT, True])  # fmt: skip
    out = changes(old, new, as_of_before="2024-04-01", as_of_after="2024-06-30")
    # a: 121 days since contact; s: 60 days is not more than 60; g was already a gap
    assert kinds(out) == {("a", "champion_cold"), ("n", "rose"), ("n", "coverage_gap")}
    a = out.set_index("change").loc["champion_cold"]
    assert (a["before"], a["after"]) == (31.0, 121.0)
    assert "121 days" in a["detail"]
    assert kinds(changes(old, new)) == {("n", "rose"), ("n", "coverage_gap")}  # no as-of


PEOPLE = [
    {"id": "a", "name": "Ann", "account": "X", "stance": "champion"},
    {"id": "b", "name": "Bob", "account": "X"},
    {"id": "c", "name": "Cat", "account": "X"},
    {"id": "u", "name": "Us", "internal": "true"},
]


def write(folder: Path, people, rels, events=(), parts=()):
    return write_tables(folder, people=people, relationships=rels, events=list(events),
                        participants=list(parts))  # fmt: skip


@pytest.fixture
def versions(tmp_path):
    rels = [{"source": "a", "target": "b", "type": "advises", "strength": "0.9"},
            {"source": "b", "target": "c", "type": "peer", "strength": "0.9"},
            {"source": "u", "target": "a", "type": "friend", "strength": "0.9"}]  # fmt: skip
    old = write(tmp_path / "old", PEOPLE, rels)
    # Review 2: Cat left, Dee joined and now advises everyone; we never met Dee.
    people = [p for p in PEOPLE if p["id"] != "c"]
    people.append({"id": "d", "name": "Dee", "account": "X", "buying_role": "Decision Maker"})
    rels2 = [rels[0], rels[2]] + [
        {"source": "d", "target": t, "type": "advises", "strength": "1"} for t in "ab"
    ]
    new = write(tmp_path / "new", people, rels2)
    return old, new


def test_diff_datasets_finds_new_and_departed(versions):
    old, new = versions
    out = diff_datasets(influence.load(old), influence.load(new))
    assert ("d", "new") in kinds(out) and ("c", "departed") in kinds(out)
    assert ("d", "coverage_gap") in kinds(out)  # top influence, no tie to us
    assert set(out["account"]) == {"X"}
    dee = influence.load(new).account("X").influencers().set_index("id").loc["d", "influence"]
    assert out.set_index(["id", "change"]).loc[("d", "new"), "after"] == dee


def test_cli_diff_writes_csv_and_html(versions, tmp_path):
    old, new = versions
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "influence", "diff", str(old), str(new), "--out", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "changes.csv")
    assert {"new", "departed", "coverage_gap"} <= set(table["change"])
    html = (out / "changes.html").read_text(encoding="utf-8")
    csp = "default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;"
    assert f'<meta http-equiv="Content-Security-Policy" content="{csp}">' in html
    assert "What changed since the last review" in html and "<script" not in html
    assert "New stakeholders" in html and "Dee" in html
    # one dataset at two dates needs --from-date
    bad = subprocess.run([sys.executable, "-m", "influence", "diff", str(old), "--out",
                          str(out)], capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2 and "--from-date" in bad.stderr


def email_dataset(folder: Path) -> Path:
    """Weekly two-way emails through 2024; Pia (our champion) goes silent on 1 July."""
    people = [
        {"id": "p", "name": "Pia", "account": "X", "stance": "champion"},
        {"id": "q", "name": "Quinn", "account": "X", "stance": "neutral"},
        {"id": "r", "name": "Ravi", "account": "X"},
        {"id": "s", "name": "Sue", "account": "X"},
        {"id": "t", "name": "Tom", "account": "X"},
        {"id": "u", "name": "Us", "internal": "true"},
    ]
    events, parts = [], []
    for i, day in enumerate(pd.date_range("2024-01-01", "2024-12-30", freq="7D")):
        pairs = [("q", "r"), ("r", "s"), ("s", "t"), ("t", "q"), ("u", "q")]
        if day < pd.Timestamp("2024-07-01"):
            pairs += [("u", "p"), ("p", "q"), ("p", "r"), ("p", "s")]
        for a, b in pairs:
            sender, to = (a, b) if i % 2 else (b, a)  # alternate: mail both ways
            eid = f"e{len(events)}"
            events.append({"id": eid, "date": day.date().isoformat(), "type": "email"})
            parts += [{"event_id": eid, "person_id": sender, "role": "sender"},
                      {"event_id": eid, "person_id": to, "role": "recipient"}]  # fmt: skip
    return write(folder, people, [], events, parts)


def test_a_champion_going_silent_shows_only_after_the_stop(tmp_path):
    path = email_dataset(tmp_path / "mail")

    def diff(a, b, **kw):
        return diff_datasets(influence.load(path, as_of=a, **kw), influence.load(path, as_of=b,
                                                                                 **kw))  # fmt: skip

    before = diff("2024-03-31", "2024-06-28")
    assert before.empty  # steady weekly contact: nothing to report
    after = diff("2024-06-28", "2024-12-31")
    # her last activity (2024-06-24) is 190 days before 2024-12-31, 4 days before 06-28
    quiet = after.set_index("change").loc["gone_quiet"]
    assert (quiet["before"], quiet["after"]) == (4, 190)
    # While she wrote, Pia and Ravi held mirror positions (p <-> r maps every customer
    # tie onto another), so they were equal; then her ties decay while everyone else's
    # are renewed every week, so her influence falls below his. ``fell`` is reported
    # exactly when the fall exceeds the threshold.
    a, b = (
        influence.load(path, as_of=d).account("X").influencers().set_index("id")
        for d in ("2024-06-28", "2024-12-31")
    )
    assert a.loc["p", "influence"] == pytest.approx(a.loc["r", "influence"], abs=1e-9)
    assert b.loc["p", "influence"] < b.loc["r", "influence"] - 1
    drop = a.loc["p", "influence"] - b.loc["p", "influence"]
    fell = {("p", "fell")} if drop > INFLUENCE_THRESHOLD else set()
    assert kinds(after) == {("p", "champion_cold"), ("p", "gone_quiet")} | fell
    assert after.set_index("change").loc["champion_cold", "after"] == 190  # last mail 2024-06-24
    # With a faster fade (half-life 30 days) our tie to her cools as well.
    quick = diff("2024-06-28", "2024-12-31", half_life_days=30)
    assert ("p", "cooled") in kinds(quick) and ("q", "cooled") not in kinds(quick)
    # The trend shows the same: flat until July, then falling.
    trend = influence.load(path).account("X").trend()
    pia = trend[trend["id"] == "p"].set_index("period")["influence"]
    assert pia[:"2024-06-30"].nunique() == 1 and pia.is_monotonic_decreasing
