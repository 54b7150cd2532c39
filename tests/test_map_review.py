"""The map as an account review uses it (issue 15, points 4 and 5), in offline Chromium.

Search that ignores accents and case, the found person centred where the side panel
leaves the map visible, names that never overlap at the default zoom (measured from
vis-network's own label boxes), plain words first in the side panel, counts that agree
with ``summary.csv``, and a what-if that solves the support model in the page and gives
the same figures as ``Account.support(overrides=...)``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from browser import open_page

import influence
from influence.analysis.support import model_inputs
from influence.render import build_map
from influence.render.palette import STANCE_COLORS

ROOT = Path(__file__).resolve().parents[1]
READY = "window.mapReady === true"
STILL = """() => {
  const v = JSON.stringify([window.network.getViewPosition(), window.network.getScale()]);
  const still = v === window.__lastView;
  window.__lastView = v;
  return still;
}"""
# vis-network's own boxes of the names it draws (canvas coordinates), after two frames.
DRAWN_LABELS = """async () => {
  window.network.redraw();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const out = {};
  for (const [id, n] of Object.entries(window.network.body.nodes)) {
    if (id.startsWith("edgeId:") || !window.nodes.get(id) || window.nodes.get(id).hidden) continue;
    const m = n.labelModule;
    if (!m.visible()) continue;
    out[id] = [m.size.left, m.size.top, m.size.width, m.size.height];
  }
  return out;
}"""

# What vis-network does when the pointer enters or leaves a node.
EMIT = "([what, id]) => { window.network.body.emitter.emit(what, {node: id}); }"


@pytest.fixture(scope="module")
def crestline():
    return influence.load(ROOT / "data" / "sample").account("Crestline Bank")


@pytest.fixture(scope="module")
def crestline_page(browser, crestline, tmp_path_factory):
    path = crestline.map().save(tmp_path_factory.mktemp("review") / "crestline.html")
    page, errors, requests = open_page(browser, path, wait_for=READY)
    yield page, errors, requests
    page.context.close()


def overlapping(boxes: dict) -> list[tuple[str, str]]:
    ids = sorted(boxes)
    out = []
    for i, a in enumerate(ids):
        ax, ay, aw, ah = boxes[a]
        for b in ids[i + 1 :]:
            bx, by, bw, bh = boxes[b]
            if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                out.append((a, b))
    return out


def search(page, text: str) -> str:
    page.locator("#search").fill(text)
    page.locator("#search").press("Enter")
    return page.locator("#search-msg").text_content()


def reference_fold(text: str) -> str:
    """Python's own NFD + combining marks stripped + casefold."""
    nfd = unicodedata.normalize("NFD", text)
    return "".join(c for c in nfd if not unicodedata.combining(c)).casefold()


def test_search_ignores_accents_and_case(crestline_page, crestline):
    page, errors, _ = crestline_page
    inf = crestline.influencers().set_index("name")
    for query, name in [
        ("Cagla", "Çağla Öztürk"),
        ("ozturk", "Çağla Öztürk"),
        ("Elodie", "Élodie Girard"),
        ("ELODIE GIRARD", "Élodie Girard"),
        ("cagla öztürk", "Çağla Öztürk"),
    ]:
        assert search(page, query) == f"Found {name}."
        assert page.evaluate("() => window.network.getSelectedNodes()") == [inf.at[name, "id"]]
        assert page.locator("#panel .panel-name").text_content() == name
    # every person is found by their name typed without accents, in lower case
    names = crestline.influencers()[["id", "name"]]
    assert names["name"].is_unique
    folds = page.evaluate("(xs) => xs.map(window.influenceMap.fold)", list(names["name"]))
    for (pid, name), folded in zip(names.itertuples(index=False), folds, strict=True):
        plain = reference_fold(name)
        if plain.isascii():  # no letter beyond the combining marks: the same as Python's
            assert folded == plain
        assert page.evaluate("(q) => window.influenceMap.find(q)", plain) == pid
    assert "No one matches" in search(page, "Zzyzx")
    assert errors == []


def test_found_person_is_centred_in_the_visible_area(crestline_page):
    page, errors, _ = crestline_page
    for query in ("Cagla", "Elodie"):
        search(page, query)
        page.wait_for_function(STILL, polling=100)
        page.wait_for_function(STILL, polling=100)
        where = page.evaluate(
            """() => {
                const id = window.network.getSelectedNodes()[0];
                const p = window.network.canvasToDOM(window.network.getPositions([id])[id]);
                const c = document.getElementById("network").getBoundingClientRect();
                const s = document.getElementById("panel").getBoundingClientRect();
                return {x: c.left + p.x, y: c.top + p.y, left: c.left, right: c.right,
                        top: c.top, bottom: c.bottom, panel: s.left};
            }"""
        )
        assert page.locator("#panel").is_visible()
        assert where["x"] < where["panel"] - 50  # not under the panel
        assert where["x"] == pytest.approx((where["left"] + where["panel"]) / 2, abs=3)
        assert where["y"] == pytest.approx((where["top"] + where["bottom"]) / 2, abs=3)
    assert errors == []


def test_names_do_not_overlap_at_the_default_zoom(browser, crestline, tmp_path):
    path = crestline.map().save(tmp_path / "crestline.html")
    page, errors, requests = open_page(browser, path, wait_for=READY)
    try:
        boxes = page.evaluate(DRAWN_LABELS)
        inf = crestline.influencers()
        assert len(inf) == 78 and (~inf["internal"]).sum() == 74
        assert overlapping(boxes) == []
        top = inf.loc[inf["rank"] == 1, "id"].iat[0]
        assert top in boxes  # the most influential person is always named
        assert len(boxes) >= 10
        # what the page says it labels is what vis-network draws
        assert sorted(boxes) == page.evaluate("() => window.influenceMap.labelled()")
        # the rest are named on hover
        unnamed = sorted(set(inf["id"]) - set(boxes))
        if unnamed:
            pid = unnamed[0]
            page.evaluate(EMIT, ["hoverNode", pid])
            assert pid in page.evaluate(DRAWN_LABELS)
            page.evaluate(EMIT, ["blurNode", pid])
            assert pid not in page.evaluate(DRAWN_LABELS)
        # zoomed in, names stay apart (their canvas size only shrinks)
        page.evaluate("() => window.network.moveTo({scale: 2.5 * window.network.getScale()})")
        assert overlapping(page.evaluate(DRAWN_LABELS)) == []
        page.evaluate("() => window.network.fit()")
        # selecting someone names them and keeps the rest apart
        page.evaluate("(id) => window.influenceMap.select(id, false)", inf["id"].iat[-5])
        boxes = page.evaluate(DRAWN_LABELS)
        assert inf["id"].iat[-5] in boxes and overlapping(boxes) == []
        # fewer people shown (a filter) still never overlap
        page.locator("#filter-stance input[value=unknown]").uncheck()
        boxes = page.evaluate(DRAWN_LABELS)
        assert overlapping(boxes) == []
        assert errors == [] and requests == []
    finally:
        page.context.close()


def test_header_counts_agree_with_summary(crestline_page, crestline):
    page, errors, _ = crestline_page
    s = crestline.summary()
    drawn = nx.Graph(crestline.person_graph).number_of_edges()
    assert page.evaluate("() => window.edges.length") == drawn
    text = page.locator("#map-counts").text_content()
    assert f"{s['people']:,} people · {s['team']:,} on our team" in text
    assert f"{s['ties']:,} ties ({drawn:,} connections drawn)" in text
    assert s["ties"] == 2 * drawn - sum(  # a two-way tie counts twice, a one-way tie once
        1 for a, b in crestline.person_graph.edges if not crestline.person_graph.has_edge(b, a)
    )
    assert errors == []


def figures(page) -> tuple[float, float | None]:
    overall = float(page.locator("#overall-support").get_attribute("data-value"))
    cell = page.locator("#panel-support").get_attribute("data-value")
    return overall, (float(cell) if cell else None)


def test_what_if_equals_account_support_with_overrides(crestline_page, crestline):
    page, errors, _ = crestline_page
    inf = crestline.influencers()
    ext = inf[~inf["internal"]].set_index("id")
    champion = ext.index[ext["stance"] == "champion"][0]
    unknown = ext.index[ext["stance"] == ""][0]
    blocker = ext.index[ext["stance"] == "blocker"][0]
    neutral = ext.index[ext["stance"] == "neutral"][0]
    base = crestline.support().set_index("id")["predicted_support"]
    # before any change: the analysis' own figures
    page.evaluate("() => window.influenceMap.resetWhatIf()")
    assert float(page.locator("#overall-support").get_attribute("data-value")) == pytest.approx(
        crestline.overall_support(), abs=1e-9
    )
    assert page.locator("#what-if-reset").is_hidden()
    # the page's own solve with no change equals the analysis for everyone
    solved = page.evaluate("() => window.influenceMap.whatIf({})")
    assert solved["overall"] == pytest.approx(crestline.overall_support(), abs=1e-9)
    assert pd.Series(solved["support"])[base.index].to_numpy() == pytest.approx(
        base.to_numpy(), abs=1e-9
    )
    steps = [
        (champion, "blocker"),  # the only champion turns
        (unknown, "champion"),  # an unknown stance becomes an anchor
        (blocker, "unknown"),  # a known stance becomes unknown (fully susceptible)
        (neutral, "supporter"),
    ]
    overrides: dict[str, str] = {}
    for pid, stance in steps:
        search(page, ext.at[pid, "name"])
        page.locator("#what-if-stance").select_option(stance)
        overrides[pid] = stance
        want = crestline.support(overrides=overrides).set_index("id")["predicted_support"]
        overall, person = figures(page)
        assert overall == pytest.approx(crestline.overall_support(overrides=overrides), abs=1e-6)
        assert person == pytest.approx(want[pid], abs=1e-6)
        got = pd.Series(page.evaluate("() => window.influenceMap.figures().support"))
        assert np.abs(got[want.index].to_numpy() - want.to_numpy()).max() < 1e-6
        assert page.locator("#what-if-reset").is_visible()
        assert f"{len(overrides)} stance" in page.locator("#what-if-note").text_content()
        # the header shows the figure in words a person reads
        shown = page.locator("#overall-support").text_content()
        assert float(shown.replace("−", "-").replace("±", "")) == pytest.approx(overall, abs=0.005)
    # the node takes the colour of its what-if stance; the panel remembers the change
    search(page, ext.at[champion, "name"])
    colour = "(id) => window.nodes.get(id).color.background"
    assert page.evaluate(colour, champion) == STANCE_COLORS["blocker"]
    assert page.locator("#what-if-stance").input_value() == "blocker"
    search(page, ext.at[neutral, "name"])
    # reset: the analysis' figures again
    page.locator("#what-if-reset").click()
    overall, person = figures(page)
    assert overall == pytest.approx(crestline.overall_support(), abs=1e-9)
    assert person == pytest.approx(base[neutral], abs=1e-9)
    assert page.locator("#what-if-stance").input_value() == "neutral"
    assert page.locator("#what-if-reset").is_hidden()
    search(page, ext.at[champion, "name"])
    assert page.evaluate(colour, champion) == STANCE_COLORS["champion"]
    assert errors == []


def tiny_model_inputs() -> dict:
    """A champion (a, +2) and a skeptic (b, −1) both advise c (unknown stance), a twice as
    strongly; d is on nobody's side and listens to nobody. Influence 50, 30, 20, 0."""
    g = nx.DiGraph()
    g.add_node("a", stance_score=2.0, name="Ann")
    g.add_node("b", stance_score=-1.0, name="Bo")
    g.add_node("c", stance_score=float("nan"), name="Cy")
    g.add_node("d", stance_score=float("nan"), name="Di")
    g.add_edge("a", "c", strength=0.8)
    g.add_edge("b", "c", strength=0.4)
    model = model_inputs(g)
    model["influence"] = [50.0, 30.0, 20.0, 0.0]
    model["overall"] = (50 * 1 + 30 * -0.5 + 20 * 0.5) / 100
    people = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": ["Ann", "Bo", "Cy", "Di"],
            "influence": [50.0, 30.0, 20.0, 0.0],
            "stance": ["champion", "skeptic", "", ""],
            "predicted_support": [1.0, -0.5, 0.5, 0.0],
        }
    )
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"], "strength": [0.8, 0.4]})
    return {
        "people": people,
        "ties": ties,
        "title": "Tiny",
        "as_of": "2024-06-30",
        "data_range": ("2024-01-01", "2024-06-30"),
        "support_model": model,
        "tie_count": 2,
    }


def test_what_if_hand_solved(browser, tmp_path):
    path = build_map(**tiny_model_inputs()).save(tmp_path / "tiny.html")
    page, errors, _ = open_page(browser, path, wait_for=READY)
    try:
        what = "(o) => window.influenceMap.whatIf(o)"
        r = page.evaluate(what, {})
        assert r["support"] == pytest.approx({"a": 1.0, "b": -0.5, "c": 0.5, "d": 0.0})
        assert r["overall"] == pytest.approx(0.45)
        # b won over: c hears only support, (2/3)(1) + (1/3)(1) = 1
        r = page.evaluate(what, {"b": "champion"})
        assert r["support"]["c"] == pytest.approx(1.0)
        assert r["overall"] == pytest.approx(1.0)
        # c says blocker: anchored, 0.2 · (2/3 · 1 + 1/3 · −0.5) + 0.8 · (−1) = −0.7
        r = page.evaluate(what, {"c": "blocker"})
        assert r["support"]["c"] == pytest.approx(-0.7)
        assert r["overall"] == pytest.approx((50 - 15 - 14) / 100)
        # a champion turned unknown keeps prior 0 (she listens to nobody): c hears 0 and −0.5
        r = page.evaluate(what, {"a": "unknown"})
        assert r["support"]["a"] == 0.0 and r["support"]["c"] == pytest.approx(-1 / 6)
        # d listens to nobody: whatever she says is her figure
        assert page.evaluate(what, {"d": "supporter"})["support"]["d"] == pytest.approx(0.5)
        # through the side panel
        page.evaluate("() => window.influenceMap.select('c', false)")
        page.locator("#what-if-stance").select_option("blocker")
        assert figures(page) == (pytest.approx(0.21), pytest.approx(-0.7))
        assert page.locator("#overall-support").text_content() == "+0.21"
        page.locator("#panel .what-if-panel-reset").click()
        assert figures(page) == (pytest.approx(0.45), pytest.approx(0.5))
        assert errors == []
    finally:
        page.context.close()


def test_days_since_contact_and_cold_marks(crestline_page, crestline):
    """Every customer person's panel gives the days since our last contact, counted here
    from the last-contact date and the as-of date; the champions and supporters with no
    contact in COLD_DAYS (or none ever) have a dashed border and "cold" in their name,
    tooltip and panel, and nobody else has."""
    from influence.defaults import COLD_DAYS

    page, errors, _ = crestline_page
    page.evaluate("() => window.influenceMap.resetWhatIf()")
    inf = crestline.influencers()
    ext = inf[~inf["internal"]]
    as_of = pd.Timestamp(crestline.as_of)
    cold_seen = set()
    for r in ext.itertuples():
        page.evaluate("(id) => window.influenceMap.select(id, false)", r.id)
        terms = page.locator("#panel-body > dl.metrics dt").all_text_contents()
        values = page.locator("#panel-body > dl.metrics dd").all_text_contents()
        shown = dict(zip(terms, values, strict=True))["Last contact"]
        if pd.isna(r.last_contact):
            assert shown == "never"
            gone = None
        else:
            gone = (as_of.normalize() - pd.Timestamp(r.last_contact).normalize()).days
            date = pd.Timestamp(r.last_contact).date().isoformat()
            assert shown == (f"{date} (today)" if gone == 0 else f"{date} ({gone} days ago)"
                             if gone != 1 else f"{date} (1 day ago)")  # fmt: skip
        cold = r.stance in ("champion", "supporter") and (gone is None or gone > COLD_DAYS)
        node = page.evaluate("(id) => window.nodes.get(id)", r.id)
        dashed = (node.get("shapeProperties") or {}).get("borderDashes")
        assert bool(dashed) == cold, r.name
        assert (
            "cold" in page.evaluate("(id) => window.influenceMap.person(id).label", r.id)
        ) == cold
        tip = page.evaluate("(id) => window.nodes.get(id).title.textContent", r.id)
        assert ("Cold:" in tip) == cold
        badge = page.locator("#panel .badge.cold")
        assert badge.count() == int(cold)
        if cold:
            cold_seen.add(r.id)
            want = "never contacted by our team" if gone is None else f"in {gone} days"
            assert want in badge.text_content()
    assert cold_seen == set(crestline.stale()["id"])
    # the case: Crestline's only champion, last contacted 168 days before as-of
    champion = ext[ext["stance"] == "champion"]
    assert len(champion) == 1 and champion["id"].iat[0] in cold_seen
    assert f"in {COLD_DAYS} days" in page.locator("#legend-cold").text_content()
    assert errors == []


def nearest_stance_words(x: float) -> str:
    """The recorded stance nearest to an overall support ``x`` on the −1..+1 scale
    (blocker −1, skeptic −0.5, neutral 0, supporter +0.5, champion +1), in the report's
    words ("about neutral", "leans like a supporter", ...)."""
    scale = {-1.0: "blocker", -0.5: "skeptic", 0.0: "neutral", 0.5: "supporter", 1.0: "champion"}
    nearest = min(scale, key=lambda s: abs(s - x))
    return "about neutral" if nearest == 0 else f"leans like a {scale[nearest]}"


@pytest.mark.parametrize("name", ["Crestline Bank", "Northwind Logistics"])
def test_header_says_what_the_support_means_in_the_report_words(browser, name, tmp_path):
    """The map's heading words the overall support as the report and ``summary.csv`` do
    (Crestline +0.14: about neutral; Northwind +0.28: leans like a supporter), not in a
    vocabulary of its own."""
    acct = influence.load(ROOT / "data" / "sample").account(name)
    words = nearest_stance_words(acct.overall_support())
    assert acct.summary()["support"].startswith(words + ", ")  # the report's sentence
    page, errors, _ = open_page(browser, acct.map().save(tmp_path / "map.html"), wait_for=READY)
    try:
        assert page.locator("#overall-meaning").text_content() == f"({words}, on −1 … +1)"
        assert page.locator("#overall-meaning").get_attribute("title") == acct.support_meaning()
        assert errors == []
    finally:
        page.context.close()


def test_support_model_text_stays_escaped(browser, tmp_path):
    """Ids travel in the what-if model too: hostile ones stay data."""
    evil = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
    inputs = tiny_model_inputs()
    ids = {x: evil + x for x in "abcd"}
    inputs["people"] = inputs["people"].assign(id=inputs["people"]["id"].map(ids))
    inputs["ties"] = inputs["ties"].assign(
        source=inputs["ties"]["source"].map(ids), target=inputs["ties"]["target"].map(ids)
    )
    inputs["support_model"] = {**inputs["support_model"], "ids": [ids[x] for x in "abcd"]}
    m = build_map(**inputs)
    plain = build_map(**tiny_model_inputs()).html
    assert m.html.count("<script") == plain.count("<script") and evil not in m.html
    page, errors, requests = open_page(browser, m.save(tmp_path / "evil.html"), wait_for=READY)
    try:
        r = page.evaluate("(o) => window.influenceMap.whatIf(o)", {ids["c"]: "blocker"})
        assert r["support"][ids["c"]] == pytest.approx(-0.7)
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.locator("img").count() == 0
        assert errors == [] and requests == []
    finally:
        page.context.close()


def test_what_if_on_a_large_account_uses_the_iterative_solve(browser, tmp_path):
    """Above 1,200 people the page solves by Gauss–Seidel instead of dense LU: the same
    figures as :func:`support` with the override, within 1e-6."""
    from test_map import synthetic_inputs

    from influence.analysis.support import overall_support, support

    inputs = synthetic_inputs(1400)
    people, ties = inputs["people"], inputs["ties"]
    scores = {"champion": 2, "supporter": 1, "neutral": 0, "skeptic": -1, "blocker": -2}
    g = nx.DiGraph()
    for r in people[~people["internal"]].itertuples():
        g.add_node(r.id, stance_score=float(scores.get(r.stance, np.nan)), name=r.name)
    for r in ties.itertuples():
        if r.source in g and r.target in g:
            g.add_edge(r.source, r.target, strength=r.strength)
            g.add_edge(r.target, r.source, strength=r.strength)
    assert g.number_of_nodes() > 1200
    weight = people.set_index("id")["influence"]
    model = model_inputs(g)
    model["influence"] = [float(weight[i]) for i in model["ids"]]
    model["overall"] = overall_support(support(g), weight)
    inputs["support_model"] = model
    path = build_map(**inputs).save(tmp_path / "large.html")
    page, errors, _ = open_page(browser, path, wait_for=READY)
    try:
        pid = sorted(g)[7]
        want = support(g, overrides={pid: -2.0}).set_index("id")["predicted_support"]
        r = page.evaluate("(id) => window.influenceMap.whatIf({[id]: 'blocker'})", pid)
        assert r["overall"] == pytest.approx(overall_support(want.reset_index(), weight), abs=1e-6)
        got = pd.Series(r["support"])[want.index].to_numpy()
        assert np.abs(got - want.to_numpy()).max() < 1e-6
        assert errors == []
    finally:
        page.context.close()


def test_last_active_in_every_panel_and_tooltip(crestline_page, crestline):
    """Everyone's panel and tooltip give their last activity with anyone (issue 13: the
    map shows ``last_activity`` and ``days_silent``), worked out here from the sample's
    own events file: the latest event of the account up to the as-of date with someone
    else in it (our team works on every account: only this account's events count)."""
    page, errors, _ = crestline_page
    page.evaluate("() => window.influenceMap.resetWhatIf()")
    as_of = pd.Timestamp(crestline.as_of).normalize()
    ev = pd.read_csv(ROOT / "data" / "sample" / "events.csv", parse_dates=["date"])
    ev = ev[ev["account"] == crestline.name]
    part = pd.read_csv(ROOT / "data" / "sample" / "participants.csv")
    part = part.merge(ev.rename(columns={"id": "event_id"}), on="event_id")
    part = part[part["date"].dt.normalize() <= as_of]
    shared = part[part.groupby("event_id")["person_id"].transform("nunique") > 1]
    last = shared.groupby("person_id")["date"].max().dt.normalize()
    ids = crestline.influencers()["id"].tolist()
    assert ids and last.reindex(ids).notna().any()
    for pid in ids:
        page.evaluate("(id) => window.influenceMap.select(id, false)", pid)
        terms = page.locator("#panel-body > dl.metrics dt").all_text_contents()
        values = page.locator("#panel-body > dl.metrics dd").all_text_contents()
        shown = dict(zip(terms, values, strict=True))["Last active"]
        if pid not in last.index:
            want = "none on record"
        else:
            gone = (as_of - last[pid]).days
            ago = "today" if gone == 0 else "1 day ago" if gone == 1 else f"{gone} days ago"
            want = f"{last[pid].date().isoformat()} ({ago})"
        assert shown == want, pid
        tip = page.evaluate("(id) => window.nodes.get(id).title.textContent", pid)
        assert f"Last active: {want}" in tip
    assert errors == []
