"""report.html and index.html: sections, the right people, escaping, determinism."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import influence
from influence.render import charts
from influence.render.index import render_index, write_index
from influence.render.report import ReportContext, render_report, sparkline, write_report

XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
QUOTES = 'Ray "Q" O\'Neil'
UNICODE = "Zoë 李雷"


def people() -> pd.DataFrame:
    rows = [
        # id, name, influence, stance, score, cov, hidden, gap, tie name
        ("a", "Ana Ruiz", 95.0, "champion", 2.0, 0.9, False, False, "Us One"),
        ("b", XSS, 80.0, "blocker", -2.0, 0.1, True, True, "Us Two"),
        ("c", UNICODE, 70.0, "", np.nan, 0.0, False, True, ""),
        ("d", IMG, 40.0, "neutral", 0.0, 0.5, True, False, "Us One"),
        ("e", QUOTES, 20.0, "supporter", 1.0, 0.2, False, False, "Us Two"),
        ("u1", "Us One", np.nan, "", np.nan, 0.0, False, False, ""),
        ("u2", "Us Two", np.nan, "", np.nan, 0.0, False, False, ""),
    ]
    df = pd.DataFrame(rows, columns=["id", "name", "influence", "stance", "stance_score",
                                     "coverage_strength", "hidden_influencer", "coverage_gap",
                                     "strongest_internal_tie_name"])  # fmt: skip
    df["title"] = ["CEO", "CFO <b>", "CTO", "VP", "Manager", "AE", "SE"]
    df["department"] = "Ops"
    df["internal"] = df["id"].str.startswith("u")
    df["rank"] = pd.array([1, 2, 3, 4, 5, pd.NA, pd.NA], dtype="Int64")
    df["community"] = pd.array([0, 0, 1, 1, 1, pd.NA, pd.NA], dtype="Int64")
    df["coalition"] = ["Coalition of Ana Ruiz"] * 2 + [f"Coalition of {UNICODE}"] * 3 + [""] * 2
    df["network_role"] = ["central connector", "broker", "peripheral", "contributor", "broker",
                          "", ""]  # fmt: skip
    df["buying_role"] = ["economic buyer", "", "", "", "", "", ""]
    df["last_contact"] = pd.to_datetime(["2024-05-01", "2024-01-02", None, "2024-03-03",
                                         None, None, None])  # fmt: skip
    return df


def context(with_charts: bool = True) -> ReportContext:
    df = people()
    coalitions = pd.DataFrame({
        "community": [0, 1], "label": ["Coalition of Ana Ruiz", f"Coalition of {UNICODE}"],
        "size": [2, 3], "members": [["a", "b"], ["c", "d", "e"]],
        "champion": [1, 0], "blocker": [1, 0], "neutral": [0, 1], "supporter": [0, 1],
        "unknown": [0, 1],
    })  # fmt: skip
    paths = pd.DataFrame({
        "target": ["a", "a", "b"], "target_name": ["Ana Ruiz", "Ana Ruiz", XSS],
        "rank": [1, 2, 1], "strength": [0.72, 0.1, 0.5], "hops": [2, 1, 2],
        "path_names": [["Us One", IMG, "Ana Ruiz"], ["Us Two", "Ana Ruiz"],
                       ["Us One", UNICODE, XSS]],
    })  # fmt: skip
    quality = pd.DataFrame({"file": ["people.csv"], "row": [12], "column": ["email"],
                            "code": ["bad-email"], "message": [f"bad value {XSS}"]})  # fmt: skip
    figs = {}
    if with_charts:
        figs = {"ranking": charts.ranking_chart(df), "coverage": charts.coverage_chart(df)}
    return ReportContext(
        account=f"Acme {XSS} & Sons", as_of="2024-06-30", data_range="2024-01-01 to 2024-06-30",
        influencers=df, coalitions=coalitions, warm_paths=paths, trend=trend(),
        next_moves=next_moves(), engagement=engagement(), quality=quality,
        accounting=accounting(), charts=figs, version="0.1.0",
        options={"weights": "default", "note": IMG},
    )  # fmt: skip


PERIODS = ["2024-04-30", "2024-05-31", "2024-06-30"]


def trend() -> pd.DataFrame:
    """Influence per period, as ``Account.trend()``: Ana rises 50 → 80 → 100, the
    <script> person has no value in May, Zoë appears in June only, the <img> person not
    at all, Ray stays at 20. In shuffled order: the report sorts by period."""
    rows = [("a", 50.0, 0), ("a", 80.0, 1), ("a", 100.0, 2), ("b", 100.0, 0),
            ("b", np.nan, 1), ("b", 0.0, 2), ("c", 70.0, 2), ("e", 20.0, 2), ("e", 20.0, 0),
            ("e", 20.0, 1)]  # fmt: skip
    names = dict(zip(people()["id"], people()["name"], strict=True))
    return pd.DataFrame({
        "period": pd.to_datetime([PERIODS[i] for _, _, i in rows]),
        "id": [r[0] for r in rows], "name": [names[r[0]] for r in rows],
        "influence": [r[1] for r in rows], "rank": 1,
    })  # fmt: skip


def next_moves() -> pd.DataFrame:
    return pd.DataFrame({
        "rank": [1, 2], "id": ["b", "c"], "name": [XSS, UNICODE], "stance": ["blocker", ""],
        "influence": [80.0, 70.0], "predicted_support": [-0.8, 0.1], "gain": [0.1234, 0.05],
        "overall_after": [0.4, 0.33], "path": [["u1", "d", "b"], []],
        "path_names": [["Us One", IMG, XSS], []], "path_strength": [0.5, 0.0],
        "reason": [f"blocker, influence 80; warm path Us One → {IMG} → {XSS} (0.50)",
                   "unknown stance, influence 70; no warm path"],
    })  # fmt: skip


def engagement() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["a", "b"], "name": ["Ana Ruiz", XSS], "suggested_role": ["coach", "evaluator"],
        "reason": ["Ana Ruiz is a champion who has to sell internally",
                   f"{XSS} is a blocker: consider asking for {IMG} criteria"],
    })  # fmt: skip


def accounting() -> pd.DataFrame:
    return pd.DataFrame({"file": ["people.csv", f"{IMG}.csv"], "rows_read": [7, 3],
                         "rows_used": [7, 2], "rows_skipped": [0, 1]})  # fmt: skip


def cells(html: str) -> list[list[str]]:
    """The cells of each body row of the first table in ``html``, as raw HTML."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
            for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]  # fmt: skip


def section(html: str, sid: str) -> str:
    """The HTML of ``<section id=sid>``."""
    m = re.search(rf'<section id="{sid}">(.*?)</section>', html, re.S)
    assert m, sid
    return m.group(1)


@pytest.fixture(scope="module")
def report() -> str:
    return render_report(context())


def test_report_has_every_section(report):
    for heading in ["Top influencers", "Hidden influencers", "Coalitions", "Coverage gaps",
                    "Warm paths to the decision makers", "Next moves", "Suggested engagement",
                    "Data-quality notes"]:  # fmt: skip
        assert f"<h2>{heading}</h2>" in report
    assert "2024-06-30" in report and "0.1.0" in report


def test_report_lists_the_right_people(report):
    gaps = section(report, "gaps")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in gaps and UNICODE in gaps
    assert "<td>Ana Ruiz" not in gaps and "Manager" not in gaps
    assert "Us Two" in gaps and "never" in gaps  # Chen's tie: none, never contacted
    hidden = section(report, "hidden")
    assert "&lt;img src=x onerror=alert(1)&gt;" in hidden and "CFO &lt;b&gt;" in hidden
    assert "<td>Ana Ruiz" not in hidden
    top = section(report, "top")
    order = [top.index(n) for n in ["Ana Ruiz", "&lt;script&gt;", UNICODE, "&lt;img", "Ray"]]
    assert order == sorted(order)
    assert "<td>Us One<" in top  # our strongest tie is shown, but internal people are not ranked
    assert ">AE<" not in top
    coal = section(report, "coalitions")
    assert "Ana Ruiz, &lt;script&gt;" in coal and '<td class="num">3</td>' in coal
    paths = section(report, "paths")
    assert "<li>Us One</li><li>&lt;img src=x onerror=alert(1)&gt;</li><li>Ana Ruiz</li>" in paths
    assert "0.72" in paths
    assert "bad-email" in section(report, "quality")


def test_report_embeds_charts_as_png_and_loads_nothing(report):
    srcs = re.findall(r'src="([^"]*)"', report)
    assert len(srcs) == 2 and all(s.startswith("data:image/png;base64,") for s in srcs)
    png = base64.b64decode(srcs[0].split(",", 1)[1])
    assert png.startswith(b"\x89PNG")
    assert "http://" not in report and "https://" not in report
    assert "<script" not in report and "innerHTML" not in report
    assert ("Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src "
            "&#39;unsafe-inline&#39;; img-src data:\"") in report  # fmt: skip


def test_report_escapes_crm_text(report):
    assert "<script>alert" not in report and "<img src=x" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "&lt;img src=x onerror=alert(1)&gt;" in report
    assert "Ray &#34;Q&#34; O&#39;Neil" in report
    assert UNICODE in report
    assert "<title>Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons" in report


def test_report_is_deterministic(tmp_path):
    a = write_report(context(), tmp_path / "a" / "report.html").read_bytes()
    b = write_report(context(), tmp_path / "b" / "report.html").read_bytes()
    assert a == b
    assert a.decode("utf-8").startswith("<!DOCTYPE html>")


def test_report_with_empty_frames():
    html = render_report(ReportContext(account="Empty", influencers=people().iloc[0:0]))
    assert "No coverage gaps" in html and "No warm paths found." in html
    assert "No next moves" in html and "No suggestions" in html
    assert "<svg" not in html and "<th>Trend</th>" not in html
    assert 'id="row-accounting"' not in html


def test_sparklines_of_the_top_people(report):
    """One polyline per top person with a value, one point per period with a value, on the
    fixed 0–100 scale: x = 2.5 + 45.5 i, y = 2.5 + 19 (1 - v/100)."""
    top = section(report, "top")
    assert "<th>Trend</th>" in top
    assert "from 2024-04-30 to 2024-06-30 (3 periods)" in top
    rows = cells(top)
    names = [r[1] for r in rows]
    assert names[0] == "Ana Ruiz" and names[3].startswith("&lt;img")  # d: no trend at all
    spark = [r[5] for r in rows]  # rank, name, title, department, influence, trend
    points = [re.findall(r'<polyline points="([^"]*)"/>', c) for c in spark]
    assert points == [
        ["2.5,12.0 48.0,6.3 93.5,2.5"],  # Ana: 50, 80, 100
        ["2.5,2.5 93.5,21.5"],  # <script>: 100, (none), 0
        ["93.5,8.2"],  # Zoë: June only, 70
        [],  # <img>: no values, no sparkline
        ["2.5,17.7 48.0,17.7 93.5,17.7"],  # Ray: 20 throughout
    ]
    assert report.count("<polyline") == 4
    assert 'aria-label="Influence 50.0 on 2024-04-30, 100.0 on 2024-06-30"' in spark[0]
    assert '<circle cx="93.5" cy="2.5" r="2"/>' in spark[0]
    assert "<title>Influence 70.0 on 2024-06-30</title>" in spark[2]


def test_sparkline_geometry():
    assert sparkline([None, float("nan")], PERIODS[:2]) is None
    one = sparkline([40.0], PERIODS[:1])
    assert one["points"] == "48.0,13.9" and (one["cx"], one["cy"]) == ("48.0", "13.9")
    clipped = sparkline([-5.0, 130.0], PERIODS[:2])
    assert clipped["points"] == "2.5,21.5 93.5,2.5"
    assert clipped["label"] == "Influence -5.0 on 2024-04-30, 130.0 on 2024-05-31"


def test_next_moves_section(report):
    moves = section(report, "next-moves")
    rows = cells(moves)
    assert len(rows) == 2
    rank, name, stance, influence, gain, path, reason = rows[0]
    assert (rank, name, influence, gain) == ("1", "&lt;script&gt;alert(1)&lt;/script&gt;",
                                             "80.0", "+0.123")  # fmt: skip
    assert "blocker" in stance
    assert re.findall(r"<li>(.*?)</li>", path) == [
        "Us One",
        "&lt;img src=x onerror=alert(1)&gt;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ]
    assert "strength 0.50" in path
    assert reason == ("blocker, influence 80; warm path Us One → &lt;img src=x onerror=alert(1)"
                      "&gt; → &lt;script&gt;alert(1)&lt;/script&gt; (0.50)")  # fmt: skip
    assert rows[1][1] == UNICODE and rows[1][4] == "+0.050"
    assert "no warm path" in rows[1][5] and "<li>" not in rows[1][5]


def test_engagement_section_is_worded_as_a_suggestion(report):
    eng = section(report, "engagement")
    rows = [[re.sub(r"<[^>]+>", "", c) for c in r] for r in cells(eng)]
    assert rows == [
        ["Ana Ruiz",
         "Suggested role: coach — because Ana Ruiz is a champion who has to sell internally"],
        ["&lt;script&gt;alert(1)&lt;/script&gt;",
         "Suggested role: evaluator — because &lt;script&gt;alert(1)&lt;/script&gt; is a "
         "blocker: consider asking for &lt;img src=x onerror=alert(1)&gt; criteria"],
    ]  # fmt: skip
    assert "Suggestions, not steps to follow" in eng
    assert "<ol" not in eng and "Step " not in eng


def test_row_accounting_table(report):
    quality = section(report, "quality")
    table = re.search(r'<table id="row-accounting">(.*?)</table>', quality, re.S).group(1)
    assert cells(table) == [["people.csv", "7", "7", "0"],
                            ["&lt;img src=x onerror=alert(1)&gt;.csv", "3", "2", "1"]]  # fmt: skip


# --- the report of a real account -----------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"


@pytest.fixture(scope="module")
def example():
    """The example's Globex account and its rendered files (Account.report_files)."""
    ds = influence.load(EXAMPLE)
    acct = ds.account("Globex")
    accounting = pd.DataFrame({"file": ["people.csv"], "rows_read": [6], "rows_used": [6],
                               "rows_skipped": [0]})  # fmt: skip
    files = acct.report_files(ds.quality.to_frame(), accounting, version="0.1.0")
    return acct, files


def test_trend_periods_is_the_tail_of_trend(example):
    acct, _ = example
    full = acct.trend()
    assert full["period"].dt.strftime("%Y-%m-%d").unique().tolist() == [
        "2026-09-30",
        "2026-10-31",
        "2026-11-02",
    ]
    pd.testing.assert_frame_equal(acct.trend(periods=12), full)
    last2 = full[full["period"] >= "2026-10-31"].reset_index(drop=True)
    pd.testing.assert_frame_equal(acct.trend(periods=2), last2)
    assert acct.trend(periods=0).empty
    with pytest.raises(ValueError, match="periods must be 0 or more"):
        acct.trend(periods=-1)


TREND_DATES = ("2026-09-30", "2026-10-31", "2026-11-02")


def _influence_by_networkx(acct, pid: str) -> float:
    """The composite of the README (the mean of degree, closeness and PageRank, each
    scaled to its maximum) on the customer graph's live ties, with networkx's functions."""
    import networkx as nx

    from influence.defaults import TIE_FLOOR

    g = acct.person_graph
    live = nx.DiGraph()
    live.add_nodes_from(v for v, d in g.nodes(data=True) if not d["internal"])
    live.add_edges_from(
        (a, b, d)
        for a, b, d in g.edges(data=True)
        if a in live and b in live and d["strength"] >= TIE_FLOOR
    )
    rev = live.reverse()
    parts = [
        nx.out_degree_centrality(live),
        nx.closeness_centrality(rev, distance="distance"),
        nx.pagerank(rev, weight="strength", tol=1e-14, max_iter=10_000),
    ]
    return 100 * sum(p[pid] / max(p.values()) for p in parts) / 3


def test_example_report_matches_the_account(example):
    acct, files = example
    html = files["report.html"].decode("utf-8")
    top = section(html, "top")
    # five customer people, three month ends (2026-09-30, 10-31 and the as-of date 11-02)
    points = re.findall(r'<polyline points="([^"]*)"/>', top)
    assert len(points) == 5 and all(len(p.split()) == 3 for p in points)
    # Maria Chen is the most influential in every period; Lee Novak's influence in each
    # period recomputed with networkx's own centralities (y = 2.5 + 19 (100 - v) / 100)
    lee = [_influence_by_networkx(acct.at(d), "arch") for d in TREND_DATES]
    assert points[0] == "2.5,2.5 48.0,2.5 93.5,2.5"
    assert points[1] == " ".join(
        f"{x},{2.5 + 19 * (100 - v) / 100:.1f}" for x, v in zip(("2.5", "48.0", "93.5"), lee)
    )
    assert f'aria-label="Influence {lee[0]:.1f} on 2026-09-30, {lee[2]:.1f} on 2026-11-02"' in top
    # next moves: as in acct.next_moves() (the README shows Maria Chen's gain, 0.36)
    moves = cells(section(html, "next-moves"))
    nm = acct.next_moves()
    assert [r[1] for r in moves] == nm["name"].tolist() == ["Maria Chen", "Sam Patel",
                                                            "Ola Berg", "Ravi Iyer"]  # fmt: skip
    assert [r[4] for r in moves] == [f"{g:+.3f}" for g in nm["gain"]]
    assert round(float(moves[0][4]), 2) == 0.36
    # Jo Smith → Lee Novak → Maria Chen: 0.851 × 0.675 × 0.5 = 0.287 beats the chain via
    # Sam Patel, 0.851 × 0.916 × 0.8 × 0.5² = 0.156 (two introductions)
    assert re.findall(r"<li>(.*?)</li>", moves[0][5]) == ["Jo Smith", "Lee Novak",
                                                          "Maria Chen"]  # fmt: skip
    assert [r[6] for r in moves] == nm["reason"].tolist()
    # engagement: as in acct.engagement()
    eng = [[re.sub(r"<[^>]+>", "", c) for c in r] for r in cells(section(html, "engagement"))]
    assert [r[0] for r in eng] == ["Maria Chen", "Lee Novak", "Sam Patel"]
    assert eng[1][1] == (
        "Suggested role: coach — because Lee Novak is a champion who has to sell internally: "
        "consider coaching them with the business case and the objections they will meet"
    )
    e = acct.engagement()
    assert eng == [[n, f"Suggested role: {r} — because {why}"]
                   for n, r, why in zip(e["name"], e["suggested_role"], e["reason"])]  # fmt: skip
    assert cells(section(html, "quality").split('id="row-accounting"')[1]) == [
        ["people.csv", "6", "6", "0"]
    ]


def test_report_embeds_the_chart_files_bytes(example):
    _, files = example
    html = files["report.html"].decode("utf-8")
    srcs = re.findall(r'<img src="data:image/png;base64,([^"]*)"', html)
    pngs = [files[f"charts/{k}.png"] for k in ("ranking", "stance_grid", "coalitions", "coverage")]
    assert sorted(base64.b64decode(s) for s in srcs) == sorted(pngs)


def summary() -> pd.DataFrame:
    return pd.DataFrame({
        "account": [f"Acme {XSS}", UNICODE, QUOTES, "Broken"],
        "slug": ["acme", "zoë/../x y", "ray-o-neil", "broken"],
        "people": [120, 8, 45, 0], "stakeholders": [20, 3, 12, 0], "coalitions": [4, 1, 3, 0],
        "coverage_gaps": [3, 0, 1, 0], "hidden_influencers": [2, 0, 1, 0],
        "warnings": [12, 0, 2, 0], "top_influencer": ["Ana Ruiz", IMG, "", ""],
        "error": ["", "", "", "people.csv missing"], "region": ["EMEA", "APAC", "NA", ""],
    })  # fmt: skip


def test_index_rows_links_and_escaping():
    html = render_index(summary(), "0.1.0", {"jobs": 4})
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Acme &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and UNICODE in html
    assert "Ray &#34;Q&#34; O&#39;Neil" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert "acme/map.html" in hrefs and "acme/report.html" in hrefs
    assert "zo%C3%AB%2F..%2Fx%20y/map.html" in hrefs  # quoted: no traversal, no spaces
    assert not any("broken" in h for h in hrefs)  # a failed account has no pages to link
    assert "people.csv missing" in html and "analysis failed" in html
    assert "http://" not in html and "https://" not in html
    assert ">Region<" in html and ">EMEA<" in html  # extra columns shown generically
    assert 'data-sort="120.0"' in html  # numbers sort numerically
    assert html.count("<tr") == 1 + 4


def test_index_script_is_allowed_by_its_hash_only():
    html = render_index(summary(), "0.1.0", {})
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1 and "innerHTML" not in scripts[0]
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "default-src &#39;none&#39;" in csp
    assert f"script-src &#39;sha256-{digest}&#39;" in csp
    assert "unsafe-eval" not in csp and "script-src &#39;unsafe-inline" not in csp


def test_index_is_deterministic(tmp_path):
    a = write_index(summary(), "0.1.0", {"b": 1, "a": 2}, tmp_path / "a.html").read_bytes()
    b = write_index(summary(), "0.1.0", {"a": 2, "b": 1}, tmp_path / "b.html").read_bytes()
    assert a == b


def test_index_uses_given_risk_flags():
    s = summary().assign(risk_flags=[["blocker in top 3", XSS], [], "no champion", ""])
    html = render_index(s, "0.1.0", {})
    assert "blocker in top 3" in html and "no champion" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</span>" in html


# --- the summary at the top, numbers for people (issue 15, points 1, 2 and 6) ----------


def test_example_summary_shows_risks_moves_and_data(example):
    """Globex: one person on our team (people.csv), so single-threaded; the decision
    makers (buying roles in DECISION_ROLES) are named in the decision-coverage flag."""
    from influence.defaults import DECISION_ROLES

    acct, files = example
    html = files["report.html"].decode("utf-8")
    assert html.index('<section id="summary">') < html.index('<section id="top">')
    top = section(html, "summary")
    people = pd.read_csv(EXAMPLE / "people.csv", keep_default_na=False, dtype=str)
    ours = people[people["internal"] == "true"]
    assert len(ours) == 1 and "Single threaded" in top and ours["name"].iat[0] in top
    deciders = people[people["buying_role"].isin(DECISION_ROLES)]["name"]
    assert len(deciders) == 2 and "No decision coverage" in top
    assert all(n in top.split("No decision coverage")[1] for n in deciders)
    # overall support: the influence-weighted mean of acct.support() (computed here)
    inf = acct.influencers().set_index("id")["influence"]
    sup = acct.support().set_index("id")["predicted_support"]
    mean = float(np.average(sup, weights=inf.reindex(sup.index)))
    assert f'<div class="big">{mean:+.2f}</div>'.replace("-", "\u2212") in top
    assert "leans like a supporter" in top if mean >= 0.25 else "about neutral" in top
    # the top 3 next moves, each with its warm path
    moves = acct.next_moves().head(3)
    shown = re.findall(r"<li><b>(.*?)</b>", top.split('id="summary-moves"')[1])[:3]
    assert shown == moves["name"].tolist()
    first = top.split('id="summary-moves"')[1].split("</li>\n")[0]
    assert re.findall(r"<li>([^<]*)</li>", first) == list(moves["path_names"].iat[0])
    # the data's range, from events.csv, in words (no Python tuple)
    ev = pd.read_csv(EXAMPLE / "events.csv")
    span = f"{ev['date'].min()} to {ev['date'].max()}"
    assert f"data from {span}" in html and f"Interactions from {span}" in top
    assert "('" not in html and "', '" not in html


def test_report_words_and_rounding(example):
    acct, files = example
    html = files["report.html"].decode("utf-8")
    assert not re.search(r"\b1 hops\b", html) and "hops" not in section(html, "paths")
    footer = html.split("<footer>")[1]
    assert "{" not in footer and "}" not in footer  # no raw dicts among the options
    assert "call 0.7" in footer and "meeting 1" in footer
    # no number with more than 3 decimals anywhere a person reads (outside base64 images)
    visible = re.sub(r'src="data:[^"]*"', "", html)
    visible = re.sub(r"<style>.*?</style>|<svg.*?</svg>", "", visible, flags=re.S)
    assert not re.search(r"\d\.\d{4,}", visible)
    assert "Our strongest tie" in html and "internal tie" not in html


def test_account_repr_rounds_numbers():
    acct = influence.load(EXAMPLE).account("Globex")
    assert acct.summary()["overall_support"] != round(acct.summary()["overall_support"], 2)
    shown = acct._repr_html_()
    assert not re.search(r"\d\.\d{3,}", shown)
    assert f"{acct.summary()['overall_support']:+.2f}" in shown


def summary_at_scale(n: int = 300, warnings: int = 15_196) -> pd.DataFrame:
    """``n`` accounts as summary.csv has them: per-account figures, and the dataset's
    data-quality count and row accounting repeated on every row."""
    rng = np.random.default_rng(1)
    return pd.DataFrame({
        "account": [f"Account {i:03d}" for i in range(n)],
        "slug": [f"account-{i:03d}" for i in range(n)],
        "people": rng.integers(2, 200, n), "coalitions": rng.integers(1, 9, n),
        "coverage_gaps": rng.integers(0, 4, n), "hidden_influencers": rng.integers(0, 3, n),
        "top_influencer": "Zoë Müller", "overall_support": rng.uniform(-1, 1, n),
        "support": "about neutral", "stale": rng.integers(0, 3, n), "stale_people": "",
        "next_moves": "", "recent_events": rng.integers(0, 90, n),
        "first_event": "2024-01-01", "last_event": "2025-03-30",
        "risk_flags": "single_threaded: only one of us has strong ties", "caveats": "",
        "error": "", "rendered": [i < 3 for i in range(n)], "warnings": warnings,
        "warning_counts": "declined=15000; lead=196", "rows_read": 129_603,
        "rows_skipped": 3_145,
    })  # fmt: skip


def test_index_counts_dataset_totals_once_and_rounds():
    s = summary_at_scale()
    html = render_index(s, "0.1.0", {"channel_weights": {"call": 0.7}})
    head = html.split("<table")[0]
    assert "15196" in head and str(15_196 * 300) not in html
    assert "declined 15000, lead 196" in head and "129603" in head
    assert f"People: {s['people'].sum()}" in head  # a per-account figure, summed
    assert "Data-quality warnings</button>" not in html  # no dataset column on the rows
    assert html.count("15196") == 1
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], re.S)
    assert len(rows) == 300
    v = float(s["overall_support"].iat[0])
    assert f'data-sort="{v!r}"' in rows[0] and f">{v:+.2f}<".replace("-", "\u2212") in rows[0]
    assert not re.search(r">[-+\u2212]?\d+\.\d{3,}<", html)  # shown rounded
    assert "{" not in html.split("<footer>")[1].split("<script>")[0]
    assert "single threaded" in rows[0] and "only one of us" in rows[0]  # detail as a title


@pytest.mark.parametrize("as_of", [None, "2026-10-20"])
def test_index_footer_names_the_date_analysed(tmp_path, as_of):
    """The footer's "as of" is the date the run analysed: the latest event of events.csv
    (read here with the csv module) by default, the given date otherwise; never blank."""
    import csv

    from influence.batch import run

    with open(EXAMPLE / "events.csv", encoding="utf-8", newline="") as f:
        latest = max(r["date"] for r in csv.DictReader(f))
    ds = influence.load(EXAMPLE, as_of=as_of)
    run(ds, tmp_path, rendered=0, executor="serial", progress=False)
    footer = (tmp_path / "index.html").read_text(encoding="utf-8").split("<footer>")[1]
    shown = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", footer))
    assert shown["as of"] == (as_of or latest)


def test_index_links_only_to_files_that_exist(tmp_path):
    s = summary_at_scale(6)
    for slug, files in [("account-000", ["map.html", "report.html"]),
                        ("account-001", ["report.html"])]:  # fmt: skip
        for f in files:
            (tmp_path / slug).mkdir(exist_ok=True)
            (tmp_path / slug / f).write_text("x")
    html = write_index(s, "0.1.0", {}, tmp_path / "index.html").read_text()
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert sorted(set(hrefs)) == [
        "account-000/map.html", "account-000/report.html", "account-001/report.html"
    ]  # fmt: skip
    assert all((tmp_path / h).is_file() for h in hrefs)
    # without a folder, the rendered column says which accounts have pages
    hrefs = set(re.findall(r'href="([^"]*)"', render_index(s, "0.1.0", {})))
    assert {h.split("/")[0] for h in hrefs} == {"account-000", "account-001", "account-002"}


def test_report_trend_covers_the_listed_people_and_those_tied_with_the_last():
    """The report's trend holds the customer people with an influence at least the
    ``top``-th largest (the people its top table can list, ties included), no others."""
    ds = influence.load("data/sample")
    for name in ds.accounts:
        acct = ds.account(name)
        inf = acct.influencers()
        ext = inf[~inf["internal"]]
        cut = ext["influence"].nlargest(ReportContext.top).iloc[-1]
        ranked = set(ext.loc[ext["influence"] >= cut, "id"]) - set(acct.not_yet_active())
        ctx = acct.report_context()
        assert set(ctx.trend["id"]) == ranked, name
        assert len(ranked) >= min(ReportContext.top, len(ext)), name
