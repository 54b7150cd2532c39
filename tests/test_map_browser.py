"""The interactive map in a real (offline) Chromium: what it draws and how it responds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser import open_page
from test_map import EVIL, small_inputs, synthetic_inputs

import influence
from influence.render import build_map

READY = "window.mapReady === true"
# True when the view is where it was at the previous poll: no animation under way.
STILL = """() => {
  const v = JSON.stringify([window.network.getViewPosition(), window.network.getScale()]);
  const still = v === window.__lastView;
  window.__lastView = v;
  return still;
}"""


@pytest.fixture
def open_map(browser, tmp_path: Path):
    """Save a map built from ``inputs`` and open it; closes every page at the end."""
    opened = []

    def _open(inputs: dict, name: str = "map.html", **kw):
        path = build_map(**inputs, **kw).save(tmp_path / name)
        page, errors, requests = open_page(browser, path, wait_for=READY)
        opened.append(page)
        return page, errors, requests

    yield _open
    for page in opened:
        page.context.close()


def counts(page) -> tuple[int, int]:
    n, e = page.evaluate("() => [window.network.body.data.nodes.length, window.edges.length]")
    return n, e


def click_node(page, node_id: str) -> None:
    """Click the node where it is drawn (positions → DOM → page coordinates), once the view
    has stopped moving (a search glides to the person it found)."""
    page.wait_for_function(STILL, polling=100)
    x, y = page.evaluate(
        """(id) => {
            const p = window.network.getPositions([id])[id];
            const d = window.network.canvasToDOM(p);
            const r = document.getElementById("network").getBoundingClientRect();
            return [r.left + d.x, r.top + d.y];
        }""",
        node_id,
    )
    page.mouse.click(x, y)


def test_draws_every_person_and_tie_offline(open_map):
    page, errors, requests = open_map(small_inputs())
    assert counts(page) == (8, 9)
    assert page.evaluate("() => window.nodes.length") == 8
    p2 = page.evaluate("() => window.nodes.get('p2')")
    assert p2["label"] == "Bob Stone ★" and p2["borderWidth"] == 5 and p2["shape"] == "diamond"
    assert page.evaluate("() => window.nodes.get('t1').shape") == "square"
    formal = page.evaluate(
        "() => window.edges.get({filter: e => e.dashes !== false}).map(e => [e.from, e.to])"
    )
    assert formal == [["p1", "p2"]]
    arrows = page.evaluate(
        "() => window.edges.get({filter: e => e.arrows.to.enabled}).map(e => [e.from, e.to])"
    )
    assert arrows == [["p4", "p5"]]
    # physics stopped once stable
    assert page.evaluate("() => window.network.physics.physicsEnabled") is False
    title = page.locator("#map-title").text_content()
    assert title == "Acme Corp"
    sub = page.locator("#map-subtitle").text_content()
    assert "2024-06-30" in sub and "2024-01-02" in sub and "2024-06-28" in sub
    # events: hidden by default, then drawn as nodes linked to their participants
    page.locator("#show-events").check()
    assert counts(page) == (10, 13)
    ev = page.evaluate("() => window.nodes.get({filter: n => n.id.startsWith('event:')})")
    assert sorted(n["id"] for n in ev) == ["event:e1", "event:e2"]
    page.locator("#show-events").uncheck()
    assert counts(page) == (8, 9)
    assert errors == [] and requests == []


def test_search_selects_and_focuses(open_map):
    page, errors, _ = open_map(small_inputs())
    page.locator("#search").fill("cara")
    page.locator("#search").press("Enter")
    assert page.evaluate("() => window.network.getSelectedNodes()") == ["p3"]
    assert page.locator("#panel").is_visible()
    assert page.locator("#panel .panel-name").text_content() == "Cara Diaz"
    assert page.locator("#search-msg").text_content() == "Found Cara Diaz."
    # the neighbourhood stays in colour, the rest is dimmed
    bg = page.evaluate(
        "() => Object.fromEntries(window.nodes.get().map(n => [n.id, n.color.background]))"
    )
    assert bg["p3"] == "#f0883e" and bg["p2"] == "#cf222e" and bg["p5"] == "#9aa0a6"
    assert bg["p1"].startswith("rgba(") and bg["t1"].startswith("rgba(")
    page.locator("#search").fill("Nobody")
    page.locator("#search").press("Enter")
    assert "No one matches" in page.locator("#search-msg").text_content()
    assert errors == []


def test_filters_hide_exactly_the_expected_nodes_and_edges(open_map):
    page, errors, _ = open_map(small_inputs())
    visible = (
        "() => [window.influenceMap.visiblePeople(), window.influenceMap.visibleTies().length]"
    )
    assert page.evaluate(visible) == [["p1", "p2", "p3", "p4", "p5", "p6", "t1", "t2"], 9]
    page.locator("#filter-stance input[value=blocker]").uncheck()
    assert page.evaluate(visible) == [["p1", "p3", "p4", "p5", "p6", "t1", "t2"], 7]
    assert page.evaluate("() => window.nodes.get('p2').hidden") is True
    page.locator("#filter-stance input[value=blocker]").check()
    # the coalition and buying-role filters (folded away until opened)
    page.locator("details:has(#filter-coalition) summary").click()
    page.locator("details:has(#filter-role) summary").click()
    page.locator("#filter-coalition input[value=Ops]").uncheck()
    assert page.evaluate(visible)[0] == ["p1", "p4", "p5", "t1", "t2"]
    page.locator("#filter-coalition input[value=Ops]").check()
    page.locator("#filter-role input[value='Decision Maker']").uncheck()
    assert page.evaluate(visible)[0] == ["p2", "p3", "p4", "p5", "p6", "t1", "t2"]
    page.locator("#filter-role input[value='Decision Maker']").check()
    # minimum tie strength: 0.45 keeps 0.9, 0.6, 0.5, 0.8, 0.7
    page.evaluate(
        """() => { const s = document.getElementById('min-strength');
                   s.value = '0.45'; s.dispatchEvent(new Event('input')); }"""
    )
    hidden = page.evaluate(
        "() => window.edges.get({filter: e => e.hidden}).map(e => [e.from, e.to]).sort()"
    )
    assert hidden == [["p2", "p3"], ["p3", "p5"], ["p4", "t2"], ["p5", "p6"]]
    assert page.locator("#visible-count").text_content() == "Showing 6 people and 5 ties"
    assert page.locator("#min-strength-value").text_content() == "0.45"
    assert errors == []


def test_click_opens_panel_with_metrics_and_warm_paths(open_map):
    page, errors, _ = open_map(small_inputs())
    click_node(page, "p2")
    assert page.evaluate("() => window.network.getSelectedNodes()") == ["p2"]
    panel = page.locator("#panel")
    assert panel.is_visible()
    text = panel.text_content()
    assert "Bob Stone" in text and "Hidden influencer" in text
    assert "Tia Ward → Ann Lee → Bob Stone" in text
    assert "strength 0.80 · 2 hops" in text
    # plain words first, in the report's terms; the raw centralities folded under Details
    terms = page.locator("#panel > #panel-body > dl.metrics dt").all_text_contents()
    assert terms == ["Influence", "Rank", "Role", "Coalition", "Our strongest tie",
                     "Last contact", "Last active"]  # fmt: skip
    values = page.locator("#panel > #panel-body > dl.metrics dd").all_text_contents()
    assert values[:3] == ["70 of 100", "2 of 6", "Economic Buyer · broker"]
    # small_inputs gives no last_activity: none on record
    assert values[4:] == ["Tia Ward (strength 0.80)", "2024-05-01", "none on record"]
    assert "PageRank" not in text.split("Details")[0]
    raw = page.locator("#panel details.raw")
    assert raw.get_attribute("open") is None and not raw.locator("dd").first.is_visible()
    raw.locator("summary").click()
    raw_terms = raw.locator("dt").all_text_contents()
    assert raw_terms[:4] == ["PageRank", "Betweenness", "Eigenvector", "Closeness"]
    assert raw.locator("dd").first.is_visible()
    # clicking a tie partner in the panel moves there
    page.locator("#panel button.link", has_text="Ann Lee").click()
    assert page.evaluate("() => window.network.getSelectedNodes()") == ["p1"]
    # the background resets
    page.locator("#panel-close").click()
    assert not panel.is_visible()
    assert page.evaluate("() => window.nodes.get('p3').color.background") == "#f0883e"
    assert errors == []


def engagement_shown(page) -> tuple[str, str] | None:
    """The side panel's suggested role and reason, or ``None`` when it shows none."""
    if page.locator("#panel .engagement").count() == 0:
        return None
    role = page.locator("#panel .engagement .engage-role").text_content()
    reason = page.locator("#panel .engagement .engage-reason").text_content()
    return role, reason


def test_click_shows_the_suggested_role(open_map):
    page, errors, _ = open_map(small_inputs())
    click_node(page, "p1")
    assert page.evaluate("() => window.network.getSelectedNodes()") == ["p1"]
    assert engagement_shown(page) == (
        "Suggested role: coach",
        "Ann Lee is a champion who has to sell internally",
    )
    assert page.locator("#panel .engagement").text_content() == (
        "Suggested role: coach — because Ann Lee is a champion who has to sell internally"
    )
    headings = page.locator("#panel h3").all_text_contents()
    assert headings == ["Suggested engagement", "Warm paths to Ann Lee", "Strongest ties"]
    # Dev Rao has no suggestion, and neither has our own team: no section at all
    click_node(page, "p4")
    assert page.locator("#panel .panel-name").text_content() == "Dev Rao"
    assert engagement_shown(page) is None
    assert "Suggested" not in page.locator("#panel").text_content()
    page.evaluate("() => window.influenceMap.select('t1', false)")
    assert engagement_shown(page) is None
    click_node(page, "p2")
    assert engagement_shown(page)[0] == "Suggested role: evaluator"
    assert errors == []


def test_account_map_shows_the_account_engagement_roles(browser, tmp_path: Path):
    acct = influence.load(Path(__file__).resolve().parents[1] / "data" / "example").account(
        "Globex"
    )
    path = acct.map().save(tmp_path / "globex.html")
    page, errors, requests = open_page(browser, path, wait_for=READY)
    try:
        eng = acct.engagement().set_index("id")
        assert eng["suggested_role"].to_dict() == {
            "ceo": "expert/authority",
            "arch": "coach",
            "cio": "evaluator",
        }
        for pid in ("ceo", "arch", "cio"):
            click_node(page, pid)
            assert page.evaluate("() => window.network.getSelectedNodes()") == [pid]
            assert engagement_shown(page) == (
                "Suggested role: " + eng.at[pid, "suggested_role"],
                eng.at[pid, "reason"],
            )
        click_node(page, "fin")  # Ola Berg: not a key stakeholder, no suggestion
        assert page.locator("#panel .panel-name").text_content() == "Ola Berg"
        assert engagement_shown(page) is None
        assert errors == [] and requests == []
    finally:
        page.context.close()


def test_colour_by_coalition_switches_colours_and_legend(open_map):
    page, errors, _ = open_map(small_inputs())
    assert page.locator(".legend-stance").is_visible()
    assert not page.locator(".legend-coalition").is_visible()
    page.locator("input[name=color-by][value=coalition]").check()
    assert page.locator(".legend-coalition").is_visible()
    c = page.evaluate("() => ['p1','p2','p4'].map(id => window.nodes.get(id).color.background)")
    assert c[0] == c[2] != c[1]
    assert errors == []


def test_untrusted_text_stays_text(open_map):
    inputs = small_inputs(EVIL)
    page, errors, requests = open_map(inputs)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.locator("#map-title").text_content() == EVIL + "Acme Corp"
    assert page.title() == "Influence map · " + EVIL + "Acme Corp"
    options = page.evaluate(
        "() => Array.from(document.querySelectorAll('#people-list option')).map(o => o.value)"
    )
    assert sorted(options) == sorted(inputs["people"]["name"])
    # search with the exact text, then the panel shows it exactly as typed
    page.locator("#search").fill(EVIL + "Bob Stone")
    page.locator("#search").press("Enter")
    assert page.evaluate("() => window.network.getSelectedNodes()") == ["p2"]
    assert page.locator("#panel .panel-name").text_content() == EVIL + "Bob Stone"
    assert (
        page.locator("#panel .role").text_content() == f"{EVIL}Title of Bob Stone · {EVIL}Finance"
    )
    paths = page.locator("#panel .path-names").all_text_contents()
    assert paths[0] == " → ".join(EVIL + n for n in ("Tia Ward", "Ann Lee", "Bob Stone"))
    assert engagement_shown(page) == (
        "Suggested role: evaluator",
        EVIL + "Bob Stone is a blocker: consider asking for " + EVIL + "their decision criteria",
    )
    page.locator("details:has(#filter-coalition) summary").click()
    assert page.locator("#filter-coalition").get_by_text(EVIL + "Ops", exact=True).is_visible()
    page.locator("input[name=color-by][value=coalition]").check()
    assert page.locator(".legend-coalition").get_by_text(EVIL + "Ops", exact=True).is_visible()
    # tooltips are DOM elements filled with textContent
    tip = page.evaluate("() => window.edges.get('t0').title.textContent")
    assert EVIL + "manages; 3 meetings" in tip
    page.locator("#show-events").check()
    subject = page.evaluate("() => window.nodes.get('event:e1').title.textContent")
    assert subject.startswith(EVIL + "Kick-off")
    click_node(page, "event:e1")
    assert page.locator("#panel .panel-name").text_content() == EVIL + "Kick-off"
    # nothing the data said turned into markup
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 3
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert errors == [] and requests == []


def test_repr_html_iframe_runs_the_map(browser, tmp_path: Path):
    m = build_map(**small_inputs(EVIL))
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{m._repr_html_()}</body></html>", "utf-8")
    page, errors, requests = open_page(browser, host)
    try:
        frame = page.frames[1]
        frame.wait_for_function("() => window.mapReady === true", timeout=60_000)
        assert frame.evaluate("() => window.nodes.length") == 8
        assert frame.evaluate("() => typeof window.__pwned") == "undefined"
        assert frame.locator("#map-title").text_content() == EVIL + "Acme Corp"
        box = page.locator("iframe").bounding_box()
        assert box["height"] == pytest.approx(650, abs=4) and box["width"] > 1000
        assert errors == [] and requests == []
    finally:
        page.context.close()


def test_thousand_people_become_interactive_fast(open_map):
    start = time.monotonic()
    page, errors, requests = open_map(synthetic_inputs(1000), name="big.html")
    elapsed = time.monotonic() - start
    n_nodes, n_edges = counts(page)
    assert n_nodes == 1000 and n_edges > 1500
    assert elapsed < 30, f"1,000-person map took {elapsed:.1f}s to stabilise"
    page.locator("#search").fill("x0500")
    page.locator("#search").press("Enter")
    assert page.evaluate("() => window.network.getSelectedNodes()") == ["x0500"]
    assert errors == [] and requests == []
