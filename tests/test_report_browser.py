"""A batch run's report and index pages in a real (offline) Chromium, and untrusted text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from browser import open_page
from datasets import write_tables
from test_map import EVIL

import influence
from influence.batch import run

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
READY = "window.mapReady === true"
SECTIONS = {
    "top": "Top influencers",
    "hidden": "Hidden influencers",
    "coalitions": "Coalitions",
    "gaps": "Coverage gaps",
    "paths": "Warm paths to the decision makers",
    "next-moves": "Next moves",
    "engagement": "Suggested engagement",
    "quality": "Data-quality notes",
}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    out = tmp_path_factory.mktemp("sample_run")
    summary = run(influence.load(SAMPLE), out, executor="serial", progress=False)
    assert (summary["error"] == "").all()
    return out, summary


@pytest.fixture
def pages():
    """Open pages with :func:`open_page`; every context is closed at the end."""
    opened = []

    def _open(browser, path: Path, **kw):
        page, errors, requests = open_page(browser, path, **kw)
        opened.append(page)
        return page, errors, requests

    yield _open
    for page in opened:
        page.context.close()


def account_cells(page) -> list[str]:
    return [
        t.strip() for t in page.locator("#accounts tbody tr td:first-child a").all_inner_texts()
    ]


def test_report_shows_its_sections_and_top_influencer(browser, sample_run, pages):
    out, summary = sample_run
    row = summary.set_index("account").loc["Crestline Bank"]
    page, errors, requests = pages(browser, out / row["slug"] / "report.html")
    assert page.locator("h1").text_content() == "Crestline Bank"
    assert page.title() == "Crestline Bank · influence report"
    for sid, heading in SECTIONS.items():
        section = page.locator(f"section#{sid}")
        assert section.is_visible(), sid
        assert section.locator("h2").text_content() == heading
    # the top influencer heads the top table, as in summary.csv and influencers.csv
    inf = pd.read_csv(out / row["slug"] / "influencers.csv", keep_default_na=False)
    top = row["top_influencer"]
    assert top == inf.loc[inf["rank"].astype(str) == "1", "name"].item()
    first = page.locator("section#top tbody tr").first.locator("td")
    assert first.nth(0).text_content() == "1"
    assert first.nth(1).text_content().startswith(top)
    ext = inf[inf["internal"].astype(str).str.lower() != "true"]
    assert page.locator("section#top tbody tr").count() == min(15, len(ext))
    assert page.locator(".card .n").first.text_content() == str(len(ext))
    # the four charts are embedded images that decoded
    sizes = page.evaluate(
        "() => Array.from(document.querySelectorAll('figure img'))"
        ".map(i => [i.src.slice(0, 22), i.naturalWidth])"
    )
    assert len(sizes) == 4
    assert all(src == "data:image/png;base64," and w > 300 for src, w in sizes)
    assert errors == [] and requests == []


def spark_point(i: int, n: int, value: float) -> str:
    """Where the report draws period ``i`` of ``n`` at ``value``: a 96 × 24 sparkline with
    a 2.5 margin, x evenly spaced, y on the fixed influence scale 0–100."""
    x = 2.5 + i * (96 - 5) / (n - 1)
    y = 2.5 + 19 * (1 - min(100.0, max(0.0, value)) / 100)
    return f"{x:.1f},{y:.1f}"


def cell_texts(page, selector: str) -> list[list[str]]:
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' tbody tr'))
            .map(tr => Array.from(tr.cells).map(td => td.textContent.trim()))""",
        selector,
    )


def test_report_sparklines_follow_the_trend(browser, sample_run, pages):
    out, summary = sample_run
    slug = summary.set_index("account").at["Crestline Bank", "slug"]
    page, errors, requests = pages(browser, out / slug / "report.html")
    acct = influence.load(SAMPLE).account("Crestline Bank")
    trend = acct.trend()
    periods = sorted(trend["period"].unique())
    assert len(periods) == 12  # December 2025 to the as-of date, 2026-11-20
    inf = pd.read_csv(out / slug / "influencers.csv", keep_default_na=False)
    top = inf[inf["internal"].astype(str).str.lower() != "true"].head(15)
    # one sparkline per top person, one point per period
    rows = page.locator("section#top tbody tr")
    assert rows.count() == 15
    assert page.locator("section#top svg.spark polyline").count() == 15
    points = page.evaluate(
        "() => Array.from(document.querySelectorAll('section#top tbody tr'))"
        ".map(tr => tr.querySelector('svg.spark polyline').getAttribute('points'))"
    )
    assert [len(p.split()) for p in points] == [12] * 15
    # each point is that person's influence at that period end, as Account.trend() says
    by = trend.set_index(["id", "period"])["influence"]
    expected = [
        " ".join(spark_point(i, 12, by[(pid, p)]) for i, p in enumerate(periods))
        for pid in top["id"]
    ]
    assert points == expected
    # and the last point is today's influence, as in influencers.csv
    cys = page.evaluate(
        "() => Array.from(document.querySelectorAll('section#top svg.spark circle'))"
        ".map(c => c.getAttribute('cy'))"
    )
    today = top["influence"].astype(float)
    assert cys == [spark_point(0, 12, v).split(",")[1] for v in today]
    labels = page.locator("section#top svg.spark").evaluate_all(
        "svgs => svgs.map(s => s.getAttribute('aria-label'))"
    )
    first = by[(top["id"].iat[0], periods[0])]
    assert labels[0] == (f"Influence {first:.1f} on 2025-12-31, {today.iat[0]:.1f} on 2026-11-20")
    box = page.locator("section#top svg.spark").first.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (96, 24)
    assert errors == [] and requests == []


def test_report_next_moves_and_engagement_match_the_account(browser, sample_run, pages):
    out, summary = sample_run
    slug = summary.set_index("account").at["Crestline Bank", "slug"]
    page, errors, requests = pages(browser, out / slug / "report.html")
    acct = influence.load(SAMPLE).account("Crestline Bank")
    moves = acct.next_moves()
    assert len(moves) == 5
    rows = cell_texts(page, "section#next-moves")
    assert [r[1] for r in rows] == moves["name"].tolist()
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r[4] for r in rows] == [f"{g:+.3f}" for g in moves["gain"]]
    assert [r[6] for r in rows] == moves["reason"].tolist()
    chains = page.evaluate(
        "() => Array.from(document.querySelectorAll('section#next-moves tbody tr'))"
        ".map(tr => Array.from(tr.querySelectorAll('ol.path li')).map(li => li.textContent))"
    )
    assert chains == [list(p) for p in moves["path_names"]]
    strengths = page.locator("section#next-moves .strength").all_text_contents()
    assert strengths == [f"strength {s:.2f}" for s in moves["path_strength"]]
    eng = acct.engagement()
    # every person the engagement rule picks is shown, in the same order
    assert len(eng) >= 1
    rows = cell_texts(page, "section#engagement")
    assert rows == [
        [name, f"Suggested role: {role} — because {reason}"]
        for name, role, reason in zip(eng["name"], eng["suggested_role"], eng["reason"])
    ]
    assert rows[0] == [
        "Élodie Girard",
        "Suggested role: coach — because Élodie Girard is a champion who has to sell "
        "internally: consider coaching them with the business case and the objections "
        "they will meet",
    ]
    assert errors == [] and requests == []


def test_report_row_accounting_equals_the_csv(browser, sample_run, pages):
    out, summary = sample_run
    acc = pd.read_csv(out / "row_accounting.csv", dtype=str)
    assert acc.values.tolist() == [
        ["events.csv", "1777", "1777", "0"],
        ["participants.csv", "6284", "6284", "0"],
        ["people.csv", "169", "169", "0"],
        ["relationships.csv", "359", "359", "0"],
    ]
    for slug in summary["slug"]:
        page, errors, _ = pages(browser, out / slug / "report.html")
        assert cell_texts(page, "section#quality table#row-accounting") == acc.values.tolist()
        heads = page.locator("table#row-accounting th").all_text_contents()
        assert heads == ["File", "Rows read", "Rows used", "Rows skipped"]
        assert errors == []


def test_index_lists_every_account_and_sorts(browser, sample_run, pages):
    out, summary = sample_run
    page, errors, requests = pages(browser, out / "index.html")
    names = ["Crestline Bank", "Helios Health Systems", "Northwind Logistics"]
    assert page.locator("#accounts tbody tr").count() == len(summary) == 3
    assert account_cells(page) == names
    links = page.evaluate(
        "() => Array.from(document.querySelectorAll('#accounts td.links a'))"
        ".map(a => a.getAttribute('href'))"
    )
    assert links == [f"{s}/{f}" for s in summary["slug"] for f in ("map.html", "report.html")]
    # people: Crestline 74, Helios 55, Northwind 36
    people = page.locator("#accounts thead th", has_text="People")
    people.locator("button").click()
    assert people.get_attribute("aria-sort") == "ascending"
    assert account_cells(page) == ["Northwind Logistics", "Helios Health Systems", "Crestline Bank"]
    people.locator("button").click()
    assert people.get_attribute("aria-sort") == "descending"
    assert account_cells(page) == names
    account = page.locator("#accounts thead th", has_text="Account")
    account.locator("button").click()
    account.locator("button").click()
    assert account.get_attribute("aria-sort") == "descending"
    assert account_cells(page) == names[::-1]
    assert people.get_attribute("aria-sort") is None
    assert errors == [] and requests == []


# --- untrusted text ----------------------------------------------------------------

ACCOUNT = EVIL + "Acme Corp"


def evil_dataset(folder: Path) -> Path:
    """One account whose every text field carries script, markup, quotes and non-Latin text."""

    def person(pid, name, title, reports_to="", level="", role="", stance="", internal=False):
        return {
            "id": pid,
            "name": EVIL + name,
            "title": EVIL + title,
            "department": EVIL + "Finance",
            "account": "" if internal else ACCOUNT,
            "reports_to": reports_to,
            "level": level,
            "buying_role": role,
            "stance": stance,
            "internal": "true" if internal else "false",
        }

    people = [
        person("ceo", "Ann Lee", "CEO", "", 1, "Economic Buyer", "champion"),
        person("cio", "Bob Stone", "CIO", "ceo", 2, "Decision Maker", "skeptic"),
        person("arch", "Cara Diaz", "Architect", "cio", 4, "Evaluator", "supporter"),
        person("fin", "Dev Rao", "CFO", "ceo", 2, "Economic Buyer", "blocker"),
        person("ops", "Eve Moss", "COO", "ceo", 2, "", "neutral"),
        person("ae", "Tia Ward", "Account Executive", internal=True),
    ]
    rels = [
        {"source": "arch", "target": "cio", "type": EVIL + "advises", "strength": 0.9},
        {"source": "ae", "target": "arch", "type": EVIL + "friend", "strength": 0.8},
        {"source": "fin", "target": "ops", "type": EVIL + "peer", "strength": 0.6},
        {"source": "arch", "target": "ceo", "type": "advises", "strength": 0.7},
    ]
    events = [
        {"id": "m1", "date": "2024-03-01", "type": "meeting", "subject": EVIL + "Kick-off"},
        {"id": "m2", "date": "2024-04-01", "type": "call", "subject": EVIL + "Pricing"},
    ]
    participants = [
        {"event_id": "m1", "person_id": "ae", "role": "organizer"},
        {"event_id": "m1", "person_id": "arch", "role": "attendee"},
        {"event_id": "m1", "person_id": "cio", "role": "attendee"},
        {"event_id": "m2", "person_id": "ae", "role": "organizer"},
        {"event_id": "m2", "person_id": "fin", "role": "attendee"},
    ]
    return write_tables(
        folder, people=people, relationships=rels, events=events, participants=participants
    )


@pytest.fixture(scope="module")
def evil_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("evil")
    ds = influence.load(evil_dataset(base / "data"))
    assert ds.accounts == [ACCOUNT]
    summary = run(ds, base / "out", executor="serial", progress=False)
    assert summary["error"].tolist() == [""]
    return base / "out", summary, ds


def pwned(page) -> str:
    return page.evaluate("() => typeof window.__pwned")


def test_untrusted_text_in_next_moves_engagement_and_accounting(browser, evil_run, pages):
    out, summary, ds = evil_run
    folder = out / summary["slug"].iat[0]
    acct = ds.account(ACCOUNT)
    moves, eng = acct.next_moves(), acct.engagement()
    assert all(EVIL in r for r in moves["reason"]) and all(EVIL in r for r in eng["reason"])

    page, errors, requests = pages(browser, folder / "report.html")
    assert pwned(page) == "undefined"
    # next moves: names, warm paths and reasons exactly as typed
    rows = cell_texts(page, "section#next-moves")
    assert [r[1] for r in rows] == moves["name"].tolist()
    assert all(r[1].startswith(EVIL) for r in rows)
    assert [r[6] for r in rows] == moves["reason"].tolist()
    chains = page.evaluate(
        "() => Array.from(document.querySelectorAll('section#next-moves tbody tr'))"
        ".map(tr => Array.from(tr.querySelectorAll('ol.path li')).map(li => li.textContent))"
    )
    assert chains == [list(p) for p in moves["path_names"]]
    assert chains[0][0] == EVIL + "Tia Ward"
    # engagement: the reason quotes names, one of them twice
    rows = cell_texts(page, "section#engagement")
    assert rows == [
        [name, f"Suggested role: {role} — because {reason}"]
        for name, role, reason in zip(eng["name"], eng["suggested_role"], eng["reason"])
    ]
    shown = page.locator("section#engagement .reason").all_text_contents()
    assert [t.count(EVIL) for t in shown] == [r.count(EVIL) for r in eng["reason"]]
    assert max(t.count(EVIL) for t in shown) >= 2  # a reason that quotes two names
    # sparklines carry numbers and dates only
    assert page.locator("section#top svg.spark").count() == 5
    # nothing the data said became markup or ran
    assert page.locator("script").count() == 0
    assert page.evaluate("() => document.images.length") == 4  # the four charts
    assert pwned(page) == "undefined"
    assert errors == [] and requests == []

    # the map's side panel: the suggested role and its reason, as text
    page, errors, requests = pages(browser, folder / "map.html", wait_for=READY)
    e = eng.set_index("id")
    for pid in ("ceo", "arch"):
        page.evaluate("(id) => window.influenceMap.select(id, false)", pid)
        assert page.locator("#panel .engage-role").text_content() == (
            "Suggested role: " + e.at[pid, "suggested_role"]
        )
        assert page.locator("#panel .engage-reason").text_content() == e.at[pid, "reason"]
    assert page.locator("#panel img").count() == 0 and page.locator("script").count() == 3
    assert pwned(page) == "undefined"
    assert errors == [] and requests == []


def test_untrusted_text_in_map_report_and_index(browser, evil_run, pages):
    out, summary, ds = evil_run
    folder = out / summary["slug"].iat[0]

    # the map
    page, errors, requests = pages(browser, folder / "map.html", wait_for=READY)
    assert pwned(page) == "undefined"
    assert page.locator("#map-title").text_content() == ACCOUNT
    assert page.title() == "Influence map · " + ACCOUNT
    page.evaluate("() => window.influenceMap.select('arch', false)")
    assert page.locator("#panel .panel-name").text_content() == EVIL + "Cara Diaz"
    assert page.locator("#panel .role").text_content() == f"{EVIL}Architect · {EVIL}Finance"
    # relationship types arrive as the loader canonicalised them, still as text
    types = set(ds.tables.relationships["type"])
    tips = page.evaluate("() => window.edges.get().map(e => e.title.textContent)")
    assert any(t for t in types if t != "advises" and any(t in tip for tip in tips))
    page.evaluate("() => window.influenceMap.showEvents(true)")
    subjects = page.evaluate(
        "() => window.nodes.get({filter: n => n.id.startsWith('event:')})"
        ".map(n => n.title.querySelector('.tt-name').textContent).sort()"
    )
    assert subjects == [EVIL + "Kick-off", EVIL + "Pricing"]
    assert page.locator("img").count() == 0 and page.locator("script").count() == 3
    assert pwned(page) == "undefined"
    assert errors == [] and requests == []

    # the report
    page, errors, requests = pages(browser, folder / "report.html")
    assert pwned(page) == "undefined"
    assert page.locator("h1").text_content() == ACCOUNT
    assert page.title() == ACCOUNT + " · influence report"
    cells = page.locator("section#top tbody td").all_text_contents()
    for name in ("Ann Lee", "Bob Stone", "Cara Diaz", "Dev Rao", "Eve Moss"):
        assert any(c.startswith(EVIL + name) for c in cells), name
    assert EVIL + "CEO" + EVIL + "Finance" in cells  # the title, the department under it
    chains = page.locator("section#paths ol.path li").all_text_contents()
    assert EVIL + "Tia Ward" in chains
    assert page.locator("script").count() == 0
    srcs = page.evaluate("() => Array.from(document.images).map(i => i.src.slice(0, 22))")
    assert srcs and set(srcs) == {"data:image/png;base64,"}  # only the charts
    assert errors == [] and requests == []

    # the index
    page, errors, requests = pages(browser, out / "index.html")
    assert pwned(page) == "undefined"
    assert account_cells(page) == [ACCOUNT]
    top = page.locator("#accounts thead th", has_text="Top influencer")
    col = page.locator("#accounts thead th").all_text_contents().index(top.text_content())
    cell = page.locator("#accounts tbody tr td").nth(col).text_content()
    assert cell == summary["top_influencer"].iat[0] and cell.startswith(EVIL)
    href = page.locator("#accounts td.links a").first.get_attribute("href")
    assert href == summary["slug"].iat[0] + "/map.html"
    assert page.locator("img").count() == 0 and page.locator("script").count() == 1
    page.locator("#accounts thead th button").first.click()
    assert pwned(page) == "undefined"
    assert errors == [] and requests == []


# --- the summary at the top, on screen and in print (issue 15, points 1 and 2) ---------


def crestline_by_hand():
    """Crestline's figures from the sample's CSV files: as-of date, days since our last
    contact per person, people rows, the events' date range and the events of the 60
    days before the as-of date."""
    import csv
    from datetime import date, timedelta

    from test_report_staleness import by_hand

    as_of, days, people = by_hand("Crestline Bank")
    with open(SAMPLE / "events.csv", newline="", encoding="utf-8") as f:
        when = [date.fromisoformat(r["date"][:10]) for r in csv.DictReader(f)
                if r["account"] == "Crestline Bank"]  # fmt: skip
    recent = sum(1 for d in when if as_of - timedelta(days=60) < d <= as_of)
    return as_of, days, people, (min(when), max(when)), recent


def test_report_summary_fits_one_screen_and_shows_the_cold_champion(browser, sample_run, pages):
    out, summary = sample_run
    slug = summary.set_index("account").at["Crestline Bank", "slug"]
    page, errors, requests = pages(browser, out / slug / "report.html", viewport=(1400, 1000))
    as_of, days, people, (first, last), recent = crestline_by_hand()
    box = page.locator("section#summary .summary-grid").bounding_box()
    assert box["y"] + box["height"] <= 1000  # one screen
    text = page.locator("section#summary").inner_text()
    # the champion last contacted ~168 days before the as-of date, counted by hand
    (pid,) = [i for i, r in people.items() if r["stance"] == "champion" and days[i] > 60]
    cold = page.locator("#summary-stale li").all_inner_texts()
    mine = [c for c in cold if c.startswith(people[pid]["name"])]
    assert len(mine) == 1 and f"{days[pid]:.0f} days ago" in mine[0] and "champion" in mine[0]
    # the top table marks her contact as cold, with the same count
    row = page.locator("section#top tbody tr", has_text=people[pid]["name"])
    assert f"{days[pid]:.0f} days ago" in row.locator("td.contact").inner_text()
    assert row.locator(".tag.cold").count() == 1
    # data range and activity, from events.csv
    assert f"Interactions from {first} to {last}, analysed as of {as_of}" in text
    assert f"Activity: {recent} events in the 60 days before the as-of date" in text
    # support and the next moves: as the Account API says
    acct = influence.load(SAMPLE).account("Crestline Bank")
    value = page.locator("#summary-support .big").inner_text()
    assert value == f"{acct.overall_support():+.2f}".replace("-", "\u2212")
    moves = acct.next_moves().head(3)
    items = page.locator("#summary-moves ol.moves > li")
    assert items.count() == 3
    for i, (name, path) in enumerate(zip(moves["name"], moves["path_names"])):
        assert items.nth(i).locator("b").inner_text() == name
        assert items.nth(i).locator("ol.path li").all_inner_texts() == list(path)
    assert "No risk flags." in text and acct.risk_flags().empty
    assert errors == [] and requests == []


def test_report_prints_to_a_pdf_that_holds_the_summary(browser, sample_run, pages, tmp_path):
    import io
    import unicodedata

    from pypdf import PdfReader

    out, summary = sample_run
    slug = summary.set_index("account").at["Crestline Bank", "slug"]
    page, errors, _ = pages(browser, out / slug / "report.html")
    pdf = page.pdf(format="A4", print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3  # paginated: the summary, then the sections

    def norm(s: str) -> str:  # headings are upper-cased by CSS: compare without case
        return " ".join(unicodedata.normalize("NFC", s).split()).casefold()

    first = norm(reader.pages[0].extract_text())
    as_of, days, people, (start, end), _ = crestline_by_hand()
    (pid,) = [i for i, r in people.items() if r["stance"] == "champion" and days[i] > 60]
    for words in ("Crestline Bank", "Summary", "Overall predicted support", "Risks",
                  "Next moves", "Gone cold", people[pid]["name"], f"{days[pid]:.0f} days ago",
                  f"Interactions from {start} to {end}"):  # fmt: skip
        assert norm(words) in first, words
    assert norm("Top influencers") not in first  # the summary has the first page to itself
    rest = norm(" ".join(p.extract_text() for p in reader.pages[1:]))
    assert norm("Top influencers") in rest and norm("Data-quality notes") in rest
    assert errors == []


# --- the index at 300 accounts (issue 15, point 3) -----------------------------------


@pytest.fixture(scope="module")
def run_300(tmp_path_factory):
    """A 300-account Salesforce-shaped export (bench/make_export.py), analysed with maps
    and reports for the 3 largest accounts."""
    import subprocess
    import sys

    base = tmp_path_factory.mktemp("export300")
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, str(root / "bench" / "make_export.py"), str(base / "export"),
         "--accounts", "300"],
        check=True, capture_output=True,
    )  # fmt: skip
    out = base / "out"
    summary = run(influence.load(base / "export"), out, rendered=3, progress=False)
    assert len(summary) == 300
    return out, pd.read_csv(out / "summary.csv", keep_default_na=False)


def test_index_at_300_accounts(browser, run_300, pages):
    import unicodedata

    out, summary = run_300
    page, errors, requests = pages(browser, out / "index.html", viewport=(1400, 900))
    assert page.locator("#accounts tbody tr").count() == 300
    # every link resolves to a file; only the drawn accounts have any
    hrefs = page.evaluate("() => Array.from(document.links).map(a => a.getAttribute('href'))")
    assert hrefs and all((out / h).is_file() for h in hrefs), "broken link"
    drawn = summary.loc[summary["rendered"].astype(str) == "True", "slug"]
    assert len(drawn) == 3
    assert {h.split("/")[0] for h in hrefs} == set(drawn)
    # no horizontal scroll in a 1,400 px window
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    # dataset totals once: the data-quality log's size, not 300 times it
    warnings = len(pd.read_csv(out / "data_quality.csv"))
    terms = page.locator("dl.dataset dt").all_inner_texts()
    values = page.locator("dl.dataset dd").all_inner_texts()
    assert terms[0] == "Data-quality warnings (whole input)"
    assert values[0].split()[0] == str(warnings)
    assert str(warnings * 300) not in page.content()
    heads = page.locator("#accounts thead th").all_inner_texts()
    assert not any("warning" in h.lower() or "rows" in h.lower() for h in heads)
    # sort by people, ascending then descending
    people = page.locator("#accounts thead th", has_text="People")
    col = [h.strip(" ↕↑↓") for h in heads].index("People")
    people.locator("button").click()
    shown = page.evaluate(
        "(c) => Array.from(document.querySelectorAll('#accounts tbody tr'))"
        ".map(tr => Number(tr.cells[c].textContent))",
        col,
    )
    assert shown == sorted(summary["people"].astype(int).tolist())
    people.locator("button").click()
    assert people.get_attribute("aria-sort") == "descending"

    # filter: a surname without its accents finds every account holding it
    def fold(s: str) -> str:
        return "".join(
            c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)
        ).lower()

    target = next(n for n in summary["account"] if fold(n) != n.lower())  # an accented name
    word = fold(target.split()[0])
    assert word != target.split()[0].lower()
    page.locator("#filter").fill(word)
    texts = page.evaluate(
        """() => Array.from(document.querySelectorAll('#accounts tbody tr')).map(tr =>
            [tr.hidden, tr.textContent + ' ' + Array.from(tr.querySelectorAll('[title]'))
                .map(e => e.getAttribute('title')).join(' ')])"""
    )
    kept = [t for hidden, t in texts if not hidden]
    assert kept and all(word in fold(t) for t in kept)
    assert not any(word in fold(t) for hidden, t in texts if hidden)
    assert any(target in t for t in kept)
    assert page.locator("#shown").inner_text() == f"{len(kept)} of 300 shown"
    page.locator("#filter").fill(target)
    assert target in page.locator("#accounts tbody tr:not([hidden])").first.inner_text()
    page.locator("#filter").fill("")
    assert page.locator("#accounts tbody tr:not([hidden])").count() == 300
    assert errors == [] and requests == []
