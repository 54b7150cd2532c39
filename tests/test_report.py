"""report.html and index.html: sections, the right people, escaping, determinism."""

from __future__ import annotations

import base64
import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from influence.render import charts
from influence.render.index import render_index, write_index
from influence.render.report import ReportContext, render_report, write_report

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
        influencers=df, coalitions=coalitions, warm_paths=paths, quality=quality, charts=figs,
        version="0.1.0", options={"weights": "default", "note": IMG},
    )  # fmt: skip


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
                    "Warm paths to the decision makers", "Data-quality notes"]:  # fmt: skip
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
    assert "Us One</td>" in top  # our strongest tie is shown, but internal people are not ranked
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
